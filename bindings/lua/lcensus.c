/*
 * lcensus.c - the whole heap by type: footprint.census() and the census
 * a tracker's snapshot stores (pympler's muppy + summary, for Lua).
 *
 * Lua cannot list its objects, so the census counts what a walk of the
 * reachable heap meets: the tracker's heap walk (lheapscan.c: from the
 * registry, the running thread and the types' metatables, metatables
 * followed), whose count hook (lhostwalk.c) hands each object once to the
 * core's fp_census with the flat size the walk computed for it, the
 * figure sizeof uses.  The census's host answers inspect for that one
 * object only; it never needs another, since nothing is followed twice.
 *
 * Groups: the Lua type ("table", "string", "function", "userdata",
 * "thread", and "upvalue" for Lua closures' UpVal objects, "prototype"
 * with code = true), and for a table or full userdata with a metatable,
 * that metatable's __name when it is a string (read raw), else the name
 * of the class a given tracker tracks it as.  Group names are copied into
 * the census's own memory: a name read from a Lua string could be freed
 * by an emergency collection (a failed allocation, while the collector is
 * stopped) if only a weak table held its object.  Rows whose names agree
 * (two long __name strings of one text, a class named like a __name) are
 * merged when read.
 *
 * What the census adds to the heap is never counted: its walk stops at
 * its anchor and work thread, and the rows are built after it.
 */
#include "linternal.h"

#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define NO_GROUP UINT32_MAX

/* Names of the fixed groups, indexed by type (FPL_T_UPVAL, FPL_T_PROTO
 * after Lua's own). */
static const char *const type_names[FPL_CENSUS_FIXED] = {
    "nil",   "boolean",  "userdata", "number",  "string",   "table",
    "function", "userdata", "thread", "upvalue", "prototype"};

/* ---- the census's host: inspect answers for the object being added --- */

static fp_status census_inspect(void *ctx, fp_handle h, fp_info *info)
{
    fpl_census *c = ctx;

    if (h != c->pending)
        return FP_EHOST;
    info->flat = c->pending_flat;
    info->flags = 0;
    info->cls = c->pending_cls;
    return FP_OK;
}

/* A census follows nothing: no referents. */
static fp_status census_referents(void *ctx, fp_handle h, int want_names,
                                  fp_visit_fn visit, void *arg)
{
    (void)ctx, (void)h, (void)want_names, (void)visit, (void)arg;
    return FP_OK;
}

void fpl_census_init(fpl_census *c)
{
    memset(c, 0, sizeof *c);
    fpl_map_init(&c->bymeta);
    fpl_map_init(&c->byname);
    fpl_map_init(&c->byclass);
}

void fpl_census_free(fpl_census *c)
{
    fp_census_free(c->census);
    fpl_map_free(&c->bymeta);
    fpl_map_free(&c->byname);
    fpl_map_free(&c->byclass);
    free(c->groups);
    free(c->pool);
    free(c->rows);
    fpl_census_init(c);
}

/* ---- groups ---- */

/* A new group named s[0..len), copied.  Its index, or NO_GROUP. */
static uint32_t new_group(fpl_census *c, const char *s, size_t len)
{
    if (c->ngroups == c->gcap) {
        size_t cap = c->gcap * 2;
        fpl_cgroup *g = realloc(c->groups, cap * sizeof *g);
        if (!g)
            return NO_GROUP;
        c->groups = g;
        c->gcap = cap;
    }
    if (len > c->pool_cap - c->npool) {
        size_t cap = c->pool_cap ? c->pool_cap : 1024;
        char *p;
        while (cap - c->npool < len && cap < SIZE_MAX / 2)
            cap *= 2;
        if (cap - c->npool < len || !(p = realloc(c->pool, cap)))
            return NO_GROUP;
        c->pool = p;
        c->pool_cap = cap;
    }
    memcpy(c->pool + c->npool, s, len);
    c->groups[c->ngroups].off = c->npool;
    c->groups[c->ngroups].len = len;
    c->npool += len;
    return (uint32_t)c->ngroups++;
}

/* The group of key (a name's address, a class) in map m, made with the
 * name s[0..len) when new.  NO_GROUP when memory ran out. */
