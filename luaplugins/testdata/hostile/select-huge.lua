-- expect: main\.lua:2: bad argument #1 to select \(index out of range\)$
print(select(-1e9, 1, 2))
