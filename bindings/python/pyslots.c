/*
 * pyslots.c - which __slots__ values asizeof reads, worked out once per
 * type instead of once per instance.
 *
 * pympler's _dir2(obj, slots='__slots__'): when obj has a __slots__
 * attribute, every class of type(obj).__mro__ names its __slots__ (a str
 * counts as its characters, as iterating it gives); a name starting "__"
 * gets "_" + class.__name__ in front (dunders too, so "__dict__" and
 * "__weakref__" never match); the first class naming a slot wins.  Those
 * names resolve, on the type, to a member slot read straight from the
 * instance, or to something an instance may shadow, looked up per
 * instance (pylookup.c).
 */
#include "pyinternal.h"

#include <stdlib.h>
#include <string.h>

/* The names one class's __slots__ gives, as a new tuple, or NULL. */
static PyObject *slot_names(PyObject *slots)
{
    Py_ssize_t k, n;
    PyObject *names;

    if (PyUnicode_Check(slots)) {
        n = PyUnicode_GET_LENGTH(slots);
        names = PyTuple_New(n);
        for (k = 0; names && k < n; k++) {
            PyObject *ch = PyUnicode_Substring(slots, k, k + 1);
            if (!ch) {
                Py_CLEAR(names);
                break;
            }
            PyTuple_SET_ITEM(names, k, ch);
        }
        return names;
    }
    /* storage, not iteration: a subclass's __iter__ would be code */
    if (PyTuple_Check(slots))
        return PyTuple_GetSlice(slots, 0, PyTuple_GET_SIZE(slots));
    if (PyList_Check(slots))
        return PyList_AsTuple(slots);
    if (PyDict_Check(slots)) {
        PyObject *keys = PyDict_Keys(slots), *t;
        if (!keys)
            return NULL;
        t = PyList_AsTuple(keys);
        Py_DECREF(keys);
        return t;
    }
    return PyTuple_New(0); /* other iterables: iterating them runs code */
}

/* "_" + class name + a, for a name starting with "__". */
static PyObject *mangled(PyTypeObject *c, PyObject *a)
{
    const char *dot;
    PyObject *cls;

    if (PyType_HasFeature(c, Py_TPFLAGS_HEAPTYPE) &&
        PyUnicode_Check(((PyHeapTypeObject *)c)->ht_name)) {
        cls = ((PyHeapTypeObject *)c)->ht_name;
        return PyUnicode_FromFormat("_%U%U", cls, a);
    }
    dot = strrchr(c->tp_name, '.');
    return PyUnicode_FromFormat("_%s%U", dot ? dot + 1 : c->tp_name, a);
}

static char *utf8_copy(PyObject *s)
{
    PyObject *b = PyUnicode_AsEncodedString(s, "utf-8", "surrogatepass");
    char *t = NULL;

    if (b) {
        t = malloc((size_t)PyBytes_GET_SIZE(b) + 1);
        if (t)
            memcpy(t, PyBytes_AS_STRING(b), (size_t)PyBytes_GET_SIZE(b) + 1);
        Py_DECREF(b);
    }
    return t;
}

static int add_slot(fpy_slots **plan, size_t *cap, PyTypeObject *tp,
                    PyObject *name)
{
    fpy_slots *p = *plan;
    PyObject *d;
    size_t i;

    for (i = 0; i < p->n; i++)
        if (PyUnicode_Compare(p->slot[i].name, name) == 0)
            return 0;
    if (p->n == *cap) {
        size_t ncap = *cap * 2;
        fpy_slots *np = realloc(p, sizeof *p + ncap * sizeof p->slot[0]);
        if (!np)
            return -1;
        *plan = p = np;
        *cap = ncap;
    }
    p->slot[p->n].text = utf8_copy(name);
    if (!p->slot[p->n].text)
        return -1;
    d = fpy_mro_get(tp, name);
    p->slot[p->n].member =
        d && Py_IS_TYPE(d, &PyMemberDescr_Type) &&
                PyType_IsSubtype(tp, ((PyMemberDescrObject *)d)->d_common.d_type)
            ? ((PyMemberDescrObject *)d)->d_member
            : NULL;
    Py_INCREF(name);
    p->slot[p->n++].name = name;
    return 0;
}

fpy_slots *fpy_slots_plan(PyTypeObject *tp, int *failed)
{
    PyObject *mro = tp->tp_mro;
    size_t cap = 4;
    fpy_slots *plan;
    Py_ssize_t ci, k;

    *failed = 0;
    plan = malloc(sizeof *plan + cap * sizeof plan->slot[0]);
    if (!plan)
        goto fail;
    plan->n = 0;
    if (!fpy_mro_get(tp, fpy_str_slots) || !mro || !PyTuple_Check(mro))
        return plan; /* pympler's hasattr(obj, '__slots__') is false */
    for (ci = 0; ci < PyTuple_GET_SIZE(mro); ci++) {
        PyTypeObject *c = (PyTypeObject *)PyTuple_GET_ITEM(mro, ci);
        PyObject *slots, *names;
        if (!PyType_Check(c) || !(slots = fpy_mro_get(c, fpy_str_slots)))
            continue;
        names = slot_names(slots);
        if (!names)
            goto fail;
        for (k = 0; k < PyTuple_GET_SIZE(names); k++) {
            PyObject *a = PyTuple_GET_ITEM(names, k), *name;
            int r;
            if (!PyUnicode_CheckExact(a) || !PyUnicode_IS_READY(a))
                continue;
            if (PyUnicode_GET_LENGTH(a) >= 2 &&
                PyUnicode_READ_CHAR(a, 0) == '_' &&
                PyUnicode_READ_CHAR(a, 1) == '_')
                name = mangled(c, a);
            else
                name = Py_NewRef(a);
            r = name ? add_slot(&plan, &cap, tp, name) : -1;
            Py_XDECREF(name);
            if (r < 0) {
                Py_DECREF(names);
                goto fail;
            }
        }
        Py_DECREF(names);
    }
    return plan;
fail:
    PyErr_Clear();
    fpy_slots_free(plan);
    *failed = 1;
    return NULL;
}

void fpy_slots_free(fpy_slots *plan)
{
    size_t i;

    if (!plan)
        return;
    for (i = 0; i < plan->n; i++) {
        Py_DECREF(plan->slot[i].name);
        free(plan->slot[i].text);
    }
    free(plan);
}