static uint32_t keyed_group(fpl_census *c, fpl_map *m, const void *key,
                            const char *s, size_t len)
{
    uint32_t *slot, g;

    if ((g = fpl_map_get(m, key)) != 0)
        return g - 1;
    if ((g = new_group(c, s, len)) == NO_GROUP ||
        fpl_map_put(m, key, &slot) < 0)
        return NO_GROUP;
    *slot = g + 1;
    return g;
}

/* The group the metatable on top of L's stack gives its objects, whose
 * type is t: its __name, else its tracked class's name, else t. */
static uint32_t meta_group(fpl_census *c, lua_State *L, int t)
{
    const void *mt = lua_topointer(L, -1);
    uint32_t k;

    /* "__name" is interned already: fpl_census_begin keeps it alive, so
     * pushing it allocates nothing (and cannot raise) */
    lua_pushliteral(L, "__name");
    if (lua_rawget(L, -2) == LUA_TSTRING) {
        size_t len;
        const char *s = lua_tolstring(L, -1, &len);
        lua_pop(L, 1);
        return keyed_group(c, &c->byname, s, s, len);
    }
    lua_pop(L, 1);
    if (c->classes && (k = fpl_map_get(c->classes, mt)) != 0) {
        fp_class_info ci;
        if (fp_tracker_class_info(c->tracker, k - 1, &ci) == FP_OK)
            return keyed_group(c, &c->byclass,
                               (const void *)((uintptr_t)k << 4), ci.name,
                               strlen(ci.name));
    }
    return (uint32_t)t;
}

/* The group of the table or userdata at idx, of type t; cached per
 * metatable. */
static uint32_t object_group(fpl_census *c, lua_State *L, int idx, int t)
{
    const void *mt;
    uint32_t *slot, g;

    if (!lua_checkstack(L, 3))
        return NO_GROUP;
    if (!lua_getmetatable(L, idx))
        return (uint32_t)t;
    mt = lua_topointer(L, -1);
    if ((g = fpl_map_get(&c->bymeta, mt)) != 0) {
        lua_pop(L, 1);
        return g - 1;
    }
    g = meta_group(c, L, t);
    lua_pop(L, 1);
    if (g == NO_GROUP || fpl_map_put(&c->bymeta, mt, &slot) < 0)
        return NO_GROUP;
    *slot = g + 1;
    return g;
}

/* ---- counting ---- */

/* Hand h to the core's census in group g. */
static int add(fpl_census *c, const void *h, uint32_t g, size_t flat)
{
    c->pending = (fp_handle)h;
    c->pending_flat = flat;
    c->pending_cls = (fp_handle)g + 1;
    return fp_census_add(c->census, (fp_handle)h, NULL) == FP_OK ? 0 : -1;
}

/* Prototype h of the walk and what only it holds: the prototypes it nests
 * and its interned strings (found again by interning their text, which
 * returns the existing string).  The walk's sizer keeps the visited set,
 * so nothing is counted twice.  Nesting is bounded by Lua's parser. */
static int count_proto(fpl_census *c, fpl_walk *w, fp_handle h)
{
    uint32_t k = fpl_map_get(&w->protos.map, (const void *)h);
    size_t i, j, n, len;
    const char *s;
    int enter;

    if (!k) /* a dump it could not read: not counted, as sizeof does */
        return 0;
    if (fp_sizer_visit(w->host.sizer, h, &enter) != FP_OK)
        return -1;
    if (!enter)
        return 0;
    i = k - 1;
    if (add(c, (const void *)h, FPL_T_PROTO, fpl_proto_flat(w, i)) < 0)
        return -1;
    n = fpl_proto_nrefs(w, i);
    for (j = 0; j < n; j++) {
        fp_handle ref = fpl_proto_ref(w, i, j, &s, &len);
        const void *p;
        if (ref) {
            if (count_proto(c, w, ref) < 0)
                return -1;
            continue;
        }
        lua_pushlstring(w->L, s, len);
        p = lua_tostring(w->L, -1);
        lua_pop(w->L, 1);
        if (fp_sizer_visit(w->host.sizer, (fp_handle)p, &enter) != FP_OK ||
            (enter && add(c, p, LUA_TSTRING, fpl_model_string(len)) < 0))
            return -1;
    }
    return 0;
}

