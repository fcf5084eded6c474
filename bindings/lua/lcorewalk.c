/*
 * lcorewalk.c - the core-driven walk: the fp_host that answers the core's
 * questions about Lua values (depth limits, detail trees, prototypes).
 *
 * The core asks about handles one at a time, and the API gives no way
 * back from an address to a value, so the values it may ask about wait in
 * the anchor (lanchor.c), laid out as a mirror of the core's stack: the
 * referents of an object form one level, levels stack up depth first.
 * inspect reads an object once (lrefs.c): one pass counts what the size
 * model needs and adds its referents as the next level, which referents()
 * then reports.  The core takes a level's referents first to last (its
 * documented recursive-walk order), so the handle it asks about next is
 * the next entry of the top level that it did not skip, or, once that
 * level is done, of a level below: finding it is a pointer compare, no
 * hashing.  A linear search backs that up.  Only a detail tree (names)
 * reads an object a second time.
 */
#include "linternal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A level: entries [start, end] of the anchor; cursor is the next entry
 * the core has not asked about. */
struct fpl_level {
    size_t start, end, cursor;
};

/* A level over the entries from start to the last one made. */
static int open_level(fpl_walk *w, size_t start)
{
    fpl_corewalk *c = &w->core;
    struct fpl_level *l;

    if (c->nlv == c->lvcap) {
        size_t cap = c->lvcap ? c->lvcap * 2 : 256;
        struct fpl_level *p = realloc(c->lv, cap * sizeof *p);
        if (!p) {
            w->oom = 1;
            return -1;
        }
        c->lv = p;
        c->lvcap = cap;
    }
    l = &c->lv[c->nlv++];
    l->start = l->cursor = start;
    l->end = w->anchor.top;
    return 0;
}

void fpl_corewalk_begin(fpl_walk *w)
{
    w->core.nlv = 0;
    w->core.prepared_h = 0;
    w->core.replay = 0;
    w->core.in_referents = 0;
    open_level(w, 1);
}

void fpl_corewalk_root(fpl_walk *w)
{
    if (w->core.nlv)
        w->core.lv[0].end = w->anchor.top;
}

void fpl_corewalk_end(fpl_walk *w)
{
    w->core.nlv = 0;
    w->core.prepared_h = 0;
}

void fpl_corewalk_free(fpl_walk *w)
{
    free(w->core.lv);
}

/*
 * The entry of handle h, which the core is about to inspect: the next
 * entry of the top level it did not skip or, when that level is done, of
 * a level below (whose upper levels are then done too).  If the core ever
 * asked in another order, every entry made so far is searched.
 */
static size_t locate(fpl_walk *w, const void *h)
{
    const void **ptr = w->anchor.ptr;
    size_t i, n;

    for (n = w->core.nlv; n > 0; n--) {
        struct fpl_level *l = &w->core.lv[n - 1];
        for (i = l->cursor; i <= l->end; i++)
            if (ptr[i] == h) {
                l->cursor = i + 1;
                w->core.nlv = n;
                w->anchor.top = l->end;
                return i;
            }
    }
    for (i = 1; i <= w->anchor.high; i++)
        if (ptr[i] == h)
            return i;
    return 0;
}

/* ---- inspect's sink: referents become the next level's entries ---- */

static void anchor_value(fpl_sink *k, int idx, int t, const char *name)
{
    fpl_walk *w = k->w;
    size_t len;
    const void *p;
    int st;

    (void)name;
    if (k->stop || !(p = fpl_object_at(w->L, idx, t, &len)))
        return;
    if (t == LUA_TSTRING) {
        if (w->dedup_strings) {
            size_t slot = fpl_strcache_slot(p);
            if (w->strcache[slot] == p)
                return;
            w->strcache[slot] = p;
        }
        st = fpl_anchor_add(w, idx, p, FPL_E_OF_TYPE(t) | FPL_E_LEAF,
                            fpl_model_string(len));
    } else {
        st = fpl_anchor_add(w, idx, p, fpl_entry_flags(t), 0);
    }
    if (st < 0)
        k->stop = 1;
}

/* A table's value, unless a string, goes to the anchor straight from the
 * top of the stack. */
static void anchor_entry(fpl_sink *k, int key, int kt, int vt)
{
    int r;

    if (kt >= LUA_TSTRING)
        anchor_value(k, key, kt, NULL);
    if (vt > LUA_TSTRING && !k->stop) {
        r = fpl_anchor_take(k->w, key + 1, vt);
        if (r < 0)
            k->stop = 1;
        if (r)
            return;
    }
    if (vt == LUA_TSTRING)
        anchor_value(k, key + 1, vt, NULL);
}

