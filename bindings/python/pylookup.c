/*
 * pylookup.c - reading attributes the way Python would find them, through
 * C-level paths only.
 *
 * getattr() may run a property, a __getattr__, a metaclass descriptor or
 * the __eq__ of a hostile dict key, and asking for an instance's __dict__
 * creates it on CPython 3.11+.  Everything here reads slots, dicts and
 * inline values directly and gives up (NULL) where Python would have to
 * run code to answer.
 */
#include "pyinternal.h"

#include <string.h>

PyObject *fpy_str_module, *fpy_str_name, *fpy_str_doc, *fpy_str_slots,
    *fpy_str_weakref, *fpy_str_sizeof, *fpy_str_fields, *fpy_str_code,
    *fpy_str_itemsize, *fpy_str_file, *fpy_str_space;

/* The collector's own gc.get_objects, taken when footprint is imported:
 * a program that replaced it later must not have its code run by a
 * census or a tracker's scan. */
static PyObject *gc_get_objects;

static int gc_init(void)
{
    PyObject *gc, *fn;

    if (gc_get_objects)
        return 0;
    if (!(gc = PyImport_ImportModule("gc")))
        return -1;
    fn = PyDict_GetItemString(PyModule_GetDict(gc), "get_objects");
    if (fn && PyCFunction_Check(fn) &&
        strcmp(((PyCFunctionObject *)fn)->m_ml->ml_name, "get_objects") == 0)
        gc_get_objects = Py_NewRef(fn);
    Py_DECREF(gc);
    return 0;
}

PyObject *fpy_gc_objects(void)
{
    PyObject *list;

    if (!gc_get_objects) {
        PyErr_SetString(PyExc_RuntimeError,
                        "footprint: gc.get_objects was not the collector's "
                        "C function when footprint was imported");
        return NULL;
    }
    list = PyObject_CallNoArgs(gc_get_objects);
    if (list && !PyList_Check(list)) {
        PyErr_SetString(PyExc_TypeError, "gc.get_objects() gave no list");
        Py_CLEAR(list);
    }
    return list;
}

int fpy_lookup_init(void)
{
    struct {
        PyObject **slot;
        const char *text;
    } names[] = {
        {&fpy_str_module, "__module__"}, {&fpy_str_name, "__name__"},
        {&fpy_str_doc, "__doc__"},       {&fpy_str_slots, "__slots__"},
        {&fpy_str_weakref, "__weakref__"}, {&fpy_str_sizeof, "__sizeof__"},
        {&fpy_str_fields, "_fields"},    {&fpy_str_code, "__code__"},
        {&fpy_str_itemsize, "itemsize"}, {&fpy_str_file, "__file__"},
        {&fpy_str_space, " "},
    };
    size_t i;

    for (i = 0; i < sizeof names / sizeof names[0]; i++) {
        if (*names[i].slot)
            continue;
        *names[i].slot = PyUnicode_InternFromString(names[i].text);
        if (!*names[i].slot)
            return -1;
    }
    return gc_init();
}

static int same_name(PyObject *key, PyObject *name)
{
    if (key == name)
        return 1;
    return PyUnicode_CheckExact(key) && PyUnicode_IS_READY(key) &&
           PyUnicode_Compare(key, name) == 0;
}

PyObject *fpy_dict_get(PyObject *d, PyObject *name)
{
    PyObject *k, *v;
    Py_ssize_t pos = 0;

    if (!d || !PyDict_Check(d))
        return NULL;
    /* A dict whose keys are all exact str (the usual class and instance
     * dict) is probed by str comparison alone; any other may hold a key
     * whose __eq__ is Python code, so it is scanned comparing str keys. */
    if (fpv_dict_str_keys(d)) {
        v = PyDict_GetItemWithError(d, name);
        if (!v)
            PyErr_Clear();
        return v;
    }
    while (PyDict_Next(d, &pos, &k, &v))
        if (same_name(k, name))
            return v;
    return NULL;
}

