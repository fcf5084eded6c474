/*
 * ltracker.c - the class tracker for Lua values: the Tracker's state, and
 * the methods swig/lua.i adds to the shared SWIG Tracker
 * (swig/footprint.i), which need Lua values.
 *
 * The core fp_tracker's host is a walk of this adapter.  The state lives
 * in a userdata kept as the Tracker's user value (fpl_tstate,
 * linternal.h); its weak table of objects gives identities without
 * keeping objects alive, and exact deaths: a collected object's entry is
 * cleared before its memory can be reused, so an address never names two
 * objects at once.  Instances of tracked classes are found by a heap scan
 * (lheapscan.c) at track_class, at scan() and before each snapshot; a
 * snapshot then sizes the live tracked objects as roots of one walk, in
 * birth order.  Cost: one walk of the reachable heap per snapshot, at
 * footprint.sizeof speed.
 */
#include "fp_report.h"
#include "linternal.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FPL_TSTATE_MT "footprint.trackerstate"

static int tstate_gc(lua_State *L)
{
    fpl_tstate *S = luaL_checkudata(L, 1, FPL_TSTATE_MT);

    fp_sizer_free(S->walker);
    S->walker = NULL;
    fpl_walk_free(&S->scan);
    fpl_walk_free(&S->size);
    fpl_map_free(&S->classes);
    fpl_map_free(&S->resolved);
    fpl_map_free(&S->metas);
    fpl_census_free(&S->census);
    return 0;
}

void fpl_tracker_open(lua_State *L)
{
    if (luaL_newmetatable(L, FPL_TSTATE_MT)) {
        lua_pushcfunction(L, tstate_gc);
        lua_setfield(L, -2, "__gc");
        lua_pushliteral(L, "footprint: tracker state");
        lua_setfield(L, -2, "__metatable");
    }
    lua_pop(L, 1);
}

static size_t census_option(lua_State *L, int opts, size_t dflt);

void *fpl_tstate_new(lua_State *L, int opts, fp_host *host)
{
    size_t rows = census_option(L, opts, 0);
    fpl_tstate *S = lua_newuserdatauv(L, sizeof *S, 3);
    fp_host scan_host;
    int i;

    memset(S, 0, sizeof *S);
    S->census_rows = rows;
    fpl_census_init(&S->census);
    fpl_walk_init(&S->scan);
    fpl_walk_init(&S->size);
    fpl_map_init(&S->classes);
    fpl_map_init(&S->resolved);
    fpl_map_init(&S->metas);
    luaL_setmetatable(L, FPL_TSTATE_MT);
    for (i = FPL_UV_OBJS; i <= FPL_UV_KEEP; i++) {
        lua_newtable(L);
        if (i == FPL_UV_OBJS) {
            lua_createtable(L, 0, 1);
            lua_pushliteral(L, "v");
            lua_setfield(L, -2, "__mode");
            lua_setmetatable(L, -2);
        }
        lua_setiuservalue(L, -2, i);
    }
    fpl_corewalk_host(&S->scan, &scan_host);
    if (fp_sizer_new(&S->walker, &scan_host, NULL, NULL) != FP_OK)
        luaL_error(L, "footprint: out of memory");
    fpl_corewalk_host(&S->size, host);
    return S;
}

void fpl_tstate_attach(void *state, fp_tracker *t)
{
    fpl_tstate *S = state;

    S->owner = t;
    /* snapshots size each object as sizeof does, walking by themselves */
    fp_tracker_set_walk(t, fpl_hostwalk_root, &S->size);
}

fpl_tstate *fpl_tstate_check(lua_State *L, int idx)
{
    fpl_tstate *S = NULL;

    if (lua_type(L, idx) == LUA_TUSERDATA) {
        if (lua_getiuservalue(L, idx, 1) == LUA_TUSERDATA)
            S = luaL_testudata(L, -1, FPL_TSTATE_MT);
        lua_pop(L, 1);
    }
    if (!S)
        luaL_error(L, "footprint: this tracker does not follow Lua "
                      "objects (make one with footprint.tracker())");
    return S;
}

