package web

// HealthChecker is an optional part of a Backend. A Backend that has it is
// asked on every GET /healthz whether the agent is healthy; an error makes
// /healthz answer 503 with the error's text as its JSON reason. /healthz is
// open to the LAN, so the text must say what is wrong without paths or
// other details (those go to the log and the security events).
type HealthChecker interface {
	// Health returns nil while the agent is healthy. It must answer
	// quickly: it does not wait for a store commit or snapshot.
	Health() error
}
