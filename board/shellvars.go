package board

import (
	"fmt"
	"strings"
)

// parseShellVars parses the shell-style assignments of /etc/openwrt_release
// and /etc/os-release:
//
//	DISTRIB_ID='OpenWrt'
//	NAME="Debian GNU/Linux"
//	VERSION_ID=12
//	export FOO='it'\''s'
//
// Values may mix unquoted text, '...' (literal) and "..." (where \ escapes
// $ ` " and \); a value cannot span lines. Blank lines and lines starting
// with # are skipped, as is a # comment after the value. A line that is not
// an assignment, an unterminated quote or a repeated name is an error.
// Nothing is expanded: a $ is kept as it is.
func parseShellVars(file string, data []byte) (map[string]string, error) {
	vars := make(map[string]string)
	for n, line := range lines(string(data)) {
		line = strings.TrimSpace(line)
		if line == "" || line[0] == '#' {
			continue
		}
		line = strings.TrimPrefix(line, "export ")
		name, raw, ok := strings.Cut(line, "=")
		if !ok || !isShellName(name) {
			return nil, malformed(file, n, "want NAME=value, got %q", line)
		}
		val, err := shellWord(raw)
		if err != nil {
			return nil, malformed(file, n, "%s: %w", name, err)
		}
		if _, dup := vars[name]; dup {
			return nil, malformed(file, n, "%s: assigned twice", name)
		}
		vars[strings.Clone(name)] = val
	}
	return vars, nil
}

// isShellName reports whether s is a shell variable name.
func isShellName(s string) bool {
	if s == "" || (s[0] >= '0' && s[0] <= '9') {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9') {
			return false
		}
	}
	return true
}

// shellWord unquotes one shell word; after it only white space and a
// comment may follow.
func shellWord(s string) (string, error) {
	var b strings.Builder
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case c == '\'':
			end := strings.IndexByte(s[i+1:], '\'')
			if end < 0 {
				return "", fmt.Errorf("unterminated ' quote")
			}
			b.WriteString(s[i+1 : i+1+end])
			i += end + 2
		case c == '"':
			i++
			closed := false
			for i < len(s) {
				c := s[i]
				if c == '"' {
					closed = true
					i++
					break
				}
				if c == '\\' && i+1 < len(s) && strings.IndexByte("$`\"\\", s[i+1]) >= 0 {
					b.WriteByte(s[i+1])
					i += 2
					continue
				}
				b.WriteByte(c)
				i++
			}
			if !closed {
				return "", fmt.Errorf("unterminated \" quote")
			}
		case c == '\\':
			if i+1 >= len(s) {
				return "", fmt.Errorf("\\ at end of line")
			}
			b.WriteByte(s[i+1])
			i += 2
		case c == ' ' || c == '\t':
			rest := strings.TrimSpace(s[i:])
			if rest != "" && rest[0] != '#' {
				return "", fmt.Errorf("unquoted space before %q", rest)
			}
			return b.String(), nil
		case c == ';' || c == '|' || c == '&' || c == '<' || c == '>' || c == '(' || c == ')' || c == '`':
			return "", fmt.Errorf("shell syntax %q is not supported", c)
		default:
			b.WriteByte(c)
			i++
		}
	}
	return b.String(), nil
}
