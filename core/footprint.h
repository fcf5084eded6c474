/*
 * footprint.h - the one public header of libfootprint.
 *
 * footprint sizes graphs of objects it cannot see.  A host (the CPython
 * adapter, the Lua adapter, a test, a benchmark) hands the core opaque
 * handles and a table of callbacks that answer questions about them; the
 * core walks the graph iteratively, counts every reachable object once and
 * reports totals, per-root sizes and, on request, a tree of named referents.
 *
 * Conventions: every function that can fail returns fp_status (FP_OK == 0).
 * Constructors are fp_x_new(fp_x **out, ...); fp_x_free(NULL) is a no-op.
 * Memory comes from one realloc-style hook given at creation (NULL: libc).
 * Nothing outside this header is API.
 */
#ifndef FOOTPRINT_H
#define FOOTPRINT_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define FP_VERSION_MAJOR 0
#define FP_VERSION_MINOR 1
#define FP_VERSION_PATCH 0
#define FP_VERSION_NUMBER \
    (FP_VERSION_MAJOR * 10000 + FP_VERSION_MINOR * 100 + FP_VERSION_PATCH)
#define FP_VERSION_STRING "0.1.0"

/* Run-time version, FP_VERSION_NUMBER of the library actually linked.
 * Bindings compare it with the header they were built against. */
int fp_version(void);

/* ---- status codes ------------------------------------------------------
 * One table, expanded wherever a binding needs the list (SWIG typemaps,
 * Python exception classes, Lua messages).  X(name, value, message). */
#define FP_STATUS_TABLE(X)                                            \
    X(FP_OK, 0, "success")                                            \
    X(FP_ENOMEM, 1, "out of memory")                                  \
    X(FP_EINVAL, 2, "invalid argument")                               \
    X(FP_EHOST, 3, "the host could not inspect an object")            \
    X(FP_EIO, 4, "input/output error")                                \
    X(FP_ECORRUPT, 5, "corrupt or truncated data")                    \
    X(FP_EFORMAT, 6, "unsupported format or version")                 \
    X(FP_ENOTFOUND, 7, "not found")                                   \
    X(FP_EUNSUPPORTED, 8, "not supported on this platform")           \
    X(FP_EVERSION, 9, "library and binding versions differ")

typedef enum fp_status {
#define FP_STATUS_ENUM_(name, value, msg) name = value,
    FP_STATUS_TABLE(FP_STATUS_ENUM_)
#undef FP_STATUS_ENUM_
    FP_STATUS_COUNT_
} fp_status;

/* Static message for a status; never NULL, "unknown status" if invalid. */
const char *fp_strerror(int status);
/* Symbolic name ("FP_ENOMEM"); never NULL. */
const char *fp_status_name(int status);

/* ---- memory ------------------------------------------------------------
 * realloc-style: fn(ud, ptr, 0) frees ptr and returns NULL; otherwise it
 * behaves as realloc(ptr, size).  A NULL return for size > 0 is a failure
 * and must leave ptr untouched.  Tests use it to fail the Nth allocation. */
typedef void *(*fp_realloc_fn)(void *ud, void *ptr, size_t size);

typedef struct fp_alloc {
    fp_realloc_fn fn;
    void *ud;
} fp_alloc;

/* ---- objects and the host interface ------------------------------------
 * A handle names one object of the host.  0 is "no object": the core never
 * sizes it and hosts may use it for absent referents. */
typedef uintptr_t fp_handle;

/* Flags a host sets in fp_info.flags. */
enum {
    /* Not counted and not followed: built-in types, code, ignored kinds. */
    FP_INFO_SKIP = 1u << 0,
    /* Counted, but its referents are not followed (strings, numbers). */
    FP_INFO_LEAF = 1u << 1,
    /* Followed only when it is a root (pympler does not descend into a
     * module reached from another object). */
    FP_INFO_LEAF_UNLESS_ROOT = 1u << 2
};

typedef struct fp_info {
    size_t flat;      /* bytes the object itself holds, before alignment */
    unsigned flags;   /* FP_INFO_* */
    fp_handle cls;    /* the object's class, 0 if the host does not say */
} fp_info;

/* Called by a host's referents() once per referent, in the host's order.
 * name/len describe how the parent reaches it ("[0]", ".attr", "[key]");
 * name is NULL unless names were asked for, and need only live for the
 * duration of the call (the core copies it).  A non-zero return asks the
 * host to stop enumerating and return at once. */
