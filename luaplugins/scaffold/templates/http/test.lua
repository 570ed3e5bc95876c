-- Tests for {{.Name}} against fixture board data. The fixture's counters
-- do not change between runs, so the second run sees no traffic.

function test_reports_wan_counters()
  collect()
  assert_eq(metric("{{.Metric}}_wan_present"), 1, "the fixture has a wan interface")
  local rx = metric("{{.Metric}}_wan_receive_bytes")
  assert_true(rx > 0, "received bytes reported")
end

function test_no_traffic_between_identical_readings()
  collect()
  collect()
  assert_eq(metric("{{.Metric}}_wan_traffic_moving"), 0)
end

function test_json_summary_round_trips()
  local text = json.encode({ interface = "wan", moving = false })
  assert_eq(json.decode(text).interface, "wan")
end
