/*
 * footprint.i - the one SWIG interface every language binding shares.
 *
 * It sees the public headers only: core/footprint.h and, for the HTML
 * pages, report/fp_report.h.  A language's own file (python.i, lua.i)
 * names the module, defines the two hooks below and includes this file.
 * Only the core functions named here are wrapped: the rest of footprint.h
 * stays C-only until a binding needs it (it takes one %rename line to add
 * one).
 *
 * Hooks a language file must define in its %{ %} block:
 *   FP_SWIG_RAISE(st)  set the language's error for status st (st != 0);
 *                      an error the language already has pending wins
 *   FP_SWIG_OK         produce the language's "nothing" result
 * and may define (each has a default below):
 *   FP_SWIG_RAISE_MSG(st, msg)  as FP_SWIG_RAISE with a better message
 *                      (msg may be NULL: use fp_strerror)
 *   FP_SWIG_TRACKER_NEW(out) / _FREE(t) / _SNAPSHOT(t, when, desc, total)
 *   / _CLEAR(t) / _DETACH_ALL(t)   the language's tracker: a core tracker
 *                      with the language's fp_host, and what it must do
 *                      around a snapshot and when objects stop being
 *                      followed (see "class tracker" below)
 */

%{
#include <stdlib.h>
#include <string.h>

#include "footprint.h"
#include "fp_report.h"

/* FP_EVERSION unless the core linked in is the one these headers (and so
 * this binding) were built for.  Bindings refuse to load on a mismatch. */
static fp_status fp_check_version(int header_version)
{
    return fp_version() == header_version ? FP_OK : FP_EVERSION;
}

/* pympler's number formats, as new strings (freed by the wrapper). */
static char *fp_swig_text(size_t (*fn)(double, char *, size_t), double v)
{
    size_t n = fn(v, NULL, 0);
    char *s = malloc(n + 1);
    if (s)
        fn(v, s, n + 1);
    return s;
}

static char *fp_format_size_str(double bytes)
{
    return fp_swig_text(fp_format_size, bytes);
}

static char *fp_format_time_str(double seconds)
{
    return fp_swig_text(fp_format_time, seconds);
}
%}

%{
#ifndef FP_SWIG_RAISE_MSG
#define FP_SWIG_RAISE_MSG(st, msg) \
    do {                           \
        (void)(msg);               \
        FP_SWIG_RAISE(st);         \
    } while (0)
#endif

/* The failure a wrapped call leaves for its wrapper to raise.  The
 * message itself stays where the core keeps it (footprint.h, "errors"): a
 * handle's last message, or a fixed text of this file; only which one is
 * noted here, per thread (two interpreters or Lua states may run at
 * once), and only until the wrapper raises. */
typedef struct fp_swig_err {
    int st;
    const char *msg;        /* NULL: fp_strerror's text */
    fp_tracker *owned;      /* kept for their messages, then freed */
    fp_text *owned_text;
} fp_swig_err;

static _Thread_local fp_swig_err fp_swig_last;

/* Record st and its message (may be NULL) for the wrapper; returns st. */
static fp_status fp_swig_fail(fp_status st, const char *msg)
{
    fp_swig_last.st = st;
    fp_swig_last.msg = msg && *msg ? msg : NULL;
    return st;
}

/* The message left for status st, or NULL. */
static const char *fp_swig_msg(int st)
{
    return fp_swig_last.st == st ? fp_swig_last.msg : NULL;
}

/* Forget what was left (after raising it). */
static void fp_swig_clear(void)
{
    fp_tracker_free(fp_swig_last.owned);
    fp_text_free(fp_swig_last.owned_text);
    fp_swig_last.st = FP_OK;
    fp_swig_last.msg = NULL;
    fp_swig_last.owned = NULL;
    fp_swig_last.owned_text = NULL;
}

/* A tracker of its own, loaded by load(t, arg): NULL on failure, with the
 * tracker's message left for the wrapper (the tracker lives until then). */
static fp_tracker *fp_swig_load_with(fp_status (*load)(fp_tracker *,
                                                       const void *, size_t),
                                     const void *arg, size_t len)
{
    fp_tracker *t = NULL;
    fp_status st = fp_tracker_new(&t, NULL, NULL);

    if (st == FP_OK && (st = load(t, arg, len)) == FP_OK)
        return t;
    fp_swig_fail(st, t ? fp_tracker_errmsg(t) : NULL);
    fp_swig_last.owned = t;
    return NULL;
}
%}

