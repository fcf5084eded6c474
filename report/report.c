/*
 * report.c - the report page: header, overview, memory over time and one
 * section per snapshot; the heap by type is in report_census.c, the class
 * sections in report_class.c.
 *
 * A page is built in one pass into the caller's fp_text.  If anything
 * fails (an allocation), the text is cut back to where it started, so a
 * caller never holds half a page.
 */
#include "report.h"

#include <stdio.h>
#include <string.h>

void rp_resolve_opts(fp_report_opts *o, const fp_report_opts *given,
                     const char *title)
{
    if (given)
        *o = *given;
    else
        fp_report_opts_init(o);
    if (!o->title)
        o->title = title;
    if (o->top_classes > 1000) /* a page no browser would want to draw */
        o->top_classes = 1000;
}

void fp_report_opts_init(fp_report_opts *o)
{
    if (!o)
        return;
    memset(o, 0, sizeof *o);
    o->title = NULL;
    o->top_classes = 8;
    o->top_instances = 10;
    o->max_classes = 100;
    o->max_snapshots = 40;
    o->detail_rows = 30;
    o->text_chars = 2000;
    o->script = 1;
    o->diff_before = FP_REPORT_LAST;
    o->diff_after = FP_REPORT_LAST;
}

static void card(fp_text *out, const char *label)
{
    rp_put(out, "</b><span>");
    rp_put(out, label);
    rp_put(out, "</span></div>");
}

void rp_snapshot_heads(fp_text *out, const rp_data *d)
{
    size_t i;

    for (i = 0; i < d->nshown; i++) {
        rp_put(out, "<th class=\"n\" title=\"");
        rp_esc_str(out, d->snap[d->shown[i]].desc);
        rp_put(out, "\">#");
        rp_count(out, d->shown[i] + 1);
        rp_put(out, "</th>");
    }
}

/* ---- header and overview ---- */

static void header(fp_text *out, const rp_data *d, const char *title,
                   int types)
{
    size_t alive = 0, i;

    for (i = 0; i < d->ncls; i++)
        alive += d->cls[i].alive;
    rp_put(out, "<header class=\"top\"><div class=\"in\"><h1>");
    rp_esc_str(out, title);
    rp_put(out, "</h1><p class=\"sub\">");
    rp_count(out, d->nsnap);
    rp_put(out, d->nsnap == 1 ? " snapshot" : " snapshots");
    if (d->nsnap > 1) {
        rp_put(out, " over ");
        rp_secs(out, d->snap[d->nsnap - 1].timestamp - d->snap[0].timestamp);
    }
    rp_put(out, " \xC2\xB7 ");
    rp_count(out, d->ncls);
    rp_put(out, d->ncls == 1 ? " class \xC2\xB7 " : " classes \xC2\xB7 ");
    rp_count(out, d->nobj);
    rp_put(out, " instances tracked, ");
    rp_count(out, alive);
    rp_put(out, " alive</p><nav class=\"toc\"><a href=\"#overview\">"
                "Overview</a><a href=\"#timeline\">Memory over time</a>");
    if (types)
        rp_put(out, "<a href=\"#types\">Heap by type</a>");
    rp_put(out, "<a href=\"#snapshots\">Snapshots</a><a href=\"#classes\">"
                "Classes</a></nav></div></header>\n<main>");
}

