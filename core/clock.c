/*
 * clock.c - the one clock every host stamps births, deaths and snapshots
 * with: monotonic seconds since footprint's first use in the process.
 *
 * Relative, as pympler's ClassTracker stamps (time() minus the import
 * time), so a dump's "00:00:12.50" reads the same whether Python or Lua
 * wrote it; monotonic, so a wall-clock step cannot put a birth after the
 * snapshot that sized the object.
 */
#include "internal.h"

#include <threads.h>
#include <time.h>

static struct timespec origin;
static once_flag origin_once = ONCE_FLAG_INIT;

static void read_now(struct timespec *ts)
{
#ifdef CLOCK_MONOTONIC
    if (clock_gettime(CLOCK_MONOTONIC, ts) == 0)
        return;
#endif
    timespec_get(ts, TIME_UTC);
}

static void set_origin(void)
{
    read_now(&origin);
}

double fp_clock(void)
{
    struct timespec ts;

    call_once(&origin_once, set_origin);
    read_now(&ts);
    return (double)(ts.tv_sec - origin.tv_sec) +
           (double)(ts.tv_nsec - origin.tv_nsec) * 1e-9;
}
