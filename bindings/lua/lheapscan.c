/*
 * lheapscan.c - the tracker's heap scan: the instances of tracked classes
 * found by a walk of everything reachable, and the deaths of tracked
 * objects the walk no longer reaches.
 *
 * Lua has no construction hook (a class is a table used as its instances'
 * metatable; setmetatable is often a cached local, C code calls
 * lua_setmetatable), so instances are found by a host-driven walk
 * (lhostwalk.c) from the registry (which holds the main thread, its
 * stack, _G and every module), the running thread and the types'
 * metatables, following metatables: at track_class, at scan() and before
 * each snapshot.  The walk's hook sees every object that has a metatable;
 * an object of a tracked class becomes a candidate, tracked once the walk
 * is over.  Whatever the walk did not reach is garbage: a tracked object
 * among it is reported dead at that snapshot, whether or not the collector
 * has freed it yet.  The walk's total is the snapshot's asizeof total.
 * A census (lcensus.c) counts every object this walk meets: alone for
 * footprint.census, or alongside a snapshot's instance finding.
 *
 * A subclass is a table whose metatable's __index (or whose metatable
 * itself) is the parent class: an instance belongs to the most derived
 * tracked class on that chain.  So a subclass's own table looks like an
 * instance of its parent: a table that some object uses as metatable, or
 * that has an __index field of its own, is taken for a class instead.
 */
#include "linternal.h"

#define NOT_A_CLASS UINT32_MAX
#define CHAIN_MAX 16

/* Types whose metatable is a root: what only it reaches (the string
 * library's) is reachable. */
static const int kinds[] = {LUA_TNIL,    LUA_TBOOLEAN, LUA_TNUMBER,
                            LUA_TSTRING, LUA_TFUNCTION, LUA_TLIGHTUSERDATA};
#define MAX_ROOTS (2 + sizeof kinds / sizeof kinds[0])
_Static_assert(MAX_ROOTS <= FPL_HEAP_ROOTS, "FPL_HEAP_ROOTS too small");

/* The tracked class of the metatable on top of the stack, following
 * parents; index + 1, or 0.  Cached per walk. */
static uint32_t resolve(fpl_tstate *S, lua_State *L)
{
    const void *mt = lua_topointer(L, -1);
    uint32_t *slot, k = 0;
    int depth, top = lua_gettop(L);

    if (fpl_map_put(&S->resolved, mt, &slot) < 0)
        return 0;
    if (*slot)
        return *slot == NOT_A_CLASS ? 0 : *slot;
    lua_pushvalue(L, -1);
    for (depth = 0; depth < CHAIN_MAX && lua_type(L, -1) == LUA_TTABLE;
         depth++) {
        if ((k = fpl_map_get(&S->classes, lua_topointer(L, -1))) != 0)
            break;
        if (!lua_getmetatable(L, -1))
            break;
        /* setmetatable(Derived, {__index = Base}): the parent is __index;
         * setmetatable(Derived, Base): the metatable itself */
        lua_pushliteral(L, "__index");
        if (lua_rawget(L, -2) == LUA_TTABLE)
            lua_remove(L, -2);
        else
            lua_pop(L, 1);
        lua_remove(L, -2);
    }
    lua_settop(L, top);
    *slot = k ? k : NOT_A_CLASS;
    return k;
}

/* Push the value at index i of the caller's stack onto the walk's (which,
 * during a host-driven walk, is a thread of its own). */
static void push_home(fpl_walk *w, int i)
{
    lua_State *H = fpl_walk_home(w);

    lua_pushvalue(H, i);
    if (H != w->L)
        lua_xmove(H, w->L, 1);
}

/* The walk's hook: the object at idx has the metatable on top.  Every
 * metatable is noted; an object of a tracked class is noted as a
 * candidate, tracked after the walk unless it is some object's metatable
 * itself (a subclass's table looks like an instance of its parent). */
