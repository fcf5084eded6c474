#include "fp_lua.h"
int fpl_tracker_new(lua_State *L) { return luaL_error(L, "footprint: tracker not built yet"); }
void fpl_tracker_open(lua_State *L) { (void)L; }
