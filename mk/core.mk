# core/: libfootprint.a ($(LIB), named in the Makefile), libc and xxhash.h
# only.
DEB_PACKAGES += libxxhash-dev
CORE_SRC := $(wildcard core/*.c)
CORE_HDR := $(wildcard core/*.h)
CORE_OBJ := $(CORE_SRC:core/%.c=$(BUILD)/core/%.o)
ALL_TARGETS += $(LIB)

$(BUILD)/core/%.o: core/%.c $(CORE_HDR) | $(DEPS_STAMP)
	@mkdir -p $(dir $@)
	$(CC) $(FP_CFLAGS) -c $< -o $@

$(LIB): $(CORE_OBJ)
	@rm -f $@
	ar rcs $@ $^
