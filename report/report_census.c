/*
 * report_census.c - the section "Heap by type": what the host's census
 * counted at the last snapshot that has one (every object it found, by
 * type, flat bytes) set against what the tracked classes hold, and the
 * largest types over time.
 *
 * Only a tracker with a census gets the section, so a page without one is
 * the page it always was; finding that out costs a look at each snapshot.
 * Types are matched across snapshots by name, as dumps and fp_diff match
 * them: each census is a separate walk of the host's heap.
 */
#include "report.h"

#include <stdlib.h>
#include <string.h>

/* Rows of the table: the types past them are summed, with those the host
 * did not keep, into "(other types)". */
#define TYPE_ROWS 20
/* Types drawn over time, as many as the class chart's default colours. */
#define TYPE_SERIES 8

size_t rp_census_last(const rp_data *d)
{
    size_t s = d->nsnap;

    while (s-- > 0)
        if (fp_tracker_census_taken(d->t, s))
            return s;
    return FP_REPORT_LAST;
}

/* ---- the largest types over time ---- */

typedef struct tentry {
    const char *name;
    uint64_t flat;
} tentry;

/* Names are interned by the tracker, so equal ones are mostly one
 * pointer; the rest tell apart at their first byte. */
static int same_name(const char *a, const char *b)
{
    return a == b || (*a == *b && strcmp(a, b) == 0);
}

static int by_name(const void *a, const void *b)
{
    const tentry *x = a, *y = b;

    return x->name == y->name ? 0 : strcmp(x->name, y->name);
}

/* How many leading entries of census s can be a type's peak among the
 * TYPE_SERIES largest.  A census lists its types largest flat first, and
 * a type below the TYPE_SERIES-th has that many types holding more in
 * that very census, so no size it has there ranks it among them.  Ties
 * with the TYPE_SERIES-th count, so the choice stays exact while it reads
 * a few entries per snapshot, not every one. */
static size_t head_of(const fp_tracker *t, size_t s)
{
    size_t n = fp_tracker_census_count(t, s), k = TYPE_SERIES;
    fp_census_entry e;
    uint64_t floor;

    if (n <= k || fp_tracker_census_entry(t, s, k - 1, &e) != FP_OK)
        return n < k ? n : k;
    floor = e.flat;
    while (k < n && fp_tracker_census_entry(t, s, k, &e) == FP_OK &&
           e.flat >= floor)
        k++;
    return k;
}

/* The head of every census, sorted by name so that each type's entries
 * are adjacent. */
static fp_status candidates(const rp_data *d, tentry **out, size_t *n)
{
    size_t s, i, h, k = 0, total = 0;
    fp_census_entry ce;
    tentry *e;

    for (s = 0; s < d->nsnap; s++)
        total += head_of(d->t, s);
    e = fp_mem_alloc(&d->alloc, fp_mul_size(total ? total : 1, sizeof *e));
    if (!e)
        return FP_ENOMEM;
    for (s = 0; s < d->nsnap; s++)
        for (i = 0, h = head_of(d->t, s); i < h && k < total; i++)
            if (fp_tracker_census_entry(d->t, s, i, &ce) == FP_OK) {
                e[k].name = ce.name;
                e[k++].flat = ce.flat;
            }
    qsort(e, k, sizeof *e, by_name);
    *out = e;
    *n = k;
    return FP_OK;
}

/* Each type's first entry (group[g]) and its largest flat size (peak[g]),
 * in name order; returns how many types.  Both arrays hold n. */
static size_t group_types(const tentry *e, size_t n, size_t *group,
                          uint64_t *peak)
{
    size_t i, g = 0;

    for (i = 0; i < n; i++) {
        if (!i || !same_name(e[i - 1].name, e[i].name)) {
            group[g] = i;
            peak[g++] = 0;
        }
        if (e[i].flat > peak[g - 1])
            peak[g - 1] = e[i].flat;
    }
    return g;
}

/* The chosen types' sizes in every census, one pass over its entries.
 * Where a census's entries add up to its totals the host kept every type,
 * so one it does not list had no object then; elsewhere it may only have
 * been too small to keep, and its size stays unknown. */
