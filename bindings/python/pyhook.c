/*
 * pyhook.c - seeing tracked objects die without weak references.
 *
 * SCons's nodes are __slots__ classes without __weakref__: nothing can
 * hold a weak reference to them, so the tracker learns of their deaths
 * from their type instead.  Every class instance is freed by CPython's
 * subtype_dealloc (Objects/typeobject.c, 3.10 to 3.13), which calls the
 * type's tp_finalize through PyObject_CallFinalizerFromDealloc while the
 * object is still whole (before weak references, slots and the dict are
 * cleared), and the cyclic collector calls tp_finalize of unreachable
 * objects before it breaks their cycles.  So each type with a tracked
 * instance gets a C tp_finalize that reports the death and then runs the
 * type's own (kept here, per type).  tp_dealloc is left alone: subtype_dealloc finds the
 * base to call by comparing tp_dealloc with itself, and a replaced
 * tp_dealloc on a base would be called as that base's and recurse.
 *
 * What can take the hook away, and what covers it:
 * - a new subclass does not inherit it: type_new's fixup_slot_dispatchers
 *   sets tp_finalize from __del__ in the MRO, or NULL.  Every object is
 *   hooked through its exact type when it is tracked, so that is enough.
 * - assigning __class__ moves an object to a type that may lack the hook:
 *   object's __class__ descriptor is replaced by one whose setter runs the
 *   original and then hooks the new type (fpy_record_morph).
 * - assigning or deleting __del__ or __bases__ on a hooked class resets
 *   its tp_finalize.  fpy_hook_verify, run before every snapshot, notices,
 *   hooks the type again and has the trackers drop every object the
 *   collector no longer knows (they may have died unseen).
 * - an object finalized once (a resurrected one) is never finalized
 *   again, so such objects are not hooked (fpy_hook_object says 0).
 * A hook left on a type nobody tracks costs one call per death; all are
 * removed when no tracker follows anything (fpy_hook_release_if_idle).
 */
#include "pyinternal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct hooked {
    PyTypeObject *type;  /* strong reference; NULL: free slot */
    destructor orig;     /* its tp_finalize before the hook */
    char *repr;          /* "<module.Class object>" */
} hooked;

static struct {
    hooked *slot;
    size_t cap, count;
    destructor subtype_dealloc; /* how class instances are freed */
    PyObject *class_descr;      /* object's own __class__ descriptor */
    PyObject *class_mine;       /* the one that replaces it */
    PyGetSetDef class_getset;
    int lost;                   /* a hooked type was found unhooked */
} H;

static void hook_finalize(PyObject *self);

static size_t slot_of(const PyTypeObject *tp, size_t mask)
{
    uintptr_t h = (uintptr_t)tp;

    h ^= h >> 17;
    h *= (uintptr_t)0x9E3779B97F4A7C15ull;
    return (size_t)(h >> 7) & mask;
}

static hooked *find(const PyTypeObject *tp)
{
    size_t mask, i;

    if (!H.cap)
        return NULL;
    mask = H.cap - 1;
    for (i = slot_of(tp, mask); H.slot[i].type; i = (i + 1) & mask)
        if (H.slot[i].type == tp)
            return &H.slot[i];
    return NULL;
}

static int grow(void)
{
    size_t cap = H.cap ? H.cap * 2 : 64, i;
    hooked *slots = calloc(cap, sizeof *slots);

    if (!slots)
        return -1;
    for (i = 0; i < H.cap; i++) {
        size_t j;
        if (!H.slot[i].type)
            continue;
        for (j = slot_of(H.slot[i].type, cap - 1); slots[j].type;
             j = (j + 1) & (cap - 1))
            ;
        slots[j] = H.slot[i];
    }
    free(H.slot);
    H.slot = slots;
    H.cap = cap;
    return 0;
}

/* The finalizer a type would run without the hook: its own, else (a type
 * that inherited the hook at C level, e.g. from PyType_FromSpec) the
 * nearest one in its MRO. */
static destructor original_of(PyTypeObject *tp)
{
    hooked *e = find(tp);
    PyObject *mro;
    Py_ssize_t i;

    if (e)
        return e->orig;
    mro = tp->tp_mro;
    if (!mro || !PyTuple_Check(mro))
        return NULL;
    for (i = 1; i < PyTuple_GET_SIZE(mro); i++) {
        PyTypeObject *b = (PyTypeObject *)PyTuple_GET_ITEM(mro, i);
        if ((e = find(b)))
            return e->orig;
        if (b->tp_finalize && b->tp_finalize != hook_finalize)
            return b->tp_finalize;
    }
    return NULL;
}

