-- test_tracker.lua - footprint.tracker() end to end: classes as
-- metatables, instances found by heap walks without being kept alive,
-- deaths, subclasses, snapshots, pympler's summary text, dump files read
-- back (footprint.load) and by the CLI, the HTML report, errors.
local fp = require "footprint"
local T = require "testlib"
local test, eq, ok = T.test, T.eq, T.ok

local function class(name, parent)
  local c = {__name = name}
  c.__index = c
  if parent then setmetatable(c, {__index = parent}) end
  return c
end

local function new(cls, i)
  return setmetatable({id = i, label = string.format("obj-%d", i)}, cls)
end

-- rows of a summary: {class = {active, ...}} for the last snapshot
local function last_rows(summary)
  local rows, section = {}, nil
  for line in summary:gmatch("[^\n]+") do
    if line:find("active", 1, true) then
      section = {}
    elseif section and line:match("^  ") then
      local name, active = line:match("^  (%S+)%s+(%d+)")
      section[name] = tonumber(active)
    end
    if section then rows = section end
  end
  return rows
end

test("instances that exist when a class is tracked are found", function()
  local Point = class("Point")
  local keep = {}
  for i = 1, 20 do keep[i] = new(Point, i) end
  local t = fp.tracker()
  eq(t:track_class(Point), true)
  eq(t:live_count(), 20)
  eq(t:class_name(0), "Point", "the class's __name")
  eq(t:object_repr(0):match("^Point: 0x") ~= nil, true, "repr")
end)

test("new instances are found at the next snapshot", function()
  local Node = class("Node")
  local t = fp.tracker()
  t:track_class(Node)
  local keep = {}
  for i = 1, 50 do keep[i] = new(Node, i) end
  ok(t:snapshot("fifty"))
  eq(t:live_count(), 50)
  eq(t:snapshot_count(), 1)
  eq(t:snapshot_desc(0), "fifty")
  eq(last_rows(t:summary()).Node, 50, "active in the summary")
  eq(t:scan(), 0, "nothing new")
  keep[51] = new(Node, 51)
  eq(t:scan(), 1, "scan finds the new one")
end)

test("a tracked instance is not kept alive, and its death is seen", function()
  local Leaf = class("Leaf")
  local t = fp.tracker()
  t:track_class(Leaf)
  local keep = {}
  local probe = setmetatable({}, {__mode = "v"})
  -- made in a function: no dead register of this one holds an instance
  local function fill()
    for i = 1, 10 do
      keep[i] = new(Leaf, i)
      probe[i] = keep[i]
    end
  end
  fill()
  ok(t:snapshot("ten"))
  eq(t:live_count(), 10)
  for i = 1, 6 do keep[i] = nil end
  collectgarbage()
  collectgarbage()
  local alive = 0
  for i = 1, 10 do if probe[i] then alive = alive + 1 end end
  eq(alive, 4, "the tracker kept none alive")
  ok(t:snapshot("four"))
  eq(t:live_count(), alive)
  local dead = 0
  for i = 0, t:object_count() - 1 do
    if t:object_dead(i) == 1 then
      dead = dead + 1
      ok(t:object_death(i) <= t:snapshot_timestamp(1), "death no later "
         .. "than the snapshot that saw it")
    end
  end
  eq(dead, 6)
  eq(last_rows(t:summary()).Leaf, 4)
end)

test("unreachable instances are dead at the next snapshot, collected or not",
     function()
  local Tmp = class("Tmp")
  local t = fp.tracker()
  t:track_class(Tmp)
  local holder = {}
  for i = 1, 5 do holder[i] = new(Tmp, i) end
  t:scan()
  collectgarbage("stop")
  holder = nil -- garbage now, not yet collected
  ok(t:snapshot("after drop"))
  collectgarbage("restart")
  eq(t:live_count(), 0, "the walk did not reach them")
end)

-- the handle of a table: its address, as tostring shows it
local function handle(v)
  return tonumber(tostring(v):match("0x(%x+)"), 16)
end

test("sizes: instances sized in birth order, shared data once", function()
  local Rec = class("Rec")
  local t = fp.tracker()
  t:track_class(Rec)
  local shared = {}
  for i = 1, 100 do shared[i] = i end
  local a = new(Rec, 1)
  a.data = shared
  t:scan() -- a is born first
  local b = new(Rec, 2)
  b.data = shared
  ok(t:snapshot("shared"))
  local ia, ib = t:object_index(handle(a)), t:object_index(handle(b))
  ok(ia < ib, "birth order")
  -- sizesof gives the same rule: what both reach goes to the first
  local xa, xb = fp.sizesof(a, b)
  eq(t:object_size(0, ia), xa, "the first-born owns the shared table")
  eq(t:object_size(0, ib), xb, "the second does not")
  ok(xb < fp.sizeof(b) - fp.sizeof(shared) + 1)
  eq(t:class_sum(0, 0), xa + xb)
end)