/* Every fp_status return: an error in the host language unless FP_OK. */
%typemap(out) fp_status {
    if ($1 != FP_OK) {
        FP_SWIG_RAISE_MSG($1, fp_swig_msg($1));
        fp_swig_clear();
        SWIG_fail;
    }
    fp_swig_clear();
    FP_SWIG_OK;
}

/* Wrap only what is named below. */
%rename("$ignore", regextarget=1, fullname=1) "^fp_[^:]*$";
%rename("$ignore", regextarget=1, fullname=1) "^FP_[^:]*$";

%rename(version) fp_version;
%rename(strerror) fp_strerror;
%rename(status_name) fp_status_name;
%rename(check_version) fp_check_version;
%rename(format_size) fp_format_size_str;
%rename(format_time) fp_format_time_str;
%rename("%s") FP_VERSION_MAJOR;
%rename("%s") FP_VERSION_MINOR;
%rename("%s") FP_VERSION_PATCH;
%rename("%s") FP_VERSION_NUMBER;
%rename("%s") FP_VERSION_STRING;
%rename("%s") FP_CLASS_KEEP;
%rename("%s") FP_CLASS_TRACE;

%include "footprint.h"

fp_status fp_check_version(int header_version);
%newobject fp_format_size_str;
%newobject fp_format_time_str;
char *fp_format_size_str(double bytes);
char *fp_format_time_str(double seconds);

/* ---- class tracker -------------------------------------------------------
 * One wrapped object, Tracker, over the core's fp_tracker, the same in
 * every language.  Its constructor and a few operations go through hooks a
 * language may define, because a tracker that follows live objects needs
 * the language's fp_host and its help:
 *   FP_SWIG_TRACKER_NEW(fp_tracker **out)   a tracker with the host
 *       (default: a tracker without one, readable but not snapshotable)
 *   FP_SWIG_TRACKER_FREE(t)                 fp_tracker_free and forget t
 *   FP_SWIG_TRACKER_SNAPSHOT(t, when, desc, asizeof_total)
 *       fp_tracker_snapshot with the language's sizing options, its
 *       collector held off
 *   FP_SWIG_TRACKER_CLEAR(t), FP_SWIG_TRACKER_DETACH_ALL(t)
 *       the core's, plus dropping what the language kept for those objects
 * A tracker loaded from a dump (load) has no host; FREE must accept it.
 *
 * Handles cross the interface as unsigned long long; the per-field getters
 * return copies (strings are copied by the wrapper), so nothing handed to
 * the language points into the tracker.  Errors become the language's
 * errors through fp_status or, for calls that return a value, through
 * fp_swig_fail and the %exception below. */
