-- test_deep.lua - 1,000,000 levels of nesting.  Sizing without a limit
-- recurses at most 200 levels (deeper objects wait in a Lua array), with
-- a limit or a tree the core walks with a heap stack: in both, neither the
-- C stack nor the Lua stack grows with depth.
local fp = require "footprint"
local T = require "testlib"
local test, eq, ok, delta = T.test, T.eq, T.ok, T.delta

local N = 1000000

test("a chain of 1,000,000 nested tables", function()
  local d, t = delta(function()
    local t = {}
    for _ = 1, N do t = {t} end
    return t
  end)
  eq(fp.sizeof(t), d)
  eq(fp.stats().objects, N + 1)
  eq(fp.stats().max_depth, N)
end)

test("a chain of 1,000,000 closures, each holding the previous", function()
  local d, f = delta(function()
    local f = function() end
    for _ = 1, N do
      local prev = f
      f = function() return prev end
    end
    return f
  end)
  eq(fp.sizeof(f), d)
  eq(fp.stats().max_depth, 2 * N, "closure, upvalue, closure, ...")
end)

test("a 1,000,000-level chain through keys, with limit and detail", function()
  local t = {}
  for _ = 1, N do t = {[t] = true} end
  local full = fp.sizeof(t)
  ok(full > N * 56, "sized to the bottom")
  eq(fp.sizeof(t, {limit = 10}), 11 * fp.flatsize(t), "cut at 10 levels")
  local tree = fp.sized(t, {detail = 5000})
  eq(tree.size, full)
  local depth, node = 0, tree
  while node.refs[1] do
    depth = depth + 1
    node = node.refs[1]
  end
  eq(depth, 5000, "a tree 5000 levels deep, built without recursion")
end)

local function down(n)
  if n == 0 then coroutine.yield() return end
  local keep = {n}
  down(n - 1)
  return keep
end

-- A coroutine suspended n calls deep in down, and the bytes it took.
local function suspended(n)
  return delta(function()
    local co = coroutine.create(down)
    coroutine.resume(co, n)
    return co
  end)
end

test("a coroutine suspended 1,000 calls deep, against the allocator", function()
  local d, co = suspended(1000)
  -- its stack and call levels are estimated from what the debug API
  -- shows of each level; every level's local table is followed
  T.near(fp.sizeof(co), d, 5, "1000-level coroutine")
  local tables = 0
  for _, r in ipairs(fp.sized(co, {detail = 1}).refs) do
    if r.name:find(" keep)", 1, true) then tables = tables + 1 end
  end
  eq(tables, 1000, "one 'keep' local per level")
  coroutine.close(co)
end)

test("a coroutine suspended 20,000 calls deep", function()
  -- levels past the first 16384 (lua_getstack costs O(level)) are counted
  -- from the ones read, their values not followed
  local d, co = suspended(20000)
  T.near(fp.sizeof(co), d, 50, "20000-level coroutine")
  coroutine.close(co)
end)
