package store

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"
)

func TestKVSetGetDeleteKeys(t *testing.T) {
	db := openTest(t, testOptions(t, newTestClock()))
	kv := db.KV("wan-latency", DefaultQuota())
	if _, ok, err := kv.Get("missing"); ok || err != nil {
		t.Fatalf("Get(missing) = ok %v, err %v; want not found", ok, err)
	}
	for _, k := range []string{"zeta", "alpha", "mid"} {
		if err := kv.Set(k, "v-"+k); err != nil {
			t.Fatalf("Set(%q): %v", k, err)
		}
	}
	if v, ok, err := kv.Get("alpha"); v != "v-alpha" || !ok || err != nil {
		t.Fatalf("Get(alpha) = %q, %v, %v", v, ok, err)
	}
	keys, err := kv.Keys()
	if err != nil || strings.Join(keys, ",") != "alpha,mid,zeta" {
		t.Fatalf("Keys = %v, %v; want sorted alpha,mid,zeta", keys, err)
	}
	if err := kv.Delete("mid"); err != nil {
		t.Fatal(err)
	}
	if err := kv.Delete("never-set"); err != nil {
		t.Fatalf("Delete of a missing key: %v", err)
	}
	if u := kv.Usage(); u.Keys != 2 || u.Bytes != int64(len("alpha")+len("v-alpha")+len("zeta")+len("v-zeta")) {
		t.Fatalf("Usage = %+v", u)
	}
	// Another plugin's store is separate.
	other := db.KV("other", DefaultQuota())
	if _, ok, _ := other.Get("alpha"); ok {
		t.Fatal("plugins share keys")
	}
	// Binary values round-trip.
	bin := string([]byte{0, 1, 2, 0xff, 0})
	if err := kv.Set("bin", bin); err != nil {
		t.Fatal(err)
	}
	if v, _, _ := kv.Get("bin"); v != bin {
		t.Fatalf("binary value = %q", v)
	}
}

func TestKVQuotaErrors(t *testing.T) {
	db := openTest(t, testOptions(t, newTestClock()))
	q := Quota{MaxKeys: 3, MaxBytes: 40, MaxKeyLen: 8, MaxValueLen: 16, WritesPerMinute: 1000}
	kv := db.KV("p", q)
	tests := []struct {
		name, key, value string
		want             error
		msg              string
	}{
		{"key too long", "123456789", "v", ErrKeyTooLong, `plugin "p": kv key too long (9 bytes, limit 8)`},
		{"value too large", "k", strings.Repeat("x", 17), ErrValueTooLarge, `plugin "p": kv value too large (17 bytes, limit 16)`},
		{"empty key", "", "v", ErrBadKey, ""},
		{"control char", "a\nb", "v", ErrBadKey, ""},
		{"invalid utf8", "a\xffb", "v", ErrBadKey, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := kv.Set(tc.key, tc.value)
			if !errors.Is(err, tc.want) {
				t.Fatalf("Set = %v, want %v", err, tc.want)
			}
			if tc.msg != "" && err.Error() != tc.msg {
				t.Fatalf("message %q, want %q", err, tc.msg)
			}
		})
	}
	for i := range 3 {
		if err := kv.Set(fmt.Sprintf("k%d", i), "1234567890"); err != nil {
			t.Fatalf("Set k%d: %v", i, err)
		}
	}
	// 3 keys × (2+10) = 36 bytes used.
	err := kv.Set("k3", "x")
	if !errors.Is(err, ErrQuotaKeys) || err.Error() != `plugin "p": kv key quota exceeded (3 keys, limit 3)` {
		t.Fatalf("4th key: %v", err)
	}
	// Growing a value past 40 bytes total fails; shrinking works.
	if err := kv.Set("k0", "123456789012345"); !errors.Is(err, ErrQuotaBytes) {
		t.Fatalf("grow past byte quota: %v", err)
	}
	if err := kv.Set("k0", "1"); err != nil {
		t.Fatalf("shrink: %v", err)
	}
	if u := kv.Usage(); u.Keys != 3 || u.Bytes != 27 {
		t.Fatalf("Usage after shrink = %+v, want 3 keys 27 bytes", u)
	}
	if v, _, _ := kv.Get("k0"); v != "1" {
		t.Fatalf("k0 = %q after failed and good writes", v)
	}
	// Failed writes changed nothing on disk.
	db2 := reopen(t, db)
	u := db2.KV("p", q).Usage()
	if u.Keys != 3 || u.Bytes != 27 {
		t.Fatalf("Usage after reopen = %+v, want 3 keys 27 bytes", u)
	}
	if err := db2.KV("p", q).Clear(); err != nil {
		t.Fatal(err)
	}
	if u := db2.KV("p", q).Usage(); u != (Usage{}) {
		t.Fatalf("Usage after Clear = %+v", u)
	}
	if keys, _ := db2.KV("p", q).Keys(); len(keys) != 0 {
		t.Fatalf("Keys after Clear = %v", keys)
	}
}

