/*
 * layouts/cpython310.h - pyversion.h for CPython 3.10.
 *
 * Every instance dict is a real dict (found through tp_dictoffset); a
 * generator holds a full frame object whose f_locals dict exists only once
 * someone reads it; dict keys choose their lookup function by what they
 * hold; sys.getsizeof adds the GC header only to objects the type calls GC
 * objects (tp_is_gc: static classes are not).  Mirrors of
 * Objects/dict-common.h of 3.10 (not installed: checked by behaviour in
 * tests/python/layout_check.c).  Include only through pyversion.h.
 */
#ifndef FP_LAYOUT_CPYTHON310_H
#define FP_LAYOUT_CPYTHON310_H

#include <frameobject.h>

/* dict-common.h: struct _dictkeysobject. */
typedef struct fp310_keys {
    Py_ssize_t dk_refcnt;
    Py_ssize_t dk_size;
    void *dk_lookup; /* lookdict for keys of any kind, else str-only */
    Py_ssize_t dk_usable;
    Py_ssize_t dk_nentries;
    char dk_indices[];
} fp310_keys;

/* No instance keeps values outside a dict on 3.10. */
struct fpv_values {
    PyObject *values[1];
};

struct fpv_facts {
    /* the lookup function of keys that may hold anything but exact str */
    void *general_lookup;
};

static inline int fpv_init(void)
{
    PyObject *d = PyDict_New(), *zero = PyLong_FromLong(0);
    int r = -1;

    /* an int key makes a dict switch to the general lookdict */
    if (d && zero && PyDict_SetItem(d, zero, Py_None) == 0) {
        fpv_learned.general_lookup =
            ((const fp310_keys *)((PyDictObject *)d)->ma_keys)->dk_lookup;
        r = 0;
    }
    Py_XDECREF(d);
    Py_XDECREF(zero);
    return r;
}

static inline PyObject *fpv_type_dict(PyTypeObject *tp)
{
    return tp->tp_dict;
}

/* _PySys_GetSizeOf: the GC header of objects the collector tracks. */
static inline size_t fpv_preheader(PyTypeObject *tp, PyObject *obj)
{
    if (!PyType_IS_GC(tp) || (obj && tp->tp_is_gc && !tp->tp_is_gc(obj)))
        return 0;
    return 2 * sizeof(void *); /* PyGC_Head */
}

/* long_sizeof: 0 has no digit */
static inline Py_ssize_t fpv_int_sizeof(PyObject *v)
{
    Py_ssize_t n = Py_SIZE(v);
    return (Py_ssize_t)offsetof(PyLongObject, ob_digit) +
           (n < 0 ? -n : n) * (Py_ssize_t)sizeof(digit);
}

static inline Py_ssize_t fpv_ascii_sizeof(PyObject *s)
{
    /* a wstr copy, made by some legacy APIs, would add to the size */
    if (!PyUnicode_IS_READY(s) || !PyUnicode_IS_COMPACT_ASCII(s) ||
        ((PyASCIIObject *)s)->wstr)
        return -1;
    return (Py_ssize_t)sizeof(PyASCIIObject) + PyUnicode_GET_LENGTH(s) + 1;
}

static inline int fpv_dict_str_keys(PyObject *d)
{
    const fp310_keys *k = (const fp310_keys *)((PyDictObject *)d)->ma_keys;
    return k && fpv_learned.general_lookup &&
           k->dk_lookup != fpv_learned.general_lookup;
}

static inline Py_ssize_t fpv_keys_count(const void *keys)
{
    return ((const fp310_keys *)keys)->dk_nentries;
}

static inline int fpv_managed_storage(PyObject *obj, PyObject **dict,
                                      const fpv_values **values)
{
    (void)obj;
    *dict = NULL;
    *values = NULL;
    return 0;
}

static inline const void *fpv_values_keys(PyObject *obj)
{
    (void)obj;
    return NULL;
}

static inline int fpv_values_next(PyObject *obj, const fpv_values *values,
                                  size_t *pos, PyObject **key,
                                  PyObject **value)
{
    (void)obj, (void)values, (void)pos, (void)key, (void)value;
    return 0;
}

