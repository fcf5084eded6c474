/*
 * lwalk.c - the fp_host that answers the core's questions for Lua values.
 *
 * See fp_lua.h for how handles map back to values.  Two rules keep a walk
 * safe:
 *
 *  - No code of the measured program runs: only raw accesses (lua_next,
 *    lua_rawgeti, lua_getmetatable, the debug API), never metamethods.  The
 *    caller stops the collector for the walk, so no finalizer runs either
 *    and no weak entry is cleared under it.
 *  - No Lua error crosses the core's C frames.  Nothing the callbacks call
 *    raises: the one allocation a walk makes in Lua, growing the anchor
 *    array, is done in a protected call at each power of two, and the
 *    array part between is preallocated (the anchor never has holes, so
 *    Lua's rehash always doubles it).  Failures become FP_ENOMEM.
 *
 * inspect reads an object once: one pass counts what the size model needs
 * and appends the referents as the next level, which referents() then
 * reports.  Only a detail tree (names) reads the object a second time.
 */
#include "fp_lua.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The anchor's first array part.  A host-driven walk puts only its roots
 * and the rare objects past its recursion bound there, and a small call
 * should not pay for a big table; later walks start at what the last one
 * needed. */
#define FPL_ANCHOR_MIN 32u
/* Levels of a thread read one by one; deeper levels are counted only
 * (lua_getstack costs O(level), reading them all would be quadratic). */
#define FPL_MAX_FRAMES 16384
#define FPL_NAME_CAP 160

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
    fpl_map_init(&w->protomap);
}

void fpl_walk_free(fpl_walk *w)
{
    fpl_map_free(&w->shared);
    fpl_map_free(&w->roots);
    fpl_map_free(&w->protomap);
    free(w->eptr);
    free(w->eaux);
    free(w->eflags);
    free(w->lv);
    free(w->protos);
    free(w->prefs);
    free(w->pool);
    free(w->dump);
    free(w->tmp);
    memset(w, 0, sizeof *w);
}

/* The handle of the value at idx, whose type is t; NULL if not an object.
 * A string is named by its contents, which lua_tolstring gives with the
 * length in one call: a fixed offset into the string object, so as unique
 * as its address. */
static const void *object_ptr(lua_State *L, int idx, int t, size_t *len)
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

const void *fpl_object_ptr(lua_State *L, int idx)
{
    size_t len;
    return object_ptr(L, idx, lua_type(L, idx), &len);
}

/* ---- the anchor and its entries ---- */

/* t[k] = v one past the array part: Lua's rehash doubles the array (every
 * slot below is in use), which may raise a memory error. */
static int anchor_grow(lua_State *L)
{
    lua_Integer k = lua_tointeger(L, 3);
    lua_settop(L, 2);
    lua_rawseti(L, 1, k);
    return 0;
}

/* anchor[k] = value at idx (absolute).  -1 on memory failure. */
static int anchor_set(fpl_walk *w, int idx, size_t k)
{
    lua_State *L = w->L;

    if (k <= w->acap) {
        lua_pushvalue(L, idx);
        lua_rawseti(L, w->anchor, (lua_Integer)k);
        return 0;
    }
    lua_pushcfunction(L, anchor_grow);
    lua_pushvalue(L, w->anchor);
    lua_pushvalue(L, idx);
    lua_pushinteger(L, (lua_Integer)k);
    if (lua_pcall(L, 3, 0, 0) != LUA_OK) {
        lua_pop(L, 1);
        return -1;
    }
    w->acap *= 2;
    return 0;
}

/* anchor[k] = the value on top, which is popped.  -1 on memory failure
 * (the value is popped all the same). */
static int anchor_take(fpl_walk *w, size_t k)
{
    lua_State *L = w->L;
    int st;

    if (k <= w->acap) {
        lua_rawseti(L, w->anchor, (lua_Integer)k);
        return 0;
    }
    lua_pushcfunction(L, anchor_grow);
    lua_pushvalue(L, w->anchor);
    lua_pushvalue(L, -3);
    lua_pushinteger(L, (lua_Integer)k);
    st = lua_pcall(L, 3, 0, 0);
    lua_settop(L, st == LUA_OK ? -2 : -3);
    if (st != LUA_OK)
        return -1;
    w->acap *= 2;
    return 0;
}

static int grow_entries(fpl_walk *w)
{
    size_t cap = w->ecap ? w->ecap * 2 : 4096;
    const void **p;
    size_t *a;
    uint8_t *f;

    if (cap > SIZE_MAX / sizeof *a)
        return -1;
    if (!(p = realloc(w->eptr, cap * sizeof *p)))
        return -1;
    w->eptr = p;
    if (!(a = realloc(w->eaux, cap * sizeof *a)))
        return -1;
    w->eaux = a;
    if (!(f = realloc(w->eflags, cap)))
        return -1;
    w->eflags = f;
    w->ecap = cap;
    return 0;
}

