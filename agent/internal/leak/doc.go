// Package leak decides from a plugin's live-memory samples whether the
// plugin leaks: whether the memory its Lua state can still reach after
// a recount (not the charge, which also counts garbage until the next
// recount) grows steadily run after run.
//
// A Tracker keeps a bounded ring of samples per plugin (32, merged
// pairwise as it fills, covering the last 8 to 16 times Config.Runs runs)
// and fits the growth over the last Config.Runs runs, and over the whole
// ring, with a robust slope (Theil–Sen: the median of the slopes between
// every two samples, so a few outliers do not move it). A plugin is
// flagged when, over at least Config.Runs runs, the fitted growth reaches
// Config.MinGrowth, most pairs of samples rise
// (their concordance is at least 3/4, which noise around a flat line
// does not reach), and the later half of the window still rises (a
// plugin that fills a cache once and settles is not flagged once the
// warm-up has left the window). A flagged plugin stays flagged until the
// growth over the window falls below half of MinGrowth or its samples
// stop rising, so a verdict does not flap between runs.
//
// The package knows nothing of plugins or Lua: the caller feeds numbers
// and resets the tracker when the plugin gets a new state (reload,
// upgrade, restart after a limit break). A Tracker is not safe for
// concurrent use.
package leak
