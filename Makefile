# footprint - top-level build.  Each part of the project keeps its rules in
# mk/<part>.mk; this file holds what they share.  `make help` lists targets.

CC      ?= cc
PYTHON  ?= python3
BUILD   := build
GEN     := generated

WARN    := -Wall -Wextra -Werror
CSTD    := -std=c11
CFLAGS  ?= -O2 -g
FP_CFLAGS := $(CSTD) $(WARN) -fPIC -D_POSIX_C_SOURCE=200809L $(CFLAGS)

.DEFAULT_GOAL := all

include mk/deps.mk
include mk/core.mk
include mk/ctest.mk
include mk/bench.mk

.PHONY: all test bench clean help demo

all: $(LIB)

test: ctest
	@echo "make test: all suites passed"

bench: core-bench

clean:
	rm -rf $(BUILD) $(GEN)

help:
	@echo "make            build $(LIB)"
	@echo "make deps       install the Debian packages footprint needs (only missing ones)"
	@echo "make test       every test: C unit tests (plain, ASan+UBSan, clang), header check"
	@echo "make bench      benchmarks, printed as ratios against baselines run side by side"
	@echo "make demo       (the SCons issue) profile a real SCons build by class"
	@echo "make clean      remove build/ and generated/"
	@echo "variables: CC=cc PYTHON=python3 CFLAGS='-O2 -g'"

demo:
	@echo "make demo will profile a real SCons build (scons --debug=memory) with"
	@echo "footprint's class tracker; it lands with the SCons issue."
	@exit 1
