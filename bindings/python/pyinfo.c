/*
 * pyinfo.c - pympler's per-object helpers: basicsize, itemsize, leng,
 * flatsize and refs, answered with pympler's figures but without calling
 * len(), __length_hint__ or attributes written in Python.
 */
#include "pyinternal.h"

#include <stdlib.h>
#include <string.h>
#include <structmember.h>

/* pympler's estimate of sizeof(PyGC_Head) when _testcapi is missing (as
 * on Debian): 2 pointers and a Py_ssize_t, rounded up to 16.  Its
 * basicsize figures carry it, so they are kept comparable here. */
#define FPY_GC_HEAD (((2 * sizeof(void *) + sizeof(Py_ssize_t)) + 15) & ~(size_t)15)
#define FPY_DICT_ENTRY (sizeof(Py_ssize_t) + 2 * sizeof(void *))
#define FPY_SET_ENTRY (sizeof(long) + sizeof(void *))
#define FPY_MODULE_ITEM (FPY_DICT_ENTRY + 3 * sizeof(void *))
/* struct.calcsize of pympler's PyFrameObject and PyCodeObject guesses */
#define FPY_FRAME_GUESS 384
#define FPY_CODE_GUESS 120

enum leng_fn {
    LENG_NONE,
    LENG_LEN,
    LENG_LIST,
    LENG_DICT,
    LENG_SET,
    LENG_STR,
    LENG_INT,
    LENG_ALLOC,
    LENG_SLICE,
    LENG_STRUCT,
    LENG_ITER,
    LENG_MODULE,
    LENG_CODE,
    LENG_FRAME,
    LENG_ARRAY
};

typedef struct info {
    size_t base, item;
    int leng;
} info;

static size_t basic(PyTypeObject *tp, size_t min)
{
    size_t s = (size_t)tp->tp_basicsize;

    if (s < min)
        s = min;
    return s + (PyType_HasFeature(tp, Py_TPFLAGS_HAVE_GC) ? FPY_GC_HEAD : 0);
}

static size_t itemsize_or(PyTypeObject *tp, size_t dflt)
{
    return tp->tp_itemsize > 0 ? (size_t)tp->tp_itemsize : dflt;
}

/* The definition pympler gives a builtin type it knows by name. */
static info static_info(PyTypeObject *tp)
{
    info i = {basic(tp, 0), itemsize_or(tp, 0), LENG_NONE};

    if (tp == &PyList_Type)
        i.item = sizeof(void *), i.leng = LENG_LIST;
    else if (tp == &PyTuple_Type || tp == &PyBytes_Type)
        i.leng = LENG_LEN;
    else if (tp == &PyDict_Type || tp == &PyDictProxy_Type)
        i.item = FPY_DICT_ENTRY, i.leng = LENG_DICT;
    else if (tp == &PyModule_Type)
        i.base = basic(tp, basic(&PyDict_Type, 0)), i.item = FPY_MODULE_ITEM,
        i.leng = LENG_MODULE;
    else if (tp == &PyByteArray_Type)
        i.item = 1, i.leng = LENG_ALLOC;
    else if (tp == &PySet_Type || tp == &PyFrozenSet_Type)
        i.item = FPY_SET_ENTRY, i.leng = LENG_SET;
    else if (tp == &PySlice_Type)
        i.item = sizeof(void *), i.leng = LENG_SLICE;
    else if (tp == &PyUnicode_Type)
        i.item = itemsize_or(tp, 1), i.leng = LENG_STR;
    else if (tp == &PyLong_Type)
        i.leng = LENG_INT;
    else if (strcmp(tp->tp_name, "Struct") == 0 ||
             strcmp(tp->tp_name, "_struct.Struct") == 0)
        i.item = 1, i.leng = LENG_STRUCT;
    else if (strcmp(tp->tp_name, "os.statvfs_result") == 0)
        i.item = itemsize_or(tp, sizeof(void *)), i.leng = LENG_LEN;
    return i;
}

