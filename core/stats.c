/*
 * stats.c - the sorted view of tracked objects and pympler's console text
 * (ConsoleStats.print_summary / print_stats / print_object), byte for byte
 * in layout, so tables users already read look the same.
 */
#include "text.h"
#include "tracker.h"

#include <stdio.h>
#include <string.h>

/* ---- pympler's trunc() and %-Ns padding, counted in characters
 * (fp_utf8_count: Python's len() for well-formed text) ---- */

/* Write s as trunc(s, max, left) would, newlines shown as '|', then pad
 * to width characters (left-justified, as %-Ns); width 0 = no padding. */
static void put_trunc(fp_text *out, const char *s, size_t max, int left,
                      size_t width)
{
    size_t n = strlen(s), chars = fp_utf8_count(s, n), shown, i, from = 0,
           to = n;
    int dots = 0;

    if (max && chars > max) {
        dots = 1;
        if (left)
            from = fp_utf8_skip(s, n, chars - max + 3);
        else
            to = fp_utf8_skip(s, n, max - 3);
    }
    if (dots && left)
        fp_text_put(out, "...", 3);
    for (i = from; i < to; i++)
        fp_text_put(out, s[i] == '\n' ? "|" : s + i, 1);
    if (dots && !left)
        fp_text_put(out, "...", 3);
    shown = dots ? max : chars;
    for (; shown < width; shown++)
        fp_text_put(out, " ", 1);
}

static void put_size(fp_text *out, double bytes, int width, int left)
{
    char buf[64];

    fp_format_size(bytes, buf, sizeof buf);
    fp_text_printf(out, left ? "%-*s" : "%*s", width, buf);
}

/* ---- totals ---- */

/* Largest size of each object over all snapshots, and its size in the
 * snapshot with the largest tracked total (pympler's "tsize", without its
 * habit of picking the last snapshot). */
static fp_status object_sizes(const fp_tracker *t, uint64_t *size,
                              uint64_t *tsize)
{
    size_t s, k, tmax = (size_t)-1;
    uint64_t best = 0;

    memset(size, 0, t->objs.len * sizeof *size);
    memset(tsize, 0, t->objs.len * sizeof *tsize);
    for (s = 0; s < t->snaps.len; s++) {
        const tsnap *sn = &TSNAP(t, s);
        if (sn->tracked_total > best || tmax == (size_t)-1) {
            best = sn->tracked_total;
            tmax = s;
        }
        for (k = 0; k < sn->n; k++)
            if (sn->size[k] > size[sn->obj[k]])
                size[sn->obj[k]] = sn->size[k];
    }
    if (tmax != (size_t)-1)
        for (k = 0; k < TSNAP(t, tmax).n; k++)
            tsize[TSNAP(t, tmax).obj[k]] = TSNAP(t, tmax).size[k];
    return FP_OK;
}

/* ---- sorting ---- */

enum key { K_CLASSNAME, K_NAME, K_BIRTH, K_DEATH, K_SIZE, K_TSIZE, K_REPR };

static const char *const key_names[] = {"classname", "name", "birth",
                                        "death", "size", "tsize", "repr"};
/* pympler's default criteria order */
static const enum key default_keys[] = {K_CLASSNAME, K_TSIZE, K_BIRTH,
                                        K_DEATH, K_NAME, K_REPR, K_SIZE};

typedef struct sort_ctx {
    const fp_tracker *t;
    const enum key *keys;
    size_t nkeys;
    const uint64_t *size, *tsize;
} sort_ctx;

static int cmp_double(double a, double b)
{
    return a < b ? -1 : a > b;
}

static int cmp_objects(const sort_ctx *c, uint32_t a, uint32_t b)
{
    const tobj *x = &TOBJ(c->t, a), *y = &TOBJ(c->t, b);
    size_t i;

    for (i = 0; i < c->nkeys; i++) {
        int r = 0;
        switch (c->keys[i]) {
        case K_CLASSNAME:
        case K_NAME:
            r = strcmp(fp_strtab_get(&c->t->strs, TCLASS(c->t, x->cls).name),
                       fp_strtab_get(&c->t->strs, TCLASS(c->t, y->cls).name));
            break;
        case K_BIRTH:
            r = cmp_double(x->birth, y->birth);
            break;
        case K_DEATH: /* still alive sorts after every death */
            if ((x->flags & TOBJ_DEAD) && (y->flags & TOBJ_DEAD))
                r = cmp_double(x->death, y->death);
            else
                r = (int)!(x->flags & TOBJ_DEAD) - (int)!(y->flags & TOBJ_DEAD);
            break;
        case K_SIZE: /* sizes sort descending, as in pympler */
            r = c->size[a] > c->size[b] ? -1 : c->size[a] < c->size[b];
            break;
        case K_TSIZE:
            r = c->tsize[a] > c->tsize[b] ? -1 : c->tsize[a] < c->tsize[b];
            break;
        case K_REPR:
            r = strcmp(fp_strtab_get(&c->t->strs, x->repr),
                       fp_strtab_get(&c->t->strs, y->repr));
            break;
        }
        if (r)
            return r < 0 ? -1 : 1;
    }
    return 0;
}

