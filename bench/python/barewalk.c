/*
 * barewalk.c - the floors footprint's Python figures are measured against,
 * built only for the Python bench (module `barewalk`): an exact sizer of
 * an object graph (size) and a census of the heap by type (census).
 *
 * size(obj[, spread]) -> (bytes, objects): every object reachable from
 * obj once, each counted as tp_basicsize + tp_itemsize * |its item count|.
 * Referents come from tp_traverse, visited objects go in a plain
 * open-addressing pointer set, pending ones on an explicit stack.  No
 * options, no names, no __sizeof__, no per-type rules: whatever footprint
 * spends beyond this is the price of its generality.
 *
 * Two departures from "tp_traverse and nothing else", both needed for the
 * walk to reach what a sizer must reach and nothing more:
 * - a dict with only str keys reports just its values to the collector
 *   (str cannot form cycles), so dicts are walked with PyDict_Next, keys
 *   and values;
 * - an instance of a heap class reports its class, whose dict leads to
 *   functions, their globals, and from there the whole program.  Classes
 *   are therefore neither sized nor followed (footprint and pympler also
 *   leave them out by default).
 *
 * The walk allocates no Python object, so no collection (or other Python
 * code) can run while it holds borrowed pointers.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <frameobject.h> /* PyFrame_Check on 3.10 */

#include <stdint.h>
#include <stdlib.h>

/* Py_SIZE, but an int keeps its digit count in lv_tag from 3.12 (where
 * Py_SIZE of an int asserts). */
static Py_ssize_t item_count(PyObject *o)
{
#if PY_VERSION_HEX >= 0x030C0000
    if (PyLong_Check(o))
        return (Py_ssize_t)(((PyLongObject *)o)->long_value.lv_tag >>
                            _PyLong_NON_SIZE_BITS);
#endif
    return Py_SIZE(o);
}

typedef struct walk walk;
static int visit(PyObject *o, void *arg);

/* From 3.13 an instance whose values are inline reports them, not its
 * dict, to the collector, even once the dict exists (it then holds the
 * same values): the dict is an object all the same, which any exact
 * sizer must count.  It sits in the pre-header, 3 words before the
 * object. */
static void visit_managed_dict(PyObject *o, walk *w)
{
#if PY_VERSION_HEX >= 0x030D0000
    if (PyType_HasFeature(Py_TYPE(o), Py_TPFLAGS_MANAGED_DICT)) {
        PyObject *d = *((PyObject **)o - 3);
        if (d)
            visit(d, w);
    }
#else
    (void)o;
    (void)w;
#endif
}

struct walk {
    uintptr_t *slots; /* 0 = free; open addressing, linear probing */
    size_t mask, count;
    int spread, shift;
    PyObject **stack;
    size_t len, cap;
    int nomem;
};

/* Two textbook hashes, as neither wins everywhere:
 * - the address itself (objects are 16-byte aligned): neighbours in
 *   memory take neighbouring slots, so a walk through a structure built
 *   in order stays within a few cache lines of the table; but once the
 *   heap spans more addresses than the table covers, dense stretches
 *   alias onto each other and linear probing runs long;
 * - a multiplicative (Fibonacci) hash: no clustering, one cache miss per
 *   object.
 * The bench runs both and takes the faster as the floor. */
static size_t slot_of(const walk *w, uintptr_t p)
{
    if (w->spread)
        return (size_t)(((uint64_t)p * 0x9E3779B97F4A7C15u) >> w->shift);
    return (size_t)(p >> 4) & w->mask;
}

static int grow_set(walk *w)
{
    size_t ncap = (w->mask + 1) * 2, i;
    uintptr_t *old = w->slots, *slots = calloc(ncap, sizeof *slots);

    if (!slots)
        return -1;
    w->slots = slots;
    w->mask = ncap - 1;
    w->shift--;
    for (i = 0; i < ncap / 2; i++)
        if (old[i]) {
            size_t j = slot_of(w, old[i]);
            while (slots[j])
                j = (j + 1) & w->mask;
            slots[j] = old[i];
        }
    free(old);
    return 0;
}