static void fill_values(rp_types *ty, const rp_data *d)
{
    size_t s, i, k, n;
    fp_census_entry ce;

    for (s = 0; s < d->nsnap; s++) {
        if (!(ty->taken[s] = (unsigned char)fp_tracker_census_taken(d->t, s)))
            continue;
        n = fp_tracker_census_count(d->t, s);
        for (i = 0; i < n; i++) {
            if (fp_tracker_census_entry(d->t, s, i, &ce) != FP_OK)
                continue;
            for (k = 0; k < ty->ntypes; k++)
                if (same_name(ce.name, ty->name[k])) {
                    ty->flat[k * d->nsnap + s] = ce.flat;
                    ty->known[k * d->nsnap + s] = 1;
                    break; /* the tracker sums a census's entries by name */
                }
        }
        if (fp_tracker_census_complete(d->t, s))
            for (k = 0; k < ty->ntypes; k++)
                ty->known[k * d->nsnap + s] = 1;
    }
}

static void types_release(const rp_data *d, rp_types *ty)
{
    fp_mem_free(&d->alloc, (void *)ty->name);
    fp_mem_free(&d->alloc, ty->flat);
    fp_mem_free(&d->alloc, ty->known);
    fp_mem_free(&d->alloc, ty->taken);
    memset(ty, 0, sizeof *ty);
}

static fp_status types_alloc(const rp_data *d, rp_types *ty, size_t n)
{
    size_t cells = fp_mul_size(n, d->nsnap ? d->nsnap : 1);

    memset(ty, 0, sizeof *ty);
    ty->name = fp_mem_alloc(&d->alloc, fp_mul_size(n, sizeof *ty->name));
    ty->flat = fp_mem_alloc(&d->alloc, fp_mul_size(cells, sizeof *ty->flat));
    ty->known = fp_mem_alloc(&d->alloc, cells);
    ty->taken = fp_mem_alloc(&d->alloc, d->nsnap ? d->nsnap : 1);
    if (!ty->name || !ty->flat || !ty->known || !ty->taken) {
        types_release(d, ty);
        return FP_ENOMEM;
    }
    memset(ty->flat, 0, cells * sizeof *ty->flat);
    memset(ty->known, 0, cells);
    return FP_OK;
}

/* The TYPE_SERIES types with the largest flat size in any census, largest
 * first (by name among equals), and their sizes over time; a type that
 * never held a byte is left out, as a class is from the class chart. */
static fp_status types_init(const rp_data *d, rp_types *ty)
{
    tentry *e = NULL;
    size_t n = 0, ng, k, *group = NULL;
    uint64_t *peak = NULL;
    uint32_t *order = NULL;
    fp_status st = types_alloc(d, ty, TYPE_SERIES);

    if (st == FP_OK)
        st = candidates(d, &e, &n);
    if (st == FP_OK) {
        group = fp_mem_alloc(&d->alloc, fp_mul_size(n + 1, sizeof *group));
        peak = fp_mem_alloc(&d->alloc, fp_mul_size(n + 1, sizeof *peak));
        st = group && peak ? FP_OK : FP_ENOMEM;
    }
    if (st == FP_OK) {
        ng = group_types(e, n, group, peak);
        st = rp_order_desc(&d->alloc, peak, ng, &order);
    }
    if (st == FP_OK) {
        for (k = 0; k < TYPE_SERIES && k < ng && peak[order[k]]; k++)
            ty->name[k] = e[group[order[k]]].name;
        ty->ntypes = k;
        fill_values(ty, d);
    }
    if (st != FP_OK)
        types_release(d, ty);
    fp_mem_free(&d->alloc, e);
    fp_mem_free(&d->alloc, group);
    fp_mem_free(&d->alloc, peak);
    fp_mem_free(&d->alloc, order);
    return st;
}

/* ---- the census of one snapshot ---- */

static void census_intro(fp_text *out, const rp_data *d, size_t last)
{
    const char *desc = d->snap[last].desc;
    size_t i;
    int shown = 0;

    for (i = 0; i < d->nshown; i++)
        shown |= d->shown[i] == last;
    rp_put(out, "<p class=\"muted\">What the host counted on its heap at ");
    if (shown) {
        rp_put(out, "<a href=\"#s");
        rp_count(out, last + 1);
        rp_put(out, "\">");
    }
    rp_put(out, "snapshot ");
    rp_count(out, last + 1);
    rp_put(out, shown ? "</a>" : "");
    if (*desc) {
        rp_put(out, " \xE2\x80\x9C");
        rp_esc_cut(out, desc, 160, 0);
        rp_put(out, "\xE2\x80\x9D");
    }
    rp_put(out, last + 1 < d->nsnap ? ", the last snapshot with a census"
                                    : "");
    rp_put(out, ": every object it found, by type, with its flat size "
                "(the object alone, not what it refers to).</p>");
}

