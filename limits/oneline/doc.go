// Package oneline makes a string that came from a plugin or a client safe
// to put into a log line, a security event, an error message, the status
// page or the API: bounded in bytes and shown as exactly one line that
// reads left to right.
//
// The rule, in one place so every user applies the same one: a string is
// cut to a byte bound before anything else is done with it, at a UTF-8
// boundary, with a marker "…(+N bytes)" naming how many input bytes were
// left out; then every control character is replaced. Controls are the C0
// set (U+0000–U+001F) but the tab, DEL, the C1 set (U+0080–U+009F, NEL included), the
// line and paragraph separators U+2028 and U+2029, and every invisible
// format character (Unicode category Cf) but the zero-width joiner and
// non-joiner: the bidirectional marks, embeddings, overrides and isolates
// (U+061C, U+200E, U+200F, U+202A–U+202E, U+2066–U+2069), the soft
// hyphen, zero-width space, byte order mark and tag characters, which
// would let two different keys or names look the same. Invalid UTF-8, including a raw 8-bit C1
// byte, is replaced byte by byte, by U+FFFD. The tab stays: it can neither
// split a line nor reorder text, and print separates its arguments with
// it as Lua does. The result never holds a forbidden rune, never exceeds
// the bound and never shares memory with the input, so a caller may keep
// it after the plugin's string is gone.
package oneline
