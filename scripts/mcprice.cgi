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
# mcprice's message, a body too large 413, a body that does not arrive in
# time 408, a request over the time or memory budget 503, any other
# failure 500.  HEAD checks the parameters and answers with the headers
# only, without pricing.
#
# No text from the request ever reaches a shell: parameters are checked
# against the book's column names, values against a narrow alphabet
# (letters, digits and . + - ; _), and mcprice runs with its words as an
# array, never through eval or sh -c.  The book goes in on stdin.
#
# One request is bounded as a whole: MCPRICE_CGI_TIMEOUT seconds from its
# start for reading the body and pricing, MCPRICE_CGI_MAX_MEMORY MiB of
# address space for mcprice, MCPRICE_CGI_MAX_PATHS paths per contract
# (parameter n or paths; a posted book may not set its own paths), and
# MCPRICE_CGI_MAX_BYTES for the posted book.
#
# Settings from the server's environment: MCPRICE (the program, default
# mcprice from PATH), MCPRICE_CGI_MAX_PATHS (default 10000000),
# MCPRICE_CGI_MAX_BYTES (posted book, default 1048576), MCPRICE_CGI_TIMEOUT
# (seconds, default 60), MCPRICE_CGI_MAX_MEMORY (MiB, default 2048; 0 for
# no limit).

set -u
export LC_ALL=C

# From a shell (no web server around), --help and --version; a query
# without '=' never reaches this, since a server sets GATEWAY_INTERFACE.
if [ -z "${GATEWAY_INTERFACE:-}" ] && [ $# -gt 0 ]; then
	# shellcheck disable=SC2034 # used by shards.bash
	prog=mcprice.cgi
	here=$(dirname -- "$(readlink -f -- "$0")")
	# shellcheck source=scripts/shards.bash
	. "$here/shards.bash" 2>/dev/null || . "$here/../share/mctools/shards.bash" ||
		. /usr/share/mctools/shards.bash || exit 69
	case $1 in
	-h | --help)
		mc_print "usage: mcprice.cgi (run by a web server as a CGI script)" \
			"       mcprice.cgi [-h | --help | --version]"
		exit 0 ;;
	--version) mc_print "mcprice.cgi (mctools) $MCTOOLS_VERSION"; exit 0 ;;
	*) mc_usage_error "unknown option $1 (a CGI script: see mcprice.cgi(1))" ;;
	esac
fi

mcprice=${MCPRICE:-mcprice}
max_paths=${MCPRICE_CGI_MAX_PATHS:-10000000}
max_bytes=${MCPRICE_CGI_MAX_BYTES:-1048576}
limit=${MCPRICE_CGI_TIMEOUT:-60}
max_mem=${MCPRICE_CGI_MAX_MEMORY:-2048}
method=${REQUEST_METHOD:-GET}
# The request's start, in microseconds.  (Not SECONDS, which ticks at
# the clock's whole seconds: a budget started at x.98 s lost a second at
# once.)
start=${EPOCHREALTIME/[.,]/}

columns=" id type style spot strike maturity rate dividend vol model v0 kappa
vbar xi rho_sv lambda jump_mean jump_vol average fixings barrier barrier_type
rebate strike_type payout spots vols weights correlation steps paths "

# headers STATUS TYPE: the answer's first headers; a HEAD request ends
# with them.
headers() {
	printf 'Status: %s\r\nContent-Type: %s\r\n' "$1" "$2"
	if [ "$method" = HEAD ]; then
		printf '\r\n'
		exit 0
	fi
}

# reply STATUS BODY-FILE TYPE (HEAD: the headers only)
reply() {
	headers "$1" "$3"
	printf 'Content-Length: %s\r\n\r\n' "$(wc -c <"$2")"
	cat -- "$2"
	exit 0
}

# Sets $left to the seconds left of the request's budget, to the
# millisecond (as timeout(1) reads them); a request that has spent it
# gets 503.
budget() {
	local ms=$((limit * 1000 - (${EPOCHREALTIME/[.,]/} - start) / 1000))
	[ "$ms" -gt 0 ] || bad "503 Service Unavailable" "the request took more than ${limit}s"
	printf -v left '%d.%03d' $((ms / 1000)) $((ms % 1000))
}

