/*
 * pyname.c - names for detail trees, as pympler gives them (__name__, else
 * a repr clipped to `clip` characters), made without running code of the
 * measured objects: repr() is only called for builtin types whose repr is
 * C code that does not call back into other objects; containers of those
 * are written here; anything else is shown as "<type object at 0x...>",
 * which is what most classes' repr is anyway.
 *
 * Text is collected as UTF-8.  A str is never asked for its UTF-8 form
 * (PyUnicode_AsUTF8 would cache a copy inside the measured string and so
 * change its size); non-ASCII text is encoded into a temporary instead.
 */
#include "pyinternal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Reprs of long str/bytes keep this many characters of each end. */
#define FPY_REPR_EDGE 512
/* Nesting shown inside a container repr; cycles show as "..." too. */
#define FPY_REPR_DEPTH 8
/* A container repr stops adding items past this many bytes. */
#define FPY_REPR_MAX ((size_t)1 << 16)

void fpy_buf_init(fpy_buf *b)
{
    b->data = NULL;
    b->len = b->cap = 0;
    b->failed = 0;
}

void fpy_buf_free(fpy_buf *b)
{
    free(b->data);
    fpy_buf_init(b);
}

void fpy_buf_put(fpy_buf *b, const char *s, size_t n)
{
    if (b->failed)
        return;
    if (b->len + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 64;
        char *p;
        while (cap < b->len + n + 1)
            cap *= 2;
        p = realloc(b->data, cap);
        if (!p) {
            b->failed = 1;
            return;
        }
        b->data = p;
        b->cap = cap;
    }
    memcpy(b->data + b->len, s, n);
    b->len += n;
    b->data[b->len] = '\0';
}

void fpy_buf_puts(fpy_buf *b, const char *s)
{
    fpy_buf_put(b, s, strlen(s));
}

/* Append the text of a str. */
static void put_unicode(fpy_buf *b, PyObject *s)
{
    PyObject *bytes;

    if (!PyUnicode_IS_READY(s)) {
        fpy_buf_puts(b, "<str>");
        return;
    }
    if (PyUnicode_IS_ASCII(s)) {
        fpy_buf_put(b, (const char *)PyUnicode_DATA(s),
                    (size_t)PyUnicode_GET_LENGTH(s));
        return;
    }
    bytes = PyUnicode_AsEncodedString(s, "utf-8", "surrogatepass");
    if (!bytes) {
        PyErr_Clear();
        fpy_buf_puts(b, "<str>");
        return;
    }
    fpy_buf_put(b, PyBytes_AS_STRING(bytes), (size_t)PyBytes_GET_SIZE(bytes));
    Py_DECREF(bytes);
}

/* Append r (a new str, consumed); 0, or -1 if r was NULL. */
static int put_result(fpy_buf *b, PyObject *r)
{
    if (!r) {
        PyErr_Clear();
        return -1;
    }
    if (PyUnicode_Check(r))
        put_unicode(b, r);
    Py_DECREF(r);
    return 0;
}

static void put_addr(fpy_buf *b, const char *what, const void *p)
{
    char tmp[64];

    snprintf(tmp, sizeof tmp, " %s %p>", what, p);
    fpy_buf_puts(b, tmp);
}

/* "<module.qualname object at 0x...>", as object.__repr__ writes it. */
static void put_default_repr(fpy_buf *b, PyObject *o)
{
    PyTypeObject *tp = Py_TYPE(o);

    fpy_buf_puts(b, "<");
    if (PyType_HasFeature(tp, Py_TPFLAGS_HEAPTYPE)) {
        PyObject *m = fpy_dict_get(fpv_type_dict(tp), fpy_str_module);
        PyObject *q = ((PyHeapTypeObject *)tp)->ht_qualname;
        if (m && PyUnicode_Check(m) &&
            PyUnicode_CompareWithASCIIString(m, "builtins") != 0) {
            put_unicode(b, m);
            fpy_buf_puts(b, ".");
        }
        if (q && PyUnicode_Check(q))
            put_unicode(b, q);
        else
            fpy_buf_puts(b, tp->tp_name);
    } else {
        fpy_buf_puts(b, tp->tp_name);
    }
    put_addr(b, "object at", o);
}

