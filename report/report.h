/*
 * report.h - what the HTML report's files share (internal): escaping and
 * number formatting, the numbers a page is drawn from, coalesced detail
 * trees, and the SVG charts.  Like every file of report/, it includes
 * fp_report.h and so footprint.h, never a header of the core's insides
 * (tests/layers/check.py): a tracker is read through the public API.
 *
 * The page must parse as XML (tests read it with an XML parser) and as
 * HTML, so every element is closed, every attribute quoted, and the only
 * entities are XML's own.  Numbers are printed without printf's %f, whose
 * decimal point follows the host program's locale and would break SVG
 * coordinates under, say, de_DE.
 */
#ifndef FP_REPORT_INTERNAL_H
#define FP_REPORT_INTERNAL_H

#include "fp_report.h"

#include <stdint.h>

#define RP_NIL UINT32_MAX
/* Slots of the class palette; classes past it share the "other" colour. */
#define RP_PALETTE 9

/* ---- text (report_text.c) ---- */

/* s[0..n) as HTML text or attribute value: & < > " ' escaped, invalid
 * UTF-8 and control characters (which XML forbids) shown as U+FFFD. */
void rp_esc(fp_text *out, const char *s, size_t n);
void rp_esc_str(fp_text *out, const char *s);
/* At most max characters of s, escaped; a longer s is cut with an
 * ellipsis, keeping its end when tail is set (class names differ at the
 * end: "...Node.FS.File"). */
void rp_esc_cut(fp_text *out, const char *s, size_t max, int tail);
/* Literal markup, no escaping. */
void rp_put(fp_text *out, const char *s);
/* v with `decimals` digits after the point (0..6), '.' whatever the
 * locale. */
void rp_fixed(fp_text *out, double v, int decimals);
/* pympler's size text (fp_format_size) with its padding squeezed out. */
void rp_size(fp_text *out, double bytes);
/* 1234567 -> "1,234,567". */
void rp_count(fp_text *out, uint64_t n);
/* A signed byte delta: "+1.20 MB", "-512 B", "0 B". */
void rp_size_delta(fp_text *out, double delta);
void rp_count_delta(fp_text *out, int64_t delta);
/* "12.5%" with one decimal, "<0.1%" for small non-zero shares. */
void rp_pct(fp_text *out, double pct);
/* Seconds, two decimals: "12.30 s". */
void rp_secs(fp_text *out, double s);

/* ---- the numbers a page is drawn from (report_data.c) ---- */

typedef struct rp_class {
    const char *name;
    size_t count;       /* instances ever tracked */
    size_t alive;       /* neither dead nor detached now */
    size_t measured;    /* instances sized in at least one snapshot */
    uint64_t min, max;  /* of each measured instance's largest size */
    double avg;
    uint64_t peak;      /* the class's largest total in one snapshot */
    int slot;           /* palette slot, -1: drawn as "other" */
    int linked;         /* has a section on the page: names link to it */
} rp_class;

/* What the page's passes over objects read, copied once from
 * fp_tracker_object_info. */
typedef struct rp_obj {
    double birth, death;  /* death: valid when dead */
    uint32_t cls;
    uint8_t dead, detached;
} rp_obj;

typedef struct rp_data {
    const fp_tracker *t;
    fp_alloc alloc;
    size_t ncls, nobj, nsnap;
    fp_snapshot_info *snap; /* every snapshot's figures */
    rp_obj *obj;        /* every object's */
    rp_class *cls;
    uint32_t *rank;     /* class indices, largest peak first */
    size_t ntop;        /* rank[0..ntop) have their own colour */
    size_t *active;     /* [snap * ncls + cls]: pympler's active count */
    uint64_t *sum;      /* [snap * ncls + cls]: bytes sized */
    uint64_t *objmax;   /* per object: largest size over all snapshots */
    unsigned char *sized; /* per object: 1 if sized at least once */
    double t0, t1;      /* earliest and latest time the tracker knows */
    uint32_t *shown;    /* snapshots given a section and a table column */
    size_t nshown;
} rp_data;

