/*
 * pytrack.c - core trackers whose objects are Python objects.
 *
 * Each tracker made for Python (fp_py_tracker_new) is registered here with
 * what the core cannot hold: the host context its sizer answers with, the
 * objects it keeps alive (keep=True), the weak references that follow
 * objects whose type cannot carry the death hook, and its classes'
 * __init__ wrappers.  Deaths seen by the hook (pyhook.c) or by a weak
 * reference are recorded at once in every tracker that follows the object,
 * so a tracked handle is always a live object: the core never sizes, and
 * this file never reads, a handle after its death.
 *
 * Everything here runs with the GIL held.  A snapshot runs no Python code
 * and holds the GIL from start to end, so no object it sizes can die (or
 * be tracked) meanwhile.
 */
#include "pyinternal.h"

#include <stdlib.h>
#include <string.h>

fpy_tracker *fpy_trackers;
static unsigned long long last_id;
static PyObject *trace_fn;

/* ---- the registry ---- */

fpy_tracker *fpy_tracker_find(const fp_tracker *t)
{
    fpy_tracker *e;

    for (e = fpy_trackers; e; e = e->next)
        if (e->t == t)
            return e;
    return NULL;
}

fpy_tracker *fpy_tracker_by_id(unsigned long long id)
{
    fpy_tracker *e;

    for (e = fpy_trackers; e; e = e->next)
        if (e->id == id)
            return e;
    return NULL;
}

int fpy_trackers_need_hooks(void)
{
    fpy_tracker *e;

    for (e = fpy_trackers; e; e = e->next)
        if (fp_tracker_live_count(e->t) > 0)
            return 1;
    return 0;
}

static PyObject *key_of(fp_handle h)
{
    return PyLong_FromVoidPtr((void *)h);
}

static int has_key(PyObject *dict, fp_handle h)
{
    PyObject *k = key_of(h);
    int r = k ? PyDict_Contains(dict, k) : -1;

    Py_XDECREF(k);
    if (r < 0)
        PyErr_Clear();
    return r > 0;
}

static void del_key(PyObject *dict, fp_handle h)
{
    PyObject *k = key_of(h);

    if (!k || PyDict_DelItem(dict, k) < 0)
        PyErr_Clear();
    Py_XDECREF(k);
}

/* One index probe per tracker (died looks the handle up itself): each
 * probe may miss the cache, a clock read does not. */
void fpy_record_death(fp_handle h)
{
    fpy_tracker *e = fpy_trackers;
    double now;

    if (!e)
        return;
    now = fp_clock();
    for (; e; e = e->next)
        fp_tracker_died(e->t, h, now);
}

/* The most specialized class tp is, or derives from, that e tracks with
 * track_class: its __init__ wrapper, or NULL. */
static PyObject *tracked_class_of(fpy_tracker *e, PyTypeObject *tp)
{
    PyObject *mro = tp->tp_mro;
    Py_ssize_t i;

    if (!mro || !PyTuple_Check(mro) || PyDict_GET_SIZE(e->inits) == 0)
        return NULL;
    for (i = 0; i < PyTuple_GET_SIZE(mro); i++) {
        PyObject *w = PyDict_GetItemWithError(e->inits,
                                              PyTuple_GET_ITEM(mro, i));
        if (w)
            return w;
        if (PyErr_Occurred()) {
            PyErr_Clear();
            return NULL;
        }
    }
    return NULL;
}

/* obj's type changed (its __class__ was assigned).  Every tracker that
 * follows it renames it after the most specialized class it tracks, if
 * any; and its new type must carry the hook, or it stops being followed
 * (never followed past a death nobody would report). */
