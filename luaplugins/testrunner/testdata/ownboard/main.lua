function collect() end
