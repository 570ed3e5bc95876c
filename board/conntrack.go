package board

const (
	fileConntrackCount = "proc/sys/net/netfilter/nf_conntrack_count"
	fileConntrackMax   = "proc/sys/net/netfilter/nf_conntrack_max"
)

// Conntrack is the size of the connection tracking table.
type Conntrack struct {
	// Entries is nf_conntrack_count (node_nf_conntrack_entries).
	Entries uint64 `json:"entries"`
	// Limit is nf_conntrack_max (node_nf_conntrack_entries_limit).
	Limit uint64 `json:"limit"`
}

// Conntrack reads nf_conntrack_count and nf_conntrack_max. Both are absent
// while the nf_conntrack module is not loaded; then the error matches
// fs.ErrNotExist.
func (b *Board) Conntrack() (Conntrack, error) {
	var c Conntrack
	var err error
	if c.Entries, err = b.readUintAttribute(fileConntrackCount); err != nil {
		return Conntrack{}, err
	}
	if c.Limit, err = b.readUintAttribute(fileConntrackMax); err != nil {
		return Conntrack{}, err
	}
	return c, nil
}
