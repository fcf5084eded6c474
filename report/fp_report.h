/*
 * fp_report.h - the public header of libfpreport, the HTML report.
 *
 * One self-contained page drawn from a tracker, live or loaded from a dump
 * (docs/report.md): memory over time stacked by class, each snapshot's
 * class table and distribution, and per class its lifetime, coalesced
 * referents and largest instances; or the page of what changed between
 * two trackers.  Inline CSS and SVG, no external URL, no script needed;
 * every string from the measured program is escaped.  The page is also
 * well-formed XML.
 *
 * The report is a layer above the core, built on footprint.h alone: it
 * reads trackers through the core's public API and appends to an fp_text,
 * which the caller writes where it wants (fp_text_write writes a file
 * atomically).  Link with libfpreport.a, then libfootprint.a.
 */
#ifndef FP_REPORT_H
#define FP_REPORT_H

#include "footprint.h"

#ifdef __cplusplus
extern "C" {
#endif

/* diff_before / diff_after: the last snapshot. */
#define FP_REPORT_LAST FP_SNAPSHOT_LAST

typedef struct fp_report_opts {
    const char *title;       /* page title; NULL: "footprint report" */
    size_t top_classes;      /* classes drawn in colours of their own, the
                                rest as "other" (8) */
    size_t top_instances;    /* largest instances listed per class (10) */
    size_t max_classes;      /* classes given a section, largest first (100) */
    size_t max_snapshots;    /* snapshots given a section and a table column,
                                evenly spread over all of them (40) */
    size_t detail_rows;      /* rows per table of referents (30) */
    size_t text_chars;       /* reprs and traces are cut to this many
                                characters (2000) */
    int script;              /* 1: a small inline script sorts tables (1) */
    size_t diff_before;      /* diff: snapshot of the first tracker and */
    size_t diff_after;       /* of the second (FP_REPORT_LAST: the last) */
} fp_report_opts;

/* The defaults above; the title stays NULL. */
void fp_report_opts_init(fp_report_opts *opts);
/* Append the page of t to out.  opts may be NULL (defaults); both are
 * only read.  Scratch memory comes from t's allocator.  FP_EINVAL for a
 * NULL tracker or text, FP_ENOMEM when an allocation fails: then out is
 * left exactly as it was. */
fp_status fp_report_html(const fp_tracker *t, const fp_report_opts *opts,
                         fp_text *out);
/* Append the page of what changed from before to after (e.g. two dumps,
 * before and after a patch): per class (fp_diff_new's model) instances,
 * total and average in one snapshot of each (opts->diff_before and
 * diff_after; FP_EINVAL past the end), with deltas, drawn, and both runs'
 * memory over time.  Failures leave out as fp_report_html does. */
fp_status fp_report_diff_html(const fp_tracker *before,
                              const fp_tracker *after,
                              const fp_report_opts *opts, fp_text *out);

#ifdef __cplusplus
}
#endif

#endif /* FP_REPORT_H */
