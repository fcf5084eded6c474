/*
 * linternal.h - what the Lua adapter's files share.
 *
 * Handles are addresses (lua_topointer; a string's contents), so the
 * core's visited set does all the deduplication.  Lua's public API gives
 * no way back from an address to a value, which shapes the adapter's two
 * walks of one measurement (lwalk.c):
 *
 *  - the host-driven walk (lhostwalk.c): the adapter recurses through
 *    values on the Lua stack and asks the core at each referent
 *    (fp_sizer_walk, fp_sizer_visit).  Plain sizing, the tracker's
 *    heap scan (lheapscan.c) and the census (lcensus.c, on the heap
 *    scan's walk) take it.
 *  - the core-driven walk (lcorewalk.c): the core asks about handles
 *    through fp_host, so the values it may ask about wait in the anchor
 *    (lanchor.c), a Lua table at a fixed stack slot.  Depth limits,
 *    detail trees and prototypes take it.
 *
 * Both read a value through lrefs.c, which reports its referents to the
 * walk's sink.  In this adapter "push" only ever means Lua's stack: the
 * host-driven walk visits and enters values, the core-driven walk opens
 * levels, the anchor adds entries.
 *
 * Nothing here includes Lua's private headers: sizes come from the model
 * in lmodel.c (docs/lua.md), built from counts the public API can see.
 */
#ifndef FP_LINTERNAL_H
#define FP_LINTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "fp_lua.h"

/* Room for a name in a detail tree: "(upvalue x)", ".key", "[1]"... */
#define FPL_NAME_CAP 160

/* ---- the pointer -> k map (lmap.c) ---- */
typedef struct fpl_map {
    const void **keys; /* NULL marks an empty slot */
    uint32_t *vals;
    size_t cap, count; /* cap: a power of two, or 0 */
} fpl_map;

void fpl_map_init(fpl_map *m);
void fpl_map_free(fpl_map *m);
void fpl_map_clear(fpl_map *m);
/* Slot value for key, 0 if absent. */
uint32_t fpl_map_get(const fpl_map *m, const void *key);
/* *slot receives the address of key's value, 0 for a new key (the caller
 * stores it).  -1 when the map cannot grow. */
int fpl_map_put(fpl_map *m, const void *key, uint32_t **slot);

/* ---- the size model (lmodel.c) ---- */
/* Counts of one table's entries, as a lua_next pass sees them. */
typedef struct fpl_tcount {
    size_t n;          /* entries (non-nil values) */
    size_t nint;       /* positive integer keys that could live in the
                          array part */
    size_t maxint;     /* largest such key */
    uint32_t nums[33]; /* nums[i]: such keys in (2^(i-1), 2^i] */
} fpl_tcount;

void fpl_tcount_init(fpl_tcount *c);
/* Record one number key at stack index idx (other keys: c->n++). */
void fpl_tcount_key(lua_State *L, int idx, fpl_tcount *c);

/* Count one entry whose key, of type kt, is at stack index key: the step
 * every lua_next pass over a table takes (inline: it runs per entry). */
static inline void fpl_tcount_entry(lua_State *L, int key, int kt,
                                    fpl_tcount *c)
{
    if (kt == LUA_TNUMBER)
        fpl_tcount_key(L, key, c);
    else
        c->n++;
}
/* The array size Lua's rehash would give these keys (0 if none), and in
 * *na how many of them it would put there. */
size_t fpl_model_asize(const fpl_tcount *c, size_t *na);
size_t fpl_model_table(size_t asize, size_t nhash);
size_t fpl_model_string(size_t len);
size_t fpl_model_lclosure(int nup);
size_t fpl_model_cclosure(int nup);
size_t fpl_model_upval(void);
size_t fpl_model_udata(size_t len, int nuv);
/* A thread with `slots` stack slots in use and `frames` call levels. */
size_t fpl_model_thread(size_t slots, size_t frames);
/* A function prototype from the counts lua_dump shows (lproto.c). */
typedef struct fpl_pcount {
    size_t code, k, p, upvalues, lineinfo, abslineinfo, locvars;
} fpl_pcount;
size_t fpl_model_proto(const fpl_pcount *c);
/* Bytes Lua's model says a value's slot in a table array takes. */
size_t fpl_model_tvalue(void);

