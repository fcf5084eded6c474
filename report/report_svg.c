/*
 * report_svg.c - the report's charts, drawn as inline SVG.
 *
 * Every chart is an <svg> with a viewBox (it scales with the page) whose
 * drawn series carry data-series attributes, so tests can find each series
 * without knowing the geometry.  Hovering a shape shows its <title>: the
 * exact figures, with no script.  Styling lives in the page's stylesheet;
 * only data colours are inline.
 */
#include "report.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

/* Tableau 10 without its grey, which marks "other". */
static const char *const palette[RP_PALETTE] = {
    "#4e79a7", "#f28e2b", "#59a14f", "#e15759", "#76b7b2",
    "#edc948", "#b07aa1", "#ff9da7", "#9c755f"};
static const char other_colour[] = "#bab0ac";

const char *rp_colour(int slot)
{
    return slot < 0 ? other_colour : palette[slot % RP_PALETTE];
}

#define MIB (1024.0 * 1024.0)
/* Bar labels keep the end of long class names; 22 characters of 13px
 * text fit the 196 units left of the bars. */
#define LABEL_CHARS 22

/* ---- a small printf for markup: %c a coordinate (double, one decimal at
 * most), %s raw text, %t escaped text, %u a size_t, %% a percent sign ---- */

static void coord(fp_text *out, double v)
{
    double tenths = v * 10.0;
    long long q = (long long)(tenths < 0 ? tenths - 0.5 : tenths + 0.5);

    rp_fixed(out, v, q % 10 ? 1 : 0);
}

static void svgf(fp_text *out, const char *fmt, ...)
{
    va_list ap;
    const char *p, *run = fmt;

    va_start(ap, fmt);
    for (p = fmt; *p; p++) {
        if (*p != '%')
            continue;
        fp_text_put(out, run, (size_t)(p - run));
        switch (*++p) {
        case 'c':
            coord(out, va_arg(ap, double));
            break;
        case 's':
            rp_put(out, va_arg(ap, const char *));
            break;
        case 't':
            rp_esc_str(out, va_arg(ap, const char *));
            break;
        case 'u':
            rp_count(out, (uint64_t)va_arg(ap, size_t));
            break;
        default:
            fp_text_put(out, p, 1);
            break;
        }
        run = p + 1;
    }
    fp_text_put(out, run, (size_t)(p - run));
    va_end(ap);
}

/* ---- frames and axes ---- */

typedef struct frame {
    double w, h;          /* viewBox */
    double l, r, t, b;    /* margins */
    double x0, x1, y0, y1;
} frame;

static double px(const frame *f, double x)
{
    return f->l + (x - f->x0) / (f->x1 - f->x0) * (f->w - f->l - f->r);
}

static double py(const frame *f, double y)
{
    return f->h - f->b - (y - f->y0) / (f->y1 - f->y0) * (f->h - f->t - f->b);
}

/* A 1, 2 or 5 times a power of ten step giving about `target` ticks over
 * span, and the decimals its labels need. */
static double nice_step(double span, int target, int *decimals)
{
    double raw = span / target, mag = 1.0, f, step;
    int dec = 0;

    if (!(raw > 0) || raw > 1e15)
        raw = 1.0;
    while (mag * 10.0 <= raw)
        mag *= 10.0;
    while (mag > raw && dec < 9) {
        mag /= 10.0;
        dec++;
    }
    f = raw / mag;
    step = f <= 1.0 ? 1.0 : f <= 2.0 ? 2.0 : f <= 5.0 ? 5.0 : 10.0;
    if (step == 10.0 && dec > 0)
        dec--;
    *decimals = dec;
    return step * mag;
}

/* Round top up to a whole number of steps so the top gridline is labelled. */
static double nice_top(double top, double step)
{
    double n = (double)(long long)(top / step);

    if (n * step < top - step * 1e-9)
        n += 1.0;
    return n < 1.0 ? step : n * step;
}

static void svg_open(fp_text *out, const frame *f, const char *kind,
                     const char *label)
{
    svgf(out,
         "<svg class=\"%s\" data-chart=\"%s\" viewBox=\"0 0 %c %c\" "
         "role=\"img\" aria-label=\"%t\">",
         kind, kind, f->w, f->h, label);
}

