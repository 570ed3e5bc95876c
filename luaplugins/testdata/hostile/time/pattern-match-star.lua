-- expect: main\.lua:8: pattern/input too complex$
-- args: --limit timeout=10s
-- time: 5s
-- Three .* before a "b" the subject lacks: cubic backtracking. The matcher
-- refuses the match as too complex before the budget or the clock ends it;
-- the timeout is raised so that the clock cannot end it first.
local s = string.rep("a", 200000) .. "c"
while true do string.match(s, ".*.*.*b") end
