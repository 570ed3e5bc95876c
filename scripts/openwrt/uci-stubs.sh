# Stand-ins for the OpenWrt helpers that read UCI, shared by
# test-init.sh and agent/internal/config's TestEveryConfigFieldSettableFromUCI:
# settings come from HZ_<option> variables (HZ_<type>_<section>_<option>
# for a section of another type than heimnetz), else the defaults in the
# init script's own validation list, as uci_load_validate would set them.
# shellcheck shell=sh
# shellcheck disable=SC2034,SC3043
uci_load_validate() {
	local _type="$2" _section="$3" _cb="$4" _spec _name _rest _default _var _over
	shift 4
	for _spec in "$@"; do
		_name=${_spec%%:*}
		eval "local $_name"
		_rest=${_spec#*:}
		case "$_rest" in
		*\)) _default= ;;                   # list(string), no default
		*\):*) _default=${_rest##*\):} ;;   # or("a","b"):default
		*:*) _default=${_rest#*:} ;;         # type:default
		*) _default= ;;
		esac
		# a section of another type than heimnetz: HZ_<type>_<section>_<option>
		_var=HZ_$_name
		[ "$_type" = heimnetz ] || _var=HZ_${_type}_${_section}_$_name
		eval "_over=\${$_var-__unset__}"
		if [ "$_over" = __unset__ ]; then
			eval "$_name=\$_default"
		else
			eval "$_name=\$_over"
		fi
	done
	if [ "$_type" = heimnetz ]; then
		"$_cb" "$_section" "${HZ_VALID:-0}"
	else
		"$_cb" "$_section" 0
	fi
}
# config_foreach FUNCTION TYPE ARGS: the sections named in HZ_SECTIONS_<TYPE>
config_foreach() {
	local _fn="$1" _secs _s
	eval "_secs=\${HZ_SECTIONS_$2-}"
	shift 2
	for _s in $_secs; do "$_fn" "$_s" "$@"; done
}
