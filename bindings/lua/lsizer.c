/*
 * lsizer.c - footprint.sizeof, sizesof, sized, flatsize and sizer objects.
 *
 * A call runs in three steps: arguments are checked (misuse raises, as Lua
 * functions do), then the measurement runs in a protected call with the
 * collector stopped, then whatever happened the collector is restarted and
 * the walk forgotten.  Failures the caller can expect (out of memory)
 * come back as nil, message.
 */
#include "linternal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define FPL_SIZER_MT "footprint.sizer"

typedef struct fpl_sizer {
    fpl_walk w;
    fp_sizer *s;
    fpl_opts opts;
    int busy;
    fp_stats stats; /* of the last call */
} fpl_sizer;

/* One call, as the protected part sees it. */
typedef struct job {
    fpl_sizer *z;
    fpl_opts opts;
    size_t detail;
    int tree;        /* build detail trees */
    int nroots;      /* roots at index 3 .. of the protected call */
    fp_handle *roots;
    size_t *sizes;
    fp_detail *detail_tree;
    size_t *cursor;  /* tree building */
} job;

/* ---- options ---- */

static const char *const option_names[] = {
    "limit", "align", "metatables", "globals", "code", "exact_arrays",
    "exclude", "detail", NULL};

static int opt_bool(lua_State *L, int t, const char *name, int dflt)
{
    int v = dflt, ty = lua_getfield(L, t, name);

    if (ty != LUA_TNIL) {
        if (ty != LUA_TBOOLEAN)
            luaL_error(L, "footprint: option '%s' must be a boolean", name);
        v = lua_toboolean(L, -1);
    }
    lua_pop(L, 1);
    return v;
}

/* A non-negative integer, or math.huge for none. */
static size_t opt_count(lua_State *L, int t, const char *name, size_t dflt)
{
    size_t v = dflt;
    int ty = lua_getfield(L, t, name);

    if (ty != LUA_TNIL) {
        lua_Integer i;
        if (ty == LUA_TNUMBER && !lua_isinteger(L, -1) &&
            lua_tonumber(L, -1) == HUGE_VAL) {
            v = FP_NO_LIMIT;
        } else if (ty != LUA_TNUMBER || !lua_isinteger(L, -1) ||
                   (i = lua_tointeger(L, -1)) < 0) {
            return (size_t)luaL_error(
                L, "footprint: option '%s' must be an integer >= 0 or "
                   "math.huge", name);
        } else {
            v = (size_t)i;
        }
    }
    lua_pop(L, 1);
    return v;
}

/* Options table at idx (absent or nil: defaults).  *excl gets the index
 * of the exclusion list, 0 if none. */
static void parse_opts(lua_State *L, int idx, fpl_opts *o, size_t *detail,
                       int *excl)
{
    fpl_opts_init(o);
    if (detail)
        *detail = 0;
    if (excl)
        *excl = 0;
    if (lua_isnoneornil(L, idx))
        return;
    idx = lua_absindex(L, idx);
    luaL_checktype(L, idx, LUA_TTABLE);
    lua_pushnil(L);
    while (lua_next(L, idx)) {
        int i, known = 0;
        lua_pop(L, 1);
        if (lua_type(L, -1) == LUA_TSTRING)
            for (i = 0; option_names[i]; i++)
                if (!strcmp(option_names[i], lua_tostring(L, -1)))
                    known = 1;
        if (!known || (!detail && !strcmp(lua_tostring(L, -1), "detail")))
            luaL_error(L, "footprint: unknown option '%s'",
                       luaL_tolstring(L, -1, NULL));
    }
    o->limit = opt_count(L, idx, "limit", FP_NO_LIMIT);
    o->align = opt_count(L, idx, "align", 1);
    if (o->align == 0 || o->align == FP_NO_LIMIT ||
        (o->align & (o->align - 1)))
        luaL_error(L, "footprint: option 'align' must be a power of two");
    o->metatables = opt_bool(L, idx, "metatables", 0);
    o->shared = !opt_bool(L, idx, "globals", 0);
    o->code = opt_bool(L, idx, "code", 0);
    o->exact_arrays = opt_bool(L, idx, "exact_arrays", 1);
    if (detail)
        *detail = opt_count(L, idx, "detail", 0);
    if (excl) {
        int ty = lua_getfield(L, idx, "exclude");
        if (ty == LUA_TTABLE)
            *excl = lua_gettop(L); /* stays on the stack for the call */
        else if (ty == LUA_TNIL)
            lua_pop(L, 1);
        else
            luaL_error(L, "footprint: option 'exclude' must be a list");
    }
}

/* ---- detail trees as Lua tables ---- */

