/*
 * pytypes.c - pympler.asizeof's type definitions, decided at the C level.
 *
 * pympler keeps a table of _Typedefs: fixed ones for builtin types (keyed
 * by exact type) and ones it derives for other types from a chain of
 * tests (module? code? callable? dict subclass? named tuple? ...).  The
 * same tests are made here on the type, never by calling into the object,
 * so that figures match pympler's without running the measured program.
 */
#include "pyinternal.h"

#include <stdlib.h>
#include <string.h>

PyTypeObject *fpy_array_type;

/* A type pympler defines up front (exact type only). */
typedef struct fpy_static {
    PyTypeObject *type;
    unsigned char cat, data, kind;
    const char *prefix;
} fpy_static;

#define FPY_MAX_STATIC 64
static fpy_static statics[FPY_MAX_STATIC];
static size_t nstatics;

/* Modules whose classes and instances are ignored by default (pympler's
 * _ignored_modules, with this package in place of pympler's module). */
static const char *const ignored_modules[] = {"builtins", "types",
                                              "footprint.asizeof"};

static int add_static(PyTypeObject *tp, int cat, int data, int kind,
                      const char *prefix)
{
    size_t i;

    for (i = 0; i < nstatics; i++)
        if (statics[i].type == tp)
            return 0; /* pympler keeps the first definition */
    if (nstatics == FPY_MAX_STATIC) {
        PyErr_SetString(PyExc_RuntimeError, "footprint: too many types");
        return -1;
    }
    Py_INCREF(tp); /* types from modules must outlive the table */
    statics[nstatics].type = tp;
    statics[nstatics].cat = (unsigned char)cat;
    statics[nstatics].data = (unsigned char)data;
    statics[nstatics].kind = (unsigned char)kind;
    statics[nstatics].prefix = prefix;
    nstatics++;
    return 0;
}

static const fpy_static *find_static(PyTypeObject *tp)
{
    size_t i;

    for (i = 0; i < nstatics; i++)
        if (statics[i].type == tp)
            return &statics[i];
    return NULL;
}

/* module.attr as a type, or NULL with an exception set. */
static PyTypeObject *import_type(const char *module, const char *attr)
{
    PyObject *m = PyImport_ImportModule(module), *t;

    if (!m)
        return NULL;
    t = PyObject_GetAttrString(m, attr);
    Py_DECREF(m);
    if (t && !PyType_Check(t)) {
        PyErr_Format(PyExc_TypeError, "%s.%s is not a type", module, attr);
        Py_CLEAR(t);
    }
    return (PyTypeObject *)t;
}

/* The type of the iterator over o (o is consumed). */
static int add_iter_of(PyObject *o)
{
    PyObject *it;
    int r;

    if (!o)
        return -1;
    it = PyObject_GetIter(o);
    Py_DECREF(o);
    if (!it)
        return -1;
    r = add_static(Py_TYPE(it), FPY_ITER, 1, FPY_STATIC, NULL);
    Py_DECREF(it);
    return r;
}

/* The type of the iterator over a view of an empty dict. */
static int add_iter_of_view(const char *method)
{
    PyObject *d = PyDict_New(), *view;

    if (!d)
        return -1;
    view = PyObject_CallMethod(d, method, NULL);
    Py_DECREF(d);
    return add_iter_of(view);
}

static int add_module_type(const char *module, const char *attr, int cat,
                           const char *prefix)
{
    PyTypeObject *t = import_type(module, attr);
    int r;

    if (!t) {
        /* pympler skips the ones a platform lacks (os.statvfs) */
        if (PyErr_ExceptionMatches(PyExc_ImportError) ||
            PyErr_ExceptionMatches(PyExc_AttributeError)) {
            PyErr_Clear();
            return 0;
        }
        return -1;
    }
    r = add_static(t, cat, 1, FPY_STATIC, prefix);
    Py_DECREF(t);
    return r;
}