/* Runs for every instance of a hooked type once, from its deallocation or
 * from the collector, GIL held, object intact.  The type's own finalizer
 * runs first: should it track the object again, the death recorded after
 * it still wins, so the object is never followed past this point. */
static void hook_finalize(PyObject *self)
{
    destructor orig = original_of(Py_TYPE(self));

    if (orig)
        orig(self);
    fpy_record_death((fp_handle)self);
}

static char *type_repr(PyTypeObject *tp)
{
    char buf[256], *s;
    const char *mod = fpy_class_module(tp, buf, sizeof buf), *name = tp->tp_name;
    size_t n;

    if (PyType_HasFeature(tp, Py_TPFLAGS_HEAPTYPE)) {
        PyObject *q = ((PyHeapTypeObject *)tp)->ht_qualname;
        const char *u = q && PyUnicode_Check(q) ? PyUnicode_AsUTF8(q) : NULL;
        if (u)
            name = u;
        else
            PyErr_Clear();
    } else {
        const char *dot = strrchr(name, '.');
        if (dot)
            name = dot + 1;
    }
    if (mod && strcmp(mod, "builtins") == 0)
        mod = NULL;
    n = (mod ? strlen(mod) + 1 : 0) + strlen(name) + sizeof "< object>";
    s = malloc(n);
    if (s)
        snprintf(s, n, "<%s%s%s object>", mod ? mod : "", mod ? "." : "",
                 name);
    return s;
}

char *fpy_type_repr(PyTypeObject *tp)
{
    return type_repr(tp);
}

const char *fpy_hook_repr(PyTypeObject *tp)
{
    hooked *e = find(tp);
    return e ? e->repr : NULL;
}

/* ---- object.__class__ ---- */

static PyGetSetDef *orig_getset(void)
{
    return ((PyGetSetDescrObject *)H.class_descr)->d_getset;
}

static PyObject *class_get(PyObject *obj, void *closure)
{
    PyGetSetDef *g = orig_getset();
    (void)closure;
    return g->get(obj, g->closure);
}

static int class_set(PyObject *obj, PyObject *value, void *closure)
{
    PyGetSetDef *g = orig_getset();
    PyTypeObject *old = Py_TYPE(obj);
    int r;

    (void)closure;
    Py_INCREF(old);
    r = g->set(obj, value, g->closure);
    if (r == 0 && Py_TYPE(obj) != old)
        fpy_record_morph(obj);
    Py_DECREF(old);
    return r;
}

/* Put a __class__ descriptor whose setter calls the original one into
 * object's dict, where every class instance finds it.  Both descriptors
 * are kept for the life of the process: code may hold either. */
static int install_class_descr(void)
{
    PyObject *dict = fpv_type_dict(&PyBaseObject_Type), *d;

    if (!dict) {
        PyErr_SetString(PyExc_RuntimeError,
                        "footprint: object has no namespace dict");
        return -1;
    }
    d = PyDict_GetItemString(dict, "__class__");
    if (H.class_mine && d == H.class_mine)
        return 0;
    if (!H.class_descr) {
        if (!d || !Py_IS_TYPE(d, &PyGetSetDescr_Type)) {
            PyErr_SetString(PyExc_RuntimeError,
                            "footprint: object.__class__ is not the getset "
                            "descriptor CPython defines");
            return -1;
        }
        H.class_getset.name = "__class__";
        H.class_getset.get = class_get;
        H.class_getset.set = class_set;
        H.class_getset.doc = ((PyGetSetDescrObject *)d)->d_getset->doc;
        H.class_getset.closure = NULL;
        H.class_mine = PyDescr_NewGetSet(&PyBaseObject_Type, &H.class_getset);
        if (!H.class_mine)
            return -1;
        H.class_descr = Py_NewRef(d);
    } else if (d != H.class_descr) {
        PyErr_SetString(PyExc_RuntimeError,
                        "footprint: object.__class__ was replaced");
        return -1;
    }
    if (PyDict_SetItemString(dict, "__class__", H.class_mine) < 0)
        return -1;
    PyType_Modified(&PyBaseObject_Type);
    return 0;
}

static void remove_class_descr(void)
{
    PyObject *dict = fpv_type_dict(&PyBaseObject_Type);

    if (!fpy_class_descr_installed())
        return;
    if (PyDict_SetItemString(dict, "__class__", H.class_descr) < 0)
        PyErr_Clear();
    PyType_Modified(&PyBaseObject_Type);
}