static void overview(fp_text *out, const rp_data *d)
{
    uint64_t peak = 0, peak_rss = 0;
    const fp_snapshot_info *last = d->nsnap ? &d->snap[d->nsnap - 1] : NULL;
    size_t s, alive = 0;

    for (s = 0; s < d->nsnap; s++) {
        if (d->snap[s].tracked_total > peak)
            peak = d->snap[s].tracked_total;
        if (d->snap[s].procmem.rss > peak_rss)
            peak_rss = d->snap[s].procmem.rss;
    }
    for (s = 0; s < d->ncls; s++)
        alive += d->cls[s].alive;
    rp_put(out, "<section id=\"overview\"><div class=\"cards\">");
    if (last) {
        rp_put(out, "<div class=\"card\"><b>");
        rp_size(out, (double)last->tracked_total);
        card(out, "tracked, last snapshot");
        rp_put(out, "<div class=\"card\"><b>");
        rp_size(out, (double)peak);
        card(out, "peak tracked total");
        if (peak_rss) {
            rp_put(out, "<div class=\"card\"><b>");
            rp_size(out, (double)peak_rss);
            card(out, "peak process memory (rss)");
        }
        rp_put(out, "<div class=\"card\"><b>");
        rp_size(out, (double)last->overhead);
        card(out, "tracker overhead");
    }
    rp_put(out, "<div class=\"card\"><b>");
    rp_count(out, d->nobj);
    card(out, "instances tracked");
    rp_put(out, "<div class=\"card\"><b>");
    rp_count(out, alive);
    card(out, "alive at the end");
    rp_put(out, "</div></section>\n");
}

static void desc_or_untitled(fp_text *out, const rp_data *d, size_t s)
{
    const char *desc = d->snap[s].desc;

    if (*desc)
        rp_esc_cut(out, desc, 200, 0);
    else
        rp_put(out, "<span class=\"muted\">(no description)</span>");
}

static fp_status timeline(fp_text *out, const rp_data *d, size_t top)
{
    size_t i;
    fp_status st;

    rp_put(out, "<section id=\"timeline\"><h2>Memory over time</h2>"
                "<p class=\"muted\">Bytes held by the instances of each "
                "tracked class at every snapshot, stacked: the ");
    rp_count(out, top);
    rp_put(out, " classes with the largest peaks in colour, the rest as "
                "\xE2\x80\x9Cother\xE2\x80\x9D. Times are seconds since the "
                "first event the tracker recorded; numbered marks are "
                "snapshots.</p>");
    st = rp_chart_timeline(out, d);
    if (d->nshown) {
        rp_put(out, "<ol class=\"marks\">");
        for (i = 0; i < d->nshown; i++) {
            size_t s = d->shown[i];
            rp_put(out, "<li value=\"");
            rp_count(out, s + 1);
            rp_put(out, "\"><a href=\"#s");
            rp_count(out, s + 1);
            rp_put(out, "\">");
            desc_or_untitled(out, d, s);
            rp_put(out, "</a> <span class=\"muted\">at ");
            rp_secs(out, d->snap[s].timestamp - d->t0);
            rp_put(out, "</span></li>");
        }
        rp_put(out, "</ol>");
    }
    rp_put(out, "</section>\n");
    return st;
}

/* ---- one section per shown snapshot ---- */

static void snapshot_summary(fp_text *out, const fp_snapshot_info *sn)
{
    rp_put(out, "<p>Tracked instances held <b>");
    rp_size(out, (double)sn->tracked_total);
    rp_put(out, "</b> in ");
    rp_count(out, sn->nsized);
    rp_put(out, " sized objects.");
    if (sn->procmem.rss) {
        rp_put(out, " Process memory: ");
        rp_size(out, (double)sn->procmem.rss);
        rp_put(out, " resident, ");
        rp_size(out, (double)sn->procmem.vsize);
        rp_put(out, " virtual.");
    }
    if (sn->asizeof_total) {
        rp_put(out, " All objects of the host: ");
        rp_size(out, (double)sn->asizeof_total);
        rp_put(out, ".");
    }
    rp_put(out, " Tracker overhead: ");
    rp_size(out, (double)sn->overhead);
    rp_put(out, ".</p>");
}

