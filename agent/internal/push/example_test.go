package push_test

import (
	"fmt"

	"github.com/heimnetz/heimnetz/agent/internal/push"
)

// The URL a router pushes to: plain http to VictoriaMetrics on the LAN or
// a VPN; credentials come from files, never from the URL.
func ExampleCheckURL() {
	fmt.Println(push.CheckURL("http://10.8.0.1:8428/api/v1/import/prometheus"))
	fmt.Println(push.CheckURL("10.8.0.1:8428/api/v1/import/prometheus"))
	fmt.Println(push.CheckURL("http://router:secret@10.8.0.1:8428/api/v1/import/prometheus"))
	// Output:
	// <nil>
	// no scheme; write http://HOST:PORT/PATH
	// user or password in the URL; set username and password_file instead
}