fp_status rp_data_init(rp_data *d, const fp_tracker *t, size_t top_classes,
                       size_t max_snapshots);
void rp_data_release(rp_data *d);
/* Give class i colour slot[i] (-1: "other") and put the coloured classes
 * first in rank: two pages drawn side by side then agree on colours. */
void rp_recolour(rp_data *d, const int *slot);
/* Up to n largest instances (by largest size) of every class: idx[c * n
 * ...] holds count[c] object indices, largest first, earlier birth first
 * among equals.  Both arrays come from d->alloc. */
fp_status rp_top_instances(const rp_data *d, size_t n, uint32_t **idx,
                           size_t **count);
/* Per class in classes[]: nbins + 1 counts, the instances alive at some
 * moment of each of nbins equal slices of [t0, t1], then those alive at
 * the end.  Births and deaths are binned, so the cost is one pass. */
fp_status rp_lifetime(const rp_data *d, const uint32_t *classes,
                      size_t nclasses, size_t nbins, uint32_t **live);

/* Indices 0..n-1 ordered by key, largest first, lower index first among
 * equals; *order comes from alloc. */
fp_status rp_order_desc(const fp_alloc *alloc, const uint64_t *key,
                        size_t n, uint32_t **order);

/* ---- coalesced detail (report_merge.c) ----
 * pympler's _merge_asized: the detail trees of many instances (or of one
 * instance in many snapshots) merged by referent name path, with one size
 * per snapshot, so a table shows which attributes hold the memory. */
typedef struct rp_mnode {
    uint32_t parent, child, next;  /* RP_NIL when absent */
    uint32_t len;
    const char *name;              /* into the tracker's strings */
} rp_mnode;

typedef struct rp_merge {
    fp_alloc alloc;
    size_t nsnap;
    rp_mnode *node;
    uint64_t *size;                /* [node * nsnap + snap] */
    size_t n, cap;
    uint32_t *slots;               /* (parent, name) -> node + 1 */
    size_t nslots;
    uint32_t *path;                /* the merge's current path */
    size_t path_cap;
    int failed;
} rp_merge;

typedef struct rp_mrow {
    uint32_t node, depth;
} rp_mrow;

void rp_merge_init(rp_merge *m, const fp_alloc *alloc, size_t nsnap);
void rp_merge_release(rp_merge *m);
void rp_merge_reset(rp_merge *m);
/* A new, empty tree; RP_NIL when out of memory. */
uint32_t rp_merge_root(rp_merge *m);
/* Merge detail entries first..first+n of snapshot snap (one object's
 * tree, preorder) under root. */
fp_status rp_merge_range(rp_merge *m, const fp_tracker *t, size_t snap,
                         size_t first, size_t n, uint32_t root);
/* Merge every object's tree recorded in snapshot snap under the root of
 * its class, root_of[class] (RP_NIL: that class is left out). */
fp_status rp_merge_snapshot(rp_merge *m, const rp_data *d, size_t snap,
                            const uint32_t *root_of);
/* Merge the detail recorded for object obj in snapshot snap under root. */
fp_status rp_merge_object(rp_merge *m, const fp_tracker *t, size_t snap,
                          size_t obj, uint32_t root);
/* 1 if any size was recorded under root. */
int rp_merge_recorded(const rp_merge *m, uint32_t root);
/* The tree under root in preorder, siblings largest first, at most max
 * rows, leaving out referents below 0.1% of the root (pympler's minpct).
 * *rows comes from m->alloc; *more counts rows left out by max. */
fp_status rp_merge_rows(rp_merge *m, uint32_t root, size_t max,
                        rp_mrow **rows, size_t *nrows, size_t *more);

/* ---- charts (report_svg.c) ---- */

typedef struct rp_series {
    const char *label;   /* raw text, escaped when drawn */
    double value;
    int slot;            /* palette slot, -1 = grey */
    const char *href;    /* fragment link ("#c3") or NULL */
} rp_series;

