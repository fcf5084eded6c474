/*
 * cpython311.h - the few CPython 3.11 internals the adapter must read.
 *
 * CPython 3.11 keeps a plain instance's attributes in a values array hung
 * off a pre-header instead of a __dict__, and creates the dict only when
 * someone asks for it.  The public API offers no way to read those values
 * without creating the dict (which is what pympler does, and it leaves the
 * dict behind).  Likewise a generator's locals sit in an interpreter frame
 * the public API only exposes by materializing a frame object and a locals
 * dict.  These mirrors (of Include/internal/pycore_dict.h, pycore_object.h
 * and pycore_frame.h, identical in every 3.11.x) let the adapter read both
 * without changing anything.  They are the only layout assumptions outside
 * the public headers; each reader checks what it reads before trusting it.
 */
#ifndef FP_CPYTHON311_H
#define FP_CPYTHON311_H

#ifndef PY_SSIZE_T_CLEAN
#define PY_SSIZE_T_CLEAN
#endif
#include <Python.h>
#include <stdint.h>

#if PY_VERSION_HEX < 0x030B0000 || PY_VERSION_HEX >= 0x030C0000
#error "footprint's CPython adapter reads CPython 3.11's object layout"
#endif

/* pycore_dict.h: struct _dictkeysobject (entries follow the indices). */
typedef struct fp311_keys {
    Py_ssize_t dk_refcnt;
    uint8_t dk_log2_size;
    uint8_t dk_log2_index_bytes;
    uint8_t dk_kind;
    uint32_t dk_version;
    Py_ssize_t dk_usable;
    Py_ssize_t dk_nentries;
    char dk_indices[];
} fp311_keys;

enum { FP311_KEYS_SPLIT = 2 };

/* Split keys hold unicode entries: no stored hash. */
typedef struct fp311_ukey_entry {
    PyObject *me_key;
    PyObject *me_value;
} fp311_ukey_entry;

/* The values array: bytes before it hold [-1] prefix size, [-2] number of
 * entries in the order list, [-3 - i] index of the i-th inserted value. */
typedef struct fp311_values {
    PyObject *values[1];
} fp311_values;

/* At most this many shared keys (SHARED_KEYS_MAX_SIZE). */
#define FP311_SHARED_KEYS_MAX 30

static inline fp311_ukey_entry *fp311_unicode_entries(fp311_keys *k)
{
    return (fp311_ukey_entry *)(k->dk_indices +
                                ((size_t)1 << k->dk_log2_index_bytes));
}

/* pycore_object.h: the pre-header of a Py_TPFLAGS_MANAGED_DICT object is
 * two words before the GC header: values at -4 words, dict at -3. */
static inline fp311_values **fp311_values_ptr(PyObject *obj)
{
    return ((fp311_values **)obj) - 4;
}

static inline PyObject **fp311_managed_dict_ptr(PyObject *obj)
{
    return ((PyObject **)obj) - 3;
}

/* What sys.getsizeof adds to __sizeof__ (_PyType_PreHeaderSize). */
static inline size_t fp311_preheader(PyTypeObject *tp)
{
    size_t n = 0;
    if (PyType_HasFeature(tp, Py_TPFLAGS_HAVE_GC))
        n += 2 * sizeof(void *); /* sizeof(PyGC_Head) */
    if (PyType_HasFeature(tp, Py_TPFLAGS_MANAGED_DICT))
        n += 2 * sizeof(PyObject *);
    return n;
}

/* pycore_frame.h: the interpreter frame embedded in a generator. */
typedef struct fp311_iframe {
    PyObject *f_func;
    PyObject *f_globals;
    PyObject *f_builtins;
    PyObject *f_locals;
    PyCodeObject *f_code;
    PyObject *frame_obj;
    struct fp311_iframe *previous;
    void *prev_instr;
    int stacktop;
    char is_entry; /* bool */
    char owner;
    PyObject *localsplus[1];
} fp311_iframe;

/* gi_frame_state values (pycore_frame.h): >= COMPLETED means no frame. */
enum { FP311_FRAME_COMPLETED = 1 };

/* pycore_code.h: kinds of co_localspluskinds. */
enum {
    FP311_FAST_LOCAL = 0x20,
    FP311_FAST_CELL = 0x40,
    FP311_FAST_FREE = 0x80
};

static inline fp311_iframe *fp311_gen_frame(PyGenObject *gen)
{
    return (fp311_iframe *)gen->gi_iframe;
}

/* descrobject.c: a mappingproxy holds the mapping right after its head. */
typedef struct fp311_mappingproxy {
    PyObject_HEAD
    PyObject *mapping;
} fp311_mappingproxy;

#endif /* FP_CPYTHON311_H */
