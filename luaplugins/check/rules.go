package check

// Rule is one check with a stable ID. IDs are never reused or renumbered:
// CI configurations and SARIF viewers refer to them.
type Rule struct {
	ID       string   `json:"id"`
	Name     string   `json:"name"`
	Severity Severity `json:"severity"` // the usual severity; a finding may differ
	Summary  string   `json:"summary"`
	Fix      string   `json:"fix"` // the usual fix, one line
}

// Rule IDs.
const (
	RuleRemovedGlobal    = "HN001"
	RuleUnknownGlobal    = "HN002"
	RuleNotGranted       = "HN003"
	RuleUnusedPermission = "HN004"
	RuleDynamicCode      = "HN005"
	RuleBinaryChunk      = "HN006"
	RuleRunawayLoop      = "HN007"
	RuleCostlyString     = "HN008"
	RuleGlobalWrite      = "HN009"
	RuleSecret           = "HN010"
	RuleNetworkTarget    = "HN011"
	RuleOversizedSource  = "HN012"
	RuleOversizedLiteral = "HN013"
	RuleManifest         = "HN014"
	RuleFileLayout       = "HN015"
	RuleSyntax           = "HN016"
	RuleNoTests          = "HN017"
	RuleNoCollect        = "HN018"
	RuleUnknownField     = "HN019"
	RuleMetricName       = "HN020"
	RuleCeiling          = "HN021"
	RuleUncheckedCode    = "HN022"
)

// Rules returns every rule, ordered by ID.
func Rules() []Rule {
	return append([]Rule(nil), rules...)
}

// RuleByID returns the rule with the given ID.
func RuleByID(id string) (Rule, bool) {
	for _, r := range rules {
		if r.ID == id {
			return r, true
		}
	}
	return Rule{}, false
}

var rules = []Rule{
	{RuleRemovedGlobal, "removed-global", Critical,
		"Uses a global the sandbox removes (io, os, debug, package, load, require, setfenv, string.dump, …); the call fails at run time and shows an attempt to leave the sandbox.",
		"remove the call; host modules (log, kv, metrics, board, json) offer what plugins may do"},
	{RuleUnknownGlobal, "unknown-global", Medium,
		"Reads a global that is neither in the sandbox, nor a granted host module, nor defined by the plugin; it is nil at run time (often a typo).",
		"define it (as a local), fix the spelling, or grant the module in manifest.yml"},
	{RuleNotGranted, "permission-not-granted", High,
		"Uses a host module the manifest does not grant; the module is nil at run time.",
		"add the module to permissions in manifest.yml, or stop using it"},
	{RuleUnusedPermission, "unused-permission", Low,
		"The manifest grants a permission main.lua never uses; plugins should ask for no more than they need.",
		"remove the permission from manifest.yml"},
	{RuleDynamicCode, "dynamic-code", High,
		"Builds names or code at run time (_G[expr], rawget/rawset on _G with computed keys, setmetatable on _G, the string metatable); this hides what the plugin does from review.",
		"use the global or module by its literal name"},
	{RuleBinaryChunk, "binary-chunk", Critical,
		"The file is precompiled Lua bytecode (it starts with ESC); the agent loads only source text, and bytecode cannot be reviewed.",
		"ship the Lua source instead of compiled bytecode"},
	{RuleRunawayLoop, "runaway-loop", Medium,
		"A loop with a constant true condition and no break, return or error inside, or a numeric loop with literal bounds beyond the instruction budget; it runs until a limit ends the call.",
		"give the loop an end condition or a break, or bound its iterations"},
	{RuleCostlyString, "costly-string", Medium,
		"A string pattern with several .- / .* / .+ (backtracking that grows with the input) or a string.rep with a large literal count; likely to hit the instruction or memory limit.",
		"anchor the pattern and use one wildcard, or split the work; keep string.rep counts small"},
	{RuleGlobalWrite, "global-write", Low,
		"Assigns a global that is not a hook (collect, test_*); globals leak between functions and can shadow built-ins.",
		"declare it local (local function name / local name = …)"},
	{RuleSecret, "secret-in-source", High,
		"A string literal looks like a password, token or private key; the source is visible on the device and in packages.",
		"do not ship secrets in plugins; keep them out of the source"},
	{RuleNetworkTarget, "network-target", Medium,
		"A string literal names a plain-HTTP URL or a private, loopback or link-local address; plugins have no network access, and such targets in allowlists would expose the LAN.",
		"remove the address; use https and public names only where a target is needed"},
	{RuleOversizedSource, "oversized-source", High,
		"A source file is larger than the agent accepts (luaplugins.MaxSourceBytes); the plugin does not load.",
		"split data out of the source or make it smaller"},
	{RuleOversizedLiteral, "oversized-literal", Medium,
		"A string literal, table constructor or nesting is very large; it costs memory on every load of the plugin.",
		"compute the data, or keep literals small"},
	{RuleManifest, "manifest-invalid", High,
		"manifest.yml does not validate (unknown field, bad name, version, interval, permission or limit); the agent does not load the plugin.",
		"fix the named field in manifest.yml"},
	{RuleFileLayout, "file-layout", High,
		"The plugin directory holds a symbolic link, a special file, a path that escapes the directory, or misses main.lua.",
		"keep only regular files inside the plugin directory"},
	{RuleSyntax, "syntax-error", High,
		"The Lua source does not parse; the plugin does not load.",
		"fix the syntax at the given position"},
	{RuleNoTests, "no-tests", Info,
		"The plugin has no test.lua, or test.lua defines no test_* function.",
		"add test.lua with test_* functions (`heimnetz plugin new NAME` writes a plugin with tests to start from)"},
	{RuleNoCollect, "no-collect", High,
		"main.lua defines no global collect() function; the agent refuses to schedule such a plugin.",
		"define function collect() … end in main.lua"},
	{RuleUnknownField, "unknown-field", Medium,
		"Uses a function a library or host module does not have (e.g. kv.put); it is nil at run time.",
		"use a function the module offers (see `heimnetz docs`)"},
	{RuleMetricName, "metric-name", High,
		"A metric or label name literal breaks the naming rules that metrics.set and metrics.add apply at run time (the call would fail); the rules, the same for both, are listed under the metrics module and keep every name passing promtool check metrics. check is for plugin authors, so it applies the rules of installed and local plugins: the node_exporter names only the agent's bundled plugins may export (node_memory_MemTotal_bytes, node_entropy_available_bits, ...) are findings too.",
		"rename the metric"},
	{RuleCeiling, "limit-above-ceiling", High,
		"The manifest asks for a limit above the agent's ceiling; the agent does not load the plugin.",
		"lower the limit to at most the ceiling, or ask the owner to raise the ceiling"},
	{RuleUncheckedCode, "unchecked-code", High,
		"Code nests deeper than the checker follows (200 levels); the part below that depth is not checked, so the plugin cannot pass.",
		"flatten the nesting: split deep expressions and tables into locals or functions"},
}
