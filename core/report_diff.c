/*
 * report_diff.c - the diff page: what changed between one snapshot of a
 * tracker and one of another (typically two dumps, before and after a
 * patch), per class, drawn as deltas, with both runs' memory over time.
 *
 * Classes are matched by name: the two trackers come from different runs,
 * so class indices mean nothing across them.
 */
#include "report.h"

#include <string.h>

typedef struct drow {
    const char *name;
    uint32_t ib, ia;          /* class index before / after, RP_NIL */
    uint64_t nb, na;          /* active instances */
    uint64_t sb, sa;          /* bytes */
} drow;

typedef struct diff {
    rp_data b, a;
    size_t snap_b, snap_a;    /* FP_REPORT_LAST: no snapshot */
    drow *rows;
    size_t nrows;
} diff;

static fp_status pick(const fp_tracker *t, size_t want, size_t *snap)
{
    size_t n = t->snaps.len;

    if (want == FP_REPORT_LAST) {
        *snap = n ? n - 1 : FP_REPORT_LAST;
        return FP_OK;
    }
    if (want >= n)
        return FP_EINVAL;
    *snap = want;
    return FP_OK;
}

static void fill(const rp_data *d, size_t snap, uint32_t c, uint64_t *n,
                 uint64_t *s)
{
    if (c == RP_NIL || snap == FP_REPORT_LAST) {
        *n = *s = 0;
        return;
    }
    *n = d->active[snap * d->ncls + c];
    *s = d->sum[snap * d->ncls + c];
}