test("other tracked objects are not part of an object's size", function()
  local Tree = class("Tree")
  local t = fp.tracker()
  t:track_class(Tree)
  local root = new(Tree, 1)
  t:scan()
  root.child = new(Tree, 2)
  ok(t:snapshot())
  local ir, ic = t:object_index(handle(root)), t:object_index(handle(root.child))
  eq(t:object_size(0, ir), fp.sizeof(root, {exclude = {root.child}}),
     "the child is its own object")
  eq(t:object_size(0, ir) + t:object_size(0, ic), fp.sizeof(root),
     "together, nothing lost or counted twice")
end)

test("subclasses: the most derived tracked class names an instance",
     function()
  local Base = class("Base")
  local Mid = class("Mid", Base)
  local Leaf2 = class("Leaf2", Mid)
  local via_mt = setmetatable({__name = "ViaMt"}, Base)
  via_mt.__index = via_mt
  Base.__index = Base
  local t = fp.tracker()
  t:track_class(Base)
  t:track_class(Mid, "Middle")
  local keep = {new(Base, 1), new(Mid, 2), new(Leaf2, 3), new(via_mt, 4)}
  ok(t:snapshot())
  local rows = last_rows(t:summary())
  eq(rows.Base, 2, "Base and a class whose metatable is Base")
  eq(rows.Middle, 2, "Mid and its subclass, under the tracked name")
  ok(keep)
end)

test("track_object: any table, userdata, function or thread", function()
  local t = fp.tracker()
  local cfg = {a = 1, b = {2, 3}}
  eq(t:track_object(cfg, "config"), true)
  eq(t:track_object(cfg, "config"), true, "twice is once")
  local co = coroutine.create(function() end)
  t:track_object(co)
  t:track_object(io.stdout)
  t:track_object(function() return cfg end, "closure")
  eq(t:live_count(), 4)
  ok(t:snapshot())
  eq(last_rows(t:summary()).config, 1)
  eq(t:class_name(t:object_class(1)), "thread", "named by type")
  eq(t:class_name(t:object_class(2)), "FILE*", "named by __name")
  eq(t:object_size(0, 0), fp.sizeof(cfg))
end)

test("keep: instances kept alive on request", function()
  local Kept = class("Kept")
  local t = fp.tracker()
  t:track_class(Kept, nil, {keep = true})
  local probe = setmetatable({}, {__mode = "v"})
  do
    local x = new(Kept, 1)
    probe[1] = x
    t:scan()
  end
  collectgarbage()
  ok(probe[1] ~= nil, "kept by the tracker")
  ok(t:snapshot())
  eq(t:live_count(), 1)
end)

test("detach_all: no instance is tracked again, none is kept", function()
  local A = class("A")
  local t = fp.tracker()
  t:track_class(A, nil, {keep = true})
  local probe = setmetatable({}, {__mode = "v"})
  do probe[1] = new(A, 1) end
  local live = {new(A, 2)}
  ok(t:snapshot())
  eq(t:live_count(), 2)
  t:detach_all()
  eq(t:live_count(), 0, "nothing followed")
  collectgarbage()
  eq(probe[1], nil, "no longer kept alive")
  live[2] = new(A, 3)
  ok(t:snapshot())
  eq(t:live_count(), 0, "the walk found nothing to track")
  eq(t:object_count(), 2, "what was recorded stays")
  eq(t:snapshot_count(), 2)
end)

