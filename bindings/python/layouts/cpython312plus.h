/*
 * layouts/cpython312plus.h - what CPython 3.12 changed and 3.13 kept, for
 * their layout headers: static builtin types keep their dicts per
 * interpreter (tp_dict is NULL; PyType_GetDict answers), an int's digit
 * count is in lv_tag, str has no wstr, code objects cache co_code and the
 * name tuples in _co_cached.  Include only from layouts/.
 */
#ifndef FP_LAYOUT_CPYTHON312PLUS_H
#define FP_LAYOUT_CPYTHON312PLUS_H

struct fpv_facts {
    char none;
};

static inline int fpv_init(void)
{
    return 0;
}

static inline PyObject *fpv_type_dict(PyTypeObject *tp)
{
    PyObject *d;

    if (tp->tp_dict)
        return tp->tp_dict;
    /* a static builtin type: the interpreter owns the dict for its life */
    d = PyType_GetDict(tp);
    Py_XDECREF(d);
    return d;
}

/* int___sizeof___impl: at least one digit; the count is in lv_tag */
static inline Py_ssize_t fpv_int_sizeof(PyObject *v)
{
    Py_ssize_t n = (Py_ssize_t)(((PyLongObject *)v)->long_value.lv_tag >>
                                _PyLong_NON_SIZE_BITS);
    return (Py_ssize_t)offsetof(PyLongObject, long_value.ob_digit) +
           (n > 1 ? n : 1) * (Py_ssize_t)sizeof(digit);
}

static inline Py_ssize_t fpv_ascii_sizeof(PyObject *s)
{
    if (!PyUnicode_IS_COMPACT_ASCII(s))
        return -1;
    return (Py_ssize_t)sizeof(PyASCIIObject) + PyUnicode_GET_LENGTH(s) + 1;
}

static inline void fpv_code_refs(PyCodeObject *co, fpv_emit_fn emit,
                                 void *arg)
{
    const _PyCoCached *c = co->_co_cached;

    /* in dir() order, as pympler reads them; the _co_cached ones only
     * once an attribute read has made them */
    (void)(emit(arg, c ? c->_co_cellvars : NULL, "co_cellvars") ||
           emit(arg, c ? c->_co_code : NULL, "co_code") ||
           emit(arg, co->co_consts, "co_consts") ||
           emit(arg, co->co_exceptiontable, "co_exceptiontable") ||
           emit(arg, co->co_filename, "co_filename") ||
           emit(arg, c ? c->_co_freevars : NULL, "co_freevars") ||
           emit(arg, co->co_linetable, "co_linetable") ||
           emit(arg, co->co_localspluskinds, "co_localspluskinds") ||
           emit(arg, co->co_localsplusnames, "co_localsplusnames") ||
           emit(arg, co->co_name, "co_name") ||
           emit(arg, co->co_names, "co_names") ||
           emit(arg, co->co_qualname, "co_qualname") ||
           emit(arg, c ? c->_co_varnames : NULL, "co_varnames"));
}

static inline Py_ssize_t fpv_code_leng(PyCodeObject *co)
{
    return co->co_nfreevars + co->co_stacksize + co->co_ncellvars +
           co->co_nlocals - 1;
}

#endif /* FP_LAYOUT_CPYTHON312PLUS_H */