/* The state of the Tracker at index 1. */
static fpl_tstate *state(lua_State *L)
{
    return fpl_tstate_check(L, 1);
}

/* Push user value i of the state userdata of the Tracker at index 1. */
int fpl_tstate_push_uv(lua_State *L, int i)
{
    lua_getiuservalue(L, 1, 1);
    lua_getiuservalue(L, -1, i);
    lua_remove(L, -2);
    return lua_gettop(L);
}

/* The protected part of fpl_protected_rawset: t k v at 1..3. */
static int rawset_fn(lua_State *L)
{
    lua_rawset(L, 1);
    return 0;
}

int fpl_protected_rawset(lua_State *L)
{
    int st;

    lua_pushcfunction(L, rawset_fn);
    lua_insert(L, -4);
    st = lua_pcall(L, 3, 0, 0);
    if (st != LUA_OK)
        lua_pop(L, 1);
    return st;
}

int fpl_tstate_remember(lua_State *L, int objs, int keep, fp_handle h,
                        int idx)
{
    int st;

    lua_pushvalue(L, objs);
    lua_pushlightuserdata(L, (void *)h);
    if (idx)
        lua_pushvalue(L, idx);
    else
        lua_pushnil(L);
    st = fpl_protected_rawset(L);
    if (keep) {
        lua_pushvalue(L, keep);
        lua_pushlightuserdata(L, (void *)h);
        if (idx)
            lua_pushvalue(L, idx);
        else
            lua_pushnil(L);
        st |= fpl_protected_rawset(L);
    }
    return st;
}

int fpl_tstate_reconcile(lua_State *L, fp_tracker *t, int objs, fp_handle h,
                         int idx, double now)
{
    int same;

    if (!fp_tracker_is_tracked(t, h))
        return 0;
    lua_rawgetp(L, objs, (void *)h);
    same = lua_rawequal(L, -1, idx);
    lua_pop(L, 1);
    if (!same)
        fp_tracker_died(t, h, now);
    return same;
}

/* ---- the methods (called from swig/lua.i; the Tracker is at 1) ---- */

/* What runs with the collector stopped, in a protected call. */
typedef struct job {
    fpl_tstate *S;
    fp_tracker *t;
    const char *desc; /* snapshot; NULL for a scan only */
    size_t census;    /* rows of a census the snapshot keeps; 0: none */
    fp_status st;
    char msg[FP_ERRMSG_SIZE];
} job;

/* The census the heap scan took, as the last snapshot's: its `keep`
 * largest rows (names copied by the tracker) and its totals. */
static fp_status store_census(fp_tracker *t, const fpl_census *c,
                              size_t keep)
{
    size_t i, n = c->nrows < keep ? c->nrows : keep;
    fp_census_entry *e = malloc((n ? n : 1) * sizeof *e);
    char *names = malloc(n + c->npool + 1);
    size_t off = 0;
    fp_status st = FP_ENOMEM;

    /* the tracker wants NUL-terminated names */
    if (e && names) {
        for (i = 0; i < n; i++) {
            memcpy(names + off, c->rows[i].name, c->rows[i].len);
            names[off + c->rows[i].len] = '\0';
            e[i].name = names + off;
            e[i].count = c->rows[i].count;
            e[i].flat = c->rows[i].size;
            e[i].deep = 0;
            off += c->rows[i].len + 1;
        }
        st = fp_tracker_set_census(t, fp_tracker_snapshot_count(t) - 1, e,
                                   n, c->count, c->size);
    }
    free(e);
    free(names);
    return st;
}