%{
/* The wrapped type: its own name, so that SWIG's generated functions
 * (fp_swig_tracker_<method>) do not collide with the core's. */
typedef struct fp_tracker fp_swig_tracker;

#ifndef FP_SWIG_TRACKER_NEW
#define FP_SWIG_TRACKER_NEW(out) fp_tracker_new((out), NULL, NULL)
#endif
#ifndef FP_SWIG_TRACKER_FREE
#define FP_SWIG_TRACKER_FREE(t) fp_tracker_free(t)
#endif
#ifndef FP_SWIG_TRACKER_SNAPSHOT
#define FP_SWIG_TRACKER_SNAPSHOT(t, when, desc, total) \
    fp_tracker_snapshot((t), (when), (desc), NULL, (total))
#endif
#ifndef FP_SWIG_TRACKER_CLEAR
#define FP_SWIG_TRACKER_CLEAR(t) fp_tracker_clear(t)
#endif
#ifndef FP_SWIG_TRACKER_DETACH_ALL
#define FP_SWIG_TRACKER_DETACH_ALL(t) fp_tracker_detach_all(t)
#endif

/* A failed tracker call, with the tracker's message when it left one. */
static fp_status fp_swig_tfail(const fp_tracker *t, fp_status st)
{
    return fp_swig_fail(st, fp_tracker_errmsg(t));
}

static fp_class_info fp_swig_class(const fp_tracker *t, size_t i)
{
    fp_class_info c = {"", 0, 0};
    fp_status st = fp_tracker_class_info(t, i, &c);
    if (st != FP_OK)
        fp_swig_fail(st, "no such class");
    return c;
}

static fp_object_info fp_swig_object(const fp_tracker *t, size_t i)
{
    fp_object_info o;
    fp_status st;

    memset(&o, 0, sizeof o);
    o.repr = o.trace = "";
    if ((st = fp_tracker_object_info(t, i, &o)) != FP_OK)
        fp_swig_fail(st, "no such object");
    return o;
}

static fp_snapshot_info fp_swig_snap(const fp_tracker *t, size_t i)
{
    fp_snapshot_info s;
    fp_status st;

    memset(&s, 0, sizeof s);
    s.desc = "";
    if ((st = fp_tracker_snapshot_info(t, i, &s)) != FP_OK)
        fp_swig_fail(st, "no such snapshot");
    return s;
}

static fp_detail_entry fp_swig_detail(const fp_tracker *t, size_t snap,
                                      size_t k)
{
    fp_detail_entry d;
    fp_status st;

    memset(&d, 0, sizeof d);
    d.name = "";
    if ((st = fp_tracker_detail_entry(t, snap, k, &d)) != FP_OK)
        fp_swig_fail(st, "no such detail entry");
    return d;
}

static fp_class_stats fp_swig_cstats(const fp_tracker *t, size_t snap,
                                     size_t cls)
{
    fp_class_stats c;
    fp_status st;

    memset(&c, 0, sizeof c);
    if ((st = fp_tracker_class_stats(t, snap, cls, &c)) != FP_OK)
        fp_swig_fail(st, "no such snapshot or class");
    return c;
}

/* Type i of snap's census (a copy; the wrapper copies the name). */
static fp_census_entry fp_swig_census(const fp_tracker *t, size_t snap,
                                      size_t i)
{
    fp_census_entry e;
    fp_status st;

    memset(&e, 0, sizeof e);
    e.name = "";
    if ((st = fp_tracker_census_entry(t, snap, i, &e)) != FP_OK)
        fp_swig_fail(st, "no such snapshot or census type");
    return e;
}

/* A snapshot's census totals; FP_EINVAL past the last snapshot. */
static uint64_t fp_swig_census_total(const fp_tracker *t, size_t snap,
                                     int flat)
{
    uint64_t n = 0, bytes = 0;
    fp_status st = fp_tracker_census_totals(t, snap, &n, &bytes);

    if (st != FP_OK)
        fp_swig_fail(st, "no such snapshot");
    return flat ? bytes : n;
}

/* One type more in snap's census: the types it holds and this one given
 * again whole to fp_tracker_set_census, which merges a repeated name; the
 * totals stay.  One call per type keeps the interface the same in every
 * language (no array typemaps); its cost grows with the square of the
 * types kept, which hosts bound (the largest types only). */
static fp_status fp_swig_census_add(fp_tracker *t, size_t snap,
                                    const char *name, uint64_t count,
                                    uint64_t flat, uint64_t deep)
{
    size_t n = fp_tracker_census_count(t, snap), i;
    uint64_t total = 0, bytes = 0;
    fp_census_entry *e;
    fp_status st = fp_tracker_census_totals(t, snap, &total, &bytes);

    if (st != FP_OK)
        return fp_swig_fail(st, "census_add: no such snapshot");
    if (!name)
        return fp_swig_fail(FP_EINVAL, "census_add: a type needs a name");
    if (!(e = malloc((n + 1) * sizeof *e)))
        return fp_swig_fail(FP_ENOMEM, NULL);
    for (i = 0; i < n; i++)
        fp_tracker_census_entry(t, snap, i, &e[i]);
    e[n].name = name;
    e[n].count = count;
    e[n].flat = flat;
    e[n].deep = deep;
    st = fp_tracker_set_census(t, snap, e, n + 1, total, bytes);
    free(e);
    return st == FP_OK ? st : fp_swig_tfail(t, st);
}

/* A malloc'ed copy of what fn printed into a text buffer, NULL (and the
 * error recorded) on failure. */
static char *fp_swig_text_out(fp_text *text, fp_status st)
{
    char *s = NULL;

    if (st == FP_OK) {
        size_t n = fp_text_len(text);
        s = malloc(n + 1);
        if (s)
            memcpy(s, fp_text_data(text), n + 1);
        else
            st = FP_ENOMEM;
    }
    if (st != FP_OK)
        fp_swig_fail(st, NULL);
    fp_text_free(text);
    return s;
}

/* Sort keys from one string ("size,birth" or "size birth"): the same
 * call in every language, no array typemap. */
static fp_status fp_swig_sort(fp_tracker *t, const char *spec)
{
    char buf[256], *keys[16];
    size_t n = 0, i = 0, len = spec ? strlen(spec) : 0;
    fp_status st;

    if (len >= sizeof buf)
        return fp_swig_fail(FP_EINVAL, "sort: key list too long");
    if (len)
        memcpy(buf, spec, len + 1);
    while (i < len) {
        while (i < len && (buf[i] == ',' || buf[i] == ' '))
            buf[i++] = '\0';
        if (i == len)
            break;
        if (n == sizeof keys / sizeof keys[0])
            return fp_swig_fail(FP_EINVAL, "sort: too many keys");
        keys[n++] = buf + i;
        while (i < len && buf[i] != ',' && buf[i] != ' ')
            i++;
    }
    st = fp_tracker_sort(t, (const char *const *)keys, n);
    return st == FP_OK ? st : fp_swig_tfail(t, st);
}

/* Report options: a negative value keeps the default. */
static void fp_swig_report_opts(fp_report_opts *o, const char *title,
                                long long top_classes, long long top_instances,
                                long long max_classes, long long max_snapshots,
                                long long detail_rows, long long text_chars,
                                int script)
{
    fp_report_opts_init(o);
    o->title = title;
    if (top_classes >= 0)
        o->top_classes = (size_t)top_classes;
    if (top_instances >= 0)
        o->top_instances = (size_t)top_instances;
    if (max_classes >= 0)
        o->max_classes = (size_t)max_classes;
    if (max_snapshots >= 0)
        o->max_snapshots = (size_t)max_snapshots;
    if (detail_rows >= 0)
        o->detail_rows = (size_t)detail_rows;
    if (text_chars >= 0)
        o->text_chars = (size_t)text_chars;
    if (script >= 0)
        o->script = script != 0;
}

static fp_status fp_swig_load_path(fp_tracker *t, const void *path,
                                   size_t len)
{
    (void)len;
    return fp_tracker_load(t, path);
}

static fp_swig_tracker *fp_swig_load(const char *path)
{
    return fp_swig_load_with(fp_swig_load_path, path, 0);
}

/* A page of the report (fp_report.h) written to path; a failure leaves
 * the text's message, so the text is kept until the wrapper raises. */
static fp_status fp_swig_write_page(const fp_tracker *t,
                                    const fp_tracker *after,
                                    const fp_report_opts *o, const char *path)
{
    fp_text *text = NULL;
    fp_status st = fp_text_new(&text, NULL);

    if (st == FP_OK)
        st = after ? fp_report_diff_html(t, after, o, text)
                   : fp_report_html(t, o, text);
    if (st == FP_OK)
        st = fp_text_write(text, path);
    if (st == FP_OK) {
        fp_text_free(text);
        return st;
    }
    fp_swig_fail(st, fp_text_errmsg(text));
    fp_swig_last.owned_text = text;
    return st;
}
%}

