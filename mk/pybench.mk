# bench/python: footprint.asizeof against pympler.asizeof (when
# PYMPLER_PATH names a pympler checkout), a bare C walk (bench/python/
# barewalk.c, an extension module built here for PYTHON), a pure-Python
# walk and gc.collect(), side by side in one run, one row group per
# CPython version; then (bench/python/census.py) footprint's muppy/summary/
# tracker against pympler's on a heap of a million objects.
#   make python-bench                     every CPython 3.10-3.13 found (the
#                                         first interpreter of each version;
#                                         PYTHONS narrows it), 100k and 1M
#   make python-bench PYTHON=python3.12   that interpreter only
#   make python-bench PYBENCH_ARGS=--quick   100k rows only (no census)
#   make python-bench PYBENCH_ARGS=census    the census rows only
PYBENCH_ARGS ?=

BENCH_TARGETS += python-bench
HELP_LINES    += "make python-bench footprint.asizeof vs pympler, a bare C walk, gc; muppy/summary/tracker vs pympler's on 1M objects; per CPython version (~1.5 min each)"

.PHONY: python-bench python-bench-one pybench-ext

ifeq ($(origin PYTHON),command line)
python-bench: python-bench-one
else
# Versions not found are named as skipped; the loop fails if a run did.
python-bench:
	@$(PYTHON) tests/python/each_python.py --list --first $(PYTHONS) > $(BUILD)/.pybench-list
	@status=0; while read version exe; do \
	  if [ "$$exe" = - ]; then \
	    echo "python bench: CPython $$version skipped: no such interpreter found"; continue; fi; \
	  $(MAKE) --no-print-directory python-bench-one PYTHON=$$exe || status=1; \
	done < $(BUILD)/.pybench-list; exit $$status
endif

# The module goes next to footprint._core's objects, in the interpreter's
# own build directory (PY_BUILD, from mk/python.mk), so a recursive make
# fixes the paths once (as python.mk does for its own rules).
python-bench-one: python-ext
	@$(MAKE) --no-print-directory pybench-ext PYB_DIR=$(PY_BUILD)/bench \
	  PYB_EXT=$(PY_EXT) PYB_INC=$(PY_INC)
	PYTHONPATH=bindings/python:$(PY_BUILD)/bench \
	  $(PYTHON) bench/python/bench.py $(PYBENCH_ARGS)

ifdef PYB_DIR
pybench-ext: $(PYB_DIR)/barewalk$(PYB_EXT)

# Optimised whatever CFLAGS say, as the other benches are.
$(PYB_DIR)/barewalk$(PYB_EXT): bench/python/barewalk.c mk/pybench.mk | $(DEPS_STAMP)
	@mkdir -p $(dir $@)
	$(CC) $(CSTD) $(WARN) -fPIC -O2 -g -I$(PYB_INC) -shared $< -o $@
endif