int fpl_census_count(fpl_walk *w, const void *h, int idx, int t,
                     size_t flat)
{
    fpl_census *c = w->count_ctx;
    uint32_t g = (uint32_t)t;
    fp_handle ph;

    if (idx && (t == LUA_TTABLE || t == LUA_TUSERDATA) &&
        (g = object_group(c, w->L, idx, t)) == NO_GROUP)
        return -1;
    if (add(c, h, g, flat) < 0)
        return -1;
    if (!c->code || !idx || t != LUA_TFUNCTION || lua_iscfunction(w->L, idx))
        return 0;
    /* a prototype is read once (lua_dump); 0: it cannot be read */
    ph = fpl_proto_handle(w, idx);
    if (w->oom)
        return -1;
    return ph && lua_checkstack(w->L, 2) ? count_proto(c, w, ph) : 0;
}

/* ---- a census's life ---- */

fp_status fpl_census_begin(fpl_census *c, fpl_walk *w, const fpl_map *classes,
                           const fp_tracker *tracker, int code)
{
    uint32_t t;

    if (!c->census) {
        fp_host host;
        memset(&host, 0, sizeof host);
        host.ctx = c;
        host.inspect = census_inspect;
        host.referents = census_referents;
        if (fp_census_new(&c->census, &host, 0, NULL) != FP_OK)
            return FP_ENOMEM;
    }
    fp_census_clear(c->census);
    fpl_map_clear(&c->bymeta);
    fpl_map_clear(&c->byname);
    fpl_map_clear(&c->byclass);
    c->ngroups = c->npool = c->nrows = 0;
    c->classes = classes;
    c->tracker = tracker;
    c->code = code;
    if (!c->groups) {
        c->gcap = 64;
        if (!(c->groups = malloc(c->gcap * sizeof *c->groups)))
            return FP_ENOMEM;
    }
    for (t = 0; t < FPL_CENSUS_FIXED; t++)
        if (new_group(c, type_names[t], strlen(type_names[t])) != t)
            return FP_ENOMEM;
    /* above the anchor: the walk never reads it (and may raise here) */
    lua_pushliteral(w->L, "__name");
    w->count_hook = fpl_census_count;
    w->count_ctx = c;
    return FP_OK;
}

/* Rows by name, then by size for the caller. */
static int by_name(const void *a, const void *b)
{
    const fpl_crow *x = a, *y = b;
    size_t n = x->len < y->len ? x->len : y->len;
    int r = memcmp(x->name, y->name, n);

    return r ? r : (x->len > y->len) - (x->len < y->len);
}

static int by_size(const void *a, const void *b)
{
    const fpl_crow *x = a, *y = b;

    if (x->size != y->size)
        return x->size < y->size ? 1 : -1;
    if (x->count != y->count)
        return x->count < y->count ? 1 : -1;
    return by_name(a, b);
}

/* Rows of equal names merged, largest first; names in the census's
 * pool, valid until its next begin. */
static void merge_rows(fpl_census *c)
{
    size_t i, n = 0;

    qsort(c->rows, c->nrows, sizeof *c->rows, by_name);
    for (i = 0; i < c->nrows; i++) {
        if (n && by_name(&c->rows[n - 1], &c->rows[i]) == 0) {
            c->rows[n - 1].count += c->rows[i].count;
            c->rows[n - 1].size += c->rows[i].size;
        } else {
            c->rows[n++] = c->rows[i];
        }
    }
    c->nrows = n;
    qsort(c->rows, n, sizeof *c->rows, by_size);
}

fp_status fpl_census_finish(fpl_census *c)
{
    size_t i, n = fp_census_rows(c->census);

    free(c->rows);
    c->nrows = 0;
    if (!(c->rows = malloc((n ? n : 1) * sizeof *c->rows)))
        return FP_ENOMEM;
    for (i = 0; i < n; i++) {
        fp_census_row r;
        const fpl_cgroup *g;
        if (fp_census_read(c->census, i, &r) != FP_OK || !r.cls ||
            r.cls > c->ngroups)
            continue;
        g = &c->groups[r.cls - 1];
        c->rows[c->nrows].name = c->pool + g->off;
        c->rows[c->nrows].len = g->len;
        c->rows[c->nrows].count = r.count;
        c->rows[c->nrows].size = r.flat;
        c->nrows++;
    }
    merge_rows(c);
    fp_census_totals(c->census, &c->count, &c->size, &c->failed);
    return FP_OK;
}

