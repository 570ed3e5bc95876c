// Package settings holds the owner's run-time settings — the part of the
// agent's configuration the status page and the admin API may change —
// with their one set of JSON names and their one validator.
//
// The agent's config file embeds Settings, so a setting has the same name
// in the config file, in UCI, in the settings API and in the settings form,
// and config.Validate, the web handler and the agent's backend all accept
// exactly the same values.
package settings