static int run_job(lua_State *L)
{
    job *j = lua_touserdata(L, -1);
    fpl_tstate *S = j->S;
    uint64_t total = 0;
    fp_sizer_opts so;
    size_t i, n;
    double when;
    int objs;

    lua_pop(L, 1);
    S->now = fp_clock();
    j->st = fpl_heap_scan(L, S, j->t, j->census ? &S->census : NULL,
                          &total);
    if (j->st != FP_OK || !j->desc)
        return 0;
    /* Instances the scan found are born at its start; pympler counts an
     * object in a snapshot only if born strictly before it. */
    when = fp_clock();
    if (!(when > S->now))
        when = S->now + 1e-6;
    /* the live tracked objects, as roots of one walk in birth order */
    objs = fpl_tstate_push_uv(L, FPL_UV_OBJS);
    fpl_walk_begin(&S->size, L, NULL);
    fpl_walk_stop_at(&S->size, objs);
    n = fp_tracker_object_count(j->t);
    for (i = 0; i < n; i++) {
        fp_object_info oi;
        size_t live;
        if (fp_tracker_object_info(j->t, i, &oi) != FP_OK || oi.dead ||
            fp_tracker_object_index(j->t, oi.addr, &live) != FP_OK ||
            live != i)
            continue;
        lua_rawgetp(L, objs, (void *)oi.addr);
        fpl_walk_root(&S->size, -1);
        lua_pop(L, 1);
    }
    fpl_walk_mark_shared(&S->size);
    fp_sizer_opts_init(&so);
    so.align = 1;
    j->st = S->size.oom ? FP_ENOMEM
                        : fp_tracker_snapshot(j->t, when, j->desc, &so,
                                              total);
    /* out of memory here, the snapshot stays, without its census */
    if (j->st == FP_OK && j->census)
        j->st = store_census(j->t, &S->census, j->census);
    if (j->st != FP_OK)
        snprintf(j->msg, sizeof j->msg, "%s", fp_tracker_errmsg(j->t));
    fpl_walk_end(&S->size);
    return 0;
}

/* nil, message for a failure the caller can expect; true otherwise. */
static int result(lua_State *L, fp_status st, const char *msg)
{
    if (st == FP_OK) {
        lua_pushboolean(L, 1);
        return 1;
    }
    lua_pushnil(L);
    lua_pushfstring(L, "footprint: %s", msg && *msg ? msg : fp_strerror(st));
    return 2;
}

static int run(lua_State *L, fpl_tstate *S, fp_tracker *t, const char *desc,
               size_t census)
{
    job j;
    int st, running = lua_gc(L, LUA_GCISRUNNING);

    memset(&j, 0, sizeof j);
    j.S = S;
    j.t = t;
    j.desc = desc;
    j.census = census;
    if (running)
        lua_gc(L, LUA_GCSTOP);
    lua_pushcfunction(L, run_job);
    lua_pushvalue(L, 1);
    lua_pushlightuserdata(L, &j);
    st = lua_pcall(L, 2, 0, 0);
    if (running)
        lua_gc(L, LUA_GCRESTART);
    if (st != LUA_OK) {
        /* the walks' stack slots are gone with the error */
        fpl_walk_unwound(&S->scan);
        fpl_walk_unwound(&S->size);
        S->scan.meta_hook = NULL;
        S->scan.count_hook = NULL;
        S->t = NULL;
        if (st == LUA_ERRMEM) {
            lua_pop(L, 1);
            return result(L, FP_ENOMEM, NULL);
        }
        return lua_error(L);
    }
    return result(L, j.st, j.msg);
}

static int opt_level(lua_State *L, int opts)
{
    lua_Integer v = 0;

    if (opts && lua_getfield(L, opts, "resolution_level") != LUA_TNIL) {
        int isint;
        v = lua_tointegerx(L, -1, &isint);
        if (!isint || v < 0 || v > 255)
            luaL_error(L, "footprint: resolution_level must be an integer "
                          "0..255");
    }
    if (opts)
        lua_pop(L, 1);
    return (int)v;
}

static int opt_flag(lua_State *L, int opts, const char *name)
{
    int v = 0;

    if (opts) {
        int ty = lua_getfield(L, opts, name);
        if (ty != LUA_TNIL && ty != LUA_TBOOLEAN)
            luaL_error(L, "footprint: option '%s' must be a boolean", name);
        v = lua_toboolean(L, -1);
        lua_pop(L, 1);
    }
    return v;
}

static int check_opts(lua_State *L, int opts)
{
    if (!opts || lua_isnoneornil(L, opts))
        return 0;
    luaL_checktype(L, opts, LUA_TTABLE);
    return opts;
}

