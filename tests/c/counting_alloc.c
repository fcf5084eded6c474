/*
 * counting_alloc.c - the bookkeeping allocator of the tests.
 */
#include "counting_alloc.h"
#include "check.h"

#include <stdlib.h>
#include <string.h>

/* A header as aligned as anything malloc returns, so the core's blocks
 * keep malloc's alignment guarantee. */
typedef union header {
    struct {
        size_t size;
        size_t magic;
    } h;
    max_align_t align;
} header;

#define LIVE_MAGIC ((size_t)0x600dcafe5eedf00dull)
#define DEAD_MAGIC ((size_t)0xdeadbeefdeadbeefull)

void counting_alloc_init(counting_alloc *c, size_t fail_at)
{
    memset(c, 0, sizeof *c);
    c->fail_at = fail_at;
}

static void *counting_realloc(void *ud, void *ptr, size_t size)
{
    counting_alloc *c = ud;
    header *old = ptr ? (header *)ptr - 1 : NULL;
    header *p;

    if (old && old->h.magic != LIVE_MAGIC) {
        c->bad_frees++;
        return NULL;
    }
    if (size == 0) {
        if (old) {
            c->live_blocks--;
            c->live_bytes -= old->h.size;
            c->frees++;
            old->h.magic = DEAD_MAGIC;
            free(old);
        }
        return NULL;
    }
    c->calls++;
    if (c->fail_at && c->calls == c->fail_at) {
        c->failures++;
        return NULL; /* ptr stays valid, as realloc promises */
    }
    if (size > (size_t)-1 - sizeof(header))
        return NULL;
    p = realloc(old, sizeof(header) + size);
    if (!p)
        return NULL;
    if (old) {
        c->live_bytes -= p->h.size;
    } else {
        c->live_blocks++;
    }
    p->h.size = size;
    p->h.magic = LIVE_MAGIC;
    c->live_bytes += size;
    if (c->live_bytes > c->peak_bytes)
        c->peak_bytes = c->live_bytes;
    return p + 1;
}

fp_alloc counting_alloc_hook(counting_alloc *c)
{
    fp_alloc a;

    a.fn = counting_realloc;
    a.ud = c;
    return a;
}

int fail_run_refused(fail_run *r, fp_status st)
{
    if (st == FP_OK)
        return 0;
    if (st == FP_ENOMEM)
        r->enomem++;
    else
        r->other++;
    CHECK_STATUS(st, FP_ENOMEM);
    CHECK_EQ_U(r->ca.failures, 1);
    r->ca.fail_at = 0;
    return 1;
}
