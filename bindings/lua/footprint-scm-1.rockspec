-- luarocks make bindings/lua/footprint-scm-1.rockspec   (from the
-- repository's top directory)
--
-- Builds build/lua/footprint.so with the project's Makefile (SWIG, a C
-- compiler and xxhash.h needed) and installs it as the module footprint.
-- DEPS_STAMP is emptied so that the Makefile does not try to install
-- Debian packages itself.  The rockspec names no release ("scm"): the
-- library's version lives in core/footprint.h alone (FP_VERSION_STRING;
-- footprint.version() at run time).
rockspec_format = "3.0"
package = "footprint"
version = "scm-1"
source = {
  url = "git+https://github.com/footprint-project/footprint.git",
}
description = {
  summary = "How much memory Lua values hold, by value and by class",
  detailed = [[
footprint sizes Lua values recursively (sizeof, sizesof, sized) from a
model of Lua 5.4's object layout, and tracks the instances of classes
(tables used as metatables) over time, with pympler's reports, dump files
and an HTML page.  The engine is C (libfootprint), shared with the Python
binding; the Lua adapter uses only Lua's public C API.
]],
  labels = {"memory", "profiler", "debug"},
}
dependencies = {
  "lua >= 5.4, < 5.5",
}
external_dependencies = {
  XXHASH = {header = "xxhash.h"},
}
build = {
  type = "make",
  makefile = "Makefile",
  build_target = "build/lua/footprint.so",
  build_variables = {
    CFLAGS = "$(CFLAGS)",
    LUA_INC = "-I$(LUA_INCDIR) -I$(XXHASH_INCDIR)",
    DEPS_STAMP = "",
  },
  install_pass = false,
  install = {
    lib = {footprint = "build/lua/footprint.so"},
  },
}
