// Package homenet holds the simulated home network test: network
// namespaces and veth pairs make a router running `heimnetz run`, three
// clients that get their addresses from a real dnsmasq over DHCP, NAT to
// an upstream namespace, and bounded traffic between them; the test then
// checks what the agent's /metrics says against what was sent. It needs
// root (ip netns), dnsmasq, nft and busybox (udhcpc); without root it
// skips, except under CI=true, where it fails.
package homenet