/* ---- handles, and names (lnames.c) ---- */

/* The handle of the value at idx, whose type is t; NULL if it is not an
 * object (nil, booleans, numbers, light userdata, light C functions).  A
 * string is named by its contents, which lua_tolstring gives with the
 * length (*len) in one call: a fixed offset into the string object, so
 * as unique as its address. */
static inline const void *fpl_object_at(lua_State *L, int idx, int t,
                                        size_t *len)
{
    switch (t) {
    case LUA_TSTRING:
        return lua_tolstring(L, idx, len);
    case LUA_TTABLE:
    case LUA_TUSERDATA:
    case LUA_TTHREAD:
        return lua_topointer(L, idx);
    case LUA_TFUNCTION: {
        /* A light C function is a bare function pointer (lua_topointer
         * gives it back): a value like a number, not an object. */
        lua_CFunction f = lua_tocfunction(L, idx);
        const void *p = lua_topointer(L, idx);
        if (f && (uintptr_t)p == (uintptr_t)f)
            return NULL;
        return p;
    }
    default:
        return NULL;
    }
}

/* Address of the value at idx as the core sees it (0: not an object). */
static inline const void *fpl_object_ptr(lua_State *L, int idx)
{
    size_t len;
    return fpl_object_at(L, idx, lua_type(L, idx), &len);
}

/* A short description, never running code of the measured program:
 * "table: 0x...", "Point: 0x..." (__name), a clipped quoted string... */
size_t fpl_describe(lua_State *L, int idx, char *buf, size_t cap);
/* The name of a table entry as a detail tree shows it: ".x", "[1]",
 * "[\"a b\"]", "[table: 0x...]". */
size_t fpl_keyname(lua_State *L, int idx, char *buf, size_t cap);

/* ---- one measurement (lwalk.c) ---- */

/* What a walk follows. */
typedef struct fpl_opts {
    size_t align;      /* 1: Lua's nominal sizes, as collectgarbage counts */
    size_t limit;      /* FP_NO_LIMIT: none */
    int metatables;    /* follow metatables of tables and userdata */
    int shared;        /* 1: stop at _G, package.loaded, the registry... */
    int code;          /* count function prototypes (lua_dump) */
    int exact_arrays;  /* probe array sizes that counts leave ambiguous */
} fpl_opts;

void fpl_opts_init(fpl_opts *o);

/* Entry flags (lanchor.c). */
enum {
    FPL_E_LEAF = 1u << 0,    /* string: flat size in aux */
    FPL_E_UPVAL = 1u << 1,   /* an UpVal: the anchor holds its value */
    FPL_E_PROTO = 1u << 2,   /* a prototype: aux indexes the prototypes */
    FPL_E_SHAREABLE = 1u << 3 /* a table or thread: may be a shared one */
};
/* The upper four bits of an entry's flags hold its Lua type. */
#define FPL_E_TYPE(f) ((int)((f) >> 4))
#define FPL_E_OF_TYPE(t) ((unsigned)(t) << 4)

/* The flags of an entry for an object of type t other than a string. */
static inline unsigned fpl_entry_flags(int t)
{
    return FPL_E_OF_TYPE(t) |
           (t == LUA_TTABLE || t == LUA_TTHREAD ? FPL_E_SHAREABLE : 0u);
}

/* The anchor (lanchor.c): a Lua table at a fixed stack slot holding the
 * values the core may ask about, one entry in C beside each of its slots.
 * The host-driven walk keeps its roots there, and the objects it leaves
 * for later. */
typedef struct fpl_anchor {
    int index;           /* its stack index on the walk's thread; 0: none */
    size_t cap;          /* its preallocated array size */
    size_t max;          /* highest slot written */
    /* entry i (1-based) is slot i */
    const void **ptr;    /* the handle */
    size_t *aux;         /* flat size of a leaf, index of a prototype,
                            depth of an object the host-driven walk left */
    uint8_t *flags;
    size_t ecap;
    size_t top;          /* last entry in use */
    size_t high;         /* highest entry made */
} fpl_anchor;

