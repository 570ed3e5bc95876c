package core

import (
	"log/syslog"

	"github.com/heimnetz/heimnetz/store"
)

// syslogSink writes security events to the system log with a priority
// matching their severity. On OpenWrt this is logd (`logread` shows them).
type syslogSink struct{ w *syslog.Writer }

// openSyslog connects to the local syslog socket, or to addr on network
// when both are given (tests).
func openSyslog(network, addr string) (*syslogSink, error) {
	w, err := syslog.Dial(network, addr, syslog.LOG_DAEMON|syslog.LOG_INFO, "heimnetz")
	if err != nil {
		return nil, err
	}
	return &syslogSink{w: w}, nil
}

func (s *syslogSink) event(sev store.Severity, line string) error {
	switch sev {
	case store.Critical:
		return s.w.Crit(line)
	case store.High:
		return s.w.Err(line)
	case store.Warning:
		return s.w.Warning(line)
	}
	return s.w.Info(line)
}

func (s *syslogSink) Close() error { return s.w.Close() }