static void class_row(fp_text *out, const rp_data *d, size_t s, uint32_t c,
                      double total, double rss)
{
    size_t active = d->active[s * d->ncls + c];
    double sum = (double)d->sum[s * d->ncls + c];

    rp_put(out, "<tr><td>");
    if (d->cls[c].linked) {
        rp_put(out, "<a href=\"#c");
        rp_count(out, c);
        rp_put(out, "\">");
    }
    rp_esc_str(out, d->cls[c].name);
    rp_put(out, d->cls[c].linked ? "</a></td>" : "</td>");
    rp_put(out, "<td class=\"n\" data-v=\"");
    rp_fixed(out, (double)active, 0); /* parseFloat stops at a ',' */
    rp_put(out, "\">");
    rp_count(out, active);
    rp_put(out, "</td><td class=\"n\" data-v=\"");
    rp_fixed(out, sum, 0);
    rp_put(out, "\">");
    rp_size(out, sum);
    rp_put(out, "</td><td class=\"n\" data-v=\"");
    rp_fixed(out, active ? sum / (double)active : 0, 0);
    rp_put(out, "\">");
    rp_size(out, active ? sum / (double)active : 0);
    rp_put(out, "</td><td class=\"n\" data-v=\"");
    rp_fixed(out, total > 0 ? sum * 100 / total : 0, 3);
    rp_put(out, "\">");
    rp_pct(out, total > 0 ? sum * 100 / total : 0);
    rp_put(out, "</td><td class=\"n\" data-v=\"");
    rp_fixed(out, rss > 0 ? sum * 100 / rss : 0, 3);
    rp_put(out, "\">");
    if (rss > 0)
        rp_pct(out, sum * 100 / rss);
    else
        rp_put(out, "\xE2\x80\x94");
    rp_put(out, "</td></tr>");
}

static fp_status snapshot_section(fp_text *out, const rp_data *d, size_t s,
                                  size_t top, rp_series *bars,
                                  char (*hrefs)[24])
{
    const fp_snapshot_info *sn = &d->snap[s];
    const uint64_t *sum = d->sum + s * d->ncls;
    double total = (double)sn->tracked_total, rss = (double)sn->procmem.rss;
    double rest = 0;
    uint32_t *order;
    size_t i, nbars = 0, nrows = 0;

    if (rp_order_desc(&d->alloc, sum, d->ncls, &order) != FP_OK)
        return FP_ENOMEM;
    rp_put(out, "<section class=\"snap\" id=\"s");
    rp_count(out, s + 1);
    rp_put(out, "\"><h3>Snapshot ");
    rp_count(out, s + 1);
    rp_put(out, ": ");
    desc_or_untitled(out, d, s);
    rp_put(out, " <span class=\"muted\">at ");
    rp_secs(out, sn->timestamp - d->t0);
    rp_put(out, "</span></h3>");
    snapshot_summary(out, sn);
    rp_put(out, "<div class=\"split\"><div class=\"scroll\"><table "
                "class=\"sort\"><thead><tr><th>Class</th><th class=\"n\">"
                "Instances</th><th class=\"n\">Total</th><th class=\"n\">"
                "Average</th><th class=\"n\">Share</th><th class=\"n\">"
                "of rss</th></tr></thead><tbody>");
    for (i = 0; i < d->ncls; i++) {
        uint32_t c = order[i];
        if (!sum[c] && !d->active[s * d->ncls + c])
            continue;
        class_row(out, d, s, c, total, rss);
        nrows++;
        if (nbars < top && sum[c]) {
            snprintf(hrefs[nbars], sizeof hrefs[nbars], "#c%u", (unsigned)c);
            bars[nbars].label = d->cls[c].name;
            bars[nbars].value = (double)sum[c];
            bars[nbars].slot = d->cls[c].slot;
            bars[nbars].href = d->cls[c].linked ? hrefs[nbars] : NULL;
            nbars++;
        } else {
            rest += (double)sum[c];
        }
    }
    if (!nrows)
        rp_put(out, "<tr><td colspan=\"6\" class=\"empty\">No tracked "
                    "instance was alive.</td></tr>");
    rp_put(out, "</tbody><tfoot><tr class=\"sum\"><td>all classes</td>"
                "<td class=\"n\"></td><td class=\"n\">");
    rp_size(out, total);
    rp_put(out, "</td><td class=\"n\"></td><td class=\"n\"></td>"
                "<td class=\"n\">");
    if (rss > 0)
        rp_pct(out, total * 100 / rss);
    rp_put(out, "</td></tr></tfoot></table></div><div>");
    if (rest > 0) {
        bars[nbars].label = "other classes";
        bars[nbars].value = rest;
        bars[nbars].slot = -1;
        bars[nbars].href = NULL;
        nbars++;
    }
    if (nbars)
        rp_chart_bars(out, bars, nbars, "Bytes per class in this snapshot");
    rp_put(out, "</div></div></section>\n");
    fp_mem_free(&d->alloc, order);
    return FP_OK;
}

