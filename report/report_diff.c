/*
 * report_diff.c - the diff page: what changed between one snapshot of a
 * tracker and one of another (typically two dumps, before and after a
 * patch), per class, drawn as deltas, with both runs' memory over time.
 *
 * The rows are the core's class-by-class model (fp_diff_new), the one
 * `footprint diff` prints: classes matched by name, since the two trackers
 * come from different runs.
 */
#include "report.h"

#include <string.h>

typedef struct diff {
    rp_data b, a;
    size_t snap_b, snap_a;    /* FP_REPORT_LAST: no snapshot */
    fp_diff *model;
    size_t nrows;
} diff;

static const fp_class_delta *row(const diff *x, size_t i)
{
    return fp_diff_row(x->model, i);
}

/* One colour per class name over both runs: the top classes by their peak
 * in either run. */
static fp_status share_colours(diff *x, size_t top)
{
    uint64_t *peak;
    uint32_t *order = NULL;
    int *sb, *sa;
    size_t i, n = 0;
    fp_status st;

    peak = fp_mem_alloc(&x->a.alloc, fp_mul_size(x->nrows ? x->nrows : 1,
                                                 sizeof *peak));
    sb = fp_mem_alloc(&x->a.alloc, fp_mul_size(x->b.ncls + 1, sizeof *sb));
    sa = fp_mem_alloc(&x->a.alloc, fp_mul_size(x->a.ncls + 1, sizeof *sa));
    st = peak && sb && sa ? FP_OK : FP_ENOMEM;
    for (i = 0; st == FP_OK && i < x->nrows; i++) {
        const fp_class_delta *r = row(x, i);
        uint64_t pb = r->cls[0] != FP_CLASS_NONE ? x->b.cls[r->cls[0]].peak : 0;
        uint64_t pa = r->cls[1] != FP_CLASS_NONE ? x->a.cls[r->cls[1]].peak : 0;
        peak[i] = pb > pa ? pb : pa;
    }
    if (st == FP_OK)
        st = rp_order_desc(&x->a.alloc, peak, x->nrows, &order);
    if (st == FP_OK) {
        for (i = 0; i < x->b.ncls; i++)
            sb[i] = -1;
        for (i = 0; i < x->a.ncls; i++)
            sa[i] = -1;
        for (i = 0; i < x->nrows && n < top && peak[order[i]]; i++, n++) {
            const fp_class_delta *r = row(x, order[i]);
            if (r->cls[0] != FP_CLASS_NONE)
                sb[r->cls[0]] = (int)(n % RP_PALETTE);
            if (r->cls[1] != FP_CLASS_NONE)
                sa[r->cls[1]] = (int)(n % RP_PALETTE);
        }
        rp_recolour(&x->b, sb);
        rp_recolour(&x->a, sa);
    }
    fp_mem_free(&x->a.alloc, peak);
    fp_mem_free(&x->a.alloc, sb);
    fp_mem_free(&x->a.alloc, sa);
    fp_mem_free(&x->a.alloc, order);
    return st;
}

static uint64_t absdiff(uint64_t x, uint64_t y)
{
    return x > y ? x - y : y - x;
}

static double delta(uint64_t before, uint64_t after)
{
    return (double)after - (double)before;
}

/* ---- markup ---- */

static void which(fp_text *out, const rp_data *d, size_t snap,
                  const char *side)
{
    rp_put(out, "<b>");
    rp_put(out, side);
    rp_put(out, "</b>: ");
    if (snap == FP_REPORT_LAST) {
        rp_put(out, "<span class=\"muted\">no snapshot</span>");
        return;
    }
    rp_put(out, "snapshot ");
    rp_count(out, snap + 1);
    rp_put(out, " of ");
    rp_count(out, d->nsnap);
    rp_put(out, " \xE2\x80\x9C");
    rp_esc_cut(out, d->snap[snap].desc, 160, 0);
    rp_put(out, "\xE2\x80\x9D");
}

static void change_card(fp_text *out, double before, double after,
                        const char *label, int bytes)
{
    rp_put(out, "<div class=\"card\"><b>");
    if (bytes)
        rp_size_delta(out, after - before);
    else
        rp_count_delta(out, (int64_t)(after - before));
    rp_put(out, "</b><span>");
    rp_put(out, label);
    rp_put(out, ": ");
    if (bytes)
        rp_size(out, before);
    else
        rp_count(out, (uint64_t)before);
    rp_put(out, " \xE2\x86\x92 ");
    if (bytes)
        rp_size(out, after);
    else
        rp_count(out, (uint64_t)after);
    rp_put(out, "</span></div>");
}

