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
	"github.com/heimnetz/heimnetz/board"
	"github.com/heimnetz/heimnetz/luaplugins"
	"github.com/heimnetz/heimnetz/store"
	"github.com/heimnetz/heimnetz/web"
)

func cmdRun(args []string) int {
	fs := flag.NewFlagSet("run", flag.ContinueOnError)
	fs.Usage = func() {
		usageOf(fs, "heimnetz run [--listen ADDR] [--data DIR] [--plugins DIR] [--config FILE]", "Run the agent: load and schedule plugins, serve the status page, API and /metrics until SIGINT or SIGTERM.")
	}
	cfg := defaultConfig()
	configFile := fs.String("config", "", "JSON configuration `file` (see README); flags override it")
	listen := fs.String("listen", "", "listen `address` (default "+cfg.Listen+"); 0.0.0.0:PORT or :PORT listens on every IPv4 and IPv6 address, one address such as the LAN's 192.168.1.1:PORT on that address only")
	data := fs.String("data", "", "data `directory` (default "+cfg.DataDir+")")
	plugins := fs.String("plugins", "", "extra plugin `directory`")
	if err := fs.Parse(args); err != nil {
		return parseExit(err)
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(os.Stderr, "heimnetz run: unexpected argument %q\n", fs.Arg(0))
		return 2
	}
	if *configFile != "" {
		if err := loadConfigFile(&cfg, *configFile); err != nil {
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
	if err := cfg.validate(); err != nil {
		fmt.Fprintln(os.Stderr, "heimnetz run:", err)
		return 2
	}
	log := newLogger(os.Stderr)
	if !levelVar.set(cfg.LogLevel) {
		fmt.Fprintf(os.Stderr, "heimnetz run: config log_level: unknown level %q\n", cfg.LogLevel)
		return 2
	}
	if err := run(cfg, log); err != nil {
		log.Error("agent stopped", "err", err)
		return 1
	}
	return 0
}

// run is the agent: it returns when a signal asks it to stop.
func run(cfg Config, log *slog.Logger) error {
	debug.SetMemoryLimit(int64(cfg.MemoryLimit))
	debug.SetGCPercent(cfg.GCPercent)
	metrics.ExposeMetadata(true)

	ceilings, err := cfg.ceilings()
	if err != nil {
		return err
	}
	opts := store.DefaultOptions(cfg.DataDir)
	if cfg.LiveDir != "" {
		opts = store.RouterOptions(cfg.LiveDir, cfg.DataDir)
	}
	opts.SnapshotInterval = time.Duration(cfg.SnapshotInterval)
	db, err := store.Open(opts)
	if err != nil {
		return fmt.Errorf("store: %w", err)
	}
	defer func() {
		if err := db.Close(); err != nil {
			log.Error("closing the store", "err", err)
		}
	}()

	brd, err := board.New("/")
	if err != nil {
		return fmt.Errorf("board: %w", err)
	}
	defer brd.Close()

	agentSet := metrics.NewSet()
	registerAgentMetrics(agentSet)
	registerDeviceInfo(agentSet, brd, log)
	m := &manager{
		cfg: cfg, ceilings: ceilings, db: db, board: brd,
		registry: luaplugins.NewRegistry(), families: luaplugins.NewFamilies(),
		metrics: agentSet, log: log, now: time.Now, plugins: map[string]*entry{},
	}
	m.sec = &securityLog{db: db, set: agentSet, log: log}
	if d, _ := brd.Device(); d.OS == board.OSOpenWrt {
		if sl, err := openSyslog("", ""); err != nil {
			log.Warn("security events go to this log only", "err", err)
		} else {
			m.sec.syslog = sl
			defer sl.Close()
		}
	}
	for _, n := range db.Notices() {
		// The store has put its notices into the event ring itself.
		log.Warn("store: "+n.Message, "severity", n.Severity.String())
	}

	ctx, cancel := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer cancel()

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
	srv, err := web.New(wcfg, &backend{m: m, started: time.Now()})
	if err != nil {
		return fmt.Errorf("web: %w", err)
	}
	ln, err := net.Listen("tcp", cfg.Listen)
	if err != nil {
		return fmt.Errorf("listen: %w", err)
	}

	if err := m.start(ctx); err != nil {
		ln.Close()
		return err
	}
	m.sec.record(EvAgentStart, store.Info, "", buildinfo.String())
	log.Info("heimnetz started", "version", buildinfo.Version, "listen", ln.Addr().String(), "data", cfg.DataDir, "plugins", len(m.entries()))

	serveErr := make(chan error, 1)
	go func() { serveErr <- srv.Serve(ln) }()

	select {
	case <-ctx.Done():
		log.Info("stopping", "reason", "signal")
	case err := <-serveErr:
		if err != nil && !errors.Is(err, net.ErrClosed) && !errors.Is(err, web.ErrServerClosed) {
			m.stop()
			return fmt.Errorf("web: %w", err)
		}
	}
	shutdownCtx, done := context.WithTimeout(context.Background(), 5*time.Second)
	defer done()
	if err := srv.Shutdown(shutdownCtx); err != nil {
		log.Warn("web shutdown", "err", err)
	}
	m.stop()
	m.sec.record(EvAgentStop, store.Info, "", "clean shutdown")
	log.Info("heimnetz stopped")
	return nil
}
