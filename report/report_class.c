/*
 * report_class.c - the report's class index and one section per class:
 * sizes summary, live instances over time, coalesced referents and the
 * largest instances.
 *
 * Per-class work is bounded by the options (classes with a section,
 * instances listed, rows per referent table), so a tracker of 100k
 * instances gives a page of the same order of size as one of 1k.
 */
#include "report.h"

#include <stdio.h>
#include <string.h>

#define LIFETIME_BINS 240

static const char dash[] = "\xE2\x80\x94";

static size_t last_recorded(const rp_data *d, const rp_merge *m,
                            uint32_t root)
{
    size_t i = d->nshown;

    while (i-- > 0)
        if (m->size[(size_t)root * m->nsnap + d->shown[i]])
            return d->shown[i];
    return d->nshown ? d->shown[d->nshown - 1] : 0;
}

void rp_share_td(fp_text *out, double part, double whole)
{
    double pct = whole > 0 ? part * 100 / whole : 0;

    if (pct > 100)
        pct = 100;
    rp_put(out, "<td class=\"n\"><span class=\"share\" style=\"width:");
    rp_fixed(out, pct * 0.4, 1);
    rp_put(out, "px\"></span>");
    rp_pct(out, pct);
    rp_put(out, "</td>");
}

static void size_cells(fp_text *out, const rp_data *d, const rp_merge *m,
                       uint32_t node)
{
    size_t i;

    for (i = 0; i < d->nshown; i++) {
        uint64_t v = m->size[(size_t)node * m->nsnap + d->shown[i]];
        rp_put(out, "<td class=\"n\">");
        if (v)
            rp_size(out, (double)v);
        else
            rp_put(out, dash);
        rp_put(out, "</td>");
    }
}

fp_status rp_merge_table(fp_text *out, const rp_data *d, rp_merge *m,
                         uint32_t root, size_t max_rows, const char *what)
{
    rp_mrow *rows;
    size_t nrows, more, i, ref;
    double whole;
    fp_status st;

    if (!rp_merge_recorded(m, root))
        return FP_OK;
    st = rp_merge_rows(m, root, max_rows, &rows, &nrows, &more);
    if (st != FP_OK)
        return st;
    ref = last_recorded(d, m, root);
    whole = (double)m->size[(size_t)root * m->nsnap + ref];
    rp_put(out, "<div class=\"scroll\"><table class=\"refs\"><thead><tr>"
                "<th>Referent</th>");
    rp_snapshot_heads(out, d);
    rp_put(out, "<th class=\"n\" title=\"of the whole at snapshot #");
    rp_count(out, ref + 1);
    rp_put(out, "\">Share #");
    rp_count(out, ref + 1);
    rp_put(out, "</th></tr></thead><tbody><tr class=\"sum\"><td>");
    rp_put(out, what);
    rp_put(out, "</td>");
    size_cells(out, d, m, root);
    rp_share_td(out, whole, whole);
    rp_put(out, "</tr>");
    for (i = 0; i < nrows; i++) {
        const rp_mnode *nd = &m->node[rows[i].node];
        char name[160];
        size_t len = nd->len < sizeof name - 1 ? nd->len : sizeof name - 1;

        memcpy(name, nd->name, len);
        name[len] = '\0';
        rp_put(out, "<tr><td class=\"ref\" style=\"padding-left:");
        rp_count(out, 10 + 16 * (uint64_t)(rows[i].depth > 12 ? 12
                                                  : rows[i].depth));
        rp_put(out, "px\">");
        if (len)
            rp_esc_cut(out, name, 120, 0);
        else
            rp_put(out, "<span class=\"muted\">(unnamed)</span>");
        rp_put(out, "</td>");
        size_cells(out, d, m, rows[i].node);
        rp_share_td(out,
                    (double)m->size[(size_t)rows[i].node * m->nsnap + ref],
                    whole);
        rp_put(out, "</tr>");
    }
    if (more) {
        rp_put(out, "<tr><td class=\"muted\" colspan=\"");
        rp_count(out, d->nshown + 2);
        rp_put(out, "\">");
        rp_count(out, more);
        rp_put(out, more == 1 ? " more referent not shown"
                              : " more referents not shown");
        rp_put(out, "</td></tr>");
    }
    rp_put(out, "</tbody></table></div>");
    fp_mem_free(&m->alloc, rows);
    return FP_OK;
}