/* Horizontal gridlines with labels on the left, the x axis with ticks
 * every xstep, and both axis titles. */
static void axes(fp_text *out, const frame *f, double ystep, int ydec,
                 double xstep, int xdec, const char *xtitle,
                 const char *ytitle)
{
    double v, left = f->l, right = f->w - f->r, bottom = f->h - f->b;

    rp_put(out, "<g class=\"grid\">");
    for (v = f->y0; v <= f->y1 + ystep * 1e-6; v += ystep) {
        svgf(out, "<line x1=\"%c\" y1=\"%c\" x2=\"%c\" y2=\"%c\"/>", left,
             py(f, v), right, py(f, v));
    }
    rp_put(out, "</g><g class=\"axis y\">");
    for (v = f->y0; v <= f->y1 + ystep * 1e-6; v += ystep) {
        svgf(out, "<text x=\"%c\" y=\"%c\">", left - 6, py(f, v) + 4);
        rp_fixed(out, v, ydec);
        rp_put(out, "</text>");
    }
    svgf(out,
         "<text class=\"title\" transform=\"translate(%c %c) rotate(-90)\">"
         "%t</text></g>",
         14.0, f->t + (bottom - f->t) / 2, ytitle);
    svgf(out, "<g class=\"axis x\"><line x1=\"%c\" y1=\"%c\" x2=\"%c\" "
              "y2=\"%c\"/>",
         left, bottom, right, bottom);
    for (v = f->x0; v <= f->x1 + xstep * 1e-6; v += xstep) {
        svgf(out, "<line x1=\"%c\" y1=\"%c\" x2=\"%c\" y2=\"%c\"/>",
             px(f, v), bottom, px(f, v), bottom + 4);
        svgf(out, "<text x=\"%c\" y=\"%c\">", px(f, v), bottom + 17);
        rp_fixed(out, v, xdec);
        rp_put(out, "</text>");
    }
    svgf(out, "<text class=\"title\" x=\"%c\" y=\"%c\">%t</text></g>",
         left + (right - left) / 2, f->h - 6, xtitle);
}

/* A wide chart of bytes over time: the frame's y axis to ymax bytes (in
 * MiB, with a little headroom), its x axis to f->x1 seconds, opened as
 * an svg of the given kind and title, axes drawn. */
static void time_chart_open(fp_text *out, frame *f, double ymax,
                            const char *kind, const char *title)
{
    double ystep, xstep;
    int ydec, xdec;

    ymax /= MIB;
    ystep = nice_step(ymax > 0 ? ymax : 1, 5, &ydec);
    f->y1 = nice_top(ymax > 0 ? ymax * 1.02 : 1, ystep);
    xstep = nice_step(f->x1, 8, &xdec);
    rp_put(out, "<figure class=\"chart wide\">");
    svg_open(out, f, kind, title);
    axes(out, f, ystep, ydec, xstep, xdec, "time (s)", "MiB");
}

/* Numbered markers at the shown snapshots, staggered when crowded. */
static void markers(fp_text *out, const frame *f, const rp_data *d)
{
    double last = -1e9;
    int row = 0;
    size_t i;

    rp_put(out, "<g class=\"marks\">");
    for (i = 0; i < d->nshown; i++) {
        size_t s = d->shown[i];
        const fp_snapshot_info *sn = &d->snap[s];
        double x = px(f, sn->timestamp - d->t0);
        char num[24];

        row = x - last < 16 ? !row : 0;
        last = x;
        snprintf(num, sizeof num, "%zu", s + 1);
        svgf(out,
             "<g data-series=\"snapshot\"><title>snapshot %s: %t</title>"
             "<line x1=\"%c\" y1=\"%c\" x2=\"%c\" y2=\"%c\"/>"
             "<text x=\"%c\" y=\"%c\">%s</text></g>",
             num, sn->desc, x, f->t - 2, x,
             f->h - f->b, x, f->t - 8 - row * 12, num);
    }
    rp_put(out, "</g>");
}

/* ---- memory over time ---- */

static double snap_x(const rp_data *d, size_t s)
{
    return d->snap[s].timestamp - d->t0;
}