/* 1 if p was not in the set (now it is), 0 if it was, -1 out of memory. */
static int set_add(walk *w, uintptr_t p)
{
    size_t j = slot_of(w, p);

    while (w->slots[j]) {
        if (w->slots[j] == p)
            return 0;
        j = (j + 1) & w->mask;
    }
    if ((w->count + 1) * 2 > w->mask + 1) {
        if (grow_set(w) < 0)
            return -1;
        j = slot_of(w, p);
        while (w->slots[j])
            j = (j + 1) & w->mask;
    }
    w->slots[j] = p;
    w->count++;
    return 1;
}

static int push(walk *w, PyObject *o)
{
    if (w->len == w->cap) {
        size_t ncap = w->cap * 2;
        PyObject **s = realloc(w->stack, ncap * sizeof *s);
        if (!s)
            return -1;
        w->stack = s;
        w->cap = ncap;
    }
    w->stack[w->len++] = o;
    return 0;
}

/* tp_traverse's visitproc: marked when first seen, so the stack holds
 * each object at most once. */
static int visit(PyObject *o, void *arg)
{
    walk *w = arg;
    int fresh;

    if (!o)
        return 0;
    fresh = set_add(w, (uintptr_t)o);
    if (fresh > 0 && !PyType_Check(o))
        fresh = push(w, o) < 0 ? -1 : 0;
    if (fresh < 0) {
        w->nomem = 1;
        return -1; /* stops the traversal */
    }
    return 0;
}

static PyObject *size(PyObject *self, PyObject *args)
{
    walk w = {0};
    size_t bytes = 0, objects = 0;
    PyObject *root;

    (void)self;
    if (!PyArg_ParseTuple(args, "O|p:size", &root, &w.spread))
        return NULL;
    w.mask = 1023;
    w.shift = 64 - 10;
    w.cap = 1024;
    w.slots = calloc(w.mask + 1, sizeof *w.slots);
    w.stack = malloc(w.cap * sizeof *w.stack);
    if (w.slots && w.stack)
        visit(root, &w);
    else
        w.nomem = 1;
    while (w.len && !w.nomem) {
        PyObject *o = w.stack[--w.len];
        PyTypeObject *tp = Py_TYPE(o);

        bytes += (size_t)tp->tp_basicsize;
        if (tp->tp_itemsize) {
            Py_ssize_t n = item_count(o);
            bytes += (size_t)tp->tp_itemsize * (size_t)(n < 0 ? -n : n);
        }
        objects++;
        if (PyDict_Check(o)) {
            Py_ssize_t pos = 0;
            PyObject *k, *v;
            while (PyDict_Next(o, &pos, &k, &v) && !w.nomem) {
                visit(k, &w);
                visit(v, &w);
            }
        } else if (tp->tp_traverse) {
            tp->tp_traverse(o, visit, &w);
            visit_managed_dict(o, &w);
        }
    }
    free(w.slots);
    free(w.stack);
    if (w.nomem)
        return PyErr_NoMemory();
    return Py_BuildValue("(nn)", (Py_ssize_t)bytes, (Py_ssize_t)objects);
}

/* ---- census(objects): the floor of pympler's muppy + summary ----
 * Each object of the list (gc.get_objects(): no repeats) but frames, each
 * untracked object one of them reports to the collector, once, summed by
 * type as basicsize + itemsize * |item count| (no names, no groups, no
 * __sizeof__ of any kind).  Untracked referents go in the plain pointer
 * set; types in a small map of their own. */

typedef struct tally {
    uintptr_t type;
    size_t count, bytes;
} tally;

typedef struct census_walk {
    walk seen;            /* untracked referents already counted */
    tally *types;
    size_t tmask, ntypes;
    int nomem;
} census_walk;

