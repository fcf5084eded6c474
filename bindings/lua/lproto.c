/*
 * lproto.c - function prototypes, counted when code = true (pympler's
 * code=True).
 *
 * The public API hides a prototype entirely, but lua_dump writes it out:
 * instruction count, constants, nested prototypes and debug information
 * (line info, local and upvalue names), which is every array a prototype
 * allocates.  Reading the dump gives exact counts for the size model.
 *
 * A prototype has no address the API shows, so it is identified by what
 * lua_getinfo says of a closure of it: source string (by address), first
 * and last line, parameters, vararg flag and upvalue count.  Two different
 * prototypes agreeing on all of that (two functions on one line, the same
 * chunk loaded twice) are counted once; docs/lua.md says so.  A closure
 * whose prototype is known costs one lua_getinfo; only a new one is
 * dumped.
 *
 * Referents: nested prototypes and the interned strings a prototype holds
 * (short constants, names, its source), found by interning their text
 * again, which returns the existing string.  Long string constants cannot
 * be found that way and count in the prototype's own size.  A prototype's
 * handle is a hash of the fields that identify it, made odd so that it
 * never equals an object's address.
 */
#include "linternal.h"

#include <stdlib.h>
#include <string.h>

/* Tags lua_dump writes before each constant (Lua 5.4's variant tags). */
enum {
    K_NIL = 0,
    K_FALSE = 1,
    K_TRUE = 17,
    K_INT = 3,
    K_FLT = 19,
    K_SHRSTR = 4,
    K_LNGSTR = 20
};

#define SHORT_STRING 40 /* LUAI_MAXSHORTLEN: interned, findable */

/* A prototype met while code is on: its flat size and its referents,
 * refs[first, first + n): nested prototypes and interned strings. */
struct fpl_proto {
    size_t flat;
    size_t first, n;
};

/* A referent of a prototype: another prototype's handle, or an interned
 * string's text (pool[off, off + len)), found again by interning it. */
struct fpl_pref {
    fp_handle proto; /* 0 for a string */
    size_t off, len;
};

void fpl_protos_clear(fpl_protos *p)
{
    p->n = p->nrefs = p->npool = p->ntmp = 0;
    fpl_map_clear(&p->map);
}

void fpl_protos_free(fpl_protos *p)
{
    fpl_map_free(&p->map);
    free(p->list);
    free(p->refs);
    free(p->pool);
    free(p->dump);
    free(p->tmp);
}

size_t fpl_proto_flat(const fpl_walk *w, size_t i)
{
    return w->protos.list[i].flat;
}

size_t fpl_proto_nrefs(const fpl_walk *w, size_t i)
{
    return w->protos.list[i].n;
}

fp_handle fpl_proto_ref(const fpl_walk *w, size_t i, size_t j,
                        const char **s, size_t *len)
{
    const fpl_protos *P = &w->protos;
    const struct fpl_pref *r = &P->refs[P->list[i].first + j];

    *s = r->proto ? NULL : P->pool + r->off;
    *len = r->len;
    return r->proto;
}

static int dump_writer(lua_State *L, const void *p, size_t sz, void *ud)
{
    fpl_protos *P = ud;

    (void)L;
    if (sz > P->dump_cap - P->dump_len) {
        size_t cap = P->dump_cap ? P->dump_cap : 4096;
        unsigned char *d;
        while (cap - P->dump_len < sz) {
            if (cap > SIZE_MAX / 2)
                return 1;
            cap *= 2;
        }
        d = realloc(P->dump, cap);
        if (!d)
            return 1;
        P->dump = d;
        P->dump_cap = cap;
    }
    memcpy(P->dump + P->dump_len, p, sz);
    P->dump_len += sz;
    return 0;
}

typedef struct reader {
    const unsigned char *p, *end;
    int bad;
} reader;

static int rd_byte(reader *r)
{
    if (r->p >= r->end) {
        r->bad = 1;
        return 0;
    }
    return *r->p++;
}