/* repr of a long str/bytes: the two ends, joined where clipping cuts. */
static void put_long_repr(fpy_buf *b, PyObject *o, Py_ssize_t n)
{
    PyObject *head, *tail;

    if (PyUnicode_Check(o)) {
        head = PyUnicode_Substring(o, 0, FPY_REPR_EDGE);
        tail = PyUnicode_Substring(o, n - FPY_REPR_EDGE, n);
    } else {
        head = PyBytes_FromStringAndSize(PyBytes_AS_STRING(o), FPY_REPR_EDGE);
        tail = PyBytes_FromStringAndSize(PyBytes_AS_STRING(o) + n -
                                             FPY_REPR_EDGE,
                                         FPY_REPR_EDGE);
    }
    if (head && tail) {
        size_t mark = b->len;
        put_result(b, PyObject_Repr(head));
        if (b->len > mark && !b->failed)
            b->len--; /* the closing quote */
        fpy_buf_puts(b, "....");
        mark = b->len;
        put_result(b, PyObject_Repr(tail));
        /* drop the opening quote (and a b prefix) of the tail */
        if (!b->failed && b->len > mark) {
            size_t skip = b->data[mark] == 'b' ? 2 : 1;
            memmove(b->data + mark, b->data + mark + skip,
                    b->len - mark - skip + 1);
            b->len -= skip;
        }
    }
    Py_XDECREF(head);
    Py_XDECREF(tail);
    PyErr_Clear();
}

typedef struct repr_ctx {
    PyObject *open[FPY_REPR_DEPTH];
    int depth;
} repr_ctx;

static void put_repr(fpy_buf *b, PyObject *o, repr_ctx *c);

static void put_items(fpy_buf *b, PyObject *o, repr_ctx *c)
{
    Py_ssize_t i, n, pos = 0;
    PyObject *k, *v;
    int first = 1;

    if (PyDict_Check(o)) {
        while (PyDict_Next(o, &pos, &k, &v) && b->len < FPY_REPR_MAX) {
            if (!first)
                fpy_buf_puts(b, ", ");
            first = 0;
            put_repr(b, k, c);
            fpy_buf_puts(b, ": ");
            put_repr(b, v, c);
        }
    } else if (PyAnySet_Check(o)) {
        while (fpy_set_next(o, &pos, &k) && b->len < FPY_REPR_MAX) {
            if (!first)
                fpy_buf_puts(b, ", ");
            first = 0;
            put_repr(b, k, c);
        }
    } else {
        n = PyList_Check(o) ? PyList_GET_SIZE(o) : PyTuple_GET_SIZE(o);
        for (i = 0; i < n && b->len < FPY_REPR_MAX; i++) {
            if (i)
                fpy_buf_puts(b, ", ");
            put_repr(b, PyList_Check(o) ? PyList_GET_ITEM(o, i)
                                        : PyTuple_GET_ITEM(o, i),
                     c);
        }
        if (PyTuple_Check(o) && n == 1)
            fpy_buf_puts(b, ",");
    }
    if (b->len >= FPY_REPR_MAX)
        fpy_buf_puts(b, ", ...");
}

static void put_container(fpy_buf *b, PyObject *o, repr_ctx *c)
{
    const char *open, *close;
    int i;

    for (i = 0; i < c->depth; i++)
        if (c->open[i] == o) {
            fpy_buf_puts(b, PyDict_Check(o) ? "{...}"
                            : PyList_Check(o) ? "[...]"
                                              : "...");
            return;
        }
    if (c->depth == FPY_REPR_DEPTH) {
        fpy_buf_puts(b, "...");
        return;
    }
    if (PyList_CheckExact(o))
        open = "[", close = "]";
    else if (PyTuple_CheckExact(o))
        open = "(", close = ")";
    else if (PyDict_CheckExact(o))
        open = "{", close = "}";
    else if (PyFrozenSet_CheckExact(o))
        open = PySet_GET_SIZE(o) ? "frozenset({" : "frozenset(",
        close = PySet_GET_SIZE(o) ? "})" : ")";
    else
        open = PySet_GET_SIZE(o) ? "{" : "set(",
        close = PySet_GET_SIZE(o) ? "}" : ")";
    fpy_buf_puts(b, open);
    c->open[c->depth++] = o;
    put_items(b, o, c);
    c->depth--;
    fpy_buf_puts(b, close);
}

