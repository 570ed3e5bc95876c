package board

const (
	fileOpenWrtRelease = "etc/openwrt_release"
	fileOSRelease      = "etc/os-release"
)

// OpenWrtRelease is the content of /etc/openwrt_release.
type OpenWrtRelease struct {
	// ID is DISTRIB_ID: "OpenWrt", or a derivative's name.
	ID string `json:"id"`
	// Release is DISTRIB_RELEASE, e.g. "23.05.3" or "SNAPSHOT".
	Release string `json:"release"`
	// Revision is DISTRIB_REVISION, e.g. "r23809-234f1a2efa".
	Revision string `json:"revision"`
	// Target is DISTRIB_TARGET, e.g. "ramips/mt7621".
	Target string `json:"target"`
	// Arch is DISTRIB_ARCH, the package architecture, e.g. "mipsel_24kc".
	Arch string `json:"arch"`
	// Description is DISTRIB_DESCRIPTION, e.g. "OpenWrt 23.05.3 r23809-234f1a2efa".
	Description string `json:"description"`
	// Codename is DISTRIB_CODENAME; Taints is DISTRIB_TAINTS.
	Codename string `json:"codename,omitempty"`
	Taints   string `json:"taints,omitempty"`
}

// OpenWrtRelease reads /etc/openwrt_release. Its absence (an error
// matching fs.ErrNotExist) means the system is not OpenWrt.
func (b *Board) OpenWrtRelease() (OpenWrtRelease, error) {
	return stableRead(b, fileOpenWrtRelease, 0, func(data []byte) (OpenWrtRelease, error) {
		return parseOpenWrtRelease(fileOpenWrtRelease, data)
	})
}

// parseOpenWrtRelease requires DISTRIB_ID; other variables may be absent.
func parseOpenWrtRelease(file string, data []byte) (OpenWrtRelease, error) {
	v, err := parseShellVars(file, data)
	if err != nil {
		return OpenWrtRelease{}, err
	}
	if v["DISTRIB_ID"] == "" {
		return OpenWrtRelease{}, malformed(file, 0, "no DISTRIB_ID")
	}
	return OpenWrtRelease{
		ID:          v["DISTRIB_ID"],
		Release:     v["DISTRIB_RELEASE"],
		Revision:    v["DISTRIB_REVISION"],
		Target:      v["DISTRIB_TARGET"],
		Arch:        v["DISTRIB_ARCH"],
		Description: v["DISTRIB_DESCRIPTION"],
		Codename:    v["DISTRIB_CODENAME"],
		Taints:      v["DISTRIB_TAINTS"],
	}, nil
}

// OSRelease is the part of /etc/os-release (the freedesktop.org format
// most Linux distributions ship) heimnetz uses.
type OSRelease struct {
	// ID is the lower-case distribution id, e.g. "debian".
	ID string `json:"id"`
	// Name is e.g. "Debian GNU/Linux"; PrettyName e.g. "Debian GNU/Linux 12 (bookworm)".
	Name       string `json:"name"`
	PrettyName string `json:"pretty_name"`
	// VersionID is e.g. "12"; VersionCodename e.g. "bookworm".
	VersionID       string `json:"version_id,omitempty"`
	VersionCodename string `json:"version_codename,omitempty"`
}

// OSRelease reads /etc/os-release.
func (b *Board) OSRelease() (OSRelease, error) {
	return stableRead(b, fileOSRelease, 0, func(data []byte) (OSRelease, error) {
		return parseOSRelease(fileOSRelease, data)
	})
}

// parseOSRelease applies the defaults of os-release(5) for ID and NAME.
func parseOSRelease(file string, data []byte) (OSRelease, error) {
	v, err := parseShellVars(file, data)
	if err != nil {
		return OSRelease{}, err
	}
	r := OSRelease{
		ID:              v["ID"],
		Name:            v["NAME"],
		PrettyName:      v["PRETTY_NAME"],
		VersionID:       v["VERSION_ID"],
		VersionCodename: v["VERSION_CODENAME"],
	}
	if r.ID == "" {
		r.ID = "linux"
	}
	if r.Name == "" {
		r.Name = "Linux"
	}
	if r.PrettyName == "" {
		r.PrettyName = "Linux"
	}
	return r, nil
}