%rename(Tracker) fp_swig_tracker;
%rename(load) fp_swig_load;

/* The value-returning calls below report errors through fp_swig_fail. */
%exception {
    fp_swig_clear();
    $action
    if (fp_swig_last.st != FP_OK) {
        int st_ = fp_swig_last.st;
        FP_SWIG_RAISE_MSG(st_, fp_swig_msg(st_));
        fp_swig_clear();
        SWIG_fail;
    }
}

typedef struct {} fp_swig_tracker;

%newobject fp_swig_tracker::print_summary;
%newobject fp_swig_tracker::print_stats;
%newobject fp_swig_tracker::print_object;

%extend fp_swig_tracker {
    fp_swig_tracker() {
        fp_tracker *t = NULL;
        fp_status st = FP_SWIG_TRACKER_NEW(&t);
        if (st != FP_OK)
            fp_swig_fail(st, NULL);
        return t;
    }
    ~fp_swig_tracker() {
        FP_SWIG_TRACKER_FREE($self);
    }
    /* Register a class (or update the one of that name): its index. */
    size_t add_class(const char *name, int resolution_level = 0,
                     unsigned flags = 0) {
        size_t i = 0;
        fp_status st = fp_tracker_add_class($self, name, resolution_level,
                                            flags, &i);
        if (st != FP_OK)
            fp_swig_fail(st, "add_class: a non-empty name, level 0..255 "
                             "and known flags");
        return i;
    }
    /* Index of the class of that name, -1 if there is none. */
    long long find_class(const char *name) {
        size_t i = 0;
        return fp_tracker_find_class($self, name, &i) == FP_OK ? (long long)i
                                                               : -1;
    }
    /* 1 if added, 0 if the handle was tracked and alive already. */
    int track(unsigned long long handle, size_t cls, double when,
              int resolution_level = 0, const char *repr = NULL,
              const char *trace = NULL) {
        int added = 0;
        fp_status st = fp_tracker_track($self, (fp_handle)handle, cls, when,
                                        resolution_level, repr, trace,
                                        &added);
        if (st != FP_OK)
            fp_swig_fail(st, NULL);
        return added;
    }
    fp_status died(unsigned long long handle, double when) {
        return fp_tracker_died($self, (fp_handle)handle, when);
    }
    int is_tracked(unsigned long long handle) {
        return fp_tracker_is_tracked($self, (fp_handle)handle);
    }
    fp_status set_class(unsigned long long handle, size_t cls) {
        return fp_tracker_set_class($self, (fp_handle)handle, cls);
    }
    fp_status set_level(unsigned long long handle, int level) {
        return fp_tracker_set_level($self, (fp_handle)handle, level);
    }
    fp_status set_repr(unsigned long long handle, const char *repr) {
        return fp_tracker_set_repr($self, (fp_handle)handle, repr);
    }
    void detach_all() {
        FP_SWIG_TRACKER_DETACH_ALL($self);
    }
    void clear() {
        FP_SWIG_TRACKER_CLEAR($self);
    }
    fp_status snapshot(double when, const char *desc = NULL,
                       unsigned long long asizeof_total = 0) {
        fp_status st = FP_SWIG_TRACKER_SNAPSHOT($self, when, desc,
                                                (uint64_t)asizeof_total);
        return st == FP_OK ? st : fp_swig_tfail($self, st);
    }

    size_t class_count() { return fp_tracker_class_count($self); }
    size_t object_count() { return fp_tracker_object_count($self); }
    size_t live_count() { return fp_tracker_live_count($self); }
    size_t snapshot_count() { return fp_tracker_snapshot_count($self); }

    const char *class_name(size_t i) { return fp_swig_class($self, i).name; }
    int class_level(size_t i) {
        return fp_swig_class($self, i).resolution_level;
    }
    unsigned class_flags(size_t i) { return fp_swig_class($self, i).flags; }

    unsigned long long object_addr(size_t i) {
        return fp_swig_object($self, i).addr;
    }
    size_t object_class(size_t i) { return fp_swig_object($self, i).cls; }
    double object_birth(size_t i) { return fp_swig_object($self, i).birth; }
    int object_dead(size_t i) { return fp_swig_object($self, i).dead; }
    /* 0 while alive (see object_dead). */
    double object_death(size_t i) { return fp_swig_object($self, i).death; }
    int object_level(size_t i) {
        return fp_swig_object($self, i).resolution_level;
    }
    const char *object_repr(size_t i) { return fp_swig_object($self, i).repr; }
    const char *object_trace(size_t i) {
        return fp_swig_object($self, i).trace;
    }
    /* Index of the live tracked object with this handle, -1 if none. */
    long long object_index(unsigned long long handle) {
        size_t i = 0;
        return fp_tracker_object_index($self, (fp_handle)handle, &i) == FP_OK
                   ? (long long)i
                   : -1;
    }

    double snapshot_timestamp(size_t i) {
        return fp_swig_snap($self, i).timestamp;
    }
    const char *snapshot_desc(size_t i) { return fp_swig_snap($self, i).desc; }
    unsigned long long snapshot_tracked_total(size_t i) {
        return fp_swig_snap($self, i).tracked_total;
    }
    unsigned long long snapshot_asizeof_total(size_t i) {
        return fp_swig_snap($self, i).asizeof_total;
    }
    unsigned long long snapshot_overhead(size_t i) {
        return fp_swig_snap($self, i).overhead;
    }
    unsigned long long snapshot_vsize(size_t i) {
        return fp_swig_snap($self, i).procmem.vsize;
    }
    unsigned long long snapshot_rss(size_t i) {
        return fp_swig_snap($self, i).procmem.rss;
    }
    unsigned long long snapshot_peak_rss(size_t i) {
        return fp_swig_snap($self, i).procmem.peak_rss;
    }
    size_t snapshot_nsized(size_t i) { return fp_swig_snap($self, i).nsized; }

    /* Size of object obj in snapshot snap, -1 if it was not sized then. */
    long long object_size(size_t snap, size_t obj) {
        uint64_t size = 0;
        fp_status st = fp_tracker_object_size($self, snap, obj, &size);
        if (st == FP_ENOTFOUND)
            return -1;
        if (st != FP_OK)
            fp_swig_fail(st, "no such snapshot");
        return (long long)size;
    }
    /* The detail entries recorded for obj in snap: detail_count of them
     * from detail_first, in preorder (depth 0 is the object). */
    size_t detail_first(size_t snap, size_t obj) {
        size_t first = 0, n = 0;
        fp_status st = fp_tracker_object_detail($self, snap, obj, &first, &n);
        if (st != FP_OK)
            fp_swig_fail(st, "no such snapshot");
        return first;
    }
    size_t detail_count(size_t snap, size_t obj) {
        size_t first = 0, n = 0;
        fp_status st = fp_tracker_object_detail($self, snap, obj, &first, &n);
        if (st != FP_OK)
            fp_swig_fail(st, "no such snapshot");
        return n;
    }
    unsigned detail_depth(size_t snap, size_t k) {
        return fp_swig_detail($self, snap, k).depth;
    }
    const char *detail_name(size_t snap, size_t k) {
        return fp_swig_detail($self, snap, k).name;
    }
    unsigned long long detail_size(size_t snap, size_t k) {
        return fp_swig_detail($self, snap, k).size;
    }
    unsigned long long detail_flat(size_t snap, size_t k) {
        return fp_swig_detail($self, snap, k).flat;
    }

    size_t class_active(size_t snap, size_t cls) {
        return fp_swig_cstats($self, snap, cls).active;
    }
    unsigned long long class_sum(size_t snap, size_t cls) {
        return fp_swig_cstats($self, snap, cls).sum;
    }
    double class_avg(size_t snap, size_t cls) {
        return fp_swig_cstats($self, snap, cls).avg;
    }
    double class_pct(size_t snap, size_t cls) {
        return fp_swig_cstats($self, snap, cls).pct;
    }

    /* A snapshot's heap by type (footprint.h, "census"): set_census
     * starts it afresh with the totals over every type the host counted,
     * census_add adds the types kept, one a call (a name given twice is
     * summed; more than the totals is an error).  Read back largest flat
     * first. */
    fp_status set_census(size_t snap, unsigned long long total_objects,
                         unsigned long long total_flat) {
        fp_status st = fp_tracker_set_census($self, snap, NULL, 0,
                                             total_objects, total_flat);
        return st == FP_OK ? st : fp_swig_tfail($self, st);
    }
    fp_status census_add(size_t snap, const char *name,
                         unsigned long long objects, unsigned long long flat,
                         unsigned long long deep = 0) {
        return fp_swig_census_add($self, snap, name, objects, flat, deep);
    }
    /* Types kept in snap's census (0: none taken). */
    size_t census_count(size_t snap) {
        if (snap >= fp_tracker_snapshot_count($self))
            fp_swig_fail(FP_EINVAL, "no such snapshot");
        return fp_tracker_census_count($self, snap);
    }
    const char *census_name(size_t snap, size_t i) {
        return fp_swig_census($self, snap, i).name;
    }
    unsigned long long census_objects(size_t snap, size_t i) {
        return fp_swig_census($self, snap, i).count;
    }
    unsigned long long census_flat(size_t snap, size_t i) {
        return fp_swig_census($self, snap, i).flat;
    }
    /* 0 when the host did not size the type recursively. */
    unsigned long long census_deep(size_t snap, size_t i) {
        return fp_swig_census($self, snap, i).deep;
    }
    unsigned long long census_total_objects(size_t snap) {
        return fp_swig_census_total($self, snap, 0);
    }
    unsigned long long census_total_flat(size_t snap) {
        return fp_swig_census_total($self, snap, 1);
    }

    /* Keys separated by commas or spaces; none: pympler's default order. */
    fp_status sort(const char *keys = NULL) {
        return fp_swig_sort($self, keys);
    }
    fp_status reverse() { return fp_tracker_reverse($self); }
    size_t sorted_object(size_t k) {
        size_t obj = 0;
        fp_status st = fp_tracker_sorted_object($self, k, &obj);
        if (st != FP_OK)
            fp_swig_fail(st, "sorted_object: past the end");
        return obj;
    }

    char *print_summary() {
        fp_text *text = NULL;
        fp_status st = fp_text_new(&text, NULL);
        if (st == FP_OK)
            st = fp_tracker_print_summary($self, text);
        return fp_swig_text_out(text, st);
    }
    char *print_stats(const char *clsname = NULL, double limit = 1.0) {
        fp_text *text = NULL;
        fp_status st = fp_text_new(&text, NULL);
        if (st == FP_OK)
            st = fp_tracker_print_stats($self, clsname, limit, text);
        return fp_swig_text_out(text, st);
    }
    char *print_object(size_t obj) {
        fp_text *text = NULL;
        fp_status st = fp_text_new(&text, NULL);
        if (st == FP_OK)
            st = fp_tracker_print_object($self, obj, text);
        return fp_swig_text_out(text, st);
    }

    fp_status dump(const char *path) {
        fp_status st = fp_tracker_dump($self, path);
        return st == FP_OK ? st : fp_swig_tfail($self, st);
    }
    /* Bytes the core tracker holds. */
    size_t memory() { return fp_tracker_memory($self); }

    /* The HTML report (docs/report.md); negative numbers keep defaults. */
    fp_status html(const char *path, const char *title = NULL,
                   long long top_classes = -1, long long top_instances = -1,
                   long long max_classes = -1, long long max_snapshots = -1,
                   long long detail_rows = -1, long long text_chars = -1,
                   int script = -1) {
        fp_report_opts o;
        fp_swig_report_opts(&o, title, top_classes, top_instances,
                            max_classes, max_snapshots, detail_rows,
                            text_chars, script);
        return fp_swig_write_page($self, NULL, &o, path);
    }
    /* The diff page from this tracker (before) to after; snapshots
     * negative: the last of each. */
    fp_status diff_html(fp_swig_tracker *after, const char *path,
                        const char *title = NULL, long long before_snap = -1,
                        long long after_snap = -1) {
        fp_report_opts o;
        fp_swig_report_opts(&o, title, -1, -1, -1, -1, -1, -1, -1);
        if (before_snap >= 0)
            o.diff_before = (size_t)before_snap;
        if (after_snap >= 0)
            o.diff_after = (size_t)after_snap;
        if (!after)
            return FP_EINVAL;
        return fp_swig_write_page($self, after, &o, path);
    }
    const char *errmsg() { return fp_tracker_errmsg($self); }
}

%newobject fp_swig_load;
fp_swig_tracker *fp_swig_load(const char *path);

%exception;
