package push

import (
	"bytes"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"os"
)

// maxSecretFile bounds a password or token file.
const maxSecretFile = 4 << 10

// Auth is the Authorization header a pusher sends; the zero value sends
// none. Its String never shows the secret.
type Auth struct {
	header string
}

// String describes the kind of auth, never the secret.
func (a Auth) String() string {
	switch {
	case a.header == "":
		return "none"
	case len(a.header) > 6 && a.header[:6] == "Basic ":
		return "basic"
	default:
		return "bearer"
	}
}

// LoadAuth reads the secrets of basic auth (username and the first line
// of passwordFile) or bearer auth (the first line of bearerTokenFile);
// with all three empty it returns the zero Auth. Errors name the file,
// never its content.
func LoadAuth(username, passwordFile, bearerTokenFile string) (Auth, error) {
	switch {
	case username != "" && bearerTokenFile != "":
		return Auth{}, errors.New("push: basic and bearer auth together")
	case username != "":
		if passwordFile == "" {
			return Auth{}, errors.New("push: username without password_file")
		}
		pw, err := readSecret(passwordFile)
		if err != nil {
			return Auth{}, fmt.Errorf("push password_file: %w", err)
		}
		return Auth{header: "Basic " + base64.StdEncoding.EncodeToString([]byte(username+":"+pw))}, nil
	case passwordFile != "":
		return Auth{}, errors.New("push: password_file without username")
	case bearerTokenFile != "":
		tok, err := readSecret(bearerTokenFile)
		if err != nil {
			return Auth{}, fmt.Errorf("push bearer_token_file: %w", err)
		}
		return Auth{header: "Bearer " + tok}, nil
	}
	return Auth{}, nil
}

// readSecret returns the first line of the file at path, which must not
// be empty.
func readSecret(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	buf, err := io.ReadAll(io.LimitReader(f, maxSecretFile+1))
	if err != nil {
		return "", fmt.Errorf("%s: %w", path, err)
	}
	if len(buf) > maxSecretFile {
		return "", fmt.Errorf("%s: larger than %d bytes", path, maxSecretFile)
	}
	line, _, _ := bytes.Cut(buf, []byte("\n"))
	line = bytes.TrimRight(line, "\r")
	if len(line) == 0 {
		return "", fmt.Errorf("%s: the first line is empty", path)
	}
	for _, c := range line {
		if c < 0x20 || c == 0x7f {
			return "", fmt.Errorf("%s: holds a control character", path)
		}
	}
	return string(line), nil
}