/* The entry keeps the upvalue's value: false for a non-object, as the
 * anchor must not get holes. */
static void anchor_upval(fpl_sink *k, int idx, const void *id,
                         const char *name)
{
    lua_State *L = k->w->L;

    (void)name;
    if (!fpl_object_ptr(L, idx)) {
        lua_pushboolean(L, 0);
        lua_replace(L, idx);
    }
    if (fpl_anchor_add(k->w, idx, id, FPL_E_UPVAL, 0) < 0)
        k->stop = 1;
}

static void anchor_proto(fpl_sink *k, fp_handle h, size_t i)
{
    lua_State *L = k->w->L;

    lua_pushboolean(L, 0); /* a prototype has no value */
    if (fpl_anchor_add(k->w, lua_gettop(L), (const void *)h, FPL_E_PROTO,
                       i) < 0)
        k->stop = 1;
    lua_pop(L, 1);
}

static const fpl_sink_fns to_anchor = {
    .value = anchor_value,
    .entry = anchor_entry,
    .upval = anchor_upval,
    .proto = anchor_proto,
    .names = 0,
};

/* ---- referents' sink for a detail tree: to the core, with names ---- */

typedef struct named {
    fpl_sink k; /* first: the sink functions get &k */
    fp_visit_fn visit;
    void *arg;
} named;

static void name_one(fpl_sink *k, const void *h, const char *name)
{
    named *n = (named *)k;

    if (k->stop || !h)
        return;
    if (n->visit(n->arg, (fp_handle)h, name, name ? strlen(name) : 0))
        k->stop = 1;
}

static void named_value(fpl_sink *k, int idx, int t, const char *name)
{
    size_t len;

    if (!k->stop)
        name_one(k, fpl_object_at(k->w->L, idx, t, &len), name);
}

static void named_entry(fpl_sink *k, int key, int kt, int vt)
{
    lua_State *L = k->w->L;
    char name[FPL_NAME_CAP + 8], kname[FPL_NAME_CAP];
    int kobj, vobj;

    if (k->stop)
        return;
    kobj = fpl_object_ptr(L, key) != NULL;
    vobj = fpl_object_ptr(L, key + 1) != NULL;
    if (kobj || vobj)
        fpl_keyname(L, key, kname, sizeof kname);
    if (kobj) {
        snprintf(name, sizeof name, "(key)%s", kname);
        named_value(k, key, kt, name);
    }
    if (vobj)
        named_value(k, key + 1, vt, kname);
}

static void named_upval(fpl_sink *k, int idx, const void *id,
                        const char *name)
{
    (void)idx;
    name_one(k, id, name);
}

static void named_proto(fpl_sink *k, fp_handle h, size_t i)
{
    (void)i;
    name_one(k, (const void *)h, "(prototype)");
}

static const fpl_sink_fns to_core = {
    .value = named_value,
    .entry = named_entry,
    .upval = named_upval,
    .proto = named_proto,
    .names = 1,
};

/* ---- the host ---- */

/* Scan the value of entry i (neither an UpVal nor a prototype). */
static size_t scan_entry(fpl_sink *k, size_t i, fp_info *info)
{
    fpl_walk *w = k->w;
    lua_State *L = w->L;
    int t = FPL_E_TYPE(w->anchor.flags[i]);
    size_t flat;

    lua_rawgeti(L, w->anchor.index, (lua_Integer)i);
    flat = fpl_refs_scan(k, lua_gettop(L), t);
    if (t < LUA_TTABLE || t > LUA_TTHREAD)
        info->flags = FP_INFO_LEAF; /* not an object (a root may be any) */
    lua_settop(L, -2);
    return flat;
}

/* Entry i from inside referents (the depth limit asks about each
 * referent): its size, no entry added. */
static fp_status size_only(fpl_walk *w, size_t i, fp_info *info)
{
    fpl_sink k = {w, NULL, 0};
    unsigned f = w->anchor.flags[i];

    if (f & FPL_E_PROTO)
        info->flat = fpl_proto_flat(w, w->anchor.aux[i]);
    else if (f & FPL_E_UPVAL)
        info->flat = fpl_model_upval();
    else
        info->flat = scan_entry(&k, i, info);
    return w->oom ? FP_ENOMEM : FP_OK;
}

