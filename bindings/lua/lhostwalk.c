/*
 * lhostwalk.c - the host-driven walk: plain sizing (no depth limit, no
 * detail tree, no prototypes), the tracker's walks and the census, over
 * the core's fp_sizer_walk.  Each object counted goes to the sizer and,
 * when the walk has one, to its count hook (the census).
 *
 * For plain sizing the core-driven walk's protocol costs this host most of
 * its time: every referent is copied into the anchor so that inspect can
 * fetch it later.  Here the adapter recurses instead: lua_next leaves a
 * referent on the stack, the core says whether it is new (a visit), and
 * if so it is entered right there, its parent's iteration waiting below
 * it, and counted once its own referents are done.  That is the recursive
 * order fp_sizer_size reproduces, so the figures are the same.
 *
 * The recursion runs on a thread of its own: it holds two stack slots per
 * level, and growing the caller's stack would change the measured program
 * (a bigger stack until a collection shrinks it; collectgarbage("count")
 * sees it).  The work thread is garbage once the call ends.  C recursion is
 * bounded as Lua bounds its own (LUAI_MAXCCALLS, 200): an object deeper
 * below the root's scan waits in the anchor as an entry, its depth in aux,
 * and is entered once the recursion has unwound.  That changes the order
 * of such deep branches, which changes no size or count, only which path
 * reaches a shared object first and so, possibly, stats.max_depth.
 */
#include "linternal.h"

#include <string.h>

#define NEST_MAX 200
/* Each level holds at most two slots (a table's key and the value being
 * scanned); a leaf adds a few (exact_asize's probe, the anchor's growth
 * call, the tracker's hook).  The root's scan reserves room for the first
 * STACK_STEP levels, each level that is a multiple of it for the next
 * ones. */
#define STACK_STEP 8
#define STACK_SLOTS (2 * STACK_STEP + 16)

/* One object being scanned: the scan reports its referents here. */
typedef struct frame {
    fpl_sink k;     /* first: the sink functions get &k */
    size_t depth;   /* depth of the object */
    unsigned nest;  /* C recursion levels below the root's scan */
} frame;

static void visit_value(fpl_sink *k, int idx, int t, const char *name);
static void visit_upval(fpl_sink *k, int idx, const void *id,
                        const char *name);

static const fpl_sink_fns to_sizer = {
    .value = visit_value,
    .entry = NULL, /* tables: scan_table below */
    .upval = visit_upval,
    .proto = NULL,
    .names = 0,
};

int fpl_hostwalk_possible(const fpl_opts *o, int tree)
{
    return !tree && o->limit == FP_NO_LIMIT && !o->code;
}

/* A table: each referent is visited as lua_next leaves it on the stack.
 * The walk's own loop rather than the sink's entry: on its hottest path a
 * referent goes straight to visit_value. */
static size_t scan_table(frame *f, int t)
{
    lua_State *L = f->k.w->L;
    fpl_tcount c;
    int key = lua_gettop(L) + 1;

    fpl_tcount_init(&c);
    lua_pushnil(L);
    while (lua_next(L, t)) {
        /* below LUA_TSTRING: nil, booleans, light userdata, numbers */
        int kt = lua_type(L, key), vt = lua_type(L, key + 1);
        fpl_tcount_entry(L, key, kt, &c);
        if (kt >= LUA_TSTRING)
            visit_value(&f->k, key, kt, NULL);
        if (vt >= LUA_TSTRING)
            visit_value(&f->k, key + 1, vt, NULL);
        lua_settop(L, key);
    }
    return fpl_refs_table_size(&f->k, t, &c);
}

static size_t scan_object(frame *f, int idx, int t)
{
    return t == LUA_TTABLE ? scan_table(f, idx) : fpl_refs_scan(&f->k, idx, t);
}

/* An object entered at depth is done: to the sizer, and to the count
 * hook (the census) with its value at idx (0: not on the stack). */
static void count(frame *f, const void *p, int idx, int t, size_t flat,
                  size_t depth)
{
    fpl_walk *w = f->k.w;

    fp_sizer_count(w->host.sizer, flat, depth);
    if (w->count_hook && w->count_hook(w, p, idx, t, flat) < 0) {
        w->oom = 1;
        f->k.stop = 1;
    }
}

/* The object at idx (absolute), of type t, which the core says is new:
 * its referents first (through its scan), then its own size. */
static void enter(frame *f, int idx, int t, const void *p)
{
    fpl_walk *w = f->k.w;
    frame c;
    size_t flat;

    /* seen now, never counted: the core-driven walk's FP_INFO_SKIP */
    if ((t == LUA_TTABLE || t == LUA_TTHREAD) &&
        fpl_map_get(&w->shared, p))
        return;
    if (f->nest >= NEST_MAX ||
        ((f->nest + 1) % STACK_STEP == 0 &&
         !lua_checkstack(w->L, STACK_SLOTS))) {
        if (fpl_anchor_add(w, idx, p, FPL_E_OF_TYPE(t), f->depth + 1) < 0)
            f->k.stop = 1;
        return;
    }
    c = *f;
    c.depth = f->depth + 1;
    c.nest = f->nest + 1;
    flat = scan_object(&c, idx, t);
    if (c.k.stop)
        f->k.stop = 1;
    count(f, p, idx, t, flat, c.depth);
}

