/*
 * pysizer.c - fp_host for PyObject handles, and the sizer the footprint
 * package drives.
 *
 * A call holds the GIL from start to end and runs no Python code, so no
 * other thread can change or free an object while the core walks it.  The
 * cyclic GC is switched off for the call as well: the adapter allocates a
 * little (results of C __sizeof__, names, a generator's locals view), and
 * a collection triggered by that could run __del__ methods in the middle
 * of the walk and free objects the core still holds handles to (the
 * referent of a weak reference may be such garbage).
 */
#include "pyinternal.h"

#include <stdlib.h>
#include <string.h>

struct fp_pysizer {
    fp_sizer *sizer;
    fpy_host host;
    PyObject *keep_refs; /* excluded references, until reset */
};

void fp_py_opts_init(fp_py_opts *o)
{
    o->align = 8;
    o->limit = 100;
    o->code = 0;
    o->ignored = 1;
    o->derive = 0;
    o->frames = 0;
    o->traverse = 0;
    o->clip = 80;
    o->count_duplicates = 0;
}

int fp_py_init(void)
{
    fp_clock(); /* times are seconds since the import, as pympler's */
    if (fpv_init() < 0 || fpy_hook_init() < 0 || fpy_init_ready() < 0)
        return -1;
    return fpy_types_init();
}

/* Sizes are aligned one block at a time. */
static size_t align_up(size_t n, size_t align)
{
    return align > 1 ? (n + align - 1) & ~(align - 1) : n;
}

/* The two tagged handles: an instance's values kept outside a dict, and a
 * generator's locals as pympler's read of f_locals would make them. */
static fp_status inspect_tagged(PyObject *obj, fp_handle h, fp_info *info)
{
    info->flags = 0;
    info->cls = 0;
    info->flat = 0;
    if (h & FPY_TAG_VALUES) {
        const fpv_values *values;
        fpy_instance_dict(obj, &values);
        info->flat = values ? fpv_values_size(obj, values) : 0;
        return FP_OK;
    }
    if (fpv_gen_locals_node(obj, (PyTypeObject **)&info->cls, &info->flat) < 0)
        return FP_EHOST;
    return FP_OK;
}

static fp_status host_inspect(void *ctx, fp_handle h, fp_info *info)
{
    fpy_host *host = ctx;
    PyObject *obj = (PyObject *)(h & ~FPY_TAG_MASK);
    fpy_type local;
    const fpy_type *t;
    Py_ssize_t n;

    if (h & FPY_TAG_MASK)
        return inspect_tagged(obj, h, info);
    if (!(t = fpy_classify_cached(host, obj))) {
        fpy_classify(host, obj, &local);
        t = &local;
    }
    info->cls = (fp_handle)Py_TYPE(obj);
    info->flat = 0;
    if (t->verdict != FPY_SIZE) {
        host->excluded_hits += t->verdict == FPY_SKIP_EXCLUDED;
        info->flags = FP_INFO_SKIP;
        return FP_OK;
    }
    info->flags = t->flags;
    /* the common builtins without a call (arrays have pympler's own rule) */
    if (t->cat != FPY_ARRAY && (n = fpy_sizeof_in_place(obj, t)) >= 0)
        info->flat = (size_t)n + t->preheader;
    else if (fpy_flat(obj, t, &info->flat) < 0)
        return FP_EHOST;
    if (host->fold && t->cat == FPY_INST) {
        const fpv_values *values;
        PyObject *dict;
        if (fpv_managed_storage(obj, &dict, &values) && values)
            /* two blocks, each aligned as asizeof aligns */
            info->flat = align_up(info->flat, host->opts.align) +
                         align_up(fpv_values_size(obj, values),
                                  host->opts.align);
    }
    return FP_OK;
}

static fp_status host_referents(void *ctx, fp_handle obj, int want_names,
                                fp_visit_fn visit, void *arg)
{
    return fpy_referents(ctx, obj, want_names, visit, arg);
}

