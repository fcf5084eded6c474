-- test_census.lua - footprint.census(): every object the registry
-- reaches, once, by type and by metatable __name / tracked class; checked
-- against what building objects cost the allocator, against sizesof over
-- the same roots, and for what it must not do (count itself, run code).
-- Then a tracker's snapshots with a census: stored, named by its
-- classes, dumped, read back and printed by the CLI.
local fp = require "footprint"
local T = require "testlib"
local test, eq, ok, raises = T.test, T.eq, T.ok, T.raises

-- Figures of row `name` in a census, as numbers (0, 0 when absent), so
-- that the caller holds no table of it when it takes the next one.
local function row(name, opts)
  local rows = fp.census(opts)
  for _, r in ipairs(rows) do
    if r.name == name then return r.count, r.size end
  end
  return 0, 0
end

-- The figures of several rows at once: {name = {count, size}}.
local function rows_of(opts, ...)
  local want, got = {...}, {}
  local rows = fp.census(opts)
  for _, name in ipairs(want) do got[name] = {0, 0} end
  for _, r in ipairs(rows) do
    if got[r.name] then got[r.name] = {r.count, r.size} end
  end
  return got
end

test("N tables of a __name class: a row of exactly N, their model size", function()
  local Point = {__name = "CensusPoint"}
  local N = 1000
  eq(row("CensusPoint"), 0, "no row before any instance")
  local bytes, list = T.delta(function()
    local l = {}
    for i = 1, N do l[i] = setmetatable({}, Point) end
    return l
  end)
  local count, size = row("CensusPoint")
  eq(count, N, "instances")
  -- the allocator's figure for the N tables: what building left, but the
  -- list that holds them
  eq(size, bytes - fp.flatsize(list), "bytes")
  eq(size, N * fp.flatsize(setmetatable({}, Point)), "N * the model's size")
  list[N + 1] = setmetatable({x = 1}, Point) -- a hash node: 24 more
  eq(select(2, row("CensusPoint")), size + fp.flatsize(list[N + 1]))
end)

test("strings, closures and upvalues counted as the allocator sees them", function()
  local N = 500
  local strs, fns = {}, {}
  local pad = string.rep("s", 90)
  local function build()
    -- long strings, and no short one made on the way: interning one
    -- grows Lua's string table, which outlives it
    for i = 1, N do strs[i] = string.format("%s%010d", pad, i) end
    for i = 1, N do
      local v = i
      fns[i] = function() return v end -- one UpVal each
    end
  end
  local empty = fp.flatsize(strs) + fp.flatsize(fns)
  local before = rows_of(nil, "string", "function", "upvalue")
  local bytes = T.delta(build)
  local after = rows_of(nil, "string", "function", "upvalue")
  eq(after.string[1] - before.string[1], N, "new strings")
  eq(after.string[2] - before.string[2], N * (24 + 100 + 1), "string bytes")
  eq(after["function"][1] - before["function"][1], N, "new closures")
  eq(after.upvalue[1] - before.upvalue[1], N, "new upvalues")
  -- what the two lists grew by
  local grown = fp.flatsize(strs) + fp.flatsize(fns) - empty
  eq(after.string[2] - before.string[2] +
     after["function"][2] - before["function"][2] +
     after.upvalue[2] - before.upvalue[2], bytes - grown,
     "strings + closures + upvalues == the allocator's delta")
end)

test("userdata are grouped by their metatable's __name", function()
  local before_n, before_s = row("FILE*")
  ok(before_n >= 3, "stdin, stdout, stderr")
  local f = assert(io.tmpfile())
  local n, s = row("FILE*")
  eq(n, before_n + 1)
  eq(s, before_s + fp.flatsize(f))
  f:close()
end)

