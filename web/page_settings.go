package web

import (
	"github.com/valyala/fasthttp"

	"github.com/heimnetz/heimnetz/settings"
)

// writeRange writes a number input's min and max attributes.
func writeRange(w htmlWriter, lo, hi int64) {
	w.raw(` min="`)
	w.int(lo)
	w.raw(`" max="`)
	w.int(hi)
	w.raw(`"`)
}

func (s *Server) settingsPage(ctx *fasthttp.RequestCtx, m *match) {
	if ctx.IsPost() {
		s.settingsForm(ctx, m)
		return
	}
	if !allowMethods(s, ctx, m.route, "GET, HEAD, POST") {
		return
	}
	if err := checkArgs(ctx.QueryArgs(), "done"); err != nil {
		s.inputFail(ctx, m.route, err)
		return
	}
	a, ok := s.authenticate(ctx)
	if !ok || !a.admin() {
		s.unauthorized(ctx, m.route, errAuthRequired)
		return
	}
	d := s.newPageData(a, "Settings", "settings")
	s.fillHeader(&d)
	st := s.b.Settings()
	s.render(ctx, fasthttp.StatusOK, d, func(w htmlWriter, d *pageData) { writeSettings(w, d, &st) })
}

// writeSettings writes the settings form, the plugin upload form and the
// note on API access.
func writeSettings(w htmlWriter, d *pageData, st *Settings) {
	w.raw(`
<h1>Settings</h1>
<section class="cards">
<article class="card">
<h2>Agent</h2>
<form method="post" action="/settings" class="stack">
`)
	writeCSRFField(w, d)
	w.raw("\n<label class=\"check\"><input type=\"checkbox\" name=\"pages_require_login\"")
	if st.PagesRequireLogin {
		w.raw(` checked`)
	}
	w.raw("> Require login for every page, not only for changes</label>\n<label>Log level <select name=\"log_level\">")
	for _, l := range settings.LogLevels() {
		writeOption(w, l, l == st.LogLevel)
	}
	w.raw("</select></label>\n" + `<label>Disable a plugin after this many limit breaks in a row (0: never) <input type="number" name="breaks_before_disable"`)
	writeRange(w, settings.MinBreaksBeforeDisable, settings.MaxBreaksBeforeDisable)
	w.raw(` value="`)
	w.int(int64(st.BreaksBeforeDisable))
	w.raw("\"></label>\n" + `<label>Events to keep <input type="number" name="event_retention"`)
	writeRange(w, settings.MinEventRetention, settings.MaxEventRetention)
	w.raw(` value="`)
	w.int(int64(st.EventRetention))
	w.raw(`"></label>
<button>Save</button>
</form>
</article>
<article class="card">
<h2>Install a plugin</h2>
<form method="post" action="/plugins/install" enctype="multipart/form-data" class="stack" data-confirm="Install this plugin package?">
`)
	writeCSRFField(w, d)
	w.raw(`
<label>Package <input type="file" name="package" required></label>
<label class="check"><input type="checkbox" name="allow_unsigned"> Allow an unsigned package</label>
<label class="check"><input type="checkbox" name="allow_signer_change"> Allow a signer other than the installed version's (recorded as a security event)</label>
<button>Install</button>
</form>
</article>
<article class="card">
<h2>API access</h2>
<p>Scripts use the admin token as <code>Authorization: Bearer …</code>. It was printed to the log once, on first start; see <code>API.md</code>.</p>
</article>
</section>
`)
}