static inline size_t fpv_values_size(PyObject *obj,
                                     const fpv_values *values)
{
    (void)obj, (void)values;
    return 0;
}

/* A finished generator has dropped its frame. */
static inline PyFrameObject *fp310_frame(PyObject *gen)
{
    PyFrameObject *f = PyGen_Check(gen) ? ((PyGenObject *)gen)->gi_frame
                                        : NULL;
    return f && f->f_code && PyCode_Check(f->f_code) ? f : NULL;
}

static inline int fpv_gen_frame(PyObject *gen, PyObject **code,
                                PyObject **locals)
{
    PyFrameObject *f = fp310_frame(gen);

    if (!f)
        return 0;
    *code = (PyObject *)f->f_code;
    *locals = f->f_locals;
    return 1;
}

/* Enter names[i] = fast[i] for the bound ones, cells read through. */
static inline int fp310_map(PyObject *d, PyObject *names, Py_ssize_t n,
                            PyObject *const *fast, int deref)
{
    Py_ssize_t i;

    if (!PyTuple_Check(names) || PyTuple_GET_SIZE(names) < n)
        return -1;
    for (i = 0; i < n; i++) {
        PyObject *v = fast[i];
        if (v && deref)
            v = PyCell_Check(v) ? PyCell_GET(v) : NULL;
        if (v && PyDict_SetItem(d, PyTuple_GET_ITEM(names, i), v) < 0)
            return -1;
    }
    return 0;
}

/* PyFrame_FastToLocalsWithError: locals by co_varnames, then cells, then
 * free variables in optimized code. */
static inline PyObject *fpv_gen_locals(PyObject *gen)
{
    PyFrameObject *f = fp310_frame(gen);
    PyCodeObject *co = f ? f->f_code : NULL;
    PyObject *d;
    Py_ssize_t ncells, nfree;
    int r;

    if (!co || !PyTuple_Check(co->co_cellvars) ||
        !PyTuple_Check(co->co_freevars) || !(d = PyDict_New()))
        return NULL;
    ncells = PyTuple_GET_SIZE(co->co_cellvars);
    nfree = PyTuple_GET_SIZE(co->co_freevars);
    r = fp310_map(d, co->co_varnames, co->co_nlocals, f->f_localsplus, 0);
    if (r == 0)
        r = fp310_map(d, co->co_cellvars, ncells,
                      f->f_localsplus + co->co_nlocals, 1);
    if (r == 0 && (co->co_flags & CO_OPTIMIZED))
        r = fp310_map(d, co->co_freevars, nfree,
                      f->f_localsplus + co->co_nlocals + ncells, 1);
    if (r < 0)
        Py_CLEAR(d);
    return d;
}

static inline void fpv_code_refs(PyCodeObject *co, fpv_emit_fn emit,
                                 void *arg)
{
    /* in dir() order, as pympler reads them (co_lnotab is made on read) */
    (void)(emit(arg, co->co_cellvars, "co_cellvars") ||
           emit(arg, co->co_code, "co_code") ||
           emit(arg, co->co_consts, "co_consts") ||
           emit(arg, co->co_filename, "co_filename") ||
           emit(arg, co->co_freevars, "co_freevars") ||
           emit(arg, co->co_linetable, "co_linetable") ||
           emit(arg, co->co_name, "co_name") ||
           emit(arg, co->co_names, "co_names") ||
           emit(arg, co->co_varnames, "co_varnames"));
}

static inline Py_ssize_t fpv_code_leng(PyCodeObject *co)
{
    Py_ssize_t nfree = PyTuple_Check(co->co_freevars)
                           ? PyTuple_GET_SIZE(co->co_freevars) : 0;
    Py_ssize_t ncells = PyTuple_Check(co->co_cellvars)
                            ? PyTuple_GET_SIZE(co->co_cellvars) : 0;
    return co->co_stacksize + co->co_nlocals + nfree + ncells - 1;
}

#include "localsdict.h"

#endif /* FP_LAYOUT_CPYTHON310_H */
