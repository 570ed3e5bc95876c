package board

import (
	"bytes"
	"encoding/json"
	"errors"
	"slices"
)

const fileBoardJSON = "etc/board.json"

// BoardInfo is the part of OpenWrt's /etc/board.json (written at first boot
// from the device tree and the target's board scripts) heimnetz uses.
// Unknown fields are ignored.
type BoardInfo struct {
	// ModelID is the board id, e.g. "tplink,archer-c7-v2".
	ModelID string `json:"model_id"`
	// ModelName is the marketing name, e.g. "TP-Link Archer C7 v2".
	ModelName string `json:"model_name"`
	// Network maps a role ("lan", "wan", ...) to its default device.
	Network map[string]BoardNetwork `json:"network,omitempty"`
}

// BoardNetwork is one role in the "network" object of board.json.
type BoardNetwork struct {
	// Device is the network device ("wan", "eth0.2"); Ports lists the
	// bridge ports when the role is a bridge over switch ports (DSA).
	Device string   `json:"device,omitempty"`
	Ports  []string `json:"ports,omitempty"`
	// Protocol is the default protocol, e.g. "static" or "dhcp".
	Protocol string `json:"protocol,omitempty"`
	// MACAddr is a MAC address the board scripts assign, if any.
	MACAddr string `json:"macaddr,omitempty"`
}

// boardJSON mirrors the file's layout.
type boardJSON struct {
	Model struct {
		ID   string `json:"id"`
		Name string `json:"name"`
	} `json:"model"`
	Network map[string]BoardNetwork `json:"network"`
}

// BoardInfo reads /etc/board.json.
func (b *Board) BoardInfo() (BoardInfo, error) {
	info, err := b.boardInfo()
	// The parsed value is kept for the next call: the caller gets its
	// own map and slices.
	if info.Network != nil {
		nets := make(map[string]BoardNetwork, len(info.Network))
		for role, n := range info.Network {
			n.Ports = slices.Clone(n.Ports)
			nets[role] = n
		}
		info.Network = nets
	}
	return info, err
}

// boardInfo is BoardInfo kept until the file changes (stableRead): the
// network map is shared and must not be changed.
func (b *Board) boardInfo() (BoardInfo, error) {
	return stableRead(b, fileBoardJSON, 0, func(data []byte) (BoardInfo, error) {
		return parseBoardJSON(fileBoardJSON, data)
	})
}

// parseBoardJSON decodes board.json and requires model.id.
func parseBoardJSON(file string, data []byte) (BoardInfo, error) {
	var raw boardJSON
	if err := json.Unmarshal(data, &raw); err != nil {
		return BoardInfo{}, jsonError(file, data, err)
	}
	if raw.Model.ID == "" {
		return BoardInfo{}, malformed(file, 0, "no model.id")
	}
	return BoardInfo{ModelID: raw.Model.ID, ModelName: raw.Model.Name, Network: raw.Network}, nil
}

// jsonError turns a decoding error into a *ParseError with the line of the
// byte offset encoding/json reports.
func jsonError(file string, data []byte, err error) error {
	var (
		syn *json.SyntaxError
		typ *json.UnmarshalTypeError
		off int64 = -1
	)
	switch {
	case errors.As(err, &syn):
		off = syn.Offset
	case errors.As(err, &typ):
		off = typ.Offset
	}
	if off < 0 || off > int64(len(data)) {
		return malformed(file, 0, "%w", err)
	}
	line := 1 + bytes.Count(data[:off], []byte("\n"))
	return malformed(file, line, "%w", err)
}
