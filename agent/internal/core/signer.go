package core

import (
	"errors"
	"fmt"
	"slices"

	"github.com/heimnetz/heimnetz/luaplugins"
	"github.com/heimnetz/heimnetz/store"
)

// errSignerChanged marks an upgrade whose package is not signed by the
// key that signed the installed version (or is unsigned when that was
// signed, or the reverse), without the admin's explicit confirmation.
// The web API answers it with 409.
var errSignerChanged = errors.New("the package's signer differs from the installed version's")

// predecessor is what a package's name already holds on this agent.
type predecessor struct {
	installed bool   // a version is installed in the plugins directory
	signer    string // the key id that signed it (or left the data); "" unsigned or unknown
	dataKeys  int    // kv keys stored under the name
}

// succession is what installing a package over a predecessor does
// besides putting the files in place.
type succession struct {
	wipeData bool   // clear the kv data the predecessor left
	event    string // text of a plugin_signer_changed event; "" for none
}

// planSuccession applies the signer rule. An installed plugin is upgraded
// only by a package with the same signer (the same key id, or unsigned
// after unsigned, which the owner accepted explicitly both times); any
// other signer needs confirmed, the admin's explicit allow_signer_change
// (--allow-signer-change), and is then recorded. A new plugin never
// inherits kv data a removed plugin of the same name left unless the
// same key signed both: data of another or an unknown signer, or of an
// unsigned plugin, is wiped, unless the admin confirmed a change of
// signer, which keeps it.
func planSuccession(name string, prev predecessor, nextProv provenance, confirmed bool) (succession, error) {
	next := nextProv.signer
	switch {
	case prev.installed && prev.signer == next:
		return succession{}, nil
	case prev.installed && !confirmed:
		return succession{}, fmt.Errorf("%w: %s is installed %s and this package is %s; an upgrade must keep its signer unless the admin confirms the change (allow_signer_change=true in the API, --allow-signer-change on the command line)",
			errSignerChanged, name, signedBy(prev.signer), nextProv)
	case prev.installed:
		return succession{event: fmt.Sprintf("signer of %s changed from %s to %s, confirmed by the admin; its kv data is kept", name, keyName(prev.signer), nextProv.keyName())}, nil
	case prev.dataKeys == 0 || (next != "" && prev.signer == next):
		return succession{}, nil
	case confirmed:
		return succession{event: fmt.Sprintf("new %s (%s) takes over %d kv keys left by a removed plugin of the same name (%s), confirmed by the admin", name, nextProv.keyName(), prev.dataKeys, keyName(prev.signer))}, nil
	default:
		return succession{wipeData: true, event: fmt.Sprintf("%d kv keys left by a removed %s (%s) wiped before installing a package %s", prev.dataKeys, name, keyName(prev.signer), nextProv)}, nil
	}
}

// provenance is who signed a package, as the agent verified it.
type provenance struct {
	signer    string // the trusted key that signed it; "" when none did
	untrusted string // the key id of a valid-looking signature no trusted key matches
}

// String describes the package's signature in a sentence: signed by a
// trusted key, signed by an untrusted key (named: it is not "unsigned"),
// or unsigned.
func (p provenance) String() string {
	switch {
	case p.signer != "":
		return "signed by key " + p.signer
	case p.untrusted != "":
		return "signed by untrusted key " + p.untrusted
	}
	return "unsigned"
}

// keyName names the package's signer in an event.
func (p provenance) keyName() string {
	if p.signer == "" && p.untrusted != "" {
		return "untrusted key " + p.untrusted
	}
	return keyName(p.signer)
}

// recordInstalled records an installed package's events, the same for
// an install through the running agent and on the command line: its
// acceptance by the owner when no trusted key signed it, and the install
// with its full content hash and signature.
func recordInstalled(sec *securityLog, name, version, hash string, prov provenance, via string) {
	if prov.signer == "" {
		what := "unsigned package " + version
		if prov.untrusted != "" {
			what = "package " + version + " " + prov.String()
		}
		sec.record(EvUnsignedAccepted, store.High, name, fmt.Sprintf("%s (content hash %s) accepted by the owner via %s", what, hash, via))
	}
	sec.record(EvPluginInstalled, store.Info, name, fmt.Sprintf("version %s installed via %s from a package with content hash %s, %s", version, via, hash, prov))
}

// signedBy describes a signer in a sentence.
func signedBy(keyID string) string {
	if keyID == "" {
		return "unsigned (or of unrecorded signer)"
	}
	return "signed by key " + keyID
}

// keyName names a signer in an event.
func keyName(keyID string) string {
	if keyID == "" {
		return "key none"
	}
	return "key " + keyID
}

// checkNotBundled refuses a package that takes the name of a bundled
// plugin, whether or not the bundled plugins are running: it would replace
// code the owner got with the agent and inherit its data.
func checkNotBundled(name string) error {
	if slices.Contains(luaplugins.BundledNames(), name) {
		return fmt.Errorf("%w: %s is the name of a bundled plugin; a package may not take it", errRejected, name)
	}
	return nil
}