/* BaseException's repr, "Name(args)", when a class keeps it. */
static void put_exception(fpy_buf *b, PyObject *o, repr_ctx *c)
{
    PyObject *args = ((PyBaseExceptionObject *)o)->args;
    const char *name = Py_TYPE(o)->tp_name, *dot = strrchr(name, '.');

    fpy_buf_puts(b, dot ? dot + 1 : name);
    if (args && PyTuple_Check(args) && PyTuple_GET_SIZE(args) == 1) {
        fpy_buf_puts(b, "(");
        put_repr(b, PyTuple_GET_ITEM(args, 0), c);
        fpy_buf_puts(b, ")");
    } else if (args && PyTuple_Check(args)) {
        put_container(b, args, c);
    } else {
        fpy_buf_puts(b, "()");
    }
}

static void put_repr(fpy_buf *b, PyObject *o, repr_ctx *c)
{
    PyTypeObject *tp = Py_TYPE(o);

    if (b->failed)
        return;
    if (PyUnicode_CheckExact(o) || PyBytes_CheckExact(o)) {
        Py_ssize_t n = PyUnicode_Check(o) ? PyUnicode_GET_LENGTH(o)
                                          : PyBytes_GET_SIZE(o);
        if (n > 2 * FPY_REPR_EDGE)
            put_long_repr(b, o, n);
        else if (put_result(b, PyObject_Repr(o)) < 0)
            put_default_repr(b, o);
        return;
    }
    if (PyLong_CheckExact(o) || PyFloat_CheckExact(o) ||
        PyComplex_CheckExact(o) || PyBool_Check(o) || o == Py_None ||
        o == Py_Ellipsis || o == Py_NotImplemented ||
        PyByteArray_CheckExact(o) || PyCode_Check(o) || PyGen_CheckExact(o) ||
        PyMemoryView_Check(o) || PyCell_Check(o) || PyRange_Check(o) ||
        PyFunction_Check(o) || PyCFunction_CheckExact(o)) {
        /* builtin C reprs that never call into other objects (int's may
         * refuse a huge value: then the generic form) */
        if (put_result(b, tp->tp_repr(o)) < 0)
            put_default_repr(b, o);
        return;
    }
    if (PyList_CheckExact(o) || PyTuple_CheckExact(o) ||
        PyDict_CheckExact(o) || PySet_CheckExact(o) ||
        PyFrozenSet_CheckExact(o)) {
        put_container(b, o, c);
        return;
    }
    if (PyType_Check(o)) {
        PyTypeObject *t = (PyTypeObject *)o;
        char mod[256];
        const char *m = fpy_class_module(t, mod, sizeof mod);
        fpy_buf_puts(b, "<class '");
        if (m && strcmp(m, "builtins") != 0) {
            fpy_buf_puts(b, m);
            fpy_buf_puts(b, ".");
        }
        if (PyType_HasFeature(t, Py_TPFLAGS_HEAPTYPE) &&
            PyUnicode_Check(((PyHeapTypeObject *)t)->ht_qualname))
            put_unicode(b, ((PyHeapTypeObject *)t)->ht_qualname);
        else {
            const char *dot = strrchr(t->tp_name, '.');
            fpy_buf_puts(b, dot ? dot + 1 : t->tp_name);
        }
        fpy_buf_puts(b, "'>");
        return;
    }
    if (PyModule_Check(o)) {
        PyObject *d = PyModule_GetDict(o);
        PyObject *n = d ? fpy_dict_get(d, fpy_str_name) : NULL;
        fpy_buf_puts(b, "<module '");
        if (n && PyUnicode_Check(n))
            put_unicode(b, n);
        else
            fpy_buf_puts(b, "?");
        fpy_buf_puts(b, "'>");
        return;
    }
    if (PyExceptionInstance_Check(o) &&
        tp->tp_repr == ((PyTypeObject *)PyExc_BaseException)->tp_repr) {
        put_exception(b, o, c);
        return;
    }
    put_default_repr(b, o);
}

void fpy_buf_repr(fpy_buf *b, PyObject *o)
{
    repr_ctx c;

    c.depth = 0;
    put_repr(b, o, &c);
}

