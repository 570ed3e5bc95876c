// Package limits defines the budgets a plugin runs under and the errors
// that report a broken budget.
//
// A Limits value holds every cap the agent enforces on one plugin:
// instructions, memory and wall time per call, CPU share over a window,
// call depth, and the output caps (log lines, metric series, stored bytes).
// Defaults returns the values a plugin gets when it asks for nothing;
// Ceilings returns the most an owner allows a manifest to ask for.
// Values are parsed from the same text form in manifests, in the agent's
// configuration and in `heimnetz plugin run --limit KEY=VALUE`.
//
// Enforcement lives with the parts that hold the resource: the Lua engine's
// meter stops instructions, memory and depth; CPUShare throttles a plugin
// that used more than its share; the host modules cap output.
package limits