/* The core-driven walk's state (lcorewalk.c): a stack of levels mirroring
 * the core's, each the referents of one object, as anchor entries. */
struct fpl_level;
typedef struct fpl_corewalk {
    struct fpl_level *lv;
    size_t nlv, lvcap;
    fp_handle prepared_h; /* object whose referents are the top level */
    size_t prepared_i;    /* and its entry */
    size_t replay;        /* entry being reported by referents() */
    int in_referents;     /* inspect called back from inside referents */
} fpl_corewalk;

/* The host-driven walk's state (lhostwalk.c). */
typedef struct fpl_hostwalk {
    fp_sizer *sizer;     /* while it runs: the sizer it reports to */
    lua_State *work;     /* the thread it recurses on, one per measurement */
    lua_State *home;     /* while it runs: the caller's thread (L before) */
    int home_anchor;     /* and the anchor's index there */
} fpl_hostwalk;

/* Prototypes met while code is on (lproto.c): read from lua_dump. */
struct fpl_proto;
struct fpl_pref;
typedef struct fpl_protos {
    fpl_map map;         /* prototype handle -> index + 1 */
    struct fpl_proto *list;
    size_t n, cap;
    struct fpl_pref *refs;
    size_t nrefs, refs_cap;
    char *pool;          /* texts of prototype strings */
    size_t npool, pool_cap;
    unsigned char *dump; /* lua_dump output being read */
    size_t dump_len, dump_cap;
    struct fpl_pref *tmp; /* referents of the prototypes being read */
    size_t ntmp, tmp_cap;
} fpl_protos;

typedef struct fpl_walk fpl_walk;

/* Called for every table or full userdata scanned whose metatable is not
 * nil (the tracker's instance finder), with the value at idx and its
 * metatable on top of the stack.  Must not raise. */
typedef void (*fpl_meta_hook)(fpl_walk *w, int idx);

/* Kinds of object that have no Lua type of their own, for a count hook. */
#define FPL_T_UPVAL LUA_NUMTYPES        /* an UpVal */
#define FPL_T_PROTO (LUA_NUMTYPES + 1)  /* a function prototype */

/* Called by the host-driven walk for every object it counts (the
 * census, lcensus.c): its handle h, its type t (or FPL_T_UPVAL), its flat
 * size, and its value at idx on w->L (absolute; 0 when it is not on the
 * stack: an UpVal, a string left in the anchor).  -1 stops the walk
 * (memory ran out).  Must not raise. */
typedef int (*fpl_count_hook)(fpl_walk *w, const void *h, int idx, int t,
                              size_t flat);

/* One measurement, whichever walk runs it. */
struct fpl_walk {
    lua_State *L;        /* the thread values are read on: the caller's,
                            or a host-driven walk's work thread */
    fpl_opts opts;
    int oom;             /* a C allocation failed inside a callback */
    fpl_anchor anchor;
    fpl_map shared;      /* addresses of shared tables: skipped */
    fpl_map roots;       /* addresses of the roots -> entry: never skipped */
    fpl_meta_hook meta_hook;
    void *hook_ctx;
    fpl_count_hook count_hook;
    void *count_ctx;
    fpl_corewalk core;
    fpl_hostwalk host;
    fpl_protos protos;
    /* Strings reported by this walk, direct-mapped (a hit is certain, a
     * miss is not): with no limit and no detail tree, reporting a string
     * once is enough, the core counts it once anyway.  The host-driven
     * walk always uses it (it has neither); dedup_strings turns it on for
     * the core-driven one. */
    int dedup_strings;
    const void *strcache[1024];
};

/* A string's slot in the walk's strcache. */
static inline size_t fpl_strcache_slot(const void *p)
{
    return (size_t)(((uint64_t)(uintptr_t)p * 0x9E3779B97F4A7C15ull) >> 54);
}