void fpy_record_morph(PyObject *obj)
{
    fp_handle h = (fp_handle)obj;
    PyObject *type, *value, *tb;
    fpy_tracker *e;
    int hooked = -2;
    const char *repr;
    char *tmp = NULL;

    for (e = fpy_trackers; e; e = e->next)
        if (fp_tracker_is_tracked(e->t, h))
            break;
    if (!e)
        return;
    PyErr_Fetch(&type, &value, &tb);
    repr = fpy_hook_repr(Py_TYPE(obj));
    for (e = fpy_trackers; e; e = e->next) {
        PyObject *w;
        if (!fp_tracker_is_tracked(e->t, h))
            continue;
        if (!has_key(e->keep, h) && !has_key(e->weak, h)) {
            if (hooked == -2)
                hooked = fpy_hook_object(obj);
            if (hooked <= 0) {
                PyErr_Clear();
                fp_tracker_died(e->t, h, fp_clock());
                continue;
            }
        }
        if ((w = tracked_class_of(e, Py_TYPE(obj)))) {
            size_t index;
            int level, keep, trace;
            fpy_init_options(w, &index, &level, &keep, &trace);
            fp_tracker_set_class(e->t, h, index);
        }
        if (!repr)
            repr = fpy_hook_repr(Py_TYPE(obj));
        if (!repr && !tmp)
            repr = tmp = fpy_type_repr(Py_TYPE(obj));
        if (repr)
            fp_tracker_set_repr(e->t, h, repr);
    }
    free(tmp);
    PyErr_Restore(type, value, tb);
}

/* ---- following objects whose type cannot carry the hook ---- */

static PyObject *weak_died(PyObject *self, PyObject *ref)
{
    unsigned long long id = PyLong_AsUnsignedLongLong(PyTuple_GET_ITEM(self, 0));
    fp_handle h = (fp_handle)PyLong_AsVoidPtr(PyTuple_GET_ITEM(self, 1));
    fpy_tracker *e = fpy_tracker_by_id(id);

    (void)ref;
    if (PyErr_Occurred())
        return NULL;
    if (e) {
        if (fp_tracker_is_tracked(e->t, h))
            fp_tracker_died(e->t, h, fp_clock());
        del_key(e->weak, h);
    }
    Py_RETURN_NONE;
}

static PyMethodDef weak_died_def = {"died", weak_died, METH_O, NULL};

static int follow_weakly(fpy_tracker *e, PyObject *obj)
{
    PyObject *k = key_of((fp_handle)obj), *self = NULL, *cb = NULL,
             *ref = NULL;
    int r = -1;

    if (k)
        self = Py_BuildValue("(KO)", e->id, k);
    if (self)
        cb = PyCFunction_New(&weak_died_def, self);
    if (cb)
        ref = PyWeakref_NewRef(obj, cb);
    if (ref)
        r = PyDict_SetItem(e->weak, k, ref);
    Py_XDECREF(ref);
    Py_XDECREF(cb);
    Py_XDECREF(self);
    Py_XDECREF(k);
    return r;
}

/* ---- tracking ---- */

char *fpy_trace_here(void)
{
    PyObject *frame = (PyObject *)PyEval_GetFrame(), *s;
    const char *u;
    char *copy = NULL;
    Py_ssize_t n;

    if (!frame || !trace_fn)
        return NULL;
    s = PyObject_CallOneArg(trace_fn, frame);
    if (s && PyUnicode_Check(s) && (u = PyUnicode_AsUTF8AndSize(s, &n)) &&
        (copy = malloc((size_t)n + 1)))
        memcpy(copy, u, (size_t)n + 1);
    Py_XDECREF(s);
    if (PyErr_Occurred())
        PyErr_WriteUnraisable(trace_fn);
    return copy;
}

PyObject *fp_py_set_trace_formatter(PyObject *fn)
{
    if (fn != Py_None && !PyCallable_Check(fn)) {
        PyErr_SetString(PyExc_TypeError, "trace formatter must be callable");
        return NULL;
    }
    Py_XSETREF(trace_fn, fn == Py_None ? NULL : Py_NewRef(fn));
    Py_RETURN_NONE;
}

