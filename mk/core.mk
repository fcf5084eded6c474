# core/: libfootprint.a, libc and xxhash.h only.
CORE_SRC := $(wildcard core/*.c)
CORE_HDR := $(wildcard core/*.h)
LIB      := $(BUILD)/libfootprint.a
CORE_OBJ := $(CORE_SRC:core/%.c=$(BUILD)/core/%.o)

$(BUILD)/core/%.o: core/%.c $(CORE_HDR) | $(BUILD)/.deps
	@mkdir -p $(dir $@)
	$(CC) $(FP_CFLAGS) -c $< -o $@

$(LIB): $(CORE_OBJ)
	@rm -f $@
	ar rcs $@ $^

$(BUILD)/.deps:
	@$(MAKE) --no-print-directory deps
