function collect() end
error("top-level failure")