/* ---- footprint.census([opts]) ---- */

/* What a call asked for. */
typedef struct census_opts {
    const fp_tracker *tracker; /* names groups by its classes */
    size_t limit;              /* rows returned */
    int code;                  /* count prototypes */
} census_opts;

/* One call; malloc'd, as its walk is large, and freed whatever happens. */
typedef struct cjob {
    fpl_walk w;
    fp_sizer *walker;   /* the walk's visited set */
    fpl_census c;
    fpl_map classes;    /* the tracker's classes, when one is given */
    census_opts o;
} cjob;

static const char *const census_options[] = {"limit", "tracker", "code",
                                             NULL};

/* Raise for a key of the options table at idx that is not an option. */
static void check_keys(lua_State *L, int idx)
{
    lua_pushnil(L);
    while (lua_next(L, idx)) {
        int i, known = 0;
        lua_pop(L, 1);
        for (i = 0; census_options[i] && lua_type(L, -1) == LUA_TSTRING; i++)
            known |= !strcmp(census_options[i], lua_tostring(L, -1));
        if (!known)
            luaL_error(L, "footprint: unknown option '%s'",
                       luaL_tolstring(L, -1, NULL));
    }
}

/* The options at idx into j (limit, code, tracker); *tracker gets the
 * tracker's index (0: none).  Misuse raises. */
static void parse_census_opts(lua_State *L, int idx, census_opts *o,
                              int *tracker)
{
    int ty;

    o->limit = SIZE_MAX;
    *tracker = 0;
    if (lua_isnoneornil(L, idx))
        return;
    luaL_checktype(L, idx, LUA_TTABLE);
    check_keys(L, idx);
    ty = lua_getfield(L, idx, "limit");
    if (ty == LUA_TNUMBER && !lua_isinteger(L, -1) &&
        lua_tonumber(L, -1) == HUGE_VAL)
        o->limit = SIZE_MAX;
    else if (ty == LUA_TNUMBER && lua_isinteger(L, -1) &&
             lua_tointeger(L, -1) >= 0)
        o->limit = (size_t)lua_tointeger(L, -1);
    else if (ty != LUA_TNIL)
        luaL_error(L, "footprint: option 'limit' must be an integer >= 0 "
                      "or math.huge");
    lua_pop(L, 1);
    ty = lua_getfield(L, idx, "code");
    if (ty != LUA_TNIL && ty != LUA_TBOOLEAN)
        luaL_error(L, "footprint: option 'code' must be a boolean");
    o->code = lua_toboolean(L, -1);
    lua_pop(L, 1);
    ty = lua_getfield(L, idx, "tracker");
    if (ty != LUA_TNIL && ty != LUA_TUSERDATA)
        luaL_error(L, "footprint: option 'tracker' must be a tracker");
    if (ty != LUA_TNIL) {
        o->tracker = fpl_tstate_check(L, lua_gettop(L))->owner;
        *tracker = lua_gettop(L); /* stays for the call */
    } else {
        lua_pop(L, 1);
    }
}

/* {name=, count=, size=} for the first `limit` rows, then the totals;
 * memory: the C bytes the census and its walk's visited set held at the
 * end (their peak: neither shrinks during a call). */
static void push_rows(lua_State *L, const fpl_census *c, size_t limit,
                      size_t memory)
{
    size_t i, n = c->nrows < limit ? c->nrows : limit;

    lua_createtable(L, n < INT_MAX ? (int)n : INT_MAX, 0);
    for (i = 0; i < n; i++) {
        lua_createtable(L, 0, 3);
        lua_pushlstring(L, c->rows[i].name, c->rows[i].len);
        lua_setfield(L, -2, "name");
        lua_pushinteger(L, (lua_Integer)c->rows[i].count);
        lua_setfield(L, -2, "count");
        lua_pushinteger(L, (lua_Integer)c->rows[i].size);
        lua_setfield(L, -2, "size");
        lua_rawseti(L, -2, (lua_Integer)i + 1);
    }
    lua_createtable(L, 0, 5);
    lua_pushinteger(L, (lua_Integer)c->count);
    lua_setfield(L, -2, "count");
    lua_pushinteger(L, (lua_Integer)c->size);
    lua_setfield(L, -2, "size");
    lua_pushinteger(L, (lua_Integer)c->failed);
    lua_setfield(L, -2, "failed");
    lua_pushinteger(L, (lua_Integer)c->nrows);
    lua_setfield(L, -2, "rows");
    lua_pushinteger(L, (lua_Integer)memory);
    lua_setfield(L, -2, "memory");
}

