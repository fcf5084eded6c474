/*
 * python.i - the Python part of the bindings: footprint._core.
 *
 * Built with -builtin, so _core is one C extension module (no generated
 * .py shadow to ship).  Adds to the shared interface: status codes as
 * exception classes made from FP_STATUS_TABLE, process memory as a dict,
 * and the CPython adapter (bindings/python/fp_python.h): a Sizer class and
 * pympler's per-object helpers.
 */
%module(package="footprint") core

%{
#include "fp_python.h"

/* footprint._core.Error and one subclass per status (index: its value). */
static PyObject *fp_swig_error;
static PyObject *fp_swig_errors[FP_STATUS_COUNT_];

/* msg (may be NULL: the status's own text) becomes the exception's text;
 * the status stays readable as .status and .name. */
static void fp_swig_raise_msg(int st, const char *msg)
{
    PyObject *cls, *exc, *v;

    if (PyErr_Occurred())
        return; /* a Python error on the way (MemoryError) says more */
    cls = st > 0 && st < FP_STATUS_COUNT_ && fp_swig_errors[st]
              ? fp_swig_errors[st]
              : fp_swig_error;
    exc = PyObject_CallFunction(cls, "s", msg && *msg ? msg : fp_strerror(st));
    if (!exc)
        return;
    v = PyLong_FromLong(st);
    if (!v || PyObject_SetAttrString(exc, "status", v) < 0)
        PyErr_Clear();
    Py_XDECREF(v);
    v = PyUnicode_FromString(fp_status_name(st));
    if (!v || PyObject_SetAttrString(exc, "name", v) < 0)
        PyErr_Clear();
    Py_XDECREF(v);
    PyErr_SetObject(cls, exc);
    Py_DECREF(exc);
}

static void fp_swig_raise(int st)
{
    fp_swig_raise_msg(st, NULL);
}

#define FP_SWIG_RAISE(st) fp_swig_raise(st)
#define FP_SWIG_RAISE_MSG(st, msg) fp_swig_raise_msg((st), (msg))

/* Trackers follow Python objects through the adapter (pytrack.c). */
#define FP_SWIG_TRACKER_NEW(out) fp_py_tracker_new(out)
#define FP_SWIG_TRACKER_FREE(t) fp_py_tracker_free(t)
#define FP_SWIG_TRACKER_SNAPSHOT(t, when, desc, total) \
    fp_py_tracker_snapshot((t), (when), (desc), (total))
#define FP_SWIG_TRACKER_CLEAR(t) fp_py_tracker_clear(t)
#define FP_SWIG_TRACKER_DETACH_ALL(t) fp_py_tracker_detach_all(t)
#define FP_SWIG_OK (resultobj = SWIG_Py_Void())
%}

/* A raw handle would let Python make the core size any address: objects
 * are tracked through track_object only. */
%ignore fp_swig_tracker::track;

%include "footprint.i"

%{
/* Refuse a mismatched core; status constants and exception classes from
 * FP_STATUS_TABLE; the adapter's tables. */
static int fp_swig_init_module(PyObject *m)
{
    static const struct {
        const char *name;
        int value;
    } rows[] = {
#define FP_SWIG_ROW_(name, value, msg) {#name, value},
        FP_STATUS_TABLE(FP_SWIG_ROW_)
#undef FP_SWIG_ROW_
    };
    size_t i;

    if (fp_check_version(FP_VERSION_NUMBER) != FP_OK) {
        PyErr_Format(PyExc_ImportError,
                     "footprint: the core library is version %d, this "
                     "binding was built for %d",
                     fp_version(), FP_VERSION_NUMBER);
        return -1;
    }
    if (fp_py_init() < 0)
        return -1;
    fp_swig_error = PyErr_NewException("footprint._core.Error", NULL, NULL);
    if (!fp_swig_error || PyModule_AddObjectRef(m, "Error", fp_swig_error) < 0)
        return -1;
    /* One class per status, named from the table (FP_ENOMEM: NomemError),
     * also a subclass of the builtin error it amounts to. */
    for (i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        char cls[64], full[96];
        const char *n = rows[i].name + 4; /* after "FP_E" */
        size_t k;
        PyObject *bases, *builtin = NULL, *exc;

        if (PyModule_AddIntConstant(m, rows[i].name, rows[i].value) < 0)
            return -1;
        if (rows[i].value == FP_OK)
            continue;
        for (k = 0; n[k] && k < 40; k++)
            cls[k] = (char)(k && n[k] >= 'A' && n[k] <= 'Z' ? n[k] + 32 : n[k]);
        memcpy(cls + k, "Error", 6);
        switch (rows[i].value) {
        case FP_ENOMEM: builtin = PyExc_MemoryError; break;
        case FP_EINVAL: builtin = PyExc_ValueError; break;
        case FP_EIO: builtin = PyExc_OSError; break;
        case FP_ENOTFOUND: builtin = PyExc_LookupError; break;
        case FP_EUNSUPPORTED: builtin = PyExc_NotImplementedError; break;
        default: break;
        }
        bases = builtin ? PyTuple_Pack(2, fp_swig_error, builtin)
                        : PyTuple_Pack(1, fp_swig_error);
        snprintf(full, sizeof full, "footprint._core.%s", cls);
        exc = bases ? PyErr_NewException(full, bases, NULL) : NULL;
        Py_XDECREF(bases);
        if (!exc || PyModule_AddObjectRef(m, cls, exc) < 0)
            return -1;
        if (rows[i].value > 0 && rows[i].value < FP_STATUS_COUNT_)
            fp_swig_errors[rows[i].value] = exc;
    }
    return 0;
}
%}