static void push_node(lua_State *L, const fp_detail_node *n, const char *name)
{
    lua_createtable(L, 0, 4);
    lua_pushinteger(L, (lua_Integer)n->size);
    lua_setfield(L, -2, "size");
    lua_pushinteger(L, (lua_Integer)n->flat);
    lua_setfield(L, -2, "flat");
    lua_pushstring(L, name ? name : "?");
    lua_setfield(L, -2, "name");
    lua_createtable(L, (int)(n->nchildren < 1024 ? n->nchildren : 1024), 0);
    lua_setfield(L, -2, "refs");
}

/* {size=, flat=, name=, refs={...}} for root, whose value is at vidx.
 * Iterative: trees may be as deep as the measured graph.  path[d] holds
 * the refs table being filled at depth d. */
static void push_tree(lua_State *L, job *j, const fp_detail_node *root,
                      int vidx)
{
    char name[256];
    size_t cap = 64, d = 1;
    int path, result;

    fpl_describe(L, vidx, name, sizeof name);
    lua_newtable(L);
    path = lua_gettop(L);
    push_node(L, root, name);
    result = lua_gettop(L);
    lua_getfield(L, result, "refs");
    lua_rawseti(L, path, 1);
    j->cursor = malloc(cap * 2 * sizeof *j->cursor);
    if (!j->cursor)
        luaL_error(L, "not enough memory");
    j->cursor[2] = (size_t)(uintptr_t)root->child; /* cursor[2d]: next child */
    j->cursor[3] = 0;                              /* cursor[2d+1]: count */
    while (d >= 1) {
        const fp_detail_node *n =
            (const fp_detail_node *)(uintptr_t)j->cursor[2 * d];
        if (!n) {
            d--;
            continue;
        }
        j->cursor[2 * d] = (size_t)(uintptr_t)n->next;
        lua_rawgeti(L, path, (lua_Integer)d);
        push_node(L, n, n->name);
        lua_rawseti(L, -2, (lua_Integer)++j->cursor[2 * d + 1]);
        if (n->child) {
            lua_rawgeti(L, -1, (lua_Integer)j->cursor[2 * d + 1]);
            lua_getfield(L, -1, "refs");
            d++;
            lua_rawseti(L, path, (lua_Integer)d);
            lua_pop(L, 1);
            if (d + 1 >= cap) {
                size_t *c = realloc(j->cursor, cap * 4 * sizeof *c);
                if (!c)
                    luaL_error(L, "not enough memory");
                j->cursor = c;
                cap *= 2;
            }
            j->cursor[2 * d] = (size_t)(uintptr_t)n->child;
            j->cursor[2 * d + 1] = 0;
        }
        lua_pop(L, 1);
    }
    free(j->cursor);
    j->cursor = NULL;
    lua_remove(L, path);
}

/* ---- the protected part ---- */

static int run(lua_State *L)
{
    job *j = lua_touserdata(L, 1);
    fpl_sizer *z = j->z;
    fpl_walk *w = &z->w;
    fp_sizer_opts so;
    fp_status st;
    int i, n = j->nroots;

    fpl_walk_begin(w, L, &j->opts);
    /* the order strings are reached in matters only to a limit (a string
     * cut at the limit may be reached again higher up) and to a tree */
    w->dedup_strings = j->opts.limit == FP_NO_LIMIT && !j->tree;
    for (i = 0; i < n && !w->oom; i++)
        j->roots[i] = fpl_walk_root(w, 3 + i);
    if (!w->oom && lua_type(L, 2) == LUA_TTABLE) {
        /* handles are addresses: an excluded value needs no entry */
        lua_Integer e, ne = (lua_Integer)lua_rawlen(L, 2);
        for (e = 1; e <= ne && !w->oom; e++) {
            fp_handle h;
            lua_rawgeti(L, 2, e);
            h = (fp_handle)fpl_object_ptr(L, -1);
            lua_pop(L, 1);
            if (h && fp_sizer_exclude(z->s, &h, 1) != FP_OK)
                w->oom = 1;
        }
    }
    if (!w->oom && j->opts.shared)
        fpl_walk_mark_shared(w);
    if (w->oom) {
        fpl_walk_end(w);
        lua_pushnil(L);
        lua_pushstring(L, "footprint: out of memory");
        return 2;
    }
    fp_sizer_opts_init(&so);
    so.align = j->opts.align;
    so.limit = j->opts.limit;
    so.detail = j->detail;
    fp_sizer_set_opts(z->s, &so);
    if (fpl_hostwalk_possible(&j->opts, j->tree))
        st = fp_sizer_walk(z->s, j->roots, (size_t)n, j->sizes,
                           fpl_hostwalk_root, w);
    else if (j->tree)
        st = fp_sizer_size_detail(z->s, j->roots, (size_t)n, j->sizes,
                                  &j->detail_tree);
    else
        st = fp_sizer_size(z->s, j->roots, (size_t)n, j->sizes);
    fp_sizer_stats(z->s, &z->stats);
    fpl_walk_end(w);
    if (st != FP_OK) {
        lua_pushnil(L);
        lua_pushfstring(L, "footprint: %s", fp_sizer_errmsg(z->s)[0]
                                                  ? fp_sizer_errmsg(z->s)
                                                  : fp_strerror(st));
        return 2;
    }
    if (j->tree) {
        push_tree(L, j, fp_detail_root(j->detail_tree, 0), 3);
        return 1;
    }
    for (i = 0; i < n; i++)
        lua_pushinteger(L, (lua_Integer)j->sizes[i]);
    return n;
}