int fpl_walk_entry(fpl_walk *w, int idx, const void *h, unsigned flags,
                   size_t aux)
{
    size_t k = w->etop + 1;

    if (k >= w->ecap && grow_entries(w) < 0)
        goto oom;
    /* A leaf is never fetched: a slot that already holds a value (from an
     * earlier level) can keep it. */
    if (k > w->amax || !(flags & FPL_E_LEAF)) {
        if (anchor_set(w, idx, k) < 0)
            goto oom;
        if (k > w->amax)
            w->amax = k;
    }
    w->eptr[k] = h;
    w->eaux[k] = aux;
    w->eflags[k] = (uint8_t)flags;
    w->etop = k;
    if (k > w->ehigh)
        w->ehigh = k;
    return 0;
oom:
    w->oom = 1;
    return -1;
}

static int absindex(lua_State *L, int idx)
{
    return idx > 0 || idx <= LUA_REGISTRYINDEX ? idx : lua_gettop(L) + idx + 1;
}

/* An entry for the value at idx if it is an object; its handle or 0. */
static const void *entry_for(fpl_walk *w, int idx, unsigned flags)
{
    lua_State *L = w->L;
    int t = lua_type(L, idx);
    size_t len = 0;
    const void *p = object_ptr(L, idx, t, &len);

    if (!p)
        return NULL;
    flags |= FPL_E_OF_TYPE(t);
    if (t == LUA_TSTRING)
        return fpl_walk_entry(w, absindex(L, idx), p, flags | FPL_E_LEAF,
                              fpl_model_string(len)) < 0 ? NULL : p;
    if (t == LUA_TTABLE || t == LUA_TTHREAD)
        flags |= FPL_E_SHAREABLE;
    return fpl_walk_entry(w, absindex(L, idx), p, flags, 0) < 0 ? NULL : p;
}

static int push_level(fpl_walk *w, size_t start)
{
    fpl_level *l;

    if (w->nlv == w->lvcap) {
        size_t cap = w->lvcap ? w->lvcap * 2 : 256;
        fpl_level *p = realloc(w->lv, cap * sizeof *p);
        if (!p) {
            w->oom = 1;
            return -1;
        }
        w->lv = p;
        w->lvcap = cap;
    }
    l = &w->lv[w->nlv++];
    l->start = l->cursor = start;
    l->end = w->etop;
    return 0;
}

void fpl_walk_begin(fpl_walk *w, lua_State *L, const fpl_opts *opts)
{
    w->L = L;
    if (opts)
        w->opts = *opts;
    luaL_checkstack(L, 40, "footprint");
    /* A sizer is often called on similar data: start the anchor at the
     * size the last walk needed, rather than double it up again. */
    w->acap = FPL_ANCHOR_MIN;
    while (w->acap < w->amax && w->acap < (size_t)1 << 22)
        w->acap *= 2;
    lua_createtable(L, (int)w->acap, 0);
    w->anchor = lua_gettop(L);
    w->amax = w->ehigh = 0;
    w->etop = 0;
    w->nlv = 0;
    w->prepared_h = 0;
    w->replay = 0;
    w->in_referents = 0;
    w->nprotos = w->nprefs = w->npool = w->ntmp = 0;
    w->oom = 0;
    w->work = w->home = NULL;
    w->dedup_strings = 0;
    memset(w->strcache, 0, sizeof w->strcache);
    fpl_map_clear(&w->shared);
    fpl_map_clear(&w->roots);
    fpl_map_clear(&w->protomap);
    /* The anchor sits on this thread's stack, where sizing the running
     * thread would find it: it is never followed. */
    fpl_walk_stop_at(w, w->anchor);
    push_level(w, 1); /* the roots, added next */
}

void fpl_walk_end(fpl_walk *w)
{
    if (w->L && w->anchor)
        lua_settop(w->L, w->anchor - 1); /* and the work thread above it */
    w->anchor = 0;
    w->work = NULL;
    w->etop = w->nlv = 0;
    w->prepared_h = 0;
    fpl_map_clear(&w->shared);
    fpl_map_clear(&w->roots);
    fpl_map_clear(&w->protomap);
}

