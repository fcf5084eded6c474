/*
 * footprint.h - the one public header of libfootprint, the core.
 *
 * footprint sizes graphs of objects it cannot see.  A host (the CPython
 * adapter, the Lua adapter, a test, a benchmark) hands the core opaque
 * handles and a table of callbacks that answer questions about them; the
 * core walks the graph iteratively, counts every reachable object once and
 * reports totals, per-root sizes and, on request, a tree of named referents.
 *
 * Conventions: every function that can fail returns fp_status (FP_OK == 0);
 * a handle that has more to say keeps the message of its last failure
 * ("errors" below).  Constructors are fp_x_new(fp_x **out, ...);
 * fp_x_free(NULL) is a no-op.  Memory comes from one realloc-style hook
 * given at creation (NULL: libc).  Nothing outside this header is API of
 * the core; the HTML report is a layer above it with its own header
 * (report/fp_report.h), built on this one alone.
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

/* ---- errors --------------------------------------------------------------
 * One channel: the status a call returns, and the handle it worked on
 * keeps a message saying what failed and where (a file, a byte offset, an
 * object): fp_sizer_errmsg, fp_tracker_errmsg, fp_text_errmsg.  A call
 * that can leave a message clears it when it starts, so after a failure
 * the message is that failure's ("" if it had nothing to add to the
 * status).  Messages are owned by the handle, valid until its next call,
 * and at most FP_ERRMSG_SIZE bytes with the NUL, so a binding may copy one
 * into a buffer of that size. */
#define FP_ERRMSG_SIZE 256

/* ---- memory ------------------------------------------------------------
 * realloc-style: fn(ud, ptr, 0) frees ptr and returns NULL; otherwise it
 * behaves as realloc(ptr, size).  A NULL return for size > 0 is a failure
 * and must leave ptr untouched.  Tests use it to fail the Nth allocation. */
typedef void *(*fp_realloc_fn)(void *ud, void *ptr, size_t size);

typedef struct fp_alloc {
    fp_realloc_fn fn;
    void *ud;
} fp_alloc;

/* Allocation through a hook, for code built on the core (the report) that
 * must honour the same hook: a NULL hook, or one whose fn is NULL, is
 * libc.  The caller owns what fp_mem_alloc and fp_mem_realloc return and
 * gives it back with fp_mem_free through the same hook.  Both return NULL
 * for size 0 or on failure; fp_mem_realloc then leaves ptr untouched.
 * fp_mem_free(a, NULL) is a no-op. */
