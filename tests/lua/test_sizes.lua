-- test_sizes.lua - every kind of value, sized against what the allocator
-- saw (collectgarbage deltas): the model must give Lua's own figures.
local fp = require "footprint"
local T = require "testlib"
local test, eq, ok, delta, strings = T.test, T.eq, T.ok, T.delta, T.strings

test("values that are not objects take no memory of their own", function()
  eq(fp.sizeof(nil), 0, "nil")
  eq(fp.sizeof(true), 0, "boolean")
  eq(fp.sizeof(42), 0, "integer")
  eq(fp.sizeof(4.5), 0, "float")
  eq(fp.sizeof(print), 0, "light C function")
  eq(fp.sizeof(debug.upvalueid(function() return T end, 1)), 0,
     "light userdata")
end)

test("empty table", function()
  local d, t = delta(function() return {} end)
  ok(d > 0)
  eq(fp.sizeof(t), d)
end)

test("array part grown by t[i] = i (Lua's rehash sizes)", function()
  for _, n in ipairs{1, 2, 3, 5, 17, 100, 1000} do
    local d, t = delta(function()
      local t = {}
      for i = 1, n do t[i] = i end
      return t
    end)
    eq(fp.sizeof(t), d, n .. " elements")
  end
end)

test("array part of a constructor is sized exactly (probed)", function()
  local d, t = delta(function() return {1, 2, 3} end)
  eq(fp.sizeof(t), d, "constructor")
  -- without the probe the rehash rule gives 4 slots: one value slot more
  local slot = fp.sizeof({1, 2, 3, 4}) - fp.sizeof({1, 2, 3})
  eq(fp.sizeof(t, {exact_arrays = false}), d + slot, "rule only")
  local d2, p = delta(function() return table.pack(1, 2, 3, 4, 5) end)
  eq(fp.sizeof(p) - strings("n"), d2, "table.pack")
end)

test("hash part rounded to a power of two", function()
  local d, t = delta(function() return {a = 1, b = 2, c = 3} end)
  eq(fp.sizeof(t) - strings("a", "b", "c"), d, "constructor")
  local d2, u = delta(function()
    local u = {}
    u.a, u.b, u.c, u.d, u.e = 1, 2, 3, 4, 5
    return u
  end)
  eq(fp.sizeof(u) - strings("a", "b", "c", "d", "e"), d2, "grown")
end)

test("array and hash parts together, integer keys in the hash", function()
  local d, t = delta(function()
    local t = {1, 2, 3, x = true}
    t[100] = 1
    t[-1] = 2
    t[2.5] = 3
    return t
  end)
  eq(fp.sizeof(t) - strings("x"), d)
end)

test("tables as keys are followed", function()
  local d, t = delta(function()
    local t = {}
    t[{}] = true
    t[{1}] = {2}
    return t
  end)
  eq(fp.sizeof(t), d)
end)

test("long strings: header, length and terminator", function()
  -- built by concatenation: one allocation (string.rep of more than a
  -- buffer's worth goes through a temporary userdata box)
  local piece = string.rep("x", 50)
  for _, parts in ipairs{1, 2, 100} do
    local d, s = delta(function()
      local s = piece .. "y"
      for _ = 2, parts do s = s .. piece end -- the shorter ones are garbage
      return s
    end)
    eq(fp.sizeof(s), d, #s .. " bytes")
  end
end)

test("short strings also hold a share of the string table", function()
  -- Creating one short string rarely grows the string table, so the
  -- smallest delta of a few is the string alone.
  local share
  local formats = {[1] = "%01d", [10] = "%010d", [40] = "%020d%020d"}
  for _, n in ipairs{1, 10, 40} do
    local best, s = math.huge, nil
    local fmt = formats[n]
    for i = 1, 5 do
      local d, v = delta(function() return string.format(fmt, i, i) end)
      if d < best then best, s = d, v end
    end
    eq(#s, n, "length")
    local extra = fp.sizeof(s) - best
    share = share or extra
    eq(extra, share, "the same share at length " .. n)
  end
  ok(share > 0 and share < 16, "share of 4/3 pointer, got " .. share)
  -- 41 bytes is a long string: not interned, no share
  eq(fp.sizeof(string.rep("y", 41)) - fp.sizeof(string.rep("y", 40)),
     1 - share, "short/long boundary")
end)

test("Lua closures with their upvalues", function()
  local d0, f0 = delta(function() return function() end end)
  eq(fp.sizeof(f0), d0, "no upvalue")
  local d1, f1 = delta(function()
    local t = {}
    return function() return t end
  end)
  eq(fp.sizeof(f1), d1, "one upvalue holding a table")
  local d2, f2 = delta(function()
    local a, b = 1, "zz"
    return function() return a, b end
  end)
  eq(fp.sizeof(f2) - strings("zz"), d2, "two upvalues")
end)

test("an upvalue shared by two closures counts once", function()
  local d, pair = delta(function()
    local shared = {1, 2, 3}
    return {function() return shared end, function() return shared end}
  end)
  eq(fp.sizeof(pair), d)
  local f, g = pair[1], pair[2]
  local sf, sg = fp.sizesof(f, g)
  eq(sf + sg + fp.flatsize(pair), d, "split between the two, once")
  ok(sf > sg, "the first owns the shared upvalue")
end)

test("C closures: upvalues inline, their values followed", function()
  local d, g = delta(function() return string.gmatch("abc", "%a") end)
  -- the subject and pattern are constants here: sizeof counts them
  eq(fp.sizeof(g) - strings("abc", "%a"), d)
  ok(fp.sizeof(g) > fp.sizeof(print), "a C closure is an object")
end)

test("full userdata without user values", function()
  local d, f = delta(function() return io.tmpfile() end)
  eq(fp.sizeof(f), d, "a file handle block")
  f:close()
end)

test("full userdata with user values, which are followed", function()
  local d, s = delta(function() return fp.sizer() end)
  eq(fp.sizeof(s), d, "a sizer object (one user value slot)")
  local payload = {1, 2, 3, 4}
  debug.setuservalue(s, payload, 1)
  eq(fp.sizeof(s), d + fp.sizeof(payload), "user value followed")
end)

test("a new coroutine: state, stack and function", function()
  local d, co = delta(function() return coroutine.create(function() end) end)
  eq(fp.sizeof(co), d)
end)

test("a suspended coroutine: what its stack holds", function()
  local d, co = delta(function()
    local co = coroutine.create(function(a)
      local big = {}
      for i = 1, 100 do big[i] = i end
      coroutine.yield(a)
    end)
    coroutine.resume(co, "arg")
    return co
  end)
  -- the stack holds big (and more frames than a new coroutine): the
  -- estimate of stack slots and levels stays close
  T.near(fp.sizeof(co) - strings("arg"), d, 10, "suspended coroutine")
  local tree = fp.sized(co, {detail = 1})
  local found = false
  for _, r in ipairs(tree.refs) do
    if r.name:find("big", 1, true) then found = r.size > 1600 end
  end
  ok(found, "the local table 'big' is a referent of the thread")
end)

test("the running thread can be sized", function()
  local co = coroutine.running()
  local n = fp.sizeof(co)
  ok(n > 0, "main thread as a root")
  local inner
  local c = coroutine.wrap(function()
    inner = fp.sizeof((coroutine.running()))
  end)
  c()
  ok(inner > 0, "a running coroutine")
end)
