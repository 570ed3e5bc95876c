package main

import "syscall"

// childAttr asks the kernel to send a child SIGTERM when this program
// ends, however it ends.
func childAttr() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Pdeathsig: syscall.SIGTERM}
}
