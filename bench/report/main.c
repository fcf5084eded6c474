/*
 * main.c - the HTML report's bench: time and bytes of fp_report_html for
 * a tracker of 10k and 100k instances, against writing the same tracker's
 * dump (fp_tracker_dump_buffer, one pass over the same data), side by side
 * in one run.
 *
 * Usage: report-bench [-o FILE] [instances...]   (default: 10000 100000)
 *        -o writes the last report to FILE, to look at.
 *
 * The tracker imitates a build: 24 classes of very different sizes, five
 * snapshots, a third of the instances dying along the way, two classes
 * recorded with per-referent detail.  Each repetition times the dump then
 * the report; each keeps its best of five.  Targets (issue 6): a report of
 * 100k instances in under a second and under a few MB (4 MiB here).
 */
#include "fp_report.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define NCLASSES 24
#define NSNAPS 5
#define REPEAT 5
#define TARGET_SECONDS 1.0
#define TARGET_BYTES (4.0 * 1024 * 1024)

/* Object i is an instance; its three referents are leaves numbered after
 * all instances.  Handles are (number + 1) * 16. */
typedef struct world {
    size_t n;
    unsigned char *dead;
} world;

#define HANDLE(i) ((fp_handle)(((i) + 1) * 16))
#define NUMBER(h) ((size_t)((h) / 16 - 1))

static const char *const attr[3] = {".name", ".abspath", "._memo: {...}"};

static fp_status inspect(void *ctx, fp_handle obj, fp_info *info)
{
    world *w = ctx;
    size_t i = NUMBER(obj);

    info->cls = 0;
    if (i < w->n) {
        info->flat = 48 + 16 * (i % NCLASSES);
        info->flags = 0;
    } else {
        info->flat = 32 + 8 * ((i - w->n) % 97);
        info->flags = FP_INFO_LEAF;
    }
    return FP_OK;
}

static fp_status referents(void *ctx, fp_handle obj, int names,
                           fp_visit_fn visit, void *arg)
{
    world *w = ctx;
    size_t i = NUMBER(obj), k;

    if (i >= w->n)
        return FP_OK;
    for (k = 0; k < 3; k++) {
        const char *name = names ? attr[k] : NULL;
        if (visit(arg, HANDLE(w->n + 3 * i + k), name,
                  name ? strlen(name) : 0))
            break;
    }
    return FP_OK;
}

static int alive(void *ctx, fp_handle obj)
{
    world *w = ctx;

    return !w->dead[NUMBER(obj)];
}

