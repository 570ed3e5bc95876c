package store_test

import (
	"errors"
	"fmt"
	"os"
	"time"

	"github.com/heimnetz/heimnetz/store"
)

// The agent opens one DB at start (the RAM+snapshot layout of
// DefaultOptions under the data directory), hands each plugin its KV with
// the plugin's quota, and closes the DB on shutdown, which writes the
// final snapshot.
func Example() {
	dir, _ := os.MkdirTemp("", "heimnetz-example-")
	defer os.RemoveAll(dir)

	db, err := store.Open(store.DefaultOptions(dir))
	if err != nil {
		fmt.Println(err)
		return
	}
	kv := db.KV("wan-latency", store.Quota{MaxKeys: 2})
	_ = kv.Set("last_rtt_ms", "12.5")
	_ = kv.Set("gateway", "192.168.1.1")
	if err := kv.Set("third", "x"); errors.Is(err, store.ErrQuotaKeys) {
		fmt.Println(err)
	}
	v, ok, _ := kv.Get("last_rtt_ms")
	fmt.Println(v, ok, kv.Usage().Keys)

	_, _ = db.AppendEvent(store.Event{Type: "auth", Severity: store.High, Message: "admin login failed, password=hunter2"})
	evs, _ := db.Events(1, 0)
	fmt.Println(evs[0].Severity, evs[0].Message)

	_ = db.PutPlugin(store.PluginRecord{Name: "wan-latency", Enabled: true, Runs: 1, LastDuration: time.Millisecond})
	if err := db.Close(); err != nil {
		fmt.Println(err)
	}
	// Output:
	// plugin "wan-latency": kv key quota exceeded (2 keys, limit 2)
	// 12.5 true 2
	// high admin login failed, password=[REDACTED]
}

func ExampleRedact() {
	fmt.Println(store.Redact(`uci: option key 'MyWifiPass'; Authorization: Bearer eyJhbGciOi`))
	// Output:
	// uci: option key '[REDACTED]'; Authorization: Bearer [REDACTED]
}
