/*
 * pyinternal.h - what the CPython adapter's files share.
 *
 * The adapter answers the core's questions with pympler.asizeof's rules
 * (its _typedefs: which objects are sized, their flat size, which
 * referents count) but reads everything at the C level, so sizing never
 * runs Python code of the measured program and never changes an object.
 */
#ifndef FP_PYINTERNAL_H
#define FP_PYINTERNAL_H

#include "fp_python.h"
#include "pyversion.h"

#include <stddef.h>

/* Handles are PyObject pointers (at least 8-aligned), so the low bits are
 * free to name the two things pympler sizes that are not objects yet. */
#define FPY_TAG_MASK ((fp_handle)3)
#define FPY_TAG_VALUES ((fp_handle)1) /* an instance's inline values:
                                         its __dict__ before one exists */
#define FPY_TAG_LOCALS ((fp_handle)2) /* a generator's locals: pympler's
                                         gi_frame.f_locals */

/* What asizeof follows for an object: pympler's _..._refs functions. */
enum fpy_cat {
    FPY_ATOM,      /* nothing */
    FPY_ARRAY,     /* nothing; array.array's own flat size rule */
    FPY_SEQ,       /* items of list, tuple, set, frozenset */
    FPY_DICT,      /* keys and values of a dict or dict subclass */
    FPY_PROXY,     /* keys and values of the dict a mappingproxy shows */
    FPY_MODULE,    /* keys and values of the module dict; only as a root */
    FPY_INST,      /* __dict__, __class__, __slots__ values */
    FPY_NTUPLE,    /* __class__, __slots__ values, items */
    FPY_EXC,       /* args, filename, lineno, msg, text */
    FPY_CELL,      /* cell_contents */
    FPY_WEAK,      /* the referent */
    FPY_ITER,      /* what tp_traverse reports (gc.get_referents) */
    FPY_DOC,       /* __doc__ (enumerate, reversed) */
    FPY_PROP,      /* __doc__, fdel, fget, fset */
    FPY_STRUCTSEQ, /* the prefixed fields of os.stat_result & co. */
    FPY_TB,        /* tb_frame, tb_next */
    FPY_GEN,       /* f_locals, f_code */
    FPY_FRAME,     /* what tp_traverse reports */
    FPY_CLASS,     /* __class__, __doc__, __mro__, __name__, __slots__,
                      __weakref__, __dict__ */
    FPY_FUNC,      /* __doc__, __name__, __code__, __closure__ */
    FPY_METHOD,    /* __doc__, __name__, __code__ of the function */
    FPY_WRAPPER,   /* classmethod, staticmethod: __doc__, __name__ */
    FPY_CODE,      /* the objects a code object holds */
    FPY_NCATS
};

/* pympler's _Typedef.kind; only "ignored" changes what is sized. */
enum fpy_kind {
    FPY_STATIC,
    FPY_DYNAMIC,
    FPY_DERIVED,
    FPY_IGNORED,
    FPY_INFERRED
};

/* How a flat size is had: the common builtin __sizeof__s are computed in
 * place (same formula, no call, no int object), others are called. */
enum fpy_sizing {
    FPY_SZ_CALL,   /* call sizeof_fn */
    FPY_SZ_OBJECT, /* object.__sizeof__: basicsize + itemsize * |size| */
    FPY_SZ_LIST,   /* list.__sizeof__: basicsize + allocated pointers */
    FPY_SZ_DICT,   /* dict.__sizeof__: _PyDict_SizeOf */
    FPY_SZ_INT,    /* int.__sizeof__ */
    FPY_SZ_STR     /* str.__sizeof__ (compact ASCII) */
};

/* The __slots__ pympler reads for a type, resolved once per call: the
 * member slot to read, or NULL to look the name up on each instance. */
typedef struct fpy_slot {
    PyObject *name;
    char *text;                  /* name as UTF-8, for detail trees */
    const PyMemberDef *member;
} fpy_slot;

typedef struct fpy_slots {
    size_t n;
    fpy_slot slot[];
} fpy_slots;

/* What inspect answers for an object of a type, under the options of
 * one call (decided once per type, as the cache lives for one call). */
enum fpy_verdict {
    FPY_SIZE,          /* its flat size, with flags */
    FPY_SKIP_EXCLUDED, /* skipped: exclude_types names it */
    FPY_SKIP           /* skipped: code, or an ignored kind */
};