static fp_status snapshots(fp_text *out, const rp_data *d, size_t top)
{
    rp_series *bars;
    char (*hrefs)[24];
    size_t i;
    fp_status st = FP_OK;

    rp_put(out, "<section id=\"snapshots\"><h2>Snapshots</h2>");
    if (!d->nsnap) {
        rp_put(out, "<p class=\"empty\">No snapshot was taken.</p>"
                    "</section>\n");
        return FP_OK;
    }
    if (d->nshown < d->nsnap) {
        rp_put(out, "<p class=\"muted\">");
        rp_count(out, d->nshown);
        rp_put(out, " of ");
        rp_count(out, d->nsnap);
        rp_put(out, " snapshots, evenly spread, including the first and the "
                    "last.</p>");
    }
    bars = fp_mem_alloc(&d->alloc, fp_mul_size(top + 1, sizeof *bars));
    hrefs = fp_mem_alloc(&d->alloc, fp_mul_size(top + 1, sizeof *hrefs));
    if (!bars || !hrefs)
        st = FP_ENOMEM;
    for (i = 0; st == FP_OK && i < d->nshown; i++)
        st = snapshot_section(out, d, d->shown[i], top, bars, hrefs);
    fp_mem_free(&d->alloc, bars);
    fp_mem_free(&d->alloc, hrefs);
    rp_put(out, "</section>\n");
    return st;
}

/* ---- the whole page ---- */

fp_status fp_report_html(const fp_tracker *t, const fp_report_opts *opts,
                         fp_text *out)
{
    fp_report_opts o;
    rp_data d;
    size_t start, i, census;
    int was_failed;
    fp_status st;

    if (!t || !out)
        return FP_EINVAL;
    rp_resolve_opts(&o, opts, "footprint report");
    start = fp_text_len(out);
    was_failed = fp_text_status(out) != FP_OK;
    st = rp_data_init(&d, t, o.top_classes, o.max_snapshots);
    if (st != FP_OK)
        return st;
    /* the classes that get a section (report_class.c): largest first,
     * and only those that had an instance */
    for (i = 0; i < d.ncls && i < o.max_classes; i++)
        d.cls[d.rank[i]].linked = d.cls[d.rank[i]].count > 0;
    /* the heap by type has a section only when some snapshot has a
     * census: a page without one is the page it always was */
    census = rp_census_last(&d);
    rp_page_open(out, o.title, o.script);
    header(out, &d, o.title, census != FP_REPORT_LAST);
    overview(out, &d);
    st = timeline(out, &d, d.ntop);
    if (st == FP_OK && census != FP_REPORT_LAST)
        st = rp_census_section(out, &d, census);
    if (st == FP_OK)
        st = snapshots(out, &d, o.top_classes);
    if (st == FP_OK)
        st = rp_classes_section(out, &d, &o);
    rp_put(out, "<footer>Made by footprint " FP_VERSION_STRING
                ". Sizes as pympler prints them (1 KB = 1024 bytes); "
                "charts in MiB.</footer></main>");
    rp_page_close(out, o.script);
    rp_data_release(&d);
    return rp_page_end(out, start, was_failed, st);
}