/* The builtin types pympler defines up front (exact types). */
static int add_fixed_types(void)
{
    /* Order matters only where pympler would define a type twice. */
    struct {
        PyTypeObject *type;
        int cat, data, kind;
    } fixed[] = {
        {&PyComplex_Type, FPY_ATOM, 1, FPY_STATIC},
        {&PyFloat_Type, FPY_ATOM, 1, FPY_STATIC},
        {&PyLong_Type, FPY_ATOM, 1, FPY_STATIC},
        {&PyList_Type, FPY_SEQ, 1, FPY_STATIC},
        {&PyTuple_Type, FPY_SEQ, 1, FPY_STATIC},
        {&PyProperty_Type, FPY_PROP, 1, FPY_STATIC},
        {&PyEllipsis_Type, FPY_ATOM, 1, FPY_STATIC},
        {Py_TYPE(Py_None), FPY_ATOM, 1, FPY_STATIC},
        {&PyDict_Type, FPY_DICT, 1, FPY_STATIC},
        {&PyDictProxy_Type, FPY_PROXY, 1, FPY_STATIC},
        {&PyModule_Type, FPY_MODULE, 1, FPY_STATIC},
        {&PyBool_Type, FPY_ATOM, 1, FPY_STATIC},
        {&PyByteArray_Type, FPY_ATOM, 1, FPY_STATIC},
        /* not bytes: pympler's test for it (type(bytes) is not type(str))
         * is false on Python 3, so bytes is sized as an instance */
        {&PyEnum_Type, FPY_DOC, 1, FPY_STATIC},
        {(PyTypeObject *)PyExc_Exception, FPY_EXC, 1, FPY_STATIC},
        {&PyFrozenSet_Type, FPY_SEQ, 1, FPY_STATIC},
        {&PySet_Type, FPY_SEQ, 1, FPY_STATIC},
        {&PyGetSetDescr_Type, FPY_ATOM, 1, FPY_STATIC},
        {&PyMemberDescr_Type, FPY_ATOM, 1, FPY_STATIC},
        {Py_TYPE(Py_NotImplemented), FPY_ATOM, 1, FPY_STATIC},
        {&PyRange_Type, FPY_ATOM, 1, FPY_STATIC},
        {&PyReversed_Type, FPY_DOC, 1, FPY_STATIC},
        {&PySlice_Type, FPY_ATOM, 1, FPY_STATIC},
        {&PyTraceBack_Type, FPY_TB, 1, FPY_STATIC},
        {&PyUnicode_Type, FPY_ATOM, 1, FPY_STATIC},
        {&_PyWeakref_ProxyType, FPY_ATOM, 1, FPY_STATIC},
        {&_PyWeakref_RefType, FPY_WEAK, 1, FPY_STATIC},
        /* code only */
        {&PyBaseObject_Type, FPY_ATOM, 0, FPY_IGNORED},
        {&PySuper_Type, FPY_ATOM, 0, FPY_IGNORED},
        {&PyClassMethod_Type, FPY_WRAPPER, 0, FPY_STATIC},
        {&PyStaticMethod_Type, FPY_WRAPPER, 0, FPY_STATIC},
        {&PyMethod_Type, FPY_METHOD, 0, FPY_STATIC},
        {&PyGen_Type, FPY_GEN, 1, FPY_STATIC},
        {&_PyWeakref_CallableProxyType, FPY_WEAK, 0, FPY_STATIC},
        {&PyCallIter_Type, FPY_ITER, 1, FPY_STATIC},
    };
    size_t i;

    for (i = 0; i < sizeof fixed / sizeof fixed[0]; i++)
        if (add_static(fixed[i].type, fixed[i].cat, fixed[i].data,
                       fixed[i].kind, NULL) < 0)
            return -1;
    return 0;
}

