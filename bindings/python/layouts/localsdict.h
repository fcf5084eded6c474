/*
 * layouts/localsdict.h - frame.f_locals is a dict (CPython 3.10 to 3.12):
 * what pympler's read of a generator's f_locals would make is a dict of
 * its bound locals, with keys and values.  Include only from layouts/,
 * after fpv_gen_locals and fpv_preheader are defined.
 */
#ifndef FP_LAYOUT_LOCALSDICT_H
#define FP_LAYOUT_LOCALSDICT_H

static inline int fpv_gen_locals_node(PyObject *gen, PyTypeObject **type,
                                      size_t *flat)
{
    PyObject *d = fpv_gen_locals(gen);

    if (!d) {
        PyErr_Clear();
        return -1;
    }
    *type = &PyDict_Type;
    *flat = (size_t)_PyDict_SizeOf((PyDictObject *)d) +
            fpv_preheader(&PyDict_Type, d);
    Py_DECREF(d);
    return 0;
}

static inline int fpv_gen_locals_is_dict(void)
{
    return 1;
}

#endif /* FP_LAYOUT_LOCALSDICT_H */
