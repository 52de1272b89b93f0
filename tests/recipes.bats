#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-3.0-or-later
# The recipes of scripts/ and README: xargs fan-out, the Slurm array
# script, the nightly cron revaluation, and mcprice.cgi behind busybox
# httpd on 127.0.0.1.

load test_helper

setup() {
	T=$BATS_TEST_TMPDIR
	# A small book with published Black-Scholes values (Hull, Options,
	# Futures and Other Derivatives: S = K = 100, T = 1, r = 5%, vol = 20%
	# gives call 10.4506 and put 5.5735).
	printf '%s\n' 'id,type,spot,strike,maturity,rate,vol' \
		'1,call,100,100,1,0.05,0.2' '2,put,100,100,1,0.05,0.2' \
		'3,call,100,110,1,0.05,0.2' >"$T/book.csv"
}

teardown() {
	if [ -n "${HTTPD_PID:-}" ]; then
		kill "$HTTPD_PID" 2>/dev/null
		wait "$HTTPD_PID" 2>/dev/null
	fi
	return 0
}

# Checks rows 1 (call) and 2 (put) of a priced book on stdin against Hull.
check_hull() {
	local priced
	priced=$(cat)
	within_se "$(csv_get price 1 <<<"$priced")" "$(csv_get stderr 1 <<<"$priced")" 10.4506
	within_se "$(csv_get price 2 <<<"$priced")" "$(csv_get stderr 2 <<<"$priced")" 5.5735
}

@test "recipe xargs: 16 shards by xargs -P 2 merge to the single run" {
	mcpi -n 1e6 -s 42 >"$T/single.csv"
	seq 0 15 | xargs -P 2 -I{} mcpi -n 1e6 -s 42 --shard {}/16 --partial |
		mcstat --merge >"$T/xargs.csv"
	cmp "$T/single.csv" "$T/xargs.csv"
}

# The Slurm recipe runs against a real Slurm in slurm.bats; its merge
# step, which needs no cluster, is tested here.
@test "recipe slurm: the merge writes through mktemp beside the output, never a planted name" {
	mkdir "$T/d"
	mcpi -n 1e6 -s 42 >"$T/single.csv"
	for i in 0 1; do
		mcpi -n 1e6 -s 42 --shard $i/2 --partial >"$T/d/$i.csv"
	done
	# The merge starts stopped, so that the name the old script wrote to
	# ("$OUT.tmp.$$") can be planted as a symlink first.
	bash -c 'kill -STOP $$; exec "$0" "$@"' "$TOP/scripts/mcfan-slurm" \
		--merge 2 "$T/d" "$T/pi.csv" "$MCTOOLS_BIN" 3>&- &
	local pid=$! st=
	until [ "$st" = T ]; do
		st=$(awk '{ print $3 }' "/proc/$pid/stat")
	done
	ln -s "$T/target" "$T/pi.csv.tmp.$pid"
	kill -CONT "$pid"
	wait "$pid"
	assert [ ! -e "$T/target" ]
	assert [ ! -L "$T/pi.csv" ]
	cmp "$T/single.csv" "$T/pi.csv"
	assert_equal "$(cat "$T/d/merge.status")" 0
	# Nothing else is left beside the output.
	run bash -c "ls -A '$T' | grep -v separate-stderr"
	assert_output $'book.csv\nd\npi.csv\npi.csv.tmp.'"$pid"$'\nsingle.csv'
	# A failed merge leaves the old output and its status.
	echo old >"$T/pi.csv"
	printf 'x,y\n1,2\n' >"$T/d/1.csv"
	run --separate-stderr "$TOP/scripts/mcfan-slurm" --merge 2 "$T/d" "$T/pi.csv" "$MCTOOLS_BIN"
	assert_failure 65
	assert_equal "$stderr" 'mcfan-slurm: shard 1/2 printed the header "x,y", not "name,n,sum,sumsq,mc_seed,mc_shard,mc_job"'
	assert_equal "$(cat "$T/pi.csv")" old
	assert_equal "$(cat "$T/d/merge.status")" "$status"
}

