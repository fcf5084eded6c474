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
 * (fp_stats.failed), treats that object as size 0 with no referents and goes
 * on.  Any other non-OK status aborts the whole operation and is returned.
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
