/*
 * lua.i - the Lua part of the bindings: the module footprint.
 *
 * From the shared interface (footprint.i): version, strerror, status_name,
 * check_version, format_size, format_time, and the class tracker as one
 * Tracker object (its getters, sort, print_stats, print_object, load,
 * diff_html); a status other than FP_OK raises a Lua error, as misuse
 * should.  Added here, from the Lua adapter (bindings/lua):
 *
 *  - sizeof, sizesof, sized, flatsize, sizer, stats, census: functions
 *    taking and returning Lua values, which SWIG's typemaps cannot
 *    describe, set into the module table at load ("sizeof" is a C
 *    keyword, which SWIG will not take as a name);
 *  - footprint.tracker([opts]): a Tracker whose core tracker follows Lua
 *    objects, with the methods track_class, track_object, scan, snapshot
 *    (with a census when asked), summary, dump, html, detach_all and
 *    clear, and census (a snapshot's, as footprint.census returns it,
 *    for any Tracker).  They read Lua values from the stack (lua_State
 *    and stack-index typemaps below) and answer expected failures with
 *    nil, message.  They replace the shared
 *    snapshot, dump, html, detach_all and clear, which raise or know
 *    nothing of Lua objects.
 */
%module footprint

%{
#include "fp_lua.h"

/* The error value for status st: the wrapper then raises it. */
static void fpl_swig_error(lua_State *L, int st, const char *msg)
{
    lua_pushfstring(L, "footprint: %s", msg ? msg : fp_strerror(st));
}

#define FP_SWIG_RAISE(st) fpl_swig_error(L, (st), NULL)
#define FP_SWIG_RAISE_MSG(st, msg) fpl_swig_error(L, (st), (msg))
#define FP_SWIG_OK (lua_pushboolean(L, 1), SWIG_arg++)

/* Any Lua value is a valid argument: the method checks it. */
#define fpl_swig_anyarg(L, i) ((void)(L), (void)(i), 1)
%}

/* Typemaps for the Lua methods; SWIG applies them only to classes
 * declared after them, so before footprint.i. */
%typemap(in, numinputs=0) lua_State *L "$1 = L;"
%typemap(in, checkfn="fpl_swig_anyarg") int LUA_ARG "$1 = $input;"
%apply int LUA_ARG { int arg_cls, int arg_obj, int arg_name, int arg_opts,
                     int arg_desc, int arg_path, int arg_title,
                     int arg_snap };
%typemap(out) int track_class, int track_object, int scan, int snapshot,
    int summary, int dump, int html, int detach_all, int clear, int census
    "SWIG_arg += $1;"

%ignore fp_swig_tracker::snapshot(double, const char *, unsigned long long);
%ignore fp_swig_tracker::dump(const char *);
%ignore fp_swig_tracker::detach_all();
%ignore fp_swig_tracker::clear();
%ignore fp_swig_tracker::html(const char *, const char *, long long, long long,
                              long long, long long, long long, long long,
                              int);

%include "footprint.i"

%feature("compactdefaultargs") fp_swig_tracker::track_class;
%feature("compactdefaultargs") fp_swig_tracker::track_object;
%feature("compactdefaultargs") fp_swig_tracker::snapshot;
%feature("compactdefaultargs") fp_swig_tracker::html;
%feature("compactdefaultargs") fp_swig_tracker::census;

%extend fp_swig_tracker {
    int track_class(lua_State *L, int arg_cls, int arg_name = 0,
                    int arg_opts = 0);
    int track_object(lua_State *L, int arg_obj, int arg_name = 0,
                     int arg_opts = 0);
    int scan(lua_State *L);
    int snapshot(lua_State *L, int arg_desc = 0, int arg_opts = 0);
    int summary(lua_State *L);
    int dump(lua_State *L, int arg_path);
    int html(lua_State *L, int arg_path, int arg_title = 0);
    int detach_all(lua_State *L);
    int clear(lua_State *L);
    int census(lua_State *L, int arg_snap = 0);
}

