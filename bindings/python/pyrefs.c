/*
 * pyrefs.c - the referents asizeof follows, per pympler's _..._refs rules,
 * read from C structures, dicts and slots (never through getattr), with
 * pympler's names when a detail tree wants them: "[K] key", "[V] key:
 * repr", "__dict__", slot and attribute names.  Unnamed referents (items
 * of sequences) get their name from the object when the tree is built.
 */
#include "pyinternal.h"

#include <string.h>

typedef struct emitter {
    fpy_host *h; /* may be NULL */
    fp_visit_fn visit;
    void *arg;
    int names;
    int stopped;
    fpy_buf buf;
} emitter;

static int emit_h(emitter *e, fp_handle h, const char *name, size_t len)
{
    if (e->stopped || !h)
        return e->stopped;
    if (!e->names)
        name = NULL, len = 0;
    if (e->visit(e->arg, h, name, len))
        e->stopped = 1;
    return e->stopped;
}

static int emit(emitter *e, PyObject *ref, const char *name)
{
    return emit_h(e, (fp_handle)ref, name, name ? strlen(name) : 0);
}

/* Emit ref named by the text in e->buf. */
static int emit_buf(emitter *e, PyObject *ref)
{
    if (e->buf.failed) {
        e->buf.failed = 0;
        e->buf.len = 0;
        return emit(e, ref, "?");
    }
    return emit_h(e, (fp_handle)ref, e->buf.data ? e->buf.data : "",
                  e->buf.len);
}

/* One dict item, named as pympler's _dict_refs names it. */
static int emit_item(emitter *e, PyObject *k, PyObject *v)
{
    size_t mark;

    if (!e->names)
        return emit(e, k, NULL) || emit(e, v, NULL);
    e->buf.len = 0;
    fpy_buf_puts(&e->buf, "[K] ");
    fpy_buf_str(&e->buf, k);
    if (emit_buf(e, k))
        return 1;
    e->buf.len = 0;
    fpy_buf_puts(&e->buf, "[V] ");
    fpy_buf_str(&e->buf, k);
    fpy_buf_puts(&e->buf, ": ");
    mark = e->buf.len;
    fpy_buf_repr(&e->buf, v);
    fpy_buf_clip(&e->buf, mark, 80);
    return emit_buf(e, v);
}

/* fold: the key strings of split keys (shared by a class's instances)
 * are pushed once per call, by an instance that has every key; pushed
 * again they could only be found visited. */
static int keys_needed(const emitter *e, const void *keys)
{
    return !e->h || !e->h->fold || e->names || e->h->keys_done != keys;
}

static void keys_pushed(emitter *e, const void *keys, Py_ssize_t n)
{
    if (e->h && e->h->fold && !e->names && !e->stopped &&
        n == fpv_keys_count(keys))
        e->h->keys_done = keys;
}

static void emit_dict(emitter *e, PyObject *d)
{
    Py_ssize_t pos = 0, n = 0;
    PyObject *k, *v;
    const void *split = NULL;
    int keys = 1;

    if (!d || !PyDict_Check(d))
        return;
    if (((PyDictObject *)d)->ma_values) { /* keys shared with its class */
        split = ((PyDictObject *)d)->ma_keys;
        keys = keys_needed(e, split);
    }
    while (!e->stopped && PyDict_Next(d, &pos, &k, &v)) {
        if (keys)
            emit_item(e, k, v);
        else
            emit(e, v, NULL);
        n++;
    }
    if (split && keys)
        keys_pushed(e, split, n);
}

/* The items of a __dict__ whose values are still kept outside a dict, in
 * the order iterating the dict would give. */
static void emit_values(emitter *e, PyObject *obj)
{
    const fpv_values *values;
    const void *keys;
    PyObject *k, *v;
    size_t pos = 0;
    Py_ssize_t n = 0;
    int with_keys;

    fpy_instance_dict(obj, &values);
    keys = fpv_values_keys(obj);
    if (!values || !keys)
        return;
    with_keys = keys_needed(e, keys);
    while (!e->stopped && fpv_values_next(obj, values, &pos, &k, &v)) {
        if (with_keys)
            emit_item(e, k, v);
        else
            emit(e, v, NULL);
        n++;
    }
    if (with_keys)
        keys_pushed(e, keys, n);
}