/* Sizes are big-endian groups of 7 bits, the last one flagged. */
static size_t rd_size(reader *r)
{
    size_t x = 0;
    int b;

    do {
        if (r->p >= r->end || x > (SIZE_MAX >> 7)) {
            r->bad = 1;
            return 0;
        }
        b = *r->p++;
        x = (x << 7) | (size_t)(b & 0x7f);
    } while (!(b & 0x80));
    return x;
}

static const unsigned char *rd_block(reader *r, size_t n)
{
    const unsigned char *q = r->p;

    if ((size_t)(r->end - r->p) < n) {
        r->bad = 1;
        return NULL;
    }
    r->p += n;
    return q;
}

/* NULL for an absent string (size 0 in the dump). */
static const char *rd_string(reader *r, size_t *len)
{
    size_t n = rd_size(r);

    *len = 0;
    if (!n || r->bad)
        return NULL;
    *len = n - 1;
    return (const char *)rd_block(r, n - 1);
}

/* Counts that could not come from a well-formed dump: stop reading. */
static size_t rd_count(reader *r, size_t unit)
{
    size_t n = rd_size(r);

    if (!r->bad && unit && n > (size_t)(r->end - r->p) / unit)
        r->bad = 1;
    return r->bad ? 0 : n;
}

/* A referent of the prototype being read. */
static int tmp_add(fpl_protos *P, fp_handle proto, size_t off, size_t len)
{
    if (P->ntmp == P->tmp_cap) {
        size_t cap = P->tmp_cap ? P->tmp_cap * 2 : 64;
        struct fpl_pref *p = realloc(P->tmp, cap * sizeof *p);
        if (!p)
            return -1;
        P->tmp = p;
        P->tmp_cap = cap;
    }
    P->tmp[P->ntmp].proto = proto;
    P->tmp[P->ntmp].off = off;
    P->tmp[P->ntmp].len = len;
    P->ntmp++;
    return 0;
}

/* A string the prototype holds: a referent if interned (its text is kept
 * to find it again), else its size. */
static int add_string(fpl_protos *P, const char *s, size_t len,
                      size_t *extra)
{
    if (!s)
        return 0;
    if (len > SHORT_STRING) {
        *extra += fpl_model_string(len);
        return 0;
    }
    if (len > P->pool_cap - P->npool) {
        size_t cap = P->pool_cap ? P->pool_cap * 2 : 4096;
        char *p;
        while (cap - P->npool < len)
            cap *= 2;
        if (!(p = realloc(P->pool, cap)))
            return -1;
        P->pool = p;
        P->pool_cap = cap;
    }
    memcpy(P->pool + P->npool, s, len);
    P->npool += len;
    return tmp_add(P, 0, P->npool - len, len);
}

/* Odd, so it never equals an object's address. */
static fp_handle proto_key(const void *source, size_t line, size_t last,
                           int nparams, int vararg, size_t nups)
{
    uint64_t parts[6], h = 0x9E3779B97F4A7C15ull;
    int i;

    parts[0] = (uint64_t)(uintptr_t)source;
    parts[1] = line;
    parts[2] = last;
    parts[3] = (uint64_t)nparams;
    parts[4] = (uint64_t)vararg;
    parts[5] = nups;
    for (i = 0; i < 6; i++) { /* splitmix64 over the parts */
        uint64_t z = (h += parts[i] + 0x9E3779B97F4A7C15ull);
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
        h = z ^ (z >> 31);
    }
    return (fp_handle)(h << 1) | 1;
}

static int grow_protos(fpl_protos *P, size_t nrefs)
{
    if (P->n == P->cap) {
        size_t cap = P->cap ? P->cap * 2 : 64;
        struct fpl_proto *p = realloc(P->list, cap * sizeof *p);
        if (!p)
            return -1;
        P->list = p;
        P->cap = cap;
    }
    while (P->refs_cap - P->nrefs < nrefs) {
        size_t cap = P->refs_cap ? P->refs_cap * 2 : 256;
        struct fpl_pref *p = realloc(P->refs, cap * sizeof *p);
        if (!p)
            return -1;
        P->refs = p;
        P->refs_cap = cap;
    }
    return 0;
}

/* The constants of the function being read; short strings among them are
 * referents.  -1 when memory ran out. */
