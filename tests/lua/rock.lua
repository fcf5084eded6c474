-- rock.lua - `make lua-rock-test` runs this with LUA_CPATH naming only the
-- scratch tree `luarocks make` installed into: the module must load from
-- there and size values right.
--   lua5.4 tests/lua/rock.lua TREE
local tree = assert(arg[1], "usage: lua5.4 rock.lua TREE")
local fp = require "footprint"
local at = package.searchpath("footprint", package.cpath)
assert(at and at:find(tree, 1, true) == 1, "loaded from " .. tostring(at))
assert(fp.sizeof({{}}) == 2 * fp.flatsize({}) + 16, "sizes")
print("luarocks make: footprint installed as " .. at .. ", sizes right")
