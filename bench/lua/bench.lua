-- bench.lua - `make lua-bench` (part of `make bench`).
--
-- 1. The accuracy table: footprint.sizeof against the allocator
--    (collectgarbage("count") deltas) for the structures of
--    bench/lua/accuracy.lua.
-- 2. Speed: footprint.sizeof against the usual pure-Lua recursive sizer
--    (bench/lua/luasizer.lua: a visited table, the same size model) on
--    graphs of 100k and 1M values, measured side by side in one run.
--    Both must agree on the total.  Beside them, the public API's floor
--    (bench/lua/floor.c: lua_next over every table, nothing else): Lua
--    time over floor time bounds the ratio any sizer using the public API
--    could reach.  Times are CPU seconds (os.clock), the median of runs
--    interleaved so that a busy machine slows all three.  Each row runs in
--    a fresh Lua process, so that no row's heap is laid out by the rows
--    before it; one row does that on purpose (a graph built where a freed
--    one was).
-- 3. The census: footprint.census() of a heap holding each graph, beside
--    footprint.sizeof of the graph (the same walk without the counting),
--    in fresh processes too.
--
--   LUA_CPATH='build/lua/?.so;build/bench/lua/?.so;;' \
--     lua5.4 bench/lua/bench.lua [accuracy|speed|census]
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

-- The same small tables, built where a freed graph of records was: the
-- heap of a program that has been running a while.  Objects are no longer
-- laid out in the order a walk meets them.
graphs[#graphs + 1] = {name = "small, reused heap", per = 1, build =
  function(n)
    local junk = graphs[1].build(n)
    junk = nil
    collectgarbage()
    collectgarbage()
    return graphs[2].build(n)
  end}

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

-- One row, in this process: prints "objects c lua floor".
local function row(gi, n)
  local floor = require "floor"
  local g = graphs[gi]
  local v = g.build(n)
  local tc, tl, tf = {}, {}, {}
  local runs = n >= 1000000 and 3 or 5
  for _ = 1, runs do
    local a, ra = cpu(fp.sizeof, v)
    local b, rb = cpu(luasizer.sizeof, v)
    local c, rc = cpu(floor, v)
    assert(ra == rb, string.format("%s: footprint %d, pure Lua %d",
                                   g.name, ra, rb))
    assert(ra > 0 and rc > 0)
    tc[#tc + 1], tl[#tl + 1], tf[#tf + 1] = a, b, c
  end
  print(fp.stats().objects, median(tc), median(tl), median(tf))
end

local function speed()
  print("Speed: footprint.sizeof vs pure-Lua recursive sizer " ..
        "(same model, visited table);")
  print("floor: lua_next over every table and nothing else; " ..
        "bound = Lua / floor, the most any public-API sizer could reach")
  print(string.format("%-20s %8s %8s %8s %8s %8s %6s %7s %7s", "graph",
                      "values", "objects", "C (s)", "Lua (s)", "floor(s)",
                      "C ns", "ratio", "bound"))
  local interp = arg[-1] or "lua5.4"
  for _, n in ipairs{100000, 1000000} do
    for gi, g in ipairs(graphs) do
      local p = assert(io.popen(string.format("%s %s row %d %d", interp,
                                              arg[0], gi, n)))
      local out = p:read("a")
      assert(p:close(), g.name .. ": the row failed")
      local objects, c, l, f = out:match("^(%S+)%s+(%S+)%s+(%S+)%s+(%S+)")
      objects, c, l, f = tonumber(objects), tonumber(c), tonumber(l),
                         tonumber(f)
      print(string.format("%-20s %8d %8d %8.4f %8.4f %8.4f %6.0f %6.1fx "
                          .. "%6.1fx", g.name, n, objects, c, l, f,
                          c / objects * 1e9, l / c, l / f))
    end
  end
end

-- One census row, in this process: prints "objects census sizeof
-- memory" (memory: the C bytes the census held at its end, its peak).
local function census_row(gi, n)
  local v = graphs[gi].build(n)
  local tc, ts, objects, memory = {}, {}, 0, 0
  for _ = 1, 3 do
    local a, tot = cpu(function() return select(2, fp.census()) end)
    local b = cpu(fp.sizeof, v)
    tc[#tc + 1], ts[#ts + 1], objects, memory = a, b, tot.count, tot.memory
    assert(tot.count >= fp.stats().objects, "the census sees the graph")
  end
  print(objects, median(tc), median(ts), memory)
end

local function census()
  print("Census: footprint.census() of the whole heap vs footprint.sizeof " ..
        "of the graph it holds")
  print(string.format("%-20s %8s %8s %10s %10s %8s %7s %7s", "graph",
                      "values", "objects", "census(s)", "sizeof(s)",
                      "ns/obj", "ratio", "B/obj"))
  local interp = arg[-1] or "lua5.4"
  for _, n in ipairs{100000, 1000000} do
    for gi, g in ipairs(graphs) do
      local p = assert(io.popen(string.format("%s %s census-row %d %d",
                                              interp, arg[0], gi, n)))
      local out = p:read("a")
      assert(p:close(), g.name .. ": the census row failed")
      local objects, c, z, m = out:match("^(%S+)%s+(%S+)%s+(%S+)%s+(%S+)")
      objects, c, z, m = tonumber(objects), tonumber(c), tonumber(z),
                         tonumber(m)
      print(string.format("%-20s %8d %8d %10.4f %10.4f %8.0f %6.2fx %7.1f",
                          g.name, n, objects, c, z, c / objects * 1e9,
                          c / z, m / objects))
    end
  end
end

if what == "row" then
  row(tonumber(arg[2]), tonumber(arg[3]))
  return
end
if what == "census-row" then
  census_row(tonumber(arg[2]), tonumber(arg[3]))
  return
end
if what ~= "speed" and what ~= "census" then accuracy() end
if what ~= "accuracy" and what ~= "census" then speed() end
if what ~= "accuracy" and what ~= "speed" then census() end