/* The thread whose stack holds the caller's indices (the anchor, a hook's
 * context): L, or during a host-driven walk the thread L was before. */
static inline lua_State *fpl_walk_home(const fpl_walk *w)
{
    return w->host.home ? w->host.home : w->L;
}

/* The anchor's index on that thread. */
static inline int fpl_walk_home_anchor(const fpl_walk *w)
{
    return w->host.home ? w->host.home_anchor : w->anchor.index;
}

void fpl_walk_init(fpl_walk *w);
void fpl_walk_free(fpl_walk *w);
/* Start a measurement on L: pushes the anchor table, opens the roots'
 * level.  Raises only if the stack cannot grow. */
void fpl_walk_begin(fpl_walk *w, lua_State *L, const fpl_opts *opts);
/* Forget the measurement's values (pops what begin pushed). */
void fpl_walk_end(fpl_walk *w);
/* The same after a Lua error unwound the stack (nothing left to pop). */
void fpl_walk_unwound(fpl_walk *w);
/* Add the value at idx to the roots (before the walk starts) and return
 * its handle, 0 for values that are not objects.  0 with w->oom set when
 * memory ran out. */
fp_handle fpl_walk_root(fpl_walk *w, int idx);
/* The walk stops at this value (not counted, not followed) unless it is a
 * root.  -1 when memory ran out. */
int fpl_walk_stop_at(fpl_walk *w, int idx);
/* The shared tables: registry, _G, package.loaded and its modules, named
 * metatables, the main thread.  -1 when memory ran out. */
int fpl_walk_mark_shared(fpl_walk *w);

/* ---- the anchor (lanchor.c) ---- */
/* Push a new anchor table, as large as the last measurement needed. */
void fpl_anchor_open(fpl_walk *w);
void fpl_anchor_free(fpl_anchor *a);
/* Add an entry for the value at idx (absolute) with handle h.  -1 (and
 * w->oom) when memory ran out. */
int fpl_anchor_add(fpl_walk *w, int idx, const void *h, unsigned flags,
                   size_t aux);
/* The value on top, at idx, of type t above LUA_TSTRING, as the next
 * entry, taken off the stack rather than copied: 1 if taken (popped), 0
 * if it is not an object (left), -1 (and w->oom) when memory ran out. */
int fpl_anchor_take(fpl_walk *w, int idx, int t);

/* ---- a value's referents (lrefs.c) ---- */

typedef struct fpl_sink fpl_sink;

/* What a walk does with each referent a scan reports: anchor it
 * (lcorewalk.c's inspect), name it to the core (its referents, for a
 * detail tree) or enter it right away (lhostwalk.c). */
typedef struct fpl_sink_fns {
    /* The value at idx (absolute), of type t >= LUA_TSTRING: a table's
     * key, a metatable, a C closure's upvalue, a user value, a thread's
     * slot; not always an object (a light C function). */
    void (*value)(fpl_sink *k, int idx, int t, const char *name);
    /* A table entry, already counted: its key at key, of type kt, its
     * value at key + 1, of type vt.  May pop the value.  NULL: the walk
     * scans tables itself. */
    void (*entry)(fpl_sink *k, int key, int kt, int vt);
    /* An upvalue of a Lua closure: an UpVal object, id its address,
     * holding the value at idx (absolute; may be replaced). */
    void (*upval)(fpl_sink *k, int idx, const void *id, const char *name);
    /* The prototype of a Lua closure (code = true): handle h, number i of
     * the walk's prototypes. */
    void (*proto)(fpl_sink *k, fp_handle h, size_t i);
    int names;           /* referents are named (a detail tree) */
} fpl_sink_fns;

struct fpl_sink {
    fpl_walk *w;
    const fpl_sink_fns *fns; /* NULL: the flat size only, no referents */
    int stop;            /* no more referents: memory ran out, or the
                            core said stop */
};

/* The flat size of the value at idx (absolute), of type t, its referents
 * reported to k.  0 for a value that is not an object. */
