// Package scaffold writes new plugins from templates: `heimnetz plugin
// new NAME --template T`.
//
// Every template gives a commented manifest.yml (each field with its
// meaning, default and ceiling, rendered from package limits so the text
// cannot drift from the code), a main.lua, a test.lua and a README.md.
// Every template passes `heimnetz plugin check` and `heimnetz plugin test`
// as written; the package's tests hold it to that.
package scaffold
