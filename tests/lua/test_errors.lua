-- test_errors.lua - misuse raises (as Lua functions do), a measurement
-- never runs code of the measured program, and hostile values do not
-- crash it.
local fp = require "footprint"
local T = require "testlib"
local test, eq, ok, raises = T.test, T.eq, T.ok, T.raises

test("misuse raises an error", function()
  raises(function() fp.sizeof() end, "value expected")
  raises(function() fp.sized() end, "value expected")
  raises(function() fp.sizeof({}, {nosuch = 1}) end, "unknown option 'nosuch'")
  raises(function() fp.sizeof({}, {detail = 1}) end, "unknown option 'detail'")
  raises(function() fp.sizeof({}, {limit = -1}) end, "limit")
  raises(function() fp.sizeof({}, {limit = 1.5}) end, "limit")
  raises(function() fp.sizeof({}, {align = 3}) end, "power of two")
  raises(function() fp.sizeof({}, {metatables = 1}) end, "boolean")
  raises(function() fp.sizeof({}, {exclude = 5}) end, "exclude")
  raises(function() fp.sizeof({}, 7) end, "table expected")
  raises(function() fp.sizer():sized({}, -1) end, "detail")
  raises(function() fp.check_version(1) end, "versions differ")
end)

test("the version checks agree", function()
  eq(fp.version(), fp.FP_VERSION_NUMBER)
  eq(fp.check_version(fp.FP_VERSION_NUMBER), true)
  eq(fp.format_size(2048), "   2.00 KB")
end)

test("no metamethod runs while measuring", function()
  local calls = 0
  local function count() calls = calls + 1 end
  local mt = {__index = function() count() return 1 end,
              __newindex = count, __pairs = function() count() error("no") end,
              __len = function() count() return 0 end, __eq = count,
              __tostring = function() count() return "x" end,
              __name = "Hostile", __gc = count, __close = count,
              __call = count, __metatable = "locked"}
  local t = setmetatable({1, 2, {3}}, mt)
  local keyed = {[t] = t}
  ok(fp.sizeof(keyed) > 0)
  ok(fp.sizeof(t, {metatables = true}) > fp.sizeof(t))
  local tree = fp.sized(keyed, {detail = 3})
  ok(tree.refs[1].name:find("Hostile: 0x", 1, true), "__name read raw")
  eq(calls, 0, "metamethods called")
end)

test("weak tables are sized like any other, keys and values", function()
  local wk = setmetatable({}, {__mode = "k"})
  local key = {}
  wk[key] = {1, 2, 3}
  eq(fp.sizeof(wk), fp.flatsize(wk) + fp.sizeof(key) + fp.sizeof(wk[key]))
end)

test("no finalizer runs during a measurement", function()
  local ran = 0
  local big = {}
  for i = 1, 20000 do
    big[i] = setmetatable({}, {__gc = function() ran = ran + 1 end})
  end
  big = nil
  -- garbage with finalizers is pending; a measurement that allocates
  -- (its anchor grows) must not let them run under it
  local data = {}
  for i = 1, 50000 do data[i] = {i} end
  local before = ran
  fp.sizeof(data)
  eq(ran, before, "finalizers run during sizeof")
  collectgarbage()
  collectgarbage()
  eq(ran, 20000, "they run afterwards")
end)

test("the collector is left as it was", function()
  eq(collectgarbage("isrunning"), true)
  fp.sizeof({})
  eq(collectgarbage("isrunning"), true, "restarted")
  collectgarbage("stop")
  fp.sizeof({})
  eq(collectgarbage("isrunning"), false, "left stopped")
  collectgarbage("restart")
end)

test("sizing from inside a finalizer works", function()
  local got
  do
    setmetatable({}, {__gc = function(o) got = fp.sizeof(o) end})
  end
  collectgarbage()
  collectgarbage()
  ok(got and got > 0, "sizeof inside __gc")
end)

test("strange values: nil holes, NaN keys impossible, huge integers", function()
  local t = {1, nil, 3, nil, nil, 6}
  t[math.maxinteger] = 1
  t[math.mininteger] = 2
  t[0] = 3
  t[-0.5] = 4
  ok(fp.sizeof(t) > fp.sizeof({}))
  local sparse = {}
  sparse[1000000] = true
  eq(fp.sizeof(sparse) - fp.sizeof({}) < 100, true, "no array for one key")
end)

test("values the program changes between calls", function()
  local t = {}
  local s1 = fp.sizeof(t)
  for i = 1, 100 do t[i] = {} end
  ok(fp.sizeof(t) > s1)
  for i = 1, 100 do t[i] = nil end
  -- the slots stay allocated until a rehash; the model sizes what it can
  -- see (documented): no error, no crash
  ok(fp.sizeof(t) >= s1)
end)

test("a sizer object after its options table is gone", function()
  local s = fp.sizer({exclude = {{}}})
  collectgarbage()
  ok(s:sizeof({1}) > 0)
end)

test("many sizers and trackers, collected in any order", function()
  local probe = setmetatable({}, {__mode = "v"})
  for i = 1, 50 do
    local s = fp.sizer()
    local t = fp.tracker()
    t:track_object({i})
    eq(s:sizeof(t), fp.sizeof(t), "a tracker sized by two sizers")
    probe[2 * i - 1], probe[2 * i] = s, t
  end
  collectgarbage()
  collectgarbage()
  eq(next(probe), nil, "all collected (their finalizers ran)")
end)