static void summary(fp_text *out, const diff *x)
{
    const fp_snapshot_info *b =
        x->snap_b != FP_REPORT_LAST ? &x->b.snap[x->snap_b] : NULL;
    const fp_snapshot_info *a =
        x->snap_a != FP_REPORT_LAST ? &x->a.snap[x->snap_a] : NULL;
    uint64_t nb = 0, na = 0;
    size_t i;

    for (i = 0; i < x->nrows; i++) {
        nb += row(x, i)->active[0];
        na += row(x, i)->active[1];
    }
    rp_put(out, "<section id=\"summary\"><div class=\"cards\">");
    change_card(out, b ? (double)b->tracked_total : 0,
                a ? (double)a->tracked_total : 0, "tracked total", 1);
    change_card(out, (double)nb, (double)na, "live instances", 0);
    if (b && a && b->procmem.rss && a->procmem.rss)
        change_card(out, (double)b->procmem.rss, (double)a->procmem.rss,
                    "process memory (rss)", 1);
    rp_put(out, "</div></section>\n");
}

static void side_td(fp_text *out, size_t cls, double v, int bytes)
{
    rp_put(out, "<td class=\"n\" data-v=\"");
    rp_fixed(out, v, 0);
    rp_put(out, "\">");
    if (cls == FP_CLASS_NONE)
        rp_put(out, "\xE2\x80\x94");
    else if (bytes)
        rp_size(out, v);
    else
        rp_count(out, (uint64_t)v);
    rp_put(out, "</td>");
}

static void table_row(fp_text *out, const fp_class_delta *r)
{
    const size_t *n = r->active, *c = r->cls;
    const uint64_t *s = r->sum;

    if (!n[0] && !n[1] && !s[0] && !s[1])
        return;
    rp_put(out, "<tr><td>");
    rp_esc_str(out, r->name);
    rp_put(out, "</td>");
    side_td(out, c[0], (double)n[0], 0);
    side_td(out, c[1], (double)n[1], 0);
    rp_delta_td(out, delta(n[0], n[1]), 0);
    side_td(out, c[0], (double)s[0], 1);
    side_td(out, c[1], (double)s[1], 1);
    rp_delta_td(out, delta(s[0], s[1]), 1);
    rp_change_pct_td(out, s[0], s[1]);
    side_td(out, c[0], n[0] ? (double)s[0] / (double)n[0] : 0, 1);
    side_td(out, c[1], n[1] ? (double)s[1] / (double)n[1] : 0, 1);
    rp_put(out, "</tr>");
}

static void table(fp_text *out, const diff *x, const uint32_t *order)
{
    size_t i;

    rp_put(out, "<div class=\"scroll\"><table class=\"sort\"><thead><tr>"
                "<th>Class</th><th class=\"n\">Count before</th>"
                "<th class=\"n\">after</th><th class=\"n\">\xCE\x94</th>"
                "<th class=\"n\">Bytes before</th><th class=\"n\">after</th>"
                "<th class=\"n\">\xCE\x94</th><th class=\"n\">\xCE\x94 %</th>"
                "<th class=\"n\">Avg before</th><th class=\"n\">after"
                "</th></tr></thead><tbody>");
    for (i = 0; i < x->nrows; i++)
        table_row(out, row(x, order[i]));
    rp_put(out, "</tbody></table></div>");
}

static fp_status changes(fp_text *out, const diff *x, size_t top)
{
    uint64_t *key;
    uint32_t *order = NULL;
    rp_series *bars;
    size_t i, n = 0;
    fp_status st;

    key = fp_mem_alloc(&x->a.alloc, fp_mul_size(x->nrows ? x->nrows : 1,
                                                sizeof *key));
    bars = fp_mem_alloc(&x->a.alloc, fp_mul_size(top ? top : 1,
                                                 sizeof *bars));
    if (!key || !bars) {
        fp_mem_free(&x->a.alloc, key);
        fp_mem_free(&x->a.alloc, bars);
        return FP_ENOMEM;
    }
    for (i = 0; i < x->nrows; i++)
        key[i] = absdiff(row(x, i)->sum[0], row(x, i)->sum[1]);
    st = rp_order_desc(&x->a.alloc, key, x->nrows, &order);
    if (st == FP_OK) {
        for (i = 0; i < x->nrows && n < top && key[order[i]]; i++) {
            const fp_class_delta *r = row(x, order[i]);
            bars[n].label = r->name;
            bars[n].value = delta(r->sum[0], r->sum[1]);
            bars[n].slot = -1;
            bars[n].href = NULL;
            n++;
        }
        rp_put(out, "<section id=\"changes\"><h2>Changes by class</h2>");
        if (n) {
            rp_put(out, "<p class=\"muted\">Bytes gained (right) or released "
                        "(left) per class, largest changes first.</p>");
            rp_chart_delta(out, bars, n, "Change of bytes per class");
        } else {
            rp_put(out, "<p class=\"empty\">No class changed size.</p>");
        }
        table(out, x, order);
        rp_put(out, "</section>\n");
    }
    fp_mem_free(&x->a.alloc, key);
    fp_mem_free(&x->a.alloc, bars);
    fp_mem_free(&x->a.alloc, order);
    return st;
}