size_t fpl_refs_scan(fpl_sink *k, int idx, int t);
/* Report the value at idx (absolute) as a referent, named name. */
void fpl_refs_value(fpl_sink *k, int idx, const char *name);
/* A table's size from the counts of its entries (a walk that scans tables
 * itself); its metatable is reported to k. */
size_t fpl_refs_table_size(fpl_sink *k, int t, const fpl_tcount *c);

/* ---- the core-driven walk (lcorewalk.c) ---- */
/* The fp_host answering for a walk (ctx = the walk; no alive/describe). */
void fpl_corewalk_host(fpl_walk *w, fp_host *host);
/* A new measurement: the roots' level, empty.  Sets w->oom on failure. */
void fpl_corewalk_begin(fpl_walk *w);
/* The roots' level takes in the entry just made for a root. */
void fpl_corewalk_root(fpl_walk *w);
void fpl_corewalk_end(fpl_walk *w);
void fpl_corewalk_free(fpl_walk *w);

/* ---- the host-driven walk (lhostwalk.c) ---- */
/* Possible for plain sizing: no depth limit, no detail tree, no
 * prototypes (their referents are found by interning strings, which
 * allocates). */
int fpl_hostwalk_possible(const fpl_opts *o, int tree);
/* The fp_walk_fn: arg is the walk, begun and with its roots added. */
fp_status fpl_hostwalk_root(void *arg, fp_sizer *s, fp_handle root);

/* ---- prototypes (lproto.c) ---- */
/* With the Lua function at idx, register its prototype (and nested ones)
 * and return the prototype's handle (odd, so never an address), 0 if it
 * cannot be read. */
fp_handle fpl_proto_handle(fpl_walk *w, int idx);
/* The flat size of prototype number i. */
size_t fpl_proto_flat(const fpl_walk *w, size_t i);
/* Add anchor entries for the referents of prototype number i. */
int fpl_proto_entries(fpl_walk *w, size_t i);
/* Forget the prototypes of the last measurement (memory is kept). */
void fpl_protos_clear(fpl_protos *p);
void fpl_protos_free(fpl_protos *p);

/* Referents of prototype number i: how many, and referent j, a nested
 * prototype's handle or 0 for an interned string, whose text is then in
 * *s, *len. */
size_t fpl_proto_nrefs(const fpl_walk *w, size_t i);
fp_handle fpl_proto_ref(const fpl_walk *w, size_t i, size_t j,
                        const char **s, size_t *len);

/* ---- the census (lcensus.c) ---- */

/* Groups every census has: one per Lua type, FPL_T_UPVAL, FPL_T_PROTO. */
#define FPL_CENSUS_FIXED (FPL_T_PROTO + 1)

typedef struct fpl_cgroup {
    size_t off, len;    /* its name in the census's pool */
} fpl_cgroup;

/* A row as the census reads it: names merged, largest size first. */
typedef struct fpl_crow {
    const char *name;   /* in the census's pool, not NUL-terminated */
    size_t len;
    uint64_t count, size;
} fpl_crow;

/* A census of what a host-driven walk meets: its count hook. */
typedef struct fpl_census {
    fp_census *census;  /* the core's: objects once, rows by group */
    fpl_map bymeta;     /* metatable -> group + 1 */
    fpl_map byname;     /* a __name string's contents -> group + 1 */
    fpl_map byclass;    /* (tracked class index + 1) << 4 -> group + 1 */
    fpl_cgroup *groups; /* group i is the core's class handle i + 1 */
    size_t ngroups, gcap;
    char *pool;         /* group names */
    size_t npool, pool_cap;
    const fpl_map *classes;    /* class table -> index + 1; NULL: none */
    const fp_tracker *tracker; /* whose classes those are */
    int code;           /* count prototypes (lua_dump) */
    /* the object fp_census_add is counting, for inspect */
    fp_handle pending, pending_cls;
    size_t pending_flat;
    /* what fpl_census_finish read */
    fpl_crow *rows;
    size_t nrows;
    uint64_t count, size, failed;
} fpl_census;