void rp_delta_td(fp_text *out, double v, int bytes)
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

void rp_change_pct_td(fp_text *out, uint64_t before, uint64_t after)
{
    double d = (double)after - (double)before;

    rp_put(out, "<td class=\"n\" data-v=\"");
    if (before) {
        rp_fixed(out, d * 100 / (double)before, 3);
        rp_put(out, "\">");
        if (d > 0)
            rp_put(out, "+");
        else if (d < 0)
            rp_put(out, "\xE2\x88\x92");
        rp_pct(out, (d < 0 ? -d : d) * 100 / (double)before);
    } else {
        rp_put(out, after ? "1e18\">new" : "0\">\xE2\x80\x94");
    }
    rp_put(out, "</td>");
}

/* ---- the index of classes ---- */

void rp_size_td(fp_text *out, double v)
{
    rp_put(out, "<td class=\"n\" data-v=\"");
    rp_fixed(out, v, 0);
    rp_put(out, "\">");
    rp_size(out, v);
    rp_put(out, "</td>");
}

void rp_count_td(fp_text *out, uint64_t v)
{
    /* no thousands separators: the script's parseFloat("1,500") is 1 */
    rp_put(out, "<td class=\"n\" data-v=\"");
    rp_fixed(out, (double)v, 0);
    rp_put(out, "\">");
    rp_count(out, v);
    rp_put(out, "</td>");
}

static void class_index(fp_text *out, const rp_data *d)
{
    size_t i;

    rp_put(out, "<div class=\"scroll\"><table class=\"sort\"><thead><tr>"
                "<th>Class</th><th class=\"n\">Instances</th><th class=\"n\">"
                "Alive</th><th class=\"n\">Peak total</th><th class=\"n\">"
                "Average</th><th class=\"n\">Smallest</th><th class=\"n\">"
                "Largest</th></tr></thead><tbody>");
    for (i = 0; i < d->ncls; i++) {
        uint32_t c = d->rank[i];
        const rp_class *k = &d->cls[c];
        rp_put(out, "<tr><td>");
        if (k->linked) {
            rp_put(out, "<a href=\"#c");
            rp_count(out, c);
            rp_put(out, "\">");
        }
        rp_esc_str(out, k->name);
        rp_put(out, k->linked ? "</a></td>" : "</td>");
        rp_count_td(out, k->count);
        rp_count_td(out, k->alive);
        rp_size_td(out, (double)k->peak);
        rp_size_td(out, k->avg);
        rp_size_td(out, (double)k->min);
        rp_size_td(out, (double)k->max);
        rp_put(out, "</tr>");
    }
    rp_put(out, "</tbody></table></div>");
}

/* ---- one class ---- */

static void class_summary(fp_text *out, const rp_data *d, uint32_t c)
{
    const rp_class *k = &d->cls[c];
    fp_class_info tc;

    fp_tracker_class_info(d->t, c, &tc);
    rp_put(out, "<p>");
    rp_count(out, k->count);
    rp_put(out, k->count == 1 ? " instance tracked, "
                              : " instances tracked, ");
    rp_count(out, k->alive);
    rp_put(out, " alive, ");
    rp_count(out, k->measured);
    rp_put(out, " measured.");
    if (k->measured) {
        rp_put(out, " Largest size of each instance: average <b>");
        rp_size(out, k->avg);
        rp_put(out, "</b>, smallest ");
        rp_size(out, (double)k->min);
        rp_put(out, ", largest ");
        rp_size(out, (double)k->max);
        rp_put(out, ".");
    }
    rp_put(out, " <span class=\"muted\">Resolution level ");
    rp_count(out, tc.resolution_level > 0 ? (uint64_t)tc.resolution_level
                                          : 0);
    if (tc.flags & FP_CLASS_TRACE)
        rp_put(out, " \xC2\xB7 traced");
    if (tc.flags & FP_CLASS_KEEP)
        rp_put(out, " \xC2\xB7 kept alive");
    rp_put(out, "</span></p>");
}