typedef int (*fp_visit_fn)(void *arg, fp_handle ref, const char *name,
                           size_t len);

/*
 * The questions the core asks.  Every callback gets host->ctx first.
 * Only inspect and referents are needed for sizing; the rest serve the
 * tracker and reports and may be NULL.
 *
 * A callback that fails for one object returns FP_EHOST: the core counts it
 * (fp_stats.failed) and goes on.  After inspect, that object is size 0 with
 * no referents; after referents, it keeps its flat size and the referents
 * reported before the failure are still followed (pympler keeps what it
 * summed before an error).  Any other non-OK status aborts the whole
 * operation and is returned.
 */
typedef struct fp_host {
    void *ctx;
    /* Fill *info for obj.  Must not run code of the measured program. */
    fp_status (*inspect)(void *ctx, fp_handle obj, fp_info *info);
    /* Call visit(arg, ...) for each object obj references.  When
     * want_names is 0 pass name = NULL (hosts can skip the formatting). */
    fp_status (*referents)(void *ctx, fp_handle obj, int want_names,
                           fp_visit_fn visit, void *arg);
    /* 1 if obj still exists, 0 if it died (tracker). */
    int (*alive)(void *ctx, fp_handle obj);
    /* Write a short, NUL-terminated description of obj into buf (cap bytes,
     * truncating); return the length written (tracker, reports). */
    size_t (*describe)(void *ctx, fp_handle obj, char *buf, size_t cap);
} fp_host;

/* ---- visited sets --------------------------------------------------------
 * A set of handles: open addressing, linear probing, hashed with xxHash,
 * growing by doubling.  fp_set_clear empties it but keeps (most of) its
 * memory so one set serves many measurements. */
typedef struct fp_set fp_set;

fp_status fp_set_new(fp_set **out, const fp_alloc *alloc);
void fp_set_free(fp_set *set);
/* Insert h (h != 0).  *added (may be NULL) is 1 if h was new, 0 if present.
 * On FP_ENOMEM the set is unchanged. */
fp_status fp_set_add(fp_set *set, fp_handle h, int *added);
int fp_set_contains(const fp_set *set, fp_handle h);
size_t fp_set_count(const fp_set *set);
/* Bytes the set holds, for overhead accounting. */
size_t fp_set_memory(const fp_set *set);
void fp_set_clear(fp_set *set);

/* ---- sizing -------------------------------------------------------------- */
typedef struct fp_sizer fp_sizer;

#define FP_NO_LIMIT ((size_t)-1)

typedef struct fp_sizer_opts {
    size_t align;   /* flat sizes round up to this power of two; 1 = none */
    size_t limit;   /* referents deeper than this are not sized (root = 0) */
    size_t detail;  /* fp_sizer_size_detail: levels of named referents */
    int count_duplicates; /* keep fp_stats.duplicates (costs a second set) */
} fp_sizer_opts;

/* align 8, limit FP_NO_LIMIT, detail 0, count_duplicates 0. */
void fp_sizer_opts_init(fp_sizer_opts *opts);

typedef struct fp_stats {
    size_t total;      /* bytes of every object sized since the last reset */
    size_t objects;    /* objects sized (counted once each) */
    size_t revisits;   /* references to an object already sized */
    size_t duplicates; /* distinct objects referenced more than once
                          (only with count_duplicates) */
    size_t excluded;   /* references skipped because of the exclusion set */
    size_t failed;     /* objects a host callback failed on (FP_EHOST) */
    size_t truncated;  /* objects the depth limit left unsized: referents
                          of objects at the limit that no other path
                          reached (0 means the limit hid nothing) */
    size_t max_depth;  /* deepest level reached (roots are level 0) */
} fp_stats;

/* host is copied; alloc may be NULL (libc), opts may be NULL (defaults). */
fp_status fp_sizer_new(fp_sizer **out, const fp_host *host,
                       const fp_sizer_opts *opts, const fp_alloc *alloc);
void fp_sizer_free(fp_sizer *sizer);
fp_status fp_sizer_set_opts(fp_sizer *sizer, const fp_sizer_opts *opts);
void fp_sizer_get_opts(const fp_sizer *sizer, fp_sizer_opts *opts);