/* How one type (or one class object) is sized. */
typedef struct fpy_type {
    PyTypeObject *type;    /* key; NULL marks a free cache slot */
    unsigned char cat;     /* enum fpy_cat */
    unsigned char kind;    /* enum fpy_kind */
    unsigned char data;    /* sized without code=True (pympler's "both") */
    unsigned char excluded;
    unsigned char sizing;  /* enum fpy_sizing */
    unsigned char opaque;  /* a C type pympler has no rules for: follow
                              what it reports to the collector */
    unsigned char verdict; /* enum fpy_verdict, for the call's options */
    unsigned char flags;   /* FP_INFO_* the core gets for it when sized */
    const char *prefix;    /* FPY_STRUCTSEQ: the field prefix */
    PyCFunction sizeof_fn; /* the C-level __sizeof__; NULL: object's rule */
    size_t preheader;      /* GC header and managed-dict words */
    fpy_slots *slots;      /* FPY_INST, FPY_NTUPLE: owned by the cache */
} fpy_type;

/* Per-call cache of fpy_type by type pointer.  Types cannot die during a
 * call (no code runs), but may between calls, so it is cleared per call. */
typedef struct fpy_cache {
    fpy_type *slots;
    size_t cap, count;
} fpy_cache;

/* The fp_host context. */
typedef struct fpy_host {
    fp_py_opts opts;
    fpy_cache cache;
    fp_set *excluded_types;   /* type pointers, kept alive by keep */
    PyObject *keep;           /* list holding excluded objects and types */
    size_t excluded_hits;     /* objects skipped for their type */
    /* This call builds no detail tree and sees no __class__ (code off, no
     * duplicate counting, no excluded types): an instance's inline values
     * may count in its own flat size, and __class__ need not be visited.
     * Totals are the same; only per-node figures and counts would differ.
     * fold additionally needs no depth limit (the values' referents move
     * one level up). */
    int lean, fold;
    size_t last;              /* cache slot of the last type looked up */
    /* fold: the split keys (instances of one class share them) whose key
     * strings this call has pushed; pushed again they could only be
     * found visited (the sizer forgets nothing until the call ends), so
     * they are not. */
    const void *keys_done;
} fpy_host;

/* descrobject.c: a mappingproxy holds the mapping right after its head
 * (the same in every supported version). */
typedef struct fpy_mappingproxy {
    PyObject_HEAD
    PyObject *mapping;
} fpy_mappingproxy;

/* Growing text buffer for names (UTF-8). */
typedef struct fpy_buf {
    char *data;
    size_t len, cap;
    int failed; /* an append ran out of memory */
} fpy_buf;

/* ---- pysizer.c: the fp_host over PyObject handles ---- */
/* The core's callbacks, answering with ctx's rules. */
void fpy_host_callbacks(fp_host *out, fpy_host *ctx);
/* Start of a sizing call: a fresh type cache, the shortcuts the call
 * allows (detail: a detail tree may be built), and no collection until
 * fpy_host_end (a collection could run __del__ methods in the middle of
 * the walk and free objects the core holds handles to).  Returns what
 * fpy_host_end needs. */
int fpy_host_begin(fpy_host *h, int detail);
void fpy_host_end(int gc_was_enabled);

/* ---- pylookup.c: attribute reads that never run Python code ---- */

/* gc.get_objects() through the collector's C function as it was when
 * footprint was imported (never a replacement), checked to be a list. */
PyObject *fpy_gc_objects(void);
/* Interned names used by the lookups, created by fpy_lookup_init. */
extern PyObject *fpy_str_module, *fpy_str_name, *fpy_str_doc,
    *fpy_str_slots, *fpy_str_weakref, *fpy_str_sizeof, *fpy_str_fields,
    *fpy_str_code, *fpy_str_itemsize, *fpy_str_file, *fpy_str_space;
int fpy_lookup_init(void);
/* d[name] for a dict, comparing only str keys; borrowed or NULL. */
PyObject *fpy_dict_get(PyObject *d, PyObject *name);
/* name in the dicts of tp's MRO; borrowed or NULL. */
PyObject *fpy_mro_get(PyTypeObject *tp, PyObject *name);
/* The object's instance dict if it exists (borrowed), else NULL; *values
 * gets the attribute values when they live outside a dict instead. */
PyObject *fpy_instance_dict(PyObject *obj, const fpv_values **values);
/* An attribute of obj as plain attribute access would find it, but only
 * through C-level paths: member slots, the instance dict or inline
 * values, plain class attributes.  Properties, getsets of other kinds,
 * methods and __getattr__ are never called: NULL (borrowed otherwise). */
