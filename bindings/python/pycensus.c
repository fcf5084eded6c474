/*
 * pycensus.c - the whole heap by type: pympler's muppy.get_objects and
 * summary.summarize over the core's census (fp_census).
 *
 * What is counted is what pympler's muppy lists: every object the
 * collector tracks (gc.get_objects, a C function) but frames, and the
 * untracked objects those report to the collector (tp_traverse: strings,
 * ints, floats, untracked tuples).  Each object counts once, with the
 * flat size sizing gives it (sys.getsizeof, without running a Python
 * __sizeof__), under pympler's name for its type: the type's name, but
 * "function (name)", "module(name)" and "frame (codename: name)" per
 * function, module and frame.  Names are read from C fields and dicts:
 * no __repr__, no metaclass, no property runs.
 *
 * The collector is off from before the object list is made to the end (a
 * collection could run __del__ methods and free what the census holds);
 * the GIL is held throughout, so no other thread creates or frees an
 * object meanwhile.  The list, the census's name strings and its group
 * dict are its own and never counted.
 */
#include "pyinternal.h"

#include <string.h>

/* The census's view of the host: the sizing host's flat sizes, with
 * pympler's per-object groups in place of the type for functions,
 * modules and frames. */
typedef struct census_host {
    fpy_host sizing;        /* code=True, ignored=False: nothing skipped */
    fp_host sizing_host;    /* the sizing host's callbacks over sizing */
    fp_host base;           /* what the census asks: census_inspect */
    PyObject *groups;       /* {name: name}: one str object per group */
    PyObject *functions;    /* {func_name: group}: made once per name */
    int failed;             /* a group name could not be made */
} census_host;

/* The canonical str for a group name (borrowed, kept by groups). */
static PyObject *group_of(census_host *c, PyObject *name)
{
    PyObject *known;

    if (!name) {
        PyErr_Clear();
        c->failed = 1;
        return NULL;
    }
    known = PyDict_GetItemWithError(c->groups, name);
    if (!known && !PyErr_Occurred() &&
        PyDict_SetItem(c->groups, name, name) == 0)
        known = name;
    if (!known) {
        PyErr_Clear();
        c->failed = 1;
    }
    Py_DECREF(name);
    return known;
}

static PyObject *module_group(PyObject *m)
{
    PyObject *d = PyModule_GetDict(m);
    PyObject *name = fpy_dict_get(d, fpy_str_name);
    PyObject *file;

    if (name && PyUnicode_Check(name))
        return PyUnicode_FromFormat("module(%U)", name);
    file = fpy_dict_get(d, fpy_str_file);
    if (file && PyUnicode_Check(file))
        return PyUnicode_FromFormat("module(%U)", file);
    return PyUnicode_FromFormat("module(nameless, id: %zd)", (Py_ssize_t)m);
}

static PyObject *frame_group(PyObject *f)
{
    PyCodeObject *co = PyFrame_GetCode((PyFrameObject *)f);
    PyObject *name = co && PyUnicode_Check(co->co_name)
                         ? PyUnicode_FromFormat("frame (codename: %U)",
                                                co->co_name)
                         : PyUnicode_FromString("frame");

    Py_XDECREF(co);
    return name;
}

/* pympler's group of obj when it is not its type's name, else NULL. */
static PyObject *group_name(PyObject *obj)
{
    PyTypeObject *tp = Py_TYPE(obj);

    if (tp == &PyFunction_Type) {
        PyObject *n = ((PyFunctionObject *)obj)->func_name;
        return n && PyUnicode_Check(n)
                   ? PyUnicode_FromFormat("function (%U)", n)
                   : PyUnicode_FromString("function");
    }
    if (tp == &PyModule_Type)
        return module_group(obj);
    if (tp == &PyFrame_Type)
        return frame_group(obj);
    return NULL;
}

/* A function's group by its name: most names recur (methods of many
 * classes), so "function (name)" is formatted once per name.  Only exact
 * str names are keys: a str subclass could hash with Python code. */