static int tally_grow(census_walk *c)
{
    size_t ncap = (c->tmask + 1) * 2, i, j;
    tally *old = c->types, *t = calloc(ncap, sizeof *t);

    if (!t)
        return -1;
    for (i = 0; i <= c->tmask; i++)
        if (old[i].type) {
            for (j = (old[i].type >> 4) & (ncap - 1); t[j].type;
                 j = (j + 1) & (ncap - 1))
                ;
            t[j] = old[i];
        }
    free(old);
    c->types = t;
    c->tmask = ncap - 1;
    return 0;
}

static void tally_add(census_walk *c, PyObject *o)
{
    PyTypeObject *tp = Py_TYPE(o);
    size_t j = ((uintptr_t)tp >> 4) & c->tmask, bytes;

    while (c->types[j].type && c->types[j].type != (uintptr_t)tp)
        j = (j + 1) & c->tmask;
    if (!c->types[j].type) {
        if ((c->ntypes + 1) * 2 > c->tmask + 1) {
            if (tally_grow(c) < 0) {
                c->nomem = 1;
                return;
            }
            tally_add(c, o);
            return;
        }
        c->types[j].type = (uintptr_t)tp;
        c->ntypes++;
    }
    bytes = (size_t)tp->tp_basicsize;
    if (tp->tp_itemsize) {
        Py_ssize_t n = item_count(o);
        bytes += (size_t)tp->tp_itemsize * (size_t)(n < 0 ? -n : n);
    }
    c->types[j].count++;
    c->types[j].bytes += bytes;
}

static int census_visit(PyObject *o, void *arg)
{
    census_walk *c = arg;
    int fresh;

    if (!o || PyObject_GC_IsTracked(o))
        return 0;
    fresh = set_add(&c->seen, (uintptr_t)o);
    if (fresh > 0)
        tally_add(c, o);
    if (fresh < 0 || c->nomem) {
        c->nomem = 1;
        return -1;
    }
    return 0;
}

static PyObject *census(PyObject *self, PyObject *args)
{
    census_walk c = {0};
    PyObject *list;
    size_t objects = 0, bytes = 0, i;
    Py_ssize_t k;

    (void)self;
    if (!PyArg_ParseTuple(args, "O!:census", &PyList_Type, &list))
        return NULL;
    c.seen.mask = 1023;
    c.seen.shift = 64 - 10;
    c.seen.slots = calloc(c.seen.mask + 1, sizeof *c.seen.slots);
    c.tmask = 255;
    c.types = calloc(c.tmask + 1, sizeof *c.types);
    c.nomem = !c.seen.slots || !c.types;
    for (k = 0; k < PyList_GET_SIZE(list) && !c.nomem; k++) {
        PyObject *o = PyList_GET_ITEM(list, k);
        traverseproc trav = Py_TYPE(o)->tp_traverse;
        if (PyFrame_Check(o))
            continue; /* as muppy leaves frames out */
        tally_add(&c, o);
        if (trav)
            trav(o, census_visit, &c);
    }
    for (i = 0; c.types && i <= c.tmask; i++) {
        objects += c.types[i].count;
        bytes += c.types[i].bytes;
    }
    free(c.seen.slots);
    free(c.types);
    if (c.nomem)
        return PyErr_NoMemory();
    return Py_BuildValue("(nnn)", (Py_ssize_t)objects, (Py_ssize_t)bytes,
                         (Py_ssize_t)c.ntypes);
}

static PyMethodDef methods[] = {
    {"census", census, METH_VARARGS,
     "census(objects) -> (objects, bytes, types): the objects of the list "
     "and the untracked objects they report to the collector, each once, "
     "summed by type (basicsize + itemsize * item count)"},
    {"size", size, METH_VARARGS,
     "size(obj, spread=False) -> (bytes, objects): basicsize + itemsize * "
     "size of every object reachable from obj through tp_traverse (dicts: "
     "keys and values; classes left out); spread: the visited set hashes "
     "addresses multiplicatively instead of using them as they are"},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT, "barewalk",
    "The bare C walk the Python bench measures footprint against.", -1,
    methods, NULL, NULL, NULL, NULL,
};

PyMODINIT_FUNC PyInit_barewalk(void)
{
    return PyModule_Create(&module);
}
