-- expect: ok
-- stdout: ^a\x{FFFD}b\x{FFFD}c\x{FFFD}d\x{FFFD}e\n$
-- stdout-not: [\x{2028}\x{202E}\x{85}]
-- rss: 40
-- time: 3s
-- Controls that arrive as JSON \u escapes are real characters once decoded;
-- the log cleans them like any other.
log.info(json.decode('"a\\u2028b\\u202ec\\u0085d\\u000ae"'))