/* The iterators pympler meets building its table. */
static int add_iterator_types(void)
{
    PyObject *l, *r;

    if (add_iter_of_view("items") < 0 || add_iter_of_view("keys") < 0 ||
        add_iter_of_view("values") < 0)
        return -1;
    if (!(l = PyList_New(0)))
        return -1;
    r = PyObject_CallFunctionObjArgs((PyObject *)&PyReversed_Type, l, NULL);
    Py_DECREF(l);
    /* reversed([]) is a list_reverseiterator, its own iterator */
    if (!r || add_iter_of(r) < 0)
        return -1;
    if (add_iter_of(PyList_New(0)) < 0 || add_iter_of(PyTuple_New(0)) < 0 ||
        add_iter_of(PyByteArray_FromStringAndSize("", 0)) < 0 ||
        add_iter_of(PyBytes_FromStringAndSize("", 0)) < 0 ||
        add_iter_of(PyFrozenSet_New(NULL)) < 0 ||
        add_iter_of(PyUnicode_FromString("")) < 0)
        return -1;
    return 0;
}

int fpy_types_init(void)
{
    if (nstatics)
        return 0;
    if (fpy_lookup_init() < 0 || fpy_flat_init() < 0 ||
        add_fixed_types() < 0)
        return -1;
    if (add_module_type("os", "stat_result", FPY_STRUCTSEQ, "st_") < 0 ||
        add_module_type("os", "statvfs_result", FPY_STRUCTSEQ, "f_") < 0 ||
        add_module_type("struct", "Struct", FPY_ATOM, NULL) < 0 ||
        add_module_type("weakref", "KeyedRef", FPY_WEAK, NULL) < 0 ||
        add_iterator_types() < 0)
        return -1;
    fpy_array_type = import_type("array", "array");
    if (!fpy_array_type)
        PyErr_Clear(); /* a Python without array: nothing to special-case */
    return 0;
}

const char *fpy_kind_name(int kind)
{
    static const char *const names[] = {"static", "dynamic", "derived",
                                        "ignored", "inferred"};
    return kind >= 0 && kind <= FPY_INFERRED ? names[kind] : "?";
}

static int module_is_ignored(const char *m)
{
    size_t i;

    if (!m)
        return 0;
    for (i = 0; i < sizeof ignored_modules / sizeof ignored_modules[0]; i++)
        if (strcmp(m, ignored_modules[i]) == 0)
            return 1;
    return 0;
}

/* pympler's _isignored(obj) for an instance: obj.__module__, found on the
 * type as a plain str (the instance dict is not consulted: it would make
 * the answer differ per instance, and no real class relies on it). */
static int instance_module_ignored(PyTypeObject *tp)
{
    PyObject *m = fpy_mro_get(tp, fpy_str_module);

    return m && PyUnicode_CheckExact(m) && PyUnicode_IS_READY(m) &&
           PyUnicode_IS_ASCII(m) &&
           module_is_ignored((const char *)PyUnicode_DATA(m));
}

/* The builtin type pympler defines that tp derives from: the first in
 * its MRO with a definition (what the derive option promises). */
static const fpy_static *derived_from(PyTypeObject *tp)
{
    PyObject *mro = tp->tp_mro;
    Py_ssize_t i;

    if (!mro || !PyTuple_Check(mro))
        return NULL;
    for (i = 1; i < PyTuple_GET_SIZE(mro); i++) {
        PyObject *b = PyTuple_GET_ITEM(mro, i);
        const fpy_static *s;
        if (b == (PyObject *)&PyBaseObject_Type || !PyType_Check(b))
            continue;
        s = find_static((PyTypeObject *)b);
        if (s && s->data)
            return s;
    }
    return NULL;
}