static int trav_unnamed(PyObject *o, void *arg)
{
    return emit(arg, o, NULL);
}

static int trav_iteref(PyObject *o, void *arg)
{
    return emit(arg, o, "iteref");
}

static void emit_traverse(emitter *e, PyObject *obj, visitproc fn)
{
    traverseproc t = Py_TYPE(obj)->tp_traverse;

    if (t)
        t(obj, fn, e);
}

static const char *const exc_names[4] = {"filename", "lineno", "msg",
                                         "text"};
static PyObject *str_args[4];
static PyObject *str_fdel, *str_fget, *str_fset;

static void emit_planned_slots(emitter *e, PyObject *obj,
                               const fpy_slots *plan)
{
    size_t i;

    for (i = 0; i < plan->n && !e->stopped; i++) {
        const fpy_slot *s = &plan->slot[i];
        PyObject *v = s->member ? fpy_member_value(obj, s->member)
                                : fpy_getattr(obj, s->name);
        if (v)
            emit(e, v, s->text);
    }
}

static int refs_init(void)
{
    size_t i;

    if (str_fset)
        return 0;
    for (i = 0; i < 4; i++)
        if (!(str_args[i] = PyUnicode_InternFromString(exc_names[i])))
            return -1;
    str_fdel = PyUnicode_InternFromString("fdel");
    str_fget = PyUnicode_InternFromString("fget");
    str_fset = PyUnicode_InternFromString("fset");
    return str_fdel && str_fget && str_fset ? 0 : -1;
}

static void emit_attr(emitter *e, PyObject *obj, PyObject *name,
                      const char *text)
{
    PyObject *v = fpy_getattr(obj, name);

    if (v)
        emit(e, v, text);
}

static void emit_seq(emitter *e, PyObject *obj)
{
    Py_ssize_t i, pos = 0;
    PyObject *k;

    if (PyList_Check(obj)) {
        for (i = 0; i < PyList_GET_SIZE(obj) && !e->stopped; i++)
            emit(e, PyList_GET_ITEM(obj, i), NULL);
    } else if (PyTuple_Check(obj)) {
        for (i = 0; i < PyTuple_GET_SIZE(obj) && !e->stopped; i++)
            emit(e, PyTuple_GET_ITEM(obj, i), NULL);
    } else if (PyAnySet_Check(obj)) {
        while (!e->stopped && fpy_set_next(obj, &pos, &k))
            emit(e, k, NULL);
    }
}

static void emit_structseq(emitter *e, PyObject *obj, const char *prefix)
{
    const PyMemberDef *m, *order[64];
    size_t n = 0, i, j, plen = strlen(prefix);

    for (m = Py_TYPE(obj)->tp_members; m && m->name && n < 64; m++)
        if (strncmp(m->name, prefix, plen) == 0)
            order[n++] = m;
    /* dir() order: by name */
    for (i = 1; i < n; i++)
        for (j = i; j > 0 && strcmp(order[j - 1]->name, order[j]->name) > 0;
             j--) {
            const PyMemberDef *t = order[j];
            order[j] = order[j - 1];
            order[j - 1] = t;
        }
    for (i = 0; i < n && !e->stopped; i++) {
        PyObject *v = fpy_member_value(obj, order[i]);
        if (v)
            emit(e, v, order[i]->name);
    }
}

static void emit_class(emitter *e, PyTypeObject *c)
{
    PyObject *dict = fpv_type_dict(c);
    PyObject *doc = fpy_dict_get(dict, fpy_str_doc);
    int heap = PyType_HasFeature(c, Py_TPFLAGS_HEAPTYPE);

    emit(e, (PyObject *)Py_TYPE(c), "__class__");
    /* a static type's __doc__ and __name__ are made afresh on each access:
     * nothing the class holds */
    if (doc || heap)
        emit(e, doc ? doc : Py_None, "__doc__");
    emit(e, c->tp_mro, "__mro__");
    if (heap)
        emit(e, ((PyHeapTypeObject *)c)->ht_name, "__name__");
    emit(e, fpy_mro_get(c, fpy_str_slots), "__slots__");
    emit(e, fpy_mro_get(c, fpy_str_weakref), "__weakref__");
    emit(e, dict, "__dict__");
}

