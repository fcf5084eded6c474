# tests/c: the core's CUnit suites, built and run four ways.
#   ctest         the suites against $(LIB), as built for users
#   ctest-asan    core and suites rebuilt with ASan + UBSan (build/asan/)
#   ctest-clang   core and suites rebuilt with clang -Werror (build/clang/)
#   header-check  core/footprint.h alone, pedantic C11 (gcc, clang) and C++11
#   valgrind      the plain suites under valgrind (not part of make test)
# FP_TEST_QUICK=1 (environment or make variable) makes the suites size a
# 200,000-deep chain instead of 10,000,000: the one test that costs real
# time under slow tools.  `make valgrind` runs the full chain (~30 s more).
DEB_PACKAGES += libcunit1-dev clang libclang-rt-14-dev valgrind

CLANG        ?= clang
CTEST_SRC    := $(wildcard tests/c/*.c)
CTEST_HDR    := $(wildcard tests/c/*.h)
CTEST_INC    := -Icore -Itests/c
CTEST_LIBS   := -lcunit -lm
CTEST_SAN    := -fsanitize=address,undefined -fno-omit-frame-pointer \
                -fno-sanitize-recover=all
CTEST_ASAN_ENV := ASAN_OPTIONS=detect_leaks=1:abort_on_error=0 \
                  UBSAN_OPTIONS=print_stacktrace=1
FP_TEST_QUICK ?= 0

TEST_TARGETS += ctest ctest-asan ctest-clang header-check
HELP_LINES   += "make ctest      C suites of core/ (also ctest-asan, ctest-clang, header-check)"
HELP_LINES   += "make valgrind   C suites under valgrind (FP_TEST_QUICK=1: 200k chain, not 10M)"

.PHONY: ctest ctest-asan ctest-clang header-check valgrind

# The stamp is defined by mk/deps.mk, read after this file: expand it late.
.SECONDEXPANSION:

# $(call ctest_build,DIR,COMPILER,EXTRA FLAGS,CORE LIBRARY): the suites
# compiled into $(BUILD)/DIR/tests/c and linked with CORE LIBRARY.
define ctest_build
$(BUILD)/$(1)tests/c/%.o: tests/c/%.c $$(CTEST_HDR) core/footprint.h | $$$$(DEPS_STAMP)
	@mkdir -p $$(dir $$@)
	$(2) $$(FP_CFLAGS) $(3) $$(CTEST_INC) -c $$< -o $$@

$(BUILD)/$(1)tests/c/run_tests: $$(CTEST_SRC:tests/c/%.c=$(BUILD)/$(1)tests/c/%.o) $(4)
	$(2) $$(FP_CFLAGS) $(3) -o $$@ $$^ $$(CTEST_LIBS)
endef

# $(call ctest_core,DIR,COMPILER,EXTRA FLAGS): core/ rebuilt into
# $(BUILD)/DIR/libfootprint.a with other flags.
define ctest_core
$(BUILD)/$(1)core/%.o: core/%.c $$(CORE_HDR) | $$$$(DEPS_STAMP)
	@mkdir -p $$(dir $$@)
	$(2) $$(FP_CFLAGS) $(3) -c $$< -o $$@

$(BUILD)/$(1)libfootprint.a: $$(CORE_SRC:core/%.c=$(BUILD)/$(1)core/%.o)
	@rm -f $$@
	ar rcs $$@ $$^
endef

$(eval $(call ctest_build,,$(CC),,$(LIB)))
$(eval $(call ctest_core,asan/,$(CC),$(CTEST_SAN)))
$(eval $(call ctest_build,asan/,$(CC),$(CTEST_SAN),$(BUILD)/asan/libfootprint.a))
$(eval $(call ctest_core,clang/,$(CLANG),))
$(eval $(call ctest_build,clang/,$(CLANG),,$(BUILD)/clang/libfootprint.a))

ctest: $(BUILD)/tests/c/run_tests
	$<

ctest-asan: $(BUILD)/asan/tests/c/run_tests
	$(CTEST_ASAN_ENV) $<

ctest-clang: $(BUILD)/clang/tests/c/run_tests
	$<

# The header must stand alone: no include it relies on the includer for,
# nothing that a pedantic C11 or C++11 compiler refuses.
CTEST_HDR_FLAGS := -pedantic -Wall -Wextra -Werror -fsyntax-only
header-check: core/footprint.h | $$(DEPS_STAMP)
	$(CC) -x c -std=c11 $(CTEST_HDR_FLAGS) $<
	$(CLANG) -x c -std=c11 $(CTEST_HDR_FLAGS) $<
	@if command -v $(CXX) >/dev/null 2>&1; then \
	  echo "$(CXX) -x c++ -std=c++11 $(CTEST_HDR_FLAGS) $<"; \
	  $(CXX) -x c++ -std=c++11 $(CTEST_HDR_FLAGS) $<; \
	else echo "header-check: no $(CXX), C++ skipped"; fi
	@echo "header-check: core/footprint.h compiles alone"

valgrind: $(BUILD)/tests/c/run_tests | $$(DEPS_STAMP)
	FP_TEST_QUICK=$(FP_TEST_QUICK) valgrind --error-exitcode=1 \
	  --leak-check=full --errors-for-leak-kinds=all --show-leak-kinds=all $<
