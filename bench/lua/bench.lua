-- bench.lua - `make lua-bench` (part of `make bench`).
--
-- 1. The accuracy table: footprint.sizeof against the allocator
--    (collectgarbage("count") deltas) for the structures of
--    bench/lua/accuracy.lua.
-- 2. Speed: footprint.sizeof against the usual pure-Lua recursive sizer
--    (bench/lua/luasizer.lua: a visited table, the same size model) on
--    graphs of 100k and 1M values, measured side by side in one run.
--    Both must agree on the total.  Times are CPU seconds (os.clock),
--    the median of runs interleaved so that a busy machine slows both.
--
--   LUA_CPATH='build/lua/?.so;;' lua5.4 bench/lua/bench.lua [accuracy|speed]
local dir = (arg[0]:match("^(.*)/[^/]*$") or ".")
package.path = dir .. "/?.lua;" .. package.path

local fp = require "footprint"
local acc = require "accuracy"
local luasizer = require "luasizer"

local what = arg[1]

local function accuracy()
  print("Accuracy: footprint.sizeof vs collectgarbage(\"count\") delta" ..
        " (bytes; target within 10% for N >= 1000)")
  print(string.format("%-34s %8s %12s %12s %8s", "structure", "N",
                      "estimate", "measured", "error"))
  local worst = 0
  for _, n in ipairs{1000, 10000, 100000, 1000000} do
    for _, case in ipairs(acc.cases) do
      local e, m = acc.measure(case, n)
      local err = acc.error_pct(e, m)
      if not case.informational then worst = math.max(worst, math.abs(err)) end
      print(string.format("%-34s %8d %12d %12d %+7.2f%%%s", case.name, n, e,
                          m, err, case.informational and "  (shown only)"
                          or ""))
    end
  end
  print(string.format("worst error on asserted structures: %.2f%%\n", worst))
end

-- Graphs of about n values (objects: tables, strings, closures, upvalues).
local graphs = {
  {name = "records (mixed)", per = 5, build = function(n)
     -- {id, name, tags = {..}, get = closure}: table, string, table,
     -- closure, upvalue per record
     local t = {}
     for i = 1, n // 5 do
       local r = {id = i, name = string.format("item%d", i), tags = {i, i + 1}}
       r.get = function() return r.id end
       t[i] = r
     end
     return t
   end},
  {name = "small tables {x=,y=}", per = 1, build = function(n)
     local t = {}
     for i = 1, n do t[i] = {x = i, y = 2} end
     return t
   end},
  {name = "strings", per = 1, build = function(n)
     local t = {}
     for i = 1, n do t[i] = string.format("s%07d", i) end
     return t
   end},
  {name = "binary tree", per = 1, build = function(n)
     local nodes = {{}}
     for i = 2, n do
       local p = nodes[i // 2]
       p[#p + 1] = {}
       nodes[i] = p[#p]
     end
     return nodes[1]
   end},
  {name = "closures + upvalues", per = 2, build = function(n)
     local t = {}
     for i = 1, n // 2 do t[i] = function() return i end end
     return t
   end},
}

local function median(xs)
  table.sort(xs)
  return xs[(#xs + 1) // 2]
end

local function cpu(f, v)
  collectgarbage()
  collectgarbage()
  local c = os.clock()
  local r = f(v)
  return os.clock() - c, r
end

local function speed()
  print("Speed: footprint.sizeof vs pure-Lua recursive sizer " ..
        "(same model, visited table)")
  print(string.format("%-22s %9s %9s %10s %10s %9s %8s", "graph", "values",
                      "objects", "C (s)", "Lua (s)", "C ns/obj", "ratio"))
  for _, n in ipairs{100000, 1000000} do
    for _, g in ipairs(graphs) do
      local v = g.build(n)
      local tc, tl, total = {}, {}, nil
      local runs = n >= 1000000 and 3 or 5
      for _ = 1, runs do
        local a, ra = cpu(fp.sizeof, v)
        local b, rb = cpu(luasizer.sizeof, v)
        assert(ra == rb, string.format("%s: footprint %d, pure Lua %d",
                                       g.name, ra, rb))
        total = ra
        tc[#tc + 1], tl[#tl + 1] = a, b
      end
      local objects = fp.stats().objects
      local c, l = median(tc), median(tl)
      print(string.format("%-22s %9d %9d %10.4f %10.4f %9.0f %7.1fx",
                          g.name, n, objects, c, l, c / objects * 1e9,
                          l / c))
      assert(total > 0)
      v = nil
    end
  end
end

if what ~= "speed" then accuracy() end
if what ~= "accuracy" then speed() end
