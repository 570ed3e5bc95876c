#!/usr/bin/env bash
# test-init.sh runs the procd init script's start and trigger functions off
# the router: the OpenWrt helpers it calls (uci_load_validate,
# network_get_ipaddr, user_exists, procd_*) are replaced by recorders, and
# the generated config file and procd instance are checked. It runs the
# script under busybox ash (the router's shell) and dash.
#
#   scripts/openwrt/test-init.sh
#
# Prints one line per check and "N passed, N failed"; exits 1 on a failure.
set -uo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
# shellcheck source=scripts/cross/targets.sh
. "$root/scripts/cross/targets.sh"
init="$here/files/heimnetz.init"

ensure_tool jq jq || exit 2
shells=()
ensure_tool busybox busybox && shells+=("busybox sh")
command -v dash >/dev/null 2>&1 && shells+=(dash)
if [ ${#shells[@]} -eq 0 ]; then
	echo "error: neither busybox nor dash available" >&2
	exit 2
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# The stand-ins for OpenWrt's helpers. Each records what it was asked into
# $T/trace; settings come from HZ_<option> variables, else the defaults in
# the script's own validation list, as uci_load_validate would set them.
{ cat "$here/uci-stubs.sh"; cat <<'EOF'
network_get_ipaddr() { eval "$1=\${HZ_LAN_IP-}"; echo "network_get_ipaddr $2" >>"$T/trace"; }
user_exists() { [ "${HZ_USER_EXISTS:-1}" = 1 ]; }
logger() { echo "logger $*" >>"$T/trace"; }
chown() { echo "chown $*" >>"$T/trace"; }
procd_open_instance() { echo "open_instance" >>"$T/trace"; }
procd_close_instance() { echo "close_instance" >>"$T/trace"; }
procd_set_param() { echo "set $*" >>"$T/trace"; }
procd_append_param() { echo "append $*" >>"$T/trace"; }
config_load() { :; }
config_get() { eval "$1=\${HZ_$3-$4}"; }
procd_add_reload_trigger() { echo "reload_trigger $*" >>"$T/trace"; }
procd_add_interface_trigger() { echo "interface_trigger $*" >>"$T/trace"; }
EOF
} >"$tmp/stubs.sh"

passed=0
failed=0
pass() {
	passed=$((passed + 1))
	echo "ok   $1"
}
fail() {
	failed=$((failed + 1))
	echo "FAIL $1"
	[ -n "${2:-}" ] && printf '%s\n' "$2" | sed 's/^/     /'
}

# run_case SHELL NAME [VAR=VALUE...] runs start_heimnetz (and the triggers)
# with the settings given; the trace, config file and exit status are left
# in $T.
run_case() {
	local shell=$1 name=$2
	shift 2
	T="$tmp/$(echo "$shell-$name" | tr -c 'A-Za-z0-9\n' '_')"
	mkdir -p "$T"
	: >"$T/trace"
	# shellcheck disable=SC2086,SC2016 # "busybox sh" is two words; $0 and $T expand in the child
	env -i PATH="$PATH" T="$T" \
		HZ_live_dir="$T/ram" HZ_data_dir="$T/flash" HZ_plugins_dir="$T/flash/plugins" \
		HZ_LAN_IP=192.168.1.1 "$@" \
		$shell -c '
			. "$T/../stubs.sh"
			. "$0"
			PROG=/bin/sh
			CONF_FILE="$T/var/etc/heimnetz.json"
			validate_heimnetz_section main start_heimnetz
			echo $? >"$T/status"
			service_triggers
		' "$init" >"$T/out" 2>&1
}

# expect NAME GOT WANT
expect() {
	if [ "$2" = "$3" ]; then pass "$1"; else fail "$1" "got:  $2"$'\n'"want: $3"; fi
}

# expect_trace NAME LINE... passes when the trace has every LINE.
expect_trace() {
	local name=$1 line
	shift
	for line in "$@"; do
		if ! grep -qxF -- "$line" "$T/trace"; then
			fail "$name" "missing: $line"$'\n'"trace:"$'\n'"$(cat "$T/trace")"
			return
		fi
	done
	pass "$name"
}

for sh in "${shells[@]}"; do
	echo "--- $sh"

	run_case "$sh" defaults
	expect "$sh defaults: start succeeds" "$(cat "$T/status")" 0
	expect "$sh defaults: command line" \
		"$(grep -E '^(set command|append command)' "$T/trace" | tr '\n' '|')" \
		"set command /bin/sh run --listen 192.168.1.1:9110 --data $T/flash --plugins $T/flash/plugins --config $T/var/etc/heimnetz.json|"
	conf="$T/var/etc/heimnetz.json"
	if jq -e . "$conf" >/dev/null 2>&1; then
		pass "$sh defaults: config file is valid JSON"
	else
		fail "$sh defaults: config file is valid JSON" "$(cat "$conf" 2>&1)"
	fi
	expect "$sh defaults: config file contents" \
		"$(jq -c . "$conf" 2>&1)" \
		"{\"listen\":\"192.168.1.1:9110\",\"data_dir\":\"$T/flash\",\"live_dir\":\"$T/ram\",\"snapshot_interval\":\"30m\",\"plugins_dir\":\"$T/flash/plugins\",\"no_bundled\":false,\"admin_password_hash\":\"\",\"admin_token\":\"\",\"https\":false,\"hostnames\":[],\"max_connections\":0,\"max_connections_per_ip\":0,\"pages_require_login\":false,\"log_level\":\"info\",\"breaks_before_disable\":3,\"event_retention\":1000,\"trusted_keys\":[],\"expose_client_identity\":false,\"ceilings\":{},\"plugins\":{},\"memory_limit\":\"24MiB\",\"gc_percent\":50,\"wan_probe\":{\"target\":\"\",\"interval\":\"10s\",\"count\":3,\"timeout\":\"1s\"},\"alerts\":{},\"push\":{\"url\":\"\",\"interval\":\"30s\",\"labels\":{},\"username\":\"\",\"password_file\":\"\",\"bearer_token_file\":\"\",\"queue_bytes\":\"4MiB\",\"timeout\":\"10s\"}}"
	expect "$sh defaults: config file mode 600" "$(stat -c %a "$conf" 2>&1)" 600
	expect "$sh defaults: RAM and flash dirs created" \
		"$(stat -c %a "$T/ram" "$T/flash" 2>&1 | tr '\n' ' ')" "750 750 "
	expect_trace "$sh defaults: dirs owned by the agent's user" "chown heimnetz $T/ram $T/flash" "chown heimnetz $conf"
	expect_trace "$sh defaults: runs as heimnetz" "set user heimnetz"
	expect_trace "$sh defaults: respawn" "set respawn 300 10 5"
	expect_trace "$sh defaults: output to logd" "set stdout 1" "set stderr 1"
	expect_trace "$sh defaults: nofile limit" "set limits nofile=4096 4096"
	expect_trace "$sh defaults: restart when the config file changes" "set file $conf"
	expect_trace "$sh defaults: no heap profiling" "set env GODEBUG=memprofilerate=0"
	expect_trace "$sh defaults: reload on UCI change" "reload_trigger heimnetz"
	expect_trace "$sh defaults: reload when LAN comes up" "interface_trigger interface.*.up lan /etc/init.d/heimnetz reload"

	run_case "$sh" lan-down HZ_LAN_IP=
	if grep -q -- '^set command .* --listen 127.0.0.1:9110 ' "$T/trace"; then
		pass "$sh LAN without address: loopback until it is up"
	else
		fail "$sh LAN without address: loopback until it is up" "$(cat "$T/trace")"
	fi
	if grep -q '^logger .*lan has no IPv4 address yet' "$T/trace"; then
		pass "$sh LAN without address: logged"
	else
		fail "$sh LAN without address: logged" "$(cat "$T/trace")"
	fi

	for c in "10.0.0.1 10.0.0.1:9110" "10.0.0.1:80 10.0.0.1:80" "fd00::2 [fd00::2]:9110" "[fd00::1]:9111 [fd00::1]:9111" "[fd00::1] [fd00::1]:9110"; do
		# shellcheck disable=SC2086 # two words: the setting and what it becomes
		set -- $c
		run_case "$sh" "listen-$1" HZ_listen="$1"
		expect "$sh listen $1: in the config file" "$(jq -r .listen "$T/var/etc/heimnetz.json" 2>&1)" "$2"
		if grep -qF -- " --listen $2 " "$T/trace"; then
			pass "$sh listen $1: on the command line"
		else
			fail "$sh listen $1: on the command line" "$(cat "$T/trace")"
		fi
	done

	run_case "$sh" disabled HZ_enabled=0
	expect "$sh disabled: no instance" "$(grep -c open_instance "$T/trace")" 0
	expect "$sh disabled: start succeeds" "$(cat "$T/status")" 0

	run_case "$sh" bad-memory HZ_memory_limit=lots
	expect "$sh bad memory_limit: start fails" "$(cat "$T/status")" 1
	expect "$sh bad memory_limit: no instance" "$(grep -c open_instance "$T/trace")" 0
	if grep -q "memory_limit 'lots'" "$T/out"; then
		pass "$sh bad memory_limit: error names it"
	else
		fail "$sh bad memory_limit: error names it" "$(cat "$T/out")"
	fi

	run_case "$sh" bad-interval HZ_snapshot_interval=often
	expect "$sh bad snapshot_interval: start fails" "$(cat "$T/status")" 1

	for c in "ceilings_memory=lots" "ceilings_timeout=long" "ceilings_cpu=half" "ceilings_cpu=1.2.3%"; do
		run_case "$sh" "bad-$c" "HZ_$c"
		expect "$sh bad $c: start fails" "$(cat "$T/status")" 1
		if grep -q "${c%%=*} '${c#*=}'" "$T/out"; then
			pass "$sh bad $c: error names it"
		else
			fail "$sh bad $c: error names it" "$(cat "$T/out")"
		fi
	done

	run_case "$sh" lists-and-ceilings HZ_hostnames="router.lan nas.lan" HZ_trusted_keys="/k/a.pub" \
		HZ_ceilings_memory=32MiB HZ_ceilings_cpu=12.5% HZ_https=1 HZ_breaks_before_disable=0
	expect "$sh UCI lists become JSON arrays" \
		"$(jq -c '[.hostnames, .trusted_keys]' "$T/var/etc/heimnetz.json" 2>&1)" '[["router.lan","nas.lan"],["/k/a.pub"]]'
	expect "$sh only the ceilings set are written" \
		"$(jq -c '.ceilings' "$T/var/etc/heimnetz.json" 2>&1)" '{"memory":"32MiB","cpu":"12.5%"}'
	expect "$sh bools and zero" "$(jq -c '[.https, .no_bundled, .breaks_before_disable]' "$T/var/etc/heimnetz.json" 2>&1)" '[true,false,0]'

	run_case "$sh" plugins HZ_SECTIONS_plugin="wifi_stations cfg01 cpu" HZ_plugin_wifi_stations_enabled=0 \
		HZ_plugin_cfg01_name=dhcp-leases HZ_plugin_cfg01_interval=1m HZ_plugin_cpu_enabled=1
	expect "$sh plugin sections: _ for -, option name, only what differs" \
		"$(jq -c '.plugins' "$T/var/etc/heimnetz.json" 2>&1)" '{"wifi-stations":{"enabled":false},"dhcp-leases":{"interval":"1m"},"cpu":{}}'
	run_case "$sh" no-plugins
	expect "$sh no plugin sections: an empty object" "$(jq -c '.plugins' "$T/var/etc/heimnetz.json" 2>&1)" '{}'

	run_case "$sh" leak HZ_SECTIONS_leak=leak HZ_leak_leak_runs=60 HZ_leak_leak_min_growth_bytes=1MiB
	expect "$sh leak section: runs and min_growth_bytes" \
		"$(jq -c '.leak' "$T/var/etc/heimnetz.json" 2>&1)" '{"runs":60,"min_growth_bytes":"1MiB"}'
	run_case "$sh" leak-defaults HZ_SECTIONS_leak=leak
	expect "$sh leak section without options: the defaults" \
		"$(jq -c '.leak' "$T/var/etc/heimnetz.json" 2>&1)" '{"runs":30,"min_growth_bytes":"64KiB"}'
	run_case "$sh" leak-bad HZ_SECTIONS_leak=leak HZ_leak_leak_min_growth_bytes=lots
	expect "$sh leak section with a bad size: ignored, agent's defaults" \
		"$(jq -c '.leak' "$T/var/etc/heimnetz.json" 2>&1)" 'null'
	expect_trace "$sh leak section with a bad size: logged" \
		"logger -t heimnetz leak section 'leak' in /etc/config/heimnetz is invalid (min_growth_bytes is a size such as 64KiB); ignored"
	run_case "$sh" alerts HZ_SECTIONS_alerts=alerts HZ_alerts_alerts_hold=2m HZ_alerts_alerts_flash_used_percent=85.5 \
		HZ_alerts_alerts_breaks_count=5
	expect "$sh alerts section: only the options set" \
		"$(jq -c '.alerts' "$T/var/etc/heimnetz.json" 2>&1)" '{"hold":"2m","flash_used_percent":85.5,"breaks_count":5}'
	for c in "hold=soon" "wan_loss_percent=20%"; do
		run_case "$sh" "bad-alerts-$c" HZ_SECTIONS_alerts=alerts "HZ_alerts_alerts_$c"
		expect "$sh bad alerts $c: start fails" "$(cat "$T/status")" 1
		if grep -q "alerts ${c%%=*} '${c#*=}'" "$T/out"; then
			pass "$sh bad alerts $c: error names it"
		else
			fail "$sh bad alerts $c: error names it" "$(cat "$T/out")"
		fi
	done
	run_case "$sh" push HZ_SECTIONS_push=push HZ_push_push_url=http://10.8.0.1:8428/api/v1/import/prometheus \
		HZ_push_push_labels='site=home instance=r"1 bare' HZ_push_push_bearer_token_file=/etc/heimnetz/push.token HZ_push_push_interval=1m
	expect "$sh push section: labels as an object, bearer token file, defaults kept" \
		"$(jq -c '.push' "$T/var/etc/heimnetz.json" 2>&1)" \
		'{"url":"http://10.8.0.1:8428/api/v1/import/prometheus","interval":"1m","labels":{"site":"home","instance":"r\"1","bare":""},"username":"","password_file":"","bearer_token_file":"/etc/heimnetz/push.token","queue_bytes":"4MiB","timeout":"10s"}'

	run_case "$sh" invalid HZ_VALID=1
	expect "$sh invalid UCI: start fails" "$(cat "$T/status")" 1

	# shellcheck disable=SC2016,SC1003 # a literal hash with quote and backslash
	hash='$argon2id$v=19$m=65536,t=3,p=4$c2FsdA$"q\uote\'
	run_case "$sh" hash HZ_admin_password_hash="$hash" HZ_gc_percent=-1 HZ_memory_limit=16MiB
	expect "$sh escaped hash round-trips through JSON" \
		"$(jq -r .admin_password_hash "$T/var/etc/heimnetz.json" 2>&1)" "$hash"
	expect "$sh gc_percent -1 is a JSON number" "$(jq -c .gc_percent "$T/var/etc/heimnetz.json" 2>&1)" -1

	run_case "$sh" no-user HZ_USER_EXISTS=0
	expect_trace "$sh missing user: falls back to root" "set user root"

	run_case "$sh" as-limit HZ_address_space=268435456 HZ_nofile=512
	expect_trace "$sh address space limit" "set limits nofile=512 512 as=268435456 268435456"

	run_case "$sh" wan-iface HZ_interface=guest
	expect_trace "$sh other interface: address and trigger follow it" "network_get_ipaddr guest" "interface_trigger interface.*.up guest /etc/init.d/heimnetz reload"
done

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