test("groups: __name, else the tracked class, else the plain type", function()
  local Named = {__name = "CensusNamed"}
  local Plain = {}
  local Both = {__name = "CensusBoth"}
  local objs = {}
  for i = 1, 10 do objs[#objs + 1] = setmetatable({}, Named) end
  for i = 1, 20 do objs[#objs + 1] = setmetatable({}, Plain) end
  for i = 1, 30 do objs[#objs + 1] = setmetatable({}, Both) end
  local t = fp.tracker()
  t:track_class(Plain, "CensusTracked")
  t:track_class(Both, "CensusTrackedBoth")
  local o = {tracker = t}
  local with = rows_of(o, "CensusNamed", "CensusTracked", "CensusBoth",
                       "CensusTrackedBoth")
  eq(with.CensusNamed[1], 10)
  eq(with.CensusTracked[1], 20, "a class without __name: the tracked name")
  eq(with.CensusBoth[1], 30, "__name comes first")
  eq(with.CensusTrackedBoth[1], 0)
  eq(rows_of(nil, "CensusTracked").CensusTracked[1], 0,
     "no tracker, no class names")
  -- both at once, from one place: the plain tables are 20 more
  local function tables(opts)
    return rows_of(opts, "table").table[1]
  end
  local plain, named = tables(nil), tables(o)
  eq(plain - named, 20, "plain tables without a tracker")
  -- two metatables sharing a __name are one row
  for i = 1, 5 do objs[#objs + 1] = setmetatable({}, {__name = "CensusNamed"}) end
  eq(row("CensusNamed"), 15)
end)

test("names that agree are one row, long ones too", function()
  local long = string.rep("L", 60) -- not interned: two strings, one text
  local a = {__name = long}
  local b = {__name = string.rep("L", 30) .. string.rep("L", 30)}
  ok(a.__name == b.__name)
  local objs = {}
  for i = 1, 4 do objs[i] = setmetatable({}, i % 2 == 0 and a or b) end
  eq(row(long), 4)
end)

test("every object once: rows add up to the totals, sharing counts once", function()
  local Shared = {__name = "CensusShared"}
  local one = setmetatable({}, Shared)
  local refs = {}
  for i = 1, 1000 do refs[i] = {one, one, [one] = one} end
  refs.cycle = refs
  eq(row("CensusShared"), 1, "referenced 3000 times, counted once")
  local rows, tot = fp.census()
  local count, size = 0, 0
  for i, r in ipairs(rows) do
    count, size = count + r.count, size + r.size
    if i > 1 then ok(r.size <= rows[i - 1].size, "largest first") end
  end
  eq(count, tot.count, "count")
  eq(size, tot.size, "size")
  eq(tot.failed, 0, "failed")
  eq(tot.rows, #rows, "rows")
  -- its C memory: a visited set and the census's own, a few bytes an
  -- object past their smallest size
  ok(tot.memory > 0 and tot.memory < 64 * tot.count + 65536, "memory")
end)

test("the same objects as sizesof over the same roots", function()
  -- the census's roots: the registry, the running thread, the types'
  -- metatables; a sizer follows them with globals and metatables on
  local z = fp.sizer({globals = true, metatables = true})
  local reg, co, smt = debug.getregistry(), coroutine.running(),
                       getmetatable("")
  local a, b, c = z:sizesof(reg, co, smt)
  local rows, tot = fp.census()
  eq(tot.count, z:stats().objects, "objects")
  -- bytes: the same but for the running thread's stack, estimated from
  -- the slots its frames use, which differ between the two calls (the
  -- stack doubles from 40 slots up)
  local thread = 0
  for _, r in ipairs(rows) do
    if r.name == "thread" then thread = r.size end
  end
  local diff = a + b + c - tot.size
  eq(diff % 16, 0, "a whole number of stack slots")
  ok(math.abs(diff) < thread, "no more than the thread's own size")
end)

test("the census counts none of its own allocations", function()
  local counts, sizes, nrows = {0, 0, 0}, {0, 0, 0}, {0, 0, 0}
  for i = 1, 3 do
    -- the last call's rows are garbage now: not reachable, not counted
    local rows, tot = fp.census()
    counts[i], sizes[i], nrows[i] = tot.count, tot.size, #rows
  end
  eq(counts[2], counts[1], "count")
  eq(sizes[2], sizes[1], "size")
  eq(counts[3], counts[2], "count")
  eq(sizes[3], sizes[2], "size")
  eq(nrows[3], nrows[1], "rows")
  -- a result that is kept is the program's, like any table
  local kept = fp.census()
  local n = #kept
  local t = rows_of(nil, "table")
  ok(t.table[1] >= n + 1, "a kept result is counted")
end)

test("limit keeps the largest rows; the totals keep every row", function()
  -- figures of the limited census as numbers, in a table made before
  -- both calls, with both options tables, so that both see one heap
  local top = {0, 0, 0, 0, 0, 0, 0}
  local three, all_rows = {limit = 3}, {limit = math.huge}
  do
    local rows, tot = fp.census(three)
    eq(#rows, 3)
    for i = 1, 3 do top[i], top[3 + i] = rows[i].size, rows[i].count end
    top[7] = tot.rows
  end
  local all, tot = fp.census(all_rows)
  ok(tot.rows > 3)
  eq(top[7], tot.rows, "the totals count every row")
  for i = 1, 3 do
    eq(top[i], all[i].size, "size")
    eq(top[3 + i], all[i].count, "count")
  end
  eq(#fp.census({limit = 0}), 0)
  eq(#fp.census({limit = math.huge}), tot.rows)
end)

test("code = true counts prototypes and the strings only they hold", function()
  -- one function a line: a prototype is known by its lines
  local chunk = [[
    local function a() return "census-only-in-a-prototype" end
    local function b()
      return function() return 2 end
    end
    return function() return a, b end
  ]]
  local before = rows_of({code = true}, "prototype")
  local f = assert(load(chunk, "=census-chunk"))()
  local after = rows_of({code = true}, "prototype")
  -- a, b, b's inner function (made by no closure yet), the returned
  -- function; not the chunk's, whose closure is garbage
  eq(after.prototype[1] - before.prototype[1], 4, "prototypes")
  -- their sizes as sized sees them (the core-driven walk's reading)
  local function protos(node)
    local n = node.name == "(prototype)" and node.flat or 0
    for _, r in ipairs(node.refs) do n = n + protos(r) end
    return n
  end
  local tree = fp.sized(f, {code = true, detail = 20})
  eq(after.prototype[2] - before.prototype[2], protos(tree), "bytes")
  eq(row("prototype"), 0, "none without code")
  local with = rows_of({code = true}, "string").string[1]
  local without = rows_of(nil, "string").string[1]
  ok(with > without, "strings only prototypes hold")
end)

test("a census runs no code of the program and changes nothing", function()
  local calls = 0
  local function count() calls = calls + 1 end
  local hostile = {__index = function() count() return 1 end,
                   __newindex = count, __pairs = function() count() end,
                   __len = function() count() return 0 end, __eq = count,
                   __tostring = function() count() return "x" end,
                   __gc = count, __close = count, __call = count,
                   __metatable = "locked", __name = "CensusHostile"}
  local odd = {__name = setmetatable({}, {__tostring = count,
                                           __index = count})}
  local numbered = {__name = 42}
  local objs = {}
  for i = 1, 3 do objs[#objs + 1] = setmetatable({}, hostile) end
  for i = 1, 4 do objs[#objs + 1] = setmetatable({}, odd) end
  for i = 1, 5 do objs[#objs + 1] = setmetatable({}, numbered) end
  local got = rows_of(nil, "CensusHostile", "table", "42")
  eq(got.CensusHostile[1], 3, "grouped by __name despite __metatable")
  eq(got["42"][1], 0, "a __name that is no string is no name")
  eq(calls, 0, "metamethods called")
  -- garbage waiting for its finalizer stays waiting
  local ran = 0
  for i = 1, 100 do
    setmetatable({}, {__gc = function() ran = ran + 1 end})
  end
  fp.census()
  eq(ran, 0, "finalizers run during the census")
  collectgarbage()
  collectgarbage()
  eq(ran, 100, "they run afterwards")
  eq(collectgarbage("isrunning"), true, "collector restarted")
  collectgarbage("stop")
  fp.census()
  eq(collectgarbage("isrunning"), false, "collector left stopped")
  collectgarbage("restart")
end)

test("from a coroutine: every thread, and the same figures", function()
  local _, main = fp.census()
  local co = coroutine.wrap(function()
    local rows, tot = fp.census()
    coroutine.yield(tot)
  end)
  local tot = co()
  -- the coroutine's thread, its closure, the wrap's C closure
  ok(tot.count > main.count, "the coroutine's objects too")
  local threads = rows_of(nil, "thread").thread[1]
  ok(threads >= 2, "main thread and the suspended coroutine")
end)

test("a census from inside a finalizer", function()
  local got
  do
    setmetatable({}, {__gc = function(o)
      local rows, tot = fp.census()
      got = tot.count
    end})
  end
  collectgarbage()
  collectgarbage()
  ok(got and got > 0, "census inside __gc")
  eq(collectgarbage("isrunning"), true)
end)

test("misuse raises", function()
  raises(function() fp.census(5) end, "table expected")
  raises(function() fp.census({nosuch = 1}) end, "unknown option 'nosuch'")
  raises(function() fp.census({limit = -1}) end, "limit")
  raises(function() fp.census({limit = 1.5}) end, "limit")
  raises(function() fp.census({code = 1}) end, "boolean")
  raises(function() fp.census({tracker = {}}) end, "tracker")
  raises(function() fp.census({tracker = io.stdout}) end,
         "does not follow Lua objects")
  local loaded = fp.Tracker()
  raises(function() fp.census({tracker = loaded}) end,
         "does not follow Lua objects")
end)

-- ---- a tracker's snapshots ----

-- A census's rows by name: {name = {count, size}}.
local function by_name(rows)
  local t = {}
  for _, r in ipairs(rows) do t[r.name] = {r.count, r.size} end
  return t
end

test("a snapshot stores a census when asked, named by the tracker", function()
  local Widget, Named = {}, {__name = "CensusSnapNamed"}
  local objs = {}
  for i = 1, 12 do objs[i] = setmetatable({i}, Widget) end
  for i = 1, 7 do objs[12 + i] = setmetatable({}, Named) end
  local t = fp.tracker()
  t:track_class(Widget, "CensusWidget")
  ok(t:snapshot("without"))
  ok(t:snapshot("with", {census = true}))
  ok(t:snapshot("top two", {census = 2}))
  eq(t:census_count(0), 0, "no census unless asked")
  local rows, tot = t:census(1)
  local got = by_name(rows)
  eq(got.CensusWidget[1], 12, "a tracked class by its name")
  eq(got.CensusWidget[2], 12 * fp.flatsize(objs[1]), "its bytes")
  eq(got.CensusSnapNamed[1], 7, "__name")
  eq(got["footprint.trackerstate"], nil, "the tracker leaves itself out")
  local count, size = 0, 0
  for i, r in ipairs(rows) do
    count, size = count + r.count, size + r.size
    -- the shared getters read the same
    eq(t:census_name(1, i - 1), r.name)
    eq(t:census_objects(1, i - 1), r.count)
    eq(t:census_flat(1, i - 1), r.size)
  end
  eq(count, tot.count, "every row kept: they add up")
  eq(size, tot.size)
  eq(t:census_total_objects(1), tot.count)
  local top, tot2 = t:census(2)
  eq(#top, 2, "census = 2 keeps two rows")
  eq(tot2.rows, 2)
  ok(tot2.count > top[1].count + top[2].count, "totals over every type")
  eq(top[1].name, rows[1].name, "the largest")
end)

test("a tracker-wide census, and a snapshot that declines it", function()
  local t = fp.tracker({census = true})
  ok(t:snapshot("a"))
  ok(t:snapshot("b", {census = false}))
  ok(t:census_count(0) > 0)
  eq(t:census_count(1), 0)
  raises(function() fp.tracker({census = "yes"}) end, "census")
  raises(function() fp.tracker({nosuch = true}) end, "unknown option")
  raises(function() t:snapshot("c", {census = -1}) end, "census")
  raises(function() t:census(5) end, "no snapshot 5")
  raises(function() fp.tracker():census() end, "no snapshot yet")
end)

test("a snapshot's census is dumped, loaded back and printed", function()
  local Widget, Untracked = {}, {__name = "CensusUntracked"}
  local objs = {}
  for i = 1, 9 do objs[i] = setmetatable({}, Widget) end
  for i = 1, 4 do objs[9 + i] = setmetatable({}, Untracked) end
  local t = fp.tracker({census = true})
  t:track_class(Widget, "CensusDumped")
  ok(t:snapshot("one"))
  local path = os.tmpname()
  eq(t:dump(path), true)
  local l = fp.load(path)
  local a, ta = t:census(0)
  local b, tb = l:census(0)
  eq(#b, #a, "rows")
  for i = 1, #a do
    eq(b[i].name, a[i].name)
    eq(b[i].count, a[i].count)
    eq(b[i].size, a[i].size)
  end
  eq(tb.count, ta.count)
  eq(tb.size, ta.size)
  eq(by_name(b).CensusDumped[1], 9)
  local p = io.popen(T.cli .. " summary " .. path .. " 2>&1")
  local out = p:read("a")
  p:close()
  -- a type only the census names
  ok(out:find("CensusUntracked", 1, true), "the CLI shows the census:\n" ..
     out)
  os.remove(path)
end)
