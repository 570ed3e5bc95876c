package metrics

import "io"

// heimnetz patch: the push client (push.go: InitPush*, PushMetrics*) is
// removed so this package does not import net/http; heimnetz only serves
// /metrics. writePushMetrics stays as a no-op so WriteProcessMetrics and
// WritePushMetrics keep their signatures; with no push client there are
// no push metrics to write.
func writePushMetrics(w io.Writer) {}
