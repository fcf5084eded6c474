# Lua 5.4: SWIG runs into generated/lua/, the module is build/lua/footprint.so,
# so that after `make`
#   LUA_CPATH='build/lua/?.so;;' lua5.4 -e 'require "footprint"'
# works.
#   lua-test    tests/lua (plain runner: "N passed, N failed")
#   lua-bench   accuracy table (model vs collectgarbage) and footprint.sizeof
#               vs a pure-Lua sizer on 100k and 1M values
DEB_PACKAGES += liblua5.4-dev lua5.4 swig pkg-config luarocks

LUA      ?= lua5.4
SWIG     ?= swig
# Asked of pkg-config when first used, not when make reads this file: on a
# fresh machine liblua5.4-dev (and pkg-config) arrive with make deps,
# after that.
LUA_INC   = $(eval LUA_INC := $(shell pkg-config --cflags lua5.4 2>/dev/null))$(LUA_INC)
LUA_SRC  := $(wildcard bindings/lua/*.c)
LUA_HDR  := $(wildcard bindings/lua/*.h)
LUA_OUT  := $(BUILD)/lua
LUA_SO   := $(LUA_OUT)/footprint.so
LUA_GEN  := $(GEN)/lua/footprint_wrap.c
LUA_OBJ  := $(LUA_SRC:bindings/lua/%.c=$(LUA_OUT)/%.o) $(LUA_OUT)/footprint_wrap.o
# core.mk sorts before this file: $(LIB) is known.  build/footprint is
# mk/cli.mk's CLI, which the dump test runs.
LUA_CLI  := $(BUILD)/footprint
LUA_CFLAGS = $(FP_CFLAGS) -fvisibility=hidden $(LUA_INC) -Icore -Ireport -Ibindings/lua
# SWIG's generated code is not ours to fix: every warning stays an error
# except those its output is known to trip (and helpers of the shared
# interface that only some languages use).  GCC_HASCLASSVISIBILITY makes
# SWIG export luaopen_footprint despite -fvisibility=hidden.
LUA_GEN_CFLAGS = $(LUA_CFLAGS) -DGCC_HASCLASSVISIBILITY -Wno-unused-parameter \
                 -Wno-missing-field-initializers -Wno-cast-function-type \
                 -Wno-unused-function
LUA_ENV  = LUA_CPATH='$(LUA_OUT)/?.so;;'

ALL_TARGETS   += $(LUA_SO)
TEST_TARGETS  += lua-test lua-rock-test
BENCH_TARGETS += lua-bench
HELP_LINES    += "make lua-test   tests/lua against build/lua/footprint.so"
HELP_LINES    += "make lua-rock-test  luarocks make of the rockspec in a copy of the sources"
HELP_LINES    += "make lua-bench  Lua: size model vs collectgarbage, sizeof vs a pure-Lua sizer"

.PHONY: lua-test lua-rock-test lua-bench

$(LUA_GEN): swig/lua.i swig/footprint.i core/footprint.h $(LUA_HDR) | $(DEPS_STAMP)
	@mkdir -p $(dir $@)
	$(SWIG) -lua -nomoduleglobal -Icore -Ibindings/lua -o $@ swig/lua.i

$(LUA_OUT)/%.o: bindings/lua/%.c $(LUA_HDR) core/footprint.h mk/lua.mk | $(DEPS_STAMP)
	@mkdir -p $(dir $@)
	$(CC) $(LUA_CFLAGS) -c $< -o $@

$(LUA_OUT)/footprint_wrap.o: $(LUA_GEN) $(LUA_HDR) core/footprint.h mk/lua.mk
	@mkdir -p $(dir $@)
	$(CC) $(LUA_GEN_CFLAGS) -c $< -o $@

$(LUA_SO): $(LUA_OBJ) $(REPORT_LIB) $(LIB)
	$(CC) -shared -o $@ $(LUA_OBJ) $(REPORT_LIB) $(LIB)

# tests/lua/oom.c: every Lua call of footprint under a failing allocator.
LUA_OOM  := $(BUILD)/tests/lua/oom
LUA_LIBS  = $(eval LUA_LIBS := $(shell pkg-config --libs lua5.4 2>/dev/null))$(LUA_LIBS)

$(LUA_OOM): tests/lua/oom.c mk/lua.mk | $(DEPS_STAMP)
	@mkdir -p $(dir $@)
	$(CC) $(FP_CFLAGS) $(LUA_INC) $< -o $@ $(LUA_LIBS)

lua-test: $(LUA_SO) $(LUA_CLI) $(LUA_OOM)
	$(LUA_ENV) $(LUA) tests/lua/run.lua $(LUA_CLI)
	$(LUA_ENV) $(LUA_OOM)

# The rockspec as a user runs it: `luarocks make` in a copy of the sources
# (nothing built there yet) into a scratch tree, then the module required
# from that tree alone.
LUA_ROCK := $(abspath $(BUILD))/rock
LUA_ROCKSPEC := bindings/lua/footprint-scm-1.rockspec

lua-rock-test: | $(DEPS_STAMP)
	@rm -rf $(LUA_ROCK) && mkdir -p $(LUA_ROCK)/src
	tar -c --exclude=./$(BUILD) --exclude=./generated --exclude=./.git . | \
	  tar -x -C $(LUA_ROCK)/src
	cd $(LUA_ROCK)/src && luarocks --lua-version 5.4 make \
	  --tree $(LUA_ROCK)/tree $(LUA_ROCKSPEC) > $(LUA_ROCK)/make.log 2>&1 || \
	  { cat $(LUA_ROCK)/make.log; exit 1; }
	LUA_CPATH='$(LUA_ROCK)/tree/lib/lua/5.4/?.so' $(LUA) tests/lua/rock.lua \
	  $(LUA_ROCK)/tree/

# bench/lua/floor.c: the public API's own cost, timed beside both sizers.
LUA_FLOOR := $(BUILD)/bench/lua/floor.so

$(LUA_FLOOR): bench/lua/floor.c mk/lua.mk | $(DEPS_STAMP)
	@mkdir -p $(dir $@)
	$(CC) $(FP_CFLAGS) $(LUA_INC) -shared $< -o $@

lua-bench: $(LUA_SO) $(LUA_FLOOR)
	LUA_CPATH='$(LUA_OUT)/?.so;$(dir $(LUA_FLOOR))?.so;;' $(LUA) bench/lua/bench.lua