/*
 * Size roots[0..n) and everything they reach that was not sized before
 * (since the last reset).  Roots are never counted inside another root
 * (pympler's asizesof): an object reachable from two roots counts for the
 * first.  A root repeated in the same call gets the size of its first
 * occurrence and is counted once; a root sized by an earlier call gets 0.
 * sizes (may be NULL) receives n per-root sizes.  Totals accumulate in
 * fp_sizer_stats until fp_sizer_reset (pympler's Asizer).
 * Failures of the host on single objects (FP_EHOST) are counted in
 * fp_stats.failed and do not fail the call.  Any other error fails the call
 * and resets the sizer (as fp_sizer_reset: what was sized is forgotten,
 * exclusions stay), so it is never left half-updated.
 */
fp_status fp_sizer_size(fp_sizer *sizer, const fp_handle *roots, size_t n,
                        size_t *sizes);

/* One node of a detail tree (pympler's Asized).  Children are the referents
 * of obj in host order, each with the name the host gave (NULL if none);
 * a referent sized elsewhere, excluded or skipped has size 0. */
typedef struct fp_detail_node {
    fp_handle obj;
    const char *name;        /* NUL-terminated copy, or NULL */
    size_t size;             /* obj plus what was first reached through it */
    size_t flat;             /* obj alone, aligned */
    size_t nchildren;
    struct fp_detail_node *child;  /* first child */
    struct fp_detail_node *next;   /* next sibling */
} fp_detail_node;

typedef struct fp_detail fp_detail;

/* As fp_sizer_size, and also build one tree per root, opts.detail levels
 * deep.  *out owns all nodes; free it with fp_detail_free. */
fp_status fp_sizer_size_detail(fp_sizer *sizer, const fp_handle *roots,
                               size_t n, size_t *sizes, fp_detail **out);
size_t fp_detail_count(const fp_detail *detail);
const fp_detail_node *fp_detail_root(const fp_detail *detail, size_t i);
void fp_detail_free(fp_detail *detail);

/*
 * Host-driven sizing.  Some hosts can reach an object only while they hold
 * the object referring to it: Lua's API reads a value only from its stack,
 * so answering inspect(h) for an arbitrary handle costs that host a copy of
 * every waiting value into an anchor table.  Such a host walks by itself,
 * recursively (the order fp_sizer_size reproduces, so the results are the
 * same), and asks the core at each referent: the core keeps the visited
 * set, exclusions, roots, totals and stats as fp_sizer_size does.
 *
 * fp_sizer_walk classifies roots as fp_sizer_size does and calls walk once
 * per root it sizes, the root already marked seen.  walk inspects the root
 * and then, for each referent h it meets, calls fp_sizer_visit(h): 1 means
 * enter it (it is now seen), 0 means not (sized before, or excluded), -1
 * out of memory.  Each entered object the host does not skip (FP_INFO_SKIP
 * in fp_sizer_size's terms) is reported once with fp_sizer_count, its depth
 * 0 for the root.  An object the host cannot read is reported with
 * fp_sizer_failed (FP_EHOST in fp_sizer_size).  walk returns FP_OK, or an
 * error that fails the call and resets the sizer.
 *
 * Plain sizing only: opts.limit must be FP_NO_LIMIT (FP_EINVAL otherwise);
 * depth limits and detail trees take fp_sizer_size(_detail).
 */
typedef fp_status (*fp_walk_fn)(void *arg, fp_sizer *sizer, fp_handle root);

fp_status fp_sizer_walk(fp_sizer *sizer, const fp_handle *roots, size_t n,
                        size_t *sizes, fp_walk_fn walk, void *arg);
int fp_sizer_visit(fp_sizer *sizer, fp_handle h);
void fp_sizer_count(fp_sizer *sizer, size_t flat, size_t depth);
void fp_sizer_failed(fp_sizer *sizer);

/* Referents of these handles are skipped (they belong to someone else);
 * they are still sized when passed as roots.  Kept until cleared. */
fp_status fp_sizer_exclude(fp_sizer *sizer, const fp_handle *objs, size_t n);
void fp_sizer_exclude_clear(fp_sizer *sizer);
/* 1 if h was sized since the last reset. */
int fp_sizer_seen(const fp_sizer *sizer, fp_handle h);