static int read_constants(fpl_protos *P, reader *r, fpl_pcount *pc,
                          size_t *extra)
{
    size_t i, n, len;
    const char *s;

    pc->k = n = rd_count(r, 1);
    for (i = 0; i < n && !r->bad; i++) {
        switch (rd_byte(r)) {
        case K_NIL:
        case K_FALSE:
        case K_TRUE:
            break;
        case K_INT:
            rd_block(r, sizeof(lua_Integer));
            break;
        case K_FLT:
            rd_block(r, sizeof(lua_Number));
            break;
        case K_SHRSTR:
        case K_LNGSTR:
            s = rd_string(r, &len);
            if (add_string(P, s, len, extra) < 0)
                return -1;
            break;
        default:
            r->bad = 1;
        }
    }
    return 0;
}

static fp_handle read_function(fpl_walk *w, reader *r, const void *source);

/* The functions the one being read nests, each a referent.  -1 when
 * memory ran out. */
static int read_nested(fpl_walk *w, reader *r, fpl_pcount *pc,
                       const void *source)
{
    size_t i, n;

    pc->p = n = rd_count(r, 1);
    for (i = 0; i < n && !r->bad; i++) {
        fp_handle ph = read_function(w, r, source);
        if (w->oom || (ph && tmp_add(&w->protos, ph, 0, 0) < 0))
            return -1;
    }
    return 0;
}

/* The debug information: line info, local variables (their names are
 * referents) and upvalue names.  -1 when memory ran out. */
static int read_debug(fpl_protos *P, reader *r, fpl_pcount *pc,
                      size_t *extra)
{
    size_t i, n, len;
    const char *s;

    pc->lineinfo = rd_count(r, 1);
    rd_block(r, pc->lineinfo);
    pc->abslineinfo = n = rd_count(r, 2);
    for (i = 0; i < n && !r->bad; i++) {
        rd_size(r);
        rd_size(r);
    }
    pc->locvars = n = rd_count(r, 3);
    for (i = 0; i < n && !r->bad; i++) {
        s = rd_string(r, &len);
        if (add_string(P, s, len, extra) < 0)
            return -1;
        rd_size(r);
        rd_size(r);
    }
    n = rd_count(r, 1);
    for (i = 0; i < n && !r->bad; i++) {
        s = rd_string(r, &len);
        if (add_string(P, s, len, extra) < 0)
            return -1;
    }
    return 0;
}

/* Record prototype h, unless known, with the referents read since base.
 * -1 when memory ran out. */
static int record(fpl_protos *P, fp_handle h, size_t base,
                  const fpl_pcount *pc, size_t extra)
{
    struct fpl_proto *p;
    uint32_t *slot;
    size_t nrefs = P->ntmp - base;

    if (fpl_map_put(&P->map, (const void *)h, &slot) < 0)
        return -1;
    if (*slot)
        return 0;
    if (grow_protos(P, nrefs) < 0) {
        fpl_map_clear(&P->map);
        return -1;
    }
    p = &P->list[P->n];
    p->flat = fpl_model_proto(pc) + extra;
    p->first = P->nrefs;
    p->n = nrefs;
    memcpy(P->refs + P->nrefs, P->tmp + base, nrefs * sizeof *P->tmp);
    P->nrefs += nrefs;
    *slot = (uint32_t)++P->n;
    return 0;
}

/* Read one function of the dump (and, recursively, the functions it
 * nests: Lua's parser bounds that depth to about 200).  Returns its
 * handle, 0 on a bad dump or a failure (w->oom). */
