/*
 * lmodel.c - bytes Lua 5.4 allocates for each kind of object.
 *
 * Lua's private headers are not installed and not used.  The structs below
 * are a model written from Lua 5.4's documented design: field for field the
 * shapes Lua allocates, so that the compiler lays them out (padding, pointer
 * width) as it lays out Lua's own.  Sizes are what Lua asks its allocator
 * for, which is what collectgarbage("count") adds up; docs/lua.md lists
 * them and how they were checked (tests/lua compare them with
 * collectgarbage deltas for each kind).
 *
 * What the public API cannot see is estimated from what it can: a table's
 * array and hash sizes from the keys a lua_next pass meets (see
 * fpl_model_asize), a thread's stack from its frames.
 */
#include "linternal.h"

#include <signal.h>
#include <string.h>

/* A value slot: an 8-byte union and a type byte. */
typedef union m_value {
    void *p;
    lua_CFunction f;
    lua_Integer i;
    lua_Number n;
} m_value;

typedef struct m_tvalue {
    m_value value;
    unsigned char tt;
} m_tvalue;

/* Every collectable object starts with these. */
#define M_HEADER \
    void *next;  \
    unsigned char tt, marked

typedef struct m_table {
    M_HEADER;
    unsigned char flags, lsizenode;
    unsigned int alimit;
    void *array, *node, *lastfree, *metatable, *gclist;
} m_table;

/* A hash node: the value, the key's type and chain link, the key. */
typedef struct m_node {
    m_value value;
    unsigned char tt, key_tt;
    int next;
    m_value key;
} m_node;

typedef struct m_string {
    M_HEADER;
    unsigned char extra, shrlen;
    unsigned int hash;
    union {
        size_t lnglen;
        void *hnext;
    } u;
    char contents[1];
} m_string;

typedef union m_uvalue {
    m_tvalue uv;
    LUAI_MAXALIGN;
} m_uvalue;

typedef struct m_udata {
    M_HEADER;
    unsigned short nuvalue;
    size_t len;
    void *metatable, *gclist;
    m_uvalue uv[1];
} m_udata;

/* Userdata without user values drop gclist and keep the block aligned. */
typedef struct m_udata0 {
    M_HEADER;
    unsigned short nuvalue;
    size_t len;
    void *metatable;
    union {
        LUAI_MAXALIGN;
    } bindata;
} m_udata0;

#define M_CLOSURE_HEADER       \
    M_HEADER;                  \
    unsigned char nupvalues;   \
    void *gclist

typedef struct m_cclosure {
    M_CLOSURE_HEADER;
    lua_CFunction f;
    m_tvalue upvalue[1];
} m_cclosure;

typedef struct m_lclosure {
    M_CLOSURE_HEADER;
    void *p;
    void *upvals[1];
} m_lclosure;

typedef struct m_upval {
    M_HEADER;
    unsigned char tbc;
    void *v;
    union {
        struct {
            void *next, *previous;
        } open;
        m_tvalue value;
    } u;
} m_upval;

typedef struct m_proto {
    M_HEADER;
    unsigned char numparams, is_vararg, maxstacksize;
    int sizeupvalues, sizek, sizecode, sizelineinfo, sizep, sizelocvars,
        sizeabslineinfo, linedefined, lastlinedefined;
    void *k, *code, *p, *upvalues, *lineinfo, *abslineinfo, *locvars,
        *source, *gclist;
} m_proto;

typedef struct m_upvaldesc {
    void *name;
    unsigned char instack, idx, kind;
} m_upvaldesc;

typedef struct m_locvar {
    void *varname;
    int startpc, endpc;
} m_locvar;

typedef struct m_abslineinfo {
    int pc, line;
} m_abslineinfo;

typedef struct m_callinfo {
    void *func, *top, *previous, *next;
    union {
        struct {
            const void *savedpc;
            volatile sig_atomic_t trap;
            int nextraargs;
        } l;
        struct {
            lua_KFunction k;
            ptrdiff_t old_errfunc;
            lua_KContext ctx;
        } c;
    } u;
    union {
        int funcidx, nyield, nres;
        struct {
            unsigned short ftransfer, ntransfer;
        } transferinfo;
    } u2;
    short nresults;
    unsigned short callstatus;
} m_callinfo;

typedef struct m_state {
    M_HEADER;
    unsigned char status, allowhook;
    unsigned short nci;
    void *top, *l_G, *ci, *stack_last, *stack, *openupval, *tbclist,
        *gclist, *twups, *errorJmp;
    m_callinfo base_ci;
    volatile lua_Hook hook;
    ptrdiff_t errfunc;
    uint32_t nCcalls;
    int oldpc, basehookcount, hookcount;
    volatile sig_atomic_t hookmask;
} m_state;

/* A thread carries LUA_EXTRASPACE bytes in front of its state. */
typedef struct m_lx {
    char extra[LUA_EXTRASPACE];
    m_state l;
} m_lx;

typedef union m_stackvalue {
    m_tvalue val;
    struct {
        m_value value;
        unsigned char tt;
        unsigned short delta;
    } tbclist;
} m_stackvalue;

