-- testlib.lua - the few helpers tests/lua needs: named tests, checks that
-- say what differed, and collectgarbage deltas as the measure of truth.
local T = {passed = 0, failed = 0}

-- Run fn as one test; a failure is reported and counted, never fatal.
function T.test(name, fn)
  local ok, err = xpcall(fn, debug.traceback)
  if ok then
    T.passed = T.passed + 1
  else
    T.failed = T.failed + 1
    io.write("FAIL ", name, "\n  ", tostring(err):gsub("\n", "\n  "), "\n")
  end
end

local function show(v)
  if type(v) == "string" then return string.format("%q", v) end
  return tostring(v)
end

function T.eq(got, want, what)
  if got ~= want then
    error(string.format("%s: expected %s, got %s", what or "value",
                        show(want), show(got)), 2)
  end
end

function T.ok(cond, what)
  if not cond then error((what or "condition") .. " does not hold", 2) end
end

-- |got - want| <= pct% of want
function T.near(got, want, pct, what)
  if math.abs(got - want) > math.abs(want) * pct / 100 then
    error(string.format("%s: %s not within %g%% of %s (%+.2f%%)",
                        what or "value", show(got), pct, show(want),
                        (got - want) / want * 100), 2)
  end
end

-- f must raise an error whose message contains pattern (plain text).
function T.raises(f, pattern, what)
  local ok, err = pcall(f)
  if ok then error((what or "call") .. " did not raise", 2) end
  if pattern and not tostring(err):find(pattern, 1, true) then
    error(string.format("%s raised %q, expected %q", what or "call",
                        tostring(err), pattern), 2)
  end
end

-- Bytes in use once the collector has settled: the accuracy table's
-- measure (bench/lua/accuracy.lua, on run.lua's path).
T.settle = require("accuracy").settle

-- Bytes building a value left allocated: the allocator's view.  The
-- value is returned so that the caller can size it.
T.delta = require("accuracy").around

-- Strings that exist before a delta (constants of the test's chunk) are
-- part of sizeof but not of the delta: what sizeof says of them, summed,
-- to subtract.
function T.strings(...)
  local fp = require "footprint"
  local n = 0
  for _, s in ipairs({...}) do n = n + fp.sizeof(s) end
  return n
end

return T
