package board

import (
	"errors"
	"io/fs"
	"testing"
)

func TestOpenWrtReleaseFixtures(t *testing.T) {
	tests := []struct {
		root string
		want OpenWrtRelease
	}{
		{"openwrt-mt7621", OpenWrtRelease{ID: "OpenWrt", Release: "23.05.3", Revision: "r23809-234f1a2efa",
			Target: "ramips/mt7621", Arch: "mipsel_24kc", Description: "OpenWrt 23.05.3 r23809-234f1a2efa"}},
		{"openwrt-ath79", OpenWrtRelease{ID: "OpenWrt", Release: "23.05.3", Revision: "r23809-234f1a2efa",
			Target: "ath79/generic", Arch: "mips_24kc", Description: "OpenWrt 23.05.3 r23809-234f1a2efa"}},
		{"openwrt-filogic", OpenWrtRelease{ID: "OpenWrt", Release: "23.05.3", Revision: "r23809-234f1a2efa",
			Target: "mediatek/filogic", Arch: "aarch64_cortex-a53", Description: "OpenWrt 23.05.3 r23809-234f1a2efa"}},
	}
	for _, tt := range tests {
		t.Run(tt.root, func(t *testing.T) {
			got, err := fixture(t, tt.root).OpenWrtRelease()
			if err != nil {
				t.Fatal(err)
			}
			if got != tt.want {
				t.Fatalf("OpenWrtRelease() = %+v,\nwant %+v", got, tt.want)
			}
		})
	}
	if _, err := fixture(t, "debian-x86").OpenWrtRelease(); !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("debian-x86: error = %v, want fs.ErrNotExist", err)
	}
}

func TestParseOpenWrtRelease(t *testing.T) {
	in := "DISTRIB_ID=\"ImmortalWrt\"\nDISTRIB_RELEASE=\"SNAPSHOT\"\nDISTRIB_CODENAME='snapshot'\nDISTRIB_TAINTS='no-all busybox'\n"
	got, err := parseOpenWrtRelease(fileOpenWrtRelease, []byte(in))
	if err != nil {
		t.Fatal(err)
	}
	want := OpenWrtRelease{ID: "ImmortalWrt", Release: "SNAPSHOT", Codename: "snapshot", Taints: "no-all busybox"}
	if got != want {
		t.Fatalf("got %+v, want %+v", got, want)
	}
	_, err = parseOpenWrtRelease(fileOpenWrtRelease, []byte("DISTRIB_RELEASE='23.05.3'\n"))
	checkParseErr(t, fileOpenWrtRelease, err)
	if err == nil {
		t.Fatal("release without DISTRIB_ID accepted")
	}
}

func TestOSRelease(t *testing.T) {
	got, err := fixture(t, "debian-x86").OSRelease()
	if err != nil {
		t.Fatal(err)
	}
	want := OSRelease{ID: "debian", Name: "Debian GNU/Linux", PrettyName: "Debian GNU/Linux 12 (bookworm)",
		VersionID: "12", VersionCodename: "bookworm"}
	if got != want {
		t.Fatalf("OSRelease() = %+v,\nwant %+v", got, want)
	}
	got, err = parseOSRelease(fileOSRelease, []byte("# nothing set\n"))
	if err != nil {
		t.Fatal(err)
	}
	if want := (OSRelease{ID: "linux", Name: "Linux", PrettyName: "Linux"}); got != want {
		t.Fatalf("defaults = %+v, want %+v", got, want)
	}
}
