package board

const (
	fileEntropyAvail = "proc/sys/kernel/random/entropy_avail"
	filePoolSize     = "proc/sys/kernel/random/poolsize"
)

// Entropy is the state of the kernel's random pool.
type Entropy struct {
	// AvailableBits is entropy_avail (node_entropy_available_bits).
	AvailableBits uint64 `json:"available_bits"`
	// PoolSizeBits is poolsize (node_entropy_pool_size_bits); 0 when the
	// kernel does not have the file.
	PoolSizeBits uint64 `json:"pool_size_bits"`
}

// Entropy reads /proc/sys/kernel/random/entropy_avail and poolsize. Only
// entropy_avail is required. poolsize is read-only and fixed while the
// kernel runs, so it is read once (see staticAttribute).
func (b *Board) Entropy() (Entropy, error) {
	var e Entropy
	var err error
	if e.AvailableBits, err = b.readUintAttribute(fileEntropyAvail); err != nil {
		return Entropy{}, err
	}
	pool, err := b.staticAttribute(filePoolSize, 0)
	if err != nil {
		if isNotExist(err) {
			return e, nil
		}
		return Entropy{}, err
	}
	if e.PoolSizeBits, err = parseUintAttribute(filePoolSize, []byte(pool)); err != nil {
		return Entropy{}, err
	}
	return e, nil
}

// readUintAttribute reads a file holding one unsigned decimal number.
func (b *Board) readUintAttribute(name string) (uint64, error) {
	data, err := b.readFile(name)
	if err != nil {
		return 0, err
	}
	return parseUintAttribute(name, data)
}

// parseUintAttribute parses one unsigned decimal number on one line.
func parseUintAttribute(file string, data []byte) (uint64, error) {
	s, err := parseAttribute(file, data)
	if err != nil {
		return 0, err
	}
	v, err := parseUint(s)
	if err != nil {
		return 0, malformed(file, 1, "%w", err)
	}
	return v, nil
}
