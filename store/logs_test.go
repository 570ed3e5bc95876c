package store

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

func TestLogsRing(t *testing.T) {
	clock := newTestClock()
	o := testOptions(t, clock)
	o.MaxLogLines, o.MaxLogBytes = 10, 1<<20
	db := openTest(t, o)
	for i := range 25 {
		if err := db.AppendLog("p", "info", fmt.Sprintf("line %d", i), time.Time{}); err != nil {
			t.Fatal(err)
		}
		if i == 12 {
			if err := db.Flush(); err != nil {
				t.Fatal(err)
			}
		}
	}
	if err := db.AppendLog("q", "error", "other plugin", clock.Now()); err != nil {
		t.Fatal(err)
	}
	lines, err := db.Logs("p", 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(lines) != 10 || lines[0].Line != "line 15" || lines[9].Line != "line 24" || lines[9].Seq != 25 {
		t.Fatalf("Logs(p) = %d lines, %+v .. %+v", len(lines), lines[0], lines[len(lines)-1])
	}
	last3, _ := db.Logs("p", 3)
	if len(last3) != 3 || last3[0].Line != "line 22" || last3[2].Line != "line 24" {
		t.Fatalf("Logs(p, 3) = %+v", last3)
	}
	db = reopen(t, db)
	lines, _ = db.Logs("p", 0)
	if len(lines) != 10 || lines[0].Line != "line 15" || lines[0].Level != "info" {
		t.Fatalf("after reopen: %d lines, first %+v", len(lines), lines[0])
	}
	q, _ := db.Logs("q", 0)
	if len(q) != 1 || q[0].Level != "error" || !q[0].Time.Equal(clock.Now()) {
		t.Fatalf("Logs(q) = %+v", q)
	}
	if err := db.AppendLog("p", "info", "after reopen", time.Time{}); err != nil {
		t.Fatal(err)
	}
	lines, _ = db.Logs("p", 1)
	if lines[0].Seq != 26 {
		t.Fatalf("seq after reopen = %d", lines[0].Seq)
	}
	if none, err := db.Logs("nobody", 5); len(none) != 0 || err != nil {
		t.Fatalf("Logs(nobody) = %v, %v", none, err)
	}
}

func TestLogsByteBoundAndRedaction(t *testing.T) {
	o := testOptions(t, nil)
	o.MaxLogLines, o.MaxLogBytes = 1000, 2000
	db := openTest(t, o)
	for i := range 100 {
		if err := db.AppendLog("p", "warn", fmt.Sprintf("%03d token=abcdef%d %s", i, i, strings.Repeat("x", 80)), time.Time{}); err != nil {
			t.Fatal(err)
		}
	}
	db.mu.Lock()
	bytes, count := db.logs["p"].ring.bytes, db.logs["p"].ring.len()
	db.mu.Unlock()
	if bytes > 2000 || count == 0 {
		t.Fatalf("log ring %d bytes, %d lines", bytes, count)
	}
	lines, _ := db.Logs("p", 0)
	if len(lines) != count || !strings.HasPrefix(lines[len(lines)-1].Line, "099 token="+Redacted) {
		t.Fatalf("%d lines, last %q", len(lines), lines[len(lines)-1].Line)
	}
	long := strings.Repeat("z", MaxLogLine+100)
	if err := db.AppendLog("p", "info", long, time.Time{}); err != nil {
		t.Fatal(err)
	}
	lines, _ = db.Logs("p", 1)
	if n := len(lines[0].Line); n > MaxLogLine || n < MaxLogLine-16 || !strings.HasSuffix(lines[0].Line, "…(+116 bytes)") {
		t.Fatalf("long line stored with %d bytes", len(lines[0].Line))
	}
}
