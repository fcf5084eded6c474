/*
 * tracker.h - the tracker's data (internal), shared by the core files
 * that read it whole: tracker.c (live tracking), stats.c (sorting and
 * text), dump.c and dump_read.c (files).  Everything else, the report
 * included, reads a tracker through footprint.h.
 *
 * Memory budget: 40 bytes per tracked object (up to 50 with the records'
 * growth slack) plus a 7-14 byte share of the live index, and 12 bytes per
 * object per snapshot.
 */
#ifndef FP_TRACKER_H
#define FP_TRACKER_H

#include "internal.h"
#include "strtab.h"

#define FP_NONE UINT32_MAX

/* Every FP_CLASS_* flag this build knows; add_class refuses others. */
#define FP_CLASS_KNOWN (FP_CLASS_KEEP | FP_CLASS_TRACE)

enum { TOBJ_DEAD = 1u << 0, TOBJ_DETACHED = 1u << 1 };

typedef struct tclass {
    uint32_t name;        /* strtab offset */
    int32_t level;
    uint32_t flags;       /* FP_CLASS_* */
} tclass;

typedef struct tobj {
    fp_handle addr;
    double birth;
    double death;
    uint32_t cls;
    uint32_t repr;        /* strtab offsets */
    uint32_t trace;
    uint8_t level;
    uint8_t flags;        /* TOBJ_* */
    uint16_t unused;
} tobj;

/* One node of a detail tree recorded in a snapshot, in preorder. */
typedef struct tdetail {
    uint32_t obj;
    uint32_t depth;
    uint32_t name;
    uint32_t unused;
    uint64_t size, flat;
} tdetail;

/* One type of a snapshot's census (tracker_census.c). */
typedef struct tcensus {
    uint32_t name;        /* strtab offset */
    uint32_t unused;
    uint64_t count, flat, deep;
} tcensus;

typedef struct tsnap {
    double ts;
    uint32_t desc;
    uint64_t tracked_total, asizeof_total, overhead;
    fp_procmem procmem;
    size_t n;             /* objects sized */
    uint32_t *obj;        /* ascending object indices */
    uint64_t *size;
    size_t ndetail;
    tdetail *detail;      /* grouped by obj, ascending */
    size_t ncensus;
    tcensus *census;      /* largest flat first, names unique */
    uint64_t census_count, census_flat; /* totals over every type */
} tsnap;

struct fp_tracker {
    fp_alloc alloc;
    fp_host host;
    int has_host;
    fp_strtab strs;
    fp_vec classes;       /* tclass */
    fp_vec objs;          /* tobj, in birth order */
    unsigned char *index; /* live handle -> object index (tracker.c) */
    size_t index_cap, nlive;
    fp_vec snaps;         /* tsnap */
    fp_sizer *sizer;
    fp_walk_fn walk;      /* host-driven sizing (fp_tracker_set_walk) */
    void *walk_arg;
    uint32_t *order;      /* sorted view (stats.c), NULL until sorted */
    size_t norder;
    char errmsg[FP_ERRMSG_SIZE];
};

#define TCLASS(t, i) (((tclass *)(t)->classes.data)[i])
#define TOBJ(t, i) (((tobj *)(t)->objs.data)[i])
#define TSNAP(t, i) (((tsnap *)(t)->snaps.data)[i])

/* pympler's rule for "active" at a snapshot taken at ts: born before it
 * and not dead by then. */
static inline int fp_tobj_active_at(const tobj *o, double ts)
{
    return FP_ACTIVE_AT(o->birth, o->flags & TOBJ_DEAD, o->death, ts);
}

/* Process memory a snapshot's shares are taken of (see tracker.c). */
uint64_t fp_snap_total(const tsnap *s);
void fp_tsnap_release(fp_tracker *t, tsnap *s);
/* 1 when a before b in a census's order: largest flat first, then more
 * objects, then names in byte order (names are unique). */
int fp_tcensus_before(const fp_tracker *t, const tcensus *a, const tcensus *b);
/* Rebuild the live index from objs (after loading). */
fp_status fp_tracker_reindex(fp_tracker *t);
/* Exchange the classes, objects, snapshots and indices of a and b (made
 * with the same allocator); hosts, sizers and messages stay. */
void fp_tracker_swap_contents(fp_tracker *a, fp_tracker *b);

#endif /* FP_TRACKER_H */