# fails_with STATUS MESSAGE COMMAND...: the command exits STATUS with the
# one-line MESSAGE on stderr and nothing on stdout.
fails_with() {
	local want=$1 msg=$2
	shift 2
	run --separate-stderr "$@"
	assert_failure "$want"
	assert_output ''
	assert_equal "$stderr" "$msg"
}

# A script's --help (the usage, starting with USAGE, on stdout), --version,
# and both on a full disk: answers_help PROG USAGE.
answers_help() {
	run --separate-stderr "$1" --help
	assert_success
	assert_line --index 0 --partial "$2"
	assert_equal "$stderr" ''
	run --separate-stderr "$1" --version
	assert_success
	assert_output "$1 (mctools) 0.1"
	for o in --help --version; do
		fails_with 74 "$1: write error: No space left on device" \
			bash -c "$1 $o >/dev/full"
	done
}

@test "recipe slurm: options, --help and --version" {
	answers_help mcfan-slurm 'usage: mcfan-slurm -N SHARDS -o OUTPUT'
	fails_with 64 'mcfan-slurm: unknown option -x' mcfan-slurm -N 2 -x -- mcpi
	fails_with 64 'mcfan-slurm: option -N: 0 is out of range [1, 999999]' \
		mcfan-slurm -N 0 -o x -- mcpi
	fails_with 64 'mcfan-slurm: option -o is required' mcfan-slurm -N 2 -- mcpi
}

@test "recipe cron: nightly-reval writes priced.csv and a plot, and logs" {
	run --separate-stderr nightly-reval -n 2e4 -s 42 -N 2 "$T/book.csv" "$T/out"
	assert_success
	assert_output ''
	check_hull <"$T/out/priced.csv"
	# The plot is a whole PNG.
	run od -An -c -N 4 "$T/out/priced.png"
	assert_output --partial 'P   N   G'
	run cat "$T/out/nightly.log"
	assert_line --partial 'start: book'
	assert_line --partial 'done: 3 contracts priced'
	# Nothing is left of the work directory.
	run ls -A "$T/out"
	assert_output $'.nightly.lock\nnightly.log\npriced.csv\npriced.png'
}

@test "recipe cron: a failed run keeps last night's files and exits non-zero" {
	nightly-reval -n 2e4 -s 42 "$T/book.csv" "$T/out"
	cp "$T/out/priced.csv" "$T/good.csv"
	printf 'type,spot,strike,maturity,rate,vol\ncall,abc,100,1,0.05,0.2\n' >"$T/bad.csv"
	run --separate-stderr nightly-reval -n 2e4 "$T/bad.csv" "$T/out"
	assert_failure 1
	assert_equal "$stderr" "nightly-reval: pricing failed (mcprice status 65) (see $T/out/nightly.log)"
	cmp "$T/good.csv" "$T/out/priced.csv"
	run grep -c 'FAILED: pricing failed' "$T/out/nightly.log"
	assert_output 1
	run grep -c "column 'spot'" "$T/out/nightly.log"
	assert_output 1
}

# A slow mcprice (one second first) first in PATH, so that two runs of
# nightly-reval overlap for sure.
make_slow_mcprice() {
	mkdir -p "$T/slow"
	printf '#!/bin/sh\nsleep 1\nexec "%s" "$@"\n' "$(command -v mcprice)" >"$T/slow/mcprice"
	chmod +x "$T/slow/mcprice"
}

# Starts a slow nightly-reval in the background ($FIRST) and returns when
# it holds the lock (it logs "start" once it has it; probing the lock with
# flock could itself make the first run find it taken).
start_first_run() {
	make_slow_mcprice
	PATH=$T/slow:$PATH nightly-reval -n 2e4 -s 42 "$T/book.csv" "$T/out" \
		>"$T/first.out" 2>&1 3>&- &
	FIRST=$!
	until grep -q 'start: book' "$T/out/nightly.log" 2>/dev/null; do
		kill -0 "$FIRST" 2>/dev/null || fail "the first run ended early: $(cat "$T/first.out")"
		sleep 0.05
	done
}