void fp_sizer_stats(const fp_sizer *sizer, fp_stats *out);
/* Forget what was sized and zero the stats; keeps memory and exclusions. */
void fp_sizer_reset(fp_sizer *sizer);
/* Bytes the sizer holds (sets, stack), for overhead accounting. */
size_t fp_sizer_memory(const fp_sizer *sizer);
/* Message describing the last error on this sizer ("" if none). */
const char *fp_sizer_errmsg(const fp_sizer *sizer);

/* ---- process memory ------------------------------------------------------ */
typedef struct fp_procmem {
    uint64_t vsize;     /* virtual size, bytes */
    uint64_t rss;       /* resident set size, bytes */
    uint64_t peak_rss;  /* peak resident set size, bytes */
} fp_procmem;

/* Linux (/proc/self/status), macOS (task_info), Windows (psapi);
 * FP_EUNSUPPORTED elsewhere. */
fp_status fp_procmem_read(fp_procmem *out);

/* ---- text output ---------------------------------------------------------
 * A growing buffer that the printing functions append to; bindings hand its
 * contents to their own streams. */
typedef struct fp_text fp_text;

fp_status fp_text_new(fp_text **out, const fp_alloc *alloc);
void fp_text_free(fp_text *text);
const char *fp_text_data(const fp_text *text); /* NUL-terminated */
size_t fp_text_len(const fp_text *text);
void fp_text_clear(fp_text *text);

/* ---- class tracker ---------------------------------------------------------
 * Tracked classes and objects, and snapshots of their sizes over time
 * (pympler's ClassTracker).  The host reports births (fp_tracker_track) and,
 * when it can, deaths (fp_tracker_died); at a snapshot every live tracked
 * object is sized in birth order with every other tracked object excluded,
 * so data they share lands on the first-born and counts once.
 * A tracker loaded from a dump has no host: it can be read, printed and
 * dumped again, not snapshot.  Times are seconds on the host's clock. */
typedef struct fp_tracker fp_tracker;

enum {
    FP_CLASS_KEEP = 1u << 0,  /* the host keeps instances alive */
    FP_CLASS_TRACE = 1u << 1, /* the host records instantiation traces */
    FP_CLASS_ALL_ = FP_CLASS_KEEP | FP_CLASS_TRACE
};

typedef struct fp_class_info {
    const char *name;
    int resolution_level;
    unsigned flags;          /* FP_CLASS_* */
} fp_class_info;

typedef struct fp_object_info {
    fp_handle addr;          /* the handle it had; never dereference */
    size_t cls;              /* index of its class */
    double birth;
    double death;            /* valid when dead */
    int dead;
    int resolution_level;
    const char *repr;        /* "" if none */
    const char *trace;       /* "" if none */
} fp_object_info;

typedef struct fp_snapshot_info {
    double timestamp;
    const char *desc;
    uint64_t tracked_total;  /* bytes of all tracked objects */
    uint64_t asizeof_total;  /* host's total of everything, 0 if not asked */
    uint64_t overhead;       /* bytes the tracker itself held */
    fp_procmem procmem;      /* all 0 if the platform could not say */
    size_t nsized;           /* objects sized in this snapshot */
} fp_snapshot_info;

typedef struct fp_class_stats {
    size_t active;           /* born before and not dead at the snapshot */
    uint64_t sum;            /* bytes of its instances sized then */
    double avg;              /* sum / active, 0 if none */
    double pct;              /* sum as a share of process memory (rss) */
} fp_class_stats;

/* One node of a recorded per-referent detail tree, in preorder. */
typedef struct fp_detail_entry {
    uint32_t depth;          /* 0 = the tracked object itself */
    const char *name;
    uint64_t size, flat;
} fp_detail_entry;

/* host may be NULL (a read-only tracker, e.g. for tests or a CLI). */
fp_status fp_tracker_new(fp_tracker **out, const fp_host *host,
                         const fp_alloc *alloc);
void fp_tracker_free(fp_tracker *t);
const char *fp_tracker_errmsg(const fp_tracker *t);
/* Size tracked objects through a host-driven walk (fp_sizer_walk, walk
 * and arg as there) wherever a snapshot allows one: no depth limit, no
 * detail recorded for the object.  NULL: the host's inspect/referents. */
void fp_tracker_set_walk(fp_tracker *t, fp_walk_fn walk, void *arg);

/* Register a class, or update the one of that name; *index names it.
 * Times given to the tracker must be finite (FP_EINVAL otherwise). */
fp_status fp_tracker_add_class(fp_tracker *t, const char *name,
                               int resolution_level, unsigned flags,
                               size_t *index);
