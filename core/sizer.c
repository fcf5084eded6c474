/*
 * sizer.c - the sizing traversal, the heart of footprint.
 *
 * A depth-first walk with an explicit stack (a 10-million-deep chain costs
 * heap, never C stack).  The referents of an entered object wait in host
 * order as one level of the stack and are taken first to last; the visited
 * set is consulted when one is taken, which reproduces the order of a
 * recursive walk exactly: the first path to reach a shared object gets it,
 * at the depth that path reached it.  pympler's recursive _sizer has those
 * semantics, so limits and detail trees agree with it.  A waiting referent
 * costs one handle; depth and detail bookkeeping are kept per level.
 *
 * Sizes of detail nodes come from the running total: a node's subtree is
 * contiguous in a depth-first walk, so size = total when its level is done
 * - total before it was entered.  No per-object accumulators are needed.
 */
#include "detail.h"
#include "internal.h"

#include <stdlib.h>
#include <string.h>

/* The steps the walk takes once per object stay inside its loop; rare
 * paths stay out of the callbacks it makes once per reference. */
#if defined(__GNUC__)
#define FP_LOOP_INLINE inline __attribute__((always_inline))
#define FP_NOINLINE __attribute__((noinline))
#else
#define FP_LOOP_INLINE inline
#define FP_NOINLINE
#endif

/* The referents of one entered object: refs[start, refs.len) while it is
 * the top level; those before next were taken.  next comes first: the loop
 * reads it right after enter wrote the level, and a load forwards best
 * from a store that starts at the same address. */
typedef struct level {
    size_t next, start;
    size_t depth; /* of the referents */
} level;

/* A level's detail bookkeeping, apart so that plain sizing stays lean. */
typedef struct level_detail {
    fp_detail_node *owner; /* node whose size ends with the level, or NULL */
    fp_detail_node *child; /* detail node of refs[next], or NULL */
} level_detail;

struct fp_sizer {
    fp_alloc alloc;
    fp_host host;
    fp_sizer_opts opts;
    fp_set seen;      /* sized since the last reset */
    fp_set excluded;  /* referents that belong to someone else */
    fp_set dups;      /* seen more than once (count_duplicates) */
    fp_set callroots; /* roots of the current call, first occurrences */
    fp_set cut;       /* unsized objects met at the depth limit, this call */
    fp_vec refs;      /* of fp_handle: referents waiting, level by level */
    fp_vec levels;    /* of level */
    fp_vec dlevels;   /* of level_detail, in step with levels (detail) */
    fp_stats stats;
    char errmsg[FP_ERRMSG_SIZE];

    /* state of one call, read by the visit callbacks */
    size_t total;           /* bytes sized by this call so far */
    fp_detail *detail;
    fp_detail_node *parent; /* node whose children are being listed */
    fp_detail_node *tail;
    fp_status err;          /* first hard error raised inside a callback */
    fp_walk_fn walk;        /* host-driven call (fp_sizer_walk), or NULL */
    void *walk_arg;
};

void fp_sizer_opts_init(fp_sizer_opts *opts)
{
    opts->align = 8;
    opts->limit = FP_NO_LIMIT;
    opts->detail = 0;
    opts->count_duplicates = 0;
}

static int valid_opts(const fp_sizer_opts *o)
{
    return o->align && (o->align & (o->align - 1)) == 0;
}

fp_status fp_sizer_new(fp_sizer **out, const fp_host *host,
                       const fp_sizer_opts *opts, const fp_alloc *alloc)
{
    fp_alloc a;
    fp_sizer *s;

    if (!out)
        return FP_EINVAL;
    *out = NULL;
    if (!host || !host->inspect || !host->referents)
        return FP_EINVAL;
    if (opts && !valid_opts(opts))
        return FP_EINVAL;
    fp_alloc_resolve(&a, alloc);
    s = fp_mem_alloc(&a, sizeof *s);
    if (!s)
        return FP_ENOMEM;
    memset(s, 0, sizeof *s);
    s->alloc = a;
    s->host = *host;
    if (opts)
        s->opts = *opts;
    else
        fp_sizer_opts_init(&s->opts);
    fp_set_init(&s->seen, &a);
    fp_set_init(&s->excluded, &a);
    fp_set_init(&s->dups, &a);
    fp_set_init(&s->callroots, &a);
    fp_set_init(&s->cut, &a);
    fp_vec_init(&s->refs, sizeof(fp_handle));
    fp_vec_init(&s->levels, sizeof(level));
    fp_vec_init(&s->dlevels, sizeof(level_detail));
    *out = s;
    return FP_OK;
}

