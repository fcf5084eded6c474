-- test_graphs.lua - cycles, shared values, several roots, detail trees.
local fp = require "footprint"
local T = require "testlib"
local test, eq, ok, delta, strings = T.test, T.eq, T.ok, T.delta, T.strings

test("a table that holds itself", function()
  local d, t = delta(function()
    local t = {}
    t.self = t
    t[1] = t
    return t
  end)
  eq(fp.sizeof(t) - strings("self"), d)
end)

test("a cycle of two tables is counted once from either end", function()
  local d, a = delta(function()
    local a, b = {}, {}
    a[1], b[1] = b, a
    return a
  end)
  eq(fp.sizeof(a), d)
  eq(fp.sizeof(a[1]), d, "from the other end")
end)

test("a cycle through closures and upvalues", function()
  local d, f = delta(function()
    local t = {}
    local function f() return t end
    t[1] = f
    return f
  end)
  eq(fp.sizeof(f), d)
end)

test("a value reached twice counts once", function()
  local d, t = delta(function()
    local shared = {1, 2, 3, 4, 5, 6, 7, 8}
    return {shared, shared, {shared}}
  end)
  eq(fp.sizeof(t), d)
end)

test("equal strings are one object", function()
  local s = string.format("%020d", 7)
  local t1 = {s, s, s}
  eq(fp.sizeof(t1), fp.flatsize(t1) + fp.sizeof(s))
end)

test("sizesof: the first argument wins shared values", function()
  local shared = {}
  for i = 1, 100 do shared[i] = i end
  local a, b = {shared}, {shared, 1}
  local sa, sb = fp.sizeof(a), fp.sizeof(b)
  local xa, xb = fp.sizesof(a, b)
  eq(xa, sa, "first: all of it")
  eq(xb, sb - fp.sizeof(shared), "second: without what the first owns")
  local ya, yb = fp.sizesof(b, a)
  eq(ya, sb, "order decides")
  eq(yb, sa - fp.sizeof(shared))
end)

test("sizesof: one result per argument, repeats get their first's", function()
  local t = {1, 2, 3}
  local r = {fp.sizesof(t, 7, t, "abc")}
  eq(#r, 4, "results")
  eq(r[1], fp.sizeof(t))
  eq(r[2], 0, "a number")
  eq(r[3], r[1], "a repeated root")
  eq(r[4], fp.sizeof("abc"))
  eq(select("#", fp.sizesof()), 0, "no arguments, no results")
end)

test("sizesof: no root is counted inside another", function()
  local inner = {1, 2, 3}
  local outer = {inner}
  local so, si = fp.sizesof(outer, inner)
  eq(so, fp.flatsize(outer), "outer without inner")
  eq(si, fp.sizeof(inner))
end)

-- size == flat + sizes of the refs, at every node of a full tree
local function check_tree(node, depth)
  local sum = node.flat
  for _, r in ipairs(node.refs) do
    ok(type(r.name) == "string", "named refs")
    sum = sum + r.size
    check_tree(r, depth + 1)
  end
  if #node.refs > 0 then eq(sum, node.size, "node " .. node.name) end
end

test("sized: a tree of named referents that adds up", function()
  local t = {x = {1, 2}, [1] = "one", [{}] = true,
             list = {{a = 1}, {b = 2}}}
  local tree = fp.sized(t, {detail = 10})
  eq(tree.size, fp.sizeof(t), "root size is sizeof")
  eq(tree.flat, fp.flatsize(t), "root flat")
  ok(tree.name:find("^table: 0x"), "root named like tostring: " .. tree.name)
  check_tree(tree, 0)
  local names = {}
  for _, r in ipairs(tree.refs) do names[r.name] = r end
  ok(names[".x"], ".x")
  ok(names["(key).x"], "the key string")
  ok(names["[1]"], "[1]")
  eq(names[".list"].size, fp.sizeof(t.list), ".list")
  local tablekey = false
  for n in pairs(names) do
    if n:find("^%(key%)%[table: 0x") then tablekey = true end
  end
  ok(tablekey, "a table key")
end)

test("sized: detail limits the tree, not the size", function()
  local t = {{{{1}}}}
  local tree = fp.sized(t, {detail = 1})
  eq(tree.size, fp.sizeof(t))
  eq(#tree.refs, 1, "one level")
  eq(#tree.refs[1].refs, 0, "no deeper")
  eq(tree.refs[1].size, fp.sizeof(t[1]), "subtree size")
  eq(#fp.sized(t).refs, 0, "detail 0: the root only")
end)

test("sized: closures, upvalues and metatables named", function()
  local up = {1}
  local function f() return up end
  local tree = fp.sized(f, {detail = 2})
  eq(tree.refs[1].name, "(upvalue up)")
  eq(tree.refs[1].refs[1].name, "(value)")
  eq(tree.refs[1].refs[1].size, fp.sizeof(up))
  local mt = {}
  local obj = setmetatable({}, mt)
  local t2 = fp.sized(obj, {detail = 1, metatables = true})
  eq(t2.refs[1].name, "(metatable)")
end)

test("sized: names never run code and are clipped", function()
  local long = string.rep("k", 500)
  local t = {[long] = 1, ["with space"] = {}, [2.5] = {}, [true] = {}}
  local tree = fp.sized(t, {detail = 1})
  local n = 0
  for _, r in ipairs(tree.refs) do
    n = n + 1
    ok(#r.name < 200, "clipped: " .. #r.name)
  end
  ok(n >= 5, "keys and values")
end)
