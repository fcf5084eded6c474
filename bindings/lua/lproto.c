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
#include "fp_lua.h"

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

static int dump_writer(lua_State *L, const void *p, size_t sz, void *ud)
{
    fpl_walk *w = ud;

    (void)L;
    if (sz > w->dump_cap - w->dump_len) {
        size_t cap = w->dump_cap ? w->dump_cap : 4096;
        unsigned char *d;
        while (cap - w->dump_len < sz) {
            if (cap > SIZE_MAX / 2)
                return 1;
            cap *= 2;
        }
        d = realloc(w->dump, cap);
        if (!d)
            return 1;
        w->dump = d;
        w->dump_cap = cap;
    }
    memcpy(w->dump + w->dump_len, p, sz);
    w->dump_len += sz;
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

static int tmp_push(fpl_walk *w, fp_handle proto, size_t off, size_t len)
{
    if (w->ntmp == w->tmp_cap) {
        size_t cap = w->tmp_cap ? w->tmp_cap * 2 : 64;
        fpl_pref *p = realloc(w->tmp, cap * sizeof *p);
        if (!p)
            return -1;
        w->tmp = p;
        w->tmp_cap = cap;
    }
    w->tmp[w->ntmp].proto = proto;
    w->tmp[w->ntmp].off = off;
    w->tmp[w->ntmp].len = len;
    w->ntmp++;
    return 0;
}

/* A string the prototype holds: a referent if interned (its text is kept
 * to find it again), else its size. */
static int add_string(fpl_walk *w, const char *s, size_t len, size_t *extra)
{
    if (!s)
        return 0;
    if (len > SHORT_STRING) {
        *extra += fpl_model_string(len);
        return 0;
    }
    if (len > w->pool_cap - w->npool) {
        size_t cap = w->pool_cap ? w->pool_cap * 2 : 4096;
        char *p;
        while (cap - w->npool < len)
            cap *= 2;
        if (!(p = realloc(w->pool, cap)))
            return -1;
        w->pool = p;
        w->pool_cap = cap;
    }
    memcpy(w->pool + w->npool, s, len);
    w->npool += len;
    return tmp_push(w, 0, w->npool - len, len);
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

static int grow_protos(fpl_walk *w, size_t nrefs)
{
    if (w->nprotos == w->protos_cap) {
        size_t cap = w->protos_cap ? w->protos_cap * 2 : 64;
        fpl_proto *p = realloc(w->protos, cap * sizeof *p);
        if (!p)
            return -1;
        w->protos = p;
        w->protos_cap = cap;
    }
    while (w->prefs_cap - w->nprefs < nrefs) {
        size_t cap = w->prefs_cap ? w->prefs_cap * 2 : 256;
        fpl_pref *p = realloc(w->prefs, cap * sizeof *p);
        if (!p)
            return -1;
        w->prefs = p;
        w->prefs_cap = cap;
    }
    return 0;
}

/* Read one function of the dump (and, recursively, the functions it
 * nests: Lua's parser bounds that depth to about 200).  Returns its
 * handle, 0 on a bad dump or a failure (w->oom). */
static fp_handle read_function(fpl_walk *w, reader *r, const void *source)
{
    size_t base = w->ntmp, extra = 0, i, n, len, line, last, nrefs;
    fpl_pcount pc;
    const char *s, *src;
    fp_handle h;
    uint32_t *slot;
    int nparams, vararg;

    memset(&pc, 0, sizeof pc);
    src = rd_string(r, &len);
    if (src && add_string(w, src, len, &extra) < 0)
        goto fail;
    line = rd_size(r);
    last = rd_size(r);
    nparams = rd_byte(r);
    vararg = rd_byte(r);
    rd_byte(r); /* maxstacksize */
    pc.code = rd_count(r, 4);
    rd_block(r, pc.code * 4);
    pc.k = n = rd_count(r, 1);
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
            if (add_string(w, s, len, &extra) < 0)
                goto fail;
            break;
        default:
            r->bad = 1;
        }
    }
    pc.upvalues = rd_count(r, 3);
    rd_block(r, pc.upvalues * 3);
    pc.p = n = rd_count(r, 1);
    for (i = 0; i < n && !r->bad; i++) {
        fp_handle ph = read_function(w, r, source);
        if (w->oom || (ph && tmp_push(w, ph, 0, 0) < 0))
            goto fail;
    }
    pc.lineinfo = rd_count(r, 1);
    rd_block(r, pc.lineinfo);
    pc.abslineinfo = n = rd_count(r, 2);
    for (i = 0; i < n && !r->bad; i++) {
        rd_size(r);
        rd_size(r);
    }
    pc.locvars = n = rd_count(r, 3);
    for (i = 0; i < n && !r->bad; i++) {
        s = rd_string(r, &len);
        if (add_string(w, s, len, &extra) < 0)
            goto fail;
        rd_size(r);
        rd_size(r);
    }
    n = rd_count(r, 1);
    for (i = 0; i < n && !r->bad; i++) {
        s = rd_string(r, &len);
        if (add_string(w, s, len, &extra) < 0)
            goto fail;
    }
    if (r->bad) {
        w->ntmp = base;
        return 0;
    }
    h = proto_key(source, line, last, nparams, vararg, pc.upvalues);
    if (fpl_map_put(&w->protomap, (const void *)h, &slot) < 0)
        goto fail;
    if (!*slot) {
        fpl_proto *p;
        nrefs = w->ntmp - base;
        if (grow_protos(w, nrefs) < 0) {
            fpl_map_clear(&w->protomap);
            goto fail;
        }
        p = &w->protos[w->nprotos];
        p->flat = fpl_model_proto(&pc) + extra;
        p->first = w->nprefs;
        p->n = nrefs;
        memcpy(w->prefs + w->nprefs, w->tmp + base, nrefs * sizeof *w->tmp);
        w->nprefs += nrefs;
        *slot = (uint32_t)++w->nprotos;
    }
    w->ntmp = base;
    return h;
fail:
    w->oom = 1;
    w->ntmp = base;
    return 0;
}

int fpl_proto_entries(fpl_walk *w, size_t i)
{
    lua_State *L = w->L;
    const fpl_proto *p = &w->protos[i];
    size_t j;

    for (j = p->first; j < p->first + p->n; j++) {
        const fpl_pref *r = &w->prefs[j];
        if (r->proto) {
            uint32_t k = fpl_map_get(&w->protomap, (const void *)r->proto);
            lua_pushboolean(L, 0); /* a prototype has no value */
            if (k && fpl_walk_entry(w, lua_gettop(L),
                                    (const void *)r->proto, FPL_E_PROTO,
                                    k - 1) < 0) {
                lua_pop(L, 1);
                return -1;
            }
        } else {
            /* interning the text again finds the string the prototype
             * holds: no allocation */
            lua_pushlstring(L, w->pool + r->off, r->len);
            if (fpl_walk_entry(w, lua_gettop(L), fpl_object_ptr(L, -1),
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
    if (!fpl_map_get(&w->protomap, (const void *)h)) {
        reader r;
        h = 0;
        w->dump_len = 0;
        w->ntmp = 0;
        lua_pushvalue(L, 2);
        if (lua_dump(L, dump_writer, w, 0) == 0) {
            r.p = w->dump;
            r.end = w->dump + w->dump_len;
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