void fp_sizer_free(fp_sizer *s)
{
    fp_alloc a;

    if (!s)
        return;
    a = s->alloc;
    fp_set_release(&s->seen);
    fp_set_release(&s->excluded);
    fp_set_release(&s->dups);
    fp_set_release(&s->callroots);
    fp_set_release(&s->cut);
    fp_vec_release(&s->refs, &a);
    fp_vec_release(&s->levels, &a);
    fp_vec_release(&s->dlevels, &a);
    fp_mem_free(&a, s);
}

fp_status fp_sizer_set_opts(fp_sizer *s, const fp_sizer_opts *opts)
{
    if (!s || !opts || !valid_opts(opts))
        return FP_EINVAL;
    s->opts = *opts;
    return FP_OK;
}

void fp_sizer_get_opts(const fp_sizer *s, fp_sizer_opts *opts)
{
    *opts = s->opts;
}

void fp_sizer_stats(const fp_sizer *s, fp_stats *out)
{
    *out = s->stats;
    out->duplicates = s->dups.count;
}

void fp_sizer_reset(fp_sizer *s)
{
    fp_set_clear(&s->seen);
    fp_set_clear(&s->dups);
    memset(&s->stats, 0, sizeof s->stats);
}

void fp_sizer_trim(fp_sizer *s)
{
    fp_sizer_reset(s);
    fp_set_release(&s->seen);
    fp_set_release(&s->excluded);
    fp_set_release(&s->dups);
    fp_set_release(&s->callroots);
    fp_set_release(&s->cut);
    fp_vec_release(&s->refs, &s->alloc);
    fp_vec_release(&s->levels, &s->alloc);
    fp_vec_release(&s->dlevels, &s->alloc);
}

fp_status fp_sizer_exclude(fp_sizer *s, const fp_handle *objs, size_t n)
{
    size_t i;

    if (!s || (n && !objs))
        return FP_EINVAL;
    for (i = 0; i < n; i++)
        if (objs[i] && fp_set_insert(&s->excluded, objs[i]) < 0)
            return FP_ENOMEM; /* those added so far stay excluded */
    return FP_OK;
}

void fp_sizer_exclude_clear(fp_sizer *s)
{
    fp_set_clear(&s->excluded);
}

int fp_sizer_seen(const fp_sizer *s, fp_handle h)
{
    return fp_set_contains(&s->seen, h);
}

size_t fp_sizer_memory(const fp_sizer *s)
{
    return sizeof *s + fp_set_memory(&s->seen) +
           fp_set_memory(&s->excluded) + fp_set_memory(&s->dups) +
           fp_set_memory(&s->callroots) + fp_set_memory(&s->cut) +
           s->refs.cap * s->refs.item + s->levels.cap * s->levels.item +
           s->dlevels.cap * s->dlevels.item;
}

const char *fp_sizer_errmsg(const fp_sizer *s)
{
    return s ? s->errmsg : "";
}

static size_t align_up(size_t n, size_t align)
{
    size_t r = (n + align - 1) & ~(align - 1);
    return r < n ? n : r;
}

/* A reference to an object already sized (or about to be skipped). */
static int note_revisit(fp_sizer *s, fp_handle h)
{
    s->stats.revisits++;
    if (s->opts.count_duplicates && fp_set_insert(&s->dups, h) < 0) {
        s->err = FP_ENOMEM;
        return -1;
    }
    return 0;
}

static fp_status host_failure(fp_sizer *s, fp_status st, const char *what,
                              fp_handle obj);

/*
 * The fp_visit_fn callbacks: the host reports one referent of the object
 * being entered.  One per mode, so the plain one, called for every
 * reference in the graph, tests nothing it need not.
 */

