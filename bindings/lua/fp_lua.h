/*
 * fp_lua.h - the Lua 5.4 adapter: what its files share.
 *
 * Handles are addresses (lua_topointer), so the core's visited set does
 * all the deduplication.  Lua's public API gives no way back from an
 * address to a value.  Plain sizing therefore walks by itself (the core's
 * fp_sizer_walk; lwalk.c, "host-driven walks"): a referent is scanned
 * while lua_next has it on the stack.  When the core drives (limits,
 * detail trees, prototypes), the values it may ask about wait in an
 * anchor array (a Lua table at a fixed stack slot) laid out as a mirror
 * of the core's stack: the referents of an object
 * form one level, levels stack up depth first.  The core takes a level's
 * referents first to last (its documented recursive-walk order), so the
 * handle it asks about next is the next entry of the top level that it did
 * not skip, or, once that level is done, of a level below: finding it is a
 * pointer compare, no hashing.  A linear search backs that up.
 *
 * Nothing here includes Lua's private headers: sizes come from the model in
 * lmodel.c (docs/lua.md), built from counts the public API can see.
 */
#ifndef FP_LUA_H
#define FP_LUA_H

#include <stddef.h>
#include <stdint.h>

#include <lauxlib.h>
#include <lua.h>

#include "footprint.h"

#if LUA_VERSION_NUM != 504
#error "the footprint Lua adapter models Lua 5.4's object layout"
#endif

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

/* ---- one measurement (lwalk.c) ---- */

/* Entry flags. */
enum {
    FPL_E_LEAF = 1u << 0,    /* string: flat size in aux */
    FPL_E_UPVAL = 1u << 1,   /* an UpVal: the anchor holds its value */
    FPL_E_PROTO = 1u << 2,   /* a prototype: aux indexes protos */
    FPL_E_SHAREABLE = 1u << 3 /* a table or thread: may be a shared one */
};
/* The upper four bits of an entry's flags hold its Lua type. */
#define FPL_E_TYPE(f) ((int)((f) >> 4))
#define FPL_E_OF_TYPE(t) ((unsigned)(t) << 4)

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

/* A prototype met while code is on: its flat size and its referents,
 * refs[first, first + n): nested prototypes and interned strings. */
typedef struct fpl_proto {
    size_t flat;
    size_t first, n;
} fpl_proto;

/* A referent of a prototype: another prototype's handle, or an interned
 * string's text (pool[off, off + len)), found again by interning it. */
typedef struct fpl_pref {
    fp_handle proto; /* 0 for a string */
    size_t off, len;
} fpl_pref;

/* A level: entries [start, end] of the anchor; cursor is the next entry
 * the core has not asked about. */
typedef struct fpl_level {
    size_t start, end, cursor;
} fpl_level;

typedef struct fpl_walk fpl_walk;

/* Called for every table or full userdata inspected whose metatable is
 * not nil (the tracker's instance finder), with the value at idx and its
 * metatable on top of the stack.  Must not raise. */
typedef void (*fpl_meta_hook)(fpl_walk *w, int idx);

struct fpl_walk {
    lua_State *L;
    fpl_opts opts;
    int anchor;          /* stack index of the anchor array */
    size_t acap;         /* its preallocated array size */
    size_t amax;         /* highest anchor slot written */
    /* entry i (1-based) is anchor slot i */
    const void **eptr;   /* the handle */
    size_t *eaux;        /* flat size of a leaf, index of a prototype */
    uint8_t *eflags;
    size_t ecap, etop;
    size_t ehigh;        /* highest entry made */
    fpl_level *lv;
    size_t nlv, lvcap;
    fp_handle prepared_h; /* object whose referents are the top level */
    size_t prepared_i;   /* and its entry */
    size_t replay;       /* entry being reported by referents() */
    int in_referents;    /* inspect called back from inside referents */
    fpl_map shared;      /* addresses of shared tables: skipped */
    fpl_map roots;       /* addresses of the roots: never skipped */
    fpl_map protomap;    /* prototype handle -> index + 1 */
    fpl_proto *protos;
    size_t nprotos, protos_cap;
    fpl_pref *prefs;
    size_t nprefs, prefs_cap;
    char *pool;          /* texts of prototype strings */
    size_t npool, pool_cap;
    unsigned char *dump; /* lua_dump output being read (lproto.c) */
    size_t dump_len, dump_cap;
    fpl_pref *tmp;       /* referents of the prototypes being read */
    size_t ntmp, tmp_cap;
    /* Strings reported by this walk, direct-mapped (a hit is certain, a
     * miss is not): with no limit and no detail tree, reporting a string
     * once is enough, the core counts it once anyway.  A host-driven walk
     * always uses it (it has neither); dedup_strings turns it on for a
     * core-driven one. */
    int dedup_strings;
    const void *strcache[1024];
    fpl_meta_hook meta_hook;
    void *hook_ctx;
    int oom;             /* a C allocation failed inside a callback */
    fp_sizer *push;      /* the sizer of a host-driven walk (lwalk.c) */
    lua_State *work;     /* the thread a host-driven walk runs on */
    lua_State *home;     /* while it runs: the caller's thread (L before) */
    int home_anchor;     /* and the anchor's index there */
};

