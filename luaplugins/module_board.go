package luaplugins

import (
	lua "github.com/yuin/gopher-lua"

	"github.com/heimnetz/heimnetz/board"
)

// Board is the read-only device facts the board module hands to plugins;
// *board.Board implements it over /proc and /sys (or a fixture tree).
type Board interface {
	LoadAvg() (board.LoadAvg, error)
	MemInfo() (board.MemInfo, error)
	NetDev() ([]board.NetDevStats, error)
	Uptime() (board.Uptime, error)
}

func boardModule() Module {
	fn := func(name, returns, doc string, read func(Board) (any, error)) Func {
		return Func{
			Name: name, Returns: returns, Doc: doc,
			Errors: []string{"the device file cannot be read or parsed (the error names it)"},
			New: func(h *Host) lua.LGFunction {
				return func(L *lua.LState) int {
					v, err := read(h.Board)
					if err != nil {
						L.RaiseError("board.%s: %v", name, err)
					}
					lv, err := structToLua(L, v, h.Limits.Nesting)
					if err != nil {
						L.RaiseError("board.%s: %v", name, err)
					}
					L.Push(lv)
					return 1
				}
			},
		}
	}
	return Module{
		Name: "board", Permission: "board",
		Doc: "Read-only facts about the device, parsed by the host from /proc and /sys. Plugins never read files themselves.",
		Funcs: []Func{
			fn("loadavg", "table {load1, load5, load15, running, total, last_pid}", "The load averages from /proc/loadavg.",
				func(b Board) (any, error) { return b.LoadAvg() }),
			fn("meminfo", "table {mem_total, mem_free, mem_available, buffers, cached, shmem, sreclaimable, swap_total, swap_free, fields}", "Memory figures from /proc/meminfo in bytes; fields holds every line by its kernel name.",
				func(b Board) (any, error) { return b.MemInfo() }),
			fn("netdev", "array of tables {name, rx_bytes, rx_packets, rx_errs, rx_drop, ..., tx_bytes, tx_packets, tx_errs, tx_drop, ...}", "Per-interface counters from /proc/net/dev, in file order.",
				func(b Board) (any, error) { return b.NetDev() }),
			fn("uptime", "table {seconds, idle_seconds}", "Time since boot from /proc/uptime.",
				func(b Board) (any, error) { return b.Uptime() }),
		},
	}
}