/* A name argument: a string, or nil/absent (NULL). */
static const char *opt_name(lua_State *L, int idx)
{
    if (!idx || lua_isnoneornil(L, idx))
        return NULL;
    return luaL_checkstring(L, idx);
}

/* t:track_class(cls [, name [, opts]]) */
int fpl_tracker_track_class(fp_tracker *t, lua_State *L, int cls, int name,
                            int opts)
{
    fpl_tstate *S = state(L);
    const char *n = opt_name(L, name);
    char buf[128];
    size_t index;
    unsigned flags;
    int level, classes;
    fp_status st;

    luaL_checktype(L, cls, LUA_TTABLE);
    opts = check_opts(L, opts);
    level = opt_level(L, opts);
    flags = (opt_flag(L, opts, "keep") ? FP_CLASS_KEEP : 0) |
            (opt_flag(L, opts, "trace") ? FP_CLASS_TRACE : 0);
    if (!n) {
        /* the tracked name, else __name, else what tostring shows */
        lua_pushliteral(L, "__name");
        if (lua_rawget(L, cls) == LUA_TSTRING) {
            snprintf(buf, sizeof buf, "%s", lua_tostring(L, -1));
        } else {
            fpl_describe(L, cls, buf, sizeof buf);
        }
        lua_pop(L, 1);
        n = buf;
    }
    st = fp_tracker_add_class(t, n, level, flags, &index);
    if (st != FP_OK)
        return luaL_error(L, "footprint: track_class: %s",
                          fp_tracker_errmsg(t)[0] ? fp_tracker_errmsg(t)
                                                  : fp_strerror(st));
    classes = fpl_tstate_push_uv(L, FPL_UV_CLASSES);
    lua_pushvalue(L, cls);
    lua_pushinteger(L, (lua_Integer)index);
    lua_rawset(L, classes);
    lua_pop(L, 1);
    if (opts) {
        int skip;
        lua_getfield(L, opts, "scan");
        skip = lua_type(L, -1) == LUA_TBOOLEAN && !lua_toboolean(L, -1);
        lua_pop(L, 1);
        if (skip) /* found at the next walk */
            return result(L, FP_OK, NULL);
    }
    /* instances that exist already are found now */
    return run(L, S, t, NULL, 0);
}

/* t:track_object(obj [, name [, opts]]) */
int fpl_tracker_track_object(fp_tracker *t, lua_State *L, int obj, int name,
                             int opts)
{
    fpl_tstate *S = state(L);
    const char *n = opt_name(L, name);
    char buf[128], repr[128];
    const char *trace = NULL;
    fp_handle h;
    size_t index;
    int level, keep, objs, kp, added = 0, ty = lua_type(L, obj);
    fp_status st;

    if (ty != LUA_TTABLE && ty != LUA_TUSERDATA && ty != LUA_TTHREAD &&
        !(ty == LUA_TFUNCTION && fpl_object_ptr(L, obj)))
        return luaL_error(L, "footprint: track_object: a table, full "
                             "userdata, Lua function or thread expected, "
                             "got %s", luaL_typename(L, obj));
    opts = check_opts(L, opts);
    level = opt_level(L, opts);
    keep = opt_flag(L, opts, "keep");
    if (!n) {
        /* its tracked class's name, else __name, else its type */
        n = NULL;
        if ((ty == LUA_TTABLE || ty == LUA_TUSERDATA) &&
            lua_getmetatable(L, obj)) {
            int classes = fpl_tstate_push_uv(L, FPL_UV_CLASSES);
            lua_pushvalue(L, -2);
            if (lua_rawget(L, classes) == LUA_TNUMBER) {
                fp_class_info ci;
                if (fp_tracker_class_info(t, (size_t)lua_tointeger(L, -1),
                                          &ci) == FP_OK) {
                    snprintf(buf, sizeof buf, "%s", ci.name);
                    n = buf;
                }
            }
            lua_pop(L, 2);
            if (!n) {
                lua_pushliteral(L, "__name");
                if (lua_rawget(L, -2) == LUA_TSTRING) {
                    snprintf(buf, sizeof buf, "%s", lua_tostring(L, -1));
                    n = buf;
                }
                lua_pop(L, 1);
            }
            lua_pop(L, 1);
        }
        if (!n)
            n = lua_typename(L, ty);
    }
    if (fp_tracker_find_class(t, n, &index) != FP_OK &&
        (st = fp_tracker_add_class(t, n, 0, 0, &index)) != FP_OK)
        return luaL_error(L, "footprint: track_object: %s",
                          fp_strerror(st));
    if (opt_flag(L, opts, "trace")) {
        luaL_traceback(L, L, NULL, 1);
        trace = lua_tostring(L, -1);
    }
    h = (fp_handle)lua_topointer(L, obj);
    objs = fpl_tstate_push_uv(L, FPL_UV_OBJS);
    kp = keep ? fpl_tstate_push_uv(L, FPL_UV_KEEP) : 0;
    S->now = fp_clock();
    if (fpl_tstate_reconcile(L, t, objs, h, obj, S->now))
        return result(L, FP_OK, NULL);
    fpl_describe(L, obj, repr, sizeof repr);
    st = fp_tracker_track(t, h, index, S->now, level, repr, trace, &added);
    if (st == FP_OK && fpl_tstate_remember(L, objs, kp, h, obj) != 0)
        st = FP_ENOMEM;
    return result(L, st, NULL);
}