/* Bytes of series k (a rank position, or ntop for "other") in snap s. */
static double series_bytes(const rp_data *d, size_t k, size_t s)
{
    const uint64_t *sum = d->sum + s * d->ncls;
    double v = 0;
    size_t i;

    if (k < d->ntop)
        return (double)sum[d->rank[k]];
    for (i = d->ntop; i < d->ncls; i++)
        v += (double)sum[d->rank[i]];
    return v;
}

static void stack_series(fp_text *out, const frame *f, const rp_data *d,
                         size_t k, double *base)
{
    size_t s, n = d->nsnap;
    int other = k >= d->ntop;
    const char *name = other ? "other classes" : d->cls[d->rank[k]].name;

    svgf(out, "<path data-series=\"%s\" data-class=\"%t\" fill=\"%s\" d=\"",
         other ? "other" : "class", name,
         rp_colour(other ? -1 : d->cls[d->rank[k]].slot));
    if (n == 1) {
        /* one snapshot has no width: draw a column around it */
        double x = px(f, snap_x(d, 0)), lo = x - 14, hi = x + 14;
        double v = series_bytes(d, k, 0) / MIB;
        if (lo < f->l)
            lo = f->l, hi = f->l + 28;
        if (hi > f->w - f->r)
            hi = f->w - f->r, lo = hi - 28;
        svgf(out, "M%c %cH%cV%cH%cZ", lo, py(f, base[0]), hi,
             py(f, base[0] + v), lo);
        base[0] += v;
    } else {
        for (s = 0; s < n; s++)
            svgf(out, "%s%c %c", s ? "L" : "M", px(f, snap_x(d, s)),
                 py(f, base[s] + series_bytes(d, k, s) / MIB));
        for (s = n; s-- > 0;) {
            svgf(out, "L%c %c", px(f, snap_x(d, s)), py(f, base[s]));
            base[s] += series_bytes(d, k, s) / MIB;
        }
        rp_put(out, "Z");
    }
    svgf(out, "\"><title>%t</title></path>", name);
}

/* A line through the snapshots where value() is known (non-zero). */
static void line_series(fp_text *out, const frame *f, const rp_data *d,
                        const char *series, const char *title, int which)
{
    size_t s, i, drawn = 0;

    svgf(out, "<g data-series=\"%s\" class=\"line %s\"><title>%s</title>"
              "<path d=\"",
         series, series, title);
    for (s = 0; s < d->nsnap; s++) {
        const fp_snapshot_info *sn = &d->snap[s];
        uint64_t v = which == 0 ? sn->tracked_total
                   : which == 1 ? sn->procmem.rss : sn->asizeof_total;
        if (!v && which)
            continue;
        svgf(out, "%s%c %c", drawn++ ? "L" : "M", px(f, snap_x(d, s)),
             py(f, (double)v / MIB));
    }
    rp_put(out, "\"/>");
    for (i = 0; i < d->nshown; i++) {
        const fp_snapshot_info *sn = &d->snap[d->shown[i]];
        uint64_t v = which == 0 ? sn->tracked_total
                   : which == 1 ? sn->procmem.rss : sn->asizeof_total;
        if (!v && which)
            continue;
        svgf(out, "<circle cx=\"%c\" cy=\"%c\" r=\"3\"><title>%s, snapshot ",
             px(f, snap_x(d, d->shown[i])), py(f, (double)v / MIB), title);
        rp_count(out, d->shown[i] + 1);
        rp_put(out, ": ");
        rp_size(out, (double)v);
        rp_put(out, "</title></circle>");
    }
    rp_put(out, "</g>");
}