int fpy_track(fpy_tracker *e, PyObject *obj, size_t cls, int level, int keep,
              const char *trace)
{
    fp_handle h = (fp_handle)obj;
    int added = 0, hooked = 0;
    const char *repr;
    char *tmp = NULL;
    fp_status st;

    /* no is_tracked here: fp_tracker_track says, for one probe less */
    /* an object kept alive cannot die while it is followed */
    if (!keep && (hooked = fpy_hook_object(obj)) < 0)
        return -1;
    if (!keep && !hooked && !PyType_SUPPORTS_WEAKREFS(Py_TYPE(obj))) {
        if (fp_tracker_is_tracked(e->t, h))
            return 0; /* followed already (kept, by another call) */
        PyErr_Format(PyExc_TypeError,
                     "footprint cannot see a '%.100s' object die (its type "
                     "has no death hook and no weak references): track it "
                     "with keep=True",
                     Py_TYPE(obj)->tp_name);
        return -1;
    }
    repr = fpy_hook_repr(Py_TYPE(obj));
    if (!repr && !(repr = tmp = fpy_type_repr(Py_TYPE(obj)))) {
        PyErr_NoMemory();
        return -1;
    }
    st = fp_tracker_track(e->t, h, cls, fp_clock(), level, repr, trace,
                          &added);
    free(tmp);
    if (st != FP_OK) {
        PyErr_SetString(st == FP_ENOMEM ? PyExc_MemoryError
                                        : PyExc_ValueError,
                        fp_strerror(st));
        return -1;
    }
    if (!added)
        return 0;
    if (keep) {
        PyObject *k = key_of(h);
        int r = k ? PyDict_SetItem(e->keep, k, obj) : -1;
        Py_XDECREF(k);
        if (r < 0) {
            fp_tracker_died(e->t, h, fp_clock());
            return -1;
        }
    } else if (!hooked && follow_weakly(e, obj) < 0) {
        fp_tracker_died(e->t, h, fp_clock());
        return -1;
    }
    if (level)
        e->detail = 1;
    return 1;
}

static fpy_tracker *registered(fp_tracker *t)
{
    fpy_tracker *e = fpy_tracker_find(t);

    if (!e)
        PyErr_SetString(PyExc_ValueError,
                        "this tracker follows no Python objects (it was "
                        "loaded from a dump)");
    return e;
}

static int check_level(int level)
{
    if (level < 0 || level > 255) {
        PyErr_SetString(PyExc_ValueError,
                        "resolution_level must be in 0..255");
        return -1;
    }
    return 0;
}

static int check_class(fp_tracker *t, size_t cls)
{
    if (cls >= fp_tracker_class_count(t)) {
        PyErr_SetString(PyExc_ValueError, "no such class index");
        return -1;
    }
    return 0;
}

PyObject *fp_py_track_object(fp_tracker *t, PyObject *obj, size_t cls,
                             int level, int keep, PyObject *trace)
{
    fpy_tracker *e = registered(t);
    const char *tr = NULL;
    int r;

    if (!e || check_level(level) < 0 || check_class(t, cls) < 0)
        return NULL;
    if (trace != Py_None && !(tr = PyUnicode_AsUTF8(trace)))
        return NULL;
    r = fpy_track(e, obj, cls, level, keep, tr);
    return r < 0 ? NULL : PyBool_FromLong(r);
}

PyObject *fp_py_track_class(fp_tracker *t, PyObject *cls, size_t index,
                            int level, int keep, int trace)
{
    fpy_tracker *e = registered(t);
    PyObject *w;

    if (!e || check_level(level) < 0 || check_class(t, index) < 0)
        return NULL;
    if (!PyType_Check(cls)) {
        PyErr_SetString(PyExc_TypeError, "only class objects can be tracked");
        return NULL;
    }
    w = PyDict_GetItemWithError(e->inits, cls);
    if (w) {
        fpy_init_set(w, index, level, keep, trace);
        Py_RETURN_NONE;
    }
    if (PyErr_Occurred())
        return NULL;
    w = fpy_init_install(e, (PyTypeObject *)cls, index, level, keep, trace);
    if (!w)
        return NULL;
    if (PyDict_SetItem(e->inits, cls, w) < 0) {
        fpy_init_remove(w);
        Py_DECREF(w);
        return NULL;
    }
    Py_DECREF(w);
    Py_RETURN_NONE;
}

PyObject *fp_py_detach_class(fp_tracker *t, PyObject *cls)
{
    fpy_tracker *e = registered(t);
    PyObject *w;
    int r;

    if (!e)
        return NULL;
    w = PyDict_GetItemWithError(e->inits, cls);
    if (!w) {
        if (!PyErr_Occurred())
            PyErr_SetObject(PyExc_KeyError, cls);
        return NULL;
    }
    Py_INCREF(w);
    r = fpy_init_remove(w);
    if (PyDict_DelItem(e->inits, cls) < 0)
        r = -1;
    Py_DECREF(w);
    if (r < 0)
        return NULL;
    Py_RETURN_NONE;
}

PyObject *fp_py_tracked_classes(fp_tracker *t)
{
    fpy_tracker *e = registered(t);

    return e ? PyDict_Keys(e->inits) : NULL;
}

