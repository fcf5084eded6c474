/*
 * dump_read.c - loading dump files into a host-less tracker.  A dump is
 * read into a tracker of its own and swapped into the caller's only when
 * all of it checked out, so a failed load changes nothing.
 *
 * The reader trusts nothing: every count is checked against the bytes that
 * remain before anything is allocated for it, every string offset, class
 * and object index against what was read before it, every ordering the
 * tracker's lookups rely on (binary searches over snapshot tables) is
 * verified, so a loaded tracker is as consistent as one built live.  Each
 * error names the section and the byte where it was found.
 */
#define XXH_INLINE_ALL
#include <xxhash.h>

#include "dump.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct reader {
    const unsigned char *buf;
    size_t pos, end;          /* end of the current section */
    const char *section;      /* its name, for messages */
    const char *strs;         /* the strings section */
    size_t nstrs;
    char *msg;                /* FP_ERRMSG_SIZE bytes */
    fp_tracker *t;
    uint32_t version;         /* the dump's format version */
} reader;

static fp_status fail(reader *r, fp_status st, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;

static fp_status fail(reader *r, fp_status st, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    fp_errmsg_vset(r->msg, fmt, ap);
    va_end(ap);
    return st;
}

/* A value that is wrong where it stands: "section 'objects', object 4 at
 * byte 1234: class 9 out of range (3 classes)". */
static fp_status bad(reader *r, size_t at, const char *what, const char *fmt,
                     ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 4, 5)))
#endif
    ;

static fp_status bad(reader *r, size_t at, const char *what, const char *fmt,
                     ...)
{
    char detail[FP_ERRMSG_SIZE];
    va_list ap;

    va_start(ap, fmt);
    fp_errmsg_vset(detail, fmt, ap);
    va_end(ap);
    return fail(r, FP_ECORRUPT, "corrupt dump: section '%s', %s at byte %zu: %s",
                r->section, what, at, detail);
}

static fp_status oom(reader *r)
{
    return fail(r, FP_ENOMEM, "out of memory loading section '%s'",
                r->section);
}

/* n more bytes of the current section, or a "truncated" error. */
static fp_status need(reader *r, size_t n, const char *what)
{
    if (r->end - r->pos < n)
        return fail(r, FP_ECORRUPT,
                    "truncated in section '%s' (%s) at byte %zu: %zu bytes "
                    "needed, %zu left",
                    r->section, what, r->pos, n, r->end - r->pos);
    return FP_OK;
}

static uint8_t get_u8(reader *r)
{
    return r->buf[r->pos++];
}

static uint32_t get_u16(reader *r)
{
    uint32_t v = (uint32_t)r->buf[r->pos] | (uint32_t)r->buf[r->pos + 1] << 8;

    r->pos += 2;
    return v;
}

static uint32_t get_u32(reader *r)
{
    uint32_t v = dump_get_u32(r->buf + r->pos);

    r->pos += 4;
    return v;
}

static uint64_t get_u64(reader *r)
{
    uint64_t v = dump_get_u64(r->buf + r->pos);

    r->pos += 8;
    return v;
}

/* A count of records of rec bytes each that must fit in what remains of
 * the section (so nothing is allocated for data the file does not hold)
 * and in max. */
static fp_status get_count(reader *r, size_t rec, uint64_t max,
                           const char *what, size_t *n)
{
    size_t at = r->pos;
    uint64_t v;
    fp_status st;

    if ((st = need(r, 8, what)) != FP_OK)
        return st;
    v = get_u64(r);
    if (v > max)
        return bad(r, at, what, "%llu entries, at most %llu allowed",
                   (unsigned long long)v, (unsigned long long)max);
    if (v > (r->end - r->pos) / rec)
        return fail(r, FP_ECORRUPT,
                    "truncated in section '%s' (%s) at byte %zu: %llu "
                    "entries of %zu bytes announced, %zu bytes left",
                    r->section, what, at, (unsigned long long)v, rec,
                    r->end - r->pos);
    *n = (size_t)v;
    return FP_OK;
}