/* Strings up to this length are interned (LUAI_MAXSHORTLEN). */
#define M_MAXSHORTLEN 40
/* A new thread's stack: 2 * LUA_MINSTACK slots plus 5 spare. */
#define M_BASIC_STACK (2 * LUA_MINSTACK)
#define M_EXTRA_STACK 5
/* Array parts hold at most 2^31 slots (keys beyond live in the hash). */
#define M_MAXABITS 31

size_t fpl_model_tvalue(void)
{
    return sizeof(m_tvalue);
}

void fpl_tcount_init(fpl_tcount *c)
{
    /* nums is zeroed by the first integer key: most tables have none */
    c->n = c->nint = c->maxint = 0;
}

/* Bucket of key k >= 1: ceil(log2(k)). */
static unsigned ceil_log2(uint64_t k)
{
    return k <= 1 ? 0 : 64u - (unsigned)__builtin_clzll(k - 1);
}

void fpl_tcount_key(lua_State *L, int idx, fpl_tcount *c)
{
    int isint;
    lua_Integer k = lua_tointegerx(L, idx, &isint);

    c->n++;
    /* a float key is never integral: Lua stores those as integers */
    if (isint && k >= 1 && (uint64_t)k <= (uint64_t)1 << M_MAXABITS) {
        if (!c->nint)
            memset(c->nums, 0, sizeof c->nums);
        c->nums[ceil_log2((uint64_t)k)]++;
        c->nint++;
        if ((size_t)k > c->maxint)
            c->maxint = (size_t)k;
    }
}

/*
 * Lua sizes a table's parts only when an insert finds the hash part full
 * (a rehash): the array gets the largest power of two 2^i such that more
 * than half of 1..2^i are keys, the hash gets the smallest power of two
 * that holds the rest.  Between rehashes inserts fill free slots, so for a
 * table that only grew, recomputing that rule from today's keys gives the
 * sizes it has.  (Tables made by a constructor or lua_createtable have
 * exact sizes until their first rehash: lwalk.c probes for those.)
 */
size_t fpl_model_asize(const fpl_tcount *c, size_t *na)
{
    size_t a = 0, optimal = 0, in_array = 0;
    uint64_t twotoi;
    unsigned i;

    if (!c->nint) {
        *na = 0;
        return 0;
    }
    for (i = 0, twotoi = 1; i <= M_MAXABITS && c->nint > twotoi / 2;
         i++, twotoi *= 2) {
        a += c->nums[i];
        if (a > twotoi / 2) {
            optimal = (size_t)twotoi;
            in_array = a;
        }
    }
    *na = in_array;
    return optimal;
}

static size_t ceil_pow2(size_t n)
{
    size_t p = 1;
    while (p < n)
        p <<= 1;
    return p;
}

size_t fpl_model_table(size_t asize, size_t nhash)
{
    /* An empty hash part is a shared static dummy node: no bytes. */
    return sizeof(m_table) + asize * sizeof(m_tvalue) +
           (nhash ? ceil_pow2(nhash) * sizeof(m_node) : 0);
}

size_t fpl_model_string(size_t len)
{
    size_t n = offsetof(m_string, contents) + len + 1;
    /* A short string is interned: it also holds a slot (a pointer) of the
     * global string table, which doubles when full, so between half and
     * fully loaded: 4/3 of a slot at the mean load of 3/4. */
    return len <= M_MAXSHORTLEN ? n + sizeof(void *) * 4 / 3 : n;
}

size_t fpl_model_lclosure(int nup)
{
    return offsetof(m_lclosure, upvals) + sizeof(void *) * (size_t)nup;
}

size_t fpl_model_cclosure(int nup)
{
    return offsetof(m_cclosure, upvalue) + sizeof(m_tvalue) * (size_t)nup;
}

size_t fpl_model_upval(void)
{
    return sizeof(m_upval);
}

size_t fpl_model_udata(size_t len, int nuv)
{
    if (nuv == 0)
        return offsetof(m_udata0, bindata) + len;
    return offsetof(m_udata, uv) + sizeof(m_uvalue) * (size_t)nuv + len;
}

/*
 * A thread: its state, its stack and one CallInfo per active level (the
 * first, base one is embedded in the state).  The stack starts at 40 + 5
 * slots and grows by doubling, so it is the first 40 * 2^k that holds
 * what is in use (a collection halves a stack more than three times too
 * big, which this ignores).
 */
size_t fpl_model_thread(size_t slots, size_t frames)
{
    size_t stack = M_BASIC_STACK;
    while (stack < slots && stack < ((size_t)1 << 24))
        stack *= 2;
    return sizeof(m_lx) + (stack + M_EXTRA_STACK) * sizeof(m_stackvalue) +
           frames * sizeof(m_callinfo);
}

size_t fpl_model_proto(const fpl_pcount *c)
{
    return sizeof(m_proto) + c->code * sizeof(uint32_t) +
           c->k * sizeof(m_tvalue) + c->p * sizeof(void *) +
           c->upvalues * sizeof(m_upvaldesc) + c->lineinfo +
           c->abslineinfo * sizeof(m_abslineinfo) +
           c->locvars * sizeof(m_locvar);
}