/* Size the n values from stack index first on; results on the stack. */
static int measure(lua_State *L, fpl_sizer *z, const fpl_opts *opts,
                   int excl, int first, int n, size_t detail, int tree)
{
    job j;
    int base, st, running;

    if (z->busy)
        return luaL_error(L, "footprint: this sizer is already measuring");
    memset(&j, 0, sizeof j);
    j.z = z;
    j.opts = *opts;
    j.detail = detail;
    j.tree = tree;
    j.nroots = n;
    luaL_checkstack(L, n + 8, "too many values to size");
    j.roots = malloc((size_t)(n ? n : 1) * sizeof *j.roots);
    j.sizes = malloc((size_t)(n ? n : 1) * sizeof *j.sizes);
    if (!j.roots || !j.sizes) {
        free(j.roots);
        free(j.sizes);
        lua_pushnil(L);
        lua_pushstring(L, "footprint: out of memory");
        return 2;
    }
    base = lua_gettop(L);
    lua_pushcfunction(L, run);
    lua_pushlightuserdata(L, &j);
    if (excl)
        lua_pushvalue(L, excl);
    else
        lua_pushnil(L);
    for (st = 0; st < n; st++)
        lua_pushvalue(L, first + st);
    fp_sizer_reset(z->s);
    fp_sizer_exclude_clear(z->s);
    running = lua_gc(L, LUA_GCISRUNNING);
    if (running)
        lua_gc(L, LUA_GCSTOP);
    z->busy = 1;
    st = lua_pcall(L, n + 2, LUA_MULTRET, 0);
    z->busy = 0;
    if (running)
        lua_gc(L, LUA_GCRESTART);
    if (st != LUA_OK)
        fpl_walk_unwound(&z->w);
    fp_sizer_reset(z->s);
    fp_sizer_exclude_clear(z->s);
    fp_detail_free(j.detail_tree);
    free(j.cursor);
    free(j.roots);
    free(j.sizes);
    if (st == LUA_ERRMEM) {
        lua_pop(L, 1);
        lua_pushnil(L);
        lua_pushstring(L, "footprint: not enough memory");
        return 2;
    }
    if (st != LUA_OK)
        return lua_error(L);
    return lua_gettop(L) - base;
}

/* ---- sizer objects ---- */

static fpl_sizer *new_sizer(lua_State *L, int nuv)
{
    fpl_sizer *z = lua_newuserdatauv(L, sizeof *z, nuv);
    fp_host host;
    fp_status st;

    memset(z, 0, sizeof *z);
    fpl_walk_init(&z->w);
    fpl_opts_init(&z->opts);
    luaL_setmetatable(L, FPL_SIZER_MT);
    fpl_corewalk_host(&z->w, &host);
    st = fp_sizer_new(&z->s, &host, NULL, NULL);
    if (st != FP_OK)
        luaL_error(L, "footprint: %s", fp_strerror(st));
    return z;
}

static int sizer_gc(lua_State *L)
{
    fpl_sizer *z = luaL_checkudata(L, 1, FPL_SIZER_MT);

    fp_sizer_free(z->s);
    z->s = NULL;
    fpl_walk_free(&z->w);
    return 0;
}

static fpl_sizer *check_sizer(lua_State *L, int idx)
{
    fpl_sizer *z = luaL_checkudata(L, idx, FPL_SIZER_MT);

    if (!z->s)
        luaL_error(L, "footprint: sizer already collected");
    return z;
}

/* The sizer the module functions share, one per Lua state. */
static fpl_sizer *default_sizer(lua_State *L)
{
    static const char key = 0;
    fpl_sizer *z;

    if (lua_rawgetp(L, LUA_REGISTRYINDEX, &key) == LUA_TUSERDATA) {
        z = lua_touserdata(L, -1);
        lua_pop(L, 1);
        return z;
    }
    lua_pop(L, 1);
    z = new_sizer(L, 0);
    lua_rawsetp(L, LUA_REGISTRYINDEX, &key);
    return z;
}

/* The default sizer stays in the registry: keep measure()'s result count
 * independent of where it sits. */
