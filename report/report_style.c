/*
 * report_style.c - the page's frame: head, stylesheet and the one small
 * script (sorting tables by a click on a header; the page reads fully
 * without it).
 *
 * The Content-Security-Policy forbids every fetch, so a report opened from
 * an untrusted dump cannot call out even if something slipped through the
 * escaping.  Stylesheet and script contain no '<' or '&', so they need no
 * escaping in either the HTML or the XML reading of the page.
 */
#include "report.h"

static const char style[] =
    ":root{--ink:#1f2328;--muted:#59636e;--line:#d8dee4;--soft:#f6f8fa;"
    "--link:#0969da}"
    "*{box-sizing:border-box}"
    "html{-webkit-text-size-adjust:100%;text-size-adjust:100%}"
    "body{margin:0;color:var(--ink);background:#fff;font:15px/1.5 "
    "system-ui,-apple-system,\"Segoe UI\",Roboto,\"Helvetica Neue\",Arial,"
    "sans-serif}"
    "a{color:var(--link);text-decoration:none}a:hover{text-decoration:"
    "underline}"
    ".top{background:var(--soft);border-bottom:1px solid var(--line)}"
    ".top .in,main{max-width:1120px;margin:0 auto;padding:0 24px}"
    ".top .in{padding-top:22px;padding-bottom:14px}"
    "h1{font-size:26px;line-height:1.25;margin:0 0 4px;font-weight:650;"
    "letter-spacing:-.01em;overflow-wrap:anywhere}"
    "h2{font-size:20px;margin:44px 0 12px;padding-bottom:6px;"
    "border-bottom:1px solid var(--line);font-weight:650}"
    "h3{font-size:16px;margin:30px 0 6px;font-weight:650;"
    "overflow-wrap:anywhere}"
    "h4{font-size:14px;margin:18px 0 6px;font-weight:650;color:var(--muted)}"
    "p{margin:6px 0}.sub,.muted{color:var(--muted)}.sub{margin:0}"
    "nav.toc{margin-top:10px;font-size:14px;display:flex;flex-wrap:wrap;"
    "gap:4px 18px}"
    ".cards{display:grid;grid-template-columns:repeat(auto-fill,"
    "minmax(150px,1fr));gap:12px;margin:18px 0}"
    ".card{border:1px solid var(--line);border-radius:8px;padding:10px 14px}"
    ".card b{display:block;font-size:19px;font-weight:650;"
    "font-variant-numeric:tabular-nums}"
    ".card span{color:var(--muted);font-size:13px}"
    "figure{margin:14px 0}.chart{overflow-x:auto}"
    ".chart svg{display:block;width:100%;height:auto;min-width:540px}"
    ".chart.bars svg{min-width:360px;max-width:560px}"
    "svg text{font-family:inherit;font-size:11px;fill:#57606a}"
    ".grid line{stroke:#eaeef2}.axis line{stroke:#8c959f}"
    ".axis.y text{text-anchor:end}.axis.x text{text-anchor:middle}"
    ".axis .title{fill:var(--ink);font-size:12px;text-anchor:middle}"
    ".areas path{fill-opacity:.88;stroke:#fff;stroke-width:.7}"
    ".areas path:hover{fill-opacity:1}"
    ".marks line{stroke:#8c959f;stroke-dasharray:3 3}"
    ".marks text{text-anchor:middle;font-size:10px;font-weight:650;"
    "fill:var(--ink)}"
    ".line path{fill:none;stroke:var(--ink);stroke-width:2;"
    "stroke-linejoin:round}"
    ".line circle{fill:var(--ink);stroke:#fff;stroke-width:1}"
    ".line.total path{stroke-dasharray:7 4;stroke-width:1.6}"
    ".line.host path{stroke:#6e7781;stroke-dasharray:2 3}"
    ".line.host circle{fill:#6e7781}"
    ".live path{fill:#4e79a7;fill-opacity:.2;stroke:#4e79a7;"
    "stroke-width:1.6;stroke-linejoin:round}"
    ".bars .lbl,.delta .lbl{text-anchor:end;fill:var(--ink);font-size:13px}"
    ".bars .val,.delta .val{font-size:12px}"
    "svg a .lbl{fill:var(--link)}"
    ".delta .grow rect{fill:#e15759}.delta .shrink rect{fill:#59a14f}"
    ".delta .val.neg{text-anchor:end}.delta .zero{stroke:#8c959f}"
    "figcaption{font-size:13px}"
    ".legend{list-style:none;display:flex;flex-wrap:wrap;gap:4px 18px;"
    "padding:0;margin:8px 0 0}"
    ".sw{display:inline-block;width:12px;height:12px;border-radius:2px;"
    "margin-right:6px;vertical-align:-1px;-webkit-print-color-adjust:exact;"
    "print-color-adjust:exact}"
    ".sw.ln{width:20px;height:0;border-radius:0;border-top:2px solid "
    "var(--ink);vertical-align:3px}"
    ".sw.ln.total{border-top-style:dashed}"
    ".sw.ln.host{border-top:2px dotted #6e7781}"
    "ol.marks{margin:8px 0;padding-left:28px;font-size:14px}"
    ".scroll{overflow-x:auto}"
    "table{border-collapse:collapse;width:100%;font-size:14px;"
    "font-variant-numeric:tabular-nums}"
    "th,td{padding:5px 8px;border-bottom:1px solid var(--line);"
    "text-align:left;vertical-align:top}"
    "th{font-weight:600;background:var(--soft);white-space:nowrap}"
    "td{overflow-wrap:break-word}"
    ".n{text-align:right;white-space:nowrap}"
    "tr.sum td{font-weight:600}"
    "table.sort th{cursor:pointer;user-select:none}"
    "th[data-dir=a]::after{content:\" \\25B2\";font-size:9px}"
    "th[data-dir=d]::after{content:\" \\25BC\";font-size:9px}"
    ".share{display:inline-block;height:8px;border-radius:1px;"
    "background:#4e79a7;vertical-align:middle;margin-right:6px;"
    "-webkit-print-color-adjust:exact;print-color-adjust:exact}"
    ".split{display:grid;grid-template-columns:minmax(0,3fr) "
    "minmax(0,2fr);gap:24px;align-items:start}"
    "code,pre,.repr{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,"
    "\"DejaVu Sans Mono\",monospace;font-size:13px}"
    ".repr{overflow-wrap:anywhere}"
    ".refs td:first-child{white-space:nowrap}"
    "td.ref{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,"
    "\"DejaVu Sans Mono\",monospace;font-size:13px}"
    "pre{background:var(--soft);border-radius:6px;padding:8px 10px;"
    "margin:4px 0;white-space:pre-wrap;overflow-wrap:anywhere;"
    "font-size:12px;line-height:1.45}"
    "article.cls{margin-top:36px;padding-top:4px;border-top:3px solid "
    "var(--soft)}"
    ".insts{display:grid;grid-template-columns:repeat(auto-fill,"
    "minmax(min(100%,500px),1fr));gap:12px}"
    ".inst{border:1px solid var(--line);border-radius:8px;padding:10px 14px;"
    "min-width:0}"
    ".inst dl{display:grid;grid-template-columns:max-content minmax(0,1fr);"
    "gap:3px 16px;margin:0}"
    ".inst dt{color:var(--muted)}.inst dd{margin:0}"
    ".inst table{margin:2px 0;width:auto}"
    ".inst .refs{margin-top:8px;width:100%}"
    ".inst td,.inst th{padding:2px 0 2px 12px;border:0;background:none}"
    ".inst td:first-child,.inst th:first-child{padding-left:0}"
    ".empty{color:var(--muted);font-style:italic}"
    "footer{margin:56px 0 24px;padding-top:12px;border-top:1px solid "
    "var(--line);color:var(--muted);font-size:13px}"
    "@media (max-width:860px){.split{grid-template-columns:1fr}}"
    "@media (max-width:600px){body{font-size:14px}"
    ".top .in,main{padding-left:12px;padding-right:12px}"
    "h1{font-size:21px}h2{font-size:18px}th,td{padding:4px 6px}"
    ".inst dl{grid-template-columns:1fr}.inst dt{margin-top:4px}}"
    "@media print{body{font-size:10pt}nav.toc{display:none}"
    ".top{background:none}.top .in,main{max-width:none;padding:0}"
    ".chart{overflow:visible}.chart svg{min-width:0}"
    "figure,.inst,tr,.card{break-inside:avoid}h2,h3,h4{break-after:avoid}"
    "article.cls{break-before:page}a{color:inherit}"
    "table.sort th::after{content:none}}";

