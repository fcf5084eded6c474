/*
 * report_types_diff.c - the diff page's "Types that grew": the censuses of
 * the two snapshots matched by name (fp_diff_type), the types whose bytes
 * grew, the largest growth first, as `footprint diff` lists them.
 *
 * A census may keep only its largest types.  A type the before side did
 * not keep, where that census kept only some, has no known before figure:
 * its cells say so instead of reading 0 and "new".
 */
#include "report.h"

#include <stdlib.h>
#include <string.h>

#define GREW_ROWS 20

static int grew(const fp_type_delta *r)
{
    return r->flat[1] > r->flat[0] ||
           (r->flat[1] == r->flat[0] && r->count[1] > r->count[0]);
}

/* The largest growth in bytes first, then in objects, then by name. */
static int cmp_growth(const void *pa, const void *pb)
{
    const fp_type_delta *x = *(const fp_type_delta *const *)pa;
    const fp_type_delta *y = *(const fp_type_delta *const *)pb;
    uint64_t dx = x->flat[1] - x->flat[0], dy = y->flat[1] - y->flat[0];
    int64_t cx = (int64_t)(x->count[1] - x->count[0]),
            cy = (int64_t)(y->count[1] - y->count[0]);

    if (dx != dy)
        return dx > dy ? -1 : 1;
    if (cx != cy)
        return cx > cy ? -1 : 1;
    return strcmp(x->name, y->name);
}

/* Whether snap's census kept every type it counted. */
static int census_complete(const fp_tracker *t, size_t snap)
{
    uint64_t count = 0, flat = 0, sum = 0;
    size_t i, n = fp_tracker_census_count(t, snap);
    fp_census_entry e;

    fp_tracker_census_totals(t, snap, &count, &flat);
    for (i = 0; i < n; i++)
        if (fp_tracker_census_entry(t, snap, i, &e) == FP_OK)
            sum += e.count;
    return sum == count;
}

static void delta_td(fp_text *out, uint64_t before, uint64_t after,
                     int bytes)
{
    double d = (double)after - (double)before;

    rp_put(out, "<td class=\"n\" data-v=\"");
    rp_fixed(out, d, 0);
    rp_put(out, "\">");
    if (bytes)
        rp_size_delta(out, d);
    else
        rp_count_delta(out, (int64_t)(after - before));
    rp_put(out, "</td>");
}

static void pct_td(fp_text *out, uint64_t before, uint64_t after)
{
    double d = (double)after - (double)before;

    rp_put(out, "<td class=\"n\" data-v=\"");
    if (!before) {
        rp_put(out, "1e18\">new</td>");
        return;
    }
    rp_fixed(out, d * 100 / (double)before, 3);
    rp_put(out, "\">+");
    rp_pct(out, d * 100 / (double)before);
    rp_put(out, "</td>");
}

/* Cells of a type whose before figures are unknown: a dash, a question
 * mark for each change; sorted as if it had none before. */
static void unknown_row(fp_text *out, const fp_type_delta *r)
{
    static const char *const dash = "<td class=\"n\" data-v=\"0\">"
                                    "\xE2\x80\x94</td>";

    rp_put(out, dash);
    rp_count_td(out, r->count[1]);
    rp_put(out, "<td class=\"n\" data-v=\"0\">?</td>");
    rp_put(out, dash);
    rp_size_td(out, (double)r->flat[1]);
    rp_put(out, "<td class=\"n\" data-v=\"0\">?</td>"
                "<td class=\"n\" data-v=\"0\">?</td>");
}

static void grew_row(fp_text *out, const fp_type_delta *r, int known)
{
    rp_put(out, "<tr><td>");
    rp_esc_str(out, r->name);
    rp_put(out, "</td>");
    if (!known) {
        unknown_row(out, r);
    } else {
        rp_count_td(out, r->count[0]);
        rp_count_td(out, r->count[1]);
        delta_td(out, r->count[0], r->count[1], 0);
        rp_size_td(out, (double)r->flat[0]);
        rp_size_td(out, (double)r->flat[1]);
        delta_td(out, r->flat[0], r->flat[1], 1);
        pct_td(out, r->flat[0], r->flat[1]);
    }
    rp_put(out, "</tr>");
}

static void grew_table(fp_text *out, const fp_type_delta *const *rows,
                       size_t n, int before_complete, int *unknown)
{
    size_t i;

    rp_put(out, "<div class=\"scroll\"><table class=\"sort types\"><thead>"
                "<tr><th>Type</th><th class=\"n\">Objects before</th>"
                "<th class=\"n\">after</th><th class=\"n\">\xCE\x94</th>"
                "<th class=\"n\">Bytes before</th><th class=\"n\">after</th>"
                "<th class=\"n\">\xCE\x94</th><th class=\"n\">\xCE\x94 %"
                "</th></tr></thead><tbody>");
    for (i = 0; i < n; i++) {
        int known = rows[i]->kept[0] || before_complete;
        grew_row(out, rows[i], known);
        *unknown |= !known;
    }
    rp_put(out, "</tbody></table></div>");
}

/* Whether side's snapshot took a census (totals or types recorded). */
static int has_census(const fp_tracker *t, size_t snap)
{
    uint64_t count = 0, flat = 0;

    if (snap == FP_SNAPSHOT_LAST ||
        fp_tracker_census_totals(t, snap, &count, &flat) != FP_OK)
        return 0;
    return count || flat || fp_tracker_census_count(t, snap);
}

int rp_types_diffed(const fp_diff *model)
{
    return fp_diff_type_count(model) > 0;
}

fp_status rp_types_grew(fp_text *out, const fp_diff *model,
                        const fp_tracker *const side[2],
                        const fp_alloc *alloc)
{
    size_t n = fp_diff_type_count(model), i, m = 0;
    const fp_type_delta **rows;
    int unknown = 0, k;

    if (!n)
        return FP_OK;
    rp_put(out, "<section id=\"types\"><h2>Types that grew</h2>");
    for (k = 0; k < 2; k++)
        if (!has_census(side[k], fp_diff_snapshot(model, k))) {
            rp_put(out, k ? "<p class=\"empty\">No census in the after "
                            "snapshot.</p></section>\n"
                          : "<p class=\"empty\">No census in the before "
                            "snapshot.</p></section>\n");
            return FP_OK;
        }
    if (!(rows = fp_mem_alloc(alloc, fp_mul_size(n, sizeof *rows))))
        return FP_ENOMEM;
    for (i = 0; i < n; i++)
        if (grew(fp_diff_type(model, i)))
            rows[m++] = fp_diff_type(model, i);
    qsort(rows, m, sizeof *rows, cmp_growth);
    rp_put(out, "<p class=\"muted\">The heap by type at the two snapshots "
                "(each object's own size, every object the host found), "
                "the types whose bytes grew, the largest growth first.</p>");
    if (!m)
        rp_put(out, "<p class=\"empty\">No type grew.</p>");
    else
        grew_table(out, rows, m < GREW_ROWS ? m : GREW_ROWS,
                   census_complete(side[0], fp_diff_snapshot(model, 0)),
                   &unknown);
    if (unknown)
        rp_put(out, "<p class=\"muted\">\xE2\x80\x94: not among the types "
                    "the before census kept (it kept only its largest).</p>");
    rp_put(out, "</section>\n");
    fp_mem_free(alloc, rows);
    return FP_OK;
}