PyObject *fp_py_track_existing(fp_tracker *t, PyObject *cls)
{
    fpy_tracker *e = registered(t);
    PyObject *objs;
    Py_ssize_t i, added = 0;

    if (!e)
        return NULL;
    if (!PyType_Check(cls)) {
        PyErr_SetString(PyExc_TypeError, "only class objects can be tracked");
        return NULL;
    }
    if (!(objs = fpy_gc_objects()))
        return NULL;
    for (i = 0; i < PyList_GET_SIZE(objs); i++) {
        PyObject *o = PyList_GET_ITEM(objs, i), *w;
        size_t index;
        int level, keep, trace, r;
        if (!PyType_IsSubtype(Py_TYPE(o), (PyTypeObject *)cls) ||
            !(w = tracked_class_of(e, Py_TYPE(o))))
            continue;
        fpy_init_options(w, &index, &level, &keep, &trace);
        r = fpy_track(e, o, index, level, keep, NULL);
        if (r < 0) {
            /* an object that cannot be followed is left out, as the
             * constructor would leave it out */
            if (!PyErr_ExceptionMatches(PyExc_TypeError)) {
                Py_DECREF(objs);
                return NULL;
            }
            PyErr_Clear();
        }
        /* tracked before under a less specialized class (a base class
         * whose existing instances were picked up first): rename it */
        if (r == 0)
            fp_tracker_set_class(t, (fp_handle)o, index);
        added += r > 0;
    }
    Py_DECREF(objs);
    return PyLong_FromSsize_t(added);
}

/* ---- life cycle ---- */

fp_status fp_py_tracker_new(fp_tracker **out)
{
    fpy_tracker *e;
    fp_host host;
    fp_status st;

    *out = NULL;
    e = calloc(1, sizeof *e);
    if (!e)
        return FP_ENOMEM;
    fp_py_opts_init(&e->host.opts);
    fpy_host_callbacks(&host, &e->host);
    e->keep = PyDict_New();
    e->weak = PyDict_New();
    e->inits = PyDict_New();
    if (!e->keep || !e->weak || !e->inits) {
        PyErr_Clear();
        st = FP_ENOMEM;
    } else {
        st = fp_tracker_new(&e->t, &host, NULL);
    }
    if (st != FP_OK) {
        Py_XDECREF(e->keep);
        Py_XDECREF(e->weak);
        Py_XDECREF(e->inits);
        free(e);
        return st;
    }
    e->id = ++last_id;
    e->next = fpy_trackers;
    fpy_trackers = e;
    *out = e->t;
    return FP_OK;
}

/* Stop following objects: the dicts are emptied after the core forgets
 * them, so a kept object freed here finds itself untracked. */
static void drop_followers(fpy_tracker *e)
{
    PyObject *keep = e->keep, *weak = e->weak;

    e->keep = PyDict_New();
    e->weak = PyDict_New();
    if (!e->keep || !e->weak) { /* keep the old ones rather than none */
        Py_XDECREF(e->keep);
        Py_XDECREF(e->weak);
        e->keep = keep;
        e->weak = weak;
        PyDict_Clear(keep);
        PyDict_Clear(weak);
        PyErr_Clear();
        return;
    }
    Py_DECREF(keep);
    Py_DECREF(weak);
}

void fp_py_tracker_detach_all(fp_tracker *t)
{
    fpy_tracker *e = fpy_tracker_find(t);

    fp_tracker_detach_all(t);
    if (e) {
        drop_followers(e);
        fpy_hook_release_if_idle();
    }
}

void fp_py_tracker_clear(fp_tracker *t)
{
    fpy_tracker *e = fpy_tracker_find(t);

    fp_tracker_clear(t);
    if (e) {
        drop_followers(e);
        e->detail = 0;
        fpy_hook_release_if_idle();
    }
}

void fp_py_tracker_free(fp_tracker *t)
{
    fpy_tracker *e = fpy_tracker_find(t), **p;
    PyObject *type, *value, *tb;

    if (!e) {
        fp_tracker_free(t);
        return;
    }
    PyErr_Fetch(&type, &value, &tb);
    for (p = &fpy_trackers; *p != e; p = &(*p)->next)
        ;
    *p = e->next;
    /* unregistered first: deaths caused below find no tracker */
    {
        Py_ssize_t pos = 0;
        PyObject *cls, *w;
        while (PyDict_Next(e->inits, &pos, &cls, &w))
            if (fpy_init_remove(w) < 0)
                PyErr_Clear();
    }
    fp_tracker_free(t);
    fpy_cache_free(&e->host.cache);
    Py_XDECREF(e->inits);
    Py_XDECREF(e->weak);
    Py_XDECREF(e->keep);
    free(e);
    fpy_hook_release_if_idle();
    PyErr_Restore(type, value, tb);
}