static size_t host_describe(void *ctx, fp_handle h, char *buf, size_t cap)
{
    fpy_host *host = ctx;
    fpy_buf b;
    size_t n;

    fpy_buf_init(&b);
    fpy_buf_repr(&b, (PyObject *)(h & ~FPY_TAG_MASK));
    fpy_buf_clip(&b, 0, host->opts.clip);
    n = b.failed || !b.data ? 0 : b.len;
    if (cap) {
        size_t k = n < cap ? n : cap - 1;
        if (k)
            memcpy(buf, b.data, k);
        buf[k] = '\0';
    }
    fpy_buf_free(&b);
    return n;
}

void fpy_host_callbacks(fp_host *out, fpy_host *ctx)
{
    out->ctx = ctx;
    out->inspect = host_inspect;
    out->referents = host_referents;
    out->alive = NULL;
    out->describe = host_describe;
}

int fpy_host_begin(fpy_host *h, int detail)
{
    const fp_py_opts *o = &h->opts;

    fpy_cache_clear(&h->cache);
    h->last = 0;
    h->keys_done = NULL;
    h->lean = !detail && !o->code && !o->count_duplicates &&
              (!h->excluded_types || fp_set_count(h->excluded_types) == 0);
    h->fold = h->lean && o->limit == FP_NO_LIMIT;
    return PyGC_Disable();
}

void fpy_host_end(int gc_was_enabled)
{
    if (gc_was_enabled)
        PyGC_Enable();
}

static fp_sizer_opts core_opts(const fp_py_opts *o, size_t detail)
{
    fp_sizer_opts c;

    fp_sizer_opts_init(&c);
    c.align = o->align > 1 ? o->align : 1;
    c.limit = o->limit;
    c.detail = detail;
    c.count_duplicates = o->count_duplicates;
    return c;
}

fp_status fp_py_sizer_new(fp_pysizer **out)
{
    fp_pysizer *s;
    fp_host host;
    fp_sizer_opts c;
    fp_status st;

    if (!out)
        return FP_EINVAL;
    *out = NULL;
    s = calloc(1, sizeof *s);
    if (!s)
        return FP_ENOMEM;
    fp_py_opts_init(&s->host.opts);
    fpy_host_callbacks(&host, &s->host);
    c = core_opts(&s->host.opts, 0);
    st = fp_sizer_new(&s->sizer, &host, &c, NULL);
    if (st == FP_OK)
        st = fp_set_new(&s->host.excluded_types, NULL);
    if (st == FP_OK) {
        s->host.keep = PyList_New(0);
        s->keep_refs = PyList_New(0);
        if (!s->host.keep || !s->keep_refs) {
            PyErr_Clear();
            st = FP_ENOMEM;
        }
    }
    if (st != FP_OK) {
        fp_py_sizer_free(s);
        return st;
    }
    *out = s;
    return FP_OK;
}

void fp_py_sizer_free(fp_pysizer *s)
{
    if (!s)
        return;
    fp_sizer_free(s->sizer);
    fp_set_free(s->host.excluded_types);
    fpy_cache_free(&s->host.cache);
    Py_XDECREF(s->host.keep);
    Py_XDECREF(s->keep_refs);
    free(s);
}

fp_status fp_py_sizer_set_opts(fp_pysizer *s, const fp_py_opts *o)
{
    fp_sizer_opts c;
    fp_status st;

    if (!s || !o || o->clip < 0)
        return FP_EINVAL;
    c = core_opts(o, 0);
    st = fp_sizer_set_opts(s->sizer, &c);
    if (st == FP_OK)
        s->host.opts = *o;
    return st;
}

void fp_py_sizer_get_opts(const fp_pysizer *s, fp_py_opts *o)
{
    *o = s->host.opts;
}

const char *fp_py_sizer_errmsg(const fp_pysizer *s)
{
    return s ? fp_sizer_errmsg(s->sizer) : "";
}

/* The handles of a tuple or list of objects; NULL on failure. */
static fp_handle *handles_of(PyObject *objs, size_t *n, fp_status *st)
{
    Py_ssize_t i, len;
    fp_handle *h;

    *st = FP_EINVAL;
    if (!PyTuple_Check(objs) && !PyList_Check(objs))
        return NULL;
    len = PySequence_Fast_GET_SIZE(objs);
    *n = (size_t)len;
    *st = FP_ENOMEM;
    h = malloc((len ? (size_t)len : 1) * sizeof *h);
    if (!h)
        return NULL;
    for (i = 0; i < len; i++)
        h[i] = (fp_handle)PySequence_Fast_GET_ITEM(objs, i);
    *st = FP_OK;
    return h;
}