PyObject *fpy_getattr(PyObject *obj, PyObject *name);
/* The value of a member (T_OBJECT/T_OBJECT_EX) of obj; NULL if unset. */
PyObject *fpy_member_value(PyObject *obj, const PyMemberDef *m);
/* The member named name among tp's own members (tp_members), or NULL. */
const PyMemberDef *fpy_find_member(PyTypeObject *tp, const char *name);
/* Module name of a class, as type.__module__ reports it, without running
 * code; borrowed str or NULL (static types: from tp_name, into buf). */
const char *fpy_class_module(PyTypeObject *tp, char *buf, size_t cap);

/* ---- pytypes.c: pympler's typedef rules ---- */
int fpy_types_init(void);
/* How obj is sized; cached per type in h (h may be NULL: no cache). */
int fpy_classify(fpy_host *h, PyObject *obj, fpy_type *out);
/* fpy_classify's answer when obj's type is cached already, read in
 * place: valid until a lookup misses (the cache may grow); NULL when it
 * is not cached.  Classes never match: the cache holds only types whose
 * instances are not classes.  Runs of one type (a list of instances)
 * take the inline test and skip the probe. */
const fpy_type *fpy_cache_probe(fpy_host *h, PyTypeObject *tp);
static inline const fpy_type *fpy_classify_cached(fpy_host *h,
                                                  PyObject *obj)
{
    if (h->last < h->cache.cap &&
        h->cache.slots[h->last].type == Py_TYPE(obj))
        return &h->cache.slots[h->last];
    return fpy_cache_probe(h, Py_TYPE(obj));
}
void fpy_cache_clear(fpy_cache *c);
void fpy_cache_free(fpy_cache *c);
const char *fpy_kind_name(int kind);
/* The array.array type, or NULL if the module is missing. */
extern PyTypeObject *fpy_array_type;

/* Next item of a set: 1 with *key borrowed, 0 at the end. */
static inline int fpy_set_next(PyObject *set, Py_ssize_t *pos, PyObject **key)
{
    Py_hash_t hash;
    return _PySet_NextEntry(set, pos, key, &hash);
}

/* ---- pyflat.c: flat sizes ---- */
/* What t's C __sizeof__ answers for obj when its formula is computed in
 * place (every sizing but FPY_SZ_CALL, and str but other layouts), else
 * FPY_SIZEOF_CALL.  Inline: it runs once per object sized. */
#define FPY_SIZEOF_CALL (-2)
static inline Py_ssize_t fpy_sizeof_in_place(PyObject *obj, const fpy_type *t)
{
    PyTypeObject *tp = Py_TYPE(obj);

    /* each case is the formula of the __sizeof__ it stands for */
    switch (t->sizing) {
    case FPY_SZ_OBJECT:
        return tp->tp_basicsize +
               (tp->tp_itemsize > 0 ? Py_SIZE(obj) * tp->tp_itemsize : 0);
    case FPY_SZ_LIST:
        return tp->tp_basicsize +
               ((PyListObject *)obj)->allocated * (Py_ssize_t)sizeof(void *);
    case FPY_SZ_DICT:
        return _PyDict_SizeOf((PyDictObject *)obj);
    case FPY_SZ_INT:
        return fpv_int_sizeof(obj);
    case FPY_SZ_STR: {
        Py_ssize_t n = fpv_ascii_sizeof(obj);
        return n < 0 ? FPY_SIZEOF_CALL : n;
    }
    default:
        return FPY_SIZEOF_CALL;
    }
}
/* sys.getsizeof(obj) computed with the C-level __sizeof__ (never a Python
 * override); -1 when that fails (no exception left set). */
int fpy_flat(PyObject *obj, const fpy_type *t, size_t *out);
/* As fpy_flat; save = 0 leaves pympler's per-type array definitions as
 * they are (the helper functions never make one, sizing does). */
int fpy_flat_ex(PyObject *obj, const fpy_type *t, size_t *out, int save);
/* Item bytes of an array.array; its definition's base size. */
size_t fpy_array_bytes(PyObject *obj);
size_t fpy_array_base(PyObject *obj, size_t getsizeof, size_t bytes,
                      int save);
/* The C-level __sizeof__ a type's instances use, found in its MRO. */
PyCFunction fpy_find_sizeof(PyTypeObject *tp);
/* How to compute what sizeof_fn would answer. */
int fpy_sizing_of(PyCFunction fn);
int fpy_flat_init(void);

/* ---- pyslots.c: __slots__ plans ---- */
/* The slots pympler would read for instances of tp (NULL: none, or no
 * memory: then slots are looked up per instance). */
fpy_slots *fpy_slots_plan(PyTypeObject *tp, int *failed);
void fpy_slots_free(fpy_slots *plan);