/* Stable bottom-up merge sort: qsort has no context argument and is not
 * stable, and ties must keep birth order as Python's sort does. */
static void merge_sort(const sort_ctx *c, uint32_t *a, uint32_t *tmp,
                       size_t n)
{
    size_t width, i;

    for (width = 1; width < n; width *= 2) {
        for (i = 0; i < n; i += 2 * width) {
            size_t lo = i, mid = i + width < n ? i + width : n,
                   hi = i + 2 * width < n ? i + 2 * width : n;
            size_t l = lo, r = mid, k = lo;
            while (l < mid && r < hi)
                tmp[k++] = cmp_objects(c, a[r], a[l]) < 0 ? a[r++] : a[l++];
            while (l < mid)
                tmp[k++] = a[l++];
            while (r < hi)
                tmp[k++] = a[r++];
        }
        memcpy(a, tmp, n * sizeof *a);
    }
}

fp_status fp_tracker_sort(fp_tracker *t, const char *const *keys,
                          size_t nkeys)
{
    enum key chosen[16];
    sort_ctx c;
    uint64_t *sizes;
    uint32_t *order, *tmp;
    size_t i, j, n;

    if (!t || (nkeys && !keys) || nkeys > 16)
        return FP_EINVAL;
    t->errmsg[0] = '\0';
    for (i = 0; i < nkeys; i++) {
        for (j = 0; j < sizeof key_names / sizeof *key_names; j++)
            if (keys[i] && strcmp(keys[i], key_names[j]) == 0)
                break;
        if (j == sizeof key_names / sizeof *key_names) {
            fp_errmsg_set(t->errmsg,
                          "invalid sort key '%s' (classname, name, birth, "
                          "death, size, tsize, repr)",
                          keys[i] ? keys[i] : "(null)");
            return FP_EINVAL;
        }
        chosen[i] = (enum key)j;
    }
    n = t->objs.len;
    sizes = fp_mem_alloc(&t->alloc, fp_mul_size(2 * n + 1, sizeof *sizes));
    order = fp_mem_alloc(&t->alloc, fp_mul_size(n + 1, sizeof *order));
    tmp = fp_mem_alloc(&t->alloc, fp_mul_size(n + 1, sizeof *tmp));
    if (!sizes || !order || !tmp) {
        fp_mem_free(&t->alloc, sizes);
        fp_mem_free(&t->alloc, order);
        fp_mem_free(&t->alloc, tmp);
        return FP_ENOMEM;
    }
    object_sizes(t, sizes, sizes + n);
    c.t = t;
    c.keys = nkeys ? chosen : default_keys;
    c.nkeys = nkeys ? nkeys : sizeof default_keys / sizeof *default_keys;
    c.size = sizes;
    c.tsize = sizes + n;
    for (i = 0; i < n; i++)
        order[i] = (uint32_t)i;
    merge_sort(&c, order, tmp, n);
    fp_mem_free(&t->alloc, tmp);
    fp_mem_free(&t->alloc, sizes);
    fp_mem_free(&t->alloc, t->order);
    t->order = order;
    t->norder = n;
    return FP_OK;
}

static fp_status ensure_sorted(fp_tracker *t)
{
    if (t->order && t->norder == t->objs.len)
        return FP_OK;
    return fp_tracker_sort(t, NULL, 0);
}

fp_status fp_tracker_reverse(fp_tracker *t)
{
    size_t i;
    fp_status st;

    if (!t)
        return FP_EINVAL;
    if ((st = ensure_sorted(t)) != FP_OK)
        return st;
    for (i = 0; i < t->norder / 2; i++) {
        uint32_t x = t->order[i];
        t->order[i] = t->order[t->norder - 1 - i];
        t->order[t->norder - 1 - i] = x;
    }
    return FP_OK;
}