void *fp_mem_alloc(const fp_alloc *a, size_t size);
void *fp_mem_realloc(const fp_alloc *a, void *ptr, size_t size);
void fp_mem_free(const fp_alloc *a, void *ptr);
/* n * size, or 0 when it does not fit in size_t. */
size_t fp_mul_size(size_t n, size_t size);

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
 * and then, for each referent h it meets, calls fp_sizer_visit(h, &enter):
 * FP_OK with *enter 1 to enter it (it is now seen), 0 not to (sized
 * before, or excluded); FP_ENOMEM when the visited set cannot grow.  Each entered object the host does not skip (FP_INFO_SKIP
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
fp_status fp_sizer_visit(fp_sizer *sizer, fp_handle h, int *enter);
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

/* ---- census: every object a host finds, by class ---------------------------
 * pympler's muppy and summary in C.  The host enumerates what it can find
 * (Python: what the collector tracks and the untracked objects those
 * reference; Lua: what the registry reaches) and hands each object to
 * fp_census_add; the census counts it once, under the class inspect()
 * names, with inspect's flat size (not aligned: sys.getsizeof's figure).
 * Objects inspect marks FP_INFO_SKIP count all the same: a census counts
 * everything there is.  No referent is followed.  An object the host
 * cannot read (inspect answers FP_EHOST) is counted as failed, in no row.
 *
 * With FP_CENSUS_DEEP the census also keeps every object it counted, and
 * fp_census_deep sizes each row's objects recursively with a sizer the
 * caller made (its host, options and exclusions), rows in their order, so
 * an object shared between rows counts once, for the first.
 */
typedef struct fp_census fp_census;

#define FP_CENSUS_DEEP 1u

typedef struct fp_census_row {
    fp_handle cls;   /* inspect's class (0: the host said none) */
    uint64_t count;  /* objects */
    uint64_t flat;   /* the sum of their flat sizes */
    uint64_t deep;   /* fp_census_deep's figure; 0 before it ran */
} fp_census_row;

fp_status fp_census_new(fp_census **out, const fp_host *host,
                        unsigned flags, const fp_alloc *alloc);
void fp_census_free(fp_census *census);
/* Forget every object and row (keeps memory and the exclusions). */
void fp_census_clear(fp_census *census);
/* Never count obj (the census's own objects, a tool's): before or after
 * it was added; a later add of it is ignored.  The census keeps no class
 * or size per object, so one excluded after it was counted is taken back
 * out of its row as inspect describes it now (an object that failed is
 * taken out of failed).  When inspect cannot answer, or names a class
 * with nothing counted, the object stays counted and the call says so
 * (FP_EHOST or inspect's status, with a message); it is excluded all the
 * same.  FP_ENOMEM changes nothing. */
fp_status fp_census_exclude(fp_census *census, fp_handle obj);
/* Count obj once: *added (may be NULL) is 1 when it is counted in a row
 * now, 0 when it was counted, excluded or failed before, or fails now.
 * FP_OK also when the host could not read it (counted in failed);
 * FP_ENOMEM (nothing changed), or any other status inspect returned. */
fp_status fp_census_add(fp_census *census, fp_handle obj, int *added);
/* fp_census_add for an object the host hands over once only (each object
 * of a list without repeats: a collector's list of what it tracks).  The
 * census does not remember it, which saves a look-up and the memory of a
 * seen object: exclusions made before apply, but one made after cannot
 * take it back out, and a later add of it counts it again.  One the host
 * cannot read counts in failed.  Same answers as fp_census_add. */
fp_status fp_census_add_unique(fp_census *census, fp_handle obj, int *added);
/* Number of rows (classes with at least one object counted), and row i,
 * largest flat first (ties: more objects first, then the lower class
 * handle).  Adding or excluding after reading reorders them. */
size_t fp_census_rows(fp_census *census);
fp_status fp_census_read(fp_census *census, size_t i, fp_census_row *out);
/* Totals over every row; failed: objects the host could not read. */
void fp_census_totals(const fp_census *census, uint64_t *count,
                      uint64_t *flat, uint64_t *failed);
/* FP_CENSUS_DEEP only (FP_EINVAL otherwise): each row's objects sized as
 * the roots of one fp_sizer_size call of sizer, rows in order; the row's
 * deep is what that call added.  The sizer is reset first.  A later add
 * or exclusion zeroes every row's deep; so does a failed call, which
 * returns the sizer's status (the sizer's message is in the census's). */
fp_status fp_census_deep(fp_census *census, fp_sizer *sizer);
/* Bytes the census holds (its visited set, rows and kept objects). */
size_t fp_census_memory(const fp_census *census);
/* Message of the last failed call ("" if none). */
const char *fp_census_errmsg(const fp_census *census);

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
 * A growing buffer of bytes that the printers (and the report) append to;
 * bindings hand its contents to their own streams, or write it to a file
 * with fp_text_write.  An append that cannot allocate is dropped and
 * remembered: a printer checks fp_text_status once at the end instead of
 * after every line. */
typedef struct fp_text fp_text;

/* alloc may be NULL (libc). */
fp_status fp_text_new(fp_text **out, const fp_alloc *alloc);
void fp_text_free(fp_text *text);
const char *fp_text_data(const fp_text *text); /* NUL-terminated */
size_t fp_text_len(const fp_text *text);
/* Empty it and forget a failed append; keeps its memory. */
void fp_text_clear(fp_text *text);
/* Append s[0..n) (bytes: it may hold NULs). */
void fp_text_put(fp_text *text, const char *s, size_t n);
void fp_text_printf(fp_text *text, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;
/* FP_ENOMEM if an append was dropped since the text was made or cleared
 * (or cut back by fp_text_truncate), else FP_OK. */
fp_status fp_text_status(const fp_text *text);
/* Cut the text back to its first len bytes (nothing if it is shorter) and
 * forget a failed append: how a printer takes back half its output. */
void fp_text_truncate(fp_text *text, size_t len);
/*
 * Write the text to path atomically, as dumps are written: a new file
 * next to path (created exclusively, with the permissions any new file
 * gets), every byte written and synced, renamed over path, then
 * the directory synced.  path therefore holds the old file or the whole
 * new one, never part of one, whatever happens (a full disk, a crash).  On
 * failure (FP_EIO; FP_ENOMEM, also for a text with a dropped append) the
 * temporary file is gone, path is untouched and fp_text_errmsg names the
 * step, the file and the system's reason.
 */
fp_status fp_text_write(fp_text *text, const char *path);
/* Message of the last failed fp_text_write ("" if none; "errors" above). */
const char *fp_text_errmsg(const fp_text *text);

/* ---- UTF-8 -----------------------------------------------------------------
 * Text from the measured program (class names, reprs, traces, referent
 * names) is bytes, usually UTF-8 and sometimes not.  Every printer counts
 * and cuts it the same way: a character is one well-formed sequence (RFC
 * 3629: no overlong form, no surrogate, nothing past U+10FFFF) or, where
 * none starts, a single byte, which is how the report shows it (one U+FFFD
 * per such byte).  That is Python's len() of the text as the bindings hand
 * it over (decoded with surrogateescape: one character per bad byte). */

/* Length of the well-formed sequence at s[0..n), 0 if none starts there
 * (or n is 0); *cp (may be NULL) gets its code point. */
size_t fp_utf8_decode(const char *s, size_t n, uint32_t *cp);
/* Where no well-formed sequence starts at s[0..n) (n > 0): the bytes one
 * U+FFFD stands for in Unicode's recommended practice ("maximal subpart",
 * Python's errors="replace"), 1 to 3. */
size_t fp_utf8_ill_formed(const char *s, size_t n);
/* Characters in s[0..n). */
size_t fp_utf8_count(const char *s, size_t n);
/* Byte offset after the first k characters of s[0..n) (n if fewer). */
size_t fp_utf8_skip(const char *s, size_t n, size_t k);

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
    FP_CLASS_TRACE = 1u << 1  /* the host records instantiation traces */
};

/* "No snapshot given: the last one" (fp_diff_new, the report's options). */
#define FP_SNAPSHOT_LAST ((size_t)-1)

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
    int detached;            /* no longer followed (fp_tracker_detach_all) */
    int resolution_level;
    const char *repr;        /* "" if none */
    const char *trace;       /* "" if none */
} fp_object_info;