func TestKVWriteRate(t *testing.T) {
	clock := newTestClock()
	db := openTest(t, testOptions(t, clock))
	kv := db.KV("chatty", Quota{WritesPerMinute: 6})
	for i := range 6 {
		if err := kv.Set("k", fmt.Sprint(i)); err != nil {
			t.Fatalf("write %d within budget: %v", i, err)
		}
	}
	err := kv.Set("k", "over")
	if !errors.Is(err, ErrWriteRate) || err.Error() != `plugin "chatty": kv write rate exceeded (limit 6 writes per minute)` {
		t.Fatalf("7th write: %v", err)
	}
	if err := kv.Delete("k"); !errors.Is(err, ErrWriteRate) {
		t.Fatalf("Delete over budget: %v", err)
	}
	// 6/min refills one write per 10 s.
	clock.Advance(9 * time.Second)
	if err := kv.Set("k", "x"); !errors.Is(err, ErrWriteRate) {
		t.Fatalf("after 9 s: %v", err)
	}
	clock.Advance(time.Second)
	if err := kv.Set("k", "x"); err != nil {
		t.Fatalf("after 10 s: %v", err)
	}
	if v, _, _ := kv.Get("k"); v != "x" {
		t.Fatalf("k = %q", v)
	}
	// Another handle on the same plugin shares the budget.
	if err := db.KV("chatty", Quota{WritesPerMinute: 6}).Set("k", "y"); !errors.Is(err, ErrWriteRate) {
		t.Fatalf("second handle: %v", err)
	}
}

func TestKVBadPluginName(t *testing.T) {
	db := openTest(t, testOptions(t, nil))
	for _, name := range []string{"", "a/b", "x\x00", strings.Repeat("n", MaxNameLen+1)} {
		kv := db.KV(name, DefaultQuota())
		if err := kv.Set("k", "v"); !errors.Is(err, ErrBadName) {
			t.Errorf("KV(%q).Set = %v, want ErrBadName", name, err)
		}
		if _, _, err := kv.Get("k"); !errors.Is(err, ErrBadName) {
			t.Errorf("KV(%q).Get = %v, want ErrBadName", name, err)
		}
	}
}

func TestKVSameValueNoCommit(t *testing.T) {
	db := openTest(t, testOptions(t, nil))
	kv := db.KV("p", DefaultQuota())
	if err := kv.Set("k", "v"); err != nil {
		t.Fatal(err)
	}
	before := db.Stats().Commits
	for range 5 {
		if err := kv.Set("k", "v"); err != nil {
			t.Fatal(err)
		}
	}
	if after := db.Stats().Commits; after != before {
		t.Fatalf("rewriting the same value committed %d times", after-before)
	}
}

func TestKVConcurrentPluginsCoalesce(t *testing.T) {
	db := openTest(t, testOptions(t, nil))
	const plugins, keys = 8, 20
	errs := make(chan error, plugins)
	for p := range plugins {
		go func() {
			kv := db.KV(fmt.Sprintf("p%d", p), DefaultQuota())
			for k := range keys {
				if err := kv.Set(fmt.Sprintf("k%02d", k), fmt.Sprint(p*k)); err != nil {
					errs <- err
					return
				}
			}
			errs <- nil
		}()
	}
	for range plugins {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
	for p := range plugins {
		kv := db.KV(fmt.Sprintf("p%d", p), DefaultQuota())
		if u := kv.Usage(); u.Keys != keys {
			t.Fatalf("p%d has %d keys", p, u.Keys)
		}
		if v, _, _ := kv.Get("k07"); v != fmt.Sprint(p*7) {
			t.Fatalf("p%d k07 = %q", p, v)
		}
	}
	if c := db.Stats().Commits; c > plugins*keys {
		t.Fatalf("%d commits for %d writes", c, plugins*keys)
	}
}
