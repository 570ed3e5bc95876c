package config

import (
	"testing"
	"time"
)

func TestPushValidate(t *testing.T) {
	on := DefaultPush()
	on.URL = "http://192.0.2.10:8428/api/v1/import/prometheus"
	tests := []struct {
		name string
		edit func(*Push)
		want string // "" for valid
	}{
		{name: "off", edit: func(p *Push) { *p = DefaultPush() }},
		{name: "off ignores the rest", edit: func(p *Push) { *p = Push{Interval: -1} }},
		{name: "defaults with a URL", edit: func(p *Push) {}},
		{name: "labels", edit: func(p *Push) { p.Labels = map[string]string{"instance": "r1", "site": "home"} }},
		{name: "basic auth", edit: func(p *Push) { p.Username, p.PasswordFile = "u", "/etc/pw" }},
		{name: "bearer", edit: func(p *Push) { p.BearerTokenFile = "/etc/token" }},
		{name: "query kept", edit: func(p *Push) { p.URL += "?extra_label=x=y" }},
		{name: "no scheme", edit: func(p *Push) { p.URL = "192.0.2.10:8428/api/v1/import/prometheus" }, want: "push.url"},
		{name: "ftp", edit: func(p *Push) { p.URL = "ftp://h/x" }, want: "push.url: scheme"},
		{name: "no host", edit: func(p *Push) { p.URL = "http:///api/v1/import/prometheus" }, want: "push.url: no host"},
		{name: "no path", edit: func(p *Push) { p.URL = "http://h:8428" }, want: "push.url: no path"},
		{name: "password in URL", edit: func(p *Push) { p.URL = "http://u:secret@h/x" }, want: "push.url: user or password"},
		{name: "bad port", edit: func(p *Push) { p.URL = "http://h:70000/x" }, want: "push.url"},
		{name: "interval 0", edit: func(p *Push) { p.Interval = 0 }, want: "push.interval"},
		{name: "interval 2h", edit: func(p *Push) { p.Interval = Duration(2 * time.Hour) }, want: "push.interval"},
		{name: "timeout 1ms", edit: func(p *Push) { p.Timeout = Duration(time.Millisecond) }, want: "push.timeout"},
		{name: "queue 1KiB", edit: func(p *Push) { p.QueueBytes = 1 << 10 }, want: "push.queue_bytes"},
		{name: "queue 1GiB", edit: func(p *Push) { p.QueueBytes = 1 << 30 }, want: "push.queue_bytes"},
		{name: "label name", edit: func(p *Push) { p.Labels = map[string]string{"1x": "y"} }, want: "push.labels"},
		{name: "reserved label", edit: func(p *Push) { p.Labels = map[string]string{"__name__": "y"} }, want: "push.labels"},
		{name: "empty label value", edit: func(p *Push) { p.Labels = map[string]string{"site": ""} }, want: "push.labels"},
		{name: "newline in label", edit: func(p *Push) { p.Labels = map[string]string{"site": "a\nb"} }, want: "push.labels"},
		{name: "username alone", edit: func(p *Push) { p.Username = "u" }, want: "push.password_file"},
		{name: "password alone", edit: func(p *Push) { p.PasswordFile = "/p" }, want: "push.username"},
		{name: "basic and bearer", edit: func(p *Push) { p.Username, p.PasswordFile, p.BearerTokenFile = "u", "/p", "/t" }, want: "push.bearer_token_file"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := Default()
			c.Push = on
			tt.edit(&c.Push)
			checkValidate(t, c, tt.want)
		})
	}
}
