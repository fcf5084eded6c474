# bench/python: footprint.asizeof against pympler.asizeof (when
# PYMPLER_PATH names a pympler checkout), a bare C walk (bench/python/
# barewalk.c, an extension module built here for PYTHON), a pure-Python
# walk and gc.collect(), side by side in one run.
#   make python-bench                     all rows, 100k and 1M
#   make python-bench PYBENCH_ARGS=--quick   100k rows only
PYBENCH_ARGS ?=

BENCH_TARGETS += python-bench
HELP_LINES    += "make python-bench footprint.asizeof vs pympler, a bare C walk, gc (~3 min)"

.PHONY: python-bench pybench-ext

# The module goes next to footprint._core's objects, in the interpreter's
# own build directory (PY_BUILD, from mk/python.mk), so a recursive make
# fixes the paths once (as python.mk does for its own rules).
python-bench: python-ext
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