static void classify_type(const fp_py_opts *o, PyTypeObject *tp,
                          fpy_type *t)
{
    const fpy_static *s = find_static(tp);

    t->type = tp;
    t->prefix = NULL;
    t->sizeof_fn = fpy_find_sizeof(tp);
    t->sizing = (unsigned char)fpy_sizing_of(t->sizeof_fn);
    t->preheader = fpv_preheader(tp, NULL);
    t->kind = FPY_DYNAMIC;
    t->data = 1;
    t->slots = NULL;
    t->opaque = 0;
    if (s) {
        t->cat = s->cat;
        t->data = s->data;
        t->kind = s->kind;
        t->prefix = s->prefix;
        return;
    }
    if (PyType_IsSubtype(tp, &PyModule_Type)) {
        t->cat = FPY_MODULE;
    } else if (tp == &PyFrame_Type) {
        t->cat = FPY_FRAME;
        if (!o->frames)
            t->kind = FPY_IGNORED;
    } else if (tp == &PyCode_Type) {
        t->cat = FPY_CODE;
        t->data = 0;
    } else if (tp->tp_call) {
        /* pympler: callable(obj); classes never reach here */
        t->cat = FPY_INST;
        if (PyType_IsSubtype(tp, &PyCFunction_Type)) {
            t->cat = FPY_ATOM;
            t->data = 0;
            t->kind = FPY_IGNORED;
        } else if (PyType_IsSubtype(tp, &PyFunction_Type)) {
            t->cat = FPY_FUNC;
            t->data = 0;
        } else if (PyType_IsSubtype(tp, &PyMethod_Type)) {
            t->cat = FPY_METHOD;
            t->data = 0;
        }
    } else if (PyType_IsSubtype(tp, &PyDict_Type)) {
        t->cat = FPY_DICT;
        t->kind = FPY_DERIVED;
    } else if (tp == &PyCell_Type) {
        t->cat = FPY_CELL;
    } else if (PyType_IsSubtype(tp, &PyTuple_Type) &&
               fpy_mro_get(tp, fpy_str_fields)) {
        t->cat = FPY_NTUPLE;
    } else if (fpy_array_type && PyType_IsSubtype(tp, fpy_array_type)) {
        t->cat = FPY_ARRAY;
    } else if (instance_module_ignored(tp)) {
        t->cat = FPY_ATOM;
        t->kind = FPY_IGNORED;
    } else if (o->derive && (s = derived_from(tp)) != NULL) {
        t->cat = s->cat;
        t->prefix = s->prefix;
        t->kind = FPY_DERIVED;
    } else if (PyType_IsSubtype(tp, (PyTypeObject *)PyExc_Exception)) {
        t->cat = FPY_EXC;
        t->kind = FPY_DERIVED;
    } else {
        t->cat = FPY_INST;
        /* pympler sees only the flat size of such an object (an
         * ElementTree Element): its tp_traverse shows what it holds.  C
         * types are static or (3.12 made Element one) immutable heap
         * types; a class statement makes neither.  Built-in and
         * collections types (memoryview, deque) keep pympler's flat
         * figure unless traverse=True, so results stay comparable for the
         * types people compare most (docs/python.md). */
        t->opaque = (!(tp->tp_flags & Py_TPFLAGS_HEAPTYPE) ||
                     (tp->tp_flags & Py_TPFLAGS_IMMUTABLETYPE)) &&
                    tp->tp_traverse != NULL && strchr(tp->tp_name, '.') &&
                    strncmp(tp->tp_name, "collections.", 12) != 0;
    }
}

/* A class object: code only; ignored when its module is. */
static void classify_class(PyTypeObject *cls, fpy_type *t)
{
    char buf[256];

    t->type = Py_TYPE(cls);
    t->cat = FPY_CLASS;
    t->data = 0;
    t->prefix = NULL;
    t->slots = NULL;
    t->sizeof_fn = fpy_find_sizeof(Py_TYPE(cls));
    t->sizing = (unsigned char)fpy_sizing_of(t->sizeof_fn);
    t->preheader = fpv_preheader(Py_TYPE(cls), (PyObject *)cls);
    if (module_is_ignored(fpy_class_module(cls, buf, sizeof buf)))
        t->kind = FPY_IGNORED;
    else
        t->kind = find_static(cls) ? FPY_STATIC : FPY_DYNAMIC;
}

/* ---- the per-call cache ---- */

static size_t slot_of(const fpy_cache *c, PyTypeObject *tp)
{
    size_t h = (size_t)(((uintptr_t)tp >> 4) * (uintptr_t)0x9E3779B97F4A7C15u);
    return h & (c->cap - 1);
}

