// Package check is heimnetz's static checker for plugins: `heimnetz plugin
// check` and the agent's install path run it before any plugin code runs.
//
// It reads a plugin directory (manifest.yml, main.lua, test.lua and the
// other files), parses the Lua sources with gopher-lua's parser and walks
// the syntax tree with scopes, so it knows which names are locals, which
// are globals the plugin defines and which it only reads. It resolves
// globals against the same sandbox the runtime builds (luaplugins' safe
// libraries minus RemovedGlobals) and the host modules of the registry the
// runtime installs, so a rule about "unknown globals" cannot drift from
// what a plugin really sees.
//
// Every finding has a stable rule ID (HN001…), a severity, a position
// (file:line:column) and a one-line fix. Reports render as text, JSON or
// SARIF 2.1.0. A report fails (Failed) when it holds a finding at or
// above High; that is what makes `plugin check` exit 1 and the agent
// refuse an install.
package check