fp_status fp_tracker_sorted_object(fp_tracker *t, size_t k, size_t *obj)
{
    fp_status st;

    if (!t || !obj)
        return FP_EINVAL;
    if ((st = ensure_sorted(t)) != FP_OK)
        return st;
    if (k >= t->norder)
        return FP_EINVAL;
    *obj = t->order[k];
    return FP_OK;
}

/* ---- print_summary ---- */

static const char rule79[] =
    "-------------------------------------------------------------------------------";

/* Class indices sorted by name (pympler: sorted(index.keys())). */
static fp_status classes_by_name(const fp_tracker *t, size_t **out)
{
    size_t n = t->classes.len, i, j;
    size_t *idx = fp_mem_alloc(&t->alloc, fp_mul_size(n + 1, sizeof *idx));

    if (!idx)
        return FP_ENOMEM;
    for (i = 0; i < n; i++) { /* insertion sort: a handful of classes */
        size_t v = i;
        const char *name = fp_strtab_get(&t->strs, TCLASS(t, v).name);
        for (j = i; j > 0 && strcmp(fp_strtab_get(&t->strs,
                                                  TCLASS(t, idx[j - 1]).name),
                                    name) > 0;
             j--)
            idx[j] = idx[j - 1];
        idx[j] = v;
    }
    *out = idx;
    return FP_OK;
}

fp_status fp_tracker_print_summary(const fp_tracker *t, fp_text *out)
{
    size_t *order, s, i;
    fp_class_stats *all;
    fp_status st;

    if (!t || !out)
        return FP_EINVAL;
    if ((st = classes_by_name(t, &order)) != FP_OK)
        return st;
    all = fp_mem_alloc(&t->alloc, (t->classes.len + 1) * sizeof *all);
    if (!all) {
        fp_mem_free(&t->alloc, order);
        return FP_ENOMEM;
    }
    fp_text_printf(out, "---- SUMMARY %.66s\n", rule79);
    for (s = 0; s < t->snaps.len; s++) {
        const tsnap *sn = &TSNAP(t, s);
        fp_tracker_snapshot_classes(t, s, all);
        put_trunc(out, fp_strtab_get(&t->strs, sn->desc), 35, 0, 35);
        fp_text_printf(out, " %11s ", "active");
        put_size(out, (double)fp_snap_total(sn), 12, 0);
        fp_text_printf(out, " %12s %5s\n", "average", "pct");
        for (i = 0; i < t->classes.len; i++) {
            const fp_class_stats *cs = &all[order[i]];
            fp_text_put(out, "  ", 2);
            put_trunc(out, fp_strtab_get(&t->strs, TCLASS(t, order[i]).name),
                      33, 0, 33);
            fp_text_printf(out, " %11zu ", cs->active);
            put_size(out, (double)cs->sum, 12, 0);
            fp_text_put(out, " ", 1);
            put_size(out, cs->avg, 12, 0);
            /* a loaded dump may pair any sum with any rss: converting a
             * share beyond int's range would be undefined */
            fp_text_printf(out, " %4d%%\n",
                           cs->pct < 1e9 ? (int)cs->pct : 999999999);
        }
    }
    fp_text_printf(out, "%s\n", rule79);
    fp_mem_free(&t->alloc, all);
    fp_mem_free(&t->alloc, order);
    return fp_text_status(out);
}

/* ---- print_object / print_stats ---- */

static void put_time(fp_text *out, double ts, int width)
{
    char buf[64];

    fp_format_time(ts, buf, sizeof buf);
    fp_text_printf(out, "%-*s", width, buf);
}

/* Children of detail entry k (entries k+1.. with depth+1 until the
 * subtree ends), largest first; ties in reverse order of appearance, as
 * pympler's sort-then-reverse gives. */
