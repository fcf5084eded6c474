-- test_walks.lua - plain sizing walks by itself (fp_sizer_walk: the adapter
-- recurses through values on the Lua stack), anything with a depth limit
-- takes the core's walk.  A limit no graph here reaches (2^40) forces the
-- core's walk with the same meaning, so both must give the same figures
-- on every graph: random ones of every kind of value, chains across the
-- adapter's recursion bound (16 levels), several roots, every option.
local fp = require "footprint"
local T = require "testlib"
local test, eq, ok = T.test, T.eq, T.ok

local CORE = 1 << 40 -- a limit that only selects the core's walk

local function copy(t)
  local c = {}
  for k, v in pairs(t) do c[k] = v end
  return c
end

-- Sizes and stats of z:sizesof(...) for a sizer with opts.
local function measure(opts, ...)
  local z = fp.sizer(opts)
  local sizes = table.pack(z:sizesof(...))
  return sizes, z:stats()
end

-- Both walks on the same roots: every size and every figure agree.
local function agree(what, opts, ...)
  local core = copy(opts)
  core.limit = CORE
  local s1, st1 = measure(opts, ...)
  local s2, st2 = measure(core, ...)
  eq(s1.n, s2.n, what .. ": results")
  for i = 1, s1.n do eq(s1[i], s2[i], what .. ": root " .. i) end
  for _, k in ipairs{"total", "objects", "excluded", "failed", "truncated"} do
    eq(st1[k], st2[k], what .. ": stats." .. k)
  end
  -- past 200 levels the host-driven walk finishes deep branches later, so
  -- another path may reach a shared object first (docs/lua.md)
  if st2.max_depth < 200 then
    eq(st1.max_depth, st2.max_depth, what .. ": stats.max_depth")
  end
  -- without a limit, strings met again mostly stop in the adapter's cache
  ok(st1.revisits <= st2.revisits, what .. ": revisits")
  return s1, st1
end

-- A random graph of n values of every kind the adapter reads.
local function graph(seed)
  math.randomseed(seed)
  local R = math.random
  local nodes, tables = {}, {}
  local function pick() return nodes[R(#nodes)] end
  local function value()
    local k = R(12)
    if k <= 5 and #nodes > 0 then return pick()
    elseif k == 6 then return string.format("s%d", R(40))
    elseif k == 7 then return ("long"):rep(R(30))
    elseif k == 8 then return R(1000)
    elseif k == 9 then return R() < 0.5
    elseif k == 10 then return R() + 0.5
    elseif k == 11 then return print -- a light C function: a value
    else return {} end
  end
  for i = 1, 20 + R(150) do
    local kind, v = R(14), nil
    if kind <= 6 then
      v = {}
      tables[#tables + 1] = v
    elseif kind <= 8 then
      local a, b = value(), value()
      v = function() return a, b end
    elseif kind == 9 then -- two closures sharing one upvalue
      local shared = value()
      local f = function() return shared end
      nodes[#nodes + 1] = f
      v = function() shared = shared or f; return shared end
    elseif kind == 10 then -- suspended, with locals holding graph values
      v = coroutine.create(function(a, b)
        local c = {a, b}
        coroutine.yield()
        return c
      end)
      coroutine.resume(v, value(), value())
    elseif kind == 11 then -- not started: the function and its arguments
      v = coroutine.create(function(...) return ... end)
    elseif kind == 12 then -- full userdata with a user value
      v = fp.sizer({exclude = {value()}})
    else
      v = string.format("str%d", i) .. ("x"):rep(R(60))
    end
    nodes[#nodes + 1] = v
  end
  for _, t in ipairs(tables) do
    for _ = 1, R(10) do
      local k = R(5)
      local x = value()
      if k == 1 then t[#t + 1] = x
      elseif k == 2 then t["k" .. R(20)] = x
      elseif k == 3 then t[R(40)] = x
      elseif k == 4 then local key = pick(); if key == key then t[key] = x end
      else t[R() + 0.25] = x end
    end
    if R(4) == 1 then setmetatable(t, tables[R(#tables)]) end
  end
  -- chains that cross the adapter's recursion bound more than once
  for _ = 1, 3 do
    local c = {}
    for _ = 1, R(70) do
      c = R(3) == 1 and {c, value()} or {c}
    end
    tables[R(#tables)].chain = c
  end
  return nodes
end

local option_sets = {
  {},
  {metatables = true},
  {globals = true},
  {align = 8, metatables = true},
  {exact_arrays = false},
}

test("host-driven and core walks agree on random graphs", function()
  for seed = 1, 60 do
    local nodes = graph(seed)
    for o, opts in ipairs(option_sets) do
      local what = string.format("seed %d, options %d", seed, o)
      agree(what, opts, nodes)
      agree(what .. ", 3 roots", opts, nodes[1], nodes[#nodes // 2], nodes)
      local ex = copy(opts)
      ex.exclude = {nodes[2], nodes[3], nodes[5]}
      agree(what .. ", exclusions", ex, nodes)
    end
  end
end)

-- The running thread's stack holds the caller's locals, so both walks
-- must see the same ones: results go into tables made beforehand and
-- excluded from both, and the options tables have the same shape.
local function agree_here(what, t)
  local r1, r2 = {}, {}
  local z1 = fp.sizer({globals = true, limit = math.huge, exclude = {r1, r2}})
  local z2 = fp.sizer({globals = true, limit = CORE, exclude = {r1, r2}})
  r1.size = z1:sizeof(t)
  r2.size = z2:sizeof(t)
  r1.stats, r2.stats = z1:stats(), z2:stats()
  eq(r1.size, r2.size, what)
  for _, k in ipairs{"total", "objects", "excluded", "max_depth"} do
    eq(r1.stats[k], r2.stats[k], what .. ": stats." .. k)
  end
  ok(r1.stats.objects > 100, what .. ": the stack reaches the program")
end

test("the walks agree on the running thread, main or coroutine", function()
  agree_here("main thread", {coroutine.running(), {1, 2, {3}}})
  local co = coroutine.wrap(function(x)
    agree_here("running coroutine", {coroutine.running(), x})
    return true
  end)
  ok(co(("z"):rep(100)), "ran")
end)

test("a chain deeper than the recursion bound: every link, its depth", function()
  for _, n in ipairs{15, 16, 17, 31, 32, 33, 1000} do
    local c = {}
    for _ = 1, n do c = {c} end
    local sizes, st = agree("chain of " .. n, {}, c)
    eq(st.objects, n + 1, "chain of " .. n)
    eq(st.max_depth, n, "chain of " .. n)
    eq(sizes[1], (n + 1) * fp.flatsize({{}}) - 16, "chain of " .. n)
  end
end)
