# SCons: footprint.scons against Debian's scons, which runs on Debian's
# interpreter, so the extension is built for that one here.
#   demo        the main job (README's first command): demo/scons_demo.sh
#   scons-test  tests/integration/scons on a small generated project
#   scons-bench scons --debug=memory with and without footprint
DEB_PACKAGES += scons python3-dev

SCONS_PYTHON ?= /usr/bin/python3

TEST_TARGETS  += scons-test
BENCH_TARGETS += scons-bench
HELP_LINES    += "make scons-test  real scons --debug=memory with footprint (small project)"
HELP_LINES    += "make scons-bench scons --debug=memory with vs without footprint (2000 files)"

.PHONY: demo scons-test scons-bench scons-ext

scons-ext: $(LIB) $(CLI) | $(DEPS_STAMP)
	@$(MAKE) --no-print-directory PYTHON=$(SCONS_PYTHON) python-ext

demo: scons-ext
	demo/scons_demo.sh

scons-test: scons-ext
	$(SCONS_PYTHON) tests/integration/scons/test_scons.py

scons-bench: scons-ext
	$(SCONS_PYTHON) bench/scons/bench_scons.py