static void on_meta(fpl_walk *w, int idx)
{
    fpl_tstate *S = w->hook_ctx;
    lua_State *L = w->L;
    uint32_t *slot, k;
    const void *h;
    int obj, same;

    if (fpl_map_put(&S->metas, lua_topointer(L, -1), &slot) < 0) {
        S->failed = 1;
        return;
    }
    *slot = 1;
    if (!(k = resolve(S, L)))
        return;
    obj = lua_absindex(L, idx);
    /* Followed already, as this very object (not one that had its
     * address): track_found's conclusion, drawn here without the
     * candidate lists' two protected calls.  Every walk after the first
     * meets all instances so. */
    h = lua_topointer(L, obj);
    if (fp_tracker_is_tracked(S->t, (fp_handle)h)) {
        push_home(w, S->objs);
        same = fpl_tstate_reconcile(L, S->t, lua_gettop(L), (fp_handle)h,
                                    obj, S->now);
        lua_pop(L, 1);
        if (same)
            return;
    }
    push_home(w, S->cand);
    lua_pushinteger(L, (lua_Integer)++S->ncand);
    lua_pushvalue(L, obj);
    if (fpl_protected_rawset(L) != 0) {
        S->failed = 1;
        S->ncand--;
        return;
    }
    push_home(w, S->candcls);
    lua_pushinteger(L, (lua_Integer)S->ncand);
    lua_pushinteger(L, (lua_Integer)k - 1);
    if (fpl_protected_rawset(L) != 0)
        S->failed = 1;
}

/* A table with its own __index is a class (Class.__index = Class), even
 * before anything uses it as a metatable. */
static int is_classlike(lua_State *L, int obj)
{
    int r;

    if (lua_type(L, obj) != LUA_TTABLE)
        return 0;
    lua_pushliteral(L, "__index");
    r = lua_rawget(L, obj) != LUA_TNIL;
    lua_pop(L, 1);
    return r;
}

/* Track the candidates the walk found, in the order it found them. */
static void track_found(lua_State *L, fpl_tstate *S, fp_tracker *t)
{
    size_t i;
    char repr[128];

    for (i = 1; i <= S->ncand; i++) {
        fp_class_info ci;
        fp_handle h;
        size_t cls;
        int added = 0, obj;

        lua_rawgeti(L, S->cand, (lua_Integer)i);
        obj = lua_gettop(L);
        lua_rawgeti(L, S->candcls, (lua_Integer)i);
        cls = (size_t)lua_tointeger(L, -1);
        lua_pop(L, 1);
        h = (fp_handle)lua_topointer(L, obj);
        if (fpl_map_get(&S->metas, (const void *)h) || is_classlike(L, obj) ||
            fp_tracker_class_info(t, cls, &ci) != FP_OK ||
            fpl_tstate_reconcile(L, t, S->objs, h, obj, S->now)) {
            lua_pop(L, 1);
            continue;
        }
        fpl_describe(L, obj, repr, sizeof repr);
        if (fp_tracker_track(t, h, cls, S->now, ci.resolution_level, repr,
                             NULL, &added) == FP_OK &&
            fpl_tstate_remember(L, S->objs,
                                (ci.flags & FP_CLASS_KEEP) ? S->keep : 0, h,
                                obj) == 0)
            S->found += (size_t)added;
        lua_pop(L, 1);
    }
}

int fpl_load_classes(lua_State *L, fpl_map *m, int classes)
{
    lua_pushnil(L);
    while (lua_next(L, classes)) {
        uint32_t *slot;
        if (fpl_map_put(m, lua_topointer(L, -2), &slot) < 0) {
            lua_pop(L, 2);
            return -1;
        }
        *slot = (uint32_t)lua_tointeger(L, -1) + 1;
        lua_pop(L, 1);
    }
    return 0;
}

/* A value of the function type, to reach that type's metatable. */
static int any_function(lua_State *L)
{
    (void)L;
    return 0;
}

size_t fpl_heap_roots(fpl_walk *w, fp_handle *roots)
{
    lua_State *L = w->L;
    size_t n = 0, i;

    lua_pushvalue(L, LUA_REGISTRYINDEX);
    roots[n++] = fpl_walk_root(w, -1);
    lua_pushthread(L);
    roots[n++] = fpl_walk_root(w, -1);
    for (i = 0; i < sizeof kinds / sizeof kinds[0]; i++) {
        switch (kinds[i]) {
        case LUA_TNIL: lua_pushnil(L); break;
        case LUA_TBOOLEAN: lua_pushboolean(L, 0); break;
        case LUA_TNUMBER: lua_pushinteger(L, 0); break;
        case LUA_TSTRING: lua_pushliteral(L, ""); break;
        case LUA_TFUNCTION: lua_pushcfunction(L, any_function); break;
        default: lua_pushlightuserdata(L, NULL); break;
        }
        if (lua_getmetatable(L, -1))
            roots[n++] = fpl_walk_root(w, -1);
    }
    return n;
}

/* Begin the walk: everything reachable, metatables followed, the hook
 * on; it stops at the tracker's own tables. */
