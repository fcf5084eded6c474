# bench/core: the core engine against a bare marking walk, side by side.
# The bench compiles its own copy of core/ with fixed flags so that
# `make bench` always measures an optimised build without sanitizers,
# whatever CFLAGS the library was built with.
BENCH_CFLAGS   := $(CSTD) $(WARN) -D_POSIX_C_SOURCE=200809L -O2 -g
CORE_BENCH     := $(BUILD)/bench/core-bench
CORE_BENCH_OBJ := $(patsubst bench/%.c,$(BUILD)/bench/%.o,$(wildcard bench/core/*.c)) \
                  $(patsubst core/%.c,$(BUILD)/bench/lib/%.o,$(wildcard core/*.c))
CORE_BENCH_HDR := $(wildcard core/*.h report/*.h bench/core/*.h)

BENCH_TARGETS += core-bench
HELP_LINES    += "make core-bench  the core engine vs a bare walk, 1M and 10M objects (1-2 min)"

.PHONY: core-bench
core-bench: $(CORE_BENCH)
	$(CORE_BENCH)

$(BUILD)/bench/%.o: bench/%.c $(CORE_BENCH_HDR) | $(DEPS_STAMP)
	@mkdir -p $(dir $@)
	$(CC) $(BENCH_CFLAGS) -Icore -Ireport -c $< -o $@

$(BUILD)/bench/lib/%.o: core/%.c $(CORE_BENCH_HDR) | $(DEPS_STAMP)
	@mkdir -p $(dir $@)
	$(CC) $(BENCH_CFLAGS) -c $< -o $@

$(CORE_BENCH): $(CORE_BENCH_OBJ)
	$(CC) -o $@ $^
