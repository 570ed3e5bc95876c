package luaplugins

import (
	"errors"
	"fmt"
	"strings"

	lua "github.com/yuin/gopher-lua"

	"github.com/heimnetz/heimnetz/limits"
)

func metricsModule() Module {
	lim := []string{"metric series per plugin", "label value length", fmt.Sprintf("at most %d labels", MaxLabels),
		fmt.Sprintf("at most %d metric families per plugin and %d in the agent", MaxPluginFamilies, MaxFamilies),
		fmt.Sprintf("%d bytes of names and labels kept per allowed series", MetricBytesPerSeries)}
	errs := []string{"the name or a label is not valid", "the value is not a finite number", "the plugin has reached its series, family or metric byte limit", "the name is already used by another plugin with the other kind"}
	return Module{
		Name: "metrics", Permission: "metrics",
		Doc: "Gauges and counters exported on the agent's /metrics as name{plugin=\"<plugin>\",<labels>}; labels is an optional table of string keys to string or number values. Naming rules (the same ones `plugin check` applies, so every name passes promtool check metrics): " + strings.Join(MetricNamingRules(), " "),
		Funcs: []Func{
			{
				Name: "set", Args: "name, value [, labels]", Returns: "nothing",
				Doc:    "Sets the gauge name{labels} to value. Gauge names must not end in _total.",
				Errors: errs, Limits: lim,
				New: func(h *Host) lua.LGFunction { return metricFunc(h, false) },
			},
			{
				Name: "add", Args: "name, delta [, labels]", Returns: "nothing",
				Doc:    "Adds delta (0 or more) to the counter name{labels}. Counter names end in _total.",
				Errors: errs, Limits: lim,
				New: func(h *Host) lua.LGFunction { return metricFunc(h, true) },
			},
			{
				Name: "label", Args: "text", Returns: "string",
				Doc: "Returns text as a label value metrics.set and metrics.add accept: invalid UTF-8 replaced by U+FFFD and cut, on a character boundary, to the plugin's label length limit. " +
					"For text the plugin does not choose (an SSID, a host name a client sent), which would otherwise make the call fail.",
				New: func(h *Host) lua.LGFunction {
					return func(L *lua.LState) int {
						L.Push(lua.LString(LabelText(L.CheckString(1), h.Limits.LabelBytes)))
						return 1
					}
				},
			},
			{
				Name: "delete", Args: "name [, labels]", Returns: "true if the series existed, else false",
				Doc: "Removes the series name{labels} from /metrics and frees its place under the series limit; a counter set again later starts from 0. " +
					"For series about things that go away (a client that left, an interface removed), so they neither linger with their last value nor fill the limit.",
				Errors: []string{"labels is not a table of string keys to string or number values"},
				New: func(h *Host) lua.LGFunction {
					return func(L *lua.LState) int {
						name := L.CheckString(1)
						labels, err := labelTable(L, 2)
						if err != nil {
							L.ArgError(2, err.Error())
						}
						L.Push(lua.LBool(h.Metrics.Delete(name, labels)))
						return 1
					}
				},
			},
		},
	}
}

func metricFunc(h *Host, counter bool) lua.LGFunction {
	kind := KindGauge
	if counter {
		kind = KindCounter
	}
	cache := newLabelCache(h.Metrics)
	return func(L *lua.LState) int {
		name := L.CheckString(1)
		v := float64(L.CheckNumber(2))
		if !finite(v) {
			L.ArgError(2, "value must be a finite number")
		}
		var err error
		if s := cache.get(name, L.Get(3)); s != nil {
			if err = checkValue(name, kind, v); err == nil {
				err = s.apply(v)
			}
		} else {
			labels, lerr := labelTable(L, 3)
			if lerr != nil {
				L.ArgError(3, lerr.Error())
			}
			if s, err = h.Metrics.write(name, kind, v, labels); s != nil {
				cache.put(L.Get(3), s)
			}
		}
		if err != nil {
			var viol *limits.Violation
			if errors.As(err, &viol) {
				h.report("call:metrics "+viol.Limit, "metrics", viol.Error())
				// The error below is prefixed with the plugin's name
				// already.
				anon := *viol
				anon.Plugin = ""
				err = &anon
			}
			L.RaiseError("metrics.%s: %v", map[bool]string{true: "add", false: "set"}[counter], err)
		}
		return 0
	}
}

// labelTable reads an optional flat table of labels.
// Values are checked by PluginMetrics, which applies the one rule.
func labelTable(L *lua.LState, n int) (map[string]string, error) {
	v := L.Get(n)
	if v == lua.LNil {
		return nil, nil
	}
	t, ok := v.(*lua.LTable)
	if !ok {
		return nil, fmt.Errorf("labels must be a table, not %s", v.Type())
	}
	// Walk with Next rather than ForEach, so a table of a million
	// entries costs as much as one of MaxLabels+1: the walk stops at the
	// first bad entry.
	out := map[string]string{}
	for k, v := t.Next(lua.LNil); k != lua.LNil; k, v = t.Next(k) {
		ks, ok := k.(lua.LString)
		if !ok {
			return nil, fmt.Errorf("label names must be strings, not %s", k.Type())
		}
		if len(out) >= MaxLabels {
			return nil, fmt.Errorf("at most %d labels are allowed", MaxLabels)
		}
		switch v := v.(type) {
		case lua.LString:
			out[string(ks)] = string(v)
		case lua.LNumber:
			out[string(ks)] = v.String()
		case lua.LBool:
			out[string(ks)] = v.String()
		default:
			return nil, fmt.Errorf("label %s must be a string or number, not %s", clip(string(ks), 40), v.Type())
		}
	}
	return out, nil
}
