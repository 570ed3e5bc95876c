package board

import (
	"maps"
	"testing"
)

func TestParseShellVars(t *testing.T) {
	tests := []struct {
		name    string
		in      string
		want    map[string]string
		wantErr bool
	}{
		{name: "single quotes", in: "DISTRIB_ID='OpenWrt'\n", want: map[string]string{"DISTRIB_ID": "OpenWrt"}},
		{name: "double quotes", in: `NAME="Debian GNU/Linux"`, want: map[string]string{"NAME": "Debian GNU/Linux"}},
		{name: "bare", in: "ID=debian\nVERSION_ID=12\n", want: map[string]string{"ID": "debian", "VERSION_ID": "12"}},
		{name: "empty", in: "DISTRIB_TAINTS=''\nX=\n", want: map[string]string{"DISTRIB_TAINTS": "", "X": ""}},
		{name: "second word", in: `A='it' B_`, wantErr: true},
		{name: "escaped single quote", in: `A='it'\''s'`, want: map[string]string{"A": "it's"}},
		{name: "escapes in double quotes", in: `A="say \"hi\" \$HOME \\ \n"`, want: map[string]string{"A": `say "hi" $HOME \ \n`}},
		{name: "dollar kept", in: "A=$B\n", want: map[string]string{"A": "$B"}},
		{name: "comments and blanks", in: "# comment\n\n  A='x' # trailing\nexport B=\"y\"\n", want: map[string]string{"A": "x", "B": "y"}},
		{name: "crlf", in: "A='x'\r\nB=y\r\n", want: map[string]string{"A": "x", "B": "y"}},
		{name: "hash inside quotes", in: "A='x # y'\n", want: map[string]string{"A": "x # y"}},
		{name: "unterminated single", in: "A='x\n", wantErr: true},
		{name: "unterminated double", in: "A=\"x\n", wantErr: true},
		{name: "not an assignment", in: "hello\n", wantErr: true},
		{name: "bad name", in: "1A=x\n", wantErr: true},
		{name: "space in value", in: "A=x y\n", wantErr: true},
		{name: "command substitution", in: "A=`id`\n", wantErr: true},
		{name: "trailing backslash", in: "A=x\\\n", wantErr: true},
		{name: "repeated", in: "A=1\nA=2\n", wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := parseShellVars(fileOpenWrtRelease, []byte(tt.in))
			checkParseErr(t, fileOpenWrtRelease, err)
			if (err != nil) != tt.wantErr {
				t.Fatalf("error = %v, wantErr %v (got %q)", err, tt.wantErr, got)
			}
			if err == nil && !maps.Equal(got, tt.want) {
				t.Fatalf("got %q, want %q", got, tt.want)
			}
		})
	}
}

func FuzzShellVars(f *testing.F) {
	addFixtureSeeds(f, fileOpenWrtRelease)
	addFixtureSeeds(f, fileOSRelease)
	f.Add([]byte(`A='a'"b"\c # d`))
	f.Fuzz(func(t *testing.T, data []byte) {
		vars, err := parseShellVars(fileOSRelease, data)
		checkParseErr(t, fileOSRelease, err)
		if err != nil {
			return
		}
		for k := range vars {
			if !isShellName(k) {
				t.Fatalf("invalid name %q accepted", k)
			}
		}
		// Both typed readers accept whatever the variable parser accepts,
		// except that openwrt_release needs DISTRIB_ID.
		if _, err := parseOSRelease(fileOSRelease, data); err != nil {
			t.Fatalf("parseOSRelease failed where parseShellVars did not: %v", err)
		}
		if _, err := parseOpenWrtRelease(fileOSRelease, data); (err != nil) != (vars["DISTRIB_ID"] == "") {
			t.Fatalf("parseOpenWrtRelease error %v with DISTRIB_ID %q", err, vars["DISTRIB_ID"])
		}
	})
}
