# bindings/cli: the footprint command (build/footprint), a C program over
# dump files, and its tests (tests/cli: dumps made by mkdump.c, checked by
# run.py with the standard library only).
DEB_PACKAGES += python3

CLI         := $(BUILD)/footprint
CLI_SRC     := $(wildcard bindings/cli/*.c)
CLI_OBJ     := $(CLI_SRC:bindings/cli/%.c=$(BUILD)/cli/%.o)
CLI_HDR     := $(wildcard bindings/cli/*.h) core/footprint.h
# core.mk and deps.mk sort after this file: name their outputs directly.
CLI_LIB     := $(BUILD)/libfootprint.a
CLI_MKDUMP  := $(BUILD)/cli/mkdump

ALL_TARGETS  += $(CLI)
TEST_TARGETS += cli-test
HELP_LINES   += "make cli-test   the footprint command line on generated dumps"

.PHONY: cli-test

$(BUILD)/cli/%.o: bindings/cli/%.c $(CLI_HDR) | $(BUILD)/.deps-stamp
	@mkdir -p $(dir $@)
	$(CC) $(FP_CFLAGS) -Icore -c $< -o $@

$(CLI): $(CLI_OBJ) $(CLI_LIB)
	$(CC) $(FP_CFLAGS) -o $@ $^

$(CLI_MKDUMP): tests/cli/mkdump.c core/footprint.h $(CLI_LIB) | $(BUILD)/.deps-stamp
	@mkdir -p $(dir $@)
	$(CC) $(FP_CFLAGS) -Icore -o $@ $< $(CLI_LIB)

cli-test: $(CLI) $(CLI_MKDUMP)
	$(PYTHON) tests/cli/run.py $(CLI) $(CLI_MKDUMP)
