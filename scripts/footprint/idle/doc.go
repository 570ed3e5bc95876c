// Command idle starts the Go runtime and sleeps until it is signalled. The
// footprint script runs it natively and under qemu-user: the difference of
// the two resident sizes is what the emulator itself adds, which is then
// subtracted from the agent's resident size under the same emulator.
package main