/* An offset into the strings section that starts a string. */
static int str_ok(const reader *r, uint32_t off)
{
    return off < r->nstrs && (off == 0 || r->strs[off - 1] == '\0');
}

static fp_status check_str(reader *r, size_t at, const char *what,
                           uint32_t off)
{
    if (!str_ok(r, off))
        return bad(r, at, what,
                   "string offset %lu does not start a string (%zu bytes "
                   "of strings)",
                   (unsigned long)off, r->nstrs);
    return FP_OK;
}

static fp_status check_time(reader *r, size_t at, const char *what,
                            double d, const char *field)
{
    if (!fp_dump_time_ok(d))
        return bad(r, at, what, "%s is not a finite number of seconds below "
                                "2^53",
                   field);
    return FP_OK;
}

static fp_status open_section(reader *r, int which, size_t payload_end)
{
    const dump_section *s = &fp_dump_sections[which];
    const unsigned char *tag;
    size_t at = r->pos;
    uint64_t len;
    fp_status st;

    r->section = s->name;
    r->end = payload_end;
    if ((st = need(r, DUMP_SECTION_HEAD, "section header")) != FP_OK)
        return st;
    tag = r->buf + r->pos;
    if (memcmp(tag, s->tag, 4) != 0)
        return bad(r, at, "section header",
                   "expected tag %s, found bytes %02x %02x %02x %02x",
                   s->tag, tag[0], tag[1], tag[2], tag[3]);
    r->pos += 4;
    len = get_u64(r);
    if (len > r->end - r->pos)
        return fail(r, FP_ECORRUPT,
                    "truncated in section '%s' at byte %zu: it announces "
                    "%llu bytes, %zu are left",
                    r->section, at, (unsigned long long)len,
                    r->end - r->pos);
    r->end = r->pos + (size_t)len;
    return FP_OK;
}

static fp_status close_section(reader *r)
{
    if (r->pos != r->end)
        return bad(r, r->pos, "end of section", "%zu bytes left unread",
                   r->end - r->pos);
    return FP_OK;
}

/* ---- sections ---- */

static fp_status read_strings(reader *r)
{
    size_t n = r->end - r->pos;
    fp_status st;

    r->strs = (const char *)r->buf + r->pos;
    r->nstrs = n;
    if (n == 0 || r->strs[0] != '\0')
        return bad(r, r->pos, "strings", "the table must start with the "
                                         "empty string");
    if (n > UINT32_MAX)
        return bad(r, r->pos, "strings", "%zu bytes, offsets are 32-bit", n);
    if (r->strs[n - 1] != '\0')
        return bad(r, r->pos + n - 1, "strings",
                   "the last string is not NUL-terminated");
    st = fp_strtab_adopt(&r->t->strs, r->strs, n);
    if (st == FP_ENOMEM)
        return oom(r);
    if (st != FP_OK)
        return bad(r, r->pos, "strings", "rejected (%s)", fp_strerror(st));
    r->pos += n;
    return FP_OK;
}