/* push_ref when refs is full.  After a failure a host that keeps calling
 * is harmless: the error ends the call anyway. */
static FP_NOINLINE int grow_and_push(fp_sizer *s, fp_handle ref)
{
    if (fp_vec_reserve(&s->refs, &s->alloc, 1) != FP_OK) {
        s->err = FP_ENOMEM;
        return 1;
    }
    ((fp_handle *)s->refs.data)[s->refs.len++] = ref;
    return 0;
}

/* Plain sizing: the referent waits its turn.  Growing is a separate call
 * so that this, run once per reference, needs no stack frame. */
static int push_ref(void *arg, fp_handle ref, const char *name, size_t len)
{
    fp_sizer *s = arg;

    (void)name;
    (void)len;
    if (!ref)
        return 0;
    if (s->refs.len == s->refs.cap)
        return grow_and_push(s, ref);
    ((fp_handle *)s->refs.data)[s->refs.len++] = ref;
    return 0;
}

/* Detail: each referent also gets a named node.  Nodes are linked in host
 * order, so the level walks them in step with its handles. */
static int push_named_ref(void *arg, fp_handle ref, const char *name,
                          size_t len)
{
    fp_sizer *s = arg;

    if (s->err)
        return 1;
    if (!ref)
        return 0;
    if (!fp_detail_add_child(s->detail, s->parent, &s->tail, ref, name,
                             len)) {
        s->err = FP_ENOMEM;
        return 1;
    }
    return push_ref(arg, ref, name, len);
}

/* At the depth limit: remember what the limit hides, size nothing.
 * Whether it stays hidden is known only at the end of the call (another,
 * shorter path may still reach it). */
static int note_cut(void *arg, fp_handle ref, const char *name, size_t len)
{
    fp_sizer *s = arg;
    fp_info info = {0, 0, 0};
    fp_status st;

    (void)name;
    (void)len;
    if (s->err)
        return 1;
    if (!ref)
        return 0;
    if (fp_set_contains(&s->seen, ref) ||
        (s->excluded.count && fp_set_contains(&s->excluded, ref)))
        return 0;
    st = s->host.inspect(s->host.ctx, ref, &info);
    /* FP_EHOST is counted if a sizing path ever enters ref; any other
     * status aborts here as it would anywhere else. */
    if (st != FP_OK && st != FP_EHOST) {
        s->err = host_failure(s, st, "inspect", ref);
        return 1;
    }
    if (st == FP_OK && !(info.flags & FP_INFO_SKIP) &&
        fp_set_insert(&s->cut, ref) < 0) {
        s->err = FP_ENOMEM;
        return 1;
    }
    return 0;
}

/* Host failures on one object are counted, the rest abort the call. */
static fp_status host_failure(fp_sizer *s, fp_status st, const char *what,
                              fp_handle obj)
{
    if (st == FP_EHOST) {
        s->stats.failed++;
        return FP_OK;
    }
    fp_errmsg_set(s->errmsg, "host %s failed on object %#jx: %s", what,
                  (uintmax_t)obj, fp_strerror(st));
    return st;
}