static int begin_call(fp_pysizer *s, int detail)
{
    return fpy_host_begin(&s->host, detail);
}

static void end_call(int gc_was_enabled)
{
    fpy_host_end(gc_was_enabled);
}

static PyObject *size_list(const size_t *sizes, size_t n)
{
    PyObject *list = PyList_New((Py_ssize_t)n);
    size_t i;

    for (i = 0; list && i < n; i++) {
        PyObject *v = PyLong_FromSize_t(sizes[i]);
        if (!v) {
            Py_CLEAR(list);
            break;
        }
        PyList_SET_ITEM(list, (Py_ssize_t)i, v);
    }
    return list;
}

fp_status fp_py_sizer_size(fp_pysizer *s, PyObject *objs, PyObject **out)
{
    fp_handle *h;
    size_t n = 0, *sizes;
    fp_status st;
    int gc;

    if (!s || !out)
        return FP_EINVAL;
    *out = NULL;
    h = handles_of(objs, &n, &st);
    if (!h)
        return st;
    sizes = malloc((n ? n : 1) * sizeof *sizes);
    if (!sizes) {
        free(h);
        return FP_ENOMEM;
    }
    gc = begin_call(s, 0);
    st = fp_sizer_size(s->sizer, h, n, sizes);
    end_call(gc);
    if (st == FP_OK && !(*out = size_list(sizes, n)))
        st = FP_ENOMEM;
    free(h);
    free(sizes);
    return st;
}

/* ---- detail trees to (size, flat, name, refs) tuples ---- */

typedef struct tree_frame {
    const fp_detail_node *node, *next; /* node, its next child to build */
    PyObject *kids;                    /* list of built children */
} tree_frame;

static PyObject *node_name(const fp_detail_node *node, Py_ssize_t clip)
{
    PyObject *name;

    if (node->name) {
        name = PyUnicode_DecodeUTF8(node->name, (Py_ssize_t)strlen(node->name),
                                    "surrogatepass");
        return name;
    }
    if (node->obj & FPY_TAG_MASK)
        return PyUnicode_FromString("?");
    return fpy_nameof((PyObject *)node->obj, clip);
}

static PyObject *node_tuple(const fp_detail_node *node, PyObject *kids,
                            Py_ssize_t clip)
{
    PyObject *refs = PyList_AsTuple(kids);
    PyObject *name = refs ? node_name(node, clip) : NULL;
    PyObject *t = NULL;

    if (name)
        t = Py_BuildValue("(nnNN)", (Py_ssize_t)node->size,
                          (Py_ssize_t)node->flat, name, refs);
    else
        Py_XDECREF(refs);
    return t;
}

/* Iterative, so a detail level of a million costs heap, not C stack. */
static PyObject *build_tree(const fp_detail_node *root, Py_ssize_t clip)
{
    tree_frame *stack = NULL;
    size_t len = 0, cap = 0;
    PyObject *result = NULL;

    for (;;) {
        const fp_detail_node *node = root;
        tree_frame *top;
        if (node) {
            if (len == cap) {
                size_t ncap = cap ? cap * 2 : 16;
                tree_frame *p = realloc(stack, ncap * sizeof *p);
                if (!p) {
                    PyErr_NoMemory();
                    goto fail;
                }
                stack = p;
                cap = ncap;
            }
            stack[len].node = node;
            stack[len].next = node->child;
            stack[len].kids = PyList_New(0);
            if (!stack[len++].kids)
                goto fail;
            root = NULL;
        }
        top = &stack[len - 1];
        if (top->next) {
            root = top->next;
            top->next = top->next->next;
            continue;
        }
        {
            PyObject *t = node_tuple(top->node, top->kids, clip);
            Py_DECREF(top->kids);
            len--;
            if (!t)
                goto fail;
            if (!len) {
                result = t;
                break;
            }
            if (PyList_Append(stack[len - 1].kids, t) < 0) {
                Py_DECREF(t);
                goto fail;
            }
            Py_DECREF(t);
        }
    }
    free(stack);
    return result;
fail:
    while (len)
        Py_DECREF(stack[--len].kids);
    free(stack);
    return NULL;
}

