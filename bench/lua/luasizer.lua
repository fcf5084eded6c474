-- luasizer.lua - the usual pure-Lua recursive sizer, as a baseline for
-- footprint.sizeof: a visited table, pairs over tables, debug.getupvalue
-- over closures, and the same size model as bindings/lua/lmodel.c (Lua
-- 5.4 on a 64-bit build), so both compute the same totals (the bench
-- checks that they agree).
local M = {}

local P = 8                        -- pointer size
local TVALUE, NODE, TABLE = 16, 24, 56
local STRING_HEAD, SHORT = 24, 40
local SLOT = P * 4 // 3            -- a short string's string-table share
local LCLOSURE, CCLOSURE, UPVAL = 32, 32, 40
local UDATA0, UDATA, UVALUE = 32, 40, 16

local type, next, mtype = type, next, math.type
local getupvalue, upvalueid = debug.getupvalue, debug.upvalueid
local getuservalue, getinfo = debug.getuservalue, debug.getinfo

local function iscfunction(f)
  return getinfo(f, "S").what == "C"
end
local rawlen = rawlen

local function ceil_pow2(n)
  local p = 1
  while p < n do p = p * 2 end
  return p
end

local function ceil_log2(k)
  local i, p = 0, 1
  while p < k do p = p * 2; i = i + 1 end
  return i
end

-- Lua's rehash rule: the array gets the largest 2^i more than half used.
local function array_size(nums, nint)
  local a, optimal, na, twotoi = 0, 0, 0, 1
  local i = 0
  while i <= 31 and nint > twotoi // 2 do
    a = a + (nums[i] or 0)
    if a > twotoi // 2 then optimal, na = twotoi, a end
    i = i + 1
    twotoi = twotoi * 2
  end
  return optimal, na
end

local function string_size(s)
  local n = #s
  if n <= SHORT then return STRING_HEAD + n + 1 + SLOT end
  return STRING_HEAD + n + 1
end

-- Size of v and everything it reaches that seen does not hold yet.
function M.sizeof(root)
  local seen = {}
  local shared = {[_G] = true, [package.loaded] = true,
                  [debug.getregistry()] = true}
  for _, m in pairs(package.loaded) do shared[m] = true end

  local size
  local function closure(f)
    local total, n, isc = 0, 0, false
    while true do
      local name, v = getupvalue(f, n + 1)
      if name == nil then break end
      n = n + 1
      if name == "" then            -- C closures' upvalues have no names
        isc = true
        total = total + size(v)
      else
        local id = upvalueid(f, n)
        if not seen[id] then
          seen[id] = true
          total = total + UPVAL + size(v)
        end
      end
    end
    if isc then return total + CCLOSURE + TVALUE * n end
    -- (a C function without upvalues is a light one: a value, size 0)
    if n == 0 and iscfunction(f) then return 0 end
    return total + LCLOSURE + P * n
  end

  function size(v)
    local t = type(v)
    if t == "string" then
      if seen[v] then return 0 end
      seen[v] = true
      return string_size(v)
    elseif t == "table" then
      if seen[v] or (shared[v] and v ~= root) then return 0 end
      seen[v] = true
      local total, n, nint, maxint, nums = 0, 0, 0, 0, nil
      for k, x in next, v do
        n = n + 1
        if mtype(k) == "integer" and k >= 1 and k <= 2147483648 then
          local b = ceil_log2(k)
          nums = nums or {}
          nums[b] = (nums[b] or 0) + 1
          nint = nint + 1
          if k > maxint then maxint = k end
        end
        total = total + size(k) + size(x)
      end
      local asize, na = 0, 0
      if nums then asize, na = array_size(nums, nint) end
      -- a table sized exactly (a constructor) has no slot past maxint
      if asize > na and maxint < asize and v[asize] == nil
         and not pcall(next, v, asize) then
        asize, na = maxint, nint
      end
      local nhash = n - na
      return total + TABLE + TVALUE * asize
             + (nhash > 0 and NODE * ceil_pow2(nhash) or 0)
    elseif t == "function" then
      if seen[v] then return 0 end
      seen[v] = true
      return closure(v)
    elseif t == "userdata" then
      if seen[v] then return 0 end
      seen[v] = true
      local total, n = 0, 0
      while true do
        local u, ok = getuservalue(v, n + 1)
        if not ok then break end
        n = n + 1
        total = total + size(u)
      end
      return total + (n == 0 and UDATA0 or UDATA + UVALUE * n) + rawlen(v)
    end
    return 0
  end

  return size(root)
end

return M
