/*
 * layouts/cpython311.h - pyversion.h for CPython 3.11.
 *
 * A plain instance keeps its attributes in a values array hung off the
 * pre-header (values at -4 words, dict at -3) and gets a __dict__ only when
 * asked; a generator's locals sit in an interpreter frame embedded in it.
 * Mirrors of Include/internal/pycore_object.h and pycore_frame.h
 * (identical in every 3.11.x), held to the real ones by
 * tests/python/layout_check.c.  Include only through pyversion.h.
 */
#ifndef FP_LAYOUT_CPYTHON311_H
#define FP_LAYOUT_CPYTHON311_H

#include "dictkeys.h"
#include "prefixvalues.h"
#include "fastlocals.h"

/* pycore_frame.h: _PyInterpreterFrame, embedded in a generator. */
typedef struct fp311_iframe {
    PyObject *f_func;
    PyObject *f_globals;
    PyObject *f_builtins;
    PyObject *f_locals;
    PyCodeObject *f_code;
    PyObject *frame_obj;
    struct fp311_iframe *previous;
    void *prev_instr;
    int stacktop;
    char is_entry;
    char owner;
    PyObject *localsplus[1];
} fp311_iframe;

/* gi_frame_state at or past FRAME_COMPLETED: no frame. */
enum { FP311_FRAME_COMPLETED = 1 };

#define FPL_IFRAME fp311_iframe
#define FPL_IFRAME_CODE(f) ((PyObject *)(f)->f_code)
#define FPL_FRAME_COMPLETED FP311_FRAME_COMPLETED
#include "iframe.h"

struct fpv_facts {
    char none;
};

static inline int fpv_init(void)
{
    return 0;
}

static inline PyObject *fpv_type_dict(PyTypeObject *tp)
{
    return tp->tp_dict;
}

/* _PyType_PreHeaderSize */
static inline size_t fpv_preheader(PyTypeObject *tp, PyObject *obj)
{
    size_t n = 0;

    (void)obj;
    if (PyType_HasFeature(tp, Py_TPFLAGS_HAVE_GC))
        n += 2 * sizeof(void *); /* PyGC_Head */
    if (PyType_HasFeature(tp, Py_TPFLAGS_MANAGED_DICT))
        n += 2 * sizeof(PyObject *);
    return n;
}

/* long_sizeof: at least one digit */
static inline Py_ssize_t fpv_int_sizeof(PyObject *v)
{
    Py_ssize_t n = Py_SIZE(v);
    n = n < 0 ? -n : n;
    return (Py_ssize_t)offsetof(PyLongObject, ob_digit) +
           (n > 1 ? n : 1) * (Py_ssize_t)sizeof(digit);
}

static inline Py_ssize_t fpv_ascii_sizeof(PyObject *s)
{
    /* a wstr copy, made by some legacy APIs, would add to the size */
    if (!PyUnicode_IS_READY(s) || !PyUnicode_IS_COMPACT_ASCII(s) ||
        ((PyASCIIObject *)s)->wstr)
        return -1;
    return (Py_ssize_t)sizeof(PyASCIIObject) + PyUnicode_GET_LENGTH(s) + 1;
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
    v = *(((const fpv_values *const *)obj) - 4);
    if (v) {
        if (fpl_cached_keys(tp))
            *values = v;
        return 1;
    }
    d = *(((PyObject *const *)obj) - 3);
    *dict = d && PyDict_Check(d) ? d : NULL;
    return 1;
}

static inline void fpv_code_refs(PyCodeObject *co, fpv_emit_fn emit,
                                 void *arg)
{
    /* in dir() order, as pympler reads them; co_code once it is cached */
    (void)(emit(arg, co->_co_code, "co_code") ||
           emit(arg, co->co_consts, "co_consts") ||
           emit(arg, co->co_exceptiontable, "co_exceptiontable") ||
           emit(arg, co->co_filename, "co_filename") ||
           emit(arg, co->co_linetable, "co_linetable") ||
           emit(arg, co->co_localspluskinds, "co_localspluskinds") ||
           emit(arg, co->co_localsplusnames, "co_localsplusnames") ||
           emit(arg, co->co_name, "co_name") ||
           emit(arg, co->co_names, "co_names") ||
           emit(arg, co->co_qualname, "co_qualname"));
}

static inline Py_ssize_t fpv_code_leng(PyCodeObject *co)
{
    return co->co_nfreevars + co->co_stacksize + co->co_ncellvars +
           co->co_nlocals - 1;
}

#include "localsdict.h"

#endif /* FP_LAYOUT_CPYTHON311_H */