fp_handle fpl_walk_root(fpl_walk *w, int idx)
{
    const void *p = entry_for(w, idx, 0);
    uint32_t *slot;

    if (!p)
        return 0;
    w->lv[0].end = w->etop;
    /* Roots are followed even if shared: the few lookups of shared
     * objects check this set. */
    if (fpl_map_put(&w->roots, p, &slot) < 0) {
        w->oom = 1;
        return 0;
    }
    *slot = (uint32_t)w->etop; /* its entry, for fpl_walk_push_root */
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

/*
 * The entry of handle h, which the core is about to inspect: the next
 * entry of the top level it did not skip or, when that level is done, of
 * a level below (whose upper levels are then done too).  If the core ever
 * asked in another order, every entry made so far is searched.
 */
static size_t locate(fpl_walk *w, const void *h)
{
    size_t i, n;

    for (n = w->nlv; n > 0; n--) {
        fpl_level *l = &w->lv[n - 1];
        for (i = l->cursor; i <= l->end; i++)
            if (w->eptr[i] == h) {
                l->cursor = i + 1;
                w->nlv = n;
                w->etop = l->end;
                return i;
            }
    }
    for (i = 1; i <= w->ehigh; i++)
        if (w->eptr[i] == h)
            return i;
    return 0;
}

/* ---- reporting referents ---- */

enum { MODE_COUNT, MODE_COLLECT, MODE_NAMES, MODE_PUSH };

/* Where a scan sends referents: nowhere (a size only), new entries (the
 * next level), to the core with names (a detail tree; the entries were
 * made by the first pass, in the same order), or, in a host-driven walk,
 * straight into their own scan (see push_value). */
typedef struct emitter {
    fpl_walk *w;
    int mode;
    fp_visit_fn visit;
    void *arg;
    int stop;
    size_t depth;  /* MODE_PUSH: depth of the object being scanned */
    unsigned nest; /* MODE_PUSH: C recursion levels below this scan */
} emitter;

static void push_value(emitter *e, int idx, int t);
static void push_upval(emitter *e, int idx, const void *id);

static void emit(emitter *e, int idx, const void *h, unsigned flags,
                 size_t aux, const char *name)
{
    if (e->stop || !h)
        return;
    if (e->mode == MODE_COLLECT) {
        if (fpl_walk_entry(e->w, idx, h, flags, aux) < 0)
            e->stop = 1;
    } else if (e->mode == MODE_NAMES) {
        if (e->visit(e->arg, (fp_handle)h, name, name ? strlen(name) : 0))
            e->stop = 1;
    } else if (e->mode == MODE_PUSH && (flags & FPL_E_UPVAL)) {
        push_upval(e, idx, h); /* (no prototypes: fpl_walk_can_push) */
    }
}

/* Report the value at idx (absolute), of type t, if it is an object. */
static void emit_typed(emitter *e, int idx, int t, const char *name)
{
    fpl_walk *w = e->w;
    size_t len;
    const void *p;

    if (e->mode == MODE_PUSH) {
        push_value(e, idx, t);
        return;
    }
    if (e->mode == MODE_COUNT || e->stop ||
        !(p = object_ptr(w->L, idx, t, &len)))
        return;
    if (t == LUA_TSTRING) {
        if (w->dedup_strings && e->mode == MODE_COLLECT) {
            size_t slot = (size_t)(((uint64_t)(uintptr_t)p * 0x9E3779B97F4A7C15ull) >> 54);
            if (w->strcache[slot] == p)
                return;
            w->strcache[slot] = p;
        }
        emit(e, idx, p, FPL_E_LEAF | FPL_E_OF_TYPE(t),
             fpl_model_string(len), name);
    } else {
        emit(e, idx, p,
             (t == LUA_TTABLE || t == LUA_TTHREAD ? FPL_E_SHAREABLE : 0) |
                 FPL_E_OF_TYPE(t),
             0, name);
    }
}

/* The value on top, of type t >= LUA_TTABLE, as the next entry (e is
 * collecting): the anchor takes it straight from the top.  1 if it was
 * taken (popped), 0 if it is not an object (left). */
static int take_top(emitter *e, int idx, int t)
{
    fpl_walk *w = e->w;
    size_t len, k = w->etop + 1;
    const void *p;

    if (!(p = object_ptr(w->L, idx, t, &len)))
        return 0;
    if (k >= w->ecap && grow_entries(w) < 0) {
        w->oom = 1;
        e->stop = 1;
        return 0;
    }
    if (anchor_take(w, k) < 0) {
        w->oom = 1;
        e->stop = 1;
        return 1;
    }
    if (k > w->amax)
        w->amax = k;
    w->eptr[k] = p;
    w->eaux[k] = 0;
    w->eflags[k] =
        (uint8_t)((t == LUA_TTABLE || t == LUA_TTHREAD ? FPL_E_SHAREABLE : 0) |
                  FPL_E_OF_TYPE(t));
    w->etop = k;
    if (k > w->ehigh)
        w->ehigh = k;
    return 1;
}

static void emit_value(emitter *e, int idx, const char *name)
{
    if (e->mode != MODE_COUNT && !e->stop)
        emit_typed(e, idx, lua_type(e->w->L, idx), name);
}

/* ---- exact array sizes ---- */

static int probe_next(lua_State *L)
{
    lua_next(L, 1);
    return 0;
}

/*
 * The counts give the array size a rehash would choose.  A constructor or
 * lua_createtable sizes the array exactly instead ({1, 2, 3} has 3 slots,
 * the rule says 4).  lua_next tells them apart: given an absent integer
 * key, it carries on if the key is a slot of the array and raises
 * "invalid key to 'next'" if not.  One protected call, only for tables
 * whose estimated array has free slots at its end.
 */
static size_t exact_asize(fpl_walk *w, int t, const fpl_tcount *c,
                          size_t asize)
{
    lua_State *L = w->L;
    int present, st;

    if (c->maxint >= asize || !lua_checkstack(L, 4))
        return asize;
    present = lua_rawgeti(L, t, (lua_Integer)asize) != LUA_TNIL;
    lua_pop(L, 1);
    if (present)
        return asize;
    lua_pushcfunction(L, probe_next);
    lua_pushvalue(L, t);
    lua_pushinteger(L, (lua_Integer)asize);
    st = lua_pcall(L, 2, 0, 0);
    if (st == LUA_OK)
        return asize;
    lua_pop(L, 1);
    /* Not a slot: the array is smaller than a rehash would make it, so it
     * was sized exactly, and every integer key up to its size is in it. */
    return st == LUA_ERRRUN ? c->maxint : asize;
}

/* ---- one scan per kind: flat size, and referents to e ---- */

static void metatable(emitter *e, int obj)
{
    fpl_walk *w = e->w;
    lua_State *L = w->L;

    if ((!w->meta_hook && !w->opts.metatables) || !lua_getmetatable(L, obj))
        return;
    if (w->meta_hook && e->mode != MODE_NAMES)
        w->meta_hook(w, obj);
    if (w->opts.metatables)
        emit_value(e, lua_gettop(L), "(metatable)");
    lua_pop(L, 1);
}

/* A table's size from the counts of its entries; its metatable (e) is
 * reported last. */
static size_t table_size(emitter *e, int t, const fpl_tcount *c)
{
    fpl_walk *w = e->w;
    size_t asize, na;

    if (w->meta_hook || w->opts.metatables)
        metatable(e, t);
    if (e->mode == MODE_NAMES)
        return 0; /* the first pass gave the size */
    asize = fpl_model_asize(c, &na);
    if (w->opts.exact_arrays && asize > na) {
        size_t exact = exact_asize(w, t, c, asize);
        if (exact < asize) {
            asize = exact;
            na = c->nint; /* all integer keys fit below maxint */
        }
    }
    return fpl_model_table(asize, c->n - na);
}

/* A table in a host-driven walk: each referent is scanned as lua_next
 * leaves it on the stack.  Apart from scan_table, whose name buffers
 * would make each level of the recursion's C frames larger. */
static size_t push_table(emitter *e, int t)
{
    lua_State *L = e->w->L;
    fpl_tcount c;
    int key = lua_gettop(L) + 1;

    fpl_tcount_init(&c);
    lua_pushnil(L);
    while (lua_next(L, t)) {
        /* below LUA_TSTRING: nil, booleans, light userdata, numbers */
        int kt = lua_type(L, key), vt = lua_type(L, key + 1);
        fpl_tcount_entry(L, key, kt, &c);
        if (kt >= LUA_TSTRING)
            push_value(e, key, kt);
        if (vt >= LUA_TSTRING)
            push_value(e, key + 1, vt);
        lua_settop(L, key);
    }
    return table_size(e, t, &c);
}

static size_t scan_table(emitter *e, int t)
{
    lua_State *L = e->w->L;
    char name[FPL_NAME_CAP + 8], kname[FPL_NAME_CAP];
    fpl_tcount c;
    int key = lua_gettop(L) + 1;

    fpl_tcount_init(&c);
    lua_pushnil(L);
    if (e->mode == MODE_COLLECT) {
        while (lua_next(L, t)) {
            int kt = lua_type(L, key), vt = lua_type(L, key + 1);
            fpl_tcount_entry(L, key, kt, &c);
            if (kt >= LUA_TSTRING)
                emit_typed(e, key, kt, NULL);
            if (vt > LUA_TSTRING && !e->stop && take_top(e, key + 1, vt))
                continue;
            if (vt == LUA_TSTRING)
                emit_typed(e, key + 1, vt, NULL);
            lua_settop(L, key);
        }
    } else {
        while (lua_next(L, t)) {
            int kt = lua_type(L, key), vt = lua_type(L, key + 1);
            fpl_tcount_entry(L, key, kt, &c);
            if (e->mode == MODE_NAMES && !e->stop) {
                int kobj = fpl_object_ptr(L, key) != NULL;
                int vobj = fpl_object_ptr(L, key + 1) != NULL;
                if (kobj || vobj)
                    fpl_keyname(L, key, kname, sizeof kname);
                if (kobj) {
                    snprintf(name, sizeof name, "(key)%s", kname);
                    emit_typed(e, key, kt, name);
                }
                if (vobj)
                    emit_typed(e, key + 1, vt, kname);
            }
            lua_settop(L, key);
        }
    }
    return table_size(e, t, &c);
}

static size_t scan_function(emitter *e, int f)
{
    fpl_walk *w = e->w;
    lua_State *L = w->L;
    char name[FPL_NAME_CAP];
    const char *up;
    int i, cfunc = lua_iscfunction(L, f);

    for (i = 1; (up = lua_getupvalue(L, f, i)) != NULL; i++) {
        int v = lua_gettop(L);
        if (e->mode == MODE_NAMES) {
            if (cfunc)
                snprintf(name, sizeof name, "(upvalue %d)", i);
            else
                snprintf(name, sizeof name, "(upvalue %s)", *up ? up : "?");
        }
        if (cfunc) {
            emit_value(e, v, name);
        } else if (e->mode != MODE_COUNT) {
            /* An upvalue of a Lua closure is an object of its own
             * (UpVal), shared by the closures that capture the same
             * variable; lua_upvalueid is its address.  The entry keeps
             * the upvalue's value (false for a non-object: the anchor
             * must not get holes). */
            if (e->mode != MODE_PUSH && !fpl_object_ptr(L, v)) {
                lua_pushboolean(L, 0);
                lua_replace(L, v);
            }
            emit(e, v, lua_upvalueid(L, f, i), FPL_E_UPVAL, 0, name);
        }
        lua_pop(L, 1);
    }
    if (cfunc)
        return fpl_model_cclosure(i - 1);
    if (w->opts.code && e->mode != MODE_COUNT && !e->stop) {
        fp_handle h = fpl_proto_handle(w, f);
        uint32_t k = h ? fpl_map_get(&w->protomap, (const void *)h) : 0;
        if (w->oom)
            e->stop = 1;
        if (k) {
            lua_pushboolean(L, 0); /* a prototype has no value */
            emit(e, lua_gettop(L), (const void *)h, FPL_E_PROTO, k - 1,
                 "(prototype)");
            lua_pop(L, 1);
        }
    }
    return fpl_model_lclosure(i - 1);
}

static size_t scan_userdata(emitter *e, int u)
{
    lua_State *L = e->w->L;
    char name[FPL_NAME_CAP];
    int i;

    for (i = 1; lua_getiuservalue(L, u, i) != LUA_TNONE; i++) {
        if (e->mode == MODE_NAMES)
            snprintf(name, sizeof name, "(uservalue %d)", i);
        emit_value(e, lua_gettop(L), name);
        lua_pop(L, 1);
    }
    lua_pop(L, 1);
    metatable(e, u);
    return fpl_model_udata(lua_rawlen(L, u), i - 1);
}

/* Move the value on top of co's stack to L's and report it. */
static void emit_moved(emitter *e, lua_State *co, const char *name)
{
    lua_State *L = e->w->L;

    if (co != L)
        lua_xmove(co, L, 1);
    emit_value(e, lua_gettop(L), name);
    lua_pop(L, 1);
}

/*
 * A thread's referents are what its stack holds: each level's function,
 * locals and temporaries ("(temporary)", "(C temporary)" slots through
 * lua_getlocal) and varargs; a coroutine not yet started holds its
 * function and arguments, read by index.  The same counts estimate the
 * stack size.
 */
static size_t scan_thread(emitter *e, int idx)
{
    fpl_walk *w = e->w;
    lua_State *L = w->L, *co = lua_tothread(L, idx);
    char name[FPL_NAME_CAP];
    size_t slots = 0, frames = 0;
    lua_Debug ar;
    int level;

    if (!lua_checkstack(L, 4) || (co != L && !lua_checkstack(co, 2)))
        return fpl_model_thread(0, 0);
    for (level = 0; level < FPL_MAX_FRAMES && lua_getstack(co, level, &ar);
         level++) {
        const char *local;
        /* The caller's own level 0 is the measurement's C function: its
         * slots above the anchor are the walk's (its temporaries, a
         * host-driven walk's thread), not the program's. */
        int i, last = co == fpl_walk_home(w) && level == 0
                          ? (w->home ? w->home_anchor : w->anchor)
                          : INT_MAX;

        frames++;
        slots++;
        if (e->mode != MODE_COUNT) {
            lua_getinfo(co, "f", &ar);
            if (e->mode == MODE_NAMES)
                snprintf(name, sizeof name, "(level %d function)", level);
            emit_moved(e, co, name);
        }
        for (i = 1; i <= last && (local = lua_getlocal(co, &ar, i)) != NULL;
             i++) {
            slots++;
            if (e->mode == MODE_NAMES)
                snprintf(name, sizeof name, "(level %d %s)", level, local);
            if (e->mode == MODE_COUNT)
                lua_pop(co, 1);
            else
                emit_moved(e, co, name);
        }
        for (i = -1; lua_getlocal(co, &ar, i) != NULL; i--) {
            slots++;
            if (e->mode == MODE_NAMES)
                snprintf(name, sizeof name, "(level %d vararg %d)", level,
                         -i);
            if (e->mode == MODE_COUNT)
                lua_pop(co, 1);
            else
                emit_moved(e, co, name);
        }
    }
    if (level == FPL_MAX_FRAMES) {
        /* Count the rest in O(depth log depth): double, then bisect. */
        int lo = level, hi = level * 2;
        while (lua_getstack(co, hi, &ar))
            lo = hi, hi *= 2;
        while (hi - lo > 1) {
            int mid = lo + (hi - lo) / 2;
            if (lua_getstack(co, mid, &ar))
                lo = mid;
            else
                hi = mid;
        }
        /* levels not read: as big as the read ones on average */
        slots += slots / frames * (size_t)(lo + 1 - level);
        frames = (size_t)lo + 1;
    }
    if (frames == 0 && co != L) {
        int i, n = lua_gettop(co);
        for (i = 1; i <= n; i++) {
            slots++;
            if (e->mode == MODE_COUNT)
                continue;
            lua_pushvalue(co, i);
            if (e->mode == MODE_NAMES)
                snprintf(name, sizeof name, "(stack %d)", i);
            emit_moved(e, co, name);
        }
    }
    /* each level may reserve LUA_MINSTACK slots beyond its top */
    return fpl_model_thread(slots + (frames ? LUA_MINSTACK : 0), frames);
}

/* Scan the value at idx, of type t: its flat size, referents to e. */
static size_t scan(emitter *e, int idx, int t, fp_info *info)
{
    switch (t) {
    case LUA_TTABLE:
        return e->mode == MODE_PUSH ? push_table(e, idx) : scan_table(e, idx);
    case LUA_TFUNCTION:
        return scan_function(e, idx);
    case LUA_TUSERDATA:
        return scan_userdata(e, idx);
    case LUA_TTHREAD:
        return scan_thread(e, idx);
    default: /* not an object (a root may be anything) */
        if (info)
            info->flags = FP_INFO_LEAF;
        return 0;
    }
}

/* ---- the host ---- */

static fp_status host_inspect(void *ctx, fp_handle h, fp_info *info)
{
    fpl_walk *w = ctx;
    lua_State *L = w->L;
    unsigned f;
    size_t i, start;
    emitter e;

    info->flat = 0;
    info->flags = 0;
    info->cls = 0;
    /* From inside referents (the depth limit asks about each referent):
     * it is the entry being reported; size only, add nothing. */
    if (w->in_referents && w->replay && w->eptr[w->replay] == (void *)h)
        i = w->replay;
    else if (w->in_referents)
        return FP_EHOST;
    else
        i = locate(w, (const void *)h);
    if (!i)
        return FP_EHOST;
    f = w->eflags[i];
    if (f & FPL_E_LEAF) {
        info->flat = w->eaux[i];
        info->flags = FP_INFO_LEAF;
        return FP_OK;
    }
    if ((f & FPL_E_SHAREABLE) && fpl_map_get(&w->shared, (const void *)h) &&
        !fpl_map_get(&w->roots, (const void *)h)) {
        info->flags = FP_INFO_SKIP;
        return FP_OK;
    }
    memset(&e, 0, sizeof e);
    e.w = w;
    e.mode = w->in_referents ? MODE_COUNT : MODE_COLLECT;
    start = w->etop + 1;
    if (f & FPL_E_PROTO) {
        info->flat = w->protos[w->eaux[i]].flat;
        if (e.mode == MODE_COLLECT && fpl_proto_entries(w, w->eaux[i]) < 0)
            return FP_ENOMEM;
    } else if (f & FPL_E_UPVAL) {
        info->flat = fpl_model_upval();
        if (e.mode == MODE_COLLECT) {
            lua_rawgeti(L, w->anchor, (lua_Integer)i);
            emit_value(&e, lua_gettop(L), NULL);
            lua_pop(L, 1);
        }
    } else {
        lua_rawgeti(L, w->anchor, (lua_Integer)i);
        info->flat = scan(&e, lua_gettop(L), FPL_E_TYPE(f), info);
        lua_settop(L, -2);
    }
    if (w->oom)
        return FP_ENOMEM;
    if (e.mode == MODE_COLLECT) {
        if (push_level(w, start) < 0)
            return FP_ENOMEM;
        w->prepared_h = h;
        w->prepared_i = i;
    }
    return FP_OK;
}

/* Report the top level, which inspect made for entry i, with names: a
 * second pass over the object in the same order. */
static fp_status report_named(fpl_walk *w, size_t i, const fpl_level *l,
                              fp_visit_fn visit, void *arg)
{
    lua_State *L = w->L;
    size_t j;
    emitter e;

    memset(&e, 0, sizeof e);
    e.w = w;
    e.mode = MODE_NAMES;
    e.visit = visit;
    e.arg = arg;
    if (w->eflags[i] & FPL_E_PROTO) {
        for (j = l->start; j <= l->end && !e.stop; j++)
            emit(&e, 0, w->eptr[j], 0, 0,
                 (w->eflags[j] & FPL_E_PROTO) ? "(prototype)" : "(string)");
        return FP_OK;
    }
    lua_rawgeti(L, w->anchor, (lua_Integer)i);
    if (w->eflags[i] & FPL_E_UPVAL)
        emit_value(&e, lua_gettop(L), "(value)");
    else
        scan(&e, lua_gettop(L), FPL_E_TYPE(w->eflags[i]), NULL);
    lua_pop(L, 1);
    return FP_OK;
}

static fp_status host_referents(void *ctx, fp_handle h, int want_names,
                                fp_visit_fn visit, void *arg)
{
    fpl_walk *w = ctx;
    fpl_level *l;
    fp_status st = FP_OK;
    size_t i;

    if (!w->nlv || w->prepared_h != h)
        return FP_EHOST; /* the core always asks right after inspect */
    l = &w->lv[w->nlv - 1];
    w->prepared_h = 0;
    w->in_referents++;
    if (want_names) {
        st = report_named(w, w->prepared_i, l, visit, arg);
    } else {
        for (i = l->start; i <= l->end; i++) {
            w->replay = i;
            if (visit(arg, (fp_handle)w->eptr[i], NULL, 0))
                break;
        }
        w->replay = 0;
    }
    w->in_referents--;
    return w->oom ? FP_ENOMEM : st;
}

/* ---- host-driven walks ----
 *
 * For plain sizing the core's protocol costs this host most of its time:
 * every referent is copied into the anchor so that inspect can fetch it
 * later.  With fp_sizer_walk the adapter recurses instead: lua_next leaves
 * a referent on the stack, the core says whether it is new, and if so it
 * is scanned right there, its parent's iteration waiting below it.  That
 * is the recursive order fp_sizer_size reproduces, so the figures are the
 * same.
 *
 * The recursion runs on a thread of its own: it holds two stack slots per
 * level, and growing the caller's stack would change the measured program
 * (a bigger stack until a collection shrinks it; collectgarbage("count")
 * sees it).  The work thread is garbage once the call ends.  C recursion is
 * bounded as Lua bounds its own (LUAI_MAXCCALLS, 200): an object deeper
 * below the root's scan waits in the anchor as an entry, its depth in aux,
 * and is scanned once the recursion has unwound.  That changes the order
 * of such deep branches, which changes no size or count, only which path
 * reaches a shared object first and so, possibly, stats.max_depth.
 */
#define FPL_PUSH_NEST 200
/* Each level holds at most two slots (a table's key and the value being
 * scanned); a leaf adds a few (exact_asize's probe, anchor_set's growth
 * call, the tracker's hook).  The root's scan reserves room for the first
 * FPL_PUSH_STEP levels, each level that is a multiple of it for the next
 * ones. */
#define FPL_PUSH_STEP 8
#define FPL_PUSH_SLOTS (2 * FPL_PUSH_STEP + 16)

int fpl_walk_can_push(const fpl_opts *o, int tree)
{
    return !tree && o->limit == FP_NO_LIMIT && !o->code;
}

/* The object at idx (absolute), of type t, which the core says to enter:
 * its referents first (through the scan), then its own size. */
static void push_enter(emitter *e, int idx, int t, const void *p)
{
    fpl_walk *w = e->w;
    emitter c;
    size_t flat;

    /* seen now, never counted: the core-driven walk's FP_INFO_SKIP */
    if ((t == LUA_TTABLE || t == LUA_TTHREAD) &&
        fpl_map_get(&w->shared, p))
        return;
    if (e->nest >= FPL_PUSH_NEST ||
        ((e->nest + 1) % FPL_PUSH_STEP == 0 &&
         !lua_checkstack(w->L, FPL_PUSH_SLOTS))) {
        if (fpl_walk_entry(w, idx, p, FPL_E_OF_TYPE(t), e->depth + 1) < 0)
            e->stop = 1;
        return;
    }
    c = *e;
    c.depth = e->depth + 1;
    c.nest = e->nest + 1;
    flat = scan(&c, idx, t, NULL);
    if (c.stop)
        e->stop = 1;
    fp_sizer_count(w->push, flat, c.depth);
}

/* A referent at idx (absolute) of type t, met by the scan e runs. */
static void push_value(emitter *e, int idx, int t)
{
    fpl_walk *w = e->w;
    size_t len, slot = 0;
    const void *p;
    int r;

    if (e->stop || !(p = object_ptr(w->L, idx, t, &len)))
        return;
    if (t == LUA_TSTRING) {
        /* a string sized already in this walk (only those: a reference to
         * an excluded one must reach the core, which counts it); no limit
         * or tree here, so the order strings are met in changes nothing */
        slot = (size_t)(((uint64_t)(uintptr_t)p * 0x9E3779B97F4A7C15ull) >>
                        54);
        if (w->strcache[slot] == p)
            return;
    }
    r = fp_sizer_visit(w->push, (fp_handle)p);
    if (r < 0) {
        w->oom = 1;
        e->stop = 1;
    } else if (r && t == LUA_TSTRING) {
        w->strcache[slot] = p;
        fp_sizer_count(w->push, fpl_model_string(len), e->depth + 1);
    } else if (r) {
        push_enter(e, idx, t, p);
    }
}

/* An upvalue of the Lua closure e scans, its value at idx. */
static void push_upval(emitter *e, int idx, const void *id)
{
    fpl_walk *w = e->w;
    emitter c;
    int r = fp_sizer_visit(w->push, (fp_handle)id);

    if (r < 0) {
        w->oom = 1;
        e->stop = 1;
    }
    if (r <= 0)
        return;
    fp_sizer_count(w->push, fpl_model_upval(), e->depth + 1);
    c = *e;
    c.depth = e->depth + 1;
    push_value(&c, idx, lua_type(w->L, idx));
    if (c.stop)
        e->stop = 1;
}

/* Entry k, entered at depth: a root or an object that waited. */
static void push_entry(emitter *e, size_t k, size_t depth)
{
    fpl_walk *w = e->w;
    lua_State *L = w->L;
    unsigned f = w->eflags[k];
    size_t flat;

    if (f & FPL_E_LEAF) {
        fp_sizer_count(w->push, w->eaux[k], depth);
        return;
    }
    lua_rawgeti(L, w->anchor, (lua_Integer)k);
    e->depth = depth;
    e->nest = 0;
    flat = scan(e, lua_gettop(L), FPL_E_TYPE(f), NULL);
    lua_pop(L, 1);
    fp_sizer_count(w->push, flat, depth);
}

static int new_work_thread(lua_State *L)
{
    lua_newthread(L);
    return 1;
}

/* The work thread, made once per walk (in a protected call: it
 * allocates), above the anchor on the caller's stack, the anchor at its
 * index 1.  0, or -1 when memory ran out. */
static int make_work_thread(fpl_walk *w)
{
    lua_State *L = w->L;

    if (w->work)
        return 0;
    if (!lua_checkstack(L, 4))
        return -1;
    lua_pushcfunction(L, new_work_thread);
    if (lua_pcall(L, 0, 1, 0) != LUA_OK) {
        lua_pop(L, 1);
        return -1;
    }
    if (fpl_walk_stop_at(w, -1) < 0 || !lua_checkstack(lua_tothread(L, -1),
                                                       FPL_PUSH_SLOTS)) {
        lua_pop(L, 1);
        return -1;
    }
    w->work = lua_tothread(L, -1);
    lua_pushvalue(L, w->anchor);
    lua_xmove(L, w->work, 1);
    return 0;
}

fp_status fpl_walk_push_root(void *arg, fp_sizer *s, fp_handle root)
{
    fpl_walk *w = arg;
    size_t k = fpl_map_get(&w->roots, (const void *)root), base = w->etop;
    emitter e;

    if (!k)
        return FP_EHOST; /* not a root of this walk: a caller's bug */
    if (make_work_thread(w) < 0)
        return FP_ENOMEM;
    memset(&e, 0, sizeof e);
    e.w = w;
    e.mode = MODE_PUSH;
    w->push = s;
    w->home = w->L;
    w->home_anchor = w->anchor;
    w->L = w->work;
    w->anchor = 1;
    push_entry(&e, k, 0);
    while (!e.stop && w->etop > base) {
        size_t d = w->etop--;
        push_entry(&e, d, w->eaux[d]);
    }
    lua_settop(w->L, 1);
    w->L = w->home;
    w->anchor = w->home_anchor;
    w->home = NULL;
    w->etop = base;
    w->push = NULL;
    return w->oom ? FP_ENOMEM : FP_OK;
}

void fpl_walk_host(fpl_walk *w, fp_host *host)
{
    host->ctx = w;
    host->inspect = host_inspect;
    host->referents = host_referents;
    host->alive = NULL;
    host->describe = NULL;
}