static PyObject *function_group(census_host *c, PyObject *f)
{
    PyObject *n = ((PyFunctionObject *)f)->func_name, *g;

    if (!n || !PyUnicode_CheckExact(n))
        return group_of(c, group_name(f));
    if ((g = PyDict_GetItemWithError(c->functions, n)) != NULL)
        return g;
    PyErr_Clear();
    g = group_of(c, group_name(f));
    if (g && PyDict_SetItem(c->functions, n, g) < 0)
        PyErr_Clear();
    return g;
}

static fp_status census_inspect(void *ctx, fp_handle h, fp_info *info)
{
    census_host *c = ctx;
    fp_status st = c->sizing_host.inspect(&c->sizing, h, info);
    PyObject *name;

    if (st == FP_OK && Py_IS_TYPE((PyObject *)h, &PyFunction_Type)) {
        PyObject *g = function_group(c, (PyObject *)h);
        if (g)
            info->cls = (fp_handle)g;
        return st;
    }
    if (st != FP_OK || !(Py_IS_TYPE((PyObject *)h, &PyModule_Type) ||
                         Py_IS_TYPE((PyObject *)h, &PyFrame_Type)))
        return st; /* the usual case: named by its type */
    if ((name = group_name((PyObject *)h)) != NULL) {
        PyObject *g = group_of(c, name);
        if (g)
            info->cls = (fp_handle)g;
    }
    return st;
}

/* ---- the type's name, as str(type) reads after pympler's cleaning ---- */

static PyObject *type_label(PyTypeObject *tp)
{
    char buf[256];
    const char *mod = fpy_class_module(tp, buf, sizeof buf), *dot;
    PyObject *name, *label;

    if (PyType_HasFeature(tp, Py_TPFLAGS_HEAPTYPE) &&
        PyUnicode_Check(((PyHeapTypeObject *)tp)->ht_qualname))
        name = Py_NewRef(((PyHeapTypeObject *)tp)->ht_qualname);
    else
        name = PyUnicode_FromString((dot = strrchr(tp->tp_name, '.'))
                                        ? dot + 1
                                        : tp->tp_name);
    if (!name)
        return NULL;
    if (mod && strcmp(mod, "builtins") != 0)
        label = PyUnicode_FromFormat("%s.%U", mod, name);
    else
        label = Py_NewRef(name);
    Py_DECREF(name);
    /* pympler strips "<class '...'>" only when no space is inside */
    if (label && PyUnicode_Find(label, fpy_str_space, 0,
                                PyUnicode_GET_LENGTH(label), 1) >= 0) {
        PyObject *full = PyUnicode_FromFormat("<class '%U'>", label);
        Py_DECREF(label);
        label = full;
    }
    return label;
}

/* ---- a census of given objects, or of the heap ---- */

static fp_status census_start(census_host *c, unsigned flags,
                              fp_census **out)
{
    c->base = c->sizing_host;
    c->base.ctx = c;
    c->base.inspect = census_inspect;
    c->groups = PyDict_New();
    c->functions = PyDict_New();
    if (!c->groups || !c->functions)
        return FP_ENOMEM;
    return fp_census_new(out, &c->base, flags, NULL);
}

static void census_host_init(census_host *c)
{
    memset(c, 0, sizeof *c);
    fp_py_opts_init(&c->sizing.opts);
    c->sizing.opts.code = 1;
    c->sizing.opts.ignored = 0;
    fpy_host_callbacks(&c->sizing_host, &c->sizing);
}

static void census_host_release(census_host *c)
{
    fpy_cache_free(&c->sizing.cache);
    Py_CLEAR(c->groups);
    Py_CLEAR(c->functions);
}

typedef struct walk {
    fp_census *census;
    fp_status st;
} walk;

/* What an object reports to the collector and the collector does not
 * track itself: pympler's untracked referents. */
