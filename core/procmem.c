/*
 * procmem.c - the memory of the current process, for snapshot totals.
 *
 * The one module that talks to the operating system.  Each branch uses the
 * documented interface of its platform; elsewhere FP_EUNSUPPORTED.
 */
#if defined(__APPLE__)
#include <mach/mach.h>
#elif defined(_WIN32)
#include <windows.h>
#include <psapi.h>
#endif

#include "internal.h"

#include <stdio.h>
#include <string.h>

#if defined(__linux__)
/* "VmRSS:	   1234 kB" -> bytes; 0 if the line is not that key. */
static int status_field(const char *line, const char *key, uint64_t *out)
{
    size_t n = strlen(key);
    unsigned long long kb;

    if (strncmp(line, key, n) != 0 || line[n] != ':')
        return 0;
    if (sscanf(line + n + 1, "%llu", &kb) != 1)
        return 0;
    *out = (uint64_t)kb * 1024u;
    return 1;
}

fp_status fp_procmem_read(fp_procmem *out)
{
    char line[256];
    FILE *f;
    int found = 0;

    if (!out)
        return FP_EINVAL;
    memset(out, 0, sizeof *out);
    f = fopen("/proc/self/status", "r");
    if (!f)
        return FP_EIO;
    while (fgets(line, sizeof line, f)) {
        found |= status_field(line, "VmSize", &out->vsize) << 0;
        found |= status_field(line, "VmRSS", &out->rss) << 1;
        found |= status_field(line, "VmHWM", &out->peak_rss) << 2;
    }
    fclose(f);
    /* Kernel threads and some sandboxes omit lines: say so, do not guess. */
    return (found & 3) == 3 ? FP_OK : FP_EUNSUPPORTED;
}

#elif defined(__APPLE__)
fp_status fp_procmem_read(fp_procmem *out)
{
    mach_task_basic_info_data_t info;
    mach_msg_type_number_t count = MACH_TASK_BASIC_INFO_COUNT;

    if (!out)
        return FP_EINVAL;
    if (task_info(mach_task_self(), MACH_TASK_BASIC_INFO, (task_info_t)&info,
                  &count) != KERN_SUCCESS)
        return FP_EIO;
    out->vsize = info.virtual_size;
    out->rss = info.resident_size;
    out->peak_rss = info.resident_size_max;
    return FP_OK;
}

#elif defined(_WIN32)
/* Windows has no "virtual size" in the Unix sense: vsize is the commit
 * charge (PagefileUsage), rss the working set. */
fp_status fp_procmem_read(fp_procmem *out)
{
    PROCESS_MEMORY_COUNTERS pmc;

    if (!out)
        return FP_EINVAL;
    if (!GetProcessMemoryInfo(GetCurrentProcess(), &pmc, sizeof pmc))
        return FP_EIO;
    out->vsize = pmc.PagefileUsage;
    out->rss = pmc.WorkingSetSize;
    out->peak_rss = pmc.PeakWorkingSetSize;
    return FP_OK;
}

#else
fp_status fp_procmem_read(fp_procmem *out)
{
    if (out)
        memset(out, 0, sizeof *out);
    return FP_EUNSUPPORTED;
}
#endif
