package store

import (
	"strings"
	"testing"
)

func TestRedact(t *testing.T) {
	const R = Redacted
	tests := []struct{ in, want string }{
		{"plain message, nothing secret", "plain message, nothing secret"},
		{"password=hunter2", "password=" + R},
		{"login failed password=hunter2 user=bob", "login failed password=" + R + " user=bob"},
		{"PASSWORD: hunter2", "PASSWORD: " + R},
		{"wpa_passphrase=correct horse", "wpa_passphrase=" + R + " horse"},
		{"sae_password='s3cr3t pass'", "sae_password='" + R + "'"},
		{`{"password":"p@ss word","user":"x"}`, `{"password":"` + R + `","user":"x"}`},
		{`"token": "abc.def.ghi"`, `"token": "` + R + `"`},
		{"psk: MyWifiKey123", "psk: " + R},
		{"key=0123abcd", "key=" + R},
		{"x-api-key: 5up3r", "x-api-key: " + R},
		{"client_secret=abc&grant=1", "client_secret=" + R + "&grant=1"},
		{"option key 'MyWifiPass'", "option key '" + R + "'"},
		{"\toption password \"a b c\"", "\toption password \"" + R + "\""},
		{"option sae_password s3cret", "option sae_password " + R},
		{"Authorization: Bearer eyJhbGciOi.eyJzdWIi.SflKxw", "Authorization: Bearer " + R},
		{"authorization=Basic dXNlcjpwYXNz", "authorization=Basic " + R},
		{"sent header Bearer abc123xyz", "sent header Bearer " + R},
		{"token ghp_A1b2C3d4E5", "token " + R},
		{"token bucket refilled", "token bucket refilled"},
		{"password changed successfully", "password changed successfully"},
		{"password incorrect", "password incorrect"},
		{"fetch https://admin:s3cret@192.168.1.1/cgi", "fetch https://admin:" + R + "@192.168.1.1/cgi"},
		// A SHA-256 labelled as one is a public content hash, kept in full;
		// the same 64 hex digits as a PSK, a key or unlabelled are not.
		{"sha256 " + strings.Repeat("ab12", 16) + " ok", "sha256 " + strings.Repeat("ab12", 16) + " ok"},
		{"from a package with content hash " + strings.Repeat("e749", 16) + ", signed by key 48c2c37fe32323a2", "from a package with content hash " + strings.Repeat("e749", 16) + ", signed by key 48c2c37fe32323a2"},
		{"content hash sha256:" + strings.Repeat("ee84", 16), "content hash sha256:" + strings.Repeat("ee84", 16)},
		{"SHA256=" + strings.Repeat("AB12", 16), "SHA256=" + strings.Repeat("AB12", 16)},
		{"hash " + strings.Repeat("ab12", 16), "hash " + R},
		{"sha256 " + strings.Repeat("ab12", 17), "sha256 " + R},
		{"psk " + strings.Repeat("ab12", 16), "psk " + R},
		{"wpa_psk=" + strings.Repeat("ab12", 16), "wpa_psk=" + R},
		{"option key '" + strings.Repeat("ab12", 16) + "'", "option key '" + R + "'"},
		{"raw " + strings.Repeat("ab12", 16) + " sha256", "raw " + R + " sha256"},
		{"token sha256:" + strings.Repeat("ab12", 16), "token " + R},
		{"short hex deadbeef stays", "short hex deadbeef stays"},
		{"mac 00:11:22:33:44:55 stays", "mac 00:11:22:33:44:55 stays"},
		{"b64 QWxhZGRpbjpvcGVuIHNlc2FtZQ0KQWxhZGRpbjpvcGVuIHNlc2FtZQ== end", "b64 " + R + " end"},
		{"path /usr/lib/lua/luci/controller/admin/network.lua stays", "path /usr/lib/lua/luci/controller/admin/network.lua stays"},
		{"uuid 123e4567-e89b-12d3-a456-426614174000 stays", "uuid 123e4567-e89b-12d3-a456-426614174000 stays"},
		{"-----BEGIN RSA PRIVATE KEY-----\nMIIEow\nAAAA\n-----END RSA PRIVATE KEY-----\nafter", R + "\nafter"},
		{"cert -----BEGIN CERTIFICATE-----\nMIIB (cut", "cert " + R},
		{"already password=" + R, "already password=" + R},
		{"password = spaced", "password = " + R},
		{`password=""`, `password=""`},
	}
	for _, tc := range tests {
		got := Redact(tc.in)
		if got != tc.want {
			t.Errorf("Redact(%q)\n got %q\nwant %q", tc.in, got, tc.want)
		}
		if again := Redact(got); again != got {
			t.Errorf("Redact not idempotent on %q: %q", got, again)
		}
	}
}

// FuzzRedact checks that Redact never panics, is idempotent, and removes
// a secret placed after "password=" in any text.
func FuzzRedact(f *testing.F) {
	for _, s := range []string{"", "password=x", "Authorization: Bearer abc", "option key 'k'", "-----BEGIN X-----", "https://u:p@h/", strings.Repeat("a1B", 20), "token ghp_123456789"} {
		f.Add(s, "s3cr3tValue")
	}
	f.Fuzz(func(t *testing.T, text, secret string) {
		out := Redact(text)
		if again := Redact(out); again != out {
			t.Fatalf("not idempotent:\n%q\n%q\n%q", text, out, again)
		}
		if len(secret) < 6 || strings.ContainsAny(secret, " \t\r\n\v\f\"',;&=:") || strings.Contains(secret, Redacted) {
			return
		}
		in := text + " password=" + secret + " "
		if got := Redact(in); strings.Contains(got, " password="+secret+" ") {
			t.Fatalf("secret survived: %q -> %q", in, got)
		}
	})
}

func BenchmarkRedact(b *testing.B) {
	lines := map[string]string{
		"plain":  "collect: wan rtt 12.3 ms to 192.168.1.1 via eth0.2, loss 0%",
		"secret": "uci set wireless.default_radio0.key='MyWifiPass123'; Authorization: Bearer eyJhbGciOi.eyJzdWIi",
	}
	for name, line := range lines {
		b.Run(name, func(b *testing.B) {
			for b.Loop() {
				Redact(line)
			}
		})
	}
}

func TestRedactKeepsPaths(t *testing.T) {
	for _, s := range []string{
		"/tmp/TestAgentDisablesHostilePlugin3159047520/001/spin/manifest.yml: manifest field \"limits\"",
		"open /etc/heimnetz/plugins/wan-latency/main.lua: no such file",
	} {
		if got := Redact(s); got != s {
			t.Errorf("Redact(%q) = %q", s, got)
		}
	}
	if got := Redact("token aGVsbG8gd29ybGQgdGhpcyBpcyBhIHNlY3JldCB0b2tlbg"); strings.Contains(got, "aGVsbG8") {
		t.Errorf("a token after the word token survived: %q", got)
	}
}