/* Some hooked type lost its hook (see pyhook.c): objects of it may have
 * died unseen.  A followed handle stays followed only if the collector
 * lists a live instance of a hooked type there (sizing it is safe; it may
 * be a newer object that took the memory of one that died unseen); the
 * rest are taken for dead now. */
static int resync(void)
{
    PyObject *objs = fpy_gc_objects();
    fp_set *live = NULL;
    fpy_tracker *e;
    Py_ssize_t i;
    double now = fp_clock();

    if (!objs)
        return -1;
    if (fp_set_new(&live, NULL) != FP_OK) {
        Py_DECREF(objs);
        PyErr_NoMemory();
        return -1;
    }
    for (i = 0; i < PyList_GET_SIZE(objs); i++)
        if (fpy_hook_has(Py_TYPE(PyList_GET_ITEM(objs, i))) &&
            fp_set_add(live, (fp_handle)PyList_GET_ITEM(objs, i), NULL) !=
                FP_OK) {
            fp_set_free(live);
            Py_DECREF(objs);
            PyErr_NoMemory();
            return -1;
        }
    for (e = fpy_trackers; e; e = e->next) {
        size_t n = fp_tracker_object_count(e->t), k;
        for (k = 0; k < n; k++) {
            fp_object_info o;
            if (fp_tracker_object_info(e->t, k, &o) != FP_OK || o.dead ||
                !fp_tracker_is_tracked(e->t, o.addr) ||
                fp_set_contains(live, o.addr) || has_key(e->keep, o.addr) ||
                has_key(e->weak, o.addr))
                continue;
            fp_tracker_died(e->t, o.addr, now);
        }
    }
    fp_set_free(live);
    Py_DECREF(objs);
    return 0;
}

/* Before any handle is read: every hooked type must still be hooked. */
static int ensure_hooks(void)
{
    return fpy_hook_verify() > 0 ? resync() : 0;
}

fp_status fp_py_tracker_snapshot(fp_tracker *t, double when, const char *desc,
                                 uint64_t total)
{
    fpy_tracker *e = fpy_tracker_find(t);
    fp_sizer_opts o;
    fp_status st;
    int gc;

    if (!e)
        return fp_tracker_snapshot(t, when, desc, NULL, total);
    if (ensure_hooks() < 0)
        return FP_ENOMEM; /* the Python error on the way says which */
    /* read here, GIL held until the end: every object tracked before is
     * born before the snapshot, every one it sizes is alive at it */
    if (when < 0)
        when = fp_clock();
    fp_sizer_opts_init(&o);
    o.align = e->host.opts.align > 1 ? e->host.opts.align : 1;
    o.limit = e->host.opts.limit;
    gc = fpy_host_begin(&e->host, e->detail);
    st = fp_tracker_snapshot(t, when, desc, &o, total);
    fpy_host_end(gc);
    return st;
}

/* ---- reading ---- */

PyObject *fp_py_object_ref(fp_tracker *t, size_t i)
{
    fp_object_info o;
    size_t k;

    if (fp_tracker_object_info(t, i, &o) != FP_OK) {
        PyErr_SetString(PyExc_IndexError, "no such object");
        return NULL;
    }
    if (!fpy_tracker_find(t) || o.dead)
        Py_RETURN_NONE;
    if (ensure_hooks() < 0)
        return NULL;
    if (fp_tracker_object_index(t, o.addr, &k) != FP_OK || k != i)
        Py_RETURN_NONE; /* detached, died in the resync, or re-tracked */
    return Py_NewRef((PyObject *)o.addr);
}

static PyObject *text(const char *s)
{
    return PyUnicode_DecodeUTF8(s, (Py_ssize_t)strlen(s), "surrogateescape");
}