static info dict_info(void)
{
    info i = {basic(&PyDict_Type, 0), FPY_DICT_ENTRY, LENG_DICT};
    return i;
}

/* Call a builtin getset's C getter (array.itemsize, Struct.size). */
static Py_ssize_t getset_long(PyObject *obj, const char *name)
{
    PyObject *n = PyUnicode_InternFromString(name), *d, *r = NULL;
    Py_ssize_t v = -1;

    if (!n)
        goto out;
    d = fpy_mro_get(Py_TYPE(obj), n);
    /* a getset's getter is always C; these two only read a field */
    if (d && Py_IS_TYPE(d, &PyGetSetDescr_Type) &&
        PyObject_TypeCheck(obj, ((PyGetSetDescrObject *)d)->d_common.d_type)) {
        PyGetSetDef *g = ((PyGetSetDescrObject *)d)->d_getset;
        if (g && g->get)
            r = g->get(obj, g->closure);
    }
    if (r && PyLong_Check(r))
        v = PyLong_AsSsize_t(r);
out:
    Py_XDECREF(n);
    Py_XDECREF(r);
    PyErr_Clear();
    return v;
}

/* len(obj) when the type's __len__ is C (a slot wrapper found first in
 * the MRO); 0 when it is Python code, missing or failing, where pympler's
 * len() would have run that code (or caught its TypeError). */
static Py_ssize_t c_len(PyObject *obj)
{
    static PyObject *name;
    PyTypeObject *tp = Py_TYPE(obj);
    PyObject *d;
    Py_ssize_t n = 0;

    if (!name && !(name = PyUnicode_InternFromString("__len__"))) {
        PyErr_Clear();
        return 0;
    }
    d = fpy_mro_get(tp, name);
    if (!d || !Py_IS_TYPE(d, &PyWrapperDescr_Type))
        return 0;
    if (tp->tp_as_sequence && tp->tp_as_sequence->sq_length)
        n = tp->tp_as_sequence->sq_length(obj);
    else if (tp->tp_as_mapping && tp->tp_as_mapping->mp_length)
        n = tp->tp_as_mapping->mp_length(obj);
    if (n < 0) {
        PyErr_Clear();
        n = 0;
    }
    return n;
}

/* A class object's definition: code only, sized as its metatype; the GC
 * header only for classes pympler sizes with the object at hand. */
static info class_info(PyObject *cls, const fpy_type *t)
{
    PyTypeObject *meta = Py_TYPE(cls);
    int heap = PyType_HasFeature((PyTypeObject *)cls, Py_TPFLAGS_HEAPTYPE);
    info i = {basic(meta, 0), 0, LENG_NONE};

    if (t->kind == FPY_STATIC || (t->kind == FPY_IGNORED && !heap))
        i.base = (size_t)meta->tp_basicsize; /* pympler passes no obj */
    else if (meta == &PyType_Type)
        i.base = (size_t)meta->tp_basicsize + (heap ? FPY_GC_HEAD : 0);
    return i;
}

/* derive: the definition of the first builtin base, as is. */
static info derived_info(PyTypeObject *tp, info i)
{
    PyObject *mro = tp->tp_mro;
    Py_ssize_t k;

    for (k = 1; mro && k < PyTuple_GET_SIZE(mro); k++) {
        PyTypeObject *b = (PyTypeObject *)PyTuple_GET_ITEM(mro, k);
        if (b->tp_basicsize && b != &PyBaseObject_Type &&
            !PyType_HasFeature(b, Py_TPFLAGS_HEAPTYPE))
            return static_info(b);
    }
    return i;
}

/* array.array, per pympler's _array_kwds: the per-type base (see
 * fpy_array_base) and the item size. */
static info array_info(PyObject *obj, const fpy_type *t)
{
    Py_ssize_t isz = getset_long(obj, "itemsize");
    size_t bytes = fpy_array_bytes(obj), flat;
    fpy_type raw = *t;
    info i = {0, 0, LENG_ARRAY};

    raw.cat = FPY_ATOM; /* sys.getsizeof, not the array rule */
    if (fpy_flat_ex(obj, &raw, &flat, 0) < 0)
        flat = 0;
    i.base = fpy_array_base(obj, flat, bytes, 0);
    i.item = isz > 0 ? (size_t)isz : 1;
    return i;
}

