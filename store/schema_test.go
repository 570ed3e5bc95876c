package store

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	bolt "go.etcd.io/bbolt"
)

// writeV1Fixture builds a database in the v1 layout (top-level "kv.<plugin>"
// buckets, no logs bucket). It is built by the test rather than kept in
// testdata because bbolt files use the machine's byte order.
func writeV1Fixture(t *testing.T, path string) {
	t.Helper()
	b, err := bolt.Open(path, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	err = b.Update(func(tx *bolt.Tx) error {
		meta, _ := tx.CreateBucket(bucketMeta)
		if err := meta.Put(keySchema, encodeUint32(1)); err != nil {
			return err
		}
		plugins, _ := tx.CreateBucket(bucketPlugins)
		rec, _ := json.Marshal(PluginRecord{Name: "wan-latency", Version: "1.0.0", Enabled: true, Runs: 42})
		if err := plugins.Put([]byte("wan-latency"), rec); err != nil {
			return err
		}
		events, _ := tx.CreateBucket(bucketEvents)
		ev, _ := encodeEvent(Event{Type: "login", Severity: High, Message: "v1 event"})
		if err := events.Put(encodeUint64(1), ev); err != nil {
			return err
		}
		for _, p := range []string{"wan-latency", "dns-check"} {
			kv, err := tx.CreateBucket([]byte("kv." + p))
			if err != nil {
				return err
			}
			for i := range 3 {
				if err := kv.Put(fmt.Appendf(nil, "key%d", i), fmt.Appendf(nil, "%s-%d", p, i)); err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestMigrateV1(t *testing.T) {
	o := testOptions(t, nil)
	o.SnapshotPath = ""
	if err := mkdirFor(o.LivePath); err != nil {
		t.Fatal(err)
	}
	writeV1Fixture(t, o.LivePath)
	db := openTest(t, o)
	if notes := fmt.Sprint(db.Notices()); !strings.Contains(notes, "from schema v1 to v2") {
		t.Fatalf("notices: %s", notes)
	}
	for _, p := range []string{"wan-latency", "dns-check"} {
		kv := db.KV(p, DefaultQuota())
		keys, _ := kv.Keys()
		if strings.Join(keys, ",") != "key0,key1,key2" {
			t.Fatalf("%s keys after migration: %v", p, keys)
		}
		if v, _, _ := kv.Get("key2"); v != p+"-2" {
			t.Fatalf("%s key2 = %q", p, v)
		}
		if u := kv.Usage(); u.Keys != 3 {
			t.Fatalf("%s usage %+v", p, u)
		}
	}
	rec, ok, _ := db.Plugin("wan-latency")
	if !ok || rec.Runs != 42 {
		t.Fatalf("registry after migration: %+v %v", rec, ok)
	}
	evs, _ := db.Events(0, 0)
	if len(evs) < 2 || evs[len(evs)-1].Message != "v1 event" {
		t.Fatalf("events after migration: %+v", evs)
	}
	if err := db.AppendLog("wan-latency", "info", "logs bucket exists", evs[0].Time); err != nil {
		t.Fatal(err)
	}
	err := db.view(func(tx *bolt.Tx) error {
		v, err := schemaVersion(tx)
		if v != SchemaVersion || err != nil {
			return fmt.Errorf("schema %d, %v", v, err)
		}
		return tx.ForEach(func(name []byte, _ *bolt.Bucket) error {
			if strings.HasPrefix(string(name), "kv.") {
				return fmt.Errorf("v1 bucket %q left", name)
			}
			return nil
		})
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := db.Check(); err != nil {
		t.Fatal(err)
	}
	// A second open has nothing to migrate.
	db = reopen(t, db)
	if notes := fmt.Sprint(db.Notices()); strings.Contains(notes, "migrated") {
		t.Fatalf("migrated twice: %s", notes)
	}
}

func TestForeignBboltFileMovedAside(t *testing.T) {
	o := testOptions(t, nil)
	if err := mkdirFor(o.LivePath); err != nil {
		t.Fatal(err)
	}
	b, err := bolt.Open(o.LivePath, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := b.Update(func(tx *bolt.Tx) error { _, err := tx.CreateBucket([]byte("someone-else")); return err }); err != nil {
		t.Fatal(err)
	}
	b.Close()
	db := openTest(t, o)
	if notes := fmt.Sprint(db.Notices()); !strings.Contains(notes, "foreign database") || !strings.Contains(notes, "moved aside") {
		t.Fatalf("notices: %s", notes)
	}
}
