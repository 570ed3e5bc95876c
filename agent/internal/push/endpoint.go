package push

import (
	"errors"
	"fmt"
	"net/url"
	"strings"
)

// ErrNoTLS is returned for an https URL by a build without TLS (see
// TLSBuilt).
var ErrNoTLS = errors.New("https needs a build with TLS (make build TAGS=https); the router build pushes plain http to a LAN or VPN endpoint")

// CheckURL reports why raw cannot be pushed to: it must be an absolute
// http URL (https in a build with TLS) with a host and a path, such as
// http://192.168.1.10:8428/api/v1/import/prometheus, and without user
// name or password (those come from files, see Options) or fragment.
func CheckURL(raw string) error {
	if raw == "" {
		return errors.New("empty")
	}
	if len(raw) > 2048 {
		return errors.New("longer than 2048 bytes")
	}
	if !strings.Contains(raw, "://") {
		if strings.HasPrefix(raw, "http:") || strings.HasPrefix(raw, "https:") {
			return errors.New("no // after the scheme; write http://HOST:PORT/PATH")
		}
		return errors.New("no scheme; write http://HOST:PORT/PATH")
	}
	u, err := url.Parse(raw)
	if err != nil {
		// url.Error repeats the whole URL, query and all: a token kept
		// there would reach the log.
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err
		}
		return fmt.Errorf("not a URL: %w", err)
	}
	switch u.Scheme {
	case "http":
	case "https":
		if !TLSBuilt {
			return ErrNoTLS
		}
	default:
		return fmt.Errorf("scheme %q: want http or https", u.Scheme)
	}
	switch {
	case u.Hostname() == "":
		return errors.New("no host")
	case u.User != nil:
		return errors.New("user or password in the URL; set username and password_file instead")
	case u.Fragment != "" || strings.Contains(raw, "#"):
		return errors.New("a fragment (#) is not sent to a server")
	case u.Path == "" || u.Path == "/":
		return errors.New("no path; VictoriaMetrics takes /api/v1/import/prometheus")
	}
	if p := u.Port(); p != "" {
		n := 0
		for _, c := range p {
			n = n*10 + int(c-'0')
			if n > 65535 {
				break
			}
		}
		if n < 1 || n > 65535 {
			return fmt.Errorf("port %s: want 1 to 65535", p)
		}
	}
	return nil
}

// LoggedURL is raw as the log shows it: without a query string (which
// may carry a token; shown as "?…") and without user information.
func LoggedURL(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return "(unparsable URL)"
	}
	u.User = nil
	if u.RawQuery != "" || u.ForceQuery {
		u.RawQuery, u.ForceQuery = "", false
		return u.String() + "?…"
	}
	return u.String()
}