/* pympler's rule for an object counted active in a snapshot taken at ts:
 * born before it and not dead by it.  The tracker counts by it; code that
 * counts from fp_object_info (the report, once per object per snapshot)
 * uses it too, hence a macro. */
#define FP_ACTIVE_AT(birth, dead, death, ts)                                 \
    ((birth) < (ts) && (!(dead) || (death) > (ts)))

typedef struct fp_snapshot_info {
    double timestamp;
    const char *desc;
    uint64_t tracked_total;  /* bytes of all tracked objects */
    uint64_t asizeof_total;  /* host's total of everything, 0 if not asked */
    uint64_t overhead;       /* bytes the tracker itself held */
    fp_procmem procmem;      /* all 0 if the platform could not say */
    size_t nsized;           /* objects sized in this snapshot */
    size_t ndetail;          /* detail entries recorded in it */
} fp_snapshot_info;

typedef struct fp_class_stats {
    size_t active;           /* born before and not dead at the snapshot */
    uint64_t sum;            /* bytes of its instances sized then */
    double avg;              /* sum / active, 0 if none */
    double pct;              /* sum as a share of process memory (rss) */
} fp_class_stats;

/* One node of a recorded per-referent detail tree, in preorder. */
typedef struct fp_detail_entry {
    size_t obj;              /* the tracked object whose tree it is in */
    uint32_t depth;          /* 0 = the tracked object itself */
    const char *name;
    uint64_t size, flat;
} fp_detail_entry;

/* host may be NULL (a read-only tracker, e.g. for tests or a CLI). */
fp_status fp_tracker_new(fp_tracker **out, const fp_host *host,
                         const fp_alloc *alloc);
void fp_tracker_free(fp_tracker *t);
/* Message of the last failed snapshot, sort, dump or load ("errors"). */
const char *fp_tracker_errmsg(const fp_tracker *t);
/* The hook t allocates with (libc's if none was given): code built on the
 * tracker (the report) takes its scratch memory from it too, so a failing
 * hook fails that code the same way. */