/* No '<' and no "&&": the script must read the same as HTML and as XML. */
static const char script[] =
    "//<![CDATA[\n"
    "document.querySelectorAll('table.sort').forEach(function (t) {\n"
    "  t.querySelectorAll('thead th').forEach(function (th) {\n"
    "    th.title = 'sort';\n"
    "    th.addEventListener('click', function () {\n"
    "      var col = th.cellIndex, dir = th.dataset.dir === 'd' ? 'a' : 'd';\n"
    "      t.querySelectorAll('thead th').forEach(function (o) {\n"
    "        delete o.dataset.dir;\n"
    "      });\n"
    "      th.dataset.dir = dir;\n"
    "      var body = t.tBodies[0];\n"
    "      var rows = Array.prototype.slice.call(body.rows);\n"
    "      rows.sort(function (a, b) {\n"
    "        var x = a.cells[col], y = b.cells[col], r;\n"
    "        if (!x || !y) return 0;\n"
    "        if ('v' in x.dataset) {\n"
    "          r = parseFloat(x.dataset.v) - parseFloat(y.dataset.v);\n"
    "        } else {\n"
    "          r = x.textContent.localeCompare(y.textContent);\n"
    "        }\n"
    "        return dir === 'a' ? r : -r;\n"
    "      });\n"
    "      rows.forEach(function (r) { body.appendChild(r); });\n"
    "    });\n"
    "  });\n"
    "});\n"
    "//]]>";

void rp_page_open(fp_text *out, const char *title, int with_script)
{
    rp_put(out,
           "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"/>"
           "<meta name=\"viewport\" content=\"width=device-width, "
           "initial-scale=1\"/><meta http-equiv=\"Content-Security-Policy\" "
           "content=\"default-src 'none'; style-src 'unsafe-inline'; "
           "img-src data:; script-src ");
    rp_put(out, with_script ? "'unsafe-inline'" : "'none'");
    rp_put(out, "\"/><meta name=\"generator\" content=\"footprint "
                FP_VERSION_STRING "\"/><title>");
    rp_esc_str(out, title);
    rp_put(out, "</title><style>");
    rp_put(out, style);
    rp_put(out, "</style></head>\n<body>");
}

void rp_page_close(fp_text *out, int with_script)
{
    if (with_script) {
        rp_put(out, "<script>");
        rp_put(out, script);
        rp_put(out, "</script>");
    }
    rp_put(out, "</body></html>\n");
}

fp_status rp_page_end(fp_text *out, size_t start, int was_failed,
                      fp_status st)
{
    if (st == FP_OK)
        st = fp_text_status(out);
    if (st != FP_OK && !was_failed)
        fp_text_truncate(out, start);
    return st;
}
