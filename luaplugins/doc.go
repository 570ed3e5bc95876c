// Package luaplugins runs heimnetz's Lua plugins.
//
// A plugin is a directory with a manifest.yml and a main.lua (or, under
// `heimnetz plugin run`, a bare .lua file). Its manifest is parsed and
// validated before any of its code runs (ParseManifest). Load opens a
// gopher-lua state holding only the safe parts of the standard library
// and the host modules the manifest's permissions grant, meters it with
// the engine's Meter so every limit in package limits is a real cap, runs
// the top-level chunk once, and returns a *Plugin whose Collect runs
// collect() under the same limits.
//
// Host modules (log, kv, metrics, board) are registered in one Registry
// together with their documentation and the permission each needs; the
// sandbox, the docs generator and the static checker all read it.
package luaplugins