static int add_untracked(PyObject *ref, void *arg)
{
    walk *w = arg;

    if (ref && w->st == FP_OK && !PyObject_GC_IsTracked(ref))
        w->st = fp_census_add(w->census, (fp_handle)ref, NULL);
    return w->st != FP_OK;
}

/* Count the heap into census: tracked objects (frames only with frames)
 * and their untracked referents; the list itself is the census's. */
static fp_status census_heap(fp_census *census, PyObject *list, int frames)
{
    walk w = {census, FP_OK};
    Py_ssize_t i;

    w.st = fp_census_exclude(census, (fp_handle)list);
    for (i = 0; w.st == FP_OK && i < PyList_GET_SIZE(list); i++) {
        PyObject *o = PyList_GET_ITEM(list, i);
        traverseproc trav = Py_TYPE(o)->tp_traverse;
        if (!frames && PyFrame_Check(o))
            continue;
        /* the collector lists each object once, and add_untracked never
         * hands over one it tracks: nothing to remember */
        w.st = fp_census_add_unique(census, (fp_handle)o, NULL);
        if (w.st == FP_OK && trav)
            trav(o, add_untracked, &w);
    }
    return w.st;
}

/* The objects in objs, and objs itself (the caller's list of them). */
static fp_status exclude_all(fp_census *census, PyObject *objs)
{
    Py_ssize_t i, n = PySequence_Fast_GET_SIZE(objs);
    fp_status st = fp_census_exclude(census, (fp_handle)objs);

    for (i = 0; st == FP_OK && i < n; i++)
        st = fp_census_exclude(census,
                               (fp_handle)PySequence_Fast_GET_ITEM(objs, i));
    return st;
}

/* A row's name: its group's str, or its type's label. */
static PyObject *row_name(const fp_census_row *r)
{
    PyObject *cls = (PyObject *)r->cls;

    if (cls && PyUnicode_Check(cls))
        return Py_NewRef(cls);
    if (cls && PyType_Check(cls))
        return type_label((PyTypeObject *)cls);
    return PyUnicode_FromString("?");
}

/* [[name, count, size(, deep)], ...], largest size first; at most top
 * rows when top > 0. */
static PyObject *rows_of(fp_census *census, size_t top, int deep)
{
    size_t n = fp_census_rows(census), i;
    PyObject *rows;

    if (top && top < n)
        n = top;
    if (!(rows = PyList_New((Py_ssize_t)n)))
        return NULL;
    for (i = 0; i < n; i++) {
        fp_census_row r;
        PyObject *name, *row;
        if (fp_census_read(census, i, &r) != FP_OK ||
            !(name = row_name(&r))) {
            Py_DECREF(rows);
            return PyErr_Occurred() ? NULL : PyErr_NoMemory();
        }
        row = deep ? Py_BuildValue("[NKKK]", name, (unsigned long long)r.count,
                                   (unsigned long long)r.flat,
                                   (unsigned long long)r.deep)
                   : Py_BuildValue("[NKK]", name, (unsigned long long)r.count,
                                   (unsigned long long)r.flat);
        if (!row) {
            Py_DECREF(rows);
            return NULL;
        }
        PyList_SET_ITEM(rows, (Py_ssize_t)i, row);
    }
    return rows;
}

static PyObject *census_error(fp_status st, fp_census *census)
{
    if (!PyErr_Occurred())
        PyErr_Format(PyExc_MemoryError, "footprint census: %s",
                     census && *fp_census_errmsg(census)
                         ? fp_census_errmsg(census)
                         : fp_strerror(st));
    return NULL;
}