static void begin_walk(lua_State *L, fpl_tstate *S, fp_tracker *t)
{
    fpl_opts o;

    fpl_opts_init(&o);
    o.shared = 0;     /* everything reachable */
    o.metatables = 1; /* classes, and what only they reach */
    fpl_walk_begin(&S->scan, L, &o);
    S->scan.meta_hook = on_meta;
    S->scan.hook_ctx = S;
    S->t = t;
    S->found = 0;
    S->failed = 0;
    /* weak, it keeps nothing alive; the candidate lists are the walk's */
    fpl_walk_stop_at(&S->scan, S->objs);
    fpl_walk_stop_at(&S->scan, S->cand);
    fpl_walk_stop_at(&S->scan, S->candcls);
}

/* Alive: still in objs (not collected) and reached by the walk.  A
 * collected object's address may hold a new object the walk reached, so
 * the walk alone cannot tell. */
static void record_deaths(lua_State *L, fpl_tstate *S, fp_tracker *t)
{
    size_t i, n = fp_tracker_object_count(t);

    for (i = 0; i < n; i++) {
        fp_object_info oi;
        size_t live;
        int collected;
        if (fp_tracker_object_info(t, i, &oi) != FP_OK || oi.dead ||
            fp_tracker_object_index(t, oi.addr, &live) != FP_OK ||
            live != i)
            continue;
        collected = lua_rawgetp(L, S->objs, (void *)oi.addr) == LUA_TNIL;
        lua_pop(L, 1);
        if (!collected && fp_sizer_seen(S->walker, oi.addr))
            continue;
        fp_tracker_died(t, oi.addr, S->now);
        fpl_tstate_remember(L, S->objs, S->keep, oi.addr, 0);
    }
}

/* A snapshot's census leaves out the tracker taking it, as pympler's
 * SummaryTracker leaves itself out: the Tracker at index 1, its state
 * and the state's tables (walked all the same: keep holds instances). */
static fp_status exclude_tracker(lua_State *L, fpl_tstate *S,
                                 fpl_census *census, int classes)
{
    const void *own[5];
    size_t i;

    lua_getiuservalue(L, 1, 1);
    own[0] = lua_topointer(L, -1);
    lua_pop(L, 1);
    own[1] = lua_topointer(L, 1);
    own[2] = lua_topointer(L, S->objs);
    own[3] = lua_topointer(L, S->keep);
    own[4] = lua_topointer(L, classes);
    for (i = 0; i < sizeof own / sizeof own[0]; i++)
        if (fp_census_exclude(census->census, (fp_handle)own[i]) != FP_OK)
            return FP_ENOMEM;
    return FP_OK;
}

/* In a protected call with the collector stopped. */
fp_status fpl_heap_scan(lua_State *L, fpl_tstate *S, fp_tracker *t,
                        fpl_census *census, uint64_t *total)
{
    fp_handle roots[MAX_ROOTS];
    size_t nroots;
    int classes, top = lua_gettop(L);
    fp_stats st;
    fp_status rc;

    S->objs = fpl_tstate_push_uv(L, FPL_UV_OBJS);
    S->keep = fpl_tstate_push_uv(L, FPL_UV_KEEP);
    classes = fpl_tstate_push_uv(L, FPL_UV_CLASSES);
    fpl_map_clear(&S->classes);
    fpl_map_clear(&S->resolved);
    fpl_map_clear(&S->metas);
    lua_newtable(L);
    S->cand = lua_gettop(L);
    lua_newtable(L);
    S->candcls = lua_gettop(L);
    S->ncand = 0;
    if (fpl_load_classes(L, &S->classes, classes) < 0)
        return FP_ENOMEM;
    begin_walk(L, S, t);
    /* the census names groups by the classes just loaded */
    rc = census ? fpl_census_begin(census, &S->scan, &S->classes, t, 0)
                : FP_OK;
    if (rc == FP_OK && census)
        rc = exclude_tracker(L, S, census, classes);
    nroots = fpl_heap_roots(&S->scan, roots);
    fp_sizer_reset(S->walker);
    if (rc == FP_OK)
        rc = S->scan.oom ? FP_ENOMEM
                         : fp_sizer_walk(S->walker, roots, nroots, NULL,
                                         fpl_hostwalk_root, &S->scan);
    if (rc == FP_OK && census)
        rc = fpl_census_finish(census);
    fp_sizer_stats(S->walker, &st);
    *total = st.total;
    S->scan.meta_hook = NULL;
    S->scan.count_hook = NULL;
    fpl_walk_end(&S->scan);
    if (rc == FP_OK) {
        track_found(L, S, t);
        record_deaths(L, S, t);
    }
    fp_sizer_reset(S->walker);
    S->t = NULL;
    lua_settop(L, top);
    return rc;
}
