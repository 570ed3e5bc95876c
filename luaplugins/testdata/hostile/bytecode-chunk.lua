-- expect: attempt to call|nil
loadstring("\27Lua")()
