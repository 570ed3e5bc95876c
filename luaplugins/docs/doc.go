// Package docs generates heimnetz's reference for plugin authors and
// owners: `heimnetz docs --format html|md|json` and the agent's /docs
// page.
//
// Everything in it is read from the code that it describes: the host API
// from luaplugins.Registry (the same values that install the functions
// into Lua), the sandbox from luaplugins.SafeLibraries and
// RemovedGlobals, the manifest's defaults and ceilings from package
// limits, the test API from package testrunner, the checker's rules from
// package check, and each plugin's metric names from the static checker's
// reading of its main.lua. The reference cannot drift from the code.
//
// GUIDE.md in this directory is the plugin author's guide.
package docs