/* The definition pympler's _typedef derives for a type it has no fixed
 * one for, by its category. */
static info dynamic_info(PyObject *obj, const fpy_type *t, info i)
{
    PyTypeObject *tp = Py_TYPE(obj);

    switch (t->cat) {
    case FPY_MODULE:
        i = dict_info();
        i.item = FPY_MODULE_ITEM;
        i.leng = LENG_MODULE;
        break;
    case FPY_DICT:
        i = dict_info();
        break;
    case FPY_FRAME:
        i.base = basic(tp, FPY_FRAME_GUESS);
        i.leng = LENG_FRAME;
        break;
    case FPY_CODE:
        i.base = basic(tp, FPY_CODE_GUESS);
        i.item = sizeof(void *);
        i.leng = LENG_CODE;
        break;
    case FPY_ARRAY:
        i = array_info(obj, t);
        break;
    case FPY_INST:
    case FPY_EXC:
        i.leng = i.item ? LENG_LEN : LENG_NONE;
        break;
    case FPY_CELL:
        break;
    default:
        i.item = 0;
        break;
    }
    return i;
}

static info definition_of(PyObject *obj, int derive, const fpy_type *t)
{
    PyTypeObject *tp = Py_TYPE(obj);
    info i = {basic(tp, 0), itemsize_or(tp, 0), LENG_NONE};

    if (PyType_Check(obj))
        return class_info(obj, t);
    if (t->kind == FPY_STATIC) {
        i = static_info(tp);
        if (t->cat == FPY_ITER)
            i.leng = LENG_ITER;
        return i;
    }
    if (t->kind == FPY_DERIVED && derive && t->cat != FPY_DICT &&
        t->cat != FPY_EXC)
        return derived_info(tp, i);
    return dynamic_info(obj, t, i);
}

/* pympler's _len_dict / _len_set: the table size its formula estimates. */
static Py_ssize_t leng_hashed(PyObject *obj, int dict)
{
    PyObject *d = obj;
    Py_ssize_t n, x, p2 = 1;

    if (Py_IS_TYPE(obj, &PyDictProxy_Type))
        d = ((fpy_mappingproxy *)obj)->mapping;
    n = PyDict_Check(d) ? PyDict_GET_SIZE(d)
        : PyAnySet_Check(d) ? PySet_GET_SIZE(d) : 0;
    if (dict)
        x = n < 6 ? 0 : n + 1;
    else
        x = n > 8 ? n + n - 2 : 0;
    while (p2 < x)
        p2 += p2;
    return x ? p2 : (!dict && n ? 8 : 0);
}

/* An int's digits, from its flat size. */
static Py_ssize_t leng_int(PyObject *obj, const fpy_type *t)
{
    size_t f, base = (size_t)PyLong_Type.tp_basicsize;
    fpy_type it = *t;

    if (fpy_flat(obj, &it, &f) < 0 || f <= base)
        return 0;
    return (Py_ssize_t)((f - base) / (size_t)PyLong_Type.tp_itemsize);
}

/* pympler's _len_slice, (stop - start + 1) // step, for exact ints only:
 * other operands would run their __sub__. */
static Py_ssize_t leng_slice(PyObject *obj)
{
    PySliceObject *s = (PySliceObject *)obj;
    PyObject *a, *b, *c, *one = PyLong_FromLong(1);
    Py_ssize_t n = 0;

    if (one && PyLong_CheckExact(s->start) && PyLong_CheckExact(s->stop) &&
        PyLong_CheckExact(s->step) && PyObject_IsTrue(s->step) == 1) {
        a = PyNumber_Subtract(s->stop, s->start);
        b = a ? PyNumber_Add(a, one) : NULL;
        c = b ? PyNumber_FloorDivide(b, s->step) : NULL;
        n = c ? PyLong_AsSsize_t(c) : 0;
        Py_XDECREF(a);
        Py_XDECREF(b);
        Py_XDECREF(c);
        if (n == -1 && PyErr_Occurred())
            n = 0;
    }
    Py_XDECREF(one);
    PyErr_Clear();
    return n;
}