/* Entry i, handle h: its size, and its referents as the next level. */
static fp_status collect(fpl_walk *w, fp_handle h, size_t i, fp_info *info)
{
    fpl_sink k = {w, &to_anchor, 0};
    unsigned f = w->anchor.flags[i];
    size_t start = w->anchor.top + 1;

    if (f & FPL_E_PROTO) {
        info->flat = fpl_proto_flat(w, w->anchor.aux[i]);
        if (fpl_proto_entries(w, w->anchor.aux[i]) < 0)
            return FP_ENOMEM;
    } else if (f & FPL_E_UPVAL) {
        info->flat = fpl_model_upval();
        lua_rawgeti(w->L, w->anchor.index, (lua_Integer)i);
        fpl_refs_value(&k, lua_gettop(w->L), NULL);
        lua_pop(w->L, 1);
    } else {
        info->flat = scan_entry(&k, i, info);
    }
    if (w->oom || open_level(w, start) < 0)
        return FP_ENOMEM;
    w->core.prepared_h = h;
    w->core.prepared_i = i;
    return FP_OK;
}

static fp_status host_inspect(void *ctx, fp_handle h, fp_info *info)
{
    fpl_walk *w = ctx;
    fpl_corewalk *c = &w->core;
    unsigned f;
    size_t i;

    info->flat = 0;
    info->flags = 0;
    info->cls = 0;
    /* From inside referents: it is the entry being reported. */
    if (c->in_referents && c->replay && w->anchor.ptr[c->replay] == (void *)h)
        i = c->replay;
    else if (c->in_referents)
        return FP_EHOST;
    else
        i = locate(w, (const void *)h);
    if (!i)
        return FP_EHOST;
    f = w->anchor.flags[i];
    if (f & FPL_E_LEAF) {
        info->flat = w->anchor.aux[i];
        info->flags = FP_INFO_LEAF;
        return FP_OK;
    }
    if ((f & FPL_E_SHAREABLE) && fpl_map_get(&w->shared, (const void *)h) &&
        !fpl_map_get(&w->roots, (const void *)h)) {
        info->flags = FP_INFO_SKIP;
        return FP_OK;
    }
    return c->in_referents ? size_only(w, i, info) : collect(w, h, i, info);
}

/* Report the top level, which inspect made for entry i, with names: a
 * second pass over the object in the same order. */
static void report_named(fpl_walk *w, size_t i, const struct fpl_level *l,
                         fp_visit_fn visit, void *arg)
{
    lua_State *L = w->L;
    const fpl_anchor *a = &w->anchor;
    named n = {{w, &to_core, 0}, visit, arg};
    size_t j;

    if (a->flags[i] & FPL_E_PROTO) {
        for (j = l->start; j <= l->end && !n.k.stop; j++)
            name_one(&n.k, a->ptr[j], (a->flags[j] & FPL_E_PROTO)
                                          ? "(prototype)"
                                          : "(string)");
        return;
    }
    lua_rawgeti(L, a->index, (lua_Integer)i);
    if (a->flags[i] & FPL_E_UPVAL)
        fpl_refs_value(&n.k, lua_gettop(L), "(value)");
    else
        fpl_refs_scan(&n.k, lua_gettop(L), FPL_E_TYPE(a->flags[i]));
    lua_pop(L, 1);
}

static fp_status host_referents(void *ctx, fp_handle h, int want_names,
                                fp_visit_fn visit, void *arg)
{
    fpl_walk *w = ctx;
    fpl_corewalk *c = &w->core;
    struct fpl_level *l;
    size_t i;

    if (!c->nlv || c->prepared_h != h)
        return FP_EHOST; /* the core always asks right after inspect */
    l = &c->lv[c->nlv - 1];
    c->prepared_h = 0;
    c->in_referents++;
    if (want_names) {
        report_named(w, c->prepared_i, l, visit, arg);
    } else {
        for (i = l->start; i <= l->end; i++) {
            c->replay = i;
            if (visit(arg, (fp_handle)w->anchor.ptr[i], NULL, 0))
                break;
        }
        c->replay = 0;
    }
    c->in_referents--;
    return w->oom ? FP_ENOMEM : FP_OK;
}

void fpl_corewalk_host(fpl_walk *w, fp_host *host)
{
    host->ctx = w;
    host->inspect = host_inspect;
    host->referents = host_referents;
    host->alive = NULL;
    host->describe = NULL;
}
