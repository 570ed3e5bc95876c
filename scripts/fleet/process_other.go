//go:build !linux

package main

import "syscall"

// childAttr is nil off Linux, which has no parent-death signal: children
// are stopped by stopAll only, so a killed fleet can leave them running.
func childAttr() *syscall.SysProcAttr { return nil }
