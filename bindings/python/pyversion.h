/*
 * pyversion.h - what differs between the CPython versions the adapter
 * reads, behind one small interface.
 *
 * Sizing without running or changing the measured program means reading a
 * few things the public API only offers by creating objects: an instance's
 * attributes before its __dict__ exists, a generator's locals, the storage
 * of dicts.  Where they live moves with every CPython release (3.11 inline
 * values behind the object, 3.12 a tagged pointer and per-interpreter
 * dicts of static types, 3.13 values inside the object and frame-locals
 * proxies).  Each supported minor version has one header under layouts/
 * that mirrors the layouts it needs (from that version's Include/internal
 * headers, checked against them by tests/python/layout_check.c) and
 * defines every function declared below (and declares what the version
 * exports but no longer declares in its public headers: _PyDict_SizeOf,
 * _PySet_NextEntry, which the adapter calls on every version).  The rest
 * of the adapter is the same for all versions and uses nothing else that
 * differs.
 *
 * Adding a version: one layouts/cpython3XY.h, one line below, one golden
 * table per conformance corpus; nothing else.
 */
#ifndef FP_PYVERSION_H
#define FP_PYVERSION_H

#ifndef PY_SSIZE_T_CLEAN
#define PY_SSIZE_T_CLEAN
#endif
#include <Python.h>
#include <structmember.h>

#include <stddef.h>
#include <stdint.h>

/* The interval of supported versions, as PY_VERSION_HEX bounds: the build
 * (mk/python.mk), the package (footprint/__init__.py) and this check say
 * the same thing. */
#define FPV_FIRST_HEX 0x030A0000 /* 3.10 */
#define FPV_PAST_HEX 0x030E0000  /* 3.14: not yet */
#if PY_VERSION_HEX < FPV_FIRST_HEX || PY_VERSION_HEX >= FPV_PAST_HEX
#error "footprint supports CPython 3.10 to 3.13; see docs/python.md"
#endif
#ifdef Py_GIL_DISABLED
#error "footprint does not support free-threaded CPython builds"
#endif

/* One instance's attribute values held outside any dict (3.11+). */
typedef struct fpv_values fpv_values;

/* What the layout header learns once, at import (defined in pyversion.c). */
struct fpv_facts;
extern struct fpv_facts fpv_learned;

/* Called with each referent a code object holds; nonzero stops. */
typedef int (*fpv_emit_fn)(void *arg, PyObject *ref, const char *name);

/* Once at import, before anything else here; -1 with an exception set. */
static inline int fpv_init(void);

/* ---- types ---- */
/* tp's own namespace dict (borrowed; NULL if it has none).  3.12+ keep
 * static builtin types' dicts per interpreter, not in tp_dict. */
static inline PyObject *fpv_type_dict(PyTypeObject *tp);
/* Bytes sys.getsizeof adds to __sizeof__ for an instance of tp (GC header,
 * pre-header words); obj, when not NULL, is the instance (3.10 asks the
 * type's tp_is_gc about it). */
static inline size_t fpv_preheader(PyTypeObject *tp, PyObject *obj);

/* ---- flat sizes of builtins, as their C __sizeof__ computes them ---- */
/* int.__sizeof__. */
static inline Py_ssize_t fpv_int_sizeof(PyObject *v);
/* str.__sizeof__ of a compact ASCII str, or -1 for any other layout. */
static inline Py_ssize_t fpv_ascii_sizeof(PyObject *s);

/* ---- dict storage ---- */
/* Nonzero when every key of d is an exact str by construction, so that a
 * lookup by str key compares strings only and runs no Python __eq__. */
static inline int fpv_dict_str_keys(PyObject *d);
/* Number of entries of the keys a split dict shares (its ma_keys). */
static inline Py_ssize_t fpv_keys_count(const void *keys);

/* ---- instance attributes ---- */
/* For a type with a managed dict (3.11+): 1, and *dict the instance's dict
 * if one exists, else *values its attribute values if they are valid
 * (either may be NULL).  0 for any other type: its dict, if any, is found
 * through tp_dictoffset. */
static inline int fpv_managed_storage(PyObject *obj, PyObject **dict,
                                      const fpv_values **values);
/* The shared keys that name values' slots. */
static inline const void *fpv_values_keys(PyObject *obj);
/* Next (key, value) of values in insertion order, as iterating the dict
 * would give them: 1 with both borrowed, 0 at the end.  *pos starts 0. */
static inline int fpv_values_next(PyObject *obj, const fpv_values *values,
                                  size_t *pos, PyObject **key,
                                  PyObject **value);
/* Bytes of values' storage, as the dict made from them would count it. */
static inline size_t fpv_values_size(PyObject *obj,
                                     const fpv_values *values);

/* ---- generators ---- */
/* 1 while gen has a frame (not finished), with *code its code object and
 * *locals the frame's locals mapping if one exists (both borrowed; *locals
 * may be NULL); 0 otherwise. */
static inline int fpv_gen_frame(PyObject *gen, PyObject **code,
                                PyObject **locals);
/* The bound locals of gen's frame as a new dict (what frame.f_locals holds
 * on 3.10-3.12), or NULL with no exception when there is no frame. */
static inline PyObject *fpv_gen_locals(PyObject *gen);
/* What pympler's gi_frame.f_locals would be when no locals mapping exists
 * yet: its type and flat size (what getsizeof would say).  -1 on failure,
 * no exception set. */
static inline int fpv_gen_locals_node(PyObject *gen, PyTypeObject **type,
                                      size_t *flat);
/* That object is a dict (keys are referents) rather than a view whose
 * referents are the values only. */
static inline int fpv_gen_locals_is_dict(void);

/* ---- code objects ---- */
/* emit() each object a code object holds (not the ones attribute access
 * would create), named as the attribute. */
static inline void fpv_code_refs(PyCodeObject *co, fpv_emit_fn emit,
                                 void *arg);
/* pympler's _len_code: stacksize + nlocals + free and cell vars - 1. */
static inline Py_ssize_t fpv_code_leng(PyCodeObject *co);

#if PY_VERSION_HEX < 0x030B0000
#include "layouts/cpython310.h"
#elif PY_VERSION_HEX < 0x030C0000
#include "layouts/cpython311.h"
#elif PY_VERSION_HEX < 0x030D0000
#include "layouts/cpython312.h"
#else
#include "layouts/cpython313.h"
#endif

#endif /* FP_PYVERSION_H */
