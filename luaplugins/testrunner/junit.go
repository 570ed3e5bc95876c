package testrunner

import (
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"
)

// writeJUnit writes the report as a JUnit XML document: one <testsuites>
// holding one <testsuite> named after the plugin, a <testcase> per test
// with its <failure> and its log lines as <system-out>. It writes the XML
// itself rather than through encoding/xml: this is the only XML heimnetz
// produces, and encoding/xml would cost every agent binary ~35 KB of code
// and ~18 KB of heap at start-up for it.
func writeJUnit(b *strings.Builder, r *Report) {
	var total float64
	for _, res := range r.Results {
		total += res.Duration.Seconds()
	}
	b.WriteString("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n")
	fmt.Fprintf(b, "<testsuites tests=\"%d\" failures=\"%d\">\n", len(r.Results), r.Failed())
	b.WriteString("  <testsuite name=\"")
	writeXMLEscaped(b, r.Plugin)
	fmt.Fprintf(b, "\" tests=\"%d\" failures=\"%d\" time=\"%.6f\">\n", len(r.Results), r.Failed(), total)
	for _, res := range r.Results {
		b.WriteString("    <testcase name=\"")
		writeXMLEscaped(b, res.Name)
		b.WriteString("\" classname=\"")
		writeXMLEscaped(b, r.Plugin)
		fmt.Fprintf(b, "\" time=\"%.6f\">\n", res.Duration.Seconds())
		if !res.Passed {
			b.WriteString("      <failure message=\"")
			writeXMLEscaped(b, res.Message)
			b.WriteString("\">")
			writeXMLEscaped(b, res.Message)
			b.WriteString("</failure>\n")
		}
		if len(res.Logs) > 0 {
			b.WriteString("      <system-out>")
			writeXMLEscaped(b, strings.Join(res.Logs, "\n"))
			b.WriteString("</system-out>\n")
		}
		b.WriteString("    </testcase>\n")
	}
	b.WriteString("  </testsuite>\n</testsuites>\n")
}

// writeXMLEscaped writes s as XML 1.0 character data that is also safe
// inside a double-quoted attribute: markup characters become entities,
// tab, newline and carriage return become character references (so
// attribute values keep them), and what XML 1.0 cannot carry at all —
// other control characters, invalid UTF-8, U+FFFE and U+FFFF — becomes
// U+FFFD.
func writeXMLEscaped(b *strings.Builder, s string) {
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		i += size
		switch {
		case r == '&':
			b.WriteString("&amp;")
		case r == '<':
			b.WriteString("&lt;")
		case r == '>':
			b.WriteString("&gt;")
		case r == '"':
			b.WriteString("&quot;")
		case r == '\'':
			b.WriteString("&apos;")
		case r == '\t', r == '\n', r == '\r':
			b.WriteString("&#x")
			b.WriteString(strconv.FormatInt(int64(r), 16))
			b.WriteByte(';')
		case r == utf8.RuneError && size == 1, r < 0x20, r == 0xFFFE, r == 0xFFFF, 0xD800 <= r && r <= 0xDFFF:
			b.WriteRune(utf8.RuneError)
		default:
			b.WriteRune(r)
		}
	}
}