/* Colour of a palette slot ("#4e79a7"); -1 gives the "other" grey. */
const char *rp_colour(int slot);
/* Memory over time: stacked areas per top class, lines for the tracked
 * total, the host's total and rss; snapshot markers. */
fp_status rp_chart_timeline(fp_text *out, const rp_data *d);
/* Horizontal bars of values (bytes), largest first as given. */
void rp_chart_bars(fp_text *out, const rp_series *s, size_t n,
                   const char *label);
/* Live instances over time, from rp_lifetime's nbins + 1 counts. */
void rp_chart_lifetime(fp_text *out, const rp_data *d, const uint32_t *live,
                       size_t nbins, const char *label);
/* Deltas in bytes around a zero line: growth right, shrinkage left. */
void rp_chart_delta(fp_text *out, const rp_series *s, size_t n,
                    const char *label);

/* The largest types of the snapshots' censuses (report_census.c), ready
 * to draw: ntypes series over every snapshot. */
typedef struct rp_types {
    size_t ntypes;         /* largest peak first; series k has colour k */
    const char **name;     /* [k], the host's names, raw */
    uint64_t *flat;        /* [k * nsnap + snap]: flat bytes */
    unsigned char *known;  /* [k * nsnap + snap]: 1 where snap's census
                              gives type k's size */
    unsigned char *taken;  /* [snap]: 1 where snap has a census */
} rp_types;

/* Flat bytes per type over time: a line per type through the snapshots
 * with a census, broken where a census does not know the type. */
void rp_chart_types(fp_text *out, const rp_data *d, const rp_types *ty);

/* ---- the page (report_style.c, report.c, report_class.c) ---- */
/* opts (or the defaults) with the page's default title and bounds. */
void rp_resolve_opts(fp_report_opts *o, const fp_report_opts *opts,
                     const char *title);
void rp_page_open(fp_text *out, const char *title, int script);
void rp_page_close(fp_text *out, int script);
/* The page's outcome: st, else the text's own status.  A failed page is
 * taken back out of out (to its length start) unless out had failed
 * before it began (was_failed), so a caller never gets half a page. */
fp_status rp_page_end(fp_text *out, size_t start, int was_failed,
                      fp_status st);
/* <th> cells for the shown snapshots ("#1" ...), titled with their
 * descriptions. */
void rp_snapshot_heads(fp_text *out, const rp_data *d);
/* A table of merged referents under root, one size column per shown
 * snapshot and a share bar; returns whether anything was written. */
fp_status rp_merge_table(fp_text *out, const rp_data *d, rp_merge *m,
                         uint32_t root, size_t max_rows, const char *what);
/* Table cells: a size and a count, with the plain number the sorting
 * script reads (data-v), and part's share of whole with a bar. */
void rp_size_td(fp_text *out, double v);
void rp_count_td(fp_text *out, uint64_t v);
void rp_share_td(fp_text *out, double part, double whole);
/* A signed change (of bytes, or of a count), and the change of before
 * to after in percent, signed ("new" from 0, a dash for 0 to 0). */
void rp_delta_td(fp_text *out, double v, int bytes);
void rp_change_pct_td(fp_text *out, uint64_t before, uint64_t after);
fp_status rp_classes_section(fp_text *out, const rp_data *d,
                             const fp_report_opts *o);

/* ---- the heap by type (report_census.c) ---- */
/* The last snapshot with a census; FP_REPORT_LAST when none has one. */
size_t rp_census_last(const rp_data *d);
/* The section "Heap by type": the census of snapshot last (a snapshot
 * rp_census_last gave) against the tracked classes, and the largest types
 * over time. */
fp_status rp_census_section(fp_text *out, const rp_data *d, size_t last);

/* report_types_diff.c: the diff page's types that grew, when either
 * snapshot of the model has a census (side: before, after). */
int rp_types_diffed(const fp_diff *model);
fp_status rp_types_grew(fp_text *out, const fp_diff *model,
                        const fp_tracker *const side[2]);

#endif /* FP_REPORT_INTERNAL_H */