/* ---- process memory: {'vsize': ..., 'rss': ..., 'peak_rss': ...} ---- */
%typemap(in, numinputs=0) fp_procmem *out (fp_procmem tmp) {
    $1 = &tmp;
}
%typemap(argout) fp_procmem *out {
    Py_XDECREF($result);
    $result = Py_BuildValue("{s:K,s:K,s:K}", "vsize",
                            (unsigned long long)$1->vsize, "rss",
                            (unsigned long long)$1->rss, "peak_rss",
                            (unsigned long long)$1->peak_rss);
    if (!$result)
        SWIG_fail;
}
%rename(procmem) fp_procmem_read;
fp_status fp_procmem_read(fp_procmem *out);

/* ---- the CPython adapter ---- */
%typemap(in, numinputs=0) PyObject **OUT (PyObject *tmp = NULL) {
    $1 = &tmp;
}
%typemap(argout) PyObject **OUT {
    Py_XDECREF($result);
    $result = *$1;
}

%rename(Sizer) fp_pysizer;
typedef struct fp_pysizer {} fp_pysizer;

%exception fp_pysizer::fp_pysizer {
    $action
    if (!result)
        SWIG_fail;
}

%extend fp_pysizer {
    fp_pysizer() {
        fp_pysizer *s = NULL;
        fp_status st = fp_py_sizer_new(&s);
        if (st != FP_OK)
            fp_swig_raise(st);
        return s;
    }
    ~fp_pysizer() {
        fp_py_sizer_free($self);
    }
    /* limit < 0: none; align <= 1: none; options as pympler names them. */
    fp_status set_options(long long align, long long limit, int code,
                          int ignored, int derive, int frames, int traverse,
                          long long clip, int count_duplicates) {
        fp_py_opts o;
        if (align > 1 && (align & (align - 1)))
            return FP_EINVAL;
        fp_py_opts_init(&o);
        o.align = align > 1 ? (size_t)align : 1;
        o.limit = limit < 0 ? FP_NO_LIMIT : (size_t)limit;
        o.code = code;
        o.ignored = ignored;
        o.derive = derive;
        o.frames = frames;
        o.traverse = traverse;
        o.clip = clip > 0 ? (Py_ssize_t)clip : 0;
        o.count_duplicates = count_duplicates;
        return fp_py_sizer_set_opts($self, &o);
    }
    fp_status size(PyObject *objs, PyObject **OUT) {
        return fp_py_sizer_size($self, objs, OUT);
    }
    fp_status size_detail(PyObject *objs, size_t detail, PyObject **OUT) {
        return fp_py_sizer_size_detail($self, objs, detail, OUT);
    }
    fp_status exclude_refs(PyObject *objs) {
        return fp_py_sizer_exclude_refs($self, objs);
    }
    fp_status exclude_types(PyObject *types) {
        return fp_py_sizer_exclude_types($self, types);
    }
    void reset() {
        fp_py_sizer_reset($self);
    }
    PyObject *stats() {
        return fp_py_sizer_stats($self);
    }
    const char *errmsg() {
        return fp_py_sizer_errmsg($self);
    }
}