static fp_status print_refs(const fp_tracker *t, fp_text *out,
                            const tdetail *d, size_t n, size_t k,
                            uint64_t total, size_t prefix, unsigned level)
{
    size_t i, m = 0, *kids;
    uint32_t depth = d[k].depth;

    for (i = k + 1; i < n && d[i].depth > depth; i++)
        m += d[i].depth == depth + 1;
    if (!m)
        return FP_OK;
    kids = fp_mem_alloc(&t->alloc, m * sizeof *kids);
    if (!kids)
        return FP_ENOMEM;
    m = 0;
    for (i = k + 1; i < n && d[i].depth > depth; i++)
        if (d[i].depth == depth + 1) {
            /* insert keeping descending size; equal sizes go first so
             * later entries precede earlier ones */
            size_t j = m++;
            while (j > 0 && d[kids[j - 1]].size <= d[i].size) {
                kids[j] = kids[j - 1];
                j--;
            }
            kids[j] = i;
        }
    for (i = 0; i < m; i++) {
        const tdetail *r = &d[kids[i]];
        char line[512]; /* trunc() keeps 50 characters of it anyway */
        if (!(r->size > 0 && (double)r->size * 100.0 / (double)total > 0.1))
            continue;
        snprintf(line, sizeof line, "%*s%s", (int)prefix, "",
                 fp_strtab_get(&t->strs, r->name));
        put_trunc(out, line, 50, 0, 50);
        fp_text_put(out, " ", 1);
        put_size(out, (double)r->size, 14, 1);
        fp_text_printf(out, " %3d%% [%u]\n",
                       (int)((double)r->size * 100.0 / (double)total), level);
        if (print_refs(t, out, d, n, kids[i], total, prefix + 2, level + 1) !=
            FP_OK) {
            fp_mem_free(&t->alloc, kids);
            return FP_ENOMEM;
        }
    }
    fp_mem_free(&t->alloc, kids);
    return FP_OK;
}

fp_status fp_tracker_print_object(const fp_tracker *t, size_t obj,
                                  fp_text *out)
{
    const tobj *o;
    size_t s;

    if (!t || !out || obj >= t->objs.len)
        return FP_EINVAL;
    o = &TOBJ(t, obj);
    put_trunc(out, fp_strtab_get(&t->strs, TCLASS(t, o->cls).name), 32, 1,
              32);
    if (o->flags & TOBJ_DEAD)
        fp_text_put(out, " ( free )   ", 12);
    else
        fp_text_printf(out, " 0x%08jx ", (uintmax_t)o->addr);
    put_trunc(out, fp_strtab_get(&t->strs, o->repr), 35, 0, 35);
    fp_text_put(out, "\n", 1);
    if (o->trace) {
        const char *tr = fp_strtab_get(&t->strs, o->trace);
        size_t n = strlen(tr);
        fp_text_put(out, tr, n);
        if (n && tr[n - 1] != '\n')
            fp_text_put(out, "\n", 1);
    }
    for (s = 0; s < t->snaps.len; s++) {
        uint64_t size;
        size_t first, n;
        if (fp_tracker_object_size(t, s, obj, &size) != FP_OK)
            continue;
        fp_text_put(out, "  ", 2);
        put_time(out, TSNAP(t, s).ts, 30);
        fp_text_put(out, " ", 1);
        put_size(out, (double)size, 0, 0);
        fp_text_put(out, "\n", 1);
        fp_tracker_object_detail(t, s, obj, &first, &n);
        if (n && size &&
            print_refs(t, out, TSNAP(t, s).detail + first, n, 0, size, 4,
                       1) != FP_OK)
            return FP_ENOMEM;
    }
    if (o->flags & TOBJ_DEAD) {
        fp_text_put(out, "  ", 2);
        put_time(out, o->death, 30);
        fp_text_put(out, " finalize\n", 10);
    }
    return fp_text_status(out);
}

fp_status fp_tracker_print_stats(fp_tracker *t, const char *clsname,
                                 double limit, fp_text *out)
{
    size_t i, shown = 0, max;
    fp_status st;

    if (!t || !out || !(limit >= 0))
        return FP_EINVAL;
    if ((st = ensure_sorted(t)) != FP_OK)
        return st;
    /* pympler: a fraction is taken of all objects, before filtering */
    if (limit < 1.0) {
        max = (size_t)((double)t->norder * limit);
        if (max < 1)
            max = 1;
    } else {
        max = limit >= (double)SIZE_MAX ? SIZE_MAX : (size_t)limit;
    }
    for (i = 0; i < t->norder && shown < max; i++) {
        const tobj *o = &TOBJ(t, t->order[i]);
        if (clsname && *clsname &&
            !strstr(fp_strtab_get(&t->strs, TCLASS(t, o->cls).name), clsname))
            continue;
        if ((st = fp_tracker_print_object(t, t->order[i], out)) != FP_OK)
            return st;
        shown++;
    }
    return fp_text_status(out);
}
