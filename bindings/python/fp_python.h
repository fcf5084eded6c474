/*
 * fp_python.h - the CPython adapter as the SWIG layer and the footprint
 * package see it: a sizer for PyObject graphs plus pympler's per-object
 * helpers.  Every function here must be called with the GIL held; none of
 * them releases it, and none runs Python code of the measured program.
 *
 * Functions returning PyObject * return a new reference, or NULL with a
 * Python exception set.
 */
#ifndef FP_PYTHON_H
#define FP_PYTHON_H

#define PY_SSIZE_T_CLEAN
#include <Python.h>

#include "footprint.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Options, with pympler.asizeof's meaning and defaults. */
typedef struct fp_py_opts {
    size_t align;      /* 1 = none; a power of two */
    size_t limit;      /* FP_NO_LIMIT = none */
    int code;          /* size code: classes, functions, methods, code */
    int ignored;       /* skip the kinds pympler ignores */
    int derive;        /* size an unknown type like its one builtin base */
    int frames;        /* size frame objects */
    int traverse;      /* also follow tp_traverse of opaque C objects */
    Py_ssize_t clip;   /* names: clip reprs longer than this (0: never) */
    int count_duplicates;
} fp_py_opts;

void fp_py_opts_init(fp_py_opts *opts);

/* Run once at import: records the types pympler's rules name. -1 with an
 * exception set on failure. */
int fp_py_init(void);

typedef struct fp_pysizer fp_pysizer;

fp_status fp_py_sizer_new(fp_pysizer **out);
void fp_py_sizer_free(fp_pysizer *s);
fp_status fp_py_sizer_set_opts(fp_pysizer *s, const fp_py_opts *opts);
void fp_py_sizer_get_opts(const fp_pysizer *s, fp_py_opts *opts);

/* Size the objects of the sequence objs; *sizes gets a list of per-object
 * sizes.  Semantics of fp_sizer_size (accumulating until reset). */
fp_status fp_py_sizer_size(fp_pysizer *s, PyObject *objs, PyObject **sizes);
/* As above, and *trees gets one (size, flat, name, refs) tuple per object,
 * refs a tuple of the same shape, detail levels deep.  Names are computed
 * without running code of the measured objects. */
fp_status fp_py_sizer_size_detail(fp_pysizer *s, PyObject *objs,
                                 size_t detail, PyObject **trees);
/* References to these objects are not followed (they stay sizable as
 * roots).  The sizer keeps them alive until fp_py_sizer_free. */
fp_status fp_py_sizer_exclude_refs(fp_pysizer *s, PyObject *objs);
/* Instances of these classes, and the classes, are neither sized nor
 * followed. */
fp_status fp_py_sizer_exclude_types(fp_pysizer *s, PyObject *types);
void fp_py_sizer_reset(fp_pysizer *s);
/* A dict of fp_stats fields plus "excluded_types" (objects skipped because
 * of their type). */
PyObject *fp_py_sizer_stats(fp_pysizer *s);
/* Last error text of the underlying core sizer. */
const char *fp_py_sizer_errmsg(const fp_pysizer *s);

/* pympler's per-object definitions (basicsize, itemsize, leng, flatsize):
 * a tuple (base, item, leng or None, kind name, sized without code=True). */
PyObject *fp_py_typedef(PyObject *obj, int derive);
/* pympler's flatsize: sys.getsizeof without running Python __sizeof__
 * overrides, aligned to align (<= 1: none). */
PyObject *fp_py_flatsize(PyObject *obj, size_t align);
/* The referents asizeof follows for obj (code=True, ignored=False): a list
 * of objects, or of (name, object) pairs when named. */
PyObject *fp_py_refs(PyObject *obj, int named);
/* pympler's name for obj: __name__, else its repr clipped to clip
 * characters (0: not clipped); no code of obj runs. */
PyObject *fp_py_nameof(PyObject *obj, long long clip);

/* ---- class tracking (pytrack.c) ----
 * A core tracker whose handles are Python objects, followed from birth to
 * death without being kept alive (docs/python.md, "How tracking works").
 * The fp_tracker functions the SWIG layer calls for such a tracker: */

