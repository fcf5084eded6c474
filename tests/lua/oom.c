/*
 * oom.c - footprint's Lua functions when Lua's allocator fails.
 *
 * A Lua state whose allocator refuses the k-th allocation from a chosen
 * point on, for every k until a call no longer meets a failure.  Each
 * case runs one Lua call (sizeof without a limit: the host-driven walk,
 * with its work thread, anchor and deferred deep chain; sizeof with a
 * limit and sized: the core's walk; a tracker's snapshot: the heap scan;
 * footprint.census: the heap scan's walk counting every object)
 * and accepts three outcomes: the right answer, nil and a message naming
 * memory, or a memory error raised (from outside the protected part).
 * Then the allocator recovers and the same call must give the right
 * answer, the collector must be running and the stack balanced: a
 * failure loses nothing.  The C side of footprint (its sets) is failed by
 * tests/c (allocation failure at every point).
 *
 *   LUA_CPATH='build/lua/?.so;;' build/tests/lua/oom
 * prints "N passed, N failed" like tests/lua/run.lua.
 */
#include <lauxlib.h>
#include <lua.h>
#include <lualib.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct budget {
    long left; /* allocations still granted; -1: no limit */
    long refused;
} budget;

static void *limited_alloc(void *ud, void *ptr, size_t osize, size_t nsize)
{
    budget *b = ud;

    if (nsize == 0) {
        free(ptr);
        return NULL;
    }
    /* ptr == NULL: osize is a type tag, not a size; shrinking must work */
    if (!ptr || nsize > osize) {
        if (b->left == 0) {
            b->refused++;
            return NULL;
        }
        if (b->left > 0)
            b->left--;
    }
    return realloc(ptr, nsize);
}

/* The graph every case measures: a chain deeper than the adapter's
 * recursion bound (200), a wide table, strings, a closure, a suspended
 * coroutine, many tables just past the bound; and a tracked class with
 * instances. */
static const char setup[] =
    "fp = require 'footprint'\n"
    "local chain = {}\n"
    "for i = 1, 700 do chain = {chain, 's' .. i} end\n"
    "local wide = {}\n"
    "for i = 1, 3000 do wide[i] = {i, x = i} end\n"
    "local co = coroutine.create(function(a) coroutine.yield(a) end)\n"
    "coroutine.resume(co, wide)\n"
    "g = {chain, wide, co, function() return chain end}\n"
    /* 2,000 tables just past the bound: they wait in the anchor, which
     * grows past its first 1,024 slots */
    "local deep = {}\n"
    "for i = 1, 2000 do deep[i] = {} end\n"
    "for i = 1, 199 do deep = {deep} end\n"
    "g[5] = deep\n"
    "Point = {__name = 'Point'}\n"
    "points = {}\n"
    "for i = 1, 500 do points[i] = setmetatable({x = i}, Point) end\n"
    "tracker = fp.tracker()\n"
    "tracker:track_class(Point)\n";

/* Each case: a chunk returning the value to compare. */
static const struct {
    const char *name, *chunk;
} cases[] = {
    {"sizeof (host-driven walk)", "return fp.sizeof(g)"},
    /* a new sizer's anchor starts small: deferred tables make it grow */
    {"a new sizer's sizeof", "return fp.sizer():sizeof(g)"},
    {"sizesof (host-driven walk)", "return fp.sizesof(g[2], g)"},
    {"sizeof with a limit (core walk)",
     "return fp.sizeof(g, {limit = 1000000})"},
    {"sized (core walk, tree)", "return fp.sized(g[1], {detail = 3}).size"},
    {"tracker snapshot (heap scan)",
     "tracker:snapshot('s') return math.tointeger(tracker:live_count())"},
    /* the heap walk with its census; a kept result would be counted by
     * the next call, so only numbers come back */
    {"census", "local _, t = fp.census() return t.size * 1000 + t.count"},
    {"census by class, prototypes",
     "local r, t = fp.census{tracker = tracker, code = true, limit = 2}\n"
     "return t.size * 1000 + r[1].count"},
    {"tracker snapshot with a census",
     "tracker:snapshot('s', {census = true})\n"
     "local _, t = tracker:census()\n"
     "return t.count * 1000 + math.tointeger(tracker:live_count())"},
};

static int passed, failed;

static void fail(const char *name, long k, const char *what)
{
    failed++;
    fprintf(stderr, "FAIL %s, allocation %ld refused: %s\n", name, k, what);
}

/* Run chunk; 1 with the result (an integer) in *out, 0 for "nil,
 * message" with a memory message, -1 for a memory error raised, -2 for
 * anything else (described in why). */
static int run(lua_State *L, const char *chunk, lua_Integer *out,
               char *why, size_t cap)
{
    int top = lua_gettop(L), st, r;

    st = luaL_loadstring(L, chunk);
    if (st == LUA_OK)
        st = lua_pcall(L, 0, 2, 0);
    if (st == LUA_ERRMEM) {
        r = -1;
    } else if (st != LUA_OK) {
        snprintf(why, cap, "error: %s", lua_tostring(L, -1));
        r = -2;
    } else if (lua_isinteger(L, -2)) {
        *out = lua_tointeger(L, -2);
        r = 1;
    } else if (lua_isnil(L, -2) && lua_type(L, -1) == LUA_TSTRING &&
               strstr(lua_tostring(L, -1), "memory")) {
        r = 0;
    } else {
        snprintf(why, cap, "unexpected result: %s, %s",
                 luaL_typename(L, -2), luaL_tolstring(L, -1, NULL));
        r = -2;
    }
    lua_settop(L, top);
    return r;
}

/* One case at one failure point k: 1 while a failure was met. */
static int one(const char *name, const char *chunk, long k)
{
    budget b = {-1, 0};
    lua_State *L = lua_newstate(limited_alloc, &b);
    lua_Integer want = 0, got = 0;
    char why[256];
    int r, met;

    if (!L || (luaL_openlibs(L), luaL_dostring(L, setup) != LUA_OK)) {
        fail(name, k, L ? lua_tostring(L, -1) : "no state");
        if (L)
            lua_close(L);
        return 0;
    }
    if (run(L, chunk, &want, why, sizeof why) != 1) {
        fail(name, k, why);
        lua_close(L);
        return 0;
    }
    b.left = k;
    r = run(L, chunk, &got, why, sizeof why);
    met = b.refused > 0;
    b.left = -1;
    if (r == -2)
        fail(name, k, why);
    else if (r == 1 && got != want)
        fail(name, k, "a wrong answer");
    else if (run(L, chunk, &got, why, sizeof why) != 1)
        fail(name, k, "no answer once memory is back");
    else if (got != want)
        fail(name, k, "a different answer once memory is back");
    else if (lua_gettop(L) != 0)
        fail(name, k, "stack not balanced");
    else if (!lua_gc(L, LUA_GCISRUNNING))
        fail(name, k, "collector left stopped");
    else
        passed++;
    lua_close(L);
    return met;
}

int main(void)
{
    size_t i;

    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        int before = failed;
        long k;
        /* every k until the call runs without meeting a failure */
        for (k = 0; one(cases[i].name, cases[i].chunk, k); k++)
            if (failed > before + 3)
                break;
        printf("%-34s %ld failure points\n", cases[i].name, k);
    }
    printf("%d passed, %d failed\n", passed, failed);
    return failed ? 1 : 0;
}