%{
static int fp_swig_tracker_track_class(fp_swig_tracker *t, lua_State *L,
                                       int cls, int name, int opts)
{
    return fpl_tracker_track_class(t, L, cls, name, opts);
}

static int fp_swig_tracker_track_object(fp_swig_tracker *t, lua_State *L,
                                        int obj, int name, int opts)
{
    return fpl_tracker_track_object(t, L, obj, name, opts);
}

static int fp_swig_tracker_scan(fp_swig_tracker *t, lua_State *L)
{
    return fpl_tracker_scan(t, L);
}

static int fp_swig_tracker_snapshot(fp_swig_tracker *t, lua_State *L,
                                    int desc, int opts)
{
    return fpl_tracker_snapshot(t, L, desc, opts);
}

static int fp_swig_tracker_summary(fp_swig_tracker *t, lua_State *L)
{
    return fpl_tracker_summary(t, L);
}

static int fp_swig_tracker_dump(fp_swig_tracker *t, lua_State *L, int path)
{
    return fpl_tracker_dump_file(t, L, path);
}

static int fp_swig_tracker_html(fp_swig_tracker *t, lua_State *L, int path,
                                int title)
{
    return fpl_tracker_html(t, L, path, title);
}

static int fp_swig_tracker_detach_all(fp_swig_tracker *t, lua_State *L)
{
    return fpl_tracker_detach_all(t, L, 0);
}

static int fp_swig_tracker_clear(fp_swig_tracker *t, lua_State *L)
{
    return fpl_tracker_detach_all(t, L, 1);
}

static int fp_swig_tracker_census(fp_swig_tracker *t, lua_State *L, int snap)
{
    return fpl_tracker_census(t, L, snap);
}

/* footprint.tracker([opts]): a Tracker whose host is a walk of Lua
 * values; the Tracker (which owns the core tracker) keeps the adapter's
 * state alive as its user value. */
static int fpl_swig_tracker_new(lua_State *L)
{
    fp_tracker *t = NULL;
    fp_host host;
    fp_status st;

    void *state = fpl_tstate_new(L, lua_isnone(L, 1) ? 0 : 1, &host);
    st = fp_tracker_new(&t, &host, NULL);
    if (st != FP_OK)
        return luaL_error(L, "footprint: %s", fp_strerror(st));
    fpl_tstate_attach(state, t);
    SWIG_NewPointerObj(L, t, SWIGTYPE_p_fp_swig_tracker, 1);
    lua_pushvalue(L, -2);
    lua_setiuservalue(L, -2, 1);
    return 1;
}
%}

%init %{
    /* The module table is on top of the stack here. */
    {
        static const luaL_Reg fns[] = {
            {"sizeof", fpl_sizeof},     {"sizesof", fpl_sizesof},
            {"sized", fpl_sized},       {"flatsize", fpl_flatsize},
            {"sizer", fpl_sizer_new},   {"stats", fpl_stats},
            {"tracker", fpl_swig_tracker_new}, {"census", fpl_census_heap},
            {NULL, NULL}};

        fp_clock(); /* the tracker's times: seconds since the module loaded */
        if (fp_check_version(FP_VERSION_NUMBER) != FP_OK)
            luaL_error(L, "footprint: the core library is version %d, this "
                          "binding was built for %d", fp_version(),
                       FP_VERSION_NUMBER);
        if (lua_version(L) < 504 || lua_version(L) >= 505)
            luaL_error(L, "footprint: built for Lua 5.4, running in %d",
                       (int)lua_version(L));
        fpl_sizer_open(L);
        fpl_tracker_open(L);
        luaL_setfuncs(L, fns, 0);
        lua_pushstring(L, "Lua 5.4 object layout, nominal sizes");
        lua_setfield(L, -2, "model");
        /* SWIG adds two helpers to the globals; a library should not. */
        lua_pushnil(L);
        lua_setglobal(L, "swig_type");
        lua_pushnil(L);
        lua_setglobal(L, "swig_equals");
    }
%}