fp_status fp_tracker_find_class(const fp_tracker *t, const char *name,
                                size_t *index);
/* Track obj as an instance of class cls, born at `when`.  A handle already
 * tracked and alive is left as it is (*added = 0).  repr and trace may be
 * NULL; they are copied. */
fp_status fp_tracker_track(fp_tracker *t, fp_handle obj, size_t cls,
                           double when, int resolution_level,
                           const char *repr, const char *trace, int *added);
/* The host saw obj die (or stops following it): record the death time and
 * never pass this handle to the host again.  FP_ENOTFOUND if not tracked. */
fp_status fp_tracker_died(fp_tracker *t, fp_handle obj, double when);
int fp_tracker_is_tracked(const fp_tracker *t, fp_handle obj);
/* Change a live object's class, resolution level or repr. */
fp_status fp_tracker_set_class(fp_tracker *t, fp_handle obj, size_t cls);
fp_status fp_tracker_set_level(fp_tracker *t, fp_handle obj, int level);
fp_status fp_tracker_set_repr(fp_tracker *t, fp_handle obj, const char *repr);
/* Stop following every live object (they keep their data; deaths are no
 * longer recorded). */
void fp_tracker_detach_all(fp_tracker *t);
/* Forget all objects and snapshots; classes stay. */
void fp_tracker_clear(fp_tracker *t);

/* Size every live tracked object (opts: alignment and limit for the sizer;
 * NULL: defaults) and record a snapshot.  Objects the host's alive()
 * reports dead are marked dead at `when` first.  asizeof_total is stored
 * as given. */
fp_status fp_tracker_snapshot(fp_tracker *t, double when, const char *desc,
                              const fp_sizer_opts *opts,
                              uint64_t asizeof_total);

size_t fp_tracker_class_count(const fp_tracker *t);
size_t fp_tracker_object_count(const fp_tracker *t);
size_t fp_tracker_live_count(const fp_tracker *t);
size_t fp_tracker_snapshot_count(const fp_tracker *t);
fp_status fp_tracker_class_info(const fp_tracker *t, size_t i,
                                fp_class_info *out);
fp_status fp_tracker_object_info(const fp_tracker *t, size_t i,
                                 fp_object_info *out);
/* Index of the live tracked object with handle obj. */
fp_status fp_tracker_object_index(const fp_tracker *t, fp_handle obj,
                                  size_t *i);
fp_status fp_tracker_snapshot_info(const fp_tracker *t, size_t i,
                                   fp_snapshot_info *out);
/* Size of object obj in snapshot snap; FP_ENOTFOUND if it was not sized. */
fp_status fp_tracker_object_size(const fp_tracker *t, size_t snap,
                                 size_t obj, uint64_t *size);
/* The detail tree recorded for obj in snapshot snap (n = 0 if none).
 * Entry k: fp_tracker_detail_entry(t, snap, first + k). */
fp_status fp_tracker_object_detail(const fp_tracker *t, size_t snap,
                                   size_t obj, size_t *first, size_t *n);
fp_status fp_tracker_detail_entry(const fp_tracker *t, size_t snap,
                                  size_t k, fp_detail_entry *out);
fp_status fp_tracker_class_stats(const fp_tracker *t, size_t snap,
                                 size_t cls, fp_class_stats *out);
/* The same for every class at once, in one pass: out has
 * fp_tracker_class_count(t) entries. */
fp_status fp_tracker_snapshot_classes(const fp_tracker *t, size_t snap,
                                      fp_class_stats *out);
/* Bytes the tracker holds (its own overhead). */
size_t fp_tracker_memory(const fp_tracker *t);

/* ---- statistics and text (pympler's Stats / ConsoleStats) ---------------
 * A sorted view of the tracked objects, then pympler's console layout. */

/* Sort keys, applied in order: "classname", "name" (both the class name),
 * "birth", "death", "size" (largest measured, descending), "tsize" (size in
 * the snapshot with the largest tracked total, descending), "repr".
 * nkeys 0 = all of them in pympler's default order.  FP_EINVAL names the
 * bad key in the tracker's errmsg. */
fp_status fp_tracker_sort(fp_tracker *t, const char *const *keys,
                          size_t nkeys);
fp_status fp_tracker_reverse(fp_tracker *t);
/* Object index at position k of the sorted view (sorting by all keys
 * first if never sorted).  FP_EINVAL past the end. */