static int emit_named(void *arg, PyObject *ref, const char *name)
{
    return emit(arg, ref, name);
}

/* A weak reference's referent, or None once it is dead (or dying: its
 * count at 0, freed as soon as the walk lets go). */
static PyObject *weak_target(PyObject *ref)
{
    PyObject *o = ((PyWeakReference *)ref)->wr_object;
    return o && Py_REFCNT(o) > 0 ? o : Py_None;
}

/* A generator's locals when they are a view, not a dict (3.13's
 * FrameLocalsProxy): the values, each named after its variable. */
static void emit_view_values(emitter *e, PyObject *d)
{
    Py_ssize_t pos = 0;
    PyObject *k, *v;

    while (!e->stopped && PyDict_Next(d, &pos, &k, &v)) {
        if (!e->names) {
            emit(e, v, NULL);
            continue;
        }
        e->buf.len = 0;
        fpy_buf_str(&e->buf, k);
        emit_buf(e, v);
    }
}

static void emit_locals(emitter *e, PyObject *gen)
{
    PyObject *d = fpv_gen_locals(gen);

    if (!d) {
        PyErr_Clear();
        return;
    }
    if (fpv_gen_locals_is_dict())
        emit_dict(e, d);
    else
        emit_view_values(e, d);
    Py_DECREF(d); /* its values stay alive in the frame */
}

static void emit_function(emitter *e, PyObject *f, int closure)
{
    PyFunctionObject *fn = (PyFunctionObject *)f;

    emit(e, fn->func_doc ? fn->func_doc : Py_None, "__doc__");
    emit(e, fn->func_name, "__name__");
    emit(e, fn->func_code, "__code__");
    if (closure)
        emit(e, fn->func_closure ? fn->func_closure : Py_None,
             "__closure__");
}

static int is_our_module(PyObject *m)
{
    PyObject *d = PyModule_Check(m) ? PyModule_GetDict(m) : NULL;
    PyObject *name = d ? fpy_dict_get(d, fpy_str_name) : NULL;

    return name && PyUnicode_Check(name) &&
           PyUnicode_CompareWithASCIIString(name, "footprint.asizeof") == 0;
}

/* An instance's __dict__ (or its values kept outside one), __class__ and
 * __slots__ values; a named tuple's items; what an opaque C type reports
 * to the collector. */
static void emit_instance(fpy_host *h, emitter *e, PyObject *obj,
                          const fpy_type *t)
{
    const fpv_values *values;
    PyObject *d;

    if (t->cat == FPY_INST) {
        d = fpy_instance_dict(obj, &values);
        if (values && h && h->fold && !e->names)
            emit_values(e, obj); /* storage counted in obj's flat */
        else if (values)
            emit_h(e, (fp_handle)obj | FPY_TAG_VALUES, "__dict__", 8);
        else if (d)
            emit(e, d, "__dict__");
    }
    if (!(h && h->lean && !e->names))
        emit(e, (PyObject *)Py_TYPE(obj), "__class__");
    if (t->slots) {
        emit_planned_slots(e, obj, t->slots);
    } else { /* the type cache is out of memory: a plan for now */
        int failed;
        fpy_slots *plan = fpy_slots_plan(Py_TYPE(obj), &failed);
        if (plan)
            emit_planned_slots(e, obj, plan);
        fpy_slots_free(plan);
    }
    if (t->cat == FPY_NTUPLE)
        emit_seq(e, obj);
    else if (t->opaque || (h && h->opts.traverse))
        emit_traverse(e, obj, trav_unnamed);
}

static void emit_exception(emitter *e, PyObject *obj)
{
    size_t i;

    if (PyExceptionInstance_Check(obj))
        emit(e, ((PyBaseExceptionObject *)obj)->args, "args");
    for (i = 0; i < 4; i++)
        emit_attr(e, obj, str_args[i], exc_names[i]);
}

static void emit_traceback(emitter *e, PyTracebackObject *tb)
{
    emit(e, (PyObject *)tb->tb_frame, "tb_frame");
    /* pympler reads tb_next as an attribute: None at the end */
    emit(e, tb->tb_next ? (PyObject *)tb->tb_next : Py_None, "tb_next");
}

/* pympler's gi_frame.f_locals and f_code: the locals as a tagged handle
 * while no mapping exists (none is made). */