static void timeline_legend(fp_text *out, const rp_data *d, int other,
                            int rss, int host)
{
    size_t k;

    rp_put(out, "<ul class=\"legend\">");
    for (k = 0; k < d->ntop; k++) {
        const rp_class *c = &d->cls[d->rank[k]];
        svgf(out, "<li><span class=\"sw\" style=\"background:%s\"></span>",
             rp_colour(c->slot));
        if (c->linked) {
            rp_put(out, "<a href=\"#c");
            rp_count(out, d->rank[k]);
            svgf(out, "\">%t</a></li>", c->name);
        } else {
            svgf(out, "%t</li>", c->name);
        }
    }
    if (other)
        svgf(out, "<li><span class=\"sw\" style=\"background:%s\"></span>"
                  "other classes</li>",
             rp_colour(-1));
    rp_put(out, "<li><span class=\"sw ln total\"></span>tracked total</li>");
    if (host)
        rp_put(out, "<li><span class=\"sw ln host\"></span>all objects "
                    "(host&#39;s total)</li>");
    if (rss)
        rp_put(out, "<li><span class=\"sw ln rss\"></span>process memory "
                    "(rss)</li>");
    rp_put(out, "</ul>");
}

fp_status rp_chart_timeline(fp_text *out, const rp_data *d)
{
    frame f = {760, 330, 62, 18, 34, 46, 0, 1, 0, 1};
    double ymax = 0, *base;
    int rss = 0, host = 0, other = 0;
    size_t s, k;

    if (!d->nsnap) {
        rp_put(out, "<p class=\"empty\">No snapshot was taken, so there is "
                    "nothing to draw.</p>");
        return FP_OK;
    }
    base = fp_mem_alloc(&d->alloc, fp_mul_size(d->nsnap, sizeof *base));
    if (!base)
        return FP_ENOMEM;
    for (s = 0; s < d->nsnap; s++) {
        const fp_snapshot_info *sn = &d->snap[s];
        double stack = 0;
        for (k = 0; k <= d->ntop; k++)
            stack += series_bytes(d, k, s);
        if (stack > ymax)
            ymax = stack;
        if ((double)sn->tracked_total > ymax)
            ymax = (double)sn->tracked_total;
        if ((double)sn->procmem.rss > ymax)
            ymax = (double)sn->procmem.rss;
        if ((double)sn->asizeof_total > ymax)
            ymax = (double)sn->asizeof_total;
        other |= series_bytes(d, d->ntop, s) > 0;
        rss |= sn->procmem.rss != 0;
        host |= sn->asizeof_total != 0;
        if (snap_x(d, s) > f.x1)
            f.x1 = snap_x(d, s);
        base[s] = 0;
    }
    time_chart_open(out, &f, ymax, "timeline",
                    "Memory over time, stacked by class");
    rp_put(out, "<g class=\"areas\">");
    for (k = 0; k < d->ntop + (size_t)other; k++)
        stack_series(out, &f, d, k, base);
    rp_put(out, "</g>");
    markers(out, &f, d);
    if (host)
        line_series(out, &f, d, "host", "all objects (host&#39;s total)", 2);
    if (rss)
        line_series(out, &f, d, "rss", "process memory (rss)", 1);
    line_series(out, &f, d, "total", "tracked total", 0);
    rp_put(out, "</svg><figcaption>");
    timeline_legend(out, d, other, rss, host);
    rp_put(out, "</figcaption></figure>");
    fp_mem_free(&d->alloc, base);
    return FP_OK;
}

/* ---- distribution bars ---- */

/* Close a bar's <title> and write its label at (x, y), a link to the
 * class's section when it has one: the same for sizes and deltas. */
static void bar_label(fp_text *out, const rp_series *b, double x, double y)
{
    rp_put(out, "</title>");
    if (b->href)
        svgf(out, "<a href=\"%s\">", b->href);
    svgf(out, "<text class=\"lbl\" x=\"%c\" y=\"%c\">", x, y);
    rp_esc_cut(out, b->label, LABEL_CHARS, 1);
    rp_put(out, "</text>");
    if (b->href)
        rp_put(out, "</a>");
}