/* The option census at opts (a table, or 0: none): true keeps every row
 * of a census, n the n largest, false none; dflt when absent.  Other
 * keys are errors. */
static size_t census_option(lua_State *L, int opts, size_t dflt)
{
    size_t v = dflt;
    int ty;

    if (!opts || lua_isnoneornil(L, opts))
        return v;
    luaL_checktype(L, opts, LUA_TTABLE);
    lua_pushnil(L);
    while (lua_next(L, opts)) {
        lua_pop(L, 1);
        if (lua_type(L, -1) != LUA_TSTRING ||
            strcmp(lua_tostring(L, -1), "census") != 0)
            luaL_error(L, "footprint: unknown option '%s'",
                       luaL_tolstring(L, -1, NULL));
    }
    ty = lua_getfield(L, opts, "census");
    if (ty == LUA_TBOOLEAN)
        v = lua_toboolean(L, -1) ? SIZE_MAX : 0;
    else if (ty == LUA_TNUMBER && lua_isinteger(L, -1) &&
             lua_tointeger(L, -1) >= 0)
        v = (size_t)lua_tointeger(L, -1);
    else if (ty != LUA_TNIL)
        luaL_error(L, "footprint: option 'census' must be a boolean or an "
                      "integer >= 0");
    lua_pop(L, 1);
    return v;
}

/* t:snapshot([desc [, opts]]) */
int fpl_tracker_snapshot(fp_tracker *t, lua_State *L, int desc, int opts)
{
    fpl_tstate *S = state(L);
    const char *d = opt_name(L, desc);
    size_t census = census_option(L, opts, S->census_rows);

    return run(L, S, t, d ? d : "", census);
}

/* t:scan(): find instances now (they are found at each snapshot too);
 * returns how many were new. */
int fpl_tracker_scan(fp_tracker *t, lua_State *L)
{
    fpl_tstate *S = state(L);
    int n = run(L, S, t, NULL, 0);

    if (n == 1) {
        lua_pop(L, 1);
        lua_pushinteger(L, (lua_Integer)S->found);
    }
    return n;
}

/* Empty the table at idx in place (assigning nil to a field met by next
 * is allowed; nothing is allocated, so nothing can raise). */
static void empty_table(lua_State *L, int idx)
{
    lua_pushnil(L);
    while (lua_next(L, idx)) {
        lua_pop(L, 1);
        lua_pushvalue(L, -1);
        lua_pushnil(L);
        lua_rawset(L, idx);
    }
}

/* t:detach_all(), t:clear() (clear also forgets objects and snapshots):
 * pympler's, and for a tracker of Lua values, its classes and kept objects
 * too, or the next walk would find the instances again. */
