-- expect: attempt to call|nil
require("os")