static void emit_generator(emitter *e, PyObject *gen)
{
    PyObject *code, *locals;

    if (!fpv_gen_frame(gen, &code, &locals))
        return;
    if (locals)
        emit(e, locals, "f_locals");
    else
        emit_h(e, (fp_handle)gen | FPY_TAG_LOCALS, "f_locals", 8);
    emit(e, code, "f_code");
}

/* The attributes pympler reads by name for some kinds. */
static void emit_named_attrs(emitter *e, PyObject *obj, int cat)
{
    emit_attr(e, obj, fpy_str_doc, "__doc__");
    if (cat == FPY_PROP) {
        emit_attr(e, obj, str_fdel, "fdel");
        emit_attr(e, obj, str_fget, "fget");
        emit_attr(e, obj, str_fset, "fset");
    } else if (cat == FPY_WRAPPER) {
        emit_attr(e, obj, fpy_str_name, "__name__");
        emit_attr(e, obj, fpy_str_code, "__code__");
    }
}

static void emit_object(fpy_host *h, emitter *e, PyObject *obj,
                        const fpy_type *t)
{
    switch (t->cat) {
    case FPY_SEQ:
        emit_seq(e, obj);
        break;
    case FPY_DICT:
        emit_dict(e, obj);
        break;
    case FPY_PROXY:
        emit_dict(e, ((fpy_mappingproxy *)obj)->mapping);
        break;
    case FPY_MODULE:
        if (!is_our_module(obj))
            emit_dict(e, PyModule_GetDict(obj));
        break;
    case FPY_INST:
    case FPY_NTUPLE:
        emit_instance(h, e, obj, t);
        break;
    case FPY_EXC:
        emit_exception(e, obj);
        break;
    case FPY_CELL:
        emit(e, PyCell_GET(obj), "cell_contents");
        break;
    case FPY_WEAK:
        if (PyWeakref_Check(obj))
            emit(e, weak_target(obj), NULL);
        break;
    case FPY_ITER:
        emit_traverse(e, obj, trav_iteref);
        break;
    case FPY_FRAME:
        emit_traverse(e, obj, trav_unnamed);
        break;
    case FPY_DOC:
    case FPY_PROP:
    case FPY_WRAPPER:
        emit_named_attrs(e, obj, t->cat);
        break;
    case FPY_STRUCTSEQ:
        emit_structseq(e, obj, t->prefix ? t->prefix : "");
        break;
    case FPY_TB:
        emit_traceback(e, (PyTracebackObject *)obj);
        break;
    case FPY_GEN:
        emit_generator(e, obj);
        break;
    case FPY_CLASS:
        emit_class(e, (PyTypeObject *)obj);
        break;
    case FPY_FUNC:
        emit_function(e, obj, 1);
        break;
    case FPY_METHOD:
        if (PyMethod_Check(obj) && PyFunction_Check(PyMethod_GET_FUNCTION(obj)))
            emit_function(e, PyMethod_GET_FUNCTION(obj), 0);
        break;
    case FPY_CODE:
        if (PyCode_Check(obj))
            fpv_code_refs((PyCodeObject *)obj, emit_named, e);
        break;
    default:
        break;
    }
}

fp_status fpy_referents(fpy_host *h, fp_handle handle, int want_names,
                        fp_visit_fn visit, void *arg)
{
    emitter e;
    PyObject *obj = (PyObject *)(handle & ~FPY_TAG_MASK);
    fpy_type t;

    if (refs_init() < 0) {
        PyErr_Clear();
        return FP_EHOST;
    }
    e.h = h;
    e.visit = visit;
    e.arg = arg;
    e.names = want_names;
    e.stopped = 0;
    fpy_buf_init(&e.buf);
    switch (handle & FPY_TAG_MASK) {
    case FPY_TAG_VALUES:
        emit_values(&e, obj);
        break;
    case FPY_TAG_LOCALS:
        emit_locals(&e, obj);
        break;
    default: {
        const fpy_type *known = h ? fpy_classify_cached(h, obj) : NULL;
        if (!known) {
            fpy_classify(h, obj, &t);
            known = &t;
        }
        emit_object(h, &e, obj, known);
        break;
    }
    }
    fpy_buf_free(&e.buf);
    return FP_OK;
}
