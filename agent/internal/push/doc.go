// Package push ships the agent's metrics to a remote Prometheus-compatible
// endpoint, for routers behind NAT that no Prometheus can scrape: every
// interval it takes the agent's current exposition, stamps each sample
// with the collection time, adds the owner's labels, gzips the batch and
// POSTs it (VictoriaMetrics' /api/v1/import/prometheus, or anything that
// reads the Prometheus text format with timestamps) with fasthttp's
// client.
//
// Batches that could not be delivered wait in a queue in RAM bounded by
// Options.QueueBytes (compressed bytes); when it is full the oldest
// batches are dropped and their samples counted
// (heimnetz_push_dropped_samples_total). Nothing is written to flash: an
// outage longer than the queue holds loses its oldest samples, and a
// restart of the agent loses the queue. Delivery is retried with bounded
// exponential back-off and jitter, oldest batch first, the backlog in
// requests of at most MaxRequestBytes. A 4xx answer other than 429 drops
// what was sent (it would never be accepted); 5xx, 429, time-outs and
// connection errors are retried.
//
// HTTPS needs a build with the https tag (TLSBuilt); the router build
// pushes plain HTTP to a LAN or VPN endpoint.
package push