/* An iterator's __length_hint__, when it is C code of the iterator. */
static Py_ssize_t leng_iter(PyObject *obj)
{
    static PyObject *hint;
    PyObject *m;
    Py_ssize_t n = 0;

    if (!hint)
        hint = PyUnicode_InternFromString("__length_hint__");
    m = hint ? fpy_mro_get(Py_TYPE(obj), hint) : NULL;
    if (m && Py_IS_TYPE(m, &PyMethodDescr_Type)) {
        PyMethodDef *def = ((PyMethodDescrObject *)m)->d_method;
        if (def && (def->ml_flags & METH_NOARGS)) {
            PyObject *r = def->ml_meth(obj, NULL);
            n = r && PyLong_Check(r) ? PyLong_AsSsize_t(r) : 0;
            Py_XDECREF(r);
        }
    }
    PyErr_Clear();
    return n;
}

/* A code object's (or a frame's code's) pympler length. */
static Py_ssize_t leng_code(PyObject *obj, int frame)
{
    PyCodeObject *co = frame ? PyFrame_GetCode((PyFrameObject *)obj)
                             : (PyCodeObject *)obj;
    Py_ssize_t n = co ? fpv_code_leng(co) : 0;

    if (frame)
        Py_XDECREF(co);
    return n;
}

/* The length pympler's definition gives obj (leng() of the helpers). */
static Py_ssize_t leng_of(PyObject *obj, int leng, const fpy_type *t)
{
    Py_ssize_t n;

    switch (leng) {
    case LENG_LEN:
        return c_len(obj);
    case LENG_LIST:
        n = PyList_GET_SIZE(obj);
        return n > 8 ? n + 6 + (n >> 3) : n ? n + 4 : 0;
    case LENG_DICT:
    case LENG_SET:
        return leng_hashed(obj, leng == LENG_DICT);
    case LENG_STR:
        return PyUnicode_GET_LENGTH(obj) + 1;
    case LENG_INT:
        return leng_int(obj, t);
    case LENG_ALLOC:
        return ((PyByteArrayObject *)obj)->ob_alloc;
    case LENG_SLICE:
        return leng_slice(obj);
    case LENG_STRUCT:
        return getset_long(obj, "size");
    case LENG_ITER:
        return leng_iter(obj);
    case LENG_MODULE:
        return PyDict_GET_SIZE(PyModule_GetDict(obj));
    case LENG_CODE:
    case LENG_FRAME:
        return leng_code(obj, leng == LENG_FRAME);
    case LENG_ARRAY:
        return Py_SIZE(obj);
    default:
        return -1;
    }
}

static PyObject *info_for(PyObject *obj, int derive, const fpy_type *t)
{
    info i = definition_of(obj, derive, t);
    PyObject *leng;

    if (i.leng == LENG_NONE) {
        leng = Py_NewRef(Py_None);
    } else {
        Py_ssize_t n = leng_of(obj, i.leng, t);
        leng = PyLong_FromSsize_t(n < 0 ? 0 : n);
        if (!leng)
            return NULL;
    }
    return Py_BuildValue("(nnNsO)", (Py_ssize_t)i.base, (Py_ssize_t)i.item,
                         leng, fpy_kind_name(t->kind),
                         t->data ? Py_True : Py_False);
}

/* A host for one helper call: given options, an empty cache. */
static void temp_host(fpy_host *h, int derive)
{
    memset(h, 0, sizeof *h);
    fp_py_opts_init(&h->opts);
    h->opts.derive = derive;
    h->opts.code = 1;
    h->opts.ignored = 0;
}