static fp_status match_classes(diff *x)
{
    size_t i, j, cap = x->a.ncls + x->b.ncls;

    x->rows = fp_mem_alloc(&x->a.alloc, fp_mul_size(cap ? cap : 1,
                                                    sizeof *x->rows));
    if (!x->rows)
        return FP_ENOMEM;
    x->nrows = 0;
    for (i = 0; i < x->a.ncls; i++) {
        drow *r = &x->rows[x->nrows++];
        r->name = x->a.cls[i].name;
        r->ia = (uint32_t)i;
        r->ib = RP_NIL;
        for (j = 0; j < x->b.ncls; j++)
            if (strcmp(x->b.cls[j].name, r->name) == 0) {
                r->ib = (uint32_t)j;
                break;
            }
    }
    for (j = 0; j < x->b.ncls; j++) {
        for (i = 0; i < x->a.ncls; i++)
            if (strcmp(x->a.cls[i].name, x->b.cls[j].name) == 0)
                break;
        if (i == x->a.ncls) {
            drow *r = &x->rows[x->nrows++];
            r->name = x->b.cls[j].name;
            r->ib = (uint32_t)j;
            r->ia = RP_NIL;
        }
    }
    for (i = 0; i < x->nrows; i++) {
        drow *r = &x->rows[i];
        fill(&x->b, x->snap_b, r->ib, &r->nb, &r->sb);
        fill(&x->a, x->snap_a, r->ia, &r->na, &r->sa);
    }
    return FP_OK;
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
        const drow *r = &x->rows[i];
        uint64_t pb = r->ib != RP_NIL ? x->b.cls[r->ib].peak : 0;
        uint64_t pa = r->ia != RP_NIL ? x->a.cls[r->ia].peak : 0;
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
            const drow *r = &x->rows[order[i]];
            if (r->ib != RP_NIL)
                sb[r->ib] = (int)(n % RP_PALETTE);
            if (r->ia != RP_NIL)
                sa[r->ia] = (int)(n % RP_PALETTE);
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
    rp_esc_cut(out, fp_strtab_get(&d->t->strs, TSNAP(d->t, snap).desc), 160,
               0);
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
    const tsnap *b = x->snap_b != FP_REPORT_LAST ? &TSNAP(x->b.t, x->snap_b)
                                                 : NULL;
    const tsnap *a = x->snap_a != FP_REPORT_LAST ? &TSNAP(x->a.t, x->snap_a)
                                                 : NULL;
    uint64_t nb = 0, na = 0;
    size_t i;

    for (i = 0; i < x->nrows; i++) {
        nb += x->rows[i].nb;
        na += x->rows[i].na;
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

static void delta_td(fp_text *out, double v, int bytes)
{
    rp_put(out, "<td class=\"n\" data-v=\"");
    rp_fixed(out, v, 0);
    rp_put(out, "\">");
    if (bytes)
        rp_size_delta(out, v);
    else
        rp_count_delta(out, (int64_t)v);
    rp_put(out, "</td>");
}

static void side_td(fp_text *out, uint32_t cls, double v, int bytes)
{
    rp_put(out, "<td class=\"n\" data-v=\"");
    rp_fixed(out, v, 0);
    rp_put(out, "\">");
    if (cls == RP_NIL)
        rp_put(out, "\xE2\x80\x94");
    else if (bytes)
        rp_size(out, v);
    else
        rp_count(out, (uint64_t)v);
    rp_put(out, "</td>");
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
    for (i = 0; i < x->nrows; i++) {
        const drow *r = &x->rows[order[i]];
        double d = delta(r->sb, r->sa);
        if (!r->nb && !r->na && !r->sb && !r->sa)
            continue;
        rp_put(out, "<tr><td>");
        rp_esc_str(out, r->name);
        rp_put(out, "</td>");
        side_td(out, r->ib, (double)r->nb, 0);
        side_td(out, r->ia, (double)r->na, 0);
        delta_td(out, delta(r->nb, r->na), 0);
        side_td(out, r->ib, (double)r->sb, 1);
        side_td(out, r->ia, (double)r->sa, 1);
        delta_td(out, d, 1);
        rp_put(out, "<td class=\"n\" data-v=\"");
        if (r->sb) {
            rp_fixed(out, d * 100 / (double)r->sb, 3);
            rp_put(out, "\">");
            if (d > 0)
                rp_put(out, "+");
            else if (d < 0)
                rp_put(out, "\xE2\x88\x92");
            rp_pct(out, (d < 0 ? -d : d) * 100 / (double)r->sb);
        } else {
            rp_put(out, r->sa ? "1e18\">new" : "0\">\xE2\x80\x94");
        }
        rp_put(out, "</td>");
        side_td(out, r->ib, r->nb ? (double)r->sb / (double)r->nb : 0, 1);
        side_td(out, r->ia, r->na ? (double)r->sa / (double)r->na : 0, 1);
        rp_put(out, "</tr>");
    }
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
        key[i] = absdiff(x->rows[i].sb, x->rows[i].sa);
    st = rp_order_desc(&x->a.alloc, key, x->nrows, &order);
    if (st == FP_OK) {
        for (i = 0; i < x->nrows && n < top && key[order[i]]; i++) {
            const drow *r = &x->rows[order[i]];
            bars[n].label = r->name;
            bars[n].value = delta(r->sb, r->sa);
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

static void run(fp_text *out, const rp_data *d, const char *id,
                const char *title)
{
    rp_put(out, "<section id=\"");
    rp_put(out, id);
    rp_put(out, "\"><h2>");
    rp_put(out, title);
    rp_put(out, "</h2>");
    rp_chart_timeline(out, d);
    rp_put(out, "</section>\n");
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
    if (pick(before, o.diff_before, &x.snap_b) != FP_OK ||
        pick(after, o.diff_after, &x.snap_a) != FP_OK)
        return FP_EINVAL;
    start = out->len;
    was_failed = out->failed;
    st = rp_data_init(&x.b, before, o.top_classes, o.max_snapshots);
    if (st == FP_OK) {
        st = rp_data_init(&x.a, after, o.top_classes, o.max_snapshots);
        if (st != FP_OK)
            rp_data_release(&x.b);
    }
    if (st != FP_OK)
        return st;
    st = match_classes(&x);
    if (st == FP_OK)
        st = share_colours(&x, o.top_classes);
    if (st == FP_OK) {
        rp_page_open(out, o.title, o.script);
        rp_put(out, "<header class=\"top\"><div class=\"in\"><h1>");
        rp_esc_str(out, o.title);
        rp_put(out, "</h1><p class=\"sub\">");
        which(out, &x.b, x.snap_b, "before");
        rp_put(out, "<br/>");
        which(out, &x.a, x.snap_a, "after");
        rp_put(out, "</p><nav class=\"toc\"><a href=\"#summary\">Summary</a>"
                    "<a href=\"#changes\">Changes by class</a>"
                    "<a href=\"#before\">Before</a><a href=\"#after\">After"
                    "</a></nav></div></header>\n<main>");
        summary(out, &x);
        st = changes(out, &x, o.top_classes * 2);
        run(out, &x.b, "before", "Before: memory over time");
        run(out, &x.a, "after", "After: memory over time");
        rp_put(out, "<footer>Made by footprint " FP_VERSION_STRING
                    ". Classes are matched by name.</footer></main>");
        rp_page_close(out, o.script);
    }
    fp_mem_free(&x.a.alloc, x.rows);
    rp_data_release(&x.a);
    rp_data_release(&x.b);
    return rp_page_end(out, start, was_failed, st);
}