/* Size obj (already known to be new) and push what it references. */
static FP_LOOP_INLINE fp_status enter(fp_sizer *s, fp_handle obj,
                                      fp_detail_node *node, size_t depth)
{
    fp_info info = {0, 0, 0};
    fp_status st;
    size_t flat, start;
    level *l;
    int follow;

    st = s->host.inspect(s->host.ctx, obj, &info);
    if (st != FP_OK)
        return host_failure(s, st, "inspect", obj);
    if (info.flags & FP_INFO_SKIP)
        return FP_OK;
    flat = align_up(info.flat, s->opts.align);
    s->stats.objects++;
    if (depth > s->stats.max_depth)
        s->stats.max_depth = depth;
    if (node)
        node->flat = node->size = flat;
    s->total += flat;
    follow = !(info.flags & FP_INFO_LEAF) &&
             !(depth && (info.flags & FP_INFO_LEAF_UNLESS_ROOT));
    if (!follow)
        return FP_OK;

    if (depth >= s->opts.limit) {
        st = s->host.referents(s->host.ctx, obj, 0, note_cut, s);
        if (s->err)
            return s->err;
        return st == FP_OK ? FP_OK : host_failure(s, st, "referents", obj);
    }

    start = s->refs.len;
    if (node && depth < s->opts.detail) {
        s->parent = node;
        s->tail = NULL;
        st = s->host.referents(s->host.ctx, obj, 1, push_named_ref, s);
        s->parent = NULL;
    } else {
        st = s->host.referents(s->host.ctx, obj, 0, push_ref, s);
    }
    if (s->err)
        return s->err;
    if (st != FP_OK && (st = host_failure(s, st, "referents", obj)) != FP_OK)
        return st;
    if (s->refs.len == start)
        return FP_OK; /* nothing waits; a detail node keeps size == flat */
    if (s->levels.len == s->levels.cap &&
        fp_vec_reserve(&s->levels, &s->alloc, 1) != FP_OK)
        return FP_ENOMEM;
    if (s->detail) {
        level_detail *d;
        if (fp_vec_reserve(&s->dlevels, &s->alloc, 1) != FP_OK)
            return FP_ENOMEM;
        d = (level_detail *)s->dlevels.data + s->dlevels.len++;
        d->owner = node;
        d->child = node ? node->child : NULL;
        if (node)
            node->size = s->total - flat; /* the level's end subtracts this */
    }
    l = (level *)s->levels.data + s->levels.len++;
    l->start = l->next = start;
    l->depth = depth + 1;
    return FP_OK;
}

static FP_LOOP_INLINE void pop_level(fp_sizer *s)
{
    const level *l = (level *)s->levels.data + --s->levels.len;

    s->refs.len = l->start;
    if (s->detail) {
        const level_detail *d =
            (level_detail *)s->dlevels.data + --s->dlevels.len;
        if (d->owner)
            d->owner->size = s->total - d->owner->size;
    }
}

/* Take referents until every level the root opened is done. */
static fp_status drain(fp_sizer *s)
{
    while (s->levels.len) {
        level *l = (level *)s->levels.data + s->levels.len - 1;
        level_detail *d = NULL;
        fp_detail_node *node = NULL;
        size_t depth = l->depth;
        fp_handle obj;
        fp_status st;
        int r;

        if (l->next == s->refs.len) {
            pop_level(s);
            continue;
        }
        obj = ((fp_handle *)s->refs.data)[l->next++];
        if (s->detail) {
            d = (level_detail *)s->dlevels.data + s->dlevels.len - 1;
            if ((node = d->child) != NULL)
                d->child = node->next;
        }
        /* With no size to finish, a level is done once its last referent
         * is taken: a chain then keeps one level, not one per link. */
        if (l->next == s->refs.len && !(d && d->owner))
            pop_level(s);
        if (s->excluded.count && fp_set_contains(&s->excluded, obj)) {
            s->stats.excluded++;
            continue;
        }
        r = fp_set_insert(&s->seen, obj);
        if (r < 0)
            return FP_ENOMEM;
        if (r == 0) {
            if (note_revisit(s, obj) < 0)
                return FP_ENOMEM;
            continue;
        }
        st = enter(s, obj, node, depth);
        if (st != FP_OK)
            return st;
    }
    return FP_OK;
}

typedef struct root_ref {
    fp_handle h;
    size_t i;
} root_ref;

static int cmp_root_ref(const void *a, const void *b)
{
    const root_ref *x = a, *y = b;

    if (x->h != y->h)
        return x->h < y->h ? -1 : 1;
    return x->i < y->i ? -1 : x->i > y->i;
}

#define ROOT_OLD ((size_t)-1) /* sized by an earlier call, or handle 0 */

/*
 * first[i] = i for a root this call sizes, j < i when root i repeats root j,
 * ROOT_OLD when it was sized before.  Fresh roots go into the visited set
 * up front, so no root is ever counted inside another (pympler's
 * exclude_refs(*objs) in _sizes).
 */
