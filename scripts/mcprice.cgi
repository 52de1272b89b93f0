#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# mcprice.cgi: option prices over HTTP, the Unix way: a CGI script behind a
# stock web server (busybox httpd, lighttpd, Apache) that runs mcprice.
#
#   GET  /cgi-bin/mcprice.cgi?type=call&spot=100&strike=100&maturity=1&rate=0.05&vol=0.2&n=100000
#        prices one contract given by book columns as parameters;
#   POST /cgi-bin/mcprice.cgi?n=100000&seed=42 with a CSV book as the body
#        prices the book.
# Either way the answer is mcprice's CSV (text/csv).  Parameters n, seed and
# greeks (1 or 0) go to mcprice's options.  Bad input gets 400 with
# mcprice's message, a body too large 413, any other failure 500.
#
# No text from the request ever reaches a shell: parameters are checked
# against the book's column names, values against a narrow alphabet
# (letters, digits and . + - ; _), and mcprice runs with its words as an
# array, never through eval or sh -c.  The book goes in on stdin.
#
# Settings from the server's environment: MCPRICE (the program, default
# mcprice from PATH), MCPRICE_CGI_MAX_PATHS (default 10000000),
# MCPRICE_CGI_MAX_BYTES (posted book, default 1048576), MCPRICE_CGI_TIMEOUT
# (seconds, default 60).

set -u
export LC_ALL=C

mcprice=${MCPRICE:-mcprice}
max_paths=${MCPRICE_CGI_MAX_PATHS:-10000000}
max_bytes=${MCPRICE_CGI_MAX_BYTES:-1048576}
limit=${MCPRICE_CGI_TIMEOUT:-60}

columns=" id type style spot strike maturity rate dividend vol model v0 kappa
vbar xi rho_sv lambda jump_mean jump_vol average fixings barrier barrier_type
rebate strike_type payout spots vols weights correlation steps paths "

tmp=$(mktemp -d "${TMPDIR:-/tmp}/mcprice-cgi.XXXXXX") || {
	printf 'Status: 500 Internal Server Error\r\nContent-Type: text/plain\r\n\r\n'
	echo "mcprice.cgi: cannot make a temporary directory"
	exit 0
}
trap 'rm -rf -- "$tmp"' EXIT

# reply STATUS BODY-FILE TYPE
reply() {
	printf 'Status: %s\r\nContent-Type: %s\r\n' "$1" "$3"
	printf 'Content-Length: %s\r\n\r\n' "$(wc -c <"$2")"
	cat -- "$2"
	exit 0
}

# bad STATUS MESSAGE: a one-line text answer.
bad() {
	printf 'mcprice.cgi: %s\n' "$2" >"$tmp/msg"
	reply "$1" "$tmp/msg" "text/plain; charset=utf-8"
}

# Decodes one %XX-encoded value into $value, or fails.  The encoded form
# may only hold the safe alphabet and %20 to %7F escapes (no control
# characters, no NUL); the decoded one only the safe alphabet and spaces.
decode() {
	local v=$1
	[[ $v =~ ^([A-Za-z0-9._+\;-]|%[2-7][0-9A-Fa-f])*$ ]] || return 1
	v=${v//+/ }
	printf -v value '%b' "${v//%/\\x}"
	[[ $value =~ ^[A-Za-z0-9._+\;\ -]*$ ]]
}

n=
seed=
greeks=0
names=()
values=()
IFS='&' read -r -a pairs <<<"${QUERY_STRING:-}"
for pair in "${pairs[@]}"; do
	[ -n "$pair" ] || continue
	name=${pair%%=*}
	raw=
	[ "$name" = "$pair" ] || raw=${pair#*=}
	if [[ ! $name =~ ^[a-z0-9_]+$ ]]; then
		bad "400 Bad Request" "unknown parameter (names are book columns, n, seed, greeks)"
	fi
	decode "$raw" || bad "400 Bad Request" "parameter '$name': only letters, digits, '.', '+', '-', ';' and '_' are allowed"
	case $name in
	n)
		[[ $value =~ ^[0-9]+(e[0-9]+)?$ ]] ||
			bad "400 Bad Request" "parameter 'n': expected a count such as 100000 or 1e5"
		n=$value ;;
	seed)
		[[ $value =~ ^[0-9]+$ ]] ||
			bad "400 Bad Request" "parameter 'seed': expected a whole number"
		seed=$value ;;
	greeks)
		case $value in
		1 | on | true) greeks=1 ;;
		0 | off | false | '') greeks=0 ;;
		*) bad "400 Bad Request" "parameter 'greeks': expected 1 or 0" ;;
		esac ;;
	*)
		[[ ${columns//$'\n'/ } == *" $name "* ]] ||
			bad "400 Bad Request" "unknown parameter '$name' (names are book columns, n, seed, greeks)"
		names+=("$name")
		values+=("$value") ;;
	esac
done

# The count is checked here too, so that one request cannot hold the
# server for hours: mcprice parses 1e5 forms itself.
if [ -n "$n" ]; then
	count=$(awk -v n="$n" 'BEGIN { printf "%.0f", n + 0 }')
	if [ "${#count}" -gt 15 ] || [ "$count" -gt "$max_paths" ] || [ "$count" -lt 1 ]; then
		bad "400 Bad Request" "parameter 'n': at most $max_paths paths"
	fi
fi

case ${REQUEST_METHOD:-GET} in
GET | HEAD)
	[ ${#names[@]} -gt 0 ] ||
		bad "400 Bad Request" "no contract: give book columns as parameters (type=call&spot=100&...) or POST a CSV book"
	(
		IFS=,
		printf '%s\n' "${names[*]}"
		printf '%s\n' "${values[*]}"
	) >"$tmp/book.csv"
	;;
POST)
	[ ${#names[@]} -eq 0 ] ||
		bad "400 Bad Request" "a posted book takes only n, seed and greeks as parameters"
	len=${CONTENT_LENGTH:-}
	[[ $len =~ ^[0-9]+$ ]] || bad "411 Length Required" "the posted book needs a Content-Length"
	[ "${#len}" -le 12 ] && [ "$len" -le "$max_bytes" ] ||
		bad "413 Payload Too Large" "the posted book is over $max_bytes bytes"
	head -c "$len" >"$tmp/book.csv"
	[ "$(wc -c <"$tmp/book.csv")" -eq "$len" ] ||
		bad "400 Bad Request" "the posted book ended before Content-Length bytes"
	;;
*)
	bad "405 Method Not Allowed" "use GET with parameters or POST with a CSV book"
	;;
esac

args=()
[ -z "$n" ] || args+=(-n "$n")
[ -z "$seed" ] || args+=(-s "$seed")
[ "$greeks" -eq 0 ] || args+=(--greeks)
timeout "$limit" "$mcprice" "${args[@]}" <"$tmp/book.csv" >"$tmp/out.csv" 2>"$tmp/err"
status=$?
if [ $status -eq 0 ]; then
	reply "200 OK" "$tmp/out.csv" "text/csv; charset=utf-8"
fi
head -n 1 "$tmp/err" >"$tmp/msg"
[ -s "$tmp/msg" ] || echo "mcprice.cgi: mcprice failed with status $status" >"$tmp/msg"
case $status in
64 | 65 | 66) reply "400 Bad Request" "$tmp/msg" "text/plain; charset=utf-8" ;;
124) bad "503 Service Unavailable" "mcprice took more than ${limit}s; ask for fewer paths" ;;
*) reply "500 Internal Server Error" "$tmp/msg" "text/plain; charset=utf-8" ;;
esac
