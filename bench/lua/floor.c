/*
 * floor.c - the least work any sizer of Lua values that uses only the
 * public C API must do: read every table once with lua_next, look at each
 * key's and value's type, recurse into table values.  Nothing else: no
 * visited set (the bench's graphs have no shared tables), no size, no
 * strings, closures or upvalues.  bench/lua/bench.lua times it beside
 * footprint.sizeof and the pure-Lua sizer, so that the speed table shows
 * how far from the API's own cost each ratio is.
 *
 *   local tables = require("floor")(v)   -- tables read, v included
 */
#include <lauxlib.h>
#include <lua.h>

static lua_Integer walk(lua_State *L, int t)
{
    lua_Integer n = 1;
    int key = lua_gettop(L) + 1;

    luaL_checkstack(L, 4, "floor: graph too deep");
    lua_pushnil(L);
    while (lua_next(L, t)) {
        if (lua_type(L, key) == LUA_TTABLE)
            n += walk(L, key);
        if (lua_type(L, key + 1) == LUA_TTABLE)
            n += walk(L, key + 1);
        lua_settop(L, key);
    }
    return n;
}

static int floor_walk(lua_State *L)
{
    luaL_checktype(L, 1, LUA_TTABLE);
    lua_settop(L, 1);
    lua_pushinteger(L, walk(L, 1));
    return 1;
}

int luaopen_floor(lua_State *L)
{
    lua_pushcfunction(L, floor_walk);
    return 1;
}