static int cmp_name(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* fp_tracker_find_class returns the first match: two classes of one name
 * would make the second unreachable. */
static fp_status check_unique_names(reader *r, size_t start)
{
    fp_tracker *t = r->t;
    size_t n = t->classes.len, i;
    const char **names;

    if (n < 2)
        return FP_OK;
    names = fp_mem_alloc(&t->alloc, fp_mul_size(n, sizeof *names));
    if (!names)
        return oom(r);
    for (i = 0; i < n; i++)
        names[i] = fp_strtab_get(&t->strs, TCLASS(t, i).name);
    qsort(names, n, sizeof *names, cmp_name);
    for (i = 1; i < n && strcmp(names[i - 1], names[i]) != 0; i++)
        ;
    if (i < n) {
        char name[64];
        snprintf(name, sizeof name, "%s", names[i]);
        fp_mem_free(&t->alloc, names);
        return bad(r, start, "classes", "class name '%s' appears twice",
                   name);
    }
    fp_mem_free(&t->alloc, names);
    return FP_OK;
}

static fp_status read_classes(reader *r)
{
    fp_tracker *t = r->t;
    size_t n, i, start = r->pos;
    char what[48];
    fp_status st;

    if ((st = get_count(r, DUMP_CLASS_LEN, FP_NONE, "class count", &n)) !=
        FP_OK)
        return st;
    if (fp_vec_reserve(&t->classes, &t->alloc, n) != FP_OK)
        return oom(r);
    for (i = 0; i < n; i++) {
        size_t at = r->pos;
        tclass *c = &TCLASS(t, i);
        uint32_t level;

        snprintf(what, sizeof what, "class %zu", i);
        c->name = get_u32(r);
        level = get_u32(r);
        c->flags = get_u32(r);
        if ((st = check_str(r, at, what, c->name)) != FP_OK)
            return st;
        if (r->strs[c->name] == '\0')
            return bad(r, at, what, "the class has no name");
        if (level > 255)
            return bad(r, at + 4, what, "resolution level %lu above 255",
                       (unsigned long)level);
        c->level = (int32_t)level;
        t->classes.len++;
    }
    return check_unique_names(r, start);
}

static fp_status read_object(reader *r, size_t i, tobj *o)
{
    size_t at = r->pos;
    uint64_t addr = get_u64(r);
    unsigned flags;
    char what[48];
    fp_status st;

    snprintf(what, sizeof what, "object %zu", i);
    o->birth = fp_dump_bits_f64(get_u64(r));
    o->death = fp_dump_bits_f64(get_u64(r));
    o->cls = get_u32(r);
    o->repr = get_u32(r);
    o->trace = get_u32(r);
    o->level = get_u8(r);
    flags = get_u8(r);
    if (addr == 0 || addr > UINTPTR_MAX)
        return bad(r, at, what, "handle 0x%llx is not a valid handle",
                   (unsigned long long)addr);
    o->addr = (fp_handle)addr;
    if ((st = check_time(r, at + 8, what, o->birth, "birth")) != FP_OK)
        return st;
    if (o->cls >= r->t->classes.len)
        return bad(r, at + 24, what, "class %lu out of range (%zu classes)",
                   (unsigned long)o->cls, r->t->classes.len);
    if ((st = check_str(r, at + 28, what, o->repr)) != FP_OK ||
        (st = check_str(r, at + 32, what, o->trace)) != FP_OK)
        return st;
    if (flags & ~(DUMP_OBJ_DEAD | DUMP_OBJ_DETACHED) ||
        flags == (DUMP_OBJ_DEAD | DUMP_OBJ_DETACHED))
        return bad(r, at + 37, what, "flags 0x%x are not a valid state",
                   flags);
    if (get_u16(r) != 0)
        return bad(r, at + 38, what, "reserved bytes are not zero");
    if (flags & DUMP_OBJ_DEAD) {
        if ((st = check_time(r, at + 16, what, o->death, "death")) != FP_OK)
            return st;
    } else if (fp_dump_f64_bits(o->death) != 0) {
        return bad(r, at + 16, what, "a death time on an object not dead");
    }
    o->flags = (uint8_t)((flags & DUMP_OBJ_DEAD ? TOBJ_DEAD : 0) |
                         (flags & DUMP_OBJ_DETACHED ? TOBJ_DETACHED : 0));
    return FP_OK;
}

static fp_status read_objects(reader *r)
{
    fp_tracker *t = r->t;
    size_t n, i;
    fp_status st;

    /* FP_NONE - 1: the most fp_tracker_track itself accepts */
    if ((st = get_count(r, DUMP_OBJECT_LEN, FP_NONE - 1, "object count",
                        &n)) != FP_OK)
        return st;
    if (fp_vec_reserve(&t->objs, &t->alloc, n) != FP_OK)
        return oom(r);
    for (i = 0; i < n; i++) {
        tobj *o = &TOBJ(t, i);
        memset(o, 0, sizeof *o);
        if ((st = read_object(r, i, o)) != FP_OK)
            return st;
        t->objs.len++;
    }
    return FP_OK;
}

static fp_status read_sized(reader *r, tsnap *s, const char *what)
{
    size_t k;

    for (k = 0; k < s->n; k++) {
        size_t at = r->pos;
        s->obj[k] = get_u32(r);
        s->size[k] = get_u64(r);
        if (s->obj[k] >= r->t->objs.len)
            return bad(r, at, what, "object %lu out of range (%zu objects)",
                       (unsigned long)s->obj[k], r->t->objs.len);
        /* lookups binary-search this table */
        if (k && s->obj[k] <= s->obj[k - 1])
            return bad(r, at, what, "object %lu after %lu: not ascending",
                       (unsigned long)s->obj[k],
                       (unsigned long)s->obj[k - 1]);
    }
    return FP_OK;
}

/* Detail entries: one preorder tree per sized object, trees in ascending
 * object order (fp_tracker_object_detail binary-searches them).  Sizes
 * nest as the sizer makes them (a referent's size is part of its
 * parent's, the root's is the object's), which keeps every share the
 * printers compute within 100%. */
static fp_status read_detail(reader *r, tsnap *s, const char *what)
{
    uint64_t up[DUMP_DETAIL_DEPTH_MAX + 1];
    size_t k, sized = 0;

    for (k = 0; k < s->ndetail; k++) {
        size_t at = r->pos;
        tdetail *d = &s->detail[k];
        const tdetail *prev = k ? d - 1 : NULL;
        fp_status st;

        d->obj = get_u32(r);
        d->depth = get_u32(r);
        d->name = get_u32(r);
        d->unused = get_u32(r);
        d->size = get_u64(r);
        d->flat = get_u64(r);
        if (d->unused != 0)
            return bad(r, at + 12, what, "detail %zu: reserved bytes are "
                                         "not zero", k);
        if ((st = check_str(r, at + 8, what, d->name)) != FP_OK)
            return st;
        if (d->flat > d->size)
            return bad(r, at + 24, what, "detail %zu: flat size %llu above "
                                         "size %llu",
                       k, (unsigned long long)d->flat,
                       (unsigned long long)d->size);
        if (prev && d->obj == prev->obj) {
            if (d->depth == 0 || d->depth > prev->depth + 1 ||
                d->depth > DUMP_DETAIL_DEPTH_MAX)
                return bad(r, at + 4, what,
                           "detail %zu: depth %lu after depth %lu is not "
                           "a preorder tree (at most %d deep)",
                           k, (unsigned long)d->depth,
                           (unsigned long)prev->depth, DUMP_DETAIL_DEPTH_MAX);
            if (d->size > up[d->depth - 1])
                return bad(r, at + 16, what, "detail %zu: size %llu above "
                                             "its parent's %llu",
                           k, (unsigned long long)d->size,
                           (unsigned long long)up[d->depth - 1]);
            up[d->depth] = d->size;
            continue;
        }
        if (prev && d->obj < prev->obj)
            return bad(r, at, what, "detail %zu: object %lu after %lu: not "
                                    "ascending",
                       k, (unsigned long)d->obj, (unsigned long)prev->obj);
        if (d->depth != 0)
            return bad(r, at + 4, what, "detail %zu: a tree starts at depth "
                                        "%lu, not 0",
                       k, (unsigned long)d->depth);
        while (sized < s->n && s->obj[sized] < d->obj)
            sized++;
        if (sized == s->n || s->obj[sized] != d->obj)
            return bad(r, at, what, "detail %zu: object %lu was not sized "
                                    "in this snapshot",
                       k, (unsigned long)d->obj);
        if (d->size != s->size[sized])
            return bad(r, at + 16, what, "detail %zu: size %llu, the object "
                                         "measured %llu",
                       k, (unsigned long long)d->size,
                       (unsigned long long)s->size[sized]);
        up[0] = d->size;
    }
    return FP_OK;
}

static fp_status read_snapshot(reader *r, size_t i, tsnap *s)
{
    const fp_alloc *a = &r->t->alloc;
    size_t at = r->pos, avail;
    uint64_t n, nd;
    char what[48];
    fp_status st;

    snprintf(what, sizeof what, "snapshot %zu", i);
    if ((st = need(r, DUMP_SNAP_LEN, what)) != FP_OK)
        return st;
    s->ts = fp_dump_bits_f64(get_u64(r));
    s->desc = get_u32(r);
    if (get_u32(r) != 0)
        return bad(r, at + 12, what, "reserved bytes are not zero");
    s->tracked_total = get_u64(r);
    s->asizeof_total = get_u64(r);
    s->overhead = get_u64(r);
    s->procmem.vsize = get_u64(r);
    s->procmem.rss = get_u64(r);
    s->procmem.peak_rss = get_u64(r);
    n = get_u64(r);
    nd = get_u64(r);
    if ((st = check_time(r, at, what, s->ts, "timestamp")) != FP_OK ||
        (st = check_str(r, at + 8, what, s->desc)) != FP_OK)
        return st;
    if (n > r->t->objs.len)
        return bad(r, at + 64, what, "%llu objects sized, %zu tracked",
                   (unsigned long long)n, r->t->objs.len);
    avail = r->end - r->pos;
    if (n > avail / DUMP_SIZED_LEN ||
        nd > (avail - (size_t)n * DUMP_SIZED_LEN) / DUMP_DETAIL_LEN)
        return fail(r, FP_ECORRUPT,
                    "truncated in section '%s' (%s) at byte %zu: %llu sizes "
                    "and %llu detail entries announced, %zu bytes left",
                    r->section, what, r->pos, (unsigned long long)n,
                    (unsigned long long)nd, avail);
    /* the counts are bounded by bytes present: nothing here is sized by
     * what a corrupt file merely claims */
    if (n && (!(s->obj = fp_mem_alloc(a, (size_t)n * sizeof *s->obj)) ||
              !(s->size = fp_mem_alloc(a, (size_t)n * sizeof *s->size))))
        return oom(r);
    if (nd && !(s->detail = fp_mem_alloc(a, (size_t)nd * sizeof(tdetail))))
        return oom(r);
    s->n = (size_t)n;
    s->ndetail = (size_t)nd;
    if ((st = read_sized(r, s, what)) != FP_OK)
        return st;
    return read_detail(r, s, what);
}

static fp_status read_snapshots(reader *r)
{
    fp_tracker *t = r->t;
    size_t n, i;
    fp_status st;

    if ((st = get_count(r, DUMP_SNAP_LEN, UINT64_MAX, "snapshot count",
                        &n)) != FP_OK)
        return st;
    if (fp_vec_reserve(&t->snaps, &t->alloc, n) != FP_OK)
        return oom(r);
    for (i = 0; i < n; i++) {
        /* in the vec before it is filled, so fp_tracker_free releases
         * whatever a failure leaves half-read */
        tsnap *s = &TSNAP(t, i);
        memset(s, 0, sizeof *s);
        t->snaps.len++;
        if ((st = read_snapshot(r, i, s)) != FP_OK)
            return st;
    }
    return FP_OK;
}

/* Names unique within one census: diffs and the report match types by
 * name.  names has room for s->ncensus pointers. */
static fp_status check_census_names(reader *r, const tsnap *s, size_t at,
                                    const char *what, const char **names)
{
    size_t i;

    for (i = 0; i < s->ncensus; i++)
        names[i] = fp_strtab_get(&r->t->strs, s->census[i].name);
    qsort(names, s->ncensus, sizeof *names, cmp_name);
    for (i = 1; i < s->ncensus; i++)
        if (strcmp(names[i - 1], names[i]) == 0) {
            char name[64];
            snprintf(name, sizeof name, "%s", names[i]);
            return bad(r, at, what, "type '%s' appears twice", name);
        }
    return FP_OK;
}

/* One entry: a name, reserved zero, and the order every reader relies
 * on; the sums of what came before it stay within the totals. */
static fp_status read_census_entry(reader *r, const tsnap *s, size_t k,
                                   uint64_t *count, uint64_t *flat,
                                   const char *what)
{
    size_t at = r->pos;
    tcensus *e = &s->census[k];
    fp_status st;

    e->name = get_u32(r);
    e->unused = get_u32(r);
    e->count = get_u64(r);
    e->flat = get_u64(r);
    e->deep = get_u64(r);
    if ((st = check_str(r, at, what, e->name)) != FP_OK)
        return st;
    if (e->unused != 0)
        return bad(r, at + 4, what, "type %zu: reserved bytes are not zero",
                   k);
    if (k && !fp_tcensus_before(r->t, e - 1, e))
        return bad(r, at, what, "type %zu is not after type %zu (largest "
                                "size first, then count, then name)",
                   k, k - 1);
    if (e->count > *count || e->flat > *flat)
        return bad(r, at + 8, what, "the types count more than the totals "
                                    "(%llu objects, %llu bytes)",
                   (unsigned long long)s->census_count,
                   (unsigned long long)s->census_flat);
    *count -= e->count;
    *flat -= e->flat;
    return FP_OK;
}

static fp_status read_census(reader *r, size_t i, tsnap *s,
                             const char **names)
{
    size_t at = r->pos, k;
    uint64_t count, flat;
    char what[48];
    fp_status st;

    snprintf(what, sizeof what, "census of snapshot %zu", i);
    if ((st = need(r, DUMP_CENSUS_LEN, what)) != FP_OK)
        return st;
    count = s->census_count = get_u64(r);
    flat = s->census_flat = get_u64(r);
    if ((st = get_count(r, DUMP_CENSUS_ENTRY_LEN, UINT32_MAX, what, &k)) !=
        FP_OK)
        return st;
    if (k && !(s->census = fp_mem_alloc(&r->t->alloc, k * sizeof(tcensus))))
        return oom(r);
    s->ncensus = k;
    for (k = 0; k < s->ncensus; k++)
        if ((st = read_census_entry(r, s, k, &count, &flat, what)) != FP_OK)
            return st;
    return check_census_names(r, s, at, what, names);
}

/* One census per snapshot, in snapshot order (version 2 on). */
static fp_status read_censuses(reader *r)
{
    fp_tracker *t = r->t;
    size_t n, i, most = 0;
    const char **names = NULL;
    fp_status st = FP_OK;

    if ((st = get_count(r, DUMP_CENSUS_LEN, UINT64_MAX, "census count",
                        &n)) != FP_OK)
        return st;
    if (n != t->snaps.len)
        return bad(r, r->pos - 8, "census count", "%zu censuses for %zu "
                                                  "snapshots",
                   n, t->snaps.len);
    /* room to check names: at most one pointer per entry the section's
     * bytes can hold */
    most = (r->end - r->pos) / DUMP_CENSUS_ENTRY_LEN;
    if (most && !(names = fp_mem_alloc(&t->alloc, most * sizeof *names)))
        return oom(r);
    for (i = 0; i < n && st == FP_OK; i++)
        st = read_census(r, i, &TSNAP(t, i), names);
    fp_mem_free(&t->alloc, names);
    return st;
}

/* Every live object's handle must be unique: the live index maps a handle
 * to one object. */
static fp_status index_live(reader *r)
{
    fp_tracker *t = r->t;
    size_t i, live = 0;

    if (fp_tracker_reindex(t) != FP_OK)
        return oom(r);
    for (i = 0; i < t->objs.len; i++)
        live += !(TOBJ(t, i).flags & (TOBJ_DEAD | TOBJ_DETACHED));
    if (live != t->nlive)
        return fail(r, FP_ECORRUPT,
                    "corrupt dump: section 'objects': %zu live objects but "
                    "%zu distinct handles among them",
                    live, t->nlive);
    return FP_OK;
}

/* ---- header ---- */

static fp_status read_header(reader *r, size_t len)
{
    const unsigned char *b = r->buf;
    uint32_t version, flags;
    uint64_t payload, sum, want;

    r->section = "header";
    if (len < DUMP_MAGIC_LEN) {
        if (memcmp(b, DUMP_MAGIC, len) == 0)
            return fail(r, FP_ECORRUPT,
                        "truncated in the header at byte %zu: a dump starts "
                        "with %d header bytes",
                        len, DUMP_HEADER_LEN);
        return fail(r, FP_EFORMAT, "not a footprint dump (no magic number)");
    }
    if (memcmp(b, DUMP_MAGIC, DUMP_MAGIC_LEN) != 0)
        return fail(r, FP_EFORMAT, "not a footprint dump (bad magic number)");
    if (len < 12)
        return fail(r, FP_ECORRUPT, "truncated in the header at byte %zu",
                    len);
    version = r->version = dump_get_u32(b + 8);
    if (version == 0 || version > FP_DUMP_VERSION)
        return fail(r, FP_EFORMAT,
                    "dump format version %lu, this build reads up to %d",
                    (unsigned long)version, FP_DUMP_VERSION);
    if (len < DUMP_HEADER_LEN)
        return fail(r, FP_ECORRUPT, "truncated in the header at byte %zu",
                    len);
    flags = dump_get_u32(b + 12);
    if (flags != 0)
        return fail(r, FP_ECORRUPT,
                    "corrupt dump: header flags 0x%lx at byte 12 (must be 0)",
                    (unsigned long)flags);
    payload = dump_get_u64(b + 16);
    if (payload > len - DUMP_HEADER_LEN)
        return fail(r, FP_ECORRUPT,
                    "truncated at byte %zu: the header announces %llu "
                    "payload bytes, the file holds %zu",
                    len, (unsigned long long)payload, len - DUMP_HEADER_LEN);
    if (payload < len - DUMP_HEADER_LEN)
        return fail(r, FP_ECORRUPT,
                    "corrupt dump: %llu bytes of trailing garbage at byte "
                    "%llu",
                    (unsigned long long)(len - DUMP_HEADER_LEN - payload),
                    (unsigned long long)(DUMP_HEADER_LEN + payload));
    sum = dump_get_u64(b + 24);
    want = XXH3_64bits(b + DUMP_HEADER_LEN, len - DUMP_HEADER_LEN);
    if (sum != want)
        return fail(r, FP_ECORRUPT,
                    "corrupt dump: checksum mismatch (stored %016llx, "
                    "computed %016llx over %zu payload bytes)",
                    (unsigned long long)sum, (unsigned long long)want,
                    len - DUMP_HEADER_LEN);
    r->pos = DUMP_HEADER_LEN;
    return FP_OK;
}

static fp_status read_payload(reader *r, size_t len)
{
    static fp_status (*const readers[SEC_COUNT])(reader *) = {
        read_strings, read_classes, read_objects, read_snapshots,
        read_censuses};
    int i, nsec = r->version < DUMP_VERSION_CENSUS ? SEC_CENSUS : SEC_COUNT;
    fp_status st;

    for (i = 0; i < nsec; i++)
        if ((st = open_section(r, i, len)) != FP_OK ||
            (st = readers[i](r)) != FP_OK || (st = close_section(r)) != FP_OK)
            return st;
    r->section = "objects";
    if (r->pos != len)
        return fail(r, FP_ECORRUPT,
                    "corrupt dump: %zu bytes after the last section at "
                    "byte %zu",
                    len - r->pos, r->pos);
    return index_live(r);
}

/* Reads buf into a new tracker with t's allocator, then swaps it in. */
static fp_status load_into(fp_tracker *t, const void *buf, size_t len)
{
    reader r;
    fp_status st;

    memset(&r, 0, sizeof r);
    r.msg = t->errmsg;
    r.buf = buf ? buf : (const void *)"";
    if ((st = read_header(&r, len)) != FP_OK)
        return st;
    if ((st = fp_tracker_new(&r.t, NULL, &t->alloc)) != FP_OK)
        return fail(&r, st, "out of memory creating the tracker");
    st = read_payload(&r, len);
    if (st == FP_OK)
        fp_tracker_swap_contents(t, r.t);
    fp_tracker_free(r.t);
    return st;
}

/* The checks every load starts with; clears t's message. */
static fp_status can_load(fp_tracker *t, const void *arg, const char *what)
{
    if (!t)
        return FP_EINVAL;
    t->errmsg[0] = '\0';
    if (t->has_host) {
        fp_errmsg_set(t->errmsg, "%s: a tracker with a host cannot load a "
                                 "dump", what);
        return FP_EINVAL;
    }
    if (!arg) {
        fp_errmsg_set(t->errmsg, "%s: nothing to load", what);
        return FP_EINVAL;
    }
    return FP_OK;
}

fp_status fp_tracker_load_buffer(fp_tracker *t, const void *buf, size_t len)
{
    fp_status st = can_load(t, buf || !len ? "" : NULL,
                            "fp_tracker_load_buffer");

    if (st != FP_OK)
        return st;
    return load_into(t, buf, len);
}

/* ---- files ---- */

/* The whole file, read through the allocator hook. */
static fp_status read_file(const char *path, const fp_alloc *a,
                           unsigned char **out, size_t *outlen, char *msg)
{
    FILE *f = fopen(path, "rb");
    unsigned char *buf = NULL;
    size_t len = 0, cap = 0;
    fp_status st = FP_OK;

    if (!f) {
        fp_errmsg_set(msg, "cannot open '%s': %s", path, strerror(errno));
        return FP_EIO;
    }
    for (;;) {
        size_t got;
        if (len == cap) {
            size_t ncap = cap ? cap * 2 : 65536;
            unsigned char *p;
            if (ncap < cap || !(p = fp_mem_realloc(a, buf, ncap))) {
                fp_errmsg_set(msg,
                              "out of memory reading '%s' (%zu bytes so far)",
                              path, len);
                st = FP_ENOMEM;
                break;
            }
            buf = p;
            cap = ncap;
        }
        got = fread(buf + len, 1, cap - len, f);
        len += got;
        if (got == 0) {
            if (ferror(f)) {
                fp_errmsg_set(msg, "cannot read '%s': %s", path,
                              strerror(errno));
                st = FP_EIO;
            }
            break;
        }
    }
    fclose(f);
    if (st != FP_OK) {
        fp_mem_free(a, buf);
        return st;
    }
    *out = buf;
    *outlen = len;
    return FP_OK;
}

/* "path: message", cut to FP_ERRMSG_SIZE: the CLI prints it as it is. */
static void prefix_path(char *msg, const char *path)
{
    char inner[FP_ERRMSG_SIZE];

    memcpy(inner, msg, sizeof inner);
    fp_errmsg_set(msg, "%s: %s", path, inner);
}

fp_status fp_tracker_load(fp_tracker *t, const char *path)
{
    unsigned char *buf = NULL;
    size_t len = 0;
    fp_status st = can_load(t, path, "fp_tracker_load");

    if (st != FP_OK)
        return st;
    if ((st = read_file(path, &t->alloc, &buf, &len, t->errmsg)) != FP_OK)
        return st;
    st = load_into(t, buf, len);
    fp_mem_free(&t->alloc, buf);
    if (st != FP_OK)
        prefix_path(t->errmsg, path);
    return st;
}
