package web

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/valyala/fasthttp"

	"github.com/heimnetz/heimnetz/limits/oneline"
)

// errInput marks a client input error; its text is shown to the client.
var errInput = errors.New("bad input")

func inputErr(format string, args ...any) error {
	return fmt.Errorf("%w: "+format, append([]any{errInput}, args...)...)
}

const (
	defaultEventLimit = 100
	maxEventLimit     = 500
	maxAckSeqs        = 500
	maxArgLen         = 64
)

// severities are the names the events filter accepts: the store's list.
var severities = func() map[string]bool {
	m := make(map[string]bool, len(eventSeverities))
	for _, s := range eventSeverities {
		m[s] = true
	}
	return m
}()

// checkArgs rejects query (or form) arguments not in allowed, repeated
// ones, and over-long values.
func checkArgs(args *fasthttp.Args, allowed ...string) error {
	seen := make(map[string]bool, args.Len())
	for k, v := range args.All() {
		key := string(k)
		ok := false
		for _, a := range allowed {
			if a == key {
				ok = true
				break
			}
		}
		switch {
		case !ok:
			return inputErr("unknown parameter %q", oneline.Clean(key, maxArgLen))
		case seen[key]:
			return inputErr("parameter %q given twice", oneline.Clean(key, maxArgLen))
		case len(v) > maxArgLen:
			return inputErr("parameter %q longer than %d bytes", oneline.Clean(key, maxArgLen), maxArgLen)
		}
		seen[key] = true
	}
	return nil
}

// parseEventQuery parses the events filter from query arguments: limit
// (1..500, default 100), before (a sequence number), severity, type,
// plugin and unacked (true/false/1/0).
func parseEventQuery(args *fasthttp.Args) (EventQuery, error) {
	q := EventQuery{Limit: defaultEventLimit}
	if err := checkArgs(args, "limit", "before", "severity", "type", "plugin", "unacked"); err != nil {
		return q, err
	}
	if v := args.Peek("limit"); v != nil {
		n, err := strconv.Atoi(string(v))
		if err != nil || n < 1 || n > maxEventLimit {
			return q, inputErr("limit must be an integer in 1..%d", maxEventLimit)
		}
		q.Limit = n
	}
	if v := args.Peek("before"); v != nil {
		n, err := strconv.ParseUint(string(v), 10, 64)
		if err != nil || n == 0 {
			return q, inputErr("before must be a positive integer")
		}
		q.BeforeSeq = n
	}
	if v := args.Peek("severity"); len(v) > 0 {
		if !severities[string(v)] {
			return q, inputErr("severity must be one of %s", strings.Join(eventSeverities, ", "))
		}
		q.Severity = string(v)
	}
	if v := args.Peek("type"); len(v) > 0 {
		if !lowerIdent(string(v), 64, "_.-") {
			return q, inputErr("type must match ^[a-z][a-z0-9_.-]{0,63}$")
		}
		q.Type = string(v)
	}
	if v := args.Peek("plugin"); len(v) > 0 {
		if !validPluginName(string(v)) {
			return q, inputErr("plugin must match [a-z][a-z0-9-]{0,31}")
		}
		q.Plugin = string(v)
	}
	if v := args.Peek("unacked"); v != nil {
		b, err := parseBool(v)
		if err != nil {
			return q, inputErr("unacked must be true or false")
		}
		q.UnackedOnly = b
	}
	return q, nil
}

func parseBool(v []byte) (bool, error) {
	switch string(v) {
	case "1", "true", "on", "yes":
		return true, nil
	case "0", "false", "off", "no", "":
		return false, nil
	}
	return false, errors.New("not a boolean")
}

// decodeJSON decodes exactly one JSON value from body into v, rejecting
// unknown fields, trailing data and bodies over limit bytes.
func decodeJSON(body []byte, limit int, v any) error {
	if len(body) > limit {
		return inputErr("body larger than %d bytes", limit)
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return inputErr("invalid JSON body: %s", oneline.Clean(err.Error(), 200))
	}
	if _, err := dec.Token(); err != io.EOF {
		return inputErr("invalid JSON body: trailing data")
	}
	return nil
}

// loginRequest is the body of POST /api/v1/login.
type loginRequest struct {
	Password string `json:"password"`
}

// ackRequest is the body of POST /api/v1/events/ack.
type ackRequest struct {
	Seqs []uint64 `json:"seqs"`
}

func (r ackRequest) validate() error {
	if len(r.Seqs) == 0 || len(r.Seqs) > maxAckSeqs {
		return inputErr("seqs must list 1..%d sequence numbers", maxAckSeqs)
	}
	for _, s := range r.Seqs {
		if s == 0 {
			return inputErr("seqs must be positive")
		}
	}
	return nil
}

// validateSettings checks s with the one validator the agent's config
// and backend use too, as a client input error.
func validateSettings(s Settings) error {
	if err := s.Validate(); err != nil {
		return fmt.Errorf("%w: %w", errInput, err)
	}
	return nil
}

// parseSettingsForm reads the settings form over the current settings.
// Its fields have the settings' JSON names.
func parseSettingsForm(args *fasthttp.Args, cur Settings) (Settings, error) {
	if err := checkArgs(args, csrfField, "pages_require_login", "log_level", "breaks_before_disable", "event_retention"); err != nil {
		return cur, err
	}
	s := cur
	s.PagesRequireLogin = string(args.Peek("pages_require_login")) == "on"
	if v := args.Peek("log_level"); v != nil {
		s.LogLevel = string(v)
	}
	for _, f := range []struct {
		key string
		dst *int
	}{{"breaks_before_disable", &s.BreaksBeforeDisable}, {"event_retention", &s.EventRetention}} {
		if v := args.Peek(f.key); v != nil {
			n, err := strconv.Atoi(string(v))
			if err != nil {
				return cur, inputErr("%s must be an integer", f.key)
			}
			*f.dst = n
		}
	}
	return s, validateSettings(s)
}

// parseAckForm reads the events page's ack form: repeated seq fields.
func parseAckForm(args *fasthttp.Args) ([]uint64, error) {
	var seqs []uint64
	for k, v := range args.All() {
		switch string(k) {
		case csrfField:
		case "seq":
			n, err := strconv.ParseUint(string(v), 10, 64)
			if err != nil || n == 0 {
				return nil, inputErr("seq must be a positive integer")
			}
			seqs = append(seqs, n)
		default:
			return nil, inputErr("unknown field %q", oneline.Clean(string(k), maxArgLen))
		}
	}
	if len(seqs) == 0 || len(seqs) > maxAckSeqs {
		return nil, inputErr("select 1..%d events", maxAckSeqs)
	}
	return seqs, nil
}