void fpy_buf_str(fpy_buf *b, PyObject *o)
{
    if (PyUnicode_CheckExact(o)) {
        put_unicode(b, o);
        return;
    }
    if (PyLong_CheckExact(o) || PyFloat_CheckExact(o) ||
        PyComplex_CheckExact(o) || PyBool_Check(o) || o == Py_None) {
        if (put_result(b, PyObject_Str(o)) == 0)
            return;
    }
    fpy_buf_repr(b, o);
}

/* Code points in s[0..n) (UTF-8). */
static size_t count_chars(const char *s, size_t n)
{
    size_t i, c = 0;

    for (i = 0; i < n; i++)
        if (((unsigned char)s[i] & 0xC0) != 0x80)
            c++;
    return c;
}

/* Byte offset of code point k in s[0..n). */
static size_t char_offset(const char *s, size_t n, size_t k)
{
    size_t i, c = 0;

    for (i = 0; i < n; i++)
        if (((unsigned char)s[i] & 0xC0) != 0x80 && c++ == k)
            return i;
    return n;
}

void fpy_buf_clip(fpy_buf *b, size_t start, Py_ssize_t clip)
{
    size_t n, i, chars, h, head, tail;
    char *p;

    if (b->failed || start > b->len)
        return;
    /* newlines as \n, as pympler's _repr does */
    for (i = start; i < b->len; i++) {
        if (b->data[i] == '\n') {
            fpy_buf_put(b, " ", 1);
            if (b->failed)
                return;
            memmove(b->data + i + 2, b->data + i + 1, b->len - i - 2);
            b->data[i] = '\\';
            b->data[i + 1] = 'n';
            i++;
        }
    }
    p = b->data + start;
    n = b->len - start;
    chars = count_chars(p, n);
    if (clip <= 0 || chars <= (size_t)clip)
        return;
    h = (size_t)(clip / 2 - 2);
    if (clip / 2 - 2 <= 0)
        return;
    head = char_offset(p, n, h);
    tail = char_offset(p, n, chars - h);
    memcpy(p + head, "....", 4);
    memmove(p + head + 4, p + tail, n - tail);
    b->len = start + head + 4 + (n - tail);
    b->data[b->len] = '\0';
}

/* obj.__name__ as a new str, or NULL; read from the C structures that
 * hold it, or as a plain attribute. */
static PyObject *name_attr(PyObject *o)
{
    PyObject *n = NULL;

    if (PyType_Check(o)) {
        PyTypeObject *t = (PyTypeObject *)o;
        const char *dot;
        if (PyType_HasFeature(t, Py_TPFLAGS_HEAPTYPE)) {
            n = ((PyHeapTypeObject *)t)->ht_name;
        } else {
            dot = strrchr(t->tp_name, '.');
            return PyUnicode_FromString(dot ? dot + 1 : t->tp_name);
        }
    } else if (PyFunction_Check(o)) {
        n = ((PyFunctionObject *)o)->func_name;
    } else if (PyCFunction_Check(o)) {
        PyMethodDef *d = ((PyCFunctionObject *)o)->m_ml;
        return d && d->ml_name ? PyUnicode_FromString(d->ml_name) : NULL;
    } else if (PyMethod_Check(o)) {
        if (PyFunction_Check(PyMethod_GET_FUNCTION(o)))
            n = ((PyFunctionObject *)PyMethod_GET_FUNCTION(o))->func_name;
    } else if (PyGen_Check(o)) {
        n = ((PyGenObject *)o)->gi_name;
    } else if (PyModule_Check(o)) {
        PyObject *d = PyModule_GetDict(o);
        n = d ? fpy_dict_get(d, fpy_str_name) : NULL;
    } else {
        n = fpy_getattr(o, fpy_str_name);
    }
    if (!n || !PyUnicode_Check(n) || PyUnicode_GET_LENGTH(n) == 0)
        return NULL;
    Py_INCREF(n);
    return n;
}

PyObject *fpy_nameof(PyObject *obj, Py_ssize_t clip)
{
    PyObject *n = name_attr(obj);
    fpy_buf b;

    if (n)
        return n;
    PyErr_Clear();
    fpy_buf_init(&b);
    fpy_buf_repr(&b, obj);
    fpy_buf_clip(&b, 0, clip);
    n = b.failed ? PyErr_NoMemory()
                 : PyUnicode_DecodeUTF8(b.data ? b.data : "",
                                        (Py_ssize_t)b.len, "surrogatepass");
    fpy_buf_free(&b);
    return n;
}
