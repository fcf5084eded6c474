#!/usr/bin/env bash
# make demo: profile a real SCons build by class, the way pympler's SCons
# tutorial did, on today's SCons; then measure what a change to the build
# does to that memory.
#
#   demo/scons_demo.sh [FILES]      (default 1000 C files)
#
# Expects `make` to have built build/footprint and footprint._core for the
# interpreter SCons runs on (the demo target does both).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
FILES=${1:-1000}
OUT=$ROOT/build/demo
export PYTHONPATH=$ROOT/bindings/python

say() { printf '\n==> %s\n' "$*"; }

run_case() { # layout
    local layout=$1 proj=$OUT/$1
    say "generating a $FILES-file C project ($layout headers) in build/demo/$layout"
    rm -rf "$proj"
    python3 demo/genproject.py "$proj" --files "$FILES" --dirs 10 --layout "$layout"
    say "building it once (scons -j2; log in build/demo/$layout.build.log)"
    local t0=$SECONDS
    (cd "$proj" && scons -Q -j2 . >"$OUT/$layout.build.log" 2>&1)
    echo "built in $((SECONDS - t0)) s"
    say "scons --debug=memory on the up-to-date tree, with footprint (site_scons/site_init.py)"
    (cd "$proj" && FOOTPRINT_SCONS_DUMP="$OUT/$layout.dump" \
        FOOTPRINT_SCONS_REPORT="$OUT/$layout.html" \
        scons --debug=memory --site-dir="$ROOT/demo/site_scons" .) |
        tee "$OUT/$layout.memory.log"
}

# seconds the censuses of the heap by type took, over both runs
census_seconds() {
    sed -n 's/^footprint: .*(the census \([0-9.]*\) s)$/\1/p' \
        "$OUT"/*.memory.log | awk '{ s += $1 } END { printf "%.3f", s }'
}

mkdir -p "$OUT"
rm -f "$OUT"/*.memory.log
START=$SECONDS
run_case shared
run_case local

say "what the include layout does to SCons's memory, per class"
echo "(footprint diff OLD NEW: shared include dirs on one CPPPATH -> headers beside sources)"
build/footprint diff "$OUT/shared.dump" "$OUT/local.dump"
build/footprint html "$OUT/shared.dump" "$OUT/local.dump" -o "$OUT/diff.html" >/dev/null

say "files"
echo "  dumps:   build/demo/shared.dump build/demo/local.dump"
echo "           (build/footprint summary|stats|diff|html DUMP ...)"
echo "  reports: build/demo/shared.html build/demo/local.html build/demo/diff.html"
census=$(census_seconds)
awk -v c="$census" -v t="$((SECONDS - START))" 'BEGIN {
    printf "\n  the demo took %d s; the 8 censuses of the heap by type %.2f s of it (%.1f%%)\n",
           t, c, t ? 100 * c / t : 0 }'