static fp_status run(fp_text *out, const rp_data *d, const char *id,
                     const char *title)
{
    fp_status st;

    rp_put(out, "<section id=\"");
    rp_put(out, id);
    rp_put(out, "\"><h2>");
    rp_put(out, title);
    rp_put(out, "</h2>");
    st = rp_chart_timeline(out, d);
    rp_put(out, "</section>\n");
    return st;
}

static fp_status draw(fp_text *out, const diff *x, const fp_report_opts *o)
{
    fp_status st;

    rp_page_open(out, o->title, o->script);
    rp_put(out, "<header class=\"top\"><div class=\"in\"><h1>");
    rp_esc_str(out, o->title);
    rp_put(out, "</h1><p class=\"sub\">");
    which(out, &x->b, x->snap_b, "before");
    rp_put(out, "<br/>");
    which(out, &x->a, x->snap_a, "after");
    rp_put(out, "</p><nav class=\"toc\"><a href=\"#summary\">Summary</a>"
                "<a href=\"#changes\">Changes by class</a>");
    if (rp_types_diffed(x->model))
        rp_put(out, "<a href=\"#types\">Types that grew</a>");
    rp_put(out, "<a href=\"#before\">Before</a><a href=\"#after\">After"
                "</a></nav></div></header>\n<main>");
    summary(out, x);
    st = changes(out, x, o->top_classes * 2);
    if (st == FP_OK) {
        const fp_tracker *side[2] = {x->b.t, x->a.t};
        st = rp_types_grew(out, x->model, side);
    }
    if (st == FP_OK)
        st = run(out, &x->b, "before", "Before: memory over time");
    if (st == FP_OK)
        st = run(out, &x->a, "after", "After: memory over time");
    rp_put(out, "<footer>Made by footprint " FP_VERSION_STRING
                ". Classes are matched by name.</footer></main>");
    rp_page_close(out, o->script);
    return st;
}

/* The model and both runs' numbers; FP_EINVAL for a snapshot past the
 * end, before anything is drawn. */
static fp_status prepare(diff *x, const fp_tracker *before,
                         const fp_tracker *after, const fp_report_opts *o)
{
    fp_alloc a;
    fp_status st;

    fp_tracker_allocator(after, &a);
    st = fp_diff_new(&x->model, before, o->diff_before, after, o->diff_after,
                     &a);
    if (st != FP_OK)
        return st;
    x->nrows = fp_diff_count(x->model);
    x->snap_b = fp_diff_snapshot(x->model, 0);
    x->snap_a = fp_diff_snapshot(x->model, 1);
    st = rp_data_init(&x->b, before, o->top_classes, o->max_snapshots);
    if (st == FP_OK)
        st = rp_data_init(&x->a, after, o->top_classes, o->max_snapshots);
    if (st == FP_OK)
        st = share_colours(x, o->top_classes);
    return st;
}

fp_status fp_report_diff_html(const fp_tracker *before,
                              const fp_tracker *after,
                              const fp_report_opts *opts, fp_text *out)
{
    fp_report_opts o;
    diff x;
    size_t start;
    int was_failed;
    fp_status st;

    if (!before || !after || !out)
        return FP_EINVAL;
    rp_resolve_opts(&o, opts, "footprint diff");
    memset(&x, 0, sizeof x);
    start = fp_text_len(out);
    was_failed = fp_text_status(out) != FP_OK;
    st = prepare(&x, before, after, &o);
    if (st == FP_OK)
        st = draw(out, &x, &o);
    fp_diff_free(x.model);
    rp_data_release(&x.a);
    rp_data_release(&x.b);
    return rp_page_end(out, start, was_failed, st);
}
