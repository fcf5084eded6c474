/*
 * layouts/cpython312.h - pyversion.h for CPython 3.12.
 *
 * A plain instance's pre-header holds its weak reference list at -4 words
 * and, at -3, one tagged word: the instance dict, or (low bit set) the
 * address - 1 of its values array, laid out as in 3.11.  The interpreter
 * frame embedded in a generator starts with f_code.  Mirrors of
 * Include/internal/pycore_object.h and pycore_frame.h of 3.12, held to
 * them by tests/python/layout_check.c.  Include only through pyversion.h.
 */
#ifndef FP_LAYOUT_CPYTHON312_H
#define FP_LAYOUT_CPYTHON312_H

#include "cpython312plus.h"
#include "dictkeys.h"
#include "prefixvalues.h"
#include "fastlocals.h"

/* pycore_frame.h */
typedef struct fp312_iframe {
    PyCodeObject *f_code;
    struct fp312_iframe *previous;
    PyObject *f_funcobj;
    PyObject *f_globals;
    PyObject *f_builtins;
    PyObject *f_locals;
    PyObject *frame_obj;
    void *prev_instr;
    int stacktop;
    uint16_t return_offset;
    char owner;
    PyObject *localsplus[1];
} fp312_iframe;

enum { FP312_FRAME_COMPLETED = 1 };

#define FPL_IFRAME fp312_iframe
#define FPL_IFRAME_CODE(f) ((PyObject *)(f)->f_code)
#define FPL_FRAME_COMPLETED FP312_FRAME_COMPLETED
#include "iframe.h"

/* _PyType_PreHeaderSize: the pre-header (Py_TPFLAGS_PREHEADER) holds a
 * managed weak reference list as well as the dict. */
static inline size_t fpv_preheader(PyTypeObject *tp, PyObject *obj)
{
    size_t n = 0;

    (void)obj;
    if (PyType_HasFeature(tp, Py_TPFLAGS_HAVE_GC))
        n += 2 * sizeof(void *); /* PyGC_Head */
    if (tp->tp_flags & Py_TPFLAGS_PREHEADER)
        n += 2 * sizeof(PyObject *);
    return n;
}

static inline int fpv_managed_storage(PyObject *obj, PyObject **dict,
                                      const fpv_values **values)
{
    PyTypeObject *tp = Py_TYPE(obj);
    uintptr_t word;

    *dict = NULL;
    *values = NULL;
    if (!PyType_HasFeature(tp, Py_TPFLAGS_MANAGED_DICT))
        return 0;
    /* PyDictOrValues: values are stored as their address - 1 */
    word = *(((const uintptr_t *)obj) - 3);
    if (word & 1) {
        if (fpl_cached_keys(tp))
            *values = (const fpv_values *)(word + 1);
    } else if (word && PyDict_Check((PyObject *)word)) {
        *dict = (PyObject *)word;
    }
    return 1;
}

#include "localsdict.h"

#endif /* FP_LAYOUT_CPYTHON312_H */