/* A referent at idx (absolute) of type t, met by the scan of k's object. */
static void visit_value(fpl_sink *k, int idx, int t, const char *name)
{
    fpl_walk *w = k->w;
    size_t len, slot = 0;
    const void *p;
    int r;

    (void)name;
    if (k->stop || !(p = fpl_object_at(w->L, idx, t, &len)))
        return;
    if (t == LUA_TSTRING) {
        /* a string sized already in this walk (only those: a reference to
         * an excluded one must reach the core, which counts it); no limit
         * or tree here, so the order strings are met in changes nothing */
        slot = fpl_strcache_slot(p);
        if (w->strcache[slot] == p)
            return;
    }
    if (fp_sizer_visit(w->host.sizer, (fp_handle)p, &r) != FP_OK) {
        w->oom = 1;
        k->stop = 1;
    } else if (r && t == LUA_TSTRING) {
        w->strcache[slot] = p;
        count((frame *)k, p, idx, t, fpl_model_string(len),
              ((frame *)k)->depth + 1);
    } else if (r) {
        enter((frame *)k, idx, t, p);
    }
}

/* An upvalue of the Lua closure k scans, its value at idx. */
static void visit_upval(fpl_sink *k, int idx, const void *id,
                        const char *name)
{
    fpl_walk *w = k->w;
    frame *f = (frame *)k, c;
    int r;

    (void)name;
    if (fp_sizer_visit(w->host.sizer, (fp_handle)id, &r) != FP_OK) {
        w->oom = 1;
        k->stop = 1;
        return;
    }
    if (!r)
        return;
    count(f, id, 0, FPL_T_UPVAL, fpl_model_upval(), f->depth + 1);
    c = *f;
    c.depth = f->depth + 1;
    visit_value(&c.k, idx, lua_type(w->L, idx), NULL);
    if (c.k.stop)
        k->stop = 1;
}

/* Anchor entry k, entered at depth: a root or an object that waited. */
static void enter_waiting(frame *f, size_t k, size_t depth)
{
    fpl_walk *w = f->k.w;
    lua_State *L = w->L;
    unsigned fl = w->anchor.flags[k];
    size_t flat;

    if (fl & FPL_E_LEAF) {
        /* a leaf's slot may hold an older value: not fetched */
        count(f, w->anchor.ptr[k], 0, FPL_E_TYPE(fl), w->anchor.aux[k],
              depth);
        return;
    }
    lua_rawgeti(L, w->anchor.index, (lua_Integer)k);
    f->depth = depth;
    f->nest = 0;
    flat = scan_object(f, lua_gettop(L), FPL_E_TYPE(fl));
    count(f, w->anchor.ptr[k], lua_gettop(L), FPL_E_TYPE(fl), flat, depth);
    lua_pop(L, 1);
}

static int new_work_thread(lua_State *L)
{
    lua_newthread(L);
    return 1;
}

/* The work thread, made once per walk (in a protected call: it
 * allocates), above the anchor on the caller's stack, the anchor at its
 * index 1.  0, or -1 when memory ran out. */
static int make_work_thread(fpl_walk *w)
{
    lua_State *L = w->L;

    if (w->host.work)
        return 0;
    if (!lua_checkstack(L, 4))
        return -1;
    lua_pushcfunction(L, new_work_thread);
    if (lua_pcall(L, 0, 1, 0) != LUA_OK) {
        lua_pop(L, 1);
        return -1;
    }
    if (fpl_walk_stop_at(w, -1) < 0 ||
        !lua_checkstack(lua_tothread(L, -1), STACK_SLOTS)) {
        lua_pop(L, 1);
        return -1;
    }
    w->host.work = lua_tothread(L, -1);
    lua_pushvalue(L, w->anchor.index);
    lua_xmove(L, w->host.work, 1);
    return 0;
}

fp_status fpl_hostwalk_root(void *arg, fp_sizer *s, fp_handle root)
{
    fpl_walk *w = arg;
    fpl_hostwalk *hw = &w->host;
    size_t k = fpl_map_get(&w->roots, (const void *)root);
    size_t base = w->anchor.top;
    frame f;

    if (!k)
        return FP_EHOST; /* not a root of this walk: a caller's bug */
    if (make_work_thread(w) < 0)
        return FP_ENOMEM;
    memset(&f, 0, sizeof f);
    f.k.w = w;
    f.k.fns = &to_sizer;
    hw->sizer = s;
    hw->home = w->L;
    hw->home_anchor = w->anchor.index;
    w->L = hw->work;
    w->anchor.index = 1;
    enter_waiting(&f, k, 0);
    while (!f.k.stop && w->anchor.top > base) {
        size_t d = w->anchor.top--;
        enter_waiting(&f, d, w->anchor.aux[d]);
    }
    lua_settop(w->L, 1);
    w->L = hw->home;
    w->anchor.index = hw->home_anchor;
    hw->home = NULL;
    w->anchor.top = base;
    hw->sizer = NULL;
    return w->oom ? FP_ENOMEM : FP_OK;
}
