//go:build !linux

package core

import (
	"errors"

	"github.com/heimnetz/heimnetz/store"
)

// syslogSink is only implemented on Linux, where OpenWrt runs.
type syslogSink struct{}

func openSyslog(network, addr string) (*syslogSink, error) {
	return nil, errors.New("syslog: not supported on this OS")
}

func (s *syslogSink) event(store.Severity, string) error { return nil }
func (s *syslogSink) Close() error                       { return nil }