static void lifetime_text(fp_text *out, const rp_data *d,
                          const fp_object_info *o)
{
    rp_put(out, "born ");
    rp_secs(out, o->birth - d->t0);
    if (o->dead) {
        rp_put(out, " \xC2\xB7 died ");
        rp_secs(out, o->death - d->t0);
        rp_put(out, " (lived ");
        rp_secs(out, o->death > o->birth ? o->death - o->birth : 0);
        rp_put(out, ")");
    } else if (o->detached) {
        rp_put(out, " \xC2\xB7 no longer followed");
    } else {
        rp_put(out, " \xC2\xB7 alive");
    }
}

static fp_status instance_card(fp_text *out, const rp_data *d,
                               const fp_report_opts *o, rp_merge *m,
                               uint32_t obj)
{
    fp_object_info ob;
    const char *repr, *trace;
    char addr[32];
    uint32_t root;
    size_t i;
    fp_status st = fp_tracker_object_info(d->t, obj, &ob);

    if (st != FP_OK)
        return st;
    repr = ob.repr;
    trace = ob.trace;
    snprintf(addr, sizeof addr, "0x%llx", (unsigned long long)ob.addr);
    rp_put(out, "<div class=\"inst\"><dl><dt>largest size</dt><dd><b>");
    rp_size(out, (double)d->objmax[obj]);
    rp_put(out, "</b> <span class=\"muted\">at <code>");
    rp_put(out, addr);
    rp_put(out, "</code></span></dd><dt>repr</dt><dd class=\"repr\">");
    if (*repr)
        rp_esc_cut(out, repr, o->text_chars, 0);
    else
        rp_put(out, "<span class=\"muted\">(none recorded)</span>");
    rp_put(out, "</dd><dt>lifetime</dt><dd>");
    lifetime_text(out, d, &ob);
    rp_put(out, "</dd>");
    if (d->nshown) {
        rp_put(out, "<dt>sizes</dt><dd><table><thead><tr>");
        rp_snapshot_heads(out, d);
        rp_put(out, "</tr></thead><tbody><tr>");
        for (i = 0; i < d->nshown; i++) {
            uint64_t v;
            rp_put(out, "<td class=\"n\">");
            if (fp_tracker_object_size(d->t, d->shown[i], obj, &v) == FP_OK)
                rp_size(out, (double)v);
            else
                rp_put(out, dash);
            rp_put(out, "</td>");
        }
        rp_put(out, "</tr></tbody></table></dd>");
    }
    if (*trace) {
        rp_put(out, "<dt>instantiated</dt><dd><pre>");
        rp_esc_cut(out, trace, o->text_chars, 1);
        rp_put(out, "</pre></dd>");
    }
    rp_put(out, "</dl>");
    rp_merge_reset(m);
    root = rp_merge_root(m);
    for (i = 0; root != RP_NIL && i < d->nsnap && st == FP_OK; i++)
        st = rp_merge_object(m, d->t, i, obj, root);
    if (root == RP_NIL)
        st = FP_ENOMEM;
    if (st == FP_OK && rp_merge_recorded(m, root))
        st = rp_merge_table(out, d, m, root, o->detail_rows, "the instance");
    rp_put(out, "</div>");
    return st;
}

