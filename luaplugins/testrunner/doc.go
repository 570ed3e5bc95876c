// Package testrunner runs a plugin's own tests: `heimnetz plugin test`.
//
// Every global function named test_* in test.lua is one test; they run in
// source order. For each test the plugin is loaded afresh with
// luaplugins.Load, in the same sandbox and under the same limits the
// agent uses: main.lua runs as the chunk main.lua, then test.lua as the
// chunk test.lua in the same state (so tests see main.lua's globals), and
// then the test function is called as one call under the plugin's
// per-call limits. An error is therefore reported at the file and line
// where it happened, exactly as `heimnetz plugin run` reports it.
//
// Each test gets a kv store of its own in a new bbolt file, so no test
// sees what an earlier one wrote; test.lua opts out with the top-level
// statement `shared_kv = true`, after which the tests share one store in
// source order (the plugin is still reloaded for each, as after a restart
// of the agent). Board data comes from a fixture: the plugin's own
// testdata/ directory when it has one, otherwise a copy of an OpenWrt
// MT7621 router's /proc embedded in the binary.
//
// The assertion API (Assertions) is made of Go functions installed
// through luaplugins.Env.TestAPI; metric(name [, labels]) reads the
// plugin's own series, so nothing in Lua wraps the plugin's host modules.
package testrunner
