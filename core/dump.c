/*
 * dump.c - writing dump files: the tracker encoded into one buffer
 * (docs/dump-format.md), then written by the core's one atomic writer
 * (file.c), so a crash or a full disk leaves either the old file or the
 * new one there, never half of one.
 */
#define XXH_INLINE_ALL
#include <xxhash.h>

#include "dump.h"

#include <string.h>

const dump_section fp_dump_sections[SEC_COUNT] = {
    {"STRS", "strings"},
    {"CLAS", "classes"},
    {"OBJS", "objects"},
    {"SNAP", "snapshots"},
    {"CENS", "census"},
};

_Static_assert(sizeof(double) == 8, "doubles must be IEEE-754 binary64");

uint64_t fp_dump_f64_bits(double d)
{
    uint64_t u;

    memcpy(&u, &d, sizeof u);
    return u;
}

double fp_dump_bits_f64(uint64_t bits)
{
    double d;

    memcpy(&d, &bits, sizeof d);
    return d;
}

int fp_dump_time_ok(double t)
{
    return t >= -DUMP_TIME_MAX && t <= DUMP_TIME_MAX; /* false for NaN */
}

/* The reader refuses times it could not print; refuse to write them, so
 * whatever this writes, the reader reads. */
static fp_status check_times(const fp_tracker *t, char *msg)
{
    size_t i;

    for (i = 0; i < t->objs.len; i++) {
        const tobj *o = &TOBJ(t, i);
        if (!fp_dump_time_ok(o->birth) ||
            ((o->flags & TOBJ_DEAD) && !fp_dump_time_ok(o->death))) {
            fp_errmsg_set(msg, "object %zu has a birth or death time that is not "
                         "a finite number of seconds", i);
            return FP_EINVAL;
        }
    }
    for (i = 0; i < t->snaps.len; i++)
        if (!fp_dump_time_ok(TSNAP(t, i).ts)) {
            fp_errmsg_set(msg, "snapshot %zu has a timestamp that is not a finite "
                         "number of seconds", i);
            return FP_EINVAL;
        }
    return FP_OK;
}

/* acc += n * item; 0 when it would overflow. */
static int add_size(size_t *acc, size_t n, size_t item)
{
    size_t b = fp_mul_size(n, item);

    if ((n && !b) || b > (size_t)-1 - *acc)
        return 0;
    *acc += b;
    return 1;
}

static int encoded_size(const fp_tracker *t, size_t *len)
{
    size_t n = DUMP_HEADER_LEN + SEC_COUNT * DUMP_SECTION_HEAD + 4 * 8, i;

    if (!add_size(&n, t->strs.len, 1) ||
        !add_size(&n, t->classes.len, DUMP_CLASS_LEN) ||
        !add_size(&n, t->objs.len, DUMP_OBJECT_LEN) ||
        !add_size(&n, t->snaps.len, DUMP_SNAP_LEN + DUMP_CENSUS_LEN))
        return 0;
    for (i = 0; i < t->snaps.len; i++)
        if (!add_size(&n, TSNAP(t, i).n, DUMP_SIZED_LEN) ||
            !add_size(&n, TSNAP(t, i).ndetail, DUMP_DETAIL_LEN) ||
            !add_size(&n, TSNAP(t, i).ncensus, DUMP_CENSUS_ENTRY_LEN))
            return 0;
    *len = n;
    return 1;
}

typedef struct writer {
    unsigned char *p;
} writer;

static void put_u8(writer *w, unsigned v)
{
    *w->p++ = (unsigned char)v;
}

static void put_u16(writer *w, unsigned v)
{
    put_u8(w, v & 0xff);
    put_u8(w, (v >> 8) & 0xff);
}

static void put_u32(writer *w, uint32_t v)
{
    dump_put_u32(w->p, v);
    w->p += 4;
}

static void put_u64(writer *w, uint64_t v)
{
    dump_put_u64(w->p, v);
    w->p += 8;
}

static void put_f64(writer *w, double d)
{
    put_u64(w, fp_dump_f64_bits(d));
}

/* Writes the tag and leaves room for the length; end_section fills it. */
static unsigned char *begin_section(writer *w, int which)
{
    unsigned char *head = w->p;

    memcpy(w->p, fp_dump_sections[which].tag, 4);
    w->p += DUMP_SECTION_HEAD;
    return head;
}

static void end_section(writer *w, unsigned char *head)
{
    dump_put_u64(head + 4, (uint64_t)(w->p - head - DUMP_SECTION_HEAD));
}

static void put_classes(writer *w, const fp_tracker *t)
{
    size_t i;

    put_u64(w, t->classes.len);
    for (i = 0; i < t->classes.len; i++) {
        const tclass *c = &TCLASS(t, i);
        put_u32(w, c->name);
        put_u32(w, (uint32_t)c->level);
        put_u32(w, c->flags);
    }
}

