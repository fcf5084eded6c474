/*
 * fp_lua.h - the Lua 5.4 adapter as swig/lua.i sees it: the module
 * functions that take and return Lua values, and the Tracker methods that
 * read them from the stack.  Misuse raises a Lua error; a failure the
 * caller can expect (out of memory, an unwritable path) returns
 * nil, message.  What the adapter's own files share is linternal.h.
 */
#ifndef FP_LUA_H
#define FP_LUA_H

#include <lauxlib.h>
#include <lua.h>

#include "footprint.h"

#if LUA_VERSION_NUM != 504
#error "the footprint Lua adapter models Lua 5.4's object layout"
#endif

/* ---- sizing (lsizer.c): footprint.sizeof and its kin ---- */
int fpl_sizeof(lua_State *L);
int fpl_sizesof(lua_State *L);
int fpl_sized(lua_State *L);
int fpl_sizer_new(lua_State *L);
int fpl_flatsize(lua_State *L);
int fpl_stats(lua_State *L);
void fpl_sizer_open(lua_State *L);

/* ---- the census (lcensus.c): footprint.census([opts]) ---- */
int fpl_census_heap(lua_State *L);

/* ---- the class tracker (ltracker.c) ---- */
void fpl_tracker_open(lua_State *L);
/* Push the state userdata of a new Lua tracker, with the options at
 * index opts (0: none; misuse raises); *host is the fp_host its core
 * tracker must be made with. */
void *fpl_tstate_new(lua_State *L, int opts, fp_host *host);
/* Tie that state to the core tracker made with host. */
void fpl_tstate_attach(void *state, fp_tracker *t);
/* The Tracker methods swig/lua.i adds: the Tracker is at stack index 1,
 * arguments at the indices given (0: absent); they return how many values
 * they pushed. */
int fpl_tracker_track_class(fp_tracker *t, lua_State *L, int cls, int name,
                            int opts);
int fpl_tracker_track_object(fp_tracker *t, lua_State *L, int obj, int name,
                             int opts);
int fpl_tracker_snapshot(fp_tracker *t, lua_State *L, int desc, int opts);
int fpl_tracker_scan(fp_tracker *t, lua_State *L);
/* clear: also forget objects and snapshots (t:clear()). */
int fpl_tracker_detach_all(fp_tracker *t, lua_State *L, int clear);
int fpl_tracker_summary(fp_tracker *t, lua_State *L);
int fpl_tracker_dump_file(fp_tracker *t, lua_State *L, int path);
int fpl_tracker_html(fp_tracker *t, lua_State *L, int path, int title);
/* t:census([snap]): snapshot snap's census (default: the last) as
 * footprint.census returns one; any Tracker, loaded ones too. */
int fpl_tracker_census(fp_tracker *t, lua_State *L, int snap);

#endif /* FP_LUA_H */
