/*
 * pyinit.c - the __init__ a tracked class gets (pympler's injected
 * constructor, in C so that tracking costs one call, not a Python frame).
 *
 * track_class puts one of these into the class's __dict__ as __init__:
 * it tracks the instance in its tracker, then runs what __init__ would
 * have run.  The most derived tracked class's __init__ runs first, so it
 * names the instance; the base classes' wrappers, reached through
 * super().__init__, find the object tracked already.  Several trackers
 * may wrap one class: each wrapper's `next` is the __init__ it replaced.
 *
 * A class that had no __init__ of its own gets a wrapper with next = NULL,
 * which calls the __init__ that follows the class in the instance's MRO,
 * as the missing attribute would have; detaching deletes the attribute
 * again rather than pinning a copy of the inherited one (pympler's way,
 * which leaves a stale __init__ behind when a base is detached later).
 */
#include "pyinternal.h"

#include <stdlib.h>

typedef struct fpy_init {
    PyObject_HEAD
    PyTypeObject *cls;       /* the class this is the __init__ of */
    PyObject *next;          /* the class's own __init__ before, or NULL */
    unsigned long long tracker;  /* fpy_tracker id (0: detached) */
    size_t index;            /* class index in that tracker */
    int level, keep, trace;
    vectorcallfunc vectorcall;
} fpy_init;

static PyObject *str_init;

int fpy_is_init(PyObject *o)
{
    return Py_IS_TYPE(o, &fpy_init_type);
}

/* Call f as the type's __init__ slot would call an __init__ it found:
 * unbound when f is a method descriptor, else bound by its __get__. */
static PyObject *call_as_init(PyObject *f, PyObject *const *args,
                              size_t nargsf, PyObject *kwnames)
{
    PyObject *self = args[0], *bound, *r;
    descrgetfunc get;

    if (PyType_HasFeature(Py_TYPE(f), Py_TPFLAGS_METHOD_DESCRIPTOR))
        return PyObject_Vectorcall(f, args, nargsf, kwnames);
    get = Py_TYPE(f)->tp_descr_get;
    bound = get ? get(f, self, (PyObject *)Py_TYPE(self)) : Py_NewRef(f);
    if (!bound)
        return NULL;
    r = PyObject_Vectorcall(bound, args + 1,
                            (PyVectorcall_NARGS(nargsf) - 1) |
                                PY_VECTORCALL_ARGUMENTS_OFFSET,
                            kwnames);
    Py_DECREF(bound);
    return r;
}

/* The __init__ that follows cls in self's MRO (what the class would
 * inherit had it no __init__ of its own). */
static PyObject *inherited_init(PyTypeObject *cls, PyObject *self)
{
    PyObject *mro = Py_TYPE(self)->tp_mro;
    Py_ssize_t i, n, at = -1;

    if (mro && PyTuple_Check(mro))
        for (i = 0; i < PyTuple_GET_SIZE(mro); i++)
            if (PyTuple_GET_ITEM(mro, i) == (PyObject *)cls) {
                at = i;
                break;
            }
    if (at < 0) { /* called on a foreign object: the class's own MRO */
        mro = cls->tp_mro;
        at = 0;
    }
    n = mro ? PyTuple_GET_SIZE(mro) : 0;
    for (i = at + 1; i < n; i++) {
        PyObject *d = fpv_type_dict((PyTypeObject *)PyTuple_GET_ITEM(mro, i));
        PyObject *f = d ? PyDict_GetItemWithError(d, str_init) : NULL;
        if (f)
            return f;
        if (PyErr_Occurred())
            return NULL;
    }
    return (PyObject *)NULL;
}

static PyObject *init_vectorcall(PyObject *op, PyObject *const *args,
                                 size_t nargsf, PyObject *kwnames)
{
    fpy_init *w = (fpy_init *)op;
    fpy_tracker *e;
    PyObject *next, *r;

    if (PyVectorcall_NARGS(nargsf) < 1) {
        PyErr_SetString(PyExc_TypeError,
                        "__init__ of a tracked class needs an instance");
        return NULL;
    }
    /* the is_tracked test only saves making a trace for nothing */
    if (w->tracker && (e = fpy_tracker_by_id(w->tracker)) &&
        (!w->trace || !fp_tracker_is_tracked(e->t, (fp_handle)args[0]))) {
        char *trace = w->trace ? fpy_trace_here() : NULL;
        /* a tracker that cannot follow this object (or has no memory)
         * must not break the program it measures */
        if (fpy_track(e, args[0], w->index, w->level, w->keep, trace) < 0)
            PyErr_WriteUnraisable(op);
        free(trace);
    }
    next = w->next ? w->next : inherited_init(w->cls, args[0]);
    if (!next) {
        if (!PyErr_Occurred())
            PyErr_SetString(PyExc_TypeError, "no __init__ to call");
        return NULL;
    }
    Py_INCREF(next);
    r = call_as_init(next, args, nargsf, kwnames);
    Py_DECREF(next);
    return r;
}

