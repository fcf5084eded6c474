-- test_options.lua - limit, exclude, metatables, globals, code, align,
-- flatsize, sizer objects and their stats.
local fp = require "footprint"
local T = require "testlib"
local test, eq, ok = T.test, T.eq, T.ok

test("limit: referents deeper than the limit are not sized", function()
  local leaf = {1, 2, 3}
  local mid = {leaf}
  local top = {mid}
  eq(fp.sizeof(top, {limit = 0}), fp.flatsize(top), "limit 0: flat")
  eq(fp.sizeof(top, {limit = 1}), fp.flatsize(top) + fp.flatsize(mid))
  eq(fp.sizeof(top, {limit = 2}), fp.sizeof(top))
  eq(fp.sizeof(top, {limit = math.huge}), fp.sizeof(top), "math.huge")
  fp.sizeof(top, {limit = 1})
  eq(fp.stats().truncated, 1, "one object hidden by the limit")
  eq(fp.stats().max_depth, 1)
end)

test("limit: a shorter path still sizes what a longer one cut", function()
  local shared = {1, 2, 3, 4}
  local t = {{{shared}}, shared}
  local want = fp.flatsize(t) + fp.flatsize(t[1]) + fp.sizeof(shared)
  eq(fp.sizeof(t, {limit = 1}), want)
  eq(fp.stats().truncated, 1, "only t[1][1] stays unsized")
end)

test("exclude: listed values are not followed", function()
  local big = {}
  for i = 1, 1000 do big[i] = i end
  local t = {big, {1}}
  local want = fp.sizeof(t) - fp.sizeof(big)
  eq(fp.sizeof(t, {exclude = {big}}), want)
  eq(fp.stats().excluded, 1)
  eq(fp.sizeof(big, {exclude = {big}}), fp.sizeof(big), "a root is sized")
end)

test("metatables: not followed unless asked", function()
  local Class = {__index = {}, method = function() end}
  local obj = setmetatable({1}, Class)
  eq(fp.sizeof(obj), fp.flatsize(obj), "the class is shared data")
  eq(fp.sizeof(obj, {metatables = true}),
     fp.flatsize(obj) + fp.sizeof(Class), "followed")
end)

test("globals: _G, modules and the registry stop the walk", function()
  local t = {_G, string, package.loaded, debug.getregistry()}
  eq(fp.sizeof(t), fp.flatsize(t), "shared tables count 0 when reached")
  ok(fp.sizeof(t, {globals = true}) > fp.sizeof(t) + 10000,
     "followed with globals = true")
  ok(fp.sizeof(_G) > fp.flatsize(_G), "a root is followed")
  local mod = {}
  package.loaded["footprint_test_mod"] = mod
  eq(fp.sizeof({mod}), fp.flatsize({mod}), "any loaded module")
  package.loaded["footprint_test_mod"] = nil
  -- functions of modules hold _ENV: it stops there
  local function uses_global() return print end
  eq(fp.sizeof(uses_global), fp.flatsize(uses_global) + fp.sizeof(0) +
     (fp.sized(uses_global, {detail = 1}).refs[1].flat), "_ENV upvalue only")
end)

test("code: prototypes counted when asked, once per prototype", function()
  local function make(i) return function() return i * 2 + 1 end end
  local f, g = make(1), make(2)
  local plain = fp.sizeof(f)
  local with = fp.sizeof(f, {code = true})
  ok(with > plain + 100, "a prototype is code, constants, debug info: " ..
     (with - plain))
  local sz = fp.sizer({code = true})
  local sf, sg = sz:sizesof(f, g)
  eq(sf, with)
  eq(sg, plain, "the second closure shares the first's prototype")
  -- nested prototypes are part of the outer one's
  local outer = fp.sizeof(make, {code = true})
  ok(outer > fp.sizeof(make) + (with - plain), "nested prototype counted")
end)

test("code: a prototype's size follows its code", function()
  local small = load("return 1")
  local body = {}
  for i = 1, 200 do body[i] = "local x" .. i .. " = " .. i .. " * 2" end
  local big = load(table.concat(body, "\n"))
  local ds = fp.sizeof(small, {code = true}) - fp.sizeof(small)
  local db = fp.sizeof(big, {code = true}) - fp.sizeof(big)
  ok(db > ds + 200 * 4 * 2, "200 statements of code: " .. ds .. " " .. db)
end)

test("code: the allocator agrees on a loaded chunk", function()
  local src = "local t = {} for i = 1, 10 do t[i] = i end return t"
  local first = load(src, "=probe")
  -- loaded again, the chunk makes a closure, its _ENV upvalue and a
  -- prototype; the strings the prototype holds (source, local and
  -- upvalue names) are the first chunk's, interned: not in the delta
  local d, f = T.delta(function() return load(src, "=probe") end)
  local tree = fp.sized(f, {code = true, detail = 2})
  local strings, protos = 0, 0
  for _, r in ipairs(tree.refs) do
    if r.name == "(prototype)" then
      protos = protos + 1
      for _, s in ipairs(r.refs) do
        if s.name == "(string)" then strings = strings + s.size end
      end
    end
  end
  eq(protos, 1)
  ok(strings > 0, "the prototype's strings are referents")
  eq(tree.size - strings, d, "closure + upvalue + prototype")
  ok(first ~= f)
end)

test("align: every object rounded up", function()
  local s = string.rep("z", 100)
  eq(fp.sizeof(s, {align = 8}), (fp.sizeof(s) + 7) // 8 * 8)
  eq(fp.sizeof(s, {align = 1}), fp.sizeof(s))
end)

test("flatsize: the object alone", function()
  local t = {{}, {}, "x"}
  eq(fp.flatsize(t), fp.sizeof(t, {limit = 0}))
  ok(fp.flatsize(t) < fp.sizeof(t))
end)

test("sizer objects: options fixed once, stats of the last call", function()
  local big = {}
  for i = 1, 100 do big[i] = {} end
  local s = fp.sizer({limit = 1, exclude = {big[1]}})
  eq(s:sizeof(big), fp.sizeof(big, {limit = 1, exclude = {big[1]}}))
  local st = s:stats()
  eq(st.objects, 100, "the array and 99 of its tables")
  eq(st.excluded, 1)
  eq(st.total, s:sizeof(big))
  local a, b = s:sizesof(big, big[2])
  eq(a, s:sizeof(big) - fp.sizeof(big[2]), "no root inside another")
  eq(b, fp.sizeof(big[2]))
  local tree = s:sized(big, 1)
  eq(#tree.refs, 100)
  eq(s:flatsize(big), fp.flatsize(big))
end)

test("stats of the module functions", function()
  local t = {{}, {}, {}}
  fp.sizeof(t)
  local st = fp.stats()
  eq(st.objects, 4)
  eq(st.total, fp.sizeof(t))
  t[4] = t[1]
  fp.sizeof(t)
  eq(fp.stats().revisits, 1)
end)
