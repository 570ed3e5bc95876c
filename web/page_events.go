package web

import (
	"strconv"

	"github.com/valyala/fasthttp"

	"github.com/heimnetz/heimnetz/store"
)

// eventsView is the body of the events page.
type eventsView struct {
	Events []Event
	Stats  EventStats
	Query  EventQuery
	Older  string // link to the next older page; empty on the last page
}

// eventSeverities are the severity filter's choices, lowest first: the
// store's one list, which the API filter and the counters use too.
var eventSeverities = store.SeverityNames()

func (s *Server) eventsPage(ctx *fasthttp.RequestCtx, m *match) {
	a, ok := s.readPage(ctx, m, "limit", "before", "severity", "type", "plugin", "unacked")
	if !ok {
		return
	}
	args := fasthttp.AcquireArgs()
	defer fasthttp.ReleaseArgs(args)
	ctx.QueryArgs().CopyTo(args)
	args.Del("done")
	q, err := parseEventQuery(args)
	if err != nil {
		s.inputFail(ctx, m.route, err)
		return
	}
	evs, st, err := s.b.Events(q)
	if err != nil {
		s.backendFail(ctx, m.route, err)
		return
	}
	d := s.newPageData(a, "Events", "events")
	s.fillHeader(&d)
	v := eventsView{Events: evs, Stats: st, Query: q}
	if len(evs) == q.Limit && evs[len(evs)-1].Seq > 1 {
		older := fasthttp.AcquireArgs()
		defer fasthttp.ReleaseArgs(older)
		args.CopyTo(older)
		older.Set("before", strconv.FormatUint(evs[len(evs)-1].Seq, 10))
		v.Older = "/events?" + older.String()
	}
	s.render(ctx, fasthttp.StatusOK, d, func(w htmlWriter, d *pageData) { writeEvents(w, d, &v) })
}

// writeEvents writes the events page: filter form, the table with the
// admin's acknowledge checkboxes, and the pager.
func writeEvents(w htmlWriter, d *pageData, v *eventsView) {
	w.raw("\n<h1>Events <span class=\"muted small\">")
	w.int(int64(v.Stats.Total))
	w.raw(` stored · `)
	w.int(int64(v.Stats.Unacked))
	w.raw(` new</span></h1>
<form method="get" action="/events" class="filters">
<label>Severity <select name="severity"><option value="">any</option>`)
	for _, sev := range eventSeverities {
		writeOption(w, sev, sev == v.Query.Severity)
	}
	w.raw("</select></label>\n<label><input type=\"checkbox\" name=\"unacked\" value=\"true\"")
	if v.Query.UnackedOnly {
		w.raw(` checked`)
	}
	w.raw("> new only</label>\n<button>Filter</button>\n</form>\n")
	if d.Admin {
		w.raw(`<form method="post" action="/events/ack" id="ack">`)
		writeCSRFField(w, d)
		w.raw(`</form>`)
	}
	w.raw("\n<div class=\"scroll\">")
	writeEventTable(w, d, v.Events)
	w.raw("</div>\n<p class=\"pager\">")
	if d.Admin {
		w.raw(`<button form="ack">Acknowledge selected</button>`)
	}
	w.raw("\n")
	if v.Older != "" {
		w.raw(`<a`)
		w.attr("href", v.Older)
		w.raw(`>Older →</a>`)
	}
	w.raw("</p>\n")
}

// writeEventTable writes the events as a table; the admin gets a checkbox
// per unacknowledged event that belongs to the form with id "ack".
func writeEventTable(w htmlWriter, d *pageData, evs []Event) {
	w.raw("<table class=\"events\">\n<thead><tr>")
	if d.Admin {
		w.raw(`<th class="narrow"><span class="sr">select</span></th>`)
	}
	w.raw("<th>Time</th><th>Severity</th><th>Type</th><th>Plugin</th><th>Message</th></tr></thead>\n<tbody>\n")
	for i := range evs {
		e := &evs[i]
		w.raw(`<tr`)
		if !e.Acked {
			w.raw(` class="unacked"`)
		}
		w.raw(`>`)
		if d.Admin {
			w.raw(`<td class="narrow">`)
			if !e.Acked {
				w.raw(`<input type="checkbox" name="seq" value="`)
				w.uint(e.Seq)
				w.raw(`" form="ack" aria-label="select event `)
				w.uint(e.Seq)
				w.raw(`">`)
			} else {
				w.raw(`<span class="muted" title="acknowledged">✓</span>`)
			}
			w.raw(`</td>`)
		}
		w.raw(`<td class="nowrap" title="`)
		w.stamp(e.Time, dateTimeLayout)
		w.raw(`">`)
		writeAgo(w, d, e.Time)
		w.raw(`</td><td>`)
		writeBadge(w, "sev", e.Severity)
		w.raw(`</td><td><code>`)
		w.text(e.Type)
		w.raw(`</code></td><td>`)
		writePluginLink(w, e.Plugin)
		w.raw(`</td><td class="msg">`)
		w.text(e.Message)
		w.raw("</td></tr>\n")
	}
	if len(evs) == 0 {
		w.raw("<tr><td colspan=\"6\" class=\"muted\">No events.</td></tr>\n")
	}
	w.raw("</tbody>\n</table>")
}

// writeOption writes one <option> of a select whose values are its labels.
func writeOption(w htmlWriter, label string, selected bool) {
	w.raw(`<option`)
	if selected {
		w.raw(` selected`)
	}
	w.raw(`>`)
	w.text(label)
	w.raw(`</option>`)
}
