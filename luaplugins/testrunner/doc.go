// Package testrunner runs a plugin's own tests: `heimnetz plugin test`.
//
// The plugin is loaded with luaplugins.Load, in the same sandbox and
// under the same limits the agent uses, with a real bbolt store in a
// temporary directory for kv and fixture board data (the plugin's own
// testdata/ directory when it has one, otherwise a copy of an OpenWrt
// MT7621 router's /proc embedded in the binary). Its test.lua runs in the
// same Lua state after main.lua, so tests see main.lua's globals; every
// global function named test_* in test.lua is then called, in source
// order, each as one call under the plugin's per-call limits.
//
// Tests use a small assertion API (Globals) defined in Lua before
// main.lua runs; metric(name [, labels]) returns the last value the
// plugin set (or the total it added) for a series.
package testrunner
