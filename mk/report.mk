# report/: the HTML report, libfpreport.a ($(REPORT_LIB), named in the
# Makefile), built on core/footprint.h alone; its tests and its bench.
#   report-test   tests/report: a realistic tracker's report and diff page
#                 parsed as XML (structure, series, escaping, no external
#                 URL), then loaded in headless Chromium (screenshot, DOM,
#                 console); `footprint html` on the run's dump
#                 draws the same page
#   report-bench  bench/report: time and bytes of the report of 100k
#                 instances, against writing the same tracker's dump
# A font, so the browser test's screenshots show text, not boxes.
DEB_PACKAGES += chromium fonts-dejavu-core libxxhash-dev

REPORT_SRC   := $(wildcard report/*.c)
REPORT_HDR   := $(wildcard report/*.h) core/footprint.h
REPORT_OBJ   := $(REPORT_SRC:report/%.c=$(BUILD)/report/lib/%.o)
REPORT_INC   := -Icore -Ireport
REPORT_OUT   := $(BUILD)/report
MKREPORT     := $(REPORT_OUT)/mkreport
REPORT_BENCH := $(BUILD)/bench/report-bench

ALL_TARGETS   += $(REPORT_LIB)
TEST_TARGETS  += report-test
BENCH_TARGETS += report-bench
HELP_LINES    += "make report-test   HTML report: structure, escaping, headless Chromium (~15 s)"
HELP_LINES    += "make report-bench  HTML report of 10k and 100k instances: time and size"

.PHONY: report-test report-bench

$(BUILD)/report/lib/%.o: report/%.c $(REPORT_HDR) | $(DEPS_STAMP)
	@mkdir -p $(dir $@)
	$(CC) $(FP_CFLAGS) $(REPORT_INC) -c $< -o $@

$(REPORT_LIB): $(REPORT_OBJ)
	@rm -f $@
	ar rcs $@ $^

$(MKREPORT): tests/report/mkreport.c $(REPORT_LIB) $(LIB) $(REPORT_HDR) | $(DEPS_STAMP)
	@mkdir -p $(dir $@)
	$(CC) $(FP_CFLAGS) $(REPORT_INC) $< $(REPORT_LIB) $(LIB) -o $@

# build/footprint (mk/cli.mk): `footprint html` must draw the same page.
report-test: $(MKREPORT) $(BUILD)/footprint
	$(PYTHON) tests/report/test_report.py $(MKREPORT) $(BUILD)/footprint $(REPORT_OUT)

# Linked with the bench's own optimised copies of core/ (mk/bench.mk
# builds $(BUILD)/bench/lib/*.o) and of report/, so the figures do not
# depend on CFLAGS.
REPORT_BENCH_OBJ := $(BUILD)/bench/report/main.o \
                    $(REPORT_SRC:report/%.c=$(BUILD)/bench/rlib/%.o) \
                    $(patsubst core/%.c,$(BUILD)/bench/lib/%.o,$(wildcard core/*.c))

$(BUILD)/bench/rlib/%.o: report/%.c $(REPORT_HDR) | $(DEPS_STAMP)
	@mkdir -p $(dir $@)
	$(CC) $(BENCH_CFLAGS) $(REPORT_INC) -c $< -o $@

$(REPORT_BENCH): $(REPORT_BENCH_OBJ)
	$(CC) -o $@ $^

report-bench: $(REPORT_BENCH)
	$(REPORT_BENCH)