static void put_objects(writer *w, const fp_tracker *t)
{
    size_t i;

    put_u64(w, t->objs.len);
    for (i = 0; i < t->objs.len; i++) {
        const tobj *o = &TOBJ(t, i);
        int dead = (o->flags & TOBJ_DEAD) != 0;
        put_u64(w, (uint64_t)o->addr);
        put_f64(w, o->birth);
        /* a death time means nothing until the object is dead: store 0 so
         * equal trackers give equal files */
        put_f64(w, dead ? o->death : 0.0);
        put_u32(w, o->cls);
        put_u32(w, o->repr);
        put_u32(w, o->trace);
        put_u8(w, o->level);
        put_u8(w, (dead ? DUMP_OBJ_DEAD : 0) |
                      (o->flags & TOBJ_DETACHED ? DUMP_OBJ_DETACHED : 0));
        put_u16(w, 0);
    }
}

static void put_snapshot(writer *w, const tsnap *s)
{
    size_t k;

    put_f64(w, s->ts);
    put_u32(w, s->desc);
    put_u32(w, 0);
    put_u64(w, s->tracked_total);
    put_u64(w, s->asizeof_total);
    put_u64(w, s->overhead);
    put_u64(w, s->procmem.vsize);
    put_u64(w, s->procmem.rss);
    put_u64(w, s->procmem.peak_rss);
    put_u64(w, s->n);
    put_u64(w, s->ndetail);
    for (k = 0; k < s->n; k++) {
        put_u32(w, s->obj[k]);
        put_u64(w, s->size[k]);
    }
    for (k = 0; k < s->ndetail; k++) {
        const tdetail *d = &s->detail[k];
        put_u32(w, d->obj);
        put_u32(w, d->depth);
        put_u32(w, d->name);
        put_u32(w, 0);
        put_u64(w, d->size);
        put_u64(w, d->flat);
    }
}

/* A snapshot's census: its totals, then its entries in their order. */
static void put_census(writer *w, const tsnap *s)
{
    size_t k;

    put_u64(w, s->census_count);
    put_u64(w, s->census_flat);
    put_u64(w, s->ncensus);
    for (k = 0; k < s->ncensus; k++) {
        const tcensus *e = &s->census[k];
        put_u32(w, e->name);
        put_u32(w, 0);
        put_u64(w, e->count);
        put_u64(w, e->flat);
        put_u64(w, e->deep);
    }
}

static fp_status encode(const fp_tracker *t, unsigned char **out,
                        size_t *outlen, char *msg)
{
    unsigned char *buf, *head;
    size_t len, i;
    writer w;
    fp_status st;

    if ((st = check_times(t, msg)) != FP_OK)
        return st;
    if (!encoded_size(t, &len)) {
        fp_errmsg_set(msg, "the tracker is too large to encode");
        return FP_ENOMEM;
    }
    buf = fp_mem_alloc(&t->alloc, len);
    if (!buf) {
        fp_errmsg_set(msg, "out of memory encoding a dump of %zu bytes", len);
        return FP_ENOMEM;
    }
    w.p = buf;
    memcpy(w.p, DUMP_MAGIC, DUMP_MAGIC_LEN);
    w.p += DUMP_MAGIC_LEN;
    put_u32(&w, FP_DUMP_VERSION);
    put_u32(&w, 0);
    put_u64(&w, (uint64_t)(len - DUMP_HEADER_LEN));
    put_u64(&w, 0); /* checksum, once the payload is there */

    head = begin_section(&w, SEC_STRINGS);
    memcpy(w.p, t->strs.data, t->strs.len);
    w.p += t->strs.len;
    end_section(&w, head);

    head = begin_section(&w, SEC_CLASSES);
    put_classes(&w, t);
    end_section(&w, head);

    head = begin_section(&w, SEC_OBJECTS);
    put_objects(&w, t);
    end_section(&w, head);

    head = begin_section(&w, SEC_SNAPSHOTS);
    put_u64(&w, t->snaps.len);
    for (i = 0; i < t->snaps.len; i++)
        put_snapshot(&w, &TSNAP(t, i));
    end_section(&w, head);

    head = begin_section(&w, SEC_CENSUS);
    put_u64(&w, t->snaps.len);
    for (i = 0; i < t->snaps.len; i++)
        put_census(&w, &TSNAP(t, i));
    end_section(&w, head);

    dump_put_u64(buf + 24, XXH3_64bits(buf + DUMP_HEADER_LEN,
                                       len - DUMP_HEADER_LEN));
    *out = buf;
    *outlen = len;
    return FP_OK;
}

fp_status fp_tracker_dump_buffer(fp_tracker *t, unsigned char **buf,
                                 size_t *len)
{
    if (!buf || !len)
        return FP_EINVAL;
    *buf = NULL;
    *len = 0;
    if (!t)
        return FP_EINVAL;
    t->errmsg[0] = '\0';
    return encode(t, buf, len, t->errmsg);
}

void fp_tracker_buffer_free(const fp_tracker *t, unsigned char *buf)
{
    if (t)
        fp_mem_free(&t->alloc, buf);
}

fp_status fp_tracker_dump(fp_tracker *t, const char *path)
{
    unsigned char *buf;
    size_t len;
    fp_status st;

    if (!t)
        return FP_EINVAL;
    t->errmsg[0] = '\0';
    if (!path || !*path) {
        fp_errmsg_set(t->errmsg, "fp_tracker_dump: no path");
        return FP_EINVAL;
    }
    if ((st = encode(t, &buf, &len, t->errmsg)) != FP_OK)
        return st;
    st = fp_file_write(&t->alloc, path, "dump", buf, len, t->errmsg);
    fp_mem_free(&t->alloc, buf);
    return st;
}