PyObject *fp_py_typedef(PyObject *obj, int derive)
{
    fpy_host h;
    fpy_type t;
    PyObject *r;

    temp_host(&h, derive);
    fpy_classify(&h, obj, &t);
    r = info_for(obj, derive, &t);
    fpy_cache_free(&h.cache);
    return r;
}

PyObject *fp_py_flatsize(PyObject *obj, size_t align)
{
    fpy_host h;
    fpy_type t;
    size_t flat;
    int r;

    if (align > 1 && (align & (align - 1))) {
        PyErr_Format(PyExc_ValueError, "invalid option: flatsize(align=%zu)",
                     align);
        return NULL;
    }
    temp_host(&h, 0);
    fpy_classify(&h, obj, &t);
    r = fpy_flat_ex(obj, &t, &flat, 0);
    fpy_cache_free(&h.cache);
    if (r < 0) {
        PyErr_Format(PyExc_TypeError,
                     "footprint: no flat size for this %.100s object",
                     Py_TYPE(obj)->tp_name);
        return NULL;
    }
    if (align > 1)
        flat = (flat + align - 1) & ~(align - 1);
    return PyLong_FromSize_t(flat);
}

typedef struct collect {
    fpy_host *h;
    PyObject *list;
    PyObject *pair_key; /* building a dict from [K]/[V] pairs */
    PyObject *dict;
    int named;
    int failed;
} collect;

static int collect_pair(void *arg, fp_handle h, const char *name, size_t len)
{
    collect *c = arg;

    (void)name;
    (void)len;
    if (!c->pair_key) {
        c->pair_key = (PyObject *)h;
        return 0;
    }
    if (PyDict_SetItem(c->dict, c->pair_key, (PyObject *)h) < 0) {
        c->failed = 1;
        return 1;
    }
    c->pair_key = NULL;
    return 0;
}

/* A detached copy of what a tagged handle stands for. */
static PyObject *materialize_copy(fpy_host *h, fp_handle tagged)
{
    PyObject *obj = (PyObject *)(tagged & ~FPY_TAG_MASK);
    collect c = {h, NULL, NULL, NULL, 0, 0};

    if (tagged & FPY_TAG_LOCALS)
        return fpv_gen_locals(obj);
    c.dict = PyDict_New();
    if (!c.dict)
        return NULL;
    fpy_referents(h, tagged, 0, collect_pair, &c);
    if (c.failed)
        Py_CLEAR(c.dict);
    return c.dict;
}

static int collect_ref(void *arg, fp_handle h, const char *name, size_t len)
{
    collect *c = arg;
    PyObject *o, *item;

    if (h & FPY_TAG_MASK)
        o = materialize_copy(c->h, h);
    else
        o = Py_NewRef((PyObject *)h);
    if (!o) {
        c->failed = 1;
        return 1;
    }
    if (c->named) {
        item = Py_BuildValue("(s#N)", name ? name : "", (Py_ssize_t)len, o);
        o = item;
    }
    if (!o || PyList_Append(c->list, o) < 0)
        c->failed = 1;
    Py_XDECREF(o);
    return c->failed;
}

PyObject *fp_py_refs(PyObject *obj, int named)
{
    fpy_host h;
    fpy_type t;
    collect c;

    temp_host(&h, 0);
    fpy_classify(&h, obj, &t);
    if (t.cat == FPY_ATOM || t.cat == FPY_ARRAY) {
        fpy_cache_free(&h.cache);
        Py_RETURN_NONE; /* pympler: a definition without refs */
    }
    c.h = &h;
    c.list = PyList_New(0);
    c.pair_key = c.dict = NULL;
    c.named = named;
    c.failed = 0;
    if (c.list)
        fpy_referents(&h, (fp_handle)obj, named, collect_ref, &c);
    fpy_cache_free(&h.cache);
    if (c.failed) {
        Py_CLEAR(c.list);
        if (!PyErr_Occurred())
            PyErr_NoMemory();
    }
    return c.list;
}

PyObject *fp_py_nameof(PyObject *obj, long long clip)
{
    return fpy_nameof(obj, clip > 0 ? (Py_ssize_t)clip : 0);
}
