-- rock.lua - `make lua-rock-test` runs this with LUA_CPATH naming only the
-- scratch tree `luarocks make` installed into: the module must load from
-- there and size values right.
--   lua5.4 tests/lua/rock.lua TREE
local tree = assert(arg[1], "usage: lua5.4 rock.lua TREE")
local fp = require "footprint"
local at = package.searchpath("footprint", package.cpath)
assert(at and at:find(tree, 1, true) == 1, "loaded from " .. tostring(at))
assert(fp.sizeof({{}}) == 2 * fp.flatsize({}) + 16, "sizes")
-- the census too: the core's census.c is in the rock's library
local Rock = {__name = "RockCensus"}
local keep = {setmetatable({}, Rock), setmetatable({}, Rock)}
local rows = fp.census()
local n = 0
for _, r in ipairs(rows) do if r.name == "RockCensus" then n = r.count end end
assert(n == #keep, "census")
print("luarocks make: footprint installed as " .. at ..
      ", sizes and census right")