test("clear: objects and snapshots forgotten, classes detached", function()
  local B = class("B")
  local t = fp.tracker()
  t:track_class(B)
  local keep = {new(B, 1), new(B, 2)}
  ok(t:snapshot())
  t:clear()
  eq(t:object_count(), 0)
  eq(t:snapshot_count(), 0)
  ok(t:snapshot())
  eq(t:object_count(), 0, "B is no longer tracked")
  t:track_class(B)
  eq(t:live_count(), #keep, "tracked again when asked")
end)

test("resolution_level records per-referent detail", function()
  local Doc = class("Doc")
  local t = fp.tracker()
  t:track_class(Doc, "Doc", {resolution_level = 2})
  local d = new(Doc, 1)
  d.body = {1, 2, 3}
  t:scan()
  ok(t:snapshot())
  local first, n = t:detail_first(0, 0), t:detail_count(0, 0)
  ok(n >= 3, "the object and its referents: " .. n)
  eq(t:detail_depth(0, first), 0)
  eq(t:detail_size(0, first), fp.sizeof(d))
  local names = {}
  for k = first, first + n - 1 do names[t:detail_name(0, k)] = true end
  ok(names[".body"], ".body recorded")
end)

test("summary: pympler's layout", function()
  local C = class("Layout")
  local t = fp.tracker()
  t:track_class(C)
  local keep = {new(C, 1), new(C, 2)}
  ok(t:snapshot("layout"))
  local s = t:summary()
  local lines = {}
  for l in s:gmatch("[^\n]+") do lines[#lines + 1] = l end
  eq(lines[1], "---- SUMMARY " .. string.rep("-", 66))
  ok(lines[2]:match("^layout%s+active%s+[%d.]+ [KMG]?B%s+average%s+pct$"),
     "header: " .. lines[2])
  ok(lines[3]:match("^  Layout%s+2%s+[%d. ]+[KMG]?B%s+[%d. ]+[KMG]?B%s+%d+%%$"),
     "row: " .. lines[3])
  eq(#lines[3], #string.format("  %-33s %11d %12s %12s %4d%%", "", 0, "",
                               "", 0), "row width")
  eq(lines[#lines], string.rep("-", 79))
  ok(keep)
end)

local tmp = os.tmpname()

test("dump: written atomically, read back by footprint.load", function()
  local C = class("Dumped")
  local t = fp.tracker()
  t:track_class(C)
  local keep = {}
  for i = 1, 7 do keep[i] = new(C, i) end
  ok(t:snapshot("one"))
  keep[8] = new(C, 8)
  ok(t:snapshot("two"))
  eq(t:dump(tmp), true)
  local l = fp.load(tmp)
  eq(l:snapshot_count(), 2)
  eq(l:object_count(), 8)
  eq(l:class_name(0), "Dumped")
  eq(l:summary(), t:summary(), "the same summary from the file")
  eq(l:object_size(1, 7), t:object_size(1, 7))
end)

test("dump: the footprint CLI prints the same summary", function()
  local p = io.popen(T.cli .. " summary " .. tmp .. " 2>&1")
  local out = p:read("a")
  local okc, how, code = p:close()
  ok(okc and how == "exit" and code == 0, "footprint summary exited 0")
  eq(out, fp.load(tmp):summary(), "CLI summary == Lua summary")
  ok(out:find("Dumped", 1, true), "class name in the CLI's output")
end)

test("html: one self-contained page", function()
  local t = fp.load(tmp)
  local html = tmp .. ".html"
  eq(t:html(html, "Lua run"), true)
  local f = assert(io.open(html))
  local page = f:read("a")
  f:close()
  os.remove(html)
  ok(page:find("Dumped", 1, true), "class in the page")
  ok(page:find("Lua run", 1, true), "title")
  ok(not page:find("https?://[%w.]+/[%w/]+%.js"), "no external script")
end)

test("expected failures come back as nil, message", function()
  local t = fp.tracker()
  local r, msg = t:dump("/nonexistent-dir/x/y.dump")
  eq(r, nil)
  ok(msg:find("y.dump", 1, true), msg)
  r, msg = t:html("/nonexistent-dir/x/y.html")
  eq(r, nil)
  ok(type(msg) == "string")
  local bad = os.tmpname()
  local f = io.open(bad, "wb")
  f:write("not a dump at all")
  f:close()
  T.raises(function() fp.load(bad) end, "footprint", "load of a foreign file")
  os.remove(bad)
end)

test("times are seconds since the module loaded, as in Python", function()
  local c = class("Stamped")
  local keep = {new(c, 1)}
  local t = fp.tracker()
  t:track_class(c)
  t:snapshot("one")
  local ts = t:snapshot_timestamp(0)
  -- the core's clock: from 0 when footprint loaded, not the epoch
  ok(ts >= 0 and ts < 3600, "snapshot at " .. tostring(ts))
  ok(t:object_birth(0) <= ts, "born before the snapshot")
  keep = nil
end)

test("misuse raises", function()
  local t = fp.tracker()
  T.raises(function() t:track_class(42) end, "table expected")
  T.raises(function() t:track_object("text") end, "string")
  T.raises(function() t:track_object(12) end, "number")
  T.raises(function() t:track_class({}, nil, {resolution_level = -1}) end,
           "resolution_level")
  T.raises(function() t:track_class({}, nil, {keep = "yes"}) end, "keep")
  local plain = fp.Tracker()
  T.raises(function() plain:track_class({}) end, "footprint.tracker()")
  T.raises(function() plain:snapshot() end, "footprint.tracker()")
end)

os.remove(tmp)