static fp_status classify_roots(fp_sizer *s, const fp_handle *roots, size_t n,
                                size_t *first)
{
    size_t i, repeats = 0;

    if (n == 1) { /* the tracker's case: one root per call, no repeats */
        first[0] = roots[0] && !fp_set_contains(&s->seen, roots[0]) ? 0
                                                                   : ROOT_OLD;
        if (first[0] == 0 && fp_set_insert(&s->seen, roots[0]) < 0)
            return FP_ENOMEM;
        return FP_OK;
    }
    fp_set_clear(&s->callroots);
    for (i = 0; i < n; i++) {
        int r;
        first[i] = ROOT_OLD;
        if (!roots[i])
            continue;
        r = fp_set_insert(&s->callroots, roots[i]);
        if (r < 0)
            return FP_ENOMEM;
        if (r == 0) {
            first[i] = i; /* resolved below */
            repeats++;
        } else if (!fp_set_contains(&s->seen, roots[i])) {
            first[i] = i;
        }
    }
    if (repeats) {
        /* Sort (handle, index) pairs: each group's first pair names the
         * first occurrence; O(n log n) whatever the pattern of repeats. */
        size_t bytes = fp_mul_size(n, sizeof(root_ref)), k = 0, lead = 0;
        root_ref *refs;
        if (!bytes || !(refs = fp_mem_alloc(&s->alloc, bytes)))
            return FP_ENOMEM;
        for (i = 0; i < n; i++)
            if (roots[i]) {
                refs[k].h = roots[i];
                refs[k++].i = i;
            }
        qsort(refs, k, sizeof *refs, cmp_root_ref);
        for (i = 0; i < k; i++) {
            if (i == 0 || refs[i].h != refs[i - 1].h)
                lead = refs[i].i;
            else
                first[refs[i].i] = first[lead] == ROOT_OLD ? ROOT_OLD : lead;
        }
        fp_mem_free(&s->alloc, refs);
    }
    for (i = 0; i < n; i++)
        if (first[i] == i && fp_set_insert(&s->seen, roots[i]) < 0)
            return FP_ENOMEM;
    return FP_OK;
}

static fp_status size_roots(fp_sizer *s, const fp_handle *roots, size_t n,
                            size_t *sizes, fp_detail *detail)
{
    size_t bytes = fp_mul_size(n, 2 * sizeof(size_t));
    size_t local[2 * 8]; /* small calls (the tracker's) allocate nothing */
    size_t *first = local, *own, i;
    fp_status st;

    if (!bytes)
        return n ? FP_ENOMEM : FP_OK;
    if (n > 8 && !(first = fp_mem_alloc(&s->alloc, bytes)))
        return FP_ENOMEM;
    own = first + n;
    st = classify_roots(s, roots, n, first);
    for (i = 0; st == FP_OK && i < n; i++) {
        fp_detail_node *node = NULL;
        size_t before = s->total;

        if (first[i] < i) { /* a repeat: the same figures as the first */
            own[i] = own[first[i]];
            if (detail)
                fp_detail_alias_root(detail, i, first[i]);
            /* ...and a revisit, as pympler's _seen.again() counts it */
            if (note_revisit(s, roots[i]) < 0) {
                st = FP_ENOMEM;
                break;
            }
            continue;
        }
        if (detail && !(node = fp_detail_root_node(detail, i, roots[i]))) {
            st = FP_ENOMEM;
            break;
        }
        own[i] = 0;
        if (first[i] == ROOT_OLD) {
            if (roots[i])
                st = note_revisit(s, roots[i]) < 0 ? FP_ENOMEM : FP_OK;
            continue;
        }
        if (s->walk) {
            st = s->walk(s->walk_arg, s, roots[i]);
            if (st != FP_OK && !s->errmsg[0])
                fp_errmsg_set(s->errmsg, "host walk failed on root %#jx: %s",
                              (uintmax_t)roots[i], fp_strerror(st));
        } else {
            st = enter(s, roots[i], node, 0);
            if (st == FP_OK)
                st = drain(s);
        }
        own[i] = s->total - before;
    }
    if (st == FP_OK && sizes)
        memcpy(sizes, own, n * sizeof *sizes);
    if (first != local)
        fp_mem_free(&s->alloc, first);
    return st;
}