void fp_tracker_allocator(const fp_tracker *t, fp_alloc *out);
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
/* Index of the last snapshot described desc; FP_ENOTFOUND if none. */
fp_status fp_tracker_find_snapshot(const fp_tracker *t, const char *desc,
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
/* Objects first .. first + n - 1 into out[0..n); FP_EINVAL past the end.
 * A batch a call: a report reads every object. */
fp_status fp_tracker_object_infos(const fp_tracker *t, size_t first,
                                  size_t n, fp_object_info *out);
/* Index of the live tracked object with handle obj. */
fp_status fp_tracker_object_index(const fp_tracker *t, fp_handle obj,
                                  size_t *i);
fp_status fp_tracker_snapshot_info(const fp_tracker *t, size_t i,
                                   fp_snapshot_info *out);
/* Entries first .. first + n - 1 of snapshot snap's sizes (nsized of
 * them, object indices ascending) into obj[0..n) and size[0..n) (either
 * may be NULL); FP_EINVAL past the end.  A batch a call: a report reads
 * every entry of every snapshot. */
fp_status fp_tracker_snapshot_entries(const fp_tracker *t, size_t snap,
                                      size_t first, size_t n, size_t *obj,
                                      uint64_t *size);
/* Size of object obj in snapshot snap; FP_ENOTFOUND if it was not sized. */
fp_status fp_tracker_object_size(const fp_tracker *t, size_t snap,
                                 size_t obj, uint64_t *size);
/* The detail tree recorded for obj in snapshot snap (n = 0 if none).
 * Entry k: fp_tracker_detail_entry(t, snap, first + k).  All of a
 * snapshot's entries (ndetail) are grouped by object, objects ascending. */
fp_status fp_tracker_object_detail(const fp_tracker *t, size_t snap,
                                   size_t obj, size_t *first, size_t *n);
fp_status fp_tracker_detail_entry(const fp_tracker *t, size_t snap,
                                  size_t k, fp_detail_entry *out);
/* Entries first .. first + n - 1 into out[0..n); FP_EINVAL past the end.
 * A batch a call: a report merges every entry of every snapshot. */
fp_status fp_tracker_detail_entries(const fp_tracker *t, size_t snap,
                                    size_t first, size_t n,
                                    fp_detail_entry *out);
fp_status fp_tracker_class_stats(const fp_tracker *t, size_t snap,
                                 size_t cls, fp_class_stats *out);
/* The same for every class at once, in one pass: out has
 * fp_tracker_class_count(t) entries. */
fp_status fp_tracker_snapshot_classes(const fp_tracker *t, size_t snap,
                                      fp_class_stats *out);
/* Bytes the tracker holds (its own overhead). */
size_t fp_tracker_memory(const fp_tracker *t);

/* A snapshot's heap by type: what a census found when it was taken, named
 * by the host.  The tracker keeps it with the snapshot, dumps it, and the
 * report and the CLI show it.  */
typedef struct fp_census_entry {
    const char *name;    /* the type as the host names it ("dict") */
    uint64_t count;      /* objects */
    uint64_t flat;       /* bytes, sum of flat sizes */
    uint64_t deep;       /* recursive bytes, 0 when not measured */
} fp_census_entry;

/* Attach n entries (copied, names interned; the host may keep only the
 * largest types) and the census's totals over every type to snapshot
 * snap, replacing what it had.  Entries of one name are summed into one
 * (names are what dumps and diffs match types by).  FP_EINVAL, and
 * nothing changed, for a NULL name or when the entries count more
 * objects or bytes than the totals. */
fp_status fp_tracker_set_census(fp_tracker *t, size_t snap,
                                const fp_census_entry *entries, size_t n,
                                uint64_t total_count, uint64_t total_flat);
/* Entries of snap's census, largest flat first (0: none taken). */
size_t fp_tracker_census_count(const fp_tracker *t, size_t snap);
fp_status fp_tracker_census_entry(const fp_tracker *t, size_t snap, size_t i,
                                  fp_census_entry *out);
/* The totals given with snap's census (0, 0 when none was taken). */
fp_status fp_tracker_census_totals(const fp_tracker *t, size_t snap,
                                   uint64_t *count, uint64_t *flat);
/* 1 when snap took a census (totals or types recorded); 0 otherwise, and
 * for a snapshot past the end (FP_SNAPSHOT_LAST included). */
int fp_tracker_census_taken(const fp_tracker *t, size_t snap);
/* 1 when snap's census kept every type it counted (its types' objects
 * and bytes add up to its totals): a type it does not hold had no object
 * then.  0 otherwise: a type missing may only have been too small to
 * keep, and its figures are unknown. */
int fp_tracker_census_complete(const fp_tracker *t, size_t snap);

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
 * A binary, versioned, checksummed file (docs/dump-format.md), written as
 * fp_text_write writes (so the final name never holds half a file).  The
 * reader trusts nothing: any bad length, index or count is an error
 * (FP_ECORRUPT, FP_EFORMAT for a foreign file or version, FP_EIO), never a
 * crash.  Each leaves its reason in fp_tracker_errmsg(t). */
#define FP_DUMP_VERSION 2

/* t's contents are only read; its message is set. */
fp_status fp_tracker_dump(fp_tracker *t, const char *path);
/* In memory: *buf is allocated with the tracker's allocator; release it
 * with fp_tracker_buffer_free(t, buf). */
fp_status fp_tracker_dump_buffer(fp_tracker *t, unsigned char **buf,
                                 size_t *len);
void fp_tracker_buffer_free(const fp_tracker *t, unsigned char *buf);
/* Read a dump into t, which must have no host (FP_EINVAL: its host would
 * be asked about handles of another run).  On success the dump's classes,
 * objects and snapshots replace what t held; on failure its contents are
 * unchanged and its message says what was wrong and where ("PATH:
 * truncated in section 'objects' ... at byte 1234"). */
fp_status fp_tracker_load(fp_tracker *t, const char *path);
fp_status fp_tracker_load_buffer(fp_tracker *t, const void *buf, size_t len);

/* ---- comparing two trackers -----------------------------------------------
 * The class-by-class model behind `footprint diff` and the report's diff
 * page: one snapshot of each tracker (two dumps of a program, before and
 * after a change), classes matched by name, since class indices mean
 * nothing across runs. */
#define FP_CLASS_NONE ((size_t)-1)

typedef struct fp_class_delta {
    const char *name;        /* owned by the tracker it comes from */
    size_t cls[2];           /* index in before [0] and after [1], or
                                FP_CLASS_NONE where the class is absent */
    size_t active[2];        /* as fp_class_stats; 0 where absent */
    uint64_t sum[2];
} fp_class_delta;

typedef struct fp_diff fp_diff;

/* Compare snapshot snap_before of before with snap_after of after; each
 * is an index or FP_SNAPSHOT_LAST (the last; a tracker with none then
 * counts nothing); FP_EINVAL past the end.  Rows: every class of after in
 * its order, then those only before has, in theirs.  alloc may be NULL
 * (libc).  Both trackers must outlive *out, which holds their names. */
fp_status fp_diff_new(fp_diff **out, const fp_tracker *before,
                      size_t snap_before, const fp_tracker *after,
                      size_t snap_after, const fp_alloc *alloc);
void fp_diff_free(fp_diff *diff);
size_t fp_diff_count(const fp_diff *diff);
/* Row i, NULL past the end; owned by diff. */
const fp_class_delta *fp_diff_row(const fp_diff *diff, size_t i);
/* The snapshot compared on side 0 (before) or 1 (after), FP_SNAPSHOT_LAST
 * if that tracker has none. */
size_t fp_diff_snapshot(const fp_diff *diff, int side);

/* The two snapshots' censuses (fp_tracker_set_census), type by type,
 * matched by name: every type of after's census in its order (largest
 * first), then those only before's kept.  None when neither snapshot has
 * a census.  A type a census did not keep (hosts keep the largest) reads
 * 0 on that side, with kept 0; known says whether that 0 is a figure (the
 * census kept every type: fp_tracker_census_complete) or unknown. */
typedef struct fp_type_delta {
    const char *name;        /* owned by the tracker it comes from */
    int kept[2];             /* 1 where that side's census holds it */
    int known[2];            /* kept, or that side's census is complete */
    uint64_t count[2];       /* objects, before [0] and after [1] */
    uint64_t flat[2];        /* bytes */
} fp_type_delta;

size_t fp_diff_type_count(const fp_diff *diff);
/* Type row i, NULL past the end; owned by diff. */
const fp_type_delta *fp_diff_type(const fp_diff *diff, size_t i);
/* The types that grew (more bytes after, or as many bytes and more
 * objects), the largest growth in bytes first, then in objects, then by
 * name: what `footprint diff` and the report's diff page list.  Growth
 * is reckoned from the figures as they read (an unknown before as 0). */
size_t fp_diff_grown_count(const fp_diff *diff);
const fp_type_delta *fp_diff_grown(const fp_diff *diff, size_t i);

/* ---- the clock -------------------------------------------------------------
 * Seconds since the first call in this process, on a monotonic clock: what
 * every host stamps births, deaths and snapshots with, so that a dump's
 * times mean the same whatever wrote them (pympler's are seconds since its
 * import).  A host calls it once when it loads to set the origin.  Safe
 * from any thread. */
double fp_clock(void);

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
