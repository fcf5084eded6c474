/*
 * lua.i - the Lua part of the bindings: the module footprint.
 *
 * The shared interface (footprint.i) gives version, strerror, status_name,
 * check_version, format_size and format_time; a status other than FP_OK
 * raises a Lua error, as misuse should.  The rest is the Lua adapter's own
 * functions (bindings/lua), which take and return Lua values SWIG's
 * typemaps cannot describe: they are set into the module table at load
 * ("sizeof" is a C keyword, which SWIG's %native will not take as a name).
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
%}

%include "footprint.i"

%init %{
    /* The module table is on top of the stack here. */
    {
        static const luaL_Reg fns[] = {
            {"sizeof", fpl_sizeof},     {"sizesof", fpl_sizesof},
            {"sized", fpl_sized},       {"flatsize", fpl_flatsize},
            {"sizer", fpl_sizer_new},   {"stats", fpl_stats},
            {"tracker", fpl_tracker_new}, {NULL, NULL}};

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