fp_status fp_py_sizer_size_detail(fp_pysizer *s, PyObject *objs,
                                 size_t detail, PyObject **out)
{
    fp_handle *h;
    size_t n = 0, i;
    fp_status st;
    fp_detail *d = NULL;
    fp_sizer_opts c;
    PyObject *list = NULL;
    int gc;

    if (!s || !out)
        return FP_EINVAL;
    *out = NULL;
    h = handles_of(objs, &n, &st);
    if (!h)
        return st;
    c = core_opts(&s->host.opts, detail);
    st = fp_sizer_set_opts(s->sizer, &c);
    gc = begin_call(s, 1);
    if (st == FP_OK)
        st = fp_sizer_size_detail(s->sizer, h, n, NULL, &d);
    /* names are read from the objects: still no collection */
    if (st == FP_OK && !(list = PyList_New((Py_ssize_t)n)))
        st = FP_ENOMEM;
    for (i = 0; st == FP_OK && i < n; i++) {
        PyObject *t = build_tree(fp_detail_root(d, i), s->host.opts.clip);
        if (!t) {
            st = FP_ENOMEM;
            break;
        }
        PyList_SET_ITEM(list, (Py_ssize_t)i, t);
    }
    end_call(gc);
    fp_detail_free(d);
    c.detail = 0;
    fp_sizer_set_opts(s->sizer, &c);
    free(h);
    if (st != FP_OK) {
        Py_XDECREF(list);
        return st;
    }
    *out = list;
    return FP_OK;
}

static fp_status keep_all(PyObject *keep, PyObject *objs)
{
    Py_ssize_t i;

    for (i = 0; i < PySequence_Fast_GET_SIZE(objs); i++)
        if (PyList_Append(keep, PySequence_Fast_GET_ITEM(objs, i)) < 0) {
            PyErr_Clear();
            return FP_ENOMEM;
        }
    return FP_OK;
}

fp_status fp_py_sizer_exclude_refs(fp_pysizer *s, PyObject *objs)
{
    fp_handle *h;
    size_t n = 0;
    fp_status st;

    if (!s)
        return FP_EINVAL;
    h = handles_of(objs, &n, &st);
    if (!h)
        return st;
    /* held, so no other object can take the address while excluded */
    st = keep_all(s->keep_refs, objs);
    if (st == FP_OK)
        st = fp_sizer_exclude(s->sizer, h, n);
    free(h);
    return st;
}

fp_status fp_py_sizer_exclude_types(fp_pysizer *s, PyObject *types)
{
    Py_ssize_t i;
    fp_status st;

    if (!s || (!PyTuple_Check(types) && !PyList_Check(types)))
        return FP_EINVAL;
    st = keep_all(s->host.keep, types);
    for (i = 0; st == FP_OK && i < PySequence_Fast_GET_SIZE(types); i++) {
        PyObject *t = PySequence_Fast_GET_ITEM(types, i);
        if (PyType_Check(t))
            st = fp_set_add(s->host.excluded_types, (fp_handle)t, NULL);
    }
    return st;
}

void fp_py_sizer_reset(fp_pysizer *s)
{
    if (!s)
        return;
    fp_sizer_reset(s->sizer);
    fp_sizer_exclude_clear(s->sizer);
    PyList_SetSlice(s->keep_refs, 0, PyList_GET_SIZE(s->keep_refs), NULL);
    s->host.excluded_hits = 0;
}

PyObject *fp_py_sizer_stats(fp_pysizer *s)
{
    fp_stats st;

    if (!s) {
        PyErr_SetString(PyExc_ValueError, "no sizer");
        return NULL;
    }
    fp_sizer_stats(s->sizer, &st);
    return Py_BuildValue(
        "{s:n,s:n,s:n,s:n,s:n,s:n,s:n,s:n,s:n}", "total", (Py_ssize_t)st.total,
        "objects", (Py_ssize_t)st.objects, "revisits", (Py_ssize_t)st.revisits,
        "duplicates", (Py_ssize_t)st.duplicates, "excluded",
        (Py_ssize_t)st.excluded, "failed", (Py_ssize_t)st.failed, "truncated",
        (Py_ssize_t)st.truncated, "max_depth", (Py_ssize_t)st.max_depth,
        "excluded_types", (Py_ssize_t)s->host.excluded_hits);
}