int fpl_tracker_detach_all(fp_tracker *t, lua_State *L, int clear)
{
    if (lua_getiuservalue(L, 1, 1) == LUA_TUSERDATA &&
        luaL_testudata(L, -1, FPL_TSTATE_MT)) {
        int uv;
        for (uv = FPL_UV_OBJS; uv <= FPL_UV_KEEP; uv++) {
            if (uv == FPL_UV_OBJS && !clear)
                continue; /* detached objects keep their identities */
            lua_getiuservalue(L, -1, uv);
            empty_table(L, lua_gettop(L));
            lua_pop(L, 1);
        }
    }
    lua_pop(L, 1);
    if (clear)
        fp_tracker_clear(t);
    fp_tracker_detach_all(t);
    return 0;
}

/* t:summary(): pympler's print_summary text. */
int fpl_tracker_summary(fp_tracker *t, lua_State *L)
{
    fp_text *text = NULL;
    fp_status st = fp_text_new(&text, NULL);

    if (st == FP_OK)
        st = fp_tracker_print_summary(t, text);
    if (st == FP_OK)
        lua_pushlstring(L, fp_text_data(text), fp_text_len(text));
    fp_text_free(text);
    return st == FP_OK ? 1 : result(L, st, NULL);
}

/* t:dump(path) */
int fpl_tracker_dump_file(fp_tracker *t, lua_State *L, int path)
{
    fp_status st = fp_tracker_dump(t, luaL_checkstring(L, path));

    return result(L, st, fp_tracker_errmsg(t));
}

/* t:html(path [, title]) */
int fpl_tracker_html(fp_tracker *t, lua_State *L, int path, int title)
{
    const char *file = luaL_checkstring(L, path);
    char msg[FP_ERRMSG_SIZE] = "";
    fp_text *text = NULL;
    fp_report_opts o;
    fp_status st;

    fp_report_opts_init(&o);
    o.title = opt_name(L, title);
    /* nothing below raises until the text is freed */
    st = fp_text_new(&text, NULL);
    if (st == FP_OK)
        st = fp_report_html(t, &o, text);
    if (st == FP_OK)
        st = fp_text_write(text, file);
    if (st != FP_OK && text)
        snprintf(msg, sizeof msg, "%s", fp_text_errmsg(text));
    fp_text_free(text);
    return result(L, st, msg);
}

/* t:census([snap]): rows {name=, count=, size=} largest first, and the
 * totals {count=, size=, rows=} the census had over every type; no rows
 * and zeros for a snapshot taken without one. */
int fpl_tracker_census(fp_tracker *t, lua_State *L, int snap)
{
    size_t nsnap = fp_tracker_snapshot_count(t), i, n;
    uint64_t count = 0, flat = 0;
    lua_Integer s;

    if (!snap || lua_isnoneornil(L, snap)) {
        if (!nsnap)
            return luaL_error(L, "footprint: census: no snapshot yet");
        s = (lua_Integer)nsnap - 1;
    } else {
        s = luaL_checkinteger(L, snap);
    }
    if (s < 0 || (size_t)s >= nsnap)
        return luaL_error(L, "footprint: census: no snapshot %I", s);
    n = fp_tracker_census_count(t, (size_t)s);
    lua_createtable(L, n < INT_MAX ? (int)n : INT_MAX, 0);
    for (i = 0; i < n; i++) {
        fp_census_entry e;
        if (fp_tracker_census_entry(t, (size_t)s, i, &e) != FP_OK)
            break;
        lua_createtable(L, 0, 3);
        lua_pushstring(L, e.name);
        lua_setfield(L, -2, "name");
        lua_pushinteger(L, (lua_Integer)e.count);
        lua_setfield(L, -2, "count");
        lua_pushinteger(L, (lua_Integer)e.flat);
        lua_setfield(L, -2, "size");
        lua_rawseti(L, -2, (lua_Integer)i + 1);
    }
    fp_tracker_census_totals(t, (size_t)s, &count, &flat);
    lua_createtable(L, 0, 3);
    lua_pushinteger(L, (lua_Integer)count);
    lua_setfield(L, -2, "count");
    lua_pushinteger(L, (lua_Integer)flat);
    lua_setfield(L, -2, "size");
    lua_pushinteger(L, (lua_Integer)n);
    lua_setfield(L, -2, "rows");
    return 2;
}