PyObject *fp_py_census_summarize(PyObject *objects)
{
    census_host c;
    fp_census *census = NULL;
    PyObject *seq, *rows = NULL;
    Py_ssize_t i;
    fp_status st;
    int gc;

    if (!(seq = PySequence_Fast(objects, "summarize: a sequence of objects")))
        return NULL;
    census_host_init(&c);
    gc = fpy_host_begin(&c.sizing, 0);
    st = census_start(&c, 0, &census);
    for (i = 0; st == FP_OK && i < PySequence_Fast_GET_SIZE(seq); i++)
        st = fp_census_add(census,
                           (fp_handle)PySequence_Fast_GET_ITEM(seq, i), NULL);
    if (st == FP_OK && c.failed)
        st = FP_ENOMEM;
    rows = st == FP_OK ? rows_of(census, 0, 0) : census_error(st, census);
    fp_census_free(census);
    census_host_release(&c);
    fpy_host_end(gc);
    Py_DECREF(seq);
    return rows;
}

/* The heap's totals: (count, size, failed, bytes the census held). */
static PyObject *totals_of(fp_census *census)
{
    uint64_t count, flat, failed;

    fp_census_totals(census, &count, &flat, &failed);
    return Py_BuildValue("(KKKn)", (unsigned long long)count,
                         (unsigned long long)flat, (unsigned long long)failed,
                         (Py_ssize_t)fp_census_memory(census));
}

/* (rows, totals), or NULL with an exception. */
static PyObject *result_of(fp_census *census, size_t top, int deep)
{
    PyObject *rows = rows_of(census, top, deep), *totals;

    if (!rows)
        return NULL;
    if (!(totals = totals_of(census))) {
        Py_DECREF(rows);
        return NULL;
    }
    return Py_BuildValue("(NN)", rows, totals);
}

/* Each row's objects sized as asizeof sizes them (pympler's defaults, no
 * depth limit), rows in order: what an object of one row shares with
 * another counts for the first. */
static fp_status census_deep(fp_census *census, fp_sizer **sizer,
                             fpy_host *deep)
{
    fp_host host;
    fp_sizer_opts o;
    fp_status st;

    fp_py_opts_init(&deep->opts);
    deep->opts.limit = FP_NO_LIMIT;
    fpy_host_callbacks(&host, deep);
    fp_sizer_opts_init(&o);
    o.align = deep->opts.align;
    o.limit = FP_NO_LIMIT;
    st = fp_sizer_new(sizer, &host, &o, NULL);
    if (st == FP_OK) {
        fpy_cache_clear(&deep->cache);
        st = fp_census_deep(census, *sizer);
    }
    return st;
}

/* What one census of the heap holds while its figures are read. */
typedef struct heap_run {
    census_host c;
    fpy_host deep;       /* the sizing host of deep sizes */
    fp_census *census;
    fp_sizer *sizer;
    PyObject *list;      /* gc.get_objects() */
    int gc;              /* the collector was on */
} heap_run;

/* A census of the heap, the objects of exclude (a sequence) left out;
 * with deep sizes when deep.  Release with heap_end whatever it says. */
static fp_status heap_begin(heap_run *r, PyObject *exclude, int deep)
{
    fp_status st;

    memset(r, 0, sizeof *r);
    census_host_init(&r->c);
    r->gc = fpy_host_begin(&r->c.sizing, 0);
    st = census_start(&r->c, deep ? FP_CENSUS_DEEP : 0, &r->census);
    if (st == FP_OK && !(r->list = fpy_gc_objects()))
        st = FP_EHOST;
    if (st == FP_OK)
        st = exclude_all(r->census, exclude);
    if (st == FP_OK)
        st = census_heap(r->census, r->list, 0);
    if (st == FP_OK && r->c.failed)
        st = FP_ENOMEM;
    if (st == FP_OK && deep)
        st = census_deep(r->census, &r->sizer, &r->deep);
    if (st != FP_OK)
        census_error(st, r->census);
    return st;
}

static void heap_end(heap_run *r)
{
    fp_sizer_free(r->sizer);
    fpy_cache_free(&r->deep.cache);
    fp_census_free(r->census);
    census_host_release(&r->c);
    fpy_host_end(r->gc);
    Py_XDECREF(r->list);
}