PyObject *fpy_mro_get(PyTypeObject *tp, PyObject *name)
{
    PyObject *mro = tp->tp_mro, *v;
    Py_ssize_t i, n;

    if (!mro || !PyTuple_Check(mro))
        return fpy_dict_get(fpv_type_dict(tp), name);
    n = PyTuple_GET_SIZE(mro);
    for (i = 0; i < n; i++) {
        PyObject *base = PyTuple_GET_ITEM(mro, i);
        if (!PyType_Check(base))
            continue;
        v = fpy_dict_get(fpv_type_dict((PyTypeObject *)base), name);
        if (v)
            return v;
    }
    return NULL;
}

PyObject *fpy_instance_dict(PyObject *obj, const fpv_values **values)
{
    PyTypeObject *tp = Py_TYPE(obj);
    Py_ssize_t off;
    PyObject *d;

    if (fpv_managed_storage(obj, &d, values))
        return d;
    off = tp->tp_dictoffset;
    if (off == 0)
        return NULL;
    if (off < 0) {
        Py_ssize_t n = Py_SIZE(obj);
        off += (Py_ssize_t)_PyObject_VAR_SIZE(tp, n < 0 ? -n : n);
        if (off < (Py_ssize_t)sizeof(PyObject))
            return NULL;
    }
    d = *(PyObject **)((char *)obj + off);
    return d && PyDict_Check(d) ? d : NULL;
}

/* name among values kept outside a dict; borrowed or NULL. */
static PyObject *values_get(PyObject *obj, const fpv_values *values,
                            PyObject *name)
{
    PyObject *k, *v;
    size_t pos = 0;

    while (fpv_values_next(obj, values, &pos, &k, &v))
        if (same_name(k, name))
            return v;
    return NULL;
}

PyObject *fpy_member_value(PyObject *obj, const PyMemberDef *m)
{
    PyObject *v;

    if (m->type != T_OBJECT && m->type != T_OBJECT_EX)
        return NULL; /* reading it would create an object */
    v = *(PyObject **)((char *)obj + m->offset);
    if (!v && m->type == T_OBJECT)
        v = Py_None;
    return v;
}

const PyMemberDef *fpy_find_member(PyTypeObject *tp, const char *name)
{
    const PyMemberDef *m;

    for (m = tp->tp_members; m && m->name; m++)
        if (strcmp(m->name, name) == 0)
            return m;
    return NULL;
}

PyObject *fpy_getattr(PyObject *obj, PyObject *name)
{
    PyTypeObject *tp = Py_TYPE(obj);
    PyObject *descr = fpy_mro_get(tp, name), *d, *v;
    const fpv_values *values;

    if (descr) {
        PyTypeObject *dt = Py_TYPE(descr);
        if (dt == &PyMemberDescr_Type) {
            PyMemberDescrObject *md = (PyMemberDescrObject *)descr;
            if (!PyObject_TypeCheck(obj, md->d_common.d_type))
                return NULL;
            return fpy_member_value(obj, md->d_member);
        }
        if (dt->tp_descr_set)
            return NULL; /* a data descriptor: its getter is code */
    }
    d = fpy_instance_dict(obj, &values);
    v = values ? values_get(obj, values, name) : fpy_dict_get(d, name);
    if (v)
        return v;
    if (descr && !Py_TYPE(descr)->tp_descr_get)
        return descr; /* a plain class attribute */
    return NULL;
}

const char *fpy_class_module(PyTypeObject *tp, char *buf, size_t cap)
{
    const char *dot;
    size_t n;

    if (PyType_HasFeature(tp, Py_TPFLAGS_HEAPTYPE)) {
        PyObject *m = fpy_dict_get(fpv_type_dict(tp), fpy_str_module);
        if (!m || !PyUnicode_CheckExact(m) || !PyUnicode_IS_READY(m))
            return NULL;
        if (PyUnicode_IS_ASCII(m))
            return (const char *)PyUnicode_DATA(m);
        return NULL; /* no ignored module has a non-ASCII name */
    }
    dot = strrchr(tp->tp_name, '.');
    if (!dot)
        return "builtins";
    n = (size_t)(dot - tp->tp_name);
    if (n >= cap)
        n = cap - 1;
    memcpy(buf, tp->tp_name, n);
    buf[n] = '\0';
    return buf;
}