void rp_chart_bars(fp_text *out, const rp_series *s, size_t n,
                   const char *label)
{
    frame f = {480, 0, 196, 76, 6, 6, 0, 1, 0, 1};
    double vmax = 0, row = 24, width;
    size_t i;

    for (i = 0; i < n; i++)
        if (s[i].value > vmax)
            vmax = s[i].value;
    f.h = f.t + f.b + row * (double)(n ? n : 1);
    width = f.w - f.l - f.r;
    rp_put(out, "<figure class=\"chart bars\">");
    svg_open(out, &f, "bars", label);
    for (i = 0; i < n; i++) {
        double y = f.t + row * (double)i, w;
        w = vmax > 0 ? s[i].value / vmax * width : 0;
        if (s[i].value > 0 && w < 1)
            w = 1;
        svgf(out, "<g data-series=\"bar\"><title>%t: ", s[i].label);
        rp_size(out, s[i].value);
        bar_label(out, &s[i], f.l - 8, y + row / 2 + 4);
        svgf(out,
             "<rect x=\"%c\" y=\"%c\" width=\"%c\" height=\"%c\" "
             "fill=\"%s\"/><text class=\"val\" x=\"%c\" y=\"%c\">",
             f.l, y + 4, w, row - 8, rp_colour(s[i].slot), f.l + w + 6,
             y + row / 2 + 4);
        rp_size(out, s[i].value);
        rp_put(out, "</text></g>");
    }
    rp_put(out, "</svg></figure>");
}

/* ---- live instances over time ---- */

void rp_chart_lifetime(fp_text *out, const rp_data *d, const uint32_t *live,
                       size_t nbins, const char *label)
{
    frame f = {760, 190, 62, 18, 26, 42, 0, 1, 0, 1};
    double xstep, ystep, bw;
    uint32_t top = 0;
    int xdec, ydec;
    size_t k;

    for (k = 0; k <= nbins; k++)
        if (live[k] > top)
            top = live[k];
    f.x1 = d->t1 - d->t0 > 0 ? d->t1 - d->t0 : 1;
    ystep = nice_step(top ? top : 1, 4, &ydec);
    if (ystep < 1) {
        ystep = 1;
        ydec = 0;
    }
    f.y1 = nice_top(top ? top : 1, ystep);
    xstep = nice_step(f.x1, 8, &xdec);
    bw = (f.x1 - f.x0) / (double)nbins;

    rp_put(out, "<figure class=\"chart wide\">");
    svg_open(out, &f, "lifetime", label);
    axes(out, &f, ystep, ydec, xstep, xdec, "time (s)", "live instances");
    markers(out, &f, d);
    /* a step path: one H per slice, a V only where the count changes */
    rp_put(out, "<g data-series=\"live\" class=\"live\"><title>");
    rp_esc_str(out, label);
    svgf(out, "</title><path d=\"M%c %c", px(&f, 0), py(&f, 0));
    for (k = 0; k < nbins; k++) {
        if (!k || live[k] != live[k - 1])
            svgf(out, "V%c", py(&f, live[k]));
        svgf(out, "H%c", px(&f, bw * (double)(k + 1)));
    }
    /* the drop of deaths seen in the last slice, at the right edge */
    if (live[nbins] != live[nbins - 1])
        svgf(out, "V%c", py(&f, live[nbins]));
    svgf(out, "V%cZ\"/></g></svg></figure>", py(&f, 0));
}

/* ---- deltas ---- */

void rp_chart_delta(fp_text *out, const rp_series *s, size_t n,
                    const char *label)
{
    frame f = {660, 0, 214, 10, 6, 6, 0, 1, 0, 1};
    double vmax = 0, row = 24, half, mid, valw = 84, span;
    int grows = 0, shrinks = 0;
    size_t i;

    for (i = 0; i < n; i++) {
        double a = s[i].value < 0 ? -s[i].value : s[i].value;
        if (a > vmax)
            vmax = a;
        grows |= s[i].value > 0;
        shrinks |= s[i].value < 0;
    }
    f.h = f.t + f.b + row * (double)(n ? n : 1);
    /* the zero line sits where the bars need it: in the middle only when
     * some classes grew and others shrank */
    span = f.w - f.l - f.r - valw * (grows && shrinks ? 2 : 1);
    half = grows && shrinks ? span / 2 : span;
    mid = shrinks && !grows ? f.l + valw + span
        : grows && shrinks ? f.l + valw + half : f.l;
    rp_put(out, "<figure class=\"chart bars\">");
    svg_open(out, &f, "delta", label);
    svgf(out, "<line class=\"zero\" x1=\"%c\" y1=\"%c\" x2=\"%c\" y2=\"%c\"/>",
         mid, f.t, mid, f.h - f.b);
    for (i = 0; i < n; i++) {
        double y = f.t + row * (double)i, v = s[i].value;
        double w = vmax > 0 ? (v < 0 ? -v : v) / vmax * half : 0;
        int grow = v > 0;
        if (v != 0 && w < 1)
            w = 1;
        svgf(out, "<g data-series=\"delta\" class=\"%s\"><title>%t: ",
             grow ? "grow" : "shrink", s[i].label);
        rp_size_delta(out, v);
        bar_label(out, &s[i], f.l - 8, y + row / 2 + 4);
        svgf(out,
             "<rect x=\"%c\" y=\"%c\" width=\"%c\" height=\"%c\"/>"
             "<text class=\"val%s\" x=\"%c\" y=\"%c\">",
             grow ? mid : mid - w, y + 4, w, row - 8, grow ? "" : " neg",
             grow ? mid + w + 6 : mid - w - 6, y + row / 2 + 4);
        rp_size_delta(out, v);
        rp_put(out, "</text></g>");
    }
    rp_put(out, "</svg></figure>");
}

