-- accuracy.lua - footprint.sizeof against what the allocator saw.
--
-- For each structure: collectgarbage("count") after a full collection,
-- build it, collect again, count again; the difference is what building
-- it left allocated.  footprint.sizeof of the structure is the estimate.
-- `make bench` prints the table (bench/lua/bench.lua); tests/lua asserts
-- that every asserted row is within 10% for N >= 1000.
local fp = require "footprint"

local M = {}

-- Collect until the count stops falling: after a big structure is freed
-- Lua's string table shrinks by one halving per cycle.
-- The collector is stopped while a structure is built: a collection then
-- would also shrink the running thread's stack (Lua shrinks stacks it
-- finds over three times their use), by an amount that depends on how
-- deep the build happens to call.  Both settles run at the same depth, so
-- whatever the first one shrinks, the second finds as it was.
function M.around(build, ...)
  local before = M.settle()
  collectgarbage("stop")
  local v = build(...)
  collectgarbage("restart")
  local after = M.settle()
  return after - before, v
end

function M.settle()
  local c
  repeat
    c = collectgarbage("count")
    collectgarbage()
  until collectgarbage("count") == c
  return c * 1024
end

-- The builders hold nothing but the result: no temporary string outlives
-- them (string.format with a short result makes none).
M.cases = {
  {name = "array of N integers (t[i] = i)",
   build = function(n) local t = {} for i = 1, n do t[i] = i end return t end},
  {name = "N-key string->number map",
   build = function(n)
     local t = {}
     for i = 1, n do t[string.format("k%d", i)] = i end
     return t
   end},
  {name = "N small tables {x=1,y=2}",
   build = function(n)
     local t = {}
     for i = 1, n do t[i] = {x = 1, y = 2} end
     return t
   end},
  {name = "nested tables, N levels ({t})",
   build = function(n) local t = {} for _ = 1, n do t = {t} end return t end},
  {name = "tree of N tables (2 children)",
   build = function(n)
     local nodes = {{}}
     for i = 2, n do
       local parent = nodes[i // 2]
       local child = {}
       parent[#parent + 1] = child
       nodes[i] = child
     end
     return nodes[1]
   end},
  {name = "N records {id, name, tags}",
   build = function(n)
     local t = {}
     for i = 1, n do
       t[i] = {id = i, name = string.format("item%d", i), tags = {i, i + 1}}
     end
     return t
   end},
  {name = "N strings of 8 bytes",
   build = function(n)
     local t = {}
     for i = 1, n do t[i] = string.format("%08d", i) end
     return t
   end},
  {name = "N strings of 40 bytes (short)",
   build = function(n)
     local t = {}
     for i = 1, n do t[i] = string.format("%040d", i) end
     return t
   end},
  {name = "N strings of 100 bytes (long)",
   build = function(n)
     local t = {}
     for i = 1, n do t[i] = string.format("%050d%050d", i, i) end
     return t
   end},
  {name = "N closures, 2 upvalues each",
   build = function(n)
     local t = {}
     for i = 1, n do
       local a, b = i, {}
       t[i] = function() return a, b end
     end
     return t
   end},
  {name = "N closures sharing 1 upvalue",
   build = function(n)
     local t, shared = {}, {}
     for i = 1, n do t[i] = function() return shared, i end end
     return t
   end},
  -- Shown, not asserted: "k" .. i first converts i to a string, an
  -- interned temporary that dies at once but has already grown Lua's
  -- string table, which keeps the size (it only shrinks below 1/4 full).
  -- That growth is history, not part of the map.
  {name = 'N-key map, keys "k" .. i', informational = true,
   build = function(n)
     local t = {}
     for i = 1, n do t["k" .. i] = i end
     return t
   end},
}

-- estimate, measured delta for one case.
function M.measure(case, n)
  local measured, v = M.around(case.build, n)
  local estimate = fp.sizeof(v)
  v = nil
  return estimate, measured
end

function M.error_pct(estimate, measured)
  return (estimate - measured) / measured * 100
end

return M