# Checks a path count against the limit: count NAME VALUE.
count() {
	local c
	[[ $2 =~ ^[0-9]+(e[0-9]+)?$ ]] ||
		bad "400 Bad Request" "parameter '$1': expected a count such as 100000 or 1e5"
	c=$(awk -v n="$2" 'BEGIN { printf "%.0f", n + 0 }')
	if [ "${#c}" -gt 15 ] || [ "$c" -gt "$max_paths" ] || [ "$c" -lt 1 ]; then
		bad "400 Bad Request" "parameter '$1': at most $max_paths paths"
	fi
}

# text STATUS LINE: a one-line text answer, made in memory: a request
# refused for its parameters costs no process and no file.  LC_ALL=C, so
# the length is in bytes.
text() {
	local body=$2$'\n'
	headers "$1" "text/plain; charset=utf-8"
	printf 'Content-Length: %d\r\n\r\n%s' "${#body}" "$body"
	exit 0
}

# bad STATUS MESSAGE: mcprice.cgi's one-line text answer.
bad() {
	text "$1" "mcprice.cgi: $2"
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
		count n "$value"
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
		[ "$name" != paths ] || count paths "$value"
		names+=("$name")
		values+=("$value") ;;
	esac
done

# The parameters are good: the request needs files from here on.
tmp=$(mktemp -d "${TMPDIR:-/tmp}/mcprice-cgi.XXXXXX") ||
	text "500 Internal Server Error" "mcprice.cgi: cannot make a temporary directory"
trap 'rm -rf -- "$tmp"' EXIT

case $method in
GET | HEAD)
	[ ${#names[@]} -gt 0 ] ||
		bad "400 Bad Request" "no contract: give book columns as parameters (type=call&spot=100&...) or POST a CSV book"
	# HEAD: the parameters are good; pricing would only be thrown away.
	[ "$method" != HEAD ] || reply "200 OK" /dev/null "text/csv; charset=utf-8"
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
	# A client that sends part of its body and waits holds nothing past
	# the request's budget.
	budget
	timeout "$left" head -c "$len" >"$tmp/book.csv"
	[ $? -ne 124 ] || bad "408 Request Timeout" "the posted book did not arrive within ${limit}s"
	[ "$(wc -c <"$tmp/book.csv")" -eq "$len" ] ||
		bad "400 Bad Request" "the posted book ended before Content-Length bytes"
	# More bytes than Content-Length said: the book was cut.
	! IFS= read -r -t 0.05 -N 1 _ ||
		bad "400 Bad Request" "the posted book is longer than its Content-Length"
	# The server sets the paths: a book may not ask for its own (the
	# header's names, quoted or not, with a BOM or CRLF).
	IFS= read -r head <"$tmp/book.csv"
	head=,${head#$'\xef\xbb\xbf'}
	head=${head%$'\r'},
	[[ $head != *,paths,* && $head != *,\"paths\",* ]] ||
		bad "400 Bad Request" "column 'paths': not taken from a posted book; use parameter n (at most $max_paths)"
	;;
*)
	bad "405 Method Not Allowed" "use GET with parameters or POST with a CSV book"
	;;
esac

args=()
[ -z "$n" ] || args+=(-n "$n")
[ -z "$seed" ] || args+=(-s "$seed")
[ "$greeks" -eq 0 ] || args+=(--greeks)
budget
(
	[ "$max_mem" -eq 0 ] || ulimit -v $((max_mem * 1024)) || exit 70
	exec timeout "$left" "$mcprice" "${args[@]}"
) <"$tmp/book.csv" >"$tmp/out.csv" 2>"$tmp/err"
status=$?
if [ $status -eq 0 ]; then
	[ "$(head -n 2 "$tmp/out.csv" | wc -l)" -ge 2 ] ||
		bad "400 Bad Request" "no contract in the posted book"
	reply "200 OK" "$tmp/out.csv" "text/csv; charset=utf-8"
fi
msg=
IFS= read -r msg <"$tmp/err"
[ -n "$msg" ] || msg="mcprice.cgi: mcprice failed with status $status"
case $status in
64 | 65 | 66) text "400 Bad Request" "$msg" ;;
71) bad "503 Service Unavailable" "the request needs more than the ${max_mem} MiB of memory allowed; ask for less" ;;
124) bad "503 Service Unavailable" "the request took more than ${limit}s; ask for fewer paths" ;;
*) text "500 Internal Server Error" "$msg" ;;
esac
