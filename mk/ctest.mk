# tests/c: the CUnit suites of the core and the report, built and run four
# ways.
#   ctest         the suites against $(REPORT_LIB) and $(LIB), as built
#                 for users
#   ctest-asan    both libraries and the suites rebuilt with ASan + UBSan
#                 (build/asan/)
#   ctest-clang   both libraries and the suites rebuilt with clang -Werror
#                 (build/clang/)
#   header-check  core/footprint.h and report/fp_report.h alone, pedantic
#                 C11 (gcc, clang) and C++11
#   valgrind      the plain suites under valgrind (not part of make test)
# FP_TEST_QUICK=1 (environment or make variable) makes the suites size a
# 200,000-deep chain instead of 10,000,000: the one test that costs real
# time under slow tools.  `make valgrind` runs the full chain (~30 s more).
DEB_PACKAGES += libcunit1-dev clang libclang-rt-14-dev valgrind

CLANG        ?= clang
CTEST_SRC    := $(wildcard tests/c/*.c)
CTEST_HDR    := $(wildcard tests/c/*.h)
CTEST_INC    := -Icore -Ireport -Itests/c
CTEST_LIBS   := -lcunit -lm
CTEST_SAN    := -fsanitize=address,undefined -fno-omit-frame-pointer \
                -fno-sanitize-recover=all
CTEST_ASAN_ENV := ASAN_OPTIONS=detect_leaks=1:abort_on_error=0 \
                  UBSAN_OPTIONS=print_stacktrace=1
FP_TEST_QUICK ?= 0

TEST_TARGETS += ctest ctest-asan ctest-clang header-check
HELP_LINES   += "make ctest      C suites of core/ and report/ (also ctest-asan, ctest-clang, header-check)"
HELP_LINES   += "make valgrind   C suites under valgrind (FP_TEST_QUICK=1: 200k chain, not 10M)"

.PHONY: ctest ctest-asan ctest-clang header-check valgrind

# $(call ctest_build,DIR,COMPILER,EXTRA FLAGS,LIBRARIES): the suites
# compiled into $(BUILD)/DIR/tests/c and linked with LIBRARIES.
define ctest_build
$(BUILD)/$(1)tests/c/%.o: tests/c/%.c $$(CTEST_HDR) core/footprint.h report/fp_report.h | $$(DEPS_STAMP)
	@mkdir -p $$(dir $$@)
	$(2) $$(FP_CFLAGS) $(3) $$(CTEST_INC) -c $$< -o $$@

$(BUILD)/$(1)tests/c/run_tests: $$(CTEST_SRC:tests/c/%.c=$(BUILD)/$(1)tests/c/%.o) $(4)
	$(2) $$(FP_CFLAGS) $(3) -o $$@ $$^ $$(CTEST_LIBS)
endef

# $(call ctest_libs,DIR,COMPILER,EXTRA FLAGS): core/ and report/ rebuilt
# into $(BUILD)/DIR/libfootprint.a and libfpreport.a with other flags.
define ctest_libs
$(BUILD)/$(1)core/%.o: core/%.c $$(CORE_HDR) | $$(DEPS_STAMP)
	@mkdir -p $$(dir $$@)
	$(2) $$(FP_CFLAGS) $(3) -c $$< -o $$@

$(BUILD)/$(1)libfootprint.a: $$(CORE_SRC:core/%.c=$(BUILD)/$(1)core/%.o)
	@rm -f $$@
	ar rcs $$@ $$^

$(BUILD)/$(1)report/%.o: report/%.c $$(wildcard report/*.h) core/footprint.h | $$(DEPS_STAMP)
	@mkdir -p $$(dir $$@)
	$(2) $$(FP_CFLAGS) $(3) -Icore -Ireport -c $$< -o $$@

$(BUILD)/$(1)libfpreport.a: $$(patsubst report/%.c,$(BUILD)/$(1)report/%.o,$$(wildcard report/*.c))
	@rm -f $$@
	ar rcs $$@ $$^
endef

$(eval $(call ctest_build,,$(CC),,$(REPORT_LIB) $(LIB)))
$(eval $(call ctest_libs,asan/,$(CC),$(CTEST_SAN)))
$(eval $(call ctest_build,asan/,$(CC),$(CTEST_SAN),$(BUILD)/asan/libfpreport.a $(BUILD)/asan/libfootprint.a))
$(eval $(call ctest_libs,clang/,$(CLANG),))
$(eval $(call ctest_build,clang/,$(CLANG),,$(BUILD)/clang/libfpreport.a $(BUILD)/clang/libfootprint.a))

ctest: $(BUILD)/tests/c/run_tests
	$<

ctest-asan: $(BUILD)/asan/tests/c/run_tests
	$(CTEST_ASAN_ENV) $<

ctest-clang: $(BUILD)/clang/tests/c/run_tests
	$<

# A public header must stand alone: no include it relies on the includer
# for, nothing that a pedantic C11 or C++11 compiler refuses.
CTEST_HDR_FLAGS := -pedantic -Wall -Wextra -Werror -fsyntax-only -Icore
CTEST_PUBLIC    := core/footprint.h report/fp_report.h
header-check: $(CTEST_PUBLIC) | $(DEPS_STAMP)
	@for h in $(CTEST_PUBLIC); do \
	  echo "$(CC) -x c -std=c11 $(CTEST_HDR_FLAGS) $$h"; \
	  $(CC) -x c -std=c11 $(CTEST_HDR_FLAGS) $$h || exit 1; \
	  echo "$(CLANG) -x c -std=c11 $(CTEST_HDR_FLAGS) $$h"; \
	  $(CLANG) -x c -std=c11 $(CTEST_HDR_FLAGS) $$h || exit 1; \
	  if command -v $(CXX) >/dev/null 2>&1; then \
	    echo "$(CXX) -x c++ -std=c++11 $(CTEST_HDR_FLAGS) $$h"; \
	    $(CXX) -x c++ -std=c++11 $(CTEST_HDR_FLAGS) $$h || exit 1; \
	  else echo "header-check: no $(CXX), C++ skipped"; fi; \
	done
	@echo "header-check: $(CTEST_PUBLIC) compile alone"

valgrind: $(BUILD)/tests/c/run_tests | $(DEPS_STAMP)
	FP_TEST_QUICK=$(FP_TEST_QUICK) valgrind --error-exitcode=1 \
	  --leak-check=full --errors-for-leak-kinds=all --show-leak-kinds=all $<