fp_status fp_py_tracker_new(fp_tracker **out);
/* Also accepts trackers loaded from dumps (not registered). */
void fp_py_tracker_free(fp_tracker *t);
/* pympler's sizing options (align 8, limit 100), collector held off;
 * when < 0: fp_clock() read inside the call. */
fp_status fp_py_tracker_snapshot(fp_tracker *t, double when, const char *desc,
                                 uint64_t total);
void fp_py_tracker_clear(fp_tracker *t);
void fp_py_tracker_detach_all(fp_tracker *t);

/* Follow obj as an instance of class index cls: True if added, False if
 * followed already.  trace: a str or None.  TypeError when its death could
 * not be seen and keep is false. */
PyObject *fp_py_track_object(fp_tracker *t, PyObject *obj, size_t cls,
                             int level, int keep, PyObject *trace);
/* Give cls an __init__ that tracks its instances as class index (or
 * change the options of the one it has). */
PyObject *fp_py_track_class(fp_tracker *t, PyObject *cls, size_t index,
                            int level, int keep, int trace);
/* Remove it again (KeyError if cls is not tracked). */
PyObject *fp_py_detach_class(fp_tracker *t, PyObject *cls);
PyObject *fp_py_tracked_classes(fp_tracker *t);
/* Track the live instances of cls the collector lists (gc.get_objects)
 * that are not tracked yet, each under its most specialized tracked
 * class; returns how many were added. */
PyObject *fp_py_track_existing(fp_tracker *t, PyObject *cls);
/* The object tracked as number i while it lives, else None. */
PyObject *fp_py_object_ref(fp_tracker *t, size_t i);
/* [(addr, class, birth, death or None, level, repr, trace), ...] */
PyObject *fp_py_object_rows(fp_tracker *t);
/* [(active, sum, avg, pct) per class] in snapshot snap */
PyObject *fp_py_snapshot_classes(fp_tracker *t, size_t snap);
/* [(snapshot, size), ...] where object obj was sized */
PyObject *fp_py_object_sizes(fp_tracker *t, size_t obj);
PyObject *fp_py_dump_bytes(fp_tracker *t);
/* Bytes the adapter holds for t besides the core tracker. */
size_t fp_py_tracker_adapter_memory(fp_tracker *t);
/* Called with the frame that creates an instance of a class tracked with
 * trace=True; returns the trace text (None: no formatter). */
PyObject *fp_py_set_trace_formatter(PyObject *fn);
/* {'types': hooked types, 'class_descriptor': installed, ...} */
PyObject *fp_py_hook_info(void);

/* ---- the heap by type (pycensus.c) ----
 * What pympler's muppy lists: every object the collector tracks (frames
 * only when asked) and the untracked objects they reference, each once.
 * Named and sized without running code of the objects, collector off. */

/* muppy.get_objects: a new list. */
PyObject *fp_py_census_objects(int include_frames);
/* summary.summarize: [[type name, count, size], ...] over objects. */
PyObject *fp_py_census_summarize(PyObject *objects);
/* The same over the whole heap without making the list, leaving out the
 * objects in exclude: (rows, (count, size, failed, census bytes)), at most
 * top rows (<= 0: all), largest first; deep: each row gets a fourth
 * column, its objects' recursive size (asizeof's, shared counted once). */
PyObject *fp_py_census_heap(PyObject *exclude, long long top, int deep);
/* A census now, its largest top types (<= 0: all) kept with snapshot snap
 * of t (the objects of exclude left out): (count, size) over all types. */
PyObject *fp_py_tracker_census(fp_tracker *t, size_t snap,
                               PyObject *exclude, long long top);
/* ([[name, count, size, deep], ...], (count, size)) of snap's census;
 * no rows when none was taken. */
PyObject *fp_py_snapshot_census(fp_tracker *t, size_t snap);
/* Flat sizes of the objects (sys.getsizeof without Python __sizeof__). */
PyObject *fp_py_flat_sizes(PyObject *objects);
/* The objects of type (None: any; by MRO, not isinstance) whose flat size
 * is above min and below max (-1: no bound). */
PyObject *fp_py_census_filter(PyObject *objects, PyObject *type,
                              long long min, long long max);

#ifdef __cplusplus
}
#endif

#endif /* FP_PYTHON_H */