/* The walk, with the collector stopped: job at 1, the tracker's class
 * table (or nil) at 2.  Returns rows, totals or nil, message. */
static int census_run(lua_State *L)
{
    cjob *j = lua_touserdata(L, 1);
    fp_handle roots[FPL_HEAP_ROOTS];
    fpl_opts o;
    size_t n, memory;
    fp_status st = FP_OK;

    if (j->o.tracker && fpl_load_classes(L, &j->classes, 2) < 0)
        st = FP_ENOMEM;
    fpl_opts_init(&o);
    o.shared = 0;     /* everything reachable */
    o.metatables = 1; /* and what only metatables reach */
    fpl_walk_begin(&j->w, L, &o);
    if (st == FP_OK)
        st = fpl_census_begin(&j->c, &j->w, j->o.tracker ? &j->classes : NULL,
                              j->o.tracker, j->o.code);
    n = fpl_heap_roots(&j->w, roots);
    if (st == FP_OK)
        st = j->w.oom ? FP_ENOMEM
                      : fp_sizer_walk(j->walker, roots, n, NULL,
                                      fpl_hostwalk_root, &j->w);
    j->w.count_hook = NULL;
    if (st == FP_OK)
        st = fpl_census_finish(&j->c);
    memory = fp_census_memory(j->c.census) + fp_sizer_memory(j->walker);
    fpl_walk_end(&j->w);
    if (st != FP_OK) {
        lua_pushnil(L);
        lua_pushfstring(L, "footprint: %s", fp_strerror(st));
        return 2;
    }
    /* made after the walk: the rows are not counted */
    push_rows(L, &j->c, j->o.limit, memory);
    return 2;
}

static void free_job(cjob *j)
{
    fp_sizer_free(j->walker);
    fpl_walk_free(&j->w);
    fpl_census_free(&j->c);
    fpl_map_free(&j->classes);
    free(j);
}

/* A new job, its options from the stack; NULL when memory ran out.
 * Misuse raises, before anything is allocated. */
static cjob *new_job(lua_State *L, int *tracker)
{
    census_opts o = {NULL, SIZE_MAX, 0};
    fp_host host;
    cjob *j;

    parse_census_opts(L, 1, &o, tracker);
    luaL_checkstack(L, 8, "footprint");
    if (!(j = malloc(sizeof *j)))
        return NULL;
    memset(j, 0, sizeof *j);
    fpl_walk_init(&j->w);
    fpl_census_init(&j->c);
    fpl_map_init(&j->classes);
    j->o = o;
    fpl_corewalk_host(&j->w, &host);
    if (fp_sizer_new(&j->walker, &host, NULL, NULL) != FP_OK) {
        free_job(j);
        return NULL;
    }
    return j;
}

int fpl_census_heap(lua_State *L)
{
    cjob *j;
    int tracker, st, running;

    if (!(j = new_job(L, &tracker))) {
        lua_pushnil(L);
        lua_pushliteral(L, "footprint: out of memory");
        return 2;
    }
    /* nothing below raises until the job is freed */
    lua_pushcfunction(L, census_run);
    lua_pushlightuserdata(L, j);
    if (tracker) {
        lua_getiuservalue(L, tracker, 1);
        lua_getiuservalue(L, -1, FPL_UV_CLASSES);
        lua_remove(L, -2);
    } else {
        lua_pushnil(L);
    }
    running = lua_gc(L, LUA_GCISRUNNING);
    if (running)
        lua_gc(L, LUA_GCSTOP);
    st = lua_pcall(L, 2, 2, 0);
    if (running)
        lua_gc(L, LUA_GCRESTART);
    if (st != LUA_OK)
        fpl_walk_unwound(&j->w);
    free_job(j);
    if (st == LUA_ERRMEM) {
        lua_pop(L, 1);
        lua_pushnil(L);
        lua_pushliteral(L, "footprint: not enough memory");
        return 2;
    }
    if (st != LUA_OK)
        return lua_error(L);
    return 2;
}