/* ---- pyrefs.c: referents ---- */
/* visit() each referent of h by t's category; names when want_names. */
fp_status fpy_referents(fpy_host *h, fp_handle obj, int want_names,
                        fp_visit_fn visit, void *arg);

/* ---- pyname.c: names and reprs without running code ---- */
void fpy_buf_init(fpy_buf *b);
void fpy_buf_free(fpy_buf *b);
void fpy_buf_put(fpy_buf *b, const char *s, size_t n);
void fpy_buf_puts(fpy_buf *b, const char *s);
/* str(o) / repr(o) appended, for objects whose str/repr is known C code;
 * others get "<type object at 0x...>". */
void fpy_buf_str(fpy_buf *b, PyObject *o);
void fpy_buf_repr(fpy_buf *b, PyObject *o);
/* Keep at most clip code points of the text after start, pympler-style
 * (head + "...." + tail); also replaces newlines by "\n". */
void fpy_buf_clip(fpy_buf *b, size_t start, Py_ssize_t clip);
/* pympler's Asizer._nameof: __name__ if it is a non-empty str, else the
 * clipped repr; a new str. */
PyObject *fpy_nameof(PyObject *obj, Py_ssize_t clip);

/* ---- pytrack.c: trackers of Python objects ---- */
/* What a tracker made for Python holds besides the core tracker. */
typedef struct fpy_tracker {
    fp_tracker *t;
    unsigned long long id;   /* never reused: wrappers name trackers so */
    fpy_host host;           /* the context its sizer answers with */
    PyObject *keep;          /* {handle: object} kept alive (keep=True) */
    PyObject *weak;          /* {handle: weakref} followed by reference */
    PyObject *inits;         /* {class: its __init__ wrapper (pyinit.c)} */
    int detail;              /* some object has a resolution level */
    struct fpy_tracker *next;
} fpy_tracker;

extern fpy_tracker *fpy_trackers;
fpy_tracker *fpy_tracker_find(const fp_tracker *t);
fpy_tracker *fpy_tracker_by_id(unsigned long long id);
/* Some tracker follows a live object (the hooks are needed). */
int fpy_trackers_need_hooks(void);
/* Follow obj in e from now: 1 added, 0 followed already, -1 with an
 * exception (TypeError: its death could not be seen). */
int fpy_track(fpy_tracker *e, PyObject *obj, size_t cls, int level, int keep,
              const char *trace);
/* The death hook saw the object at h die: recorded in every tracker. */
void fpy_record_death(fp_handle h);
/* obj's __class__ was assigned (called by the __class__ setter). */
void fpy_record_morph(PyObject *obj);
/* The instantiation trace at the current Python frame (malloc'ed), or
 * NULL: none asked for or none to be had. */
char *fpy_trace_here(void);

/* ---- pyhook.c: the death hook on types ---- */
int fpy_hook_init(void);
/* Make obj's death visible through its type: 1 done, 0 impossible for
 * this object (not a class instance, or finalized once already), -1 with
 * an exception. */
int fpy_hook_object(PyObject *obj);
/* "<module.Class object>" of a hooked type (owned by the table), NULL if
 * tp is not hooked; fpy_type_repr makes one for any type (malloc'ed). */
const char *fpy_hook_repr(PyTypeObject *tp);
char *fpy_type_repr(PyTypeObject *tp);
/* tp's instances report their deaths. */
int fpy_hook_has(PyTypeObject *tp);
/* Re-hook types whose tp_finalize was reset; returns how many were (or
 * were found so, and re-hooked, by fpy_hook_object since the last call). */
int fpy_hook_verify(void);
/* Take every hook away once no tracker follows a live object. */
void fpy_hook_release_if_idle(void);
size_t fpy_hook_count(void);
size_t fpy_hook_memory(void);
int fpy_class_descr_installed(void);

/* ---- pyinit.c: the __init__ of a tracked class ---- */
extern PyTypeObject fpy_init_type;
int fpy_init_ready(void);
int fpy_is_init(PyObject *o);
/* Install a wrapper as cls.__init__ (a new reference to it, or NULL). */
PyObject *fpy_init_install(fpy_tracker *e, PyTypeObject *cls, size_t index,
                           int level, int keep, int trace);
/* Take it out again, leaving the class as it was. */
int fpy_init_remove(PyObject *w);
void fpy_init_options(PyObject *w, size_t *index, int *level, int *keep,
                      int *trace);
void fpy_init_set(PyObject *w, size_t index, int level, int keep, int trace);

#endif /* FP_PYINTERNAL_H */
