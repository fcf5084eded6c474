/*
 * layouts/dictkeys.h - the dict keys object of CPython 3.11 to 3.13
 * (struct _dictkeysobject, Include/internal/pycore_dict.h), shared by the
 * layout headers of those versions.  Include only from layouts/.
 */
#ifndef FP_LAYOUT_DICTKEYS_H
#define FP_LAYOUT_DICTKEYS_H

/* The indices, then the entries, follow the header. */
typedef struct fpl_keys {
    Py_ssize_t dk_refcnt;
    uint8_t dk_log2_size;
    uint8_t dk_log2_index_bytes;
    uint8_t dk_kind;
    uint32_t dk_version;
    Py_ssize_t dk_usable;
    Py_ssize_t dk_nentries;
    char dk_indices[];
} fpl_keys;

/* DictKeysKind */
enum { FPL_KEYS_GENERAL = 0, FPL_KEYS_UNICODE = 1, FPL_KEYS_SPLIT = 2 };
/* SHARED_KEYS_MAX_SIZE: split keys hold at most this many entries */
#define FPL_SHARED_KEYS_MAX 30

/* Entries of str-only keys (split ones too) store no hash. */
typedef struct fpl_ukey_entry {
    PyObject *me_key;
    PyObject *me_value;
} fpl_ukey_entry;

static inline const fpl_ukey_entry *fpl_unicode_entries(const fpl_keys *k)
{
    return (const fpl_ukey_entry *)(k->dk_indices +
                                    ((size_t)1 << k->dk_log2_index_bytes));
}

/* A heap type's shared keys (ht_cached_keys), if they look like split
 * keys: each reader checks what it reads before trusting it. */
static inline const fpl_keys *fpl_cached_keys(PyTypeObject *tp)
{
    const fpl_keys *k;

    if (!PyType_HasFeature(tp, Py_TPFLAGS_HEAPTYPE))
        return NULL;
    k = (const fpl_keys *)((PyHeapTypeObject *)tp)->ht_cached_keys;
    if (!k || k->dk_kind != FPL_KEYS_SPLIT || k->dk_nentries < 0 ||
        k->dk_usable < 0 ||
        k->dk_nentries + k->dk_usable > FPL_SHARED_KEYS_MAX + 1)
        return NULL;
    return k;
}

static inline int fpv_dict_str_keys(PyObject *d)
{
    const fpl_keys *k = (const fpl_keys *)((PyDictObject *)d)->ma_keys;
    return k && k->dk_kind != FPL_KEYS_GENERAL;
}

static inline Py_ssize_t fpv_keys_count(const void *keys)
{
    return ((const fpl_keys *)keys)->dk_nentries;
}

static inline const void *fpv_values_keys(PyObject *obj)
{
    return fpl_cached_keys(Py_TYPE(obj));
}

#endif /* FP_LAYOUT_DICTKEYS_H */