fp_status fp_tracker_sorted_object(fp_tracker *t, size_t k, size_t *obj);

/* "---- SUMMARY ---" table: per snapshot, one row per tracked class. */
fp_status fp_tracker_print_summary(const fp_tracker *t, fp_text *out);
/* Per-object report in sorted order: objects whose class name contains
 * clsname (NULL or "": all), at most `limit` of them, or that fraction of
 * all objects when limit < 1 (at least one). */
fp_status fp_tracker_print_stats(fp_tracker *t, const char *clsname,
                                 double limit, fp_text *out);
/* One object's report (pympler's print_object). */
fp_status fp_tracker_print_object(const fp_tracker *t, size_t obj,
                                  fp_text *out);

/* ---- dump files --------------------------------------------------------------
 * A binary, versioned, checksummed file (docs/dump-format.md), written to
 * a temporary file and renamed, so the final name never holds half a file.
 * The reader trusts nothing: any bad length, index or count is an error
 * (FP_ECORRUPT, FP_EFORMAT for a foreign file or version, FP_EIO), never a
 * crash.  errmsg, when not NULL, receives FP_ERRMSG_SIZE bytes at most. */
#define FP_DUMP_VERSION 1
#define FP_ERRMSG_SIZE 256

fp_status fp_tracker_dump(const fp_tracker *t, const char *path,
                          char *errmsg);
fp_status fp_tracker_load(fp_tracker **out, const char *path,
                          const fp_alloc *alloc, char *errmsg);
/* In memory: *buf is allocated with the tracker's allocator; release it
 * with fp_tracker_buffer_free(t, buf). */
fp_status fp_tracker_dump_buffer(const fp_tracker *t, unsigned char **buf,
                                 size_t *len);
void fp_tracker_buffer_free(const fp_tracker *t, unsigned char *buf);
fp_status fp_tracker_load_buffer(fp_tracker **out, const void *buf,
                                 size_t len, const fp_alloc *alloc,
                                 char *errmsg);

/* ---- HTML report ------------------------------------------------------------
 * One self-contained page drawn from a tracker, live or loaded from a dump
 * (docs/report.md): memory over time stacked by class, each snapshot's
 * class table and distribution, and per class its lifetime, coalesced
 * referents and largest instances.  Inline CSS and SVG, no external URL,
 * no script needed; every string from the measured program is escaped.
 * The page is also well-formed XML. */
#define FP_REPORT_LAST ((size_t)-1)

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

void fp_report_opts_init(fp_report_opts *opts);
/* Append the page to out.  opts may be NULL (defaults).  On failure out is
 * left as it was. */
fp_status fp_report_html(const fp_tracker *t, const fp_report_opts *opts,
                         fp_text *out);
/* A page of what changed from before to after (e.g. two dumps, before and
 * after a patch): per class instances, total and average in one snapshot
 * of each (opts->diff_before / diff_after), with deltas, drawn. */
fp_status fp_report_diff_html(const fp_tracker *before,
                              const fp_tracker *after,
                              const fp_report_opts *opts, fp_text *out);
/* Write text to path through a temporary file and a rename, so path never
 * holds half a page.  errmsg, when not NULL, gets FP_ERRMSG_SIZE bytes at
 * most. */
fp_status fp_report_write(const fp_text *text, const char *path,
                          char *errmsg);
/* fp_report_html / fp_report_diff_html, then fp_report_write. */
fp_status fp_report_html_file(const fp_tracker *t,
                              const fp_report_opts *opts, const char *path,
                              char *errmsg);
fp_status fp_report_diff_file(const fp_tracker *before,
                              const fp_tracker *after,
                              const fp_report_opts *opts, const char *path,
                              char *errmsg);

/* ---- formatting -----------------------------------------------------------
 * Exactly as pympler prints: "%4d     B" up to 1024 bytes, else "%7.2f KB"
 * (MB, GB, TB, EB) in steps of 1024.  Returns the length that the full text
 * needs (snprintf-style); buf gets a NUL-terminated, possibly cut copy. */
size_t fp_format_size(double bytes, char *buf, size_t cap);
/* Seconds as "HH:MM:SS.ss", as pympler's pp_timestamp. */
size_t fp_format_time(double seconds, char *buf, size_t cap);

#ifdef __cplusplus
}
#endif

#endif /* FOOTPRINT_H */
