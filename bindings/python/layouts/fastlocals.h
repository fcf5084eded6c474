/*
 * layouts/fastlocals.h - a frame's "fast" locals as CPython 3.11 to 3.13
 * lay them out: co_nlocalsplus slots (localsplus) named by
 * co_localsplusnames, each with a kind byte in co_localspluskinds
 * (Include/internal/pycore_code.h).  Include only from layouts/.
 */
#ifndef FP_LAYOUT_FASTLOCALS_H
#define FP_LAYOUT_FASTLOCALS_H

/* Kinds.  Hidden ones are the variables of inlined comprehensions (3.12+),
 * which frame.f_locals leaves out. */
enum {
    FPL_FAST_HIDDEN = 0x10,
    FPL_FAST_CELL = 0x40,
    FPL_FAST_FREE = 0x80
};

/* Call visit(arg, name, value) for each bound local, in slot order, as
 * _PyFrame_FastToLocalsWithError would enter it into f_locals: cells and
 * free variables read through, free variables only in optimized code.
 * started: the frame has run (before that every slot is unset).  Nonzero
 * from visit stops; returns it, or -1 if the code object is not as
 * expected. */
static inline int fpl_fast_locals(PyCodeObject *co, PyObject *const *fast,
                                  int started,
                                  int (*visit)(void *, PyObject *, PyObject *),
                                  void *arg)
{
    PyObject *names, *kinds;
    int i, r;

    if (!co || !PyCode_Check(co))
        return -1;
    names = co->co_localsplusnames;
    kinds = co->co_localspluskinds;
    if (!PyTuple_Check(names) || !PyBytes_Check(kinds) ||
        PyTuple_GET_SIZE(names) < co->co_nlocalsplus ||
        PyBytes_GET_SIZE(kinds) < co->co_nlocalsplus)
        return -1;
    for (i = 0; started && i < co->co_nlocalsplus; i++) {
        int kind = (unsigned char)PyBytes_AS_STRING(kinds)[i];
        PyObject *v = fast[i];
        if (kind & FPL_FAST_HIDDEN)
            continue;
        if ((kind & FPL_FAST_FREE) && !(co->co_flags & CO_OPTIMIZED))
            continue;
        if (v && (kind & (FPL_FAST_FREE | FPL_FAST_CELL)) && PyCell_Check(v))
            v = PyCell_GET(v);
        if (v && (r = visit(arg, PyTuple_GET_ITEM(names, i), v)) != 0)
            return r;
    }
    return 0;
}

static inline int fpl_dict_set(void *d, PyObject *name, PyObject *value)
{
    return PyDict_SetItem((PyObject *)d, name, value) < 0 ? -1 : 0;
}

/* The locals as a new dict; NULL (an exception set when out of memory). */
static inline PyObject *fpl_fast_locals_dict(PyCodeObject *co,
                                             PyObject *const *fast,
                                             int started)
{
    PyObject *d = PyDict_New();

    if (d && fpl_fast_locals(co, fast, started, fpl_dict_set, d) != 0)
        Py_CLEAR(d);
    return d;
}

#endif /* FP_LAYOUT_FASTLOCALS_H */
