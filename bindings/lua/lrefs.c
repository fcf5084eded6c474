/*
 * lrefs.c - what every walk reads of one Lua value: its flat size, and
 * its referents, reported to the walk's sink (linternal.h).
 *
 * A scan reads the value once, raw: lua_next, lua_getupvalue,
 * lua_getiuservalue, lua_getmetatable and the debug API, never a
 * metamethod.  One pass counts what the size model needs and reports the
 * referents; a sink without functions gets the size alone.  Names are
 * formatted only for a sink that wants them (a detail tree).
 */
#include "linternal.h"

#include <limits.h>
#include <stdio.h>

/* Levels of a thread read one by one; deeper levels are counted only
 * (lua_getstack costs O(level), reading them all would be quadratic). */
#define FPL_MAX_FRAMES 16384

static int naming(const fpl_sink *k)
{
    return k->fns && k->fns->names;
}

void fpl_refs_value(fpl_sink *k, int idx, const char *name)
{
    if (k->fns && !k->stop)
        k->fns->value(k, idx, lua_type(k->w->L, idx), name);
}

/* ---- tables ---- */

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
static size_t exact_asize(lua_State *L, int t, const fpl_tcount *c,
                          size_t asize)
{
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

/* The metatable of the table or userdata at obj: to the tracker's hook,
 * and a referent when metatables are followed. */
static void metatable(fpl_sink *k, int obj)
{
    fpl_walk *w = k->w;
    lua_State *L = w->L;

    if ((!w->meta_hook && !w->opts.metatables) || !lua_getmetatable(L, obj))
        return;
    if (w->meta_hook && !naming(k)) /* a tree's pass is a second one */
        w->meta_hook(w, obj);
    if (w->opts.metatables)
        fpl_refs_value(k, lua_gettop(L), "(metatable)");
    lua_pop(L, 1);
}

size_t fpl_refs_table_size(fpl_sink *k, int t, const fpl_tcount *c)
{
    fpl_walk *w = k->w;
    size_t asize, na;

    if (w->meta_hook || w->opts.metatables)
        metatable(k, t);
    asize = fpl_model_asize(c, &na);
    if (w->opts.exact_arrays && asize > na) {
        size_t exact = exact_asize(w->L, t, c, asize);
        if (exact < asize) {
            asize = exact;
            na = c->nint; /* all integer keys fit below maxint */
        }
    }
    return fpl_model_table(asize, c->n - na);
}

static size_t scan_table(fpl_sink *k, int t)
{
    lua_State *L = k->w->L;
    void (*entry)(fpl_sink *, int, int, int) = k->fns ? k->fns->entry : NULL;
    fpl_tcount c;
    int key = lua_gettop(L) + 1;

    fpl_tcount_init(&c);
    lua_pushnil(L);
    while (lua_next(L, t)) {
        int kt = lua_type(L, key), vt = lua_type(L, key + 1);
        fpl_tcount_entry(L, key, kt, &c);
        if (entry)
            entry(k, key, kt, vt);
        lua_settop(L, key);
    }
    if (!naming(k))
        return fpl_refs_table_size(k, t, &c);
    /* a tree's pass is a second one: the first gave the size */
    if (k->w->meta_hook || k->w->opts.metatables)
        metatable(k, t);
    return 0;
}

/* ---- functions and userdata ---- */

/* The prototype of the Lua closure at f, when prototypes are counted. */
static void scan_proto(fpl_sink *k, int f)
{
    fpl_walk *w = k->w;
    fp_handle h = fpl_proto_handle(w, f);
    uint32_t i = h ? fpl_map_get(&w->protos.map, (const void *)h) : 0;

    if (w->oom)
        k->stop = 1;
    if (i && !k->stop)
        k->fns->proto(k, h, i - 1);
}

static size_t scan_function(fpl_sink *k, int f)
{
    lua_State *L = k->w->L;
    char name[FPL_NAME_CAP];
    const char *up;
    int i, cfunc = lua_iscfunction(L, f), named = naming(k);

    for (i = 1; (up = lua_getupvalue(L, f, i)) != NULL; i++) {
        int v = lua_gettop(L);
        if (named) {
            if (cfunc)
                snprintf(name, sizeof name, "(upvalue %d)", i);
            else
                snprintf(name, sizeof name, "(upvalue %s)", *up ? up : "?");
        }
        /* An upvalue of a Lua closure is an object of its own (UpVal),
         * shared by the closures that capture the same variable;
         * lua_upvalueid is its address. */
        if (cfunc)
            fpl_refs_value(k, v, named ? name : NULL);
        else if (k->fns && !k->stop)
            k->fns->upval(k, v, lua_upvalueid(L, f, i), named ? name : NULL);
        lua_pop(L, 1);
    }
    if (cfunc)
        return fpl_model_cclosure(i - 1);
    if (k->w->opts.code && k->fns && k->fns->proto && !k->stop)
        scan_proto(k, f);
    return fpl_model_lclosure(i - 1);
}

static size_t scan_userdata(fpl_sink *k, int u)
{
    lua_State *L = k->w->L;
    char name[FPL_NAME_CAP];
    int i, named = naming(k);

    for (i = 1; lua_getiuservalue(L, u, i) != LUA_TNONE; i++) {
        if (named)
            snprintf(name, sizeof name, "(uservalue %d)", i);
        fpl_refs_value(k, lua_gettop(L), named ? name : NULL);
        lua_pop(L, 1);
    }
    lua_pop(L, 1);
    metatable(k, u);
    return fpl_model_udata(lua_rawlen(L, u), i - 1);
}

/* ---- threads ----
 *
 * A thread's referents are what its stack holds: each level's function,
 * locals and temporaries ("(temporary)", "(C temporary)" slots through
 * lua_getlocal) and varargs; a coroutine not yet started holds its
 * function and arguments, read by index.  The same counts estimate the
 * stack size.
 */

/* Move the value on top of co's stack to the walk's and report it. */
static void report_moved(fpl_sink *k, lua_State *co, const char *name)
{
    lua_State *L = k->w->L;

    if (co != L)
        lua_xmove(co, L, 1);
    fpl_refs_value(k, lua_gettop(L), name);
    lua_pop(L, 1);
}

/* Call level `level` of co: its function, its locals and temporaries up
 * to number `last`, its varargs.  Returns the stack slots they take. */
static size_t scan_level(fpl_sink *k, lua_State *co, lua_Debug *ar,
                         int level, int last)
{
    char name[FPL_NAME_CAP];
    const char *local;
    size_t slots = 1;
    int i, named = naming(k);

    if (k->fns) {
        lua_getinfo(co, "f", ar);
        if (named)
            snprintf(name, sizeof name, "(level %d function)", level);
        report_moved(k, co, named ? name : NULL);
    }
    for (i = 1; i <= last && (local = lua_getlocal(co, ar, i)) != NULL; i++) {
        slots++;
        if (named)
            snprintf(name, sizeof name, "(level %d %s)", level, local);
        if (k->fns)
            report_moved(k, co, named ? name : NULL);
        else
            lua_pop(co, 1);
    }
    for (i = -1; lua_getlocal(co, ar, i) != NULL; i--) {
        slots++;
        if (named)
            snprintf(name, sizeof name, "(level %d vararg %d)", level, -i);
        if (k->fns)
            report_moved(k, co, named ? name : NULL);
        else
            lua_pop(co, 1);
    }
    return slots;
}

/* How many call levels co has, knowing it has more than `level`: in
 * O(depth log depth), doubling, then bisecting. */
static int count_levels(lua_State *co, int level)
{
    lua_Debug ar;
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
    return lo + 1;
}

/* A coroutine not yet started: its function and arguments, by index. */
static size_t scan_unstarted(fpl_sink *k, lua_State *co)
{
    char name[FPL_NAME_CAP];
    int i, n = lua_gettop(co), named = naming(k);

    for (i = 1; i <= n && k->fns; i++) {
        lua_pushvalue(co, i);
        if (named)
            snprintf(name, sizeof name, "(stack %d)", i);
        report_moved(k, co, named ? name : NULL);
    }
    return (size_t)n;
}

static size_t scan_thread(fpl_sink *k, int idx)
{
    fpl_walk *w = k->w;
    lua_State *L = w->L, *co = lua_tothread(L, idx);
    size_t slots = 0, frames = 0;
    lua_Debug ar;
    int level;

    if (!lua_checkstack(L, 4) || (co != L && !lua_checkstack(co, 2)))
        return fpl_model_thread(0, 0);
    for (level = 0; level < FPL_MAX_FRAMES && lua_getstack(co, level, &ar);
         level++) {
        /* The caller's own level 0 is the measurement's C function: its
         * slots above the anchor are the walk's (its temporaries, a
         * host-driven walk's thread), not the program's. */
        int last = co == fpl_walk_home(w) && level == 0
                       ? fpl_walk_home_anchor(w)
                       : INT_MAX;
        frames++;
        slots += scan_level(k, co, &ar, level, last);
    }
    if (level == FPL_MAX_FRAMES) {
        int all = count_levels(co, level);
        /* levels not read: as big as the read ones on average */
        slots += slots / frames * (size_t)(all - level);
        frames = (size_t)all;
    }
    if (frames == 0 && co != L)
        slots += scan_unstarted(k, co);
    /* each level may reserve LUA_MINSTACK slots beyond its top */
    return fpl_model_thread(slots + (frames ? LUA_MINSTACK : 0), frames);
}

size_t fpl_refs_scan(fpl_sink *k, int idx, int t)
{
    switch (t) {
    case LUA_TTABLE:
        return scan_table(k, idx);
    case LUA_TFUNCTION:
        return scan_function(k, idx);
    case LUA_TUSERDATA:
        return scan_userdata(k, idx);
    case LUA_TTHREAD:
        return scan_thread(k, idx);
    default: /* not an object (a root may be anything) */
        return 0;
    }
}
