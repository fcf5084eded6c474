/*
 * report_types_diff.c - the diff page's "Types that grew": the censuses of
 * the two snapshots matched by name (fp_diff_type), the types whose bytes
 * grew, the largest growth first (fp_diff_grown), as `footprint diff`
 * lists them.
 *
 * A census may keep only its largest types.  A type the before side did
 * not keep, where that census kept only some, has no known before figure:
 * its cells say so instead of reading 0 and "new".
 */
#include "report.h"

#define GREW_ROWS 20

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
        rp_delta_td(out, (double)r->count[1] - (double)r->count[0], 0);
        rp_size_td(out, (double)r->flat[0]);
        rp_size_td(out, (double)r->flat[1]);
        rp_delta_td(out, (double)r->flat[1] - (double)r->flat[0], 1);
        rp_change_pct_td(out, r->flat[0], r->flat[1]);
    }
    rp_put(out, "</tr>");
}

static void grew_table(fp_text *out, const fp_diff *model, int *unknown)
{
    size_t i, n = fp_diff_grown_count(model);

    rp_put(out, "<div class=\"scroll\"><table class=\"sort types\"><thead>"
                "<tr><th>Type</th><th class=\"n\">Objects before</th>"
                "<th class=\"n\">after</th><th class=\"n\">\xCE\x94</th>"
                "<th class=\"n\">Bytes before</th><th class=\"n\">after</th>"
                "<th class=\"n\">\xCE\x94</th><th class=\"n\">\xCE\x94 %"
                "</th></tr></thead><tbody>");
    for (i = 0; i < n && i < GREW_ROWS; i++) {
        const fp_type_delta *r = fp_diff_grown(model, i);
        grew_row(out, r, r->known[0]);
        *unknown |= !r->known[0];
    }
    rp_put(out, "</tbody></table></div>");
}

int rp_types_diffed(const fp_diff *model)
{
    return fp_diff_type_count(model) > 0;
}

fp_status rp_types_grew(fp_text *out, const fp_diff *model,
                        const fp_tracker *const side[2])
{
    int unknown = 0, k;

    if (!fp_diff_type_count(model))
        return FP_OK;
    rp_put(out, "<section id=\"types\"><h2>Types that grew</h2>");
    for (k = 0; k < 2; k++)
        if (!fp_tracker_census_taken(side[k], fp_diff_snapshot(model, k))) {
            rp_put(out, k ? "<p class=\"empty\">No census in the after "
                            "snapshot.</p></section>\n"
                          : "<p class=\"empty\">No census in the before "
                            "snapshot.</p></section>\n");
            return FP_OK;
        }
    rp_put(out, "<p class=\"muted\">The heap by type at the two snapshots "
                "(each object's own size, every object the host found), "
                "the types whose bytes grew, the largest growth first.</p>");
    if (!fp_diff_grown_count(model))
        rp_put(out, "<p class=\"empty\">No type grew.</p>");
    else
        grew_table(out, model, &unknown);
    if (unknown)
        rp_put(out, "<p class=\"muted\">\xE2\x80\x94: not among the types "
                    "the before census kept (it kept only its largest).</p>");
    rp_put(out, "</section>\n");
    return FP_OK;
}