PyObject *fp_py_object_rows(fp_tracker *t)
{
    size_t n = fp_tracker_object_count(t), i;
    PyObject *list = PyList_New((Py_ssize_t)n);

    for (i = 0; list && i < n; i++) {
        fp_object_info o;
        PyObject *row, *death;
        fp_tracker_object_info(t, i, &o);
        death = o.dead ? PyFloat_FromDouble(o.death) : Py_NewRef(Py_None);
        row = death ? Py_BuildValue("(KndNiNN)", (unsigned long long)o.addr,
                                    (Py_ssize_t)o.cls, o.birth, death,
                                    o.resolution_level, text(o.repr),
                                    text(o.trace))
                    : NULL;
        if (!row) {
            Py_CLEAR(list);
            break;
        }
        PyList_SET_ITEM(list, (Py_ssize_t)i, row);
    }
    return list;
}

PyObject *fp_py_snapshot_classes(fp_tracker *t, size_t snap)
{
    size_t n = fp_tracker_class_count(t), i;
    fp_class_stats *all = malloc((n ? n : 1) * sizeof *all);
    PyObject *list = NULL;

    if (!all)
        return PyErr_NoMemory();
    if (fp_tracker_snapshot_classes(t, snap, all) != FP_OK) {
        free(all);
        PyErr_SetString(PyExc_IndexError, "no such snapshot");
        return NULL;
    }
    list = PyList_New((Py_ssize_t)n);
    for (i = 0; list && i < n; i++) {
        PyObject *row = Py_BuildValue("(nKdd)", (Py_ssize_t)all[i].active,
                                      (unsigned long long)all[i].sum,
                                      all[i].avg, all[i].pct);
        if (!row) {
            Py_CLEAR(list);
            break;
        }
        PyList_SET_ITEM(list, (Py_ssize_t)i, row);
    }
    free(all);
    return list;
}

PyObject *fp_py_object_sizes(fp_tracker *t, size_t obj)
{
    size_t n = fp_tracker_snapshot_count(t), s;
    PyObject *list = PyList_New(0);

    for (s = 0; list && s < n; s++) {
        uint64_t size;
        PyObject *row;
        if (fp_tracker_object_size(t, s, obj, &size) != FP_OK)
            continue;
        row = Py_BuildValue("(nK)", (Py_ssize_t)s, (unsigned long long)size);
        if (!row || PyList_Append(list, row) < 0)
            Py_CLEAR(list);
        Py_XDECREF(row);
    }
    return list;
}

PyObject *fp_py_dump_bytes(fp_tracker *t)
{
    unsigned char *buf = NULL;
    size_t len = 0;
    fp_status st = fp_tracker_dump_buffer(t, &buf, &len);
    PyObject *b;

    if (st != FP_OK) {
        PyErr_SetString(st == FP_ENOMEM ? PyExc_MemoryError
                                        : PyExc_ValueError,
                        fp_strerror(st));
        return NULL;
    }
    b = PyBytes_FromStringAndSize((const char *)buf, (Py_ssize_t)len);
    fp_tracker_buffer_free(t, buf);
    return b;
}

size_t fp_py_tracker_adapter_memory(fp_tracker *t)
{
    fpy_tracker *e = fpy_tracker_find(t), *x;
    size_t n, ntrackers = 0;

    if (!e)
        return 0;
    for (x = fpy_trackers; x; x = x->next)
        ntrackers++;
    n = sizeof *e + fpy_hook_memory() / ntrackers;
    n += (size_t)(_PyDict_SizeOf((PyDictObject *)e->keep) +
                  _PyDict_SizeOf((PyDictObject *)e->weak)) +
         2 * fpv_preheader(&PyDict_Type, NULL);
    /* per weakly followed object: the reference, its callback and key */
    n += (size_t)PyDict_GET_SIZE(e->weak) *
         (sizeof(PyWeakReference) + sizeof(PyCFunctionObject) +
          3 * sizeof(PyObject *) + 2 * 32);
    n += (size_t)PyDict_GET_SIZE(e->keep) * 32;
    if (PyErr_Occurred())
        PyErr_Clear();
    return n;
}

PyObject *fp_py_hook_info(void)
{
    Py_ssize_t n = 0;
    fpy_tracker *e;

    for (e = fpy_trackers; e; e = e->next)
        n++;
    return Py_BuildValue("{s:n,s:O,s:n}", "types", (Py_ssize_t)fpy_hook_count(),
                         "class_descriptor",
                         fpy_class_descr_installed() ? Py_True : Py_False,
                         "trackers", n);
}