PyObject *fp_py_census_heap(PyObject *exclude, long long top, int deep)
{
    heap_run r;
    PyObject *ex, *out = NULL;

    if (!(ex = PySequence_Fast(exclude, "census: a sequence to leave out")))
        return NULL;
    if (heap_begin(&r, ex, deep) == FP_OK)
        out = result_of(r.census, top > 0 ? (size_t)top : 0, deep);
    heap_end(&r);
    Py_DECREF(ex);
    return out;
}

/* Rows 0 .. n-1 of census as tracker entries; names point into names (a
 * list of str the caller keeps until the entries are copied). */
static fp_status entries_of(fp_census *census, size_t n,
                            fp_census_entry *e, PyObject *names)
{
    size_t i;

    for (i = 0; i < n; i++) {
        fp_census_row row;
        PyObject *name;
        if (fp_census_read(census, i, &row) != FP_OK ||
            !(name = row_name(&row)))
            return FP_ENOMEM;
        if (PyList_Append(names, name) < 0 ||
            !(e[i].name = PyUnicode_AsUTF8(name))) {
            Py_DECREF(name);
            return FP_ENOMEM;
        }
        Py_DECREF(name);
        e[i].count = row.count;
        e[i].flat = row.flat;
        e[i].deep = row.deep;
    }
    return FP_OK;
}

PyObject *fp_py_tracker_census(fp_tracker *t, size_t snap,
                               PyObject *exclude, long long top)
{
    heap_run r;
    PyObject *ex, *names = NULL, *out = NULL;
    fp_census_entry *e = NULL;
    uint64_t count = 0, flat = 0, failed;
    size_t n = 0;
    fp_status st;

    if (!(ex = PySequence_Fast(exclude, "census: a sequence to leave out")))
        return NULL;
    st = heap_begin(&r, ex, 0);
    if (st == FP_OK) {
        n = fp_census_rows(r.census);
        if (top > 0 && (size_t)top < n)
            n = (size_t)top;
        fp_census_totals(r.census, &count, &flat, &failed);
        e = PyMem_Calloc(n ? n : 1, sizeof *e);
        names = PyList_New(0);
        st = e && names ? entries_of(r.census, n, e, names) : FP_ENOMEM;
        if (st == FP_OK)
            st = fp_tracker_set_census(t, snap, e, n, count, flat);
        if (st != FP_OK)
            census_error(st, r.census);
        else
            out = Py_BuildValue("(KK)", (unsigned long long)count,
                                (unsigned long long)flat);
    }
    heap_end(&r);
    PyMem_Free(e);
    Py_XDECREF(names);
    Py_DECREF(ex);
    return out;
}

PyObject *fp_py_snapshot_census(fp_tracker *t, size_t snap)
{
    size_t n = fp_tracker_census_count(t, snap), i;
    uint64_t count = 0, flat = 0;
    PyObject *rows = PyList_New((Py_ssize_t)n);

    for (i = 0; rows && i < n; i++) {
        fp_census_entry e;
        PyObject *row = NULL;
        if (fp_tracker_census_entry(t, snap, i, &e) == FP_OK)
            row = Py_BuildValue("[sKKK]", e.name, (unsigned long long)e.count,
                                (unsigned long long)e.flat,
                                (unsigned long long)e.deep);
        if (!row) {
            Py_CLEAR(rows);
            break;
        }
        PyList_SET_ITEM(rows, (Py_ssize_t)i, row);
    }
    if (!rows)
        return PyErr_Occurred() ? NULL : PyErr_NoMemory();
    fp_tracker_census_totals(t, snap, &count, &flat);
    return Py_BuildValue("(N(KK))", rows, (unsigned long long)count,
                         (unsigned long long)flat);
}

/* ---- muppy's object lists ---- */

typedef struct lister {
    fp_set *seen;
    PyObject *out;
    int failed;
} lister;

static void list_add(lister *l, PyObject *o)
{
    int added = 0;

    if (l->failed)
        return;
    if (fp_set_add(l->seen, (fp_handle)o, &added) != FP_OK ||
        (added && PyList_Append(l->out, o) < 0))
        l->failed = 1;
}

