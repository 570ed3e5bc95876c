package web

import "time"

// NewFakeBackend returns web's in-memory test backend to the external
// tests in this directory, which run webtest's tables against it.
func NewFakeBackend() Backend { return newMemBackend(time.Now) }

// NewFakeBackendWithAlerts is NewFakeBackend with sampleAlerts listed.
func NewFakeBackendWithAlerts() Backend {
	b := newMemBackend(time.Now)
	b.alerts = sampleAlerts(time.Now())
	return b
}