static int run_module(lua_State *L, int first, int n, int optidx,
                      int tree)
{
    fpl_sizer *z = default_sizer(L);
    fpl_opts o;
    size_t detail;
    int excl;

    parse_opts(L, optidx, &o, tree ? &detail : NULL, &excl);
    return measure(L, z, &o, excl, first, n, tree ? detail : 0, tree);
}

int fpl_sizeof(lua_State *L)
{
    luaL_checkany(L, 1);
    return run_module(L, 1, 1, 2, 0);
}

int fpl_sizesof(lua_State *L)
{
    int n = lua_gettop(L);
    return n ? run_module(L, 1, n, n + 1, 0) : 0;
}

int fpl_sized(lua_State *L)
{
    luaL_checkany(L, 1);
    return run_module(L, 1, 1, 2, 1);
}

int fpl_flatsize(lua_State *L)
{
    fpl_sizer *z;
    fpl_opts o;
    int excl;

    luaL_checkany(L, 1);
    z = default_sizer(L);
    parse_opts(L, 2, &o, NULL, &excl);
    o.limit = 0;
    return measure(L, z, &o, excl, 1, 1, 0, 0);
}

/* footprint.sizer(opts): the same functions with options fixed once; the
 * exclusion list is kept in the sizer's user value. */
int fpl_sizer_new(lua_State *L)
{
    fpl_sizer *z;
    fpl_opts o;
    int excl;

    parse_opts(L, 1, &o, NULL, &excl);
    z = new_sizer(L, 1);
    z->opts = o;
    if (excl) {
        lua_pushvalue(L, excl);
        lua_setiuservalue(L, -2, 1);
    }
    return 1;
}

/* Push the sizer's exclusion list; its index, or 0 (nothing pushed). */
static int sizer_excl(lua_State *L)
{
    if (lua_getiuservalue(L, 1, 1) == LUA_TTABLE)
        return lua_gettop(L);
    lua_pop(L, 1);
    return 0;
}

static int m_sizeof(lua_State *L)
{
    fpl_sizer *z = check_sizer(L, 1);
    luaL_checkany(L, 2);
    lua_settop(L, 2);
    return measure(L, z, &z->opts, sizer_excl(L), 2, 1, 0, 0);
}

static int m_sizesof(lua_State *L)
{
    fpl_sizer *z = check_sizer(L, 1);
    int n = lua_gettop(L) - 1;
    return n ? measure(L, z, &z->opts, sizer_excl(L), 2, n, 0, 0) : 0;
}

static int m_sized(lua_State *L)
{
    fpl_sizer *z = check_sizer(L, 1);
    lua_Integer detail = luaL_optinteger(L, 3, 0);
    luaL_checkany(L, 2);
    luaL_argcheck(L, detail >= 0, 3, "detail must be >= 0");
    lua_settop(L, 3);
    return measure(L, z, &z->opts, sizer_excl(L), 2, 1, (size_t)detail, 1);
}

static int m_flatsize(lua_State *L)
{
    fpl_sizer *z = check_sizer(L, 1);
    fpl_opts o = z->opts;
    luaL_checkany(L, 2);
    lua_settop(L, 2);
    o.limit = 0;
    return measure(L, z, &o, sizer_excl(L), 2, 1, 0, 0);
}

static void push_stats(lua_State *L, const fp_stats *s)
{
    lua_createtable(L, 0, 8);
#define FPL_STAT_(f)                          \
    lua_pushinteger(L, (lua_Integer)s->f);    \
    lua_setfield(L, -2, #f)
    FPL_STAT_(total);
    FPL_STAT_(objects);
    FPL_STAT_(revisits);
    FPL_STAT_(excluded);
    FPL_STAT_(failed);
    FPL_STAT_(truncated);
    FPL_STAT_(max_depth);
#undef FPL_STAT_
}

static int m_stats(lua_State *L)
{
    push_stats(L, &check_sizer(L, 1)->stats);
    return 1;
}

/* footprint.stats(): the figures of the last module-level call. */
int fpl_stats(lua_State *L)
{
    push_stats(L, &default_sizer(L)->stats);
    return 1;
}

void fpl_sizer_open(lua_State *L)
{
    static const luaL_Reg methods[] = {
        {"sizeof", m_sizeof},     {"sizesof", m_sizesof},
        {"sized", m_sized},       {"flatsize", m_flatsize},
        {"stats", m_stats},       {NULL, NULL}};

    if (luaL_newmetatable(L, FPL_SIZER_MT)) {
        lua_pushcfunction(L, sizer_gc);
        lua_setfield(L, -2, "__gc");
        luaL_newlib(L, methods);
        lua_setfield(L, -2, "__index");
    }
    lua_pop(L, 1);
}
