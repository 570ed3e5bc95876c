// Package webtest holds tables of web's handler tests that any Backend
// must pass, so that web's own fake backend and the agent's real one are
// held to the same cases (they run them from their own tests).
package webtest
