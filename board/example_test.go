package board_test

import (
	"errors"
	"fmt"
	"io/fs"
	"log"
	"testing/fstest"

	"github.com/heimnetz/heimnetz/board"
)

// On a router the root is "/"; the examples read a fixture tree captured in
// the same layout.
const root = "testdata/openwrt-mt7621"

func open() *board.Board {
	b, err := board.New(root)
	if err != nil {
		log.Fatal(err)
	}
	return b
}

func ExampleNew() {
	b, err := board.New(root) // board.New("/") in production
	if err != nil {
		log.Fatal(err)
	}
	defer b.Close()
	host, err := b.Hostname()
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(host)
	// Output: OpenWrt
}

func ExampleNewFS() {
	// Any fs.FS can stand in for the root, e.g. plugin test fixtures.
	b := board.NewFS(fstest.MapFS{
		"proc/loadavg": {Data: []byte("0.50 0.25 0.10 2/91 4242\n")},
	})
	l, err := b.LoadAvg()
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(l.Load1, l.Load5, l.Load15, l.Running, l.Total)
	// Output: 0.5 0.25 0.1 2 91
}

func ExampleBoard_LoadAvg() {
	b := open()
	defer b.Close()
	l, err := b.LoadAvg()
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("load %.2f %.2f %.2f, %d of %d tasks runnable\n", l.Load1, l.Load5, l.Load15, l.Running, l.Total)
	// Output: load 0.08 0.11 0.09, 1 of 83 tasks runnable
}

func ExampleBoard_MemInfo() {
	b := open()
	defer b.Close()
	m, err := b.MemInfo()
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("total %d KiB, available %d KiB, used %d KiB\n", m.MemTotal/1024, m.MemAvailable/1024, m.Used()/1024)
	fmt.Printf("slab %d KiB\n", m.Fields["Slab"]/1024)
	// Output:
	// total 122348 KiB, available 68912 KiB, used 53436 KiB
	// slab 20128 KiB
}

func ExampleBoard_Uptime() {
	b := open()
	defer b.Close()
	u, err := b.Uptime()
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(u.Duration())
	// Output: 119h57m56.43s
}

func ExampleBoard_NetDev() {
	b := open()
	defer b.Close()
	stats, err := b.NetDev()
	if err != nil {
		log.Fatal(err)
	}
	for _, s := range stats {
		if s.Name == "wan" || s.Name == "br-lan" {
			fmt.Printf("%s rx %d B tx %d B\n", s.Name, s.RxBytes, s.TxBytes)
		}
	}
	// Output:
	// wan rx 86944211334 B tx 8411907612 B
	// br-lan rx 2010832201 B tx 46532099871 B
}

func ExampleNetDevStats_Delta() {
	// Two samples of a 32-bit counter that wrapped in between.
	prev := board.NetDevStats{Name: "wan", RxBytes: 4294967000}
	cur := board.NetDevStats{Name: "wan", RxBytes: 704}
	fmt.Println(cur.Delta(prev).RxBytes)
	// Output: 1000
}

func ExampleCPUUsage() {
	prev := board.CPUTimes{Name: "cpu", User: 1000, System: 500, Idle: 8000, IOWait: 100}
	cur := board.CPUTimes{Name: "cpu", User: 1150, System: 550, Idle: 8290, IOWait: 110}
	u, err := board.CPUUsage(prev, cur)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("busy %.0f%%, user %.0f%%, system %.0f%%, iowait %.0f%%\n", u.Busy*100, u.User*100, u.System*100, u.IOWait*100)
	// Output: busy 40%, user 30%, system 10%, iowait 2%
}

func ExampleBoard_Device() {
	b := open()
	defer b.Close()
	d, err := b.Device()
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(d.OS, d.Release, d.Target, d.PackageArch)
	fmt.Printf("%s (%s) from %s\n", d.Model, d.BoardID, d.ModelSource)
	fmt.Println(d.CPUModel, "x", d.CPUs, "kernel", d.Kernel)
	// Output:
	// OpenWrt 23.05.3 ramips/mt7621 mipsel_24kc
	// Netgear R6350 (netgear,r6350) from /etc/board.json
	// MIPS 1004Kc V2.15 x 4 kernel 5.15.150
}

func ExampleBoard_Interface() {
	b := open()
	defer b.Close()
	wan, err := b.Interface("wan")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(wan.Name, wan.OperState, *wan.Carrier, *wan.SpeedMbps)
	_, err = b.Interface("../../etc")
	fmt.Println(errors.Is(err, board.ErrBadName))
	_, err = b.Interface("wlan7")
	fmt.Println(errors.Is(err, fs.ErrNotExist))
	// Output:
	// wan up true 1000
	// true
	// true
}

func ExampleBoard_Thermal() {
	b, err := board.New("testdata/openwrt-filogic")
	if err != nil {
		log.Fatal(err)
	}
	defer b.Close()
	zones, err := b.Thermal()
	if err != nil {
		log.Fatal(err)
	}
	for _, z := range zones {
		fmt.Printf("%s %s %.2f°C\n", z.Zone, z.Type, z.Celsius)
	}
	// Output: thermal_zone0 cpu-thermal 47.25°C
}

func ExampleBoard_Snapshot() {
	b := open()
	defer b.Close()
	s, err := b.Snapshot()
	if err != nil {
		// The snapshot still holds every section that could be read;
		// s.Errors names the others.
		log.Print(err)
	}
	fmt.Println(s.Device.Model, len(s.CPU.CPUs), "CPUs,", len(s.NetDev), "interfaces,", len(s.Errors), "errors")
	// Output: Netgear R6350 4 CPUs, 10 interfaces, 0 errors
}

func ExampleParseError() {
	b := board.NewFS(fstest.MapFS{
		"proc/meminfo": {Data: []byte("MemTotal: 1024 kB\nMemFree: lots kB\n")},
	})
	_, err := b.MemInfo()
	var pe *board.ParseError
	if errors.As(err, &pe) {
		fmt.Println(pe.File, pe.Line, errors.Is(err, board.ErrMalformed))
	}
	fmt.Println(err)
	// Output:
	// /proc/meminfo 2 true
	// board: /proc/meminfo:2: malformed: MemFree: "lots": invalid syntax
}