static int list_untracked(PyObject *ref, void *arg)
{
    if (ref && !PyObject_GC_IsTracked(ref))
        list_add(arg, ref);
    return ((lister *)arg)->failed;
}

PyObject *fp_py_census_objects(int include_frames)
{
    lister l = {NULL, NULL, 0};
    PyObject *list;
    Py_ssize_t i;
    int gc = PyGC_Disable();

    list = fpy_gc_objects();
    if (list && (fp_set_new(&l.seen, NULL) != FP_OK ||
                 !(l.out = PyList_New(0))))
        l.failed = 1;
    for (i = 0; list && !l.failed && i < PyList_GET_SIZE(list); i++) {
        PyObject *o = PyList_GET_ITEM(list, i);
        traverseproc trav = Py_TYPE(o)->tp_traverse;
        if (!include_frames && PyFrame_Check(o))
            continue;
        list_add(&l, o);
        if (trav)
            trav(o, list_untracked, &l);
    }
    fp_set_free(l.seen);
    Py_XDECREF(list);
    if (gc)
        PyGC_Enable();
    if (l.failed) {
        Py_CLEAR(l.out);
        if (!PyErr_Occurred())
            PyErr_NoMemory();
    }
    return list ? l.out : NULL;
}

/* ---- flat sizes of many objects ---- */

/* The flat size of obj as sizing gives it (sys.getsizeof without a
 * Python __sizeof__); -1 when its C __sizeof__ fails. */
static long long flat_of(census_host *c, PyObject *obj)
{
    fp_info info = {0, 0, 0};

    if (c->sizing_host.inspect(&c->sizing, (fp_handle)obj, &info) != FP_OK)
        return -1;
    return (long long)info.flat;
}

PyObject *fp_py_flat_sizes(PyObject *objects)
{
    census_host c;
    PyObject *seq, *out;
    Py_ssize_t i, n;
    int gc;

    if (!(seq = PySequence_Fast(objects, "a sequence of objects")))
        return NULL;
    n = PySequence_Fast_GET_SIZE(seq);
    census_host_init(&c);
    gc = fpy_host_begin(&c.sizing, 0);
    out = PyList_New(n);
    for (i = 0; out && i < n; i++) {
        long long f = flat_of(&c, PySequence_Fast_GET_ITEM(seq, i));
        PyObject *v = PyLong_FromLongLong(f < 0 ? 0 : f);
        if (!v)
            Py_CLEAR(out);
        else
            PyList_SET_ITEM(out, i, v);
    }
    census_host_release(&c);
    fpy_host_end(gc);
    Py_DECREF(seq);
    return out;
}

PyObject *fp_py_census_filter(PyObject *objects, PyObject *type,
                              long long min, long long max)
{
    census_host c;
    PyObject *seq, *out;
    Py_ssize_t i, n;
    int gc;

    if (type != Py_None && !PyType_Check(type)) {
        PyErr_SetString(PyExc_TypeError, "filter: Type must be a type");
        return NULL;
    }
    if (!(seq = PySequence_Fast(objects, "a sequence of objects")))
        return NULL;
    n = PySequence_Fast_GET_SIZE(seq);
    census_host_init(&c);
    gc = fpy_host_begin(&c.sizing, 0);
    out = PyList_New(0);
    for (i = 0; out && i < n; i++) {
        PyObject *o = PySequence_Fast_GET_ITEM(seq, i);
        long long f;
        /* the type's MRO, not isinstance: a metaclass's __instancecheck__
         * is code of the program */
        if (type != Py_None && !PyObject_TypeCheck(o, (PyTypeObject *)type))
            continue;
        f = flat_of(&c, o);
        if ((min > -1 && !(f > min)) || (max > -1 && !(f < max)))
            continue;
        if (PyList_Append(out, o) < 0)
            Py_CLEAR(out);
    }
    census_host_release(&c);
    fpy_host_end(gc);
    Py_DECREF(seq);
    return out;
}
