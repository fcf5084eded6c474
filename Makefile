# footprint - top-level build.  Each part of the project keeps its rules in
# mk/<part>.mk and registers itself through the variables below; this file
# holds only what they share.  `make help` lists the targets.

CC      ?= cc
PYTHON  ?= python3
BUILD   := build
GEN     := generated

WARN    := -Wall -Wextra -Werror
CSTD    := -std=c11
CFLAGS  ?= -O2 -g
FP_CFLAGS := $(CSTD) $(WARN) -fPIC -D_POSIX_C_SOURCE=200809L $(CFLAGS)

# Build rules that compile order-depend on this stamp, so a fresh machine
# installs its packages (mk/deps.mk) before the first compiler runs.  It is
# defined here because fragments are included in name order.
DEPS_STAMP := $(BUILD)/.deps-stamp

# The two libraries, named here for the same reason: the CLI and the
# bindings (cli.mk, lua.mk, python.mk) link them and sort before the files
# that build them.  The report (report/, mk/report.mk) sits on the core
# (core/, mk/core.mk), so it comes first on a link line.
LIB        := $(BUILD)/libfootprint.a
REPORT_LIB := $(BUILD)/libfpreport.a

# Parts append to these.
DEB_PACKAGES  :=   # Debian packages `make deps` installs when missing
ALL_TARGETS   :=   # built by plain `make`
TEST_TARGETS  :=   # run by `make test`, in order
BENCH_TARGETS :=   # run by `make bench`
HELP_LINES    :=   # extra lines for `make help`

.DEFAULT_GOAL := all

include $(sort $(wildcard mk/*.mk))

.PHONY: all test bench clean help

all: $(ALL_TARGETS)

test: $(TEST_TARGETS)
	@echo "make test: every suite ran green"
	@echo "suites: $(words $(TEST_TARGETS)) passed, 0 failed"

bench: $(BENCH_TARGETS)

clean:
	rm -rf $(BUILD) $(GEN)

help:
	@echo "make            build $(LIB) and the bindings"
	@echo "make deps       install the Debian packages footprint needs (only missing ones)"
	@echo "make test       run every test suite"
	@echo "make bench      benchmarks, as ratios against baselines run side by side"
	@echo "make demo       the main job: profile a real SCons build by class (scons --debug=memory)"
	@echo "make clean      remove build/ and generated/"
	@printf '%s\n' $(HELP_LINES)
	@echo "variables: CC=cc PYTHON=python3 CFLAGS='-O2 -g'"
