/*
 * layouts/cpython313.h - pyversion.h for CPython 3.13.
 *
 * What moved since 3.12: a plain instance's values live inside the object
 * (Py_TPFLAGS_INLINE_VALUES, right after the object header, with their own
 * capacity/size/valid header and the order array after them); the
 * pre-header word at -3 is only ever the dict, which, once made, may use
 * those inline values as its own; the interpreter frame starts with
 * f_executable; frame.f_locals of a function or generator is a
 * FrameLocalsProxy made on each read (PEP 667), not a dict.  _PyDict_SizeOf
 * and _PySet_NextEntry are exported but declared only in internal headers.
 * Mirrors of Include/internal/pycore_dict.h, pycore_object.h and
 * pycore_frame.h of 3.13, held to them by tests/python/layout_check.c.
 * Include only through pyversion.h.
 */
#ifndef FP_LAYOUT_CPYTHON313_H
#define FP_LAYOUT_CPYTHON313_H

/* exported, but declared only in Include/internal */
PyAPI_FUNC(Py_ssize_t) _PyDict_SizeOf(PyDictObject *);
PyAPI_FUNC(int) _PySet_NextEntry(PyObject *set, Py_ssize_t *pos,
                                 PyObject **key, Py_hash_t *hash);

#include "cpython312plus.h"
#include "dictkeys.h"
#include "fastlocals.h"


/* pycore_dict.h: struct _dictvalues; the order array (capacity bytes)
 * follows values[capacity]. */
struct fpv_values {
    uint8_t capacity;
    uint8_t size;
    uint8_t embedded;
    uint8_t valid;
    PyObject *values[1];
};

/* pycore_frame.h: _PyInterpreterFrame, embedded in a generator. */
typedef struct fp313_iframe {
    PyObject *f_executable;
    struct fp313_iframe *previous;
    PyObject *f_funcobj;
    PyObject *f_globals;
    PyObject *f_builtins;
    PyObject *f_locals;
    PyObject *frame_obj;
    void *instr_ptr;
    int stacktop;
    uint16_t return_offset;
    char owner;
    PyObject *localsplus[1];
} fp313_iframe;

/* gi_frame_state at or past FRAME_COMPLETED: no frame. */
enum { FP313_FRAME_COMPLETED = 1 };

#define FPL_IFRAME fp313_iframe
#define FPL_IFRAME_CODE(f) ((f)->f_executable)
#define FPL_FRAME_COMPLETED FP313_FRAME_COMPLETED
#include "iframe.h"

/* _PySys_GetSizeOf: _PyType_PreHeaderSize (the inline values are not in
 * it), except for static types, which have no pre-header. */
static inline size_t fpv_preheader(PyTypeObject *tp, PyObject *obj)
{
    size_t n = 0;

    if (obj && Py_IS_TYPE(obj, &PyType_Type) &&
        !PyType_HasFeature((PyTypeObject *)obj, Py_TPFLAGS_HEAPTYPE))
        return 0;
    if (PyType_HasFeature(tp, Py_TPFLAGS_HAVE_GC))
        n += 2 * sizeof(void *); /* PyGC_Head */
    if (tp->tp_flags & Py_TPFLAGS_PREHEADER)
        n += 2 * sizeof(PyObject *);
    return n;
}

/* The inline values of obj, if its type has them and they look sane. */
static inline const fpv_values *fp313_inline_values(PyObject *obj)
{
    PyTypeObject *tp = Py_TYPE(obj);
    const fpv_values *v;

    if (!PyType_HasFeature(tp, Py_TPFLAGS_INLINE_VALUES) ||
        tp->tp_basicsize != (Py_ssize_t)sizeof(PyObject) ||
        !fpl_cached_keys(tp))
        return NULL;
    v = (const fpv_values *)((const char *)obj + sizeof(PyObject));
    if (v->capacity > FPL_SHARED_KEYS_MAX + 1 || v->size > v->capacity)
        return NULL; /* not the layout we know */
    return v;
}

static inline int fpv_managed_storage(PyObject *obj, PyObject **dict,
                                      const fpv_values **values)
{
    PyTypeObject *tp = Py_TYPE(obj);
    const fpv_values *v;
    PyObject *d;

    *dict = NULL;
    *values = NULL;
    if (!PyType_HasFeature(tp, Py_TPFLAGS_MANAGED_DICT))
        return 0;
    /* a dict, once made, owns the attributes (it may use the inline
     * values as its storage, and then counts them) */
    d = *(((PyObject *const *)obj) - 3);
    if (d && PyDict_Check(d)) {
        *dict = d;
        return 1;
    }
    v = fp313_inline_values(obj);
    if (v && v->valid)
        *values = v;
    return 1;
}

static inline int fpv_values_next(PyObject *obj, const fpv_values *values,
                                  size_t *pos, PyObject **key,
                                  PyObject **value)
{
    const fpl_keys *keys = fpl_cached_keys(Py_TYPE(obj));
    const uint8_t *order = (const uint8_t *)&values->values[values->capacity];
    const fpl_ukey_entry *e;

    if (!keys)
        return 0;
    e = fpl_unicode_entries(keys);
    while (*pos < values->size) {
        size_t ix = order[(*pos)++];
        if (ix < values->capacity && ix < (size_t)keys->dk_nentries &&
            e[ix].me_key && values->values[ix]) {
            *key = e[ix].me_key;
            *value = values->values[ix];
            return 1;
        }
    }
    return 0;
}

/* _PyInlineValuesSize: the header word, the values and the order array,
 * for the capacity this object was made with. */
static inline size_t fpv_values_size(PyObject *obj,
                                     const fpv_values *values)
{
    size_t cap = values->capacity, word = sizeof(PyObject *);

    (void)obj;
    return (cap + word - 1) / word * word + (cap + 1) * word;
}

/* frame.f_locals of a generator is a new FrameLocalsProxy. */
static inline int fpv_gen_locals_node(PyObject *gen, PyTypeObject **type,
                                      size_t *flat)
{
    if (!fpl_frame(gen))
        return -1;
    *type = &PyFrameLocalsProxy_Type;
    *flat = (size_t)PyFrameLocalsProxy_Type.tp_basicsize +
            fpv_preheader(&PyFrameLocalsProxy_Type, NULL);
    return 0;
}

static inline int fpv_gen_locals_is_dict(void)
{
    return 0;
}

#endif /* FP_LAYOUT_CPYTHON313_H */
