/*
 * pyflat.c - flat sizes: what sys.getsizeof reports, computed without
 * running Python code.
 *
 * sys.getsizeof calls type(obj).__sizeof__, which may be a Python method
 * (any class can override it).  Here the __sizeof__ used is the nearest
 * one in the MRO that is C code of the type's own layout (a method
 * descriptor named __sizeof__ of a base the object is an instance of);
 * a Python override is passed over, as the memory it would describe is
 * whatever the C layout holds.
 */
#include "pyinternal.h"

#include <string.h>

PyCFunction fpy_find_sizeof(PyTypeObject *tp)
{
    PyObject *mro = tp->tp_mro;
    Py_ssize_t i, n;

    if (!mro || !PyTuple_Check(mro))
        return NULL;
    n = PyTuple_GET_SIZE(mro);
    for (i = 0; i < n; i++) {
        PyObject *base = PyTuple_GET_ITEM(mro, i), *v;
        PyMethodDescrObject *md;
        PyMethodDef *def;
        if (!PyType_Check(base))
            continue;
        v = fpy_dict_get(fpv_type_dict((PyTypeObject *)base), fpy_str_sizeof);
        if (!v || !Py_IS_TYPE(v, &PyMethodDescr_Type))
            continue;
        md = (PyMethodDescrObject *)v;
        def = md->d_method;
        /* Only a real __sizeof__ of a base of tp: any other C method
         * (list.clear stored as __sizeof__) could change the object. */
        if (!def || !def->ml_name || strcmp(def->ml_name, "__sizeof__") ||
            (def->ml_flags & ~(METH_COEXIST)) != METH_NOARGS ||
            !PyType_IsSubtype(tp, md->d_common.d_type))
            continue;
        return def->ml_meth;
    }
    return NULL;
}

static PyCFunction sizeof_object, sizeof_list, sizeof_dict, sizeof_int,
    sizeof_str;

/* The C __sizeof__ of a builtin type, from its method descriptor. */
static PyCFunction builtin_sizeof(PyTypeObject *tp)
{
    PyObject *d = fpy_dict_get(fpv_type_dict(tp), fpy_str_sizeof);

    return d && Py_IS_TYPE(d, &PyMethodDescr_Type)
               ? ((PyMethodDescrObject *)d)->d_method->ml_meth
               : NULL;
}

int fpy_flat_init(void)
{
    sizeof_object = builtin_sizeof(&PyBaseObject_Type);
    sizeof_list = builtin_sizeof(&PyList_Type);
    sizeof_dict = builtin_sizeof(&PyDict_Type);
    sizeof_int = builtin_sizeof(&PyLong_Type);
    sizeof_str = builtin_sizeof(&PyUnicode_Type);
    return 0;
}

int fpy_sizing_of(PyCFunction fn)
{
    if (!fn || fn == sizeof_object)
        return FPY_SZ_OBJECT;
    if (fn == sizeof_list)
        return FPY_SZ_LIST;
    if (fn == sizeof_dict)
        return FPY_SZ_DICT;
    if (fn == sizeof_int)
        return FPY_SZ_INT;
    if (fn == sizeof_str)
        return FPY_SZ_STR;
    return FPY_SZ_CALL;
}

/* Call a C __sizeof__; -1 when it fails or answers a negative size. */
static Py_ssize_t call_sizeof(PyCFunction fn, PyObject *obj)
{
    PyObject *r = fn(obj, NULL);
    Py_ssize_t n;

    if (!r) {
        PyErr_Clear();
        return -1;
    }
    n = PyLong_Check(r) ? PyLong_AsSsize_t(r) : -1;
    Py_DECREF(r);
    if (n < 0)
        PyErr_Clear();
    return n;
}

int fpy_flat_ex(PyObject *obj, const fpy_type *t, size_t *out, int save)
{
    Py_ssize_t n = fpy_sizeof_in_place(obj, t);

    if (n == FPY_SIZEOF_CALL)
        n = call_sizeof(t->sizeof_fn, obj);
    if (n < 0)
        return -1;
    *out = (size_t)n + t->preheader;
    if (t->cat == FPY_ARRAY && fpy_array_type &&
        PyObject_TypeCheck(obj, fpy_array_type)) {
        size_t bytes = fpy_array_bytes(obj);
        *out = fpy_array_base(obj, *out, bytes, save) + bytes;
    }
    return 0;
}

int fpy_flat(PyObject *obj, const fpy_type *t, size_t *out)
{
    return fpy_flat_ex(obj, t, out, 1);
}

size_t fpy_array_bytes(PyObject *obj)
{
    PyObject *d = fpy_mro_get(fpy_array_type, fpy_str_itemsize), *r = NULL;
    Py_ssize_t isz = -1;

    /* array.itemsize: a getset, whose getter is C that reads a field */
    if (d && Py_IS_TYPE(d, &PyGetSetDescr_Type)) {
        PyGetSetDef *g = ((PyGetSetDescrObject *)d)->d_getset;
        r = g && g->get ? g->get(obj, g->closure) : NULL;
    }
    if (r && PyLong_Check(r))
        isz = PyLong_AsSsize_t(r);
    Py_XDECREF(r);
    PyErr_Clear();
    if (isz <= 0 || Py_SIZE(obj) < 0)
        return 0;
    return (size_t)Py_SIZE(obj) * (size_t)isz;
}

/* pympler never asks sys.getsizeof about an array: it defines array.array
 * (each exact array type) once, from the first array it sizes, as base =
 * max(56, getsizeof(that array) - its item bytes), and every later array
 * of the type is base + its item bytes.  The definitions made by sizing
 * are kept here for the life of the process, as pympler keeps them, so
 * that figures match pympler's over the same sequence of calls. */
#define FPY_ARRAY_TYPES 16
static struct {
    PyTypeObject *type;
    size_t base;
} array_bases[FPY_ARRAY_TYPES];
static size_t n_array_bases;

size_t fpy_array_base(PyObject *obj, size_t getsizeof, size_t bytes,
                      int save)
{
    PyTypeObject *tp = Py_TYPE(obj);
    size_t i, base = getsizeof > bytes + 56 ? getsizeof - bytes : 56;

    for (i = 0; i < n_array_bases; i++)
        if (array_bases[i].type == tp)
            return array_bases[i].base;
    if (save && n_array_bases < FPY_ARRAY_TYPES) {
        Py_INCREF(tp);
        array_bases[n_array_bases].type = tp;
        array_bases[n_array_bases++].base = base;
    }
    return base;
}
