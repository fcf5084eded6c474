-- test_accuracy.lua - the accuracy table (bench/lua/accuracy.lua): each
-- structure built with N = 1000, 10000 and 100000 elements is sized
-- within 10% of what collectgarbage("count") says building it left
-- allocated.  `make bench` prints the same table.
local T = require "testlib"
local acc = require "accuracy"

for _, n in ipairs{1000, 10000, 100000} do
  for _, case in ipairs(acc.cases) do
    if not case.informational then
      T.test(string.format("%s, N = %d", case.name, n), function()
        local estimate, measured = acc.measure(case, n)
        T.ok(measured > 0, "something was allocated")
        T.near(estimate, measured, 10, case.name)
      end)
    end
  end
end