static PyObject *init_get(PyObject *op, PyObject *obj, PyObject *type)
{
    (void)type;
    if (!obj || obj == Py_None)
        return Py_NewRef(op);
    return PyMethod_New(op, obj);
}

static int init_traverse(PyObject *op, visitproc visit, void *arg)
{
    fpy_init *w = (fpy_init *)op;
    Py_VISIT(w->cls);
    Py_VISIT(w->next);
    return 0;
}

static int init_clear(PyObject *op)
{
    fpy_init *w = (fpy_init *)op;
    Py_CLEAR(w->cls);
    Py_CLEAR(w->next);
    return 0;
}

static void init_dealloc(PyObject *op)
{
    PyObject_GC_UnTrack(op);
    init_clear(op);
    Py_TYPE(op)->tp_free(op);
}

static PyObject *init_wrapped(PyObject *op, void *closure)
{
    fpy_init *w = (fpy_init *)op;
    (void)closure;
    if (w->next)
        return Py_NewRef(w->next);
    Py_RETURN_NONE;
}

static PyObject *init_name(PyObject *op, void *closure)
{
    (void)op;
    (void)closure;
    return Py_NewRef(str_init);
}

static PyGetSetDef init_getset[] = {
    {"__wrapped__", init_wrapped, NULL,
     "the class's own __init__ this one runs after tracking (None: the "
     "inherited one)", NULL},
    {"__name__", init_name, NULL, NULL, NULL},
    {NULL, NULL, NULL, NULL, NULL}};

PyTypeObject fpy_init_type = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "footprint._core.tracked_init",
    .tp_basicsize = sizeof(fpy_init),
    .tp_dealloc = init_dealloc,
    .tp_vectorcall_offset = offsetof(fpy_init, vectorcall),
    .tp_call = PyVectorcall_Call,
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_HAVE_GC |
                Py_TPFLAGS_HAVE_VECTORCALL | Py_TPFLAGS_METHOD_DESCRIPTOR,
    .tp_doc = "__init__ of a class a footprint ClassTracker tracks",
    .tp_traverse = init_traverse,
    .tp_clear = init_clear,
    .tp_getset = init_getset,
    .tp_descr_get = init_get,
};

int fpy_init_ready(void)
{
    if (!str_init && !(str_init = PyUnicode_InternFromString("__init__")))
        return -1;
    return PyType_Ready(&fpy_init_type);
}

void fpy_init_options(PyObject *op, size_t *index, int *level, int *keep,
                      int *trace)
{
    fpy_init *w = (fpy_init *)op;
    *index = w->index;
    *level = w->level;
    *keep = w->keep;
    *trace = w->trace;
}

void fpy_init_set(PyObject *op, size_t index, int level, int keep, int trace)
{
    fpy_init *w = (fpy_init *)op;
    w->index = index;
    w->level = level;
    w->keep = keep;
    w->trace = trace;
}

PyObject *fpy_init_install(fpy_tracker *e, PyTypeObject *cls, size_t index,
                           int level, int keep, int trace)
{
    fpy_init *w;
    PyObject *own = PyDict_GetItemWithError(cls->tp_dict, str_init);

    if (!own && PyErr_Occurred())
        return NULL;
    w = PyObject_GC_New(fpy_init, &fpy_init_type);
    if (!w)
        return NULL;
    w->cls = (PyTypeObject *)Py_NewRef((PyObject *)cls);
    w->next = Py_XNewRef(own);
    w->tracker = e->id;
    w->vectorcall = init_vectorcall;
    fpy_init_set((PyObject *)w, index, level, keep, trace);
    PyObject_GC_Track(w);
    if (PyObject_SetAttr((PyObject *)cls, str_init, (PyObject *)w) < 0) {
        Py_DECREF(w);
        return NULL;
    }
    return (PyObject *)w;
}

/* Take w out of its class: out of __dict__ if it is there, else out of
 * the chain of wrappers above it.  A wrapper someone else has replaced
 * stays where they put it but tracks nothing more. */
int fpy_init_remove(PyObject *op)
{
    fpy_init *w = (fpy_init *)op;
    PyTypeObject *cls = w->cls;
    PyObject *cur;
    int r = 0;

    w->tracker = 0;
    if (!cls || !cls->tp_dict)
        return 0;
    cur = PyDict_GetItemWithError(cls->tp_dict, str_init);
    if (cur == op) {
        r = w->next ? PyObject_SetAttr((PyObject *)cls, str_init, w->next)
                    : PyObject_DelAttr((PyObject *)cls, str_init);
        return r;
    }
    while (cur && fpy_is_init(cur) && ((fpy_init *)cur)->next != op)
        cur = ((fpy_init *)cur)->next;
    if (cur && fpy_is_init(cur)) {
        fpy_init *above = (fpy_init *)cur;
        PyObject *old = above->next;
        above->next = Py_XNewRef(w->next);
        Py_XDECREF(old);
    }
    return PyErr_Occurred() ? -1 : 0;
}
