package settings

import (
	"errors"
	"strings"
	"testing"
)

func TestValidate(t *testing.T) {
	ok := Settings{LogLevel: "info", BreaksBeforeDisable: 3, EventRetention: 1000}
	tests := []struct {
		name   string
		change func(*Settings)
		err    string // "" for valid
	}{
		{"defaults", func(*Settings) {}, ""},
		{"every log level", func(s *Settings) { s.LogLevel = "debug" }, ""},
		{"warn", func(s *Settings) { s.LogLevel = "warn" }, ""},
		{"error", func(s *Settings) { s.LogLevel = "error" }, ""},
		{"log level in capitals", func(s *Settings) { s.LogLevel = "INFO" }, "log_level must be"},
		{"slog offset level", func(s *Settings) { s.LogLevel = "info+2" }, "log_level must be"},
		{"empty log level", func(s *Settings) { s.LogLevel = "" }, "log_level must be"},
		{"breaks 0: never disable", func(s *Settings) { s.BreaksBeforeDisable = MinBreaksBeforeDisable }, ""},
		{"breaks at most", func(s *Settings) { s.BreaksBeforeDisable = MaxBreaksBeforeDisable }, ""},
		{"breaks negative", func(s *Settings) { s.BreaksBeforeDisable = -1 }, "breaks_before_disable must be in 0..1000"},
		{"breaks over", func(s *Settings) { s.BreaksBeforeDisable = MaxBreaksBeforeDisable + 1 }, "breaks_before_disable must be in 0..1000"},
		{"retention least", func(s *Settings) { s.EventRetention = MinEventRetention }, ""},
		{"retention most", func(s *Settings) { s.EventRetention = MaxEventRetention }, ""},
		{"retention under", func(s *Settings) { s.EventRetention = MinEventRetention - 1 }, "event_retention must be in 10..100000"},
		{"retention over", func(s *Settings) { s.EventRetention = MaxEventRetention + 1 }, "event_retention must be in 10..100000"},
		{"long value clipped", func(s *Settings) { s.LogLevel = strings.Repeat("x", 1000) }, `"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx…"`},
	}
	for _, tc := range tests {
		s := ok
		tc.change(&s)
		err := s.Validate()
		switch {
		case tc.err == "" && err != nil:
			t.Errorf("%s: %v, want valid", tc.name, err)
		case tc.err != "" && (err == nil || !strings.Contains(err.Error(), tc.err) || !errors.Is(err, ErrInvalid)):
			t.Errorf("%s: %v, want an ErrInvalid naming %q", tc.name, err, tc.err)
		}
	}
	if got := LogLevels(); strings.Join(got, ",") != "debug,info,warn,error" {
		t.Errorf("LogLevels() = %v", got)
	}
	LogLevels()[0] = "changed"
	if LogLevels()[0] != "debug" {
		t.Error("LogLevels returns the package's own slice")
	}
}
