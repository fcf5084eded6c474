/*
 * layouts/iframe.h - a generator's embedded interpreter frame, CPython 3.11
 * to 3.13 (gi_iframe, gi_frame_state).  The version header defines, before
 * including this, FPL_IFRAME (its mirror of _PyInterpreterFrame, with
 * f_locals, stacktop and localsplus), FPL_IFRAME_CODE(f) (the frame's
 * code object as a PyObject *) and FPL_FRAME_COMPLETED.  Include only from
 * layouts/, after fastlocals.h.
 */
#ifndef FP_LAYOUT_IFRAME_H
#define FP_LAYOUT_IFRAME_H

/* The frame of a generator that has not finished, else NULL. */
static inline FPL_IFRAME *fpl_frame(PyObject *gen)
{
    PyGenObject *g = (PyGenObject *)gen;
    FPL_IFRAME *f;

    if (!PyGen_Check(gen) || g->gi_frame_state >= FPL_FRAME_COMPLETED)
        return NULL;
    f = (FPL_IFRAME *)g->gi_iframe;
    return FPL_IFRAME_CODE(f) && PyCode_Check(FPL_IFRAME_CODE(f)) ? f : NULL;
}

static inline int fpv_gen_frame(PyObject *gen, PyObject **code,
                                PyObject **locals)
{
    FPL_IFRAME *f = fpl_frame(gen);

    if (!f)
        return 0;
    *code = FPL_IFRAME_CODE(f);
    *locals = f->f_locals;
    return 1;
}

static inline PyObject *fpv_gen_locals(PyObject *gen)
{
    FPL_IFRAME *f = fpl_frame(gen);

    return f ? fpl_fast_locals_dict((PyCodeObject *)FPL_IFRAME_CODE(f),
                                    f->localsplus, f->stacktop)
             : NULL;
}

#endif /* FP_LAYOUT_IFRAME_H */