void fpl_census_init(fpl_census *c);
void fpl_census_free(fpl_census *c);
/* Hook a census to the walk w, begun and with no roots yet: names by the
 * tracker's classes (NULL: none), prototypes counted if code.  Pushes a
 * value above the anchor, and may raise (a memory error) as begin does. */
fp_status fpl_census_begin(fpl_census *c, fpl_walk *w, const fpl_map *classes,
                           const fp_tracker *tracker, int code);
/* The count hook fpl_census_begin sets. */
int fpl_census_count(fpl_walk *w, const void *h, int idx, int t,
                     size_t flat);
/* After the walk: rows, merged and sorted, and totals into c. */
fp_status fpl_census_finish(fpl_census *c);

/* ---- the class tracker (ltracker.c, lheapscan.c) ---- */

/* User values of the tracker's state userdata. */
enum { FPL_UV_OBJS = 1, FPL_UV_CLASSES, FPL_UV_KEEP };

/* The state of a Tracker that follows Lua objects, in a userdata kept as
 * the Tracker's user value:
 *   objs     handle -> object, weak values: identities without keeping
 *            objects alive, and exact deaths
 *   classes  class table -> class index (strong: classes live long)
 *   keep     handle -> object for keep = true */
typedef struct fpl_tstate {
    fp_tracker *owner;  /* the core tracker this state serves */
    fpl_walk scan;      /* the heap walk that finds instances */
    fp_sizer *walker;
    fpl_walk size;      /* the snapshot's walk: the core tracker's host */
    fpl_map classes;    /* class table address -> index + 1, per walk */
    fpl_map resolved;   /* metatable address -> index + 1 or not a class */
    fpl_map metas;      /* every metatable the walk met */
    fp_tracker *t;      /* during a walk */
    int objs, keep;     /* stack indices during a walk */
    int cand, candcls;  /* candidates: objects and class indices */
    size_t ncand;
    double now;
    size_t found;       /* instances newly tracked by the walk */
    int failed;         /* a hook could not record an instance */
    fpl_census census;  /* a snapshot's census, when asked for */
    size_t census_rows; /* rows a snapshot keeps by default; 0: no census */
} fpl_tstate;

/* The state of the Tracker at idx; raises for a Tracker that has none
 * (made by footprint.Tracker() or loaded from a dump), or another value. */
fpl_tstate *fpl_tstate_check(lua_State *L, int idx);

/* Push user value i of the state of the Tracker at index 1; its index. */
int fpl_tstate_push_uv(lua_State *L, int i);
/* t[k] = v in a protected call (it may allocate): t k v, at the top, are
 * popped.  LUA_OK on success. */
int fpl_protected_rawset(lua_State *L);
/* objs[h] = value at idx (or nil if idx is 0), and the same in keep. */
int fpl_tstate_remember(lua_State *L, int objs, int keep, fp_handle h,
                        int idx);
/* 1 if the tracker follows the object at idx (by handle h) as itself, not
 * an earlier object at a reused address (then reported dead first). */
int fpl_tstate_reconcile(lua_State *L, fp_tracker *t, int objs, fp_handle h,
                         int idx, double now);
/* The roots of a heap walk begun on w (lheapscan.c): the registry, the
 * running thread and the types' metatables, at most FPL_HEAP_ROOTS;
 * returns how many.  Their values are left on the stack. */
#define FPL_HEAP_ROOTS 8
size_t fpl_heap_roots(fpl_walk *w, fp_handle *roots);
/* m: class table -> index + 1, from the tracker's class table at index
 * classes.  -1 when memory ran out. */
int fpl_load_classes(lua_State *L, fpl_map *m, int classes);
/* Walk the reachable heap (lheapscan.c): track new instances, report dead
 * the objects not reached; *total gets the size of everything reached.
 * With a census (else NULL), the walk also counts every object into it. */
fp_status fpl_heap_scan(lua_State *L, fpl_tstate *S, fp_tracker *t,
                        fpl_census *census, uint64_t *total);

#endif /* FP_LINTERNAL_H */
