/*
 * lanchor.c - the anchor: values a walk keeps for later on the Lua side,
 * in a table at a fixed stack slot, and beside each slot an entry in C
 * (handle, flags, and a size, prototype number or depth).
 *
 * The core-driven walk keeps there every value the core may ask about;
 * the host-driven walk its roots and the objects past its recursion
 * bound.  Growing the table is the one allocation in Lua the entries make:
 * its array part is preallocated, and grown in a protected call at each
 * power of two (the anchor never has holes, so Lua's rehash always doubles
 * it).  Failures set w->oom.
 */
#include "linternal.h"

#include <stdlib.h>

/* The anchor's first array part.  A host-driven walk puts only its roots
 * and the rare objects past its recursion bound there, and a small call
 * should not pay for a big table; later walks start at what the last one
 * needed. */
#define FPL_ANCHOR_MIN 32u

void fpl_anchor_open(fpl_walk *w)
{
    fpl_anchor *a = &w->anchor;

    /* A sizer is often called on similar data: start the anchor at the
     * size the last walk needed, rather than double it up again. */
    a->cap = FPL_ANCHOR_MIN;
    while (a->cap < a->max && a->cap < (size_t)1 << 22)
        a->cap *= 2;
    lua_createtable(w->L, (int)a->cap, 0);
    a->index = lua_gettop(w->L);
    a->max = a->high = 0;
    a->top = 0;
}

void fpl_anchor_free(fpl_anchor *a)
{
    free(a->ptr);
    free(a->aux);
    free(a->flags);
}

/* t[k] = v one past the array part: Lua's rehash doubles the array (every
 * slot below is in use), which may raise a memory error. */
static int anchor_grow(lua_State *L)
{
    lua_Integer k = lua_tointeger(L, 3);
    lua_settop(L, 2);
    lua_rawseti(L, 1, k);
    return 0;
}

/* anchor[k] = value at idx (absolute).  -1 on memory failure. */
static int slot_set(fpl_walk *w, int idx, size_t k)
{
    lua_State *L = w->L;

    if (k <= w->anchor.cap) {
        lua_pushvalue(L, idx);
        lua_rawseti(L, w->anchor.index, (lua_Integer)k);
        return 0;
    }
    lua_pushcfunction(L, anchor_grow);
    lua_pushvalue(L, w->anchor.index);
    lua_pushvalue(L, idx);
    lua_pushinteger(L, (lua_Integer)k);
    if (lua_pcall(L, 3, 0, 0) != LUA_OK) {
        lua_pop(L, 1);
        return -1;
    }
    w->anchor.cap *= 2;
    return 0;
}

/* anchor[k] = the value on top, which is popped.  -1 on memory failure
 * (the value is popped all the same). */
static int slot_take(fpl_walk *w, size_t k)
{
    lua_State *L = w->L;
    int st;

    if (k <= w->anchor.cap) {
        lua_rawseti(L, w->anchor.index, (lua_Integer)k);
        return 0;
    }
    lua_pushcfunction(L, anchor_grow);
    lua_pushvalue(L, w->anchor.index);
    lua_pushvalue(L, -3);
    lua_pushinteger(L, (lua_Integer)k);
    st = lua_pcall(L, 3, 0, 0);
    lua_settop(L, st == LUA_OK ? -2 : -3);
    if (st != LUA_OK)
        return -1;
    w->anchor.cap *= 2;
    return 0;
}

static int grow_entries(fpl_anchor *a)
{
    size_t cap = a->ecap ? a->ecap * 2 : 4096;
    const void **p;
    size_t *x;
    uint8_t *f;

    if (cap > SIZE_MAX / sizeof *x)
        return -1;
    if (!(p = realloc(a->ptr, cap * sizeof *p)))
        return -1;
    a->ptr = p;
    if (!(x = realloc(a->aux, cap * sizeof *x)))
        return -1;
    a->aux = x;
    if (!(f = realloc(a->flags, cap)))
        return -1;
    a->flags = f;
    a->ecap = cap;
    return 0;
}

/* Entry k, whose slot is written, holds h. */
static void set_entry(fpl_anchor *a, size_t k, const void *h, unsigned flags,
                      size_t aux)
{
    a->ptr[k] = h;
    a->aux[k] = aux;
    a->flags[k] = (uint8_t)flags;
    a->top = k;
    if (k > a->high)
        a->high = k;
}

int fpl_anchor_add(fpl_walk *w, int idx, const void *h, unsigned flags,
                   size_t aux)
{
    fpl_anchor *a = &w->anchor;
    size_t k = a->top + 1;

    if (k >= a->ecap && grow_entries(a) < 0)
        goto oom;
    /* A leaf is never fetched: a slot that already holds a value (from an
     * earlier level) can keep it. */
    if (k > a->max || !(flags & FPL_E_LEAF)) {
        if (slot_set(w, idx, k) < 0)
            goto oom;
        if (k > a->max)
            a->max = k;
    }
    set_entry(a, k, h, flags, aux);
    return 0;
oom:
    w->oom = 1;
    return -1;
}

int fpl_anchor_take(fpl_walk *w, int idx, int t)
{
    fpl_anchor *a = &w->anchor;
    size_t len, k = a->top + 1;
    const void *p;

    if (!(p = fpl_object_at(w->L, idx, t, &len)))
        return 0;
    if ((k >= a->ecap && grow_entries(a) < 0) || slot_take(w, k) < 0) {
        w->oom = 1;
        return -1;
    }
    if (k > a->max)
        a->max = k;
    set_entry(a, k, p, fpl_entry_flags(t), 0);
    return 1;
}