@test "recipe cron: two runs at once: the second exits with a message" {
	start_first_run
	run --separate-stderr nightly-reval -n 2e4 -s 42 "$T/book.csv" "$T/out"
	assert_failure 75
	assert_equal "$stderr" "nightly-reval: another run holds $T/out/.nightly.lock; not starting"
	wait "$FIRST"
	check_hull <"$T/out/priced.csv"
	run grep -c 'not starting' "$T/out/nightly.log"
	assert_output 1
}

@test "recipe cron: two runs at once with -w: the second waits its turn" {
	start_first_run
	PATH=$T/slow:$PATH nightly-reval -w 60 -n 2e4 -s 43 "$T/book.csv" "$T/out"
	wait "$FIRST"
	# The log shows the runs one after the other, never interleaved.
	run grep -o 'start\|done' "$T/out/nightly.log"
	assert_output $'start\ndone\nstart\ndone'
	check_hull <"$T/out/priced.csv"
}

# The CGI's memory limit for the tests: none for an AddressSanitizer
# build, which maps terabytes of shadow memory; else the default.
# Starts busybox httpd on 127.0.0.1 at a free port with mcprice.cgi in
# cgi-bin/; sets URL.
start_httpd() {
	local port try i
	command -v busybox >/dev/null || fail "busybox is missing: run scripts/install-deps"
	mkdir -p "$T/www/cgi-bin"
	cp "$TOP/scripts/mcprice.cgi" "$T/www/cgi-bin/"
	for try in 1 2 3 4 5 6 7 8 9 10; do
		port=$((20000 + (RANDOM * 32768 + RANDOM) % 40000))
		MCPRICE_CGI_MAX_PATHS=1000000 MCPRICE_CGI_MAX_MEMORY=$(cgi_memory) \
			busybox httpd -f -p "127.0.0.1:$port" \
			-h "$T/www" 2>"$T/httpd.log" 3>&- &
		HTTPD_PID=$!
		URL="http://127.0.0.1:$port/cgi-bin/mcprice.cgi"
		for i in $(seq 30); do
			kill -0 "$HTTPD_PID" 2>/dev/null || break
			if curl -s -o /dev/null "http://127.0.0.1:$port/"; then
				return 0
			fi
			sleep 0.1
		done
		kill "$HTTPD_PID" 2>/dev/null
		wait "$HTTPD_PID" 2>/dev/null
		HTTPD_PID=
	done
	fail "busybox httpd did not start: $(cat "$T/httpd.log")"
}