/* The tracked classes against the whole heap.  Their sizes are recursive
 * and the census's flat, so the two overlap: the share is a ratio, not a
 * part of the heap, and can pass 100%.  The caption says so. */
static void tracked_share(fp_text *out, const rp_data *d, size_t last)
{
    uint64_t count = 0, flat = 0;
    double tracked = (double)d->snap[last].tracked_total;

    fp_tracker_census_totals(d->t, last, &count, &flat);
    rp_put(out, "<p class=\"hshare\"><b>tracked classes: ");
    rp_size(out, tracked);
    rp_put(out, " of ");
    rp_size(out, (double)flat);
    rp_put(out, " counted on the heap");
    if (flat) {
        rp_put(out, " (");
        rp_pct(out, tracked * 100 / (double)flat);
        rp_put(out, ")");
    }
    rp_put(out, "</b><br/><span class=\"muted\">Recursive size of tracked "
                "classes vs flat bytes of every object: an instance&#39;s "
                "size takes in what it refers to, which the census counts "
                "under those objects&#39; own types.</span></p>");
}

static void type_row(fp_text *out, const char *cls, const char *name,
                     uint64_t count, uint64_t flat, double total)
{
    rp_put(out, cls);
    rp_esc_str(out, name);
    rp_put(out, "</td>");
    rp_count_td(out, count);
    rp_size_td(out, (double)flat);
    rp_share_td(out, (double)flat, total);
    rp_put(out, "</tr>");
}

/* The TYPE_ROWS largest types, then the rest (types past the rows, and
 * those the host did not keep) and the totals, below the sorted rows. */
static void census_table(fp_text *out, const rp_data *d, size_t last)
{
    size_t n = fp_tracker_census_count(d->t, last), i;
    uint64_t count = 0, flat = 0, rest_count, rest_flat;
    fp_census_entry e;

    fp_tracker_census_totals(d->t, last, &count, &flat);
    rest_count = count;
    rest_flat = flat;
    rp_put(out, "<div class=\"scroll\"><table class=\"sort types\"><thead>"
                "<tr><th>Type</th><th class=\"n\">Objects</th><th class=\"n\">"
                "Bytes (flat)</th><th class=\"n\">Share</th></tr></thead>"
                "<tbody>");
    for (i = 0; i < n && i < TYPE_ROWS; i++) {
        if (fp_tracker_census_entry(d->t, last, i, &e) != FP_OK)
            continue;
        type_row(out, "<tr><td>", e.name, e.count, e.flat, (double)flat);
        /* the tracker keeps the entries within the totals */
        rest_count -= e.count;
        rest_flat -= e.flat;
    }
    rp_put(out, "</tbody><tfoot>");
    if (rest_count || rest_flat)
        type_row(out, "<tr><td class=\"muted\">", "(other types)",
                 rest_count, rest_flat, (double)flat);
    type_row(out, "<tr class=\"sum\"><td>", "all types", count, flat,
             (double)flat);
    rp_put(out, "</tfoot></table></div>");
}

fp_status rp_census_section(fp_text *out, const rp_data *d, size_t last)
{
    rp_types ty;
    fp_status st;

    rp_put(out, "<section id=\"types\"><h2>Heap by type</h2>");
    census_intro(out, d, last);
    tracked_share(out, d, last);
    census_table(out, d, last);
    st = types_init(d, &ty);
    if (st == FP_OK && ty.ntypes) {
        rp_put(out, "<h3>Largest types over time</h3><p class=\"muted\">"
                    "Flat bytes of the ");
        rp_count(out, ty.ntypes);
        rp_put(out, ty.ntypes == 1 ? " type" : " types");
        rp_put(out, " with the largest peak, at every snapshot with a "
                    "census. A line breaks where a census did not keep its "
                    "type (hosts keep the largest).</p>");
        rp_chart_types(out, d, &ty);
    }
    if (st == FP_OK)
        types_release(d, &ty);
    rp_put(out, "</section>\n");
    return st;
}