%rename(typedef_info) fp_py_typedef;
%rename(flatsize) fp_py_flatsize;
%rename(refs) fp_py_refs;
%rename(nameof) fp_py_nameof;
PyObject *fp_py_typedef(PyObject *obj, int derive);
PyObject *fp_py_flatsize(PyObject *obj, size_t align);
PyObject *fp_py_refs(PyObject *obj, int named);
PyObject *fp_py_nameof(PyObject *obj, long long clip);

/* ---- the tracker's Python side (pytrack.c, pyinit.c, pyhook.c) ---- */
%extend fp_swig_tracker {
    PyObject *track_object(PyObject *obj, size_t cls,
                           int resolution_level = 0, int keep = 0,
                           PyObject *trace = Py_None) {
        return fp_py_track_object($self, obj, cls, resolution_level, keep,
                                  trace);
    }
    PyObject *track_class(PyObject *cls, size_t index,
                          int resolution_level = 0, int keep = 0,
                          int trace = 0) {
        return fp_py_track_class($self, cls, index, resolution_level, keep,
                                 trace);
    }
    PyObject *detach_class(PyObject *cls) {
        return fp_py_detach_class($self, cls);
    }
    PyObject *tracked_classes() { return fp_py_tracked_classes($self); }
    PyObject *track_existing(PyObject *cls) {
        return fp_py_track_existing($self, cls);
    }
    PyObject *object_ref(size_t i) { return fp_py_object_ref($self, i); }
    PyObject *object_rows() { return fp_py_object_rows($self); }
    PyObject *snapshot_classes(size_t snap) {
        return fp_py_snapshot_classes($self, snap);
    }
    PyObject *object_sizes(size_t obj) {
        return fp_py_object_sizes($self, obj);
    }
    PyObject *dump_bytes() { return fp_py_dump_bytes($self); }
    size_t adapter_memory() { return fp_py_tracker_adapter_memory($self); }
    PyObject *take_census(size_t snap, PyObject *exclude, long long top) {
        return fp_py_tracker_census($self, snap, exclude, top);
    }
    PyObject *snapshot_census(size_t snap) {
        return fp_py_snapshot_census($self, snap);
    }
}

%{
static fp_swig_tracker *fp_py_load_bytes(PyObject *data)
{
    char *buf;
    Py_ssize_t n;

    if (PyBytes_AsStringAndSize(data, &buf, &n) < 0)
        return NULL;
    return fp_swig_load_with(fp_tracker_load_buffer, buf, (size_t)n);
}
%}

%exception fp_py_load_bytes {
    fp_swig_clear();
    $action
    if (!result) {
        int st_ = fp_swig_last.st ? fp_swig_last.st : FP_EINVAL;
        FP_SWIG_RAISE_MSG(st_, fp_swig_msg(st_));
        fp_swig_clear();
        SWIG_fail;
    }
}
%rename(load_bytes) fp_py_load_bytes;
%newobject fp_py_load_bytes;
fp_swig_tracker *fp_py_load_bytes(PyObject *data);
%exception;

%rename(clock) fp_clock;
%rename(set_trace_formatter) fp_py_set_trace_formatter;
%rename(hook_info) fp_py_hook_info;
double fp_clock(void);
PyObject *fp_py_set_trace_formatter(PyObject *fn);
PyObject *fp_py_hook_info(void);

%rename(census_objects) fp_py_census_objects;
%rename(census_summarize) fp_py_census_summarize;
%rename(census_heap) fp_py_census_heap;
%rename(flat_sizes) fp_py_flat_sizes;
%rename(census_filter) fp_py_census_filter;
PyObject *fp_py_census_objects(int include_frames);
PyObject *fp_py_census_summarize(PyObject *objects);
PyObject *fp_py_census_heap(PyObject *exclude, long long top, int deep);
PyObject *fp_py_flat_sizes(PyObject *objects);
PyObject *fp_py_census_filter(PyObject *objects, PyObject *type,
                              long long min, long long max);

%init %{
    if (fp_swig_init_module(m) < 0)
        return NULL;
%}
