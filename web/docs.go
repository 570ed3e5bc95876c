package web

import (
	"bytes"

	"github.com/valyala/fasthttp"
)

// docsPage serves the host API and plugin reference (`heimnetz docs
// --format html`) inside the pages' own layout, navigation and
// stylesheet, behind login when the pages are.
func (s *Server) docsPage(ctx *fasthttp.RequestCtx, m *match) {
	a, ok := s.readPage(ctx, m)
	if !ok {
		return
	}
	d := s.newPageData(a, "Plugin reference", "docs")
	s.fillHeader(&d)
	body := docsBody(s.b.Docs())
	s.render(ctx, fasthttp.StatusOK, d, func(w htmlWriter, _ *pageData) {
		w.raw("<div class=\"ref\">\n")
		// The reference is HTML the agent generated with every value
		// escaped (Backend.Docs); it is taken as markup, as it was when
		// /docs served the page whole.
		w.raw(markup(body))
		w.raw("\n</div>\n")
	})
}

// docsBody is the content of the reference page: what lies inside its
// <body>, or after its head (doctype, title, style) when it has no body
// element. Its own inline style is dropped, since the site's stylesheet
// applies and the pages' Content-Security-Policy allows no inline style.
// A space between a number and its unit becomes a no-break space, as on
// the other pages.
func docsBody(page []byte) []byte {
	if i := bytes.Index(page, []byte("<body")); i >= 0 {
		page = page[i:]
		if j := bytes.IndexByte(page, '>'); j >= 0 {
			page = page[j+1:]
		}
		if j := bytes.LastIndex(page, []byte("</body>")); j >= 0 {
			page = page[:j]
		}
	} else {
		for _, end := range []string{"</style>", "</title>", "</head>"} {
			if j := bytes.LastIndex(page, []byte(end)); j >= 0 {
				page = page[j+len(end):]
				break
			}
		}
	}
	return joinUnits(bytes.TrimSpace(page))
}

// docUnits are the units joinUnits keeps with their number.
var docUnits = []string{"KiB", "MiB", "GiB", "B", "µs", "ms", "s", "min", "h", "%"}

// joinUnits replaces the space in "<digit> <unit>" with a no-break space
// in the text between tags (never inside a tag), where unit is one of
// docUnits followed by a non-letter.
func joinUnits(page []byte) []byte {
	out := make([]byte, 0, len(page)+64)
	inTag := false
	for i := 0; i < len(page); i++ {
		c := page[i]
		switch {
		case c == '<':
			inTag = true
		case c == '>':
			inTag = false
		case c == ' ' && !inTag && i > 0 && page[i-1] >= '0' && page[i-1] <= '9' && unitAt(page[i+1:]):
			out = append(out, unitSep...)
			continue
		}
		out = append(out, c)
	}
	return out
}

// unitAt reports whether b starts with one of docUnits as a whole word.
func unitAt(b []byte) bool {
	for _, u := range docUnits {
		if !bytes.HasPrefix(b, []byte(u)) {
			continue
		}
		rest := b[len(u):]
		if len(rest) == 0 || !(rest[0] >= 'a' && rest[0] <= 'z' || rest[0] >= 'A' && rest[0] <= 'Z') {
			return true
		}
	}
	return false
}