static fp_handle read_function(fpl_walk *w, reader *r, const void *source)
{
    fpl_protos *P = &w->protos;
    size_t base = P->ntmp, extra = 0, len, line, last;
    fpl_pcount pc;
    const char *src;
    fp_handle h = 0;
    int nparams, vararg;

    memset(&pc, 0, sizeof pc);
    src = rd_string(r, &len);
    if (src && add_string(P, src, len, &extra) < 0)
        goto fail;
    line = rd_size(r);
    last = rd_size(r);
    nparams = rd_byte(r);
    vararg = rd_byte(r);
    rd_byte(r); /* maxstacksize */
    pc.code = rd_count(r, 4);
    rd_block(r, pc.code * 4);
    if (read_constants(P, r, &pc, &extra) < 0)
        goto fail;
    pc.upvalues = rd_count(r, 3);
    rd_block(r, pc.upvalues * 3);
    if (read_nested(w, r, &pc, source) < 0 ||
        read_debug(P, r, &pc, &extra) < 0)
        goto fail;
    if (!r->bad) {
        h = proto_key(source, line, last, nparams, vararg, pc.upvalues);
        if (record(P, h, base, &pc, extra) < 0)
            goto fail;
    }
    P->ntmp = base;
    return h;
fail:
    w->oom = 1;
    P->ntmp = base;
    return 0;
}

int fpl_proto_entries(fpl_walk *w, size_t i)
{
    lua_State *L = w->L;
    const fpl_protos *P = &w->protos;
    const struct fpl_proto *p = &P->list[i];
    size_t j;

    for (j = p->first; j < p->first + p->n; j++) {
        const struct fpl_pref *r = &P->refs[j];
        if (r->proto) {
            uint32_t k = fpl_map_get(&P->map, (const void *)r->proto);
            lua_pushboolean(L, 0); /* a prototype has no value */
            if (k && fpl_anchor_add(w, lua_gettop(L),
                                    (const void *)r->proto, FPL_E_PROTO,
                                    k - 1) < 0) {
                lua_pop(L, 1);
                return -1;
            }
        } else {
            /* interning the text again finds the string the prototype
             * holds: no allocation */
            lua_pushlstring(L, P->pool + r->off, r->len);
            if (fpl_anchor_add(w, lua_gettop(L), fpl_object_ptr(L, -1),
                               FPL_E_LEAF, fpl_model_string(r->len)) < 0) {
                lua_pop(L, 1);
                return -1;
            }
        }
        lua_pop(L, 1);
    }
    return 0;
}

/* Skip the header lua_dump writes: signature, versions, check data, the
 * sizes of its types and two check numbers; then the upvalue count. */
static int skip_header(reader *r)
{
    const unsigned char *sig = rd_block(r, 4);

    if (!sig || memcmp(sig, LUA_SIGNATURE, 4) != 0 || rd_byte(r) != 0x54)
        return -1;
    rd_block(r, 1 + 6 + 3 + sizeof(lua_Integer) + sizeof(lua_Number) + 1);
    return r->bad ? -1 : 0;
}

/* In a protected call, as it allocates in C and may in Lua (a failed
 * dump must not unwind the core). */
static int proto_protected(lua_State *L)
{
    fpl_walk *w = lua_touserdata(L, 1);
    fp_handle h;
    lua_Debug ar;

    lua_pushvalue(L, 2);
    lua_getinfo(L, ">Su", &ar);
    h = proto_key(ar.source, (size_t)ar.linedefined,
                  (size_t)ar.lastlinedefined, ar.nparams, ar.isvararg,
                  ar.nups);
    if (!fpl_map_get(&w->protos.map, (const void *)h)) {
        fpl_protos *P = &w->protos;
        reader r;
        h = 0;
        P->dump_len = 0;
        P->ntmp = 0;
        lua_pushvalue(L, 2);
        if (lua_dump(L, dump_writer, P, 0) == 0) {
            r.p = P->dump;
            r.end = P->dump + P->dump_len;
            r.bad = 0;
            if (skip_header(&r) == 0)
                h = read_function(w, &r, ar.source);
        }
        lua_pop(L, 1);
    }
    lua_pushlightuserdata(L, (void *)h);
    return 1;
}

fp_handle fpl_proto_handle(fpl_walk *w, int idx)
{
    lua_State *L = w->L;
    fp_handle h = 0;

    if (!lua_checkstack(L, 4))
        return 0;
    lua_pushcfunction(L, proto_protected);
    lua_pushlightuserdata(L, w);
    lua_pushvalue(L, idx);
    if (lua_pcall(L, 2, 1, 0) != LUA_OK) {
        lua_pop(L, 1);
        return 0;
    }
    h = (fp_handle)lua_touserdata(L, -1);
    lua_pop(L, 1);
    return h;
}
