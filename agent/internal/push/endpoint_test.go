package push

import (
	"errors"
	"strings"
	"testing"
)

func TestCheckURL(t *testing.T) {
	for _, tt := range []struct {
		url, want string // want: "" valid, else a part of the error
	}{
		{"http://192.168.1.10:8428/api/v1/import/prometheus", ""},
		{"http://vm.lan/api/v1/import/prometheus?extra_label=a=b", ""},
		{"http://[fd00::1]:8428/api/v1/import/prometheus", ""},
		{"", "empty"},
		{"192.168.1.10:8428/api/v1/import/prometheus", "scheme"},
		{"vm.lan/api/v1/import/prometheus", "no scheme"},
		{"ftp://vm.lan/x", "scheme \"ftp\""},
		{"http:vm.lan/x", "no //"},
		{"http:///x", "no host"},
		{"http://vm.lan", "no path"},
		{"http://vm.lan/", "no path"},
		{"http://u:pw@vm.lan/x", "user or password"},
		{"http://vm.lan/x#frag", "fragment"},
		{"http://vm.lan:0/x", "port"},
		{"http://vm.lan:99999/x", "port"},
		{"http://vm.lan/%zz", "not a URL"},
		{"http://vm.lan/" + strings.Repeat("a", 2048), "longer"},
	} {
		err := CheckURL(tt.url)
		if tt.want == "" && err != nil || tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want)) {
			t.Errorf("CheckURL(%.60q) = %v, want %q", tt.url, err, tt.want)
		}
		if err != nil && strings.Contains(err.Error(), "pw") {
			t.Errorf("CheckURL error shows the password: %v", err)
		}
	}
	err := CheckURL("https://vm.example/api/v1/import/prometheus")
	if TLSBuilt != (err == nil) || !TLSBuilt && !errors.Is(err, ErrNoTLS) {
		t.Errorf("https with TLSBuilt=%v: %v", TLSBuilt, err)
	}
}

func TestLoggedURLHidesQueryAndUser(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"http://10.8.0.1:8428/api/v1/import/prometheus", "http://10.8.0.1:8428/api/v1/import/prometheus"},
		{"http://10.8.0.1:8428/api/v1/import/prometheus?token=s3cret", "http://10.8.0.1:8428/api/v1/import/prometheus?…"},
		{"http://u:pw@10.8.0.1/p", "http://10.8.0.1/p"},
		{"http://[::1]:8428/p?", "http://[::1]:8428/p?…"},
		{"http://%zz/", "(unparsable URL)"},
	} {
		if got := LoggedURL(c.in); got != c.want {
			t.Errorf("LoggedURL(%q) = %q, want %q", c.in, got, c.want)
		}
	}
	if err := CheckURL("http://10.0.0.1:8428/p?token=s3cret%zz"); err != nil && strings.Contains(err.Error(), "s3cret") {
		t.Errorf("CheckURL's error repeats the query: %v", err)
	}
}