static fp_status class_section(fp_text *out, const rp_data *d,
                               const fp_report_opts *o, uint32_t c,
                               const uint32_t *live, rp_merge *classes,
                               uint32_t root, rp_merge *one,
                               const uint32_t *top, size_t ntop)
{
    size_t i;
    fp_status st = FP_OK;

    rp_put(out, "<article class=\"cls\" id=\"c");
    rp_count(out, c);
    rp_put(out, "\"><h3>");
    rp_esc_str(out, d->cls[c].name);
    rp_put(out, "</h3>");
    class_summary(out, d, c);
    rp_put(out, "<h4>Live instances over time</h4>");
    rp_chart_lifetime(out, d, live, LIFETIME_BINS, d->cls[c].name);
    if (rp_merge_recorded(classes, root)) {
        rp_put(out, "<h4>Coalesced referents</h4><p class=\"muted\">The "
                    "per-referent detail of every instance with a "
                    "resolution level, merged by referent name: which "
                    "attributes hold the memory.</p>");
        st = rp_merge_table(out, d, classes, root, o->detail_rows,
                            "all instances with detail");
    }
    if (st == FP_OK && ntop) {
        rp_put(out, "<h4>Largest instances</h4><p class=\"muted\">");
        if (ntop < d->cls[c].count) {
            rp_put(out, "The ");
            rp_count(out, ntop);
            rp_put(out, " largest of ");
            rp_count(out, d->cls[c].count);
            rp_put(out, ", by the largest size measured.");
        } else {
            rp_put(out, "All instances, largest first.");
        }
        rp_put(out, "</p>");
        rp_put(out, "<div class=\"insts\">");
        for (i = 0; i < ntop && st == FP_OK; i++)
            st = instance_card(out, d, o, one, top[i]);
        rp_put(out, "</div>");
    }
    rp_put(out, "</article>\n");
    return st;
}

fp_status rp_classes_section(fp_text *out, const rp_data *d,
                             const fp_report_opts *o)
{
    size_t nshow = d->ncls < o->max_classes ? d->ncls : o->max_classes;
    uint32_t *top = NULL, *live = NULL, *root_of;
    size_t *ntop = NULL, i, k, n = o->top_instances;
    rp_merge classes, one;
    fp_status st;

    if (n > d->nobj)
        n = d->nobj;
    rp_merge_init(&classes, &d->alloc, d->nsnap);
    rp_merge_init(&one, &d->alloc, d->nsnap);
    root_of = fp_mem_alloc(&d->alloc, fp_mul_size(d->ncls ? d->ncls : 1,
                                                  sizeof *root_of));
    st = root_of ? FP_OK : FP_ENOMEM;
    if (st == FP_OK)
        st = rp_top_instances(d, n, &top, &ntop);
    if (st == FP_OK)
        st = rp_lifetime(d, d->rank, nshow, LIFETIME_BINS, &live);
    for (i = 0; st == FP_OK && i < d->ncls; i++)
        root_of[i] = RP_NIL;
    for (i = 0; st == FP_OK && i < nshow; i++)
        if ((root_of[d->rank[i]] = rp_merge_root(&classes)) == RP_NIL)
            st = FP_ENOMEM;
    /* one pass over each snapshot's detail, every tree to its class */
    for (i = 0; st == FP_OK && i < d->nsnap; i++)
        st = rp_merge_snapshot(&classes, d, i, root_of);

    rp_put(out, "<section id=\"classes\"><h2>Classes</h2>");
    if (st == FP_OK && !d->ncls)
        rp_put(out, "<p class=\"empty\">No class is tracked.</p>");
    if (st == FP_OK && d->ncls) {
        rp_put(out, "<p class=\"muted\">Largest peak first. Sizes are each "
                    "instance&#39;s largest measurement.");
        for (i = 0, k = 0; i < d->ncls; i++)
            k += d->cls[i].linked;
        if (k < d->ncls) {
            rp_put(out, " Sections follow for the ");
            rp_count(out, k);
            rp_put(out, k == 1 ? " largest class with instances."
                               : " largest classes with instances.");
        }
        rp_put(out, "</p>");
        class_index(out, d);
    }
    for (i = 0; st == FP_OK && i < nshow; i++) {
        uint32_t c = d->rank[i];
        if (!d->cls[c].linked)
            continue;
        st = class_section(out, d, o, c, live + i * (LIFETIME_BINS + 1),
                           &classes, root_of[c], &one, top + (size_t)c * n,
                           ntop[c]);
    }
    rp_put(out, "</section>\n");
    rp_merge_release(&classes);
    rp_merge_release(&one);
    fp_mem_free(&d->alloc, root_of);
    fp_mem_free(&d->alloc, top);
    fp_mem_free(&d->alloc, ntop);
    fp_mem_free(&d->alloc, live);
    return st;
}