# http CURL-ARGS... : sets $code and $body (less its final newline).
http() {
	body=$(curl -sS -w '\n%{http_code}' "$@")
	code=${body##*$'\n'}
	body=${body%$'\n'*}
	# The body's own last newline goes too, as $(...) drops it.
	body=${body%$'\n'}
}

@test "recipe cgi: a posted book comes back priced" {
	start_httpd
	http --data-binary @"$T/book.csv" -H 'Content-Type: text/csv' "$URL?n=20000&seed=42"
	assert_equal "$code" 200
	check_hull <<<"$body"
	# The same bytes as mcprice on the command line.
	assert_equal "$body" "$(mcprice -n 20000 -s 42 <"$T/book.csv")"
}

@test "recipe cgi: one contract from query parameters" {
	start_httpd
	http "$URL?type=call&spot=100&strike=100&maturity=1&rate=0.05&vol=0.2&n=20000&seed=7"
	assert_equal "$code" 200
	assert_equal "$(head -n 1 <<<"$body" | cut -d, -f1-6)" 'type,spot,strike,maturity,rate,vol'
	within_se "$(csv_get price <<<"$body")" "$(csv_get stderr <<<"$body")" 10.4506
}

@test "recipe cgi: bad input gets 400 with the message" {
	start_httpd
	http "$URL?type=call&spot=abc&strike=100&maturity=1&rate=0.05&vol=0.2&n=1000"
	assert_equal "$code" 400
	[[ $body == "mcprice: "*"'spot'"* ]] || fail "body: $body"
	http --data-binary 'type,spot,strike,maturity,rate,vol
call,100,100,1,0.05,-1' "$URL?n=1000"
	assert_equal "$code" 400
	[[ $body == "mcprice: "*"vol"* ]] || fail "body: $body"
	http "$URL?colour=red"
	assert_equal "$code" 400
	assert_equal "$body" "mcprice.cgi: unknown parameter 'colour' (names are book columns, n, seed, greeks)"
	http "$URL?type=call&n=1e12"
	assert_equal "$code" 400
	assert_equal "$body" "mcprice.cgi: parameter 'n': at most 1000000 paths"
}

@test "recipe cgi: no shell metacharacter in a parameter reaches a shell" {
	start_httpd
	local p
	for p in '$(touch%20PWN)' '%24%28touch%20PWN%29' '%60touch%20PWN%60' \
		'1;touch%20PWN' '1%3Btouch%20PWN' '1|touch%20PWN' '1%26touch%20PWN' \
		'%0Atouch%20PWN' "1'%20PWN"; do
		http "$URL?type=call&spot=$p&strike=100&maturity=1&rate=0.05&vol=0.2&n=1000"
		assert_equal "$code" 400
		http "$URL?type=call&spot=100&strike=100&maturity=1&rate=0.05&vol=0.2&n=1000&$p=1"
		assert_equal "$code" 400
	done
	# A posted book's text is data: it comes back as it was.
	http --data-binary 'id,type,spot,strike,maturity,rate,vol
"$(touch PWN);`touch PWN`",call,100,100,1,0.05,0.2' "$URL?n=1000"
	assert_equal "$code" 200
	[[ $body == *'$(touch PWN);`touch PWN`'* ]] || fail "body: $body"
	# Other programs' temporary files come and go under /tmp while find
	# walks it; only what it finds counts, not what vanished meanwhile.
	run --separate-stderr find "$T" /tmp "$HOME" -maxdepth 4 -name PWN
	assert_output ''
}

# cgi_post QUERY BODY-FILE [LENGTH]: runs mcprice.cgi as a server would
# for a POST, the body on stdin; sets $head (the CGI's header lines) and
# $body.
cgi_post() {
	local out
	out=$(REQUEST_METHOD=POST QUERY_STRING=$1 CONTENT_LENGTH=${3:-$(wc -c <"$2")} \
		MCPRICE=$MCTOOLS_BIN/mcprice MCPRICE_CGI_MAX_MEMORY=${MCPRICE_CGI_MAX_MEMORY:-$(cgi_memory)} \
		"$TOP/scripts/mcprice.cgi" <"$2"; echo .)
	out=${out%.}
	head=${out%%$'\r\n\r\n'*}
	body=${out#*$'\r\n\r\n'}
	body=${body%$'\n'}
}

@test "recipe cgi: --help and --version from a shell, never under a server" {
	answers_help mcprice.cgi 'usage: mcprice.cgi'
	fails_with 64 'mcprice.cgi: unknown option -x (a CGI script: see mcprice.cgi(1))' mcprice.cgi -x
	# Under a server, an ISINDEX query arrives as an argument: it is not
	# an option.
	run env GATEWAY_INTERFACE=CGI/1.1 REQUEST_METHOD=GET mcprice.cgi --help
	assert_line --index 0 $'Status: 400 Bad Request\r'
}

@test "recipe cgi: paths in a parameter or a posted book are bounded too" {
	start_httpd
	http "$URL?type=call&spot=100&strike=100&maturity=1&rate=0.05&vol=0.2&paths=1e9"
	assert_equal "$code" 400
	assert_equal "$body" "mcprice.cgi: parameter 'paths': at most 1000000 paths"
	http "$URL?type=call&spot=100&strike=100&maturity=1&rate=0.05&vol=0.2&paths=1000&seed=7"
	assert_equal "$code" 200
	assert_equal "$(csv_get paths <<<"$body")" 1000
	local h
	for h in 'id,type,spot,strike,maturity,rate,vol,paths' \
		'"paths",type,spot,strike,maturity,rate,vol' \
		$'\xef\xbb\xbfpaths,type,spot,strike,maturity,rate,vol\r'; do
		printf '%s\n1,call,100,100,1,0.05,0.2,1000000000\n' "$h" >"$T/p.csv"
		http --data-binary @"$T/p.csv" "$URL?n=1000"
		assert_equal "$code" 400
		assert_equal "$body" "mcprice.cgi: column 'paths': not taken from a posted book; use parameter n (at most 1000000)"
	done
}

@test "recipe cgi: a client that sends part of its body and waits gets 408" {
	mkfifo "$T/fifo"
	# The writer sends 20 of the 200 bytes promised and holds the pipe
	# open; the CGI must answer within its budget all the same (the outer
	# timeout only turns a hang into a failure).
	{ printf 'type,spot,strike,mat'; exec sleep 120; } >"$T/fifo" 3>&- &
	local writer=$!
	run --separate-stderr timeout 100 env REQUEST_METHOD=POST CONTENT_LENGTH=200 \
		MCPRICE_CGI_TIMEOUT=1 "$TOP/scripts/mcprice.cgi" <"$T/fifo"
	kill "$writer"
	wait "$writer" || true
	assert_success
	assert_line --index 0 $'Status: 408 Request Timeout\r'
	assert_line --index 4 'mcprice.cgi: the posted book did not arrive within 1s'
}

@test "recipe cgi: a request started just before a second's boundary has its whole budget" {
	# bash's SECONDS ticks at the clock's whole seconds: a budget counted
	# with it was up to a second short, and a one-second budget started
	# at x.98 s was spent 20 ms later (503 before any pricing).
	local k
	for k in 1 2 3; do
		run --separate-stderr bash -c 'while :; do t=${EPOCHREALTIME#*.}
			[ "${t:0:2}" = 97 ] && break; done
			exec env REQUEST_METHOD=GET MCPRICE_CGI_TIMEOUT=1 \
			    QUERY_STRING="type=call&spot=100&strike=100&maturity=1&rate=0.05&vol=0.2&n=1000" \
			    "$1"' _ "$TOP/scripts/mcprice.cgi"
		assert_success
		assert_line --index 0 $'Status: 200 OK\r'
	done
}

@test "recipe cgi: HEAD answers with headers only and prices nothing" {
	printf '#!/bin/sh\ntouch "%s/priced"\nexec "%s" "$@"\n' "$T" "$MCTOOLS_BIN/mcprice" >"$T/mcprice"
	chmod +x "$T/mcprice"
	run --separate-stderr env REQUEST_METHOD=HEAD MCPRICE=$T/mcprice \
		QUERY_STRING='type=call&spot=100&strike=100&maturity=1&rate=0.05&vol=0.2' \
		"$TOP/scripts/mcprice.cgi"
	assert_success
	assert_output $'Status: 200 OK\r\nContent-Type: text/csv; charset=utf-8\r\n\r'
	assert [ ! -e "$T/priced" ]
	# Bad parameters still get their status, without a body.
	run --separate-stderr env REQUEST_METHOD=HEAD QUERY_STRING='colour=red' \
		"$TOP/scripts/mcprice.cgi"
	assert_output $'Status: 400 Bad Request\r\nContent-Type: text/plain; charset=utf-8\r\n\r'
}

@test "recipe cgi: a Content-Length that cuts the book is a 400" {
	# Cut after the header: no contract at all.
	cgi_post 'n=1000' "$T/book.csv" "$(head -n 1 "$T/book.csv" | wc -c)"
	assert_equal "${head%%$'\r'*}" 'Status: 400 Bad Request'
	assert_equal "$body" 'mcprice.cgi: the posted book is longer than its Content-Length'
	# The header alone, honestly sent: no contract either.
	head -n 1 "$T/book.csv" >"$T/header.csv"
	cgi_post 'n=1000' "$T/header.csv"
	assert_equal "${head%%$'\r'*}" 'Status: 400 Bad Request'
	assert_equal "$body" 'mcprice.cgi: no contract in the posted book'
	# The whole book is priced.
	cgi_post 'n=1000&seed=42' "$T/book.csv"
	assert_equal "${head%%$'\r'*}" 'Status: 200 OK'
	assert_equal "$body" "$(mcprice -n 1000 -s 42 <"$T/book.csv")"
}

@test "recipe cgi: a book that needs too much memory gets 503, at once" {
	[ "$(cgi_memory)" != 0 ] ||
		skip "AddressSanitizer builds cannot run under an address-space limit"
	# A basket of 4096 assets, the most a row may hold: 128 MiB of
	# correlation factor, and as much again for its copy.
	awk 'BEGIN {
		n = 4096
		print "type,style,spot,strike,maturity,rate,vol,spots,vols,weights,correlation"
		s = v = w = ""
		for (i = 1; i <= n; i++) {
			s = s (i > 1 ? ";" : "") "100"; v = v (i > 1 ? ";" : "") "0.2"
			w = w (i > 1 ? ";" : "") "0.000244140625"
		}
		print "call,basket,100,100,1,0.05,0.2," s "," v "," w ",0.5"
	}' >"$T/basket.csv"
	MCPRICE_CGI_MAX_MEMORY=128 cgi_post 'n=1000' "$T/basket.csv"
	assert_equal "${head%%$'\r'*}" 'Status: 503 Service Unavailable'
	assert_equal "$body" 'mcprice.cgi: the request needs more than the 128 MiB of memory allowed; ask for less'
}

@test "recipe cron: a failed plot keeps priced.csv, logs the reason and exits non-zero" {
	# Ids that are not numbers: plotxy cannot take them as x.
	printf '%s\n' 'id,type,spot,strike,maturity,rate,vol' \
		'a,call,100,100,1,0.05,0.2' 'b,put,100,100,1,0.05,0.2' >"$T/named.csv"
	nightly-reval -n 2e4 -s 42 "$T/book.csv" "$T/out"
	run --separate-stderr nightly-reval -n 2e4 -s 42 "$T/named.csv" "$T/out"
	assert_failure 1
	assert_equal "$stderr" "nightly-reval: plotting failed (plotxy status 65); priced.csv is tonight's, priced.png is gone (see $T/out/nightly.log)"
	mcprice -n 2e4 -s 42 <"$T/named.csv" | cmp - "$T/out/priced.csv"
	# Last night's plot is not left beside tonight's prices.
	assert [ ! -e "$T/out/priced.png" ]
	run grep -c "plotxy: " "$T/out/nightly.log"
	assert_output 1
	run grep -c 'FAILED: plotting failed' "$T/out/nightly.log"
	assert_output 1
}

@test "recipe cron: an output directory whose name starts with -" {
	cd "$T"
	run --separate-stderr nightly-reval -n 2e4 -s 42 -- "$T/book.csv" -out
	assert_success
	check_hull <"$T/-out/priced.csv"
	run grep -c 'done: 3 contracts priced' "$T/-out/nightly.log"
	assert_output 1
}

@test "recipe cron: --help, --version, usage errors" {
	answers_help nightly-reval 'usage: nightly-reval [-n PATHS]'
	fails_with 64 'nightly-reval: unknown option -q' nightly-reval -q "$T/book.csv" "$T/out"
	fails_with 64 'nightly-reval: expected BOOK and OUTDIR' nightly-reval "$T/book.csv"
}