/* The thread whose stack holds the caller's indices (the anchor, a hook's
 * context): L, or during a host-driven walk the thread L was before. */
static inline lua_State *fpl_walk_home(const fpl_walk *w)
{
    return w->home ? w->home : w->L;
}

/* The fp_host answering for a walk (ctx = the walk; no alive/describe). */
void fpl_walk_host(fpl_walk *w, fp_host *host);
void fpl_walk_init(fpl_walk *w);
void fpl_walk_free(fpl_walk *w);
/* Start a measurement on L: pushes the anchor table, opens the roots'
 * level.  Raises only if the stack cannot grow. */
void fpl_walk_begin(fpl_walk *w, lua_State *L, const fpl_opts *opts);
/* Forget the measurement's values (pops what begin pushed; after a Lua
 * error unwound the stack, set w->anchor = 0 first). */
void fpl_walk_end(fpl_walk *w);
/* Add the value at idx to the roots' level (before the walk starts) and
 * return its handle, 0 for values that are not objects (nil, booleans,
 * numbers, light userdata, light C functions).  0 with w->oom set when
 * memory ran out. */
fp_handle fpl_walk_root(fpl_walk *w, int idx);
/* The walk stops at this value (not counted, not followed) unless it is a
 * root.  -1 when memory ran out. */
int fpl_walk_stop_at(fpl_walk *w, int idx);
/* The shared tables: registry, _G, package.loaded and its modules, named
 * metatables, the main thread.  -1 when memory ran out. */
int fpl_walk_mark_shared(fpl_walk *w);
/* Append an entry for the value at idx with handle h (lproto.c). */
int fpl_walk_entry(fpl_walk *w, int idx, const void *h, unsigned flags,
                   size_t aux);

/* Host-driven walks (fp_sizer_walk): the adapter recurses through values
 * on the Lua stack instead of anchoring each one for the core.  Possible
 * for plain sizing: no depth limit, no detail tree, no prototypes (their
 * referents are found by interning strings, which allocates). */
int fpl_walk_can_push(const fpl_opts *o, int tree);
/* The fp_walk_fn: arg is the walk, begun and with its roots added. */
fp_status fpl_walk_push_root(void *arg, fp_sizer *s, fp_handle root);

/* Address of the value at idx as the core sees it (0: not an object). */
const void *fpl_object_ptr(lua_State *L, int idx);
/* A short description, never running code of the measured program:
 * "table: 0x...", "Point: 0x..." (__name), a clipped quoted string... */
size_t fpl_describe(lua_State *L, int idx, char *buf, size_t cap);
/* The name of a table entry as a detail tree shows it: ".x", "[1]",
 * "[\"a b\"]", "[table: 0x...]". */
size_t fpl_keyname(lua_State *L, int idx, char *buf, size_t cap);

/* Prototypes (lproto.c): with the Lua function at idx, register its
 * prototype (and nested ones) and return the prototype's handle (odd, so
 * never an address), 0 if it cannot be read. */
fp_handle fpl_proto_handle(fpl_walk *w, int idx);
/* Append entries for the referents of prototype number i. */
int fpl_proto_entries(fpl_walk *w, size_t i);

/* ---- the Lua functions (lsizer.c, ltracker.c) ---- */
int fpl_sizeof(lua_State *L);
int fpl_sizesof(lua_State *L);
int fpl_sized(lua_State *L);
int fpl_sizer_new(lua_State *L);
int fpl_flatsize(lua_State *L);
int fpl_stats(lua_State *L);
void fpl_sizer_open(lua_State *L);
void fpl_tracker_open(lua_State *L);
/* Push the state userdata of a new Lua tracker; *host is the fp_host its
 * core tracker must be made with. */
void *fpl_tstate_new(lua_State *L, fp_host *host);
/* Tie that state to the core tracker made with host. */
void fpl_tstate_attach(void *state, fp_tracker *t);
/* The Tracker methods swig/lua.i adds: the Tracker is at stack index 1,
 * arguments at the indices given (0: absent); they return how many values
 * they pushed. */
int fpl_tracker_track_class(fp_tracker *t, lua_State *L, int cls, int name,
                            int opts);
int fpl_tracker_track_object(fp_tracker *t, lua_State *L, int obj, int name,
                             int opts);
int fpl_tracker_snapshot(fp_tracker *t, lua_State *L, int desc);
int fpl_tracker_scan(fp_tracker *t, lua_State *L);
/* clear: also forget objects and snapshots (t:clear()). */
int fpl_tracker_detach_all(fp_tracker *t, lua_State *L, int clear);
int fpl_tracker_summary(fp_tracker *t, lua_State *L);
int fpl_tracker_dump_file(fp_tracker *t, lua_State *L, int path);
int fpl_tracker_html(fp_tracker *t, lua_State *L, int path, int title);

#endif /* FP_LUA_H */
