package web

import (
	"github.com/valyala/fasthttp"
)

// loginView is the body of the login page.
type loginView struct {
	Next  string // local path to return to; checked by safeNext
	Error string
}

func (s *Server) loginPage(ctx *fasthttp.RequestCtx, m *match) {
	if ctx.IsPost() {
		s.loginForm(ctx, m)
		return
	}
	if !allowMethods(s, ctx, m.route, "GET, HEAD, POST") {
		return
	}
	if err := checkArgs(ctx.QueryArgs(), "next", "done"); err != nil {
		s.inputFail(ctx, m.route, err)
		return
	}
	a, _ := s.authenticate(ctx)
	d := s.newPageData(a, "Log in", "login")
	s.renderLogin(ctx, fasthttp.StatusOK, d, loginView{Next: safeNext(string(ctx.QueryArgs().Peek("next")))})
}

// renderLogin answers with the login page.
func (s *Server) renderLogin(ctx *fasthttp.RequestCtx, code int, d pageData, v loginView) {
	s.render(ctx, code, d, func(w htmlWriter, _ *pageData) { writeLogin(w, &v) })
}

// writeLogin writes the login form with the error of a failed attempt.
func writeLogin(w htmlWriter, v *loginView) {
	w.raw("\n<section class=\"login card\">\n<h1>Log in</h1>\n")
	if v.Error != "" {
		w.raw(`<p class="err" role="alert">`)
		w.text(v.Error)
		w.raw(`</p>`)
	}
	w.raw("\n<form method=\"post\" action=\"/login\" class=\"stack\">\n<input type=\"hidden\" name=\"next\"")
	w.attr("value", v.Next)
	w.raw(`>
<label>Admin password <input type="password" name="password" autocomplete="current-password" required autofocus></label>
<button>Log in</button>
</form>
</section>
`)
}
