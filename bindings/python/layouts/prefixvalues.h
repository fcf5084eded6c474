/*
 * layouts/prefixvalues.h - an instance's values array as CPython 3.11 and
 * 3.12 lay it out (Include/internal/pycore_dict.h): one pointer per entry
 * of the class's shared keys, preceded by bytes holding [-1] the prefix
 * size, [-2] the number of entries in the order list and [-3 - i] the
 * index of the i-th inserted value.  Where the array hangs differs; that
 * is the version header's.  Include only from layouts/, after dictkeys.h.
 */
#ifndef FP_LAYOUT_PREFIXVALUES_H
#define FP_LAYOUT_PREFIXVALUES_H

struct fpv_values {
    PyObject *values[1];
};

static inline int fpv_values_next(PyObject *obj, const fpv_values *values,
                                  size_t *pos, PyObject **key,
                                  PyObject **value)
{
    const fpl_keys *keys = fpl_cached_keys(Py_TYPE(obj));
    const uint8_t *p = (const uint8_t *)values;
    const fpl_ukey_entry *e;
    size_t used;

    if (!keys)
        return 0;
    used = p[-2];
    if (used + 2 > p[-1])
        return 0; /* not the layout we know */
    e = fpl_unicode_entries(keys);
    while (*pos < used) {
        size_t ix = p[-3 - (Py_ssize_t)(*pos)++];
        if (ix < (size_t)keys->dk_nentries && e[ix].me_key &&
            values->values[ix]) {
            *key = e[ix].me_key;
            *value = values->values[ix];
            return 1;
        }
    }
    return 0;
}

/* What the dict made from the values counts for them (the usable size of
 * the shared keys), plus the order prefix. */
static inline size_t fpv_values_size(PyObject *obj,
                                     const fpv_values *values)
{
    const fpl_keys *keys = fpl_cached_keys(Py_TYPE(obj));

    if (!keys)
        return 0;
    return ((const uint8_t *)values)[-1] +
           (size_t)(keys->dk_nentries + keys->dk_usable) * sizeof(PyObject *);
}

#endif /* FP_LAYOUT_PREFIXVALUES_H */
