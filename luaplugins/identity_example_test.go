package luaplugins_test

import (
	"fmt"

	"github.com/heimnetz/heimnetz/luaplugins"
)

// What plugins with the clients permission are told of a MAC address in
// each client identity setting; the agent passes the setting in
// luaplugins.Env.Identity.
func ExampleIdentity_Mask() {
	mac := "00:00:5E:00:53:A1"
	for _, id := range []luaplugins.Identity{
		{Expose: true},                     // expose_client_identity on
		{Key: []byte("heimnetz-test-key")}, // the default: a key kept beside the database
		{},                                 // neither: identities removed
	} {
		fmt.Printf("%q\n", id.Mask(mac))
	}
	// Output:
	// "00:00:5E:00:53:A1"
	// "h:a5a789023675"
	// ""
}