static int cache_grow(fpy_cache *c)
{
    size_t cap = c->cap ? c->cap * 2 : 64, i;
    fpy_type *old = c->slots, *slots = calloc(cap, sizeof *slots);

    if (!slots)
        return -1;
    c->slots = slots;
    c->cap = cap;
    c->count = 0;
    for (i = 0; old && i < cap / 2; i++) {
        if (old[i].type) {
            size_t j = slot_of(c, old[i].type);
            while (slots[j].type)
                j = (j + 1) & (cap - 1);
            slots[j] = old[i];
            c->count++;
        }
    }
    free(old);
    return 0;
}

void fpy_cache_clear(fpy_cache *c)
{
    size_t i;

    for (i = 0; c->count && i < c->cap; i++)
        fpy_slots_free(c->slots[i].slots);
    if (c->count)
        memset(c->slots, 0, c->cap * sizeof *c->slots);
    c->count = 0;
}

void fpy_cache_free(fpy_cache *c)
{
    fpy_cache_clear(c);
    free(c->slots);
    c->slots = NULL;
    c->cap = c->count = 0;
}

const fpy_type *fpy_cache_probe(fpy_host *h, PyTypeObject *tp)
{
    size_t j;

    if (!h->cache.cap)
        return NULL;
    for (j = slot_of(&h->cache, tp); h->cache.slots[j].type;
         j = (j + 1) & (h->cache.cap - 1))
        if (h->cache.slots[j].type == tp) {
            h->last = j;
            return &h->cache.slots[j];
        }
    return NULL;
}

/* What inspect answers for t's objects under the options o. */
static void decide(const fp_py_opts *o, fpy_type *t)
{
    if (t->excluded)
        t->verdict = FPY_SKIP_EXCLUDED;
    else if (!(t->data || o->code) || (t->kind == FPY_IGNORED && o->ignored))
        t->verdict = FPY_SKIP;
    else
        t->verdict = FPY_SIZE;
    t->flags = t->cat == FPY_ATOM || t->cat == FPY_ARRAY ? FP_INFO_LEAF
               : t->cat == FPY_MODULE                    ? FP_INFO_LEAF_UNLESS_ROOT
                                                         : 0;
}

int fpy_classify(fpy_host *h, PyObject *obj, fpy_type *out)
{
    PyTypeObject *tp = Py_TYPE(obj);
    fp_py_opts defaults;
    const fpy_type *cached;
    size_t j;
    int failed;

    if (h && (cached = fpy_classify_cached(h, obj)) != NULL) {
        *out = *cached;
        return 0;
    }
    /* the helper functions: pympler's definitions, everything sized */
    fp_py_opts_init(&defaults);
    defaults.ignored = 0;
    defaults.code = 1;
    if (PyType_Check(obj)) {
        classify_class((PyTypeObject *)obj, out);
        out->excluded = h && h->excluded_types &&
                        fp_set_contains(h->excluded_types, (fp_handle)obj);
        decide(h ? &h->opts : &defaults, out);
        return 0;
    }
    if (!h) {
        classify_type(&defaults, tp, out);
        out->excluded = 0;
        decide(&defaults, out);
        return 0;
    }
    classify_type(&h->opts, tp, out);
    out->excluded = h->excluded_types &&
                    fp_set_contains(h->excluded_types, (fp_handle)tp);
    decide(&h->opts, out);
    if ((h->cache.count + 1) * 2 > h->cache.cap && cache_grow(&h->cache) < 0)
        return 0; /* uncached is only slower (and reads slots per object) */
    if (out->cat == FPY_INST || out->cat == FPY_NTUPLE)
        out->slots = fpy_slots_plan(tp, &failed);
    for (j = slot_of(&h->cache, tp); h->cache.slots[j].type;
         j = (j + 1) & (h->cache.cap - 1))
        ;
    h->cache.slots[j] = *out;
    h->cache.count++;
    h->last = j;
    return 0;
}