static double now(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static void check(fp_status st, const char *what)
{
    if (st != FP_OK) {
        fprintf(stderr, "report-bench: %s: %s\n", what, fp_strerror(st));
        exit(1);
    }
}

static fp_tracker *build(world *w, size_t n)
{
    fp_host host = {0};
    fp_tracker *t;
    size_t c, i, born = 0;
    char name[64], repr[96];
    int s;

    w->n = n;
    w->dead = calloc(n, 1);
    if (!w->dead)
        check(FP_ENOMEM, "world");
    host.ctx = w;
    host.inspect = inspect;
    host.referents = referents;
    host.alive = alive;
    check(fp_tracker_new(&t, &host, NULL), "tracker");
    for (c = 0; c < NCLASSES; c++) {
        snprintf(name, sizeof name, "pkg.module%zu.Class%zu", c % 5, c);
        check(fp_tracker_add_class(t, name, c < 2 ? 1 : 0,
                                   c % 3 ? 0 : FP_CLASS_TRACE, NULL),
              "class");
    }
    for (s = 0; s < NSNAPS; s++) {
        size_t upto = n * (size_t)(s + 1) / NSNAPS;
        char desc[64];
        for (i = born; i < upto; i++) {
            /* class c gets a share of instances falling with c */
            size_t h = (i * 2654435761u) % (NCLASSES * (NCLASSES + 1) / 2);
            for (c = 0; h >= NCLASSES - c; c++)
                h -= NCLASSES - c;
            snprintf(repr, sizeof repr, "<Class%zu object #%zu>", c, i);
            check(fp_tracker_track(t, HANDLE(i), c, 0.01 * (double)i / 100,
                                   c < 2 ? 1 : 0, repr,
                                   c % 3 ? NULL
                                         : "  File \"build.py\", line 12\n",
                                   NULL),
                  "track");
        }
        born = upto;
        /* a third of the older instances die before the next snapshot */
        for (i = s % 3; i < born / 2; i += 3)
            w->dead[i] = 1;
        snprintf(desc, sizeof desc, "phase %d of the build", s + 1);
        check(fp_tracker_snapshot(t, 0.01 * (double)born / 100 + 1, desc,
                                  NULL, 0),
              "snapshot");
    }
    return t;
}

/* The page of t to path: 0, or 1 with the reason on stderr. */
static int write_page(const fp_tracker *t, const char *path)
{
    fp_text *x = NULL;
    fp_status st = fp_text_new(&x, NULL);

    if (st == FP_OK)
        st = fp_report_html(t, NULL, x);
    if (st == FP_OK)
        st = fp_text_write(x, path);
    if (st != FP_OK)
        fprintf(stderr, "report-bench: %s\n",
                x && *fp_text_errmsg(x) ? fp_text_errmsg(x)
                                        : fp_strerror(st));
    fp_text_free(x);
    return st != FP_OK;
}

int main(int argc, char **argv)
{
    static const size_t defaults[] = {10000, 100000};
    size_t sizes[16], nsizes = 0, k;
    const char *out = NULL;
    int failed = 0;

    for (k = 1; k < (size_t)argc && nsizes < 16; k++) {
        if (strcmp(argv[k], "-o") == 0 && k + 1 < (size_t)argc)
            out = argv[++k];
        else
            sizes[nsizes++] = (size_t)strtoull(argv[k], NULL, 10);
    }
    if (!nsizes) {
        memcpy(sizes, defaults, sizeof defaults);
        nsizes = 2;
    }
    printf("report-bench: HTML report (fp_report_html, default options) vs "
           "the same tracker's dump\n(fp_tracker_dump_buffer), best of %d; "
           "%d classes, %d snapshots, detail on 2 classes\n\n",
           REPEAT, NCLASSES, NSNAPS);
    printf("%10s %11s %13s %9s %13s %12s  %s\n", "instances", "report ms",
           "report bytes", "dump ms", "dump bytes", "report/dump",
           "target (<1 s, <4 MiB)");
    for (k = 0; k < nsizes; k++) {
        world w;
        fp_tracker *t = build(&w, sizes[k]);
        double best_r = 1e9, best_d = 1e9;
        size_t bytes = 0, dump_bytes = 0;
        int r, ok;

        for (r = 0; r < REPEAT; r++) {
            fp_text *x;
            unsigned char *buf;
            size_t len;
            double t0 = now(), t1, t2;

            check(fp_tracker_dump_buffer(t, &buf, &len), "dump");
            t1 = now();
            fp_tracker_buffer_free(t, buf);
            check(fp_text_new(&x, NULL), "text");
            t2 = now();
            check(fp_report_html(t, NULL, x), "report");
            if (now() - t2 < best_r)
                best_r = now() - t2;
            if (t1 - t0 < best_d)
                best_d = t1 - t0;
            bytes = fp_text_len(x);
            dump_bytes = len;
            fp_text_free(x);
        }
        ok = best_r < TARGET_SECONDS && (double)bytes < TARGET_BYTES;
        failed |= sizes[k] >= 100000 && !ok;
        printf("%10zu %11.1f %13zu %9.1f %13zu %11.2fx  %s\n", sizes[k],
               best_r * 1e3, bytes, best_d * 1e3, dump_bytes,
               best_d > 0 ? best_r / best_d : 0.0, ok ? "ok" : "MISSED");
        if (out && k + 1 == nsizes)
            failed |= write_page(t, out);
        fp_tracker_free(t);
        free(w.dead);
    }
    return failed;
}
