package main

import (
	"log/slog"

	"github.com/heimnetz/heimnetz/web"
)

// openFilesReserve is how many open files the agent keeps for itself
// beyond its client connections: the database and its snapshots, plugin
// and board files read in one round, netlink and ICMP sockets, a push
// connection, the log and syslog.
const openFilesReserve = 64

// minConnections is the fewest client connections the agent serves,
// however low the open-file limit: the page and a scrape must still get
// in.
const minConnections = 16

// connectionsWithin returns how many client connections fit in an
// open-file limit of nofile while keeping openFilesReserve for the
// agent's own files, and whether want had to be lowered to that. A
// server that accepts a connection for every descriptor it may open
// leaves none for its database: a stranger's 1024 idle connections
// would then make the store's next snapshot fail with EMFILE.
func connectionsWithin(nofile uint64, want int) (int, bool) {
	if nofile == 0 || want <= 0 {
		return want, false
	}
	fit := minConnections
	if nofile > openFilesReserve+minConnections {
		fit = int(min(nofile-openFilesReserve, uint64(1<<30)))
	}
	if want <= fit {
		return want, false
	}
	return fit, true
}

// fitConnections lowers wcfg's connection limits to what the process's
// open-file limit leaves after the agent's own files, and says so in
// the log; nofile 0 means the limit could not be read.
func fitConnections(wcfg *web.Config, nofile uint64, log *slog.Logger) {
	n, lowered := connectionsWithin(nofile, wcfg.Concurrency)
	if !lowered {
		return
	}
	log.Warn("max_connections lowered to fit the open-file limit (raise nofile to serve more)",
		"max_connections", wcfg.Concurrency, "now", n, "nofile", nofile, "kept_for_the_agent", openFilesReserve)
	wcfg.Concurrency = n
	if wcfg.MaxConnsPerIP > n {
		wcfg.MaxConnsPerIP = n
	}
}
