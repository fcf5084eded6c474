-- run.lua - the Lua test suite: each tests/lua/test_*.lua in turn, then
-- "N passed, N failed"; exit status 1 if anything failed.
--   LUA_CPATH='build/lua/?.so;;' lua5.4 tests/lua/run.lua [CLI] [suite...]
-- CLI is the footprint command (build/footprint), which reads a dump the
-- tracker suite writes.
local dir = (arg[0]:match("^(.*)/[^/]*$") or ".")
package.path = dir .. "/?.lua;" .. dir .. "/../../bench/lua/?.lua;" ..
               package.path

local T = require "testlib"
T.cli = arg[1] or "build/footprint"

local suites = {"test_sizes", "test_graphs", "test_options", "test_walks",
                "test_deep",
                "test_accuracy", "test_tracker", "test_census", "test_errors"}
if arg[2] then suites = {table.unpack(arg, 2)} end

for _, name in ipairs(suites) do
  local before = T.passed + T.failed
  local clock = os.clock()
  dofile(dir .. "/" .. name .. ".lua")
  io.write(string.format("%-14s %3d tests  %.1f s\n", name,
                         T.passed + T.failed - before, os.clock() - clock))
end
io.write(string.format("%d passed, %d failed\n", T.passed, T.failed))
os.exit(T.failed == 0 and 0 or 1)
