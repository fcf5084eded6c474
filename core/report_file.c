/*
 * report_file.c - writing a report to a file atomically: a temporary file
 * in the same directory, flushed to disk, then renamed over the final
 * name, so a crash or a full disk never leaves half a page under it.
 */
#if !defined(_WIN32) && !defined(_POSIX_C_SOURCE)
#define _POSIX_C_SOURCE 200809L
#endif

#include "report.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h> /* mkstemp */
#include <string.h>

#ifndef _WIN32
#include <sys/stat.h>
#include <unistd.h>
#endif

static fp_status fail(char *errmsg, const char *what, const char *path,
                      int err)
{
    if (errmsg)
        snprintf(errmsg, FP_ERRMSG_SIZE, "%s %s: %s", what, path,
                 strerror(err));
    return FP_EIO;
}

#ifndef _WIN32
static int write_all(int fd, const char *p, size_t n)
{
    while (n) {
        ssize_t k = write(fd, p, n);
        if (k < 0) {
            if (errno == EINTR)
                continue;
            return -1;
        }
        p += k;
        n -= (size_t)k;
    }
    return 0;
}
#endif

fp_status fp_report_write(const fp_text *text, const char *path,
                          char *errmsg)
{
    size_t plen;
    char *tmp;
    int err = 0;

    if (errmsg)
        errmsg[0] = '\0';
    if (!text || !path || !*path)
        return FP_EINVAL;
    if (text->failed)
        return FP_ENOMEM;
    plen = strlen(path);
    tmp = fp_mem_alloc(&text->alloc, plen + 16);
    if (!tmp)
        return FP_ENOMEM;
    memcpy(tmp, path, plen);
#ifndef _WIN32
    {
        int fd;
        memcpy(tmp + plen, ".tmp-XXXXXX", 12);
        fd = mkstemp(tmp);
        if (fd < 0) {
            err = errno;
            fp_mem_free(&text->alloc, tmp);
            return fail(errmsg, "cannot create a temporary file for", path,
                        err);
        }
        /* mkstemp makes the file private; a report is for reading */
        if (fchmod(fd, 0644) < 0 || write_all(fd, text->data, text->len) < 0 ||
            fsync(fd) < 0)
            err = errno;
        if (close(fd) < 0 && !err)
            err = errno;
    }
#else
    {
        FILE *f;
        memcpy(tmp + plen, ".tmp", 5);
        f = fopen(tmp, "wb");
        if (!f) {
            err = errno;
            fp_mem_free(&text->alloc, tmp);
            return fail(errmsg, "cannot create a temporary file for", path,
                        err);
        }
        if (fwrite(text->data, 1, text->len, f) != text->len)
            err = errno ? errno : EIO;
        if (fclose(f) != 0 && !err)
            err = errno ? errno : EIO;
        /* rename does not replace an existing file on Windows */
        if (!err)
            remove(path);
    }
#endif
    if (!err && rename(tmp, path) != 0)
        err = errno;
    if (err) {
        remove(tmp);
        fp_mem_free(&text->alloc, tmp);
        return fail(errmsg, "cannot write", path, err);
    }
    fp_mem_free(&text->alloc, tmp);
    return FP_OK;
}

static fp_status to_file(const fp_tracker *a, const fp_tracker *b,
                         const fp_report_opts *opts, const char *path,
                         char *errmsg)
{
    fp_text *text;
    fp_status st;

    if (errmsg)
        errmsg[0] = '\0';
    if (!a || !path)
        return FP_EINVAL;
    st = fp_text_new(&text, &a->alloc);
    if (st != FP_OK)
        return st;
    st = b ? fp_report_diff_html(a, b, opts, text)
           : fp_report_html(a, opts, text);
    if (st == FP_OK)
        st = fp_report_write(text, path, errmsg);
    else if (errmsg)
        snprintf(errmsg, FP_ERRMSG_SIZE, "cannot build the report: %s",
                 fp_strerror(st));
    fp_text_free(text);
    return st;
}

fp_status fp_report_html_file(const fp_tracker *t,
                              const fp_report_opts *opts, const char *path,
                              char *errmsg)
{
    return to_file(t, NULL, opts, path, errmsg);
}

fp_status fp_report_diff_file(const fp_tracker *before,
                              const fp_tracker *after,
                              const fp_report_opts *opts, const char *path,
                              char *errmsg)
{
    if (!after)
        return FP_EINVAL;
    return to_file(before, after, opts, path, errmsg);
}