/* ---- the largest types over time ---- */

/* Series k: a path through the snapshots whose census knows the type
 * (those without a census are stepped over, one that does not know it
 * breaks the line), and a point with its figure at each shown one. */
static void type_series(fp_text *out, const frame *f, const rp_data *d,
                        const rp_types *ty, size_t k)
{
    const uint64_t *flat = ty->flat + k * d->nsnap;
    const unsigned char *known = ty->known + k * d->nsnap;
    const char *colour = rp_colour((int)k);
    size_t s, i;
    int pen = 0;

    /* the tracked total's line, in the type's colour: the stylesheet
     * stays as it was for pages without a census */
    svgf(out, "<g data-series=\"type\" data-type=\"%t\" class=\"line\">"
              "<title>%t</title><path style=\"stroke:%s\" d=\"",
         ty->name[k], ty->name[k], colour);
    for (s = 0; s < d->nsnap; s++) {
        if (!ty->taken[s])
            continue;
        if (!known[s]) {
            pen = 0;
            continue;
        }
        svgf(out, "%s%c %c", pen ? "L" : "M", px(f, snap_x(d, s)),
             py(f, (double)flat[s] / MIB));
        pen = 1;
    }
    rp_put(out, "\"/>");
    for (i = 0; i < d->nshown; i++) {
        s = d->shown[i];
        if (!ty->taken[s] || !known[s])
            continue;
        svgf(out, "<circle style=\"fill:%s\" cx=\"%c\" cy=\"%c\" r=\"3\">"
                  "<title>%t, snapshot %u: ",
             colour, px(f, snap_x(d, s)), py(f, (double)flat[s] / MIB),
             ty->name[k], s + 1);
        rp_size(out, (double)flat[s]);
        rp_put(out, "</title></circle>");
    }
    rp_put(out, "</g>");
}

void rp_chart_types(fp_text *out, const rp_data *d, const rp_types *ty)
{
    frame f = {760, 300, 62, 18, 34, 46, 0, 1, 0, 1};
    double ymax = 0;
    size_t s, k;

    for (s = 0; s < d->nsnap; s++) {
        if (snap_x(d, s) > f.x1)
            f.x1 = snap_x(d, s);
        for (k = 0; k < ty->ntypes; k++)
            if (ty->known[k * d->nsnap + s] &&
                (double)ty->flat[k * d->nsnap + s] > ymax)
                ymax = (double)ty->flat[k * d->nsnap + s];
    }
    time_chart_open(out, &f, ymax, "types",
                    "Largest types over time, flat bytes");
    markers(out, &f, d);
    for (k = 0; k < ty->ntypes; k++)
        type_series(out, &f, d, ty, k);
    rp_put(out, "</svg><figcaption><ul class=\"legend\">");
    for (k = 0; k < ty->ntypes; k++)
        svgf(out, "<li><span class=\"sw ln\" style=\"border-top-color:%s\">"
                  "</span>%t</li>",
             rp_colour((int)k), ty->name[k]);
    rp_put(out, "</ul></figcaption></figure>");
}
