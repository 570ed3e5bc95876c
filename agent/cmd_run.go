package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"os"
	"os/signal"
	"path/filepath"
	"runtime/debug"
	"syscall"
	"time"

	"github.com/VictoriaMetrics/metrics"

	"github.com/heimnetz/heimnetz/agent/buildinfo"
	"github.com/heimnetz/heimnetz/agent/internal/config"
	"github.com/heimnetz/heimnetz/agent/internal/core"
	"github.com/heimnetz/heimnetz/board"
	"github.com/heimnetz/heimnetz/store"
	"github.com/heimnetz/heimnetz/web"
)

func cmdRun(args []string) int {
	fs := flag.NewFlagSet("run", flag.ContinueOnError)
	fs.Usage = func() {
		usageOf(fs, "heimnetz run [--listen ADDR] [--data DIR] [--plugins DIR] [--config FILE] [--board DIR]", "Run the agent: load and schedule plugins, serve the status page, API and /metrics until SIGINT or SIGTERM.")
	}
	cfg := config.Default()
	configFile := fs.String("config", "", "JSON configuration `file` (see README); flags override it")
	listen := fs.String("listen", "", "listen `address` (default "+cfg.Listen+"); 0.0.0.0:PORT or :PORT listens on every IPv4 and IPv6 address, one address such as the LAN's 192.168.1.1:PORT on that address only")
	data := fs.String("data", "", "data `directory` (default "+cfg.DataDir+")")
	plugins := fs.String("plugins", "", "plugins `directory`: installed plugins are read from and installed to it (default <data>/plugins)")
	boardRoot := fs.String("board", "/", "root `directory` the board reads device files from: / on a router, a fixture tree such as board/testdata/openwrt-mt7621 for testing")
	if err := fs.Parse(args); err != nil {
		return parseExit(err)
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(os.Stderr, "heimnetz run: unexpected argument %q\n", fs.Arg(0))
		return 2
	}
	if *configFile != "" {
		if err := cfg.LoadFile(*configFile); err != nil {
			fmt.Fprintln(os.Stderr, "heimnetz run:", err)
			return 2
		}
	}
	if *listen != "" {
		cfg.Listen = *listen
	}
	if *data != "" {
		cfg.DataDir = *data
	}
	if *plugins != "" {
		cfg.PluginsDir = *plugins
	}
	if err := cfg.Validate(); err != nil {
		fmt.Fprintln(os.Stderr, "heimnetz run:", err)
		return 2
	}
	level := new(core.LogLevel)
	level.SetName(cfg.LogLevel) // Validate checked the name
	log := core.NewLogger(os.Stderr, level)
	if err := run(cfg, log, level, *boardRoot); err != nil {
		log.Error("agent stopped", "err", err)
		return 1
	}
	return 0
}

// run is the agent, reading device facts below boardRoot: it returns
// when a signal asks it to stop.
func run(cfg config.Config, log *slog.Logger, level *core.LogLevel, boardRoot string) error {
	debug.SetMemoryLimit(int64(cfg.MemoryLimit))
	debug.SetGCPercent(cfg.GCPercent)
	metrics.ExposeMetadata(true)

	db, err := store.Open(cfg.StoreOptions())
	if err != nil {
		return fmt.Errorf("store: %w", err)
	}
	defer func() {
		if err := db.Close(); err != nil {
			log.Error("closing the store", "err", err)
		}
	}()

	brd, err := board.New(boardRoot)
	if err != nil {
		return fmt.Errorf("board: %w", err)
	}
	defer brd.Close()
	dev, _ := brd.Device()

	set := metrics.NewSet()
	m, err := core.New(core.Options{
		Config: cfg, DB: db, Board: brd, Log: log, Level: level,
		Metrics: set, Syslog: dev.OS == board.OSOpenWrt,
	})
	if err != nil {
		return err
	}

	ctx, cancel := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer cancel()

	wcfg := webConfig(cfg, brd, log)
	srv, err := web.New(wcfg, m.Backend(time.Now()))
	if err != nil {
		return fmt.Errorf("web: %w", err)
	}
	ln, err := net.Listen("tcp", cfg.Listen)
	if err != nil {
		return fmt.Errorf("listen: %w", err)
	}

	if err := m.Start(ctx); err != nil {
		ln.Close()
		return err
	}
	m.Event(core.EvAgentStart, store.Info, buildinfo.String()+" started")
	m.StartAlerts(ctx)
	log.Info("heimnetz started", "version", buildinfo.Version, "listen", ln.Addr().String(), "data", cfg.DataDir, "plugins", m.PluginCount())

	stopPush, err := startPush(cfg.Push, m, srv, set, log)
	if err != nil {
		ln.Close()
		m.Stop()
		return err
	}

	serveErr := make(chan error, 1)
	go func() { serveErr <- srv.Serve(ln) }()

	select {
	case <-ctx.Done():
		log.Info("stopping", "reason", "signal")
	case err := <-serveErr:
		if err != nil && !errors.Is(err, net.ErrClosed) && !errors.Is(err, web.ErrServerClosed) {
			stopPush()
			m.Stop()
			return fmt.Errorf("web: %w", err)
		}
	}
	shutdownCtx, done := context.WithTimeout(context.Background(), 5*time.Second)
	defer done()
	if err := srv.Shutdown(shutdownCtx); err != nil {
		log.Warn("web shutdown", "err", err)
	}
	stopPush()
	m.Stop()
	m.Event(core.EvAgentStop, store.Info, "clean shutdown")
	log.Info("heimnetz stopped")
	return nil
}

// webConfig is the web server's configuration as the agent's config sets it.
func webConfig(cfg config.Config, brd *board.Board, log *slog.Logger) web.Config {
	wcfg := web.DefaultConfig()
	wcfg.Addr = cfg.Listen
	wcfg.DataDir = filepath.Join(cfg.DataDir, "web")
	wcfg.AdminPasswordHash = cfg.AdminPasswordHash
	if cfg.AdminToken != "" {
		wcfg.AdminTokenHash = web.HashToken(cfg.AdminToken)
	}
	wcfg.TLS = cfg.HTTPS
	if cfg.MaxConnections > 0 {
		wcfg.Concurrency = cfg.MaxConnections
	}
	if cfg.MaxConnectionsPerIP > 0 {
		wcfg.MaxConnsPerIP = cfg.MaxConnectionsPerIP
	}
	wcfg.Hostnames = append([]string(nil), cfg.Hostnames...)
	if h, err := brd.Hostname(); err == nil && h != "" {
		wcfg.Hostnames = append(wcfg.Hostnames, h)
	}
	wcfg.Logger = log
	fitConnections(&wcfg, openFileLimit(), log)
	return wcfg
}
