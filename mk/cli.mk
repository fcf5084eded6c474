# bindings/cli: the footprint command (build/footprint), a C program over
# dump files on the core and the report (footprint.h and fp_report.h
# only), and its tests (tests/cli: dumps made by mkdump.c, checked by
# run.py with the standard library only).
DEB_PACKAGES += python3

CLI         := $(BUILD)/footprint
CLI_SRC     := $(wildcard bindings/cli/*.c)
CLI_OBJ     := $(CLI_SRC:bindings/cli/%.c=$(BUILD)/cli/%.o)
CLI_HDR     := $(wildcard bindings/cli/*.h) core/footprint.h report/fp_report.h
CLI_INC     := -Icore -Ireport
# The report comes before the core it is built on.
CLI_LIBS    := $(REPORT_LIB) $(LIB)
CLI_MKDUMP  := $(BUILD)/cli/mkdump

ALL_TARGETS  += $(CLI)
TEST_TARGETS += cli-test
HELP_LINES   += "make cli-test   the footprint command line on generated dumps"

.PHONY: cli-test

$(BUILD)/cli/%.o: bindings/cli/%.c $(CLI_HDR) | $(DEPS_STAMP)
	@mkdir -p $(dir $@)
	$(CC) $(FP_CFLAGS) $(CLI_INC) -c $< -o $@

$(CLI): $(CLI_OBJ) $(CLI_LIBS)
	$(CC) $(FP_CFLAGS) -o $@ $^

$(CLI_MKDUMP): tests/cli/mkdump.c core/footprint.h $(LIB) | $(DEPS_STAMP)
	@mkdir -p $(dir $@)
	$(CC) $(FP_CFLAGS) -Icore -o $@ $< $(LIB)

cli-test: $(CLI) $(CLI_MKDUMP)
	$(PYTHON) tests/cli/run.py $(CLI) $(CLI_MKDUMP)
