/*
 * lwalk.c - one measurement of Lua values, whichever walk runs it: its
 * options, its roots, the shared values it stops at, and its lifetime
 * around the walks (lhostwalk.c, lcorewalk.c).  Two rules keep a walk
 * safe:
 *
 *  - No code of the measured program runs: only raw accesses (lua_next,
 *    lua_rawgeti, lua_getmetatable, the debug API), never metamethods.  The
 *    caller stops the collector for the walk, so no finalizer runs either
 *    and no weak entry is cleared under it.
 *  - No Lua error crosses the core's C frames.  Nothing the callbacks call
 *    raises: the Lua allocations a walk makes (growing the anchor, making
 *    the work thread, reading a prototype) happen in protected calls or
 *    through lua_checkstack, which returns false rather than raising.
 *    Failures become FP_ENOMEM.
 */
#include "linternal.h"

#include <stdlib.h>
#include <string.h>

void fpl_opts_init(fpl_opts *o)
{
    o->align = 1;
    o->limit = FP_NO_LIMIT;
    o->metatables = 0;
    o->shared = 1;
    o->code = 0;
    o->exact_arrays = 1;
}

void fpl_walk_init(fpl_walk *w)
{
    memset(w, 0, sizeof *w);
    fpl_opts_init(&w->opts);
    fpl_map_init(&w->shared);
    fpl_map_init(&w->roots);
    fpl_map_init(&w->protos.map);
}

void fpl_walk_free(fpl_walk *w)
{
    fpl_map_free(&w->shared);
    fpl_map_free(&w->roots);
    fpl_anchor_free(&w->anchor);
    fpl_corewalk_free(w);
    fpl_protos_free(&w->protos);
    memset(w, 0, sizeof *w);
}

void fpl_walk_begin(fpl_walk *w, lua_State *L, const fpl_opts *opts)
{
    w->L = L;
    if (opts)
        w->opts = *opts;
    luaL_checkstack(L, 40, "footprint");
    fpl_anchor_open(w);
    w->oom = 0;
    w->host.work = w->host.home = NULL;
    w->dedup_strings = 0;
    memset(w->strcache, 0, sizeof w->strcache);
    fpl_map_clear(&w->shared);
    fpl_map_clear(&w->roots);
    fpl_protos_clear(&w->protos);
    /* The anchor sits on this thread's stack, where sizing the running
     * thread would find it: it is never followed. */
    fpl_walk_stop_at(w, w->anchor.index);
    fpl_corewalk_begin(w); /* the roots, added next */
}

void fpl_walk_end(fpl_walk *w)
{
    if (w->L && w->anchor.index) /* and the work thread above it */
        lua_settop(w->L, w->anchor.index - 1);
    w->anchor.index = 0;
    w->anchor.top = 0;
    w->host.work = NULL;
    fpl_corewalk_end(w);
    fpl_map_clear(&w->shared);
    fpl_map_clear(&w->roots);
    fpl_protos_clear(&w->protos);
}

void fpl_walk_unwound(fpl_walk *w)
{
    w->anchor.index = 0;
    fpl_walk_end(w);
}

fp_handle fpl_walk_root(fpl_walk *w, int idx)
{
    lua_State *L = w->L;
    int t = lua_type(L, idx);
    size_t len = 0;
    const void *p = fpl_object_at(L, idx, t, &len);
    uint32_t *slot;
    int st;

    if (!p)
        return 0;
    idx = lua_absindex(L, idx);
    if (t == LUA_TSTRING)
        st = fpl_anchor_add(w, idx, p, FPL_E_OF_TYPE(t) | FPL_E_LEAF,
                            fpl_model_string(len));
    else
        st = fpl_anchor_add(w, idx, p, fpl_entry_flags(t), 0);
    if (st < 0)
        return 0;
    fpl_corewalk_root(w);
    /* Roots are followed even if shared: the few lookups of shared
     * objects check this set. */
    if (fpl_map_put(&w->roots, p, &slot) < 0) {
        w->oom = 1;
        return 0;
    }
    *slot = (uint32_t)w->anchor.top; /* its entry, for the host-driven walk */
    return (fp_handle)p;
}

int fpl_walk_stop_at(fpl_walk *w, int idx)
{
    const void *p = fpl_object_ptr(w->L, idx);
    uint32_t *slot;

    if (!p)
        return 0;
    if (fpl_map_put(&w->shared, p, &slot) < 0) {
        w->oom = 1;
        return -1;
    }
    *slot = 1;
    return 0;
}

int fpl_walk_mark_shared(fpl_walk *w)
{
    lua_State *L = w->L;
    int top = lua_gettop(L), loaded, r = 0;

    lua_pushvalue(L, LUA_REGISTRYINDEX);
    r |= fpl_walk_stop_at(w, -1);
    lua_rawgeti(L, LUA_REGISTRYINDEX, LUA_RIDX_GLOBALS);
    r |= fpl_walk_stop_at(w, -1);
    lua_rawgeti(L, LUA_REGISTRYINDEX, LUA_RIDX_MAINTHREAD);
    r |= fpl_walk_stop_at(w, -1);
    /* Named metatables and library tables live under string keys of the
     * registry; package.loaded holds every module. */
    lua_pushnil(L);
    while (lua_next(L, LUA_REGISTRYINDEX)) {
        if (lua_type(L, -2) == LUA_TSTRING && lua_type(L, -1) == LUA_TTABLE)
            r |= fpl_walk_stop_at(w, -1);
        lua_pop(L, 1);
    }
    lua_pushliteral(L, LUA_LOADED_TABLE);
    lua_rawget(L, LUA_REGISTRYINDEX);
    loaded = lua_gettop(L);
    if (lua_type(L, loaded) == LUA_TTABLE) {
        lua_pushnil(L);
        while (lua_next(L, loaded)) {
            r |= fpl_walk_stop_at(w, -1);
            lua_pop(L, 1);
        }
    }
    lua_settop(L, top);
    return r;
}
