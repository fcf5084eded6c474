/*
 * layout_check.c - holds the CPython adapter's layout mirrors
 * (bindings/python/layouts/) to the interpreter they are built for.
 *
 * Built by make per interpreter as the extension module _layout_check,
 * with the interpreter's own internal headers (Py_BUILD_CORE_MODULE, which
 * the adapter itself never uses).  From 3.11 on, every mirrored struct
 * offset and constant is a static assertion: a mirror that drifts from
 * CPython does not compile.  The module's functions then compare, on live
 * objects the test passes in, what the mirrors read with what CPython's own
 * inline functions read.  3.10 keeps its dict keys layout private to
 * dictobject.c, so there the functions test how the mirror behaves.
 * tests/python/test_layouts.py drives it.
 */
#define Py_BUILD_CORE_MODULE 1
#include "pyversion.h"

#if PY_VERSION_HEX >= 0x030B0000
#include "internal/pycore_code.h"
#include "internal/pycore_dict.h"
#include "internal/pycore_frame.h"
#include "internal/pycore_object.h"

#define SAME_VALUE(mine, theirs)                                             \
    _Static_assert((long)(mine) == (long)(theirs),                            \
                   #mine " is not CPython's " #theirs)
#define SAME_OFFSET(mine, theirs, field)                                     \
    _Static_assert(offsetof(mine, field) == offsetof(theirs, field),          \
                   #mine "." #field " is not where CPython has it")

SAME_OFFSET(fpl_keys, PyDictKeysObject, dk_refcnt);
SAME_OFFSET(fpl_keys, PyDictKeysObject, dk_log2_size);
SAME_OFFSET(fpl_keys, PyDictKeysObject, dk_log2_index_bytes);
SAME_OFFSET(fpl_keys, PyDictKeysObject, dk_kind);
SAME_OFFSET(fpl_keys, PyDictKeysObject, dk_usable);
SAME_OFFSET(fpl_keys, PyDictKeysObject, dk_nentries);
SAME_OFFSET(fpl_keys, PyDictKeysObject, dk_indices);
SAME_OFFSET(fpl_ukey_entry, PyDictUnicodeEntry, me_key);
SAME_OFFSET(fpl_ukey_entry, PyDictUnicodeEntry, me_value);
_Static_assert(sizeof(fpl_ukey_entry) == sizeof(PyDictUnicodeEntry),
               "str-only dict entries changed size");
SAME_VALUE(FPL_KEYS_GENERAL, DICT_KEYS_GENERAL);
SAME_VALUE(FPL_KEYS_UNICODE, DICT_KEYS_UNICODE);
SAME_VALUE(FPL_KEYS_SPLIT, DICT_KEYS_SPLIT);
SAME_VALUE(FPL_SHARED_KEYS_MAX, SHARED_KEYS_MAX_SIZE);
SAME_VALUE(FPL_FAST_CELL, CO_FAST_CELL);
SAME_VALUE(FPL_FAST_FREE, CO_FAST_FREE);
#ifdef CO_FAST_HIDDEN
SAME_VALUE(FPL_FAST_HIDDEN, CO_FAST_HIDDEN);
#endif
#endif

#if PY_VERSION_HEX >= 0x030B0000 && PY_VERSION_HEX < 0x030C0000
#define FRAME fp311_iframe
SAME_OFFSET(fp311_iframe, _PyInterpreterFrame, f_code);
SAME_VALUE(FP311_FRAME_COMPLETED, FRAME_COMPLETED);
#elif PY_VERSION_HEX >= 0x030C0000 && PY_VERSION_HEX < 0x030D0000
#define FRAME fp312_iframe
SAME_OFFSET(fp312_iframe, _PyInterpreterFrame, f_code);
SAME_VALUE(FP312_FRAME_COMPLETED, FRAME_COMPLETED);
#elif PY_VERSION_HEX >= 0x030D0000
#define FRAME fp313_iframe
SAME_OFFSET(fp313_iframe, _PyInterpreterFrame, f_executable);
SAME_VALUE(FP313_FRAME_COMPLETED, FRAME_COMPLETED);
SAME_OFFSET(struct fpv_values, PyDictValues, capacity);
SAME_OFFSET(struct fpv_values, PyDictValues, size);
SAME_OFFSET(struct fpv_values, PyDictValues, embedded);
SAME_OFFSET(struct fpv_values, PyDictValues, valid);
SAME_OFFSET(struct fpv_values, PyDictValues, values);
#endif
#ifdef FRAME
SAME_OFFSET(FRAME, _PyInterpreterFrame, f_locals);
SAME_OFFSET(FRAME, _PyInterpreterFrame, stacktop);
SAME_OFFSET(FRAME, _PyInterpreterFrame, localsplus);
#endif

/* What CPython's own inline functions say of obj's attribute storage:
 * (dict or None, address of the values or 0). */
static PyObject *storage_by_cpython(PyObject *obj)
{
    PyObject *dict = NULL;
    const void *values = NULL;

#if PY_VERSION_HEX >= 0x030D0000
    dict = (PyObject *)_PyObject_GetManagedDict(obj);
    if (!dict && (Py_TYPE(obj)->tp_flags & Py_TPFLAGS_INLINE_VALUES) &&
        _PyObject_InlineValues(obj)->valid)
        values = _PyObject_InlineValues(obj);
#elif PY_VERSION_HEX >= 0x030C0000
    PyDictOrValues dorv = *_PyObject_DictOrValuesPointer(obj);
    if (_PyDictOrValues_IsValues(dorv))
        values = _PyDictOrValues_GetValues(dorv);
    else
        dict = _PyDictOrValues_GetDict(dorv);
#elif PY_VERSION_HEX >= 0x030B0000
    values = *_PyObject_ValuesPointer(obj);
    if (!values)
        dict = *_PyObject_ManagedDictPointer(obj);
#else
    (void)obj;
#endif
    return Py_BuildValue("(Ok)", dict ? dict : Py_None,
                         (unsigned long)(uintptr_t)values);
}

/* The same as the mirrors read it. */
static PyObject *storage_by_mirror(PyObject *obj)
{
    PyObject *dict;
    const fpv_values *values;

    if (!fpv_managed_storage(obj, &dict, &values))
        Py_RETURN_NONE;
    return Py_BuildValue("(Ok)", dict ? dict : Py_None,
                         (unsigned long)(uintptr_t)values);
}

/* storage(obj) -> (by CPython, by the mirror), or None for a type without
 * a managed dict. */
static PyObject *storage(PyObject *self, PyObject *obj)
{
    PyObject *mine = storage_by_mirror(obj), *theirs;

    (void)self;
    if (!mine || mine == Py_None)
        return mine;
    theirs = storage_by_cpython(obj);
    return theirs ? Py_BuildValue("(NN)", theirs, mine) : NULL;
}

/* values(obj) -> [(key, value)] in insertion order, as the mirror reads an
 * instance's values kept outside a dict (None: no such values). */
static PyObject *values(PyObject *self, PyObject *obj)
{
    PyObject *dict, *k, *v, *out;
    const fpv_values *vals;
    size_t pos = 0;

    (void)self;
    if (!fpv_managed_storage(obj, &dict, &vals) || !vals)
        Py_RETURN_NONE;
    if (!(out = PyList_New(0)))
        return NULL;
    while (fpv_values_next(obj, vals, &pos, &k, &v)) {
        PyObject *item = PyTuple_Pack(2, k, v);
        if (!item || PyList_Append(out, item) < 0) {
            Py_XDECREF(item);
            Py_DECREF(out);
            return NULL;
        }
        Py_DECREF(item);
    }
    return out;
}

/* values_size(obj) -> (mirror's bytes, CPython's when it defines them, or
 * None). */
static PyObject *values_size(PyObject *self, PyObject *obj)
{
    PyObject *dict;
    const fpv_values *vals;
    PyObject *theirs = Py_None;

    (void)self;
    if (!fpv_managed_storage(obj, &dict, &vals) || !vals)
        Py_RETURN_NONE;
#if PY_VERSION_HEX >= 0x030D0000
    theirs = PyLong_FromSize_t(_PyInlineValuesSize(Py_TYPE(obj)));
    if (!theirs)
        return NULL;
#else
    Py_INCREF(theirs);
#endif
    return Py_BuildValue("(nN)", (Py_ssize_t)fpv_values_size(obj, vals),
                         theirs);
}

/* dict_keys(d) -> (keys all str by construction, entries if shared). */
static PyObject *dict_keys(PyObject *self, PyObject *d)
{
    (void)self;
    if (!PyDict_Check(d)) {
        PyErr_SetString(PyExc_TypeError, "a dict");
        return NULL;
    }
    if (((PyDictObject *)d)->ma_values)
        return Py_BuildValue(
            "(On)", fpv_dict_str_keys(d) ? Py_True : Py_False,
            fpv_keys_count(((PyDictObject *)d)->ma_keys));
    return Py_BuildValue("(OO)", fpv_dict_str_keys(d) ? Py_True : Py_False,
                         Py_None);
}

/* gen_locals(gen) -> the bound locals as the mirror reads the frame, or
 * None once the generator has finished. */
static PyObject *gen_locals(PyObject *self, PyObject *gen)
{
    PyObject *d = fpv_gen_locals(gen);

    (void)self;
    if (!d && !PyErr_Occurred())
        Py_RETURN_NONE;
    return d;
}

/* type_dict(t) -> t's namespace dict as the mirror finds it. */
static PyObject *type_dict(PyObject *self, PyObject *t)
{
    PyObject *d;

    (void)self;
    if (!PyType_Check(t)) {
        PyErr_SetString(PyExc_TypeError, "a type");
        return NULL;
    }
    d = fpv_type_dict((PyTypeObject *)t);
    return Py_NewRef(d ? d : Py_None);
}

static PyMethodDef methods[] = {
    {"storage", storage, METH_O, NULL},
    {"values", values, METH_O, NULL},
    {"values_size", values_size, METH_O, NULL},
    {"dict_keys", dict_keys, METH_O, NULL},
    {"gen_locals", gen_locals, METH_O, NULL},
    {"type_dict", type_dict, METH_O, NULL},
    {NULL, NULL, 0, NULL}};

static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "_layout_check",
                                    NULL, -1, methods, NULL, NULL, NULL,
                                    NULL};

PyMODINIT_FUNC PyInit__layout_check(void)
{
    if (fpv_init() < 0)
        return NULL;
    return PyModule_Create(&module);
}