int fpy_class_descr_installed(void)
{
    PyObject *dict = fpv_type_dict(&PyBaseObject_Type);

    return H.class_mine && dict &&
           PyDict_GetItemString(dict, "__class__") == H.class_mine;
}

/* ---- hooking types ---- */

int fpy_hook_init(void)
{
    PyObject *probe = PyObject_CallFunction((PyObject *)&PyType_Type,
                                            "s(O){}", "footprint_probe",
                                            (PyObject *)&PyBaseObject_Type);
    if (!probe)
        return -1;
    H.subtype_dealloc = ((PyTypeObject *)probe)->tp_dealloc;
    Py_DECREF(probe);
    return 0;
}

static int hook_type(PyTypeObject *tp)
{
    hooked *e;
    size_t i, mask;
    char *repr;

    if (tp->tp_finalize == hook_finalize && find(tp))
        return 1; /* the common case: one compare, one probe */
    if (!PyType_HasFeature(tp, Py_TPFLAGS_HEAPTYPE) ||
        tp->tp_dealloc != H.subtype_dealloc)
        return 0;
    if (install_class_descr() < 0)
        return -1;
    if ((e = find(tp))) { /* lost it: tell fpy_hook_verify */
        H.lost = 1;
        e->orig = tp->tp_finalize;
        tp->tp_finalize = hook_finalize;
        PyType_Modified(tp);
        return 1;
    }
    if ((H.count + 1) * 2 > H.cap && grow() < 0) {
        PyErr_NoMemory();
        return -1;
    }
    if (!(repr = type_repr(tp))) {
        PyErr_NoMemory();
        return -1;
    }
    mask = H.cap - 1;
    for (i = slot_of(tp, mask); H.slot[i].type; i = (i + 1) & mask)
        ;
    H.slot[i].orig = tp->tp_finalize == hook_finalize ? original_of(tp)
                                                       : tp->tp_finalize;
    H.slot[i].type = (PyTypeObject *)Py_NewRef((PyObject *)tp);
    H.slot[i].repr = repr;
    H.count++;
    tp->tp_finalize = hook_finalize;
    PyType_Modified(tp);
    return 1;
}

int fpy_hook_object(PyObject *obj)
{
    PyTypeObject *tp = Py_TYPE(obj);

    /* a finalizer runs once per object: one that already ran (an object
     * resurrected by its __del__) will not report a second death */
    if (PyType_IS_GC(tp) && PyObject_GC_IsFinalized(obj))
        return 0;
    return hook_type(tp);
}

int fpy_hook_verify(void)
{
    size_t i;
    int lost = H.lost;

    H.lost = 0;
    for (i = 0; i < H.cap; i++) {
        PyTypeObject *tp = H.slot[i].type;
        if (!tp || tp->tp_finalize == hook_finalize)
            continue;
        lost++;
        H.slot[i].orig = tp->tp_finalize;
        tp->tp_finalize = hook_finalize;
        PyType_Modified(tp);
    }
    return lost;
}

int fpy_hook_has(PyTypeObject *tp)
{
    return tp->tp_finalize == hook_finalize;
}

size_t fpy_hook_count(void)
{
    return H.count;
}

size_t fpy_hook_memory(void)
{
    size_t n = H.cap * sizeof *H.slot, i;

    for (i = 0; i < H.cap; i++)
        if (H.slot[i].repr)
            n += strlen(H.slot[i].repr) + 1;
    return n;
}

/* Put every type back as it was.  Types that inherited the hook at C
 * level keep it; it then runs what they would have run. */
static void unhook_all(void)
{
    hooked *slots = H.slot;
    size_t cap = H.cap, i;

    H.slot = NULL;
    H.cap = H.count = 0;
    for (i = 0; i < cap; i++) {
        PyTypeObject *tp = slots[i].type;
        if (!tp)
            continue;
        if (tp->tp_finalize == hook_finalize) {
            tp->tp_finalize = slots[i].orig;
            PyType_Modified(tp);
        }
        free(slots[i].repr);
    }
    /* references last: a type freed here must find the table consistent */
    for (i = 0; i < cap; i++)
        Py_XDECREF(slots[i].type);
    free(slots);
    remove_class_descr();
}

void fpy_hook_release_if_idle(void)
{
    if ((H.count || fpy_class_descr_installed()) && !fpy_trackers_need_hooks())
        unhook_all();
}