/* Objects the limit kept from being sized that no other path reached. */
static size_t count_cut(fp_sizer *s)
{
    fp_set_iter it = {0, 0};
    fp_handle h;
    size_t n = 0;

    while (s->cut.count && fp_set_next(&s->cut, &it, &h))
        if (!fp_set_contains(&s->seen, h))
            n++;
    fp_set_clear(&s->cut);
    return n;
}

/* The shared path of both entry points: on a hard error the sizer forgets
 * everything (it cannot tell which marks the failed call left behind), so
 * its state is never half-updated. */
static fp_status size_call(fp_sizer *s, const fp_handle *roots, size_t n,
                           size_t *sizes, fp_detail *detail)
{
    fp_status st;

    if (n && !roots)
        return FP_EINVAL;
    s->errmsg[0] = '\0';
    s->err = FP_OK;
    s->total = 0;
    s->detail = detail;
    s->parent = s->tail = NULL;
    s->refs.len = s->levels.len = s->dlevels.len = 0;
    fp_set_clear(&s->cut);
    st = size_roots(s, roots, n, sizes, detail);
    s->refs.len = s->levels.len = s->dlevels.len = 0;
    s->detail = NULL;
    if (st != FP_OK) {
        if (!s->errmsg[0])
            fp_errmsg_set(s->errmsg, "sizing failed: %s; the sizer was reset",
                          fp_strerror(st));
        fp_sizer_reset(s);
        return st;
    }
    s->stats.total += s->total;
    s->stats.truncated += count_cut(s);
    return FP_OK;
}

fp_status fp_sizer_size(fp_sizer *s, const fp_handle *roots, size_t n,
                        size_t *sizes)
{
    if (!s)
        return FP_EINVAL;
    return size_call(s, roots, n, sizes, NULL);
}

fp_status fp_sizer_walk(fp_sizer *s, const fp_handle *roots, size_t n,
                        size_t *sizes, fp_walk_fn walk, void *arg)
{
    fp_status st;

    if (!s || !walk || s->opts.limit != FP_NO_LIMIT)
        return FP_EINVAL;
    s->walk = walk;
    s->walk_arg = arg;
    st = size_call(s, roots, n, sizes, NULL);
    s->walk = NULL;
    s->walk_arg = NULL;
    return st;
}

/* drain's steps for one referent, with the host doing the rest. */
fp_status fp_sizer_visit(fp_sizer *s, fp_handle h, int *enter)
{
    int r;

    *enter = 0;
    if (!h)
        return FP_OK;
    if (s->excluded.count && fp_set_contains(&s->excluded, h)) {
        s->stats.excluded++;
        return FP_OK;
    }
    r = fp_set_insert(&s->seen, h);
    if (r < 0 || (r == 0 && note_revisit(s, h) < 0))
        return FP_ENOMEM;
    *enter = r;
    return FP_OK;
}

/* enter's accounting for an object the host did not skip. */
void fp_sizer_count(fp_sizer *s, size_t flat, size_t depth)
{
    s->stats.objects++;
    if (depth > s->stats.max_depth)
        s->stats.max_depth = depth;
    s->total += align_up(flat, s->opts.align);
}

void fp_sizer_failed(fp_sizer *s)
{
    s->stats.failed++;
}

fp_status fp_sizer_size_detail(fp_sizer *s, const fp_handle *roots, size_t n,
                               size_t *sizes, fp_detail **out)
{
    fp_detail *d;
    fp_status st;

    if (!s || !out)
        return FP_EINVAL;
    *out = NULL;
    st = fp_detail_create(&d, &s->alloc, n);
    if (st != FP_OK) { /* failed like any call: say so, reset */
        fp_errmsg_set(s->errmsg, "sizing failed: %s; the sizer was reset",
                      fp_strerror(st));
        fp_sizer_reset(s);
        return st;
    }
    st = size_call(s, roots, n, sizes, d);
    if (st != FP_OK) {
        fp_detail_free(d);
        return st;
    }
    *out = d;
    return FP_OK;
}
