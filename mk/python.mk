# Python: SWIG runs into generated/python/, the extension footprint._core
# is built per interpreter under build/python/<tag>/ and copied into
# bindings/python/footprint/ (git-ignored), so that after `make`
#   PYTHONPATH=bindings/python $(PYTHON) -c 'import footprint'
# works.  `make PYTHON=/usr/bin/python3` builds for that interpreter; the
# extensions of interpreters with different ABI tags sit side by side.
#   pytest-py        tests/python (stdlib unittest) for PYTHON
#   conformance      the project's corpus (tests/python/conformance) and,
#                    where it exists, the shared one (CONFORMANCE_DIR)
#   python-versions  both for every supported interpreter found (PYTHONS
#                    narrows it: versions like 3.12 or paths), one line each
DEB_PACKAGES += swig python3-dev

SWIG            ?= swig
CONFORMANCE_DIR ?= ../shared/conformance
CONFORMANCE_MIN ?= 83
CONFORMANCE_OWN_MIN ?= 127
PYTHONS         ?=

PY_SRC     := $(wildcard bindings/python/*.c)
PY_HDR     := $(wildcard bindings/python/*.h bindings/python/layouts/*.h)
PY_PKG     := bindings/python/footprint
PY_GEN     := $(GEN)/python/footprint_wrap.c
# One build directory per interpreter (two may share an ABI tag but not
# headers); evaluated only when a Python target is made.
PY_TAG      = $(shell $(PYTHON) -c 'import sys, hashlib; print(sys.implementation.cache_tag + "-" + hashlib.sha1(sys.executable.encode()).hexdigest()[:10])')
PY_INC      = $(shell $(PYTHON) -c 'import sysconfig; print(sysconfig.get_paths()["include"])')
PY_EXT      = $(shell $(PYTHON) -c 'import sysconfig; print(sysconfig.get_config_var("EXT_SUFFIX"))')
PY_BUILD    = $(BUILD)/python/$(PY_TAG)
PY_SO       = $(PY_BUILD)/_core$(PY_EXT)
PY_CFLAGS   = $(FP_CFLAGS) -fvisibility=hidden -I$(PY_INC) -Icore -Ireport -Ibindings/python
# SWIG's generated code is not ours to fix: every warning stays an error
# except the ones its output is known to trip (SWIG 4.1 uses
# PyWeakref_GET_OBJECT, which CPython 3.13 deprecates).
# GCC_HASCLASSVISIBILITY makes SWIG export PyInit__core despite
# -fvisibility=hidden.
PY_GEN_CFLAGS = $(PY_CFLAGS) -DGCC_HASCLASSVISIBILITY -Wno-unused-parameter -Wno-missing-field-initializers \
                -Wno-cast-function-type -Wno-deprecated-declarations

PY_LAYOUT   = $(PY_BUILD)/_layout_check$(PY_EXT)

ALL_TARGETS  += python-ext
TEST_TARGETS += python-versions
BENCH_TARGETS += python-tracker-bench
HELP_LINES   += "make python-ext  footprint._core for PYTHON into bindings/python/footprint/"
HELP_LINES   += "make pytest-py   tests/python (unittest) against that build"
HELP_LINES   += "make conformance own corpus, and ../shared/conformance when there (CONFORMANCE_DIR=...)"
HELP_LINES   += "make python-versions  pytest-py + conformance on each CPython 3.10-3.13 found (PYTHONS='3.12 /usr/bin/python3')"
HELP_LINES   += "make python-tracker-bench  ClassTracker vs pympler's (PYMPLER_PATH=checkout), 10k/100k"


.PHONY: python-ext pytest-py conformance python-objs python-tracker-bench \
        python-supported python-layout-check python-versions

$(PY_GEN): swig/python.i swig/footprint.i core/footprint.h report/fp_report.h bindings/python/fp_python.h | $(DEPS_STAMP)
	@mkdir -p $(dir $@)
	$(SWIG) -python -builtin -Icore -Ibindings/python -outdir $(dir $@) -o $@ swig/python.i

# An interpreter the adapter cannot read is refused first, with the reason.
python-supported:
	@$(PYTHON) $(PY_PKG)/_supported.py

# The object and library rules need the interpreter's tag in their paths,
# so they are made by a recursive make with PY_BUILD fixed.
python-ext: python-supported $(LIB) $(PY_GEN)
	@$(MAKE) --no-print-directory python-objs PY_BUILD_DIR=$(PY_BUILD) PY_SO_PATH=$(PY_SO)
	@# a new file renamed into place: a process that has the old one mapped
	@# keeps it (cp over it would rewrite pages under that process's feet)
	@cmp -s $(PY_SO) $(PY_PKG)/_core$(PY_EXT) || { cp $(PY_SO) $(PY_PKG)/.core.tmp && \
	  mv -f $(PY_PKG)/.core.tmp $(PY_PKG)/_core$(PY_EXT); }

ifdef PY_BUILD_DIR
PY_OBJ := $(PY_SRC:bindings/python/%.c=$(PY_BUILD_DIR)/%.o) $(PY_BUILD_DIR)/footprint_wrap.o

python-objs: $(PY_SO_PATH)

$(PY_BUILD_DIR)/%.o: bindings/python/%.c $(PY_HDR) core/footprint.h mk/python.mk
	@mkdir -p $(dir $@)
	$(CC) $(PY_CFLAGS) -c $< -o $@

$(PY_BUILD_DIR)/footprint_wrap.o: $(PY_GEN) $(PY_HDR) core/footprint.h mk/python.mk
	@mkdir -p $(dir $@)
	$(CC) $(PY_GEN_CFLAGS) -c $< -o $@

$(PY_SO_PATH): $(PY_OBJ) $(REPORT_LIB) $(LIB)
	$(CC) -shared -o $@ $(PY_OBJ) $(REPORT_LIB) $(LIB)

# The layout mirrors against the interpreter's internal headers (a test:
# the adapter itself never builds with Py_BUILD_CORE).  CPython's own
# headers trip -Wunused-parameter on 3.13.
python-layout: $(PY_LAYOUT_PATH)

$(PY_LAYOUT_PATH): tests/python/layout_check.c bindings/python/pyversion.c $(PY_HDR) mk/python.mk
	@mkdir -p $(dir $@)
	$(CC) $(PY_CFLAGS) -Wno-unused-parameter -shared -o $@ \
	  tests/python/layout_check.c bindings/python/pyversion.c
endif

python-layout-check: python-supported
	@$(MAKE) --no-print-directory python-layout PY_BUILD_DIR=$(PY_BUILD) PY_LAYOUT_PATH=$(PY_LAYOUT)

# The tracker tests read Python's dumps back with the command line.
pytest-py: python-ext python-layout-check $(CLI)
	FOOTPRINT_CLI=$(CLI) FOOTPRINT_LAYOUT_CHECK=$(PY_BUILD) PYTHONPATH=bindings/python \
	  $(PYTHON) -m unittest discover -s tests/python

# check.py exits 1 on any difference; the gate accepts the ones
# docs/python.md documents as deliberate, and no fewer than the minimum.
# The shared corpus lives beside the project in CI, not in a clone.
conformance: python-ext
	PYTHONPATH=bindings/python $(PYTHON) tests/python/conformance_gate.py \
	  tests/python/conformance/check.py docs/python.md $(CONFORMANCE_OWN_MIN) --label own
	@if [ -f $(CONFORMANCE_DIR)/check.py ]; then \
	  echo "PYTHONPATH=bindings/python $(PYTHON) tests/python/conformance_gate.py $(CONFORMANCE_DIR)/check.py docs/python.md $(CONFORMANCE_MIN)"; \
	  PYTHONPATH=bindings/python $(PYTHON) tests/python/conformance_gate.py \
	    $(CONFORMANCE_DIR)/check.py docs/python.md $(CONFORMANCE_MIN); \
	else echo "conformance: no shared corpus at $(CONFORMANCE_DIR) (optional)"; fi

# The driver runs make once per interpreter (PYTHON=each); it needs only
# some Python 3 to run itself.
python-versions: $(LIB) $(CLI) $(PY_GEN)
	$(PYTHON) tests/python/each_python.py $(PYTHONS)

# footprint.classtracker against pympler's, side by side when
# PYMPLER_PATH names a pympler checkout (pympler is not a dependency).
python-tracker-bench: python-ext
	PYMPLER_PATH="$(PYMPLER_PATH)" PYTHONPATH=bindings/python $(PYTHON) bench/pytracker/bench.py
