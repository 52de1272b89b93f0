#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-3.0-or-later
# Faults: a full disk, a closed pipe, a signal during -o, a killed shard.

load test_helper

setup() {
	T=$BATS_TEST_TMPDIR
	cd "$T"
	printf 'x1,x2\n0.1,0.2\n0.5,0.9\n0.7,0.3\n' >xy.csv
	printf 'type,spot,strike,maturity,rate,vol\ncall,100,100,1,0.05,0.2\n' >book.csv
}

# full PROG ARGS...: PROG ARGS >/dev/full exits 74 with the one line
# "PROG: write error: No space left on device" (NAME: when given as
# full -m NAME PROG ...) and nothing else on stderr.
full() {
	local name
	if [ "$1" = -m ]; then
		name=$2
		shift 2
	else
		name=$1
	fi
	run --separate-stderr sh -c '"$@" >/dev/full' sh "$@"
	if [ "$status" -ne 74 ] ||
	    [ "$stderr" != "$name: write error: No space left on device" ]; then
		echo "$*: status $status: $stderr"
		return 1
	fi
}

@test "faults: a write error (/dev/full) exits 74, every program" {
	[ -w /dev/full ] || skip "no /dev/full"
	full mcpi -n 1000
	full mcpi --points xy.csv
	full mcstat -c x1 xy.csv
	full mcstat -c x1 --partial xy.csv
	full mcgen -n 10 normal
	# More than a stdio buffer: the error comes while writing, not at exit.
	full mcgen -n 1e6 -d 3 uniform
	full mcprice -n 1000 book.csv
	full plotxy -x x1 -y x2 --script xy.csv
	full plotxy -x x1 -y x2 -T txt xy.csv
	full plotxy -x x1 -y x2 --stream xy.csv
	# mcfan's merge is mcstat's: its message says so.
	full -m mcstat mcfan -N 2 -- mcpi -n 1000
}

@test "faults: -h and --version to /dev/full exit 74 too" {
	for p in mcpi mcstat mcgen mcprice plotxy; do
		run --separate-stderr sh -c "$p --help >/dev/full"
		[ "$status" -eq 74 ] || { echo "$p --help: $status"; return 1; }
		run --separate-stderr sh -c "$p --version >/dev/full"
		[ "$status" -eq 74 ] || { echo "$p --version: $status"; return 1; }
	done
}

# quiet CMD: "CMD | head -1" prints one line and CMD says nothing, even
# when the shell that starts it ignores SIGPIPE.
quiet() {
	run bash -c "$1 2>err | head -1 >/dev/null; echo \${PIPESTATUS[0]}"
	[ -s err ] && { echo "$1: $(cat err)"; return 1; }
	[ "$output" = 141 ] || { echo "$1: status $output"; return 1; }
	run bash -c "trap '' PIPE; $1 2>err | head -1 >/dev/null"
	[ -s err ] && { echo "$1 (SIGPIPE ignored): $(cat err)"; return 1; }
	return 0
}

@test "faults: SIGPIPE is quiet (prog | head -1)" {
	quiet 'mcgen -n 1e7 normal'
	quiet 'mcgen -n 1e5 gbm spot=100 rate=0.05 vol=0.2 maturity=1 steps=252'
	quiet 'mcpi -n 1e8 --trace 1'
	quiet 'mcpi -n 1e6 --dump'
	mcgen -n 2e5 -d 2 uniform >pts.csv
	quiet 'mcpi --points --dump pts.csv'
	quiet 'mcstat -c x1 --by x2 pts.csv'
	quiet 'plotxy -x x1 -y x2 --script pts.csv'
	awk 'NR == 1 { print "id," $0; next } { for (i = 0; i < 2000; i++) print NR "_" i "," $0 }' \
	    book.csv >bigbook.csv
	quiet 'mcprice -n 10 bigbook.csv'
}

# A gnuplot that writes part of a figure, then waits to be killed.
slow_gnuplot() {
	mkdir -p "$T/fake"
	cat >"$T/fake/gnuplot" <<-EOF
		#!/bin/sh
		echo \$\$ >"$T/gnuplot.pid"
		printf 'half a figure'
		cat >/dev/null
		exec sleep 60
	EOF
	chmod +x "$T/fake/gnuplot"
}

# Waits until a temporary file of plotxy's -o exists in DIR.
wait_tmp() {
	local i
	for i in $(seq 100); do
		ls -A "$1" | grep -q '^\.mctools-' && [ -s "$T/gnuplot.pid" ] &&
		    return 0
		sleep 0.1
	done
	echo "no temporary file in $1"
	return 1
}

@test "faults: SIGTERM, SIGINT and SIGHUP during plotxy -o leave no file" {
	slow_gnuplot
	for sig in TERM INT HUP; do
		mkdir "$T/out$sig"
		echo old >"$T/out$sig/old.png"
		# A background job ignores SIGINT, and a suite run under nohup
		# ignores SIGHUP; env gives both back.
		PATH="$T/fake:$PATH" env --default-signal=INT,HUP plotxy -x x1 \
		    -y x2 -o "$T/out$sig/a.png" xy.csv 2>"$T/err$sig" &
		pid=$!
		wait_tmp "$T/out$sig"
		kill -s "$sig" "$pid"
		st=0
		wait "$pid" || st=$?
		kill "$(cat "$T/gnuplot.pid")" 2>/dev/null || true
		rm -f "$T/gnuplot.pid"
		# It died of the signal, and left only what was there.
		[ "$st" -gt 128 ] || { echo "$sig: status $st"; return 1; }
		[ "$(ls -A "$T/out$sig")" = old.png ] ||
		    { echo "$sig: $(ls -A "$T/out$sig")"; return 1; }
	done
}

@test "faults: a signal to plotxy ends its gnuplot too, -o or stdout" {
	slow_gnuplot
	mkdir "$T/out"
	for mode in file stdout; do
		rm -f "$T/gnuplot.pid"
		if [ "$mode" = file ]; then
			PATH="$T/fake:$PATH" plotxy -x x1 -y x2 -o "$T/out/a.png" \
			    xy.csv 2>/dev/null &
		else
			PATH="$T/fake:$PATH" plotxy -x x1 -y x2 -T png xy.csv \
			    >"$T/out.png" 2>/dev/null &
		fi
		pid=$!
		for i in $(seq 100); do
			[ -s "$T/gnuplot.pid" ] && break
			sleep 0.1
		done
		gp=$(cat "$T/gnuplot.pid")
		kill -s TERM "$pid"
		st=0
		wait "$pid" || st=$?
		[ "$st" -gt 128 ] || { echo "$mode: status $st"; return 1; }
		# gnuplot was told and waited for: gone, not orphaned.
		if kill -0 "$gp" 2>/dev/null; then
			kill "$gp"
			echo "$mode: gnuplot $gp still running"
			return 1
		fi
	done
	[ -z "$(ls -A "$T/out")" ]
	[ ! -s "$T/out.png" ]
}

@test "faults: an ignored SIGHUP stays ignored under plotxy -o (nohup)" {
	slow_gnuplot
	mkdir "$T/out"
	PATH="$T/fake:$PATH" nohup plotxy -x x1 -y x2 -o "$T/out/a.png" \
	    xy.csv >/dev/null 2>&1 &
	pid=$!
	wait_tmp "$T/out"
	kill -s HUP "$pid"
	sleep 0.3
	# Still running: the signal did nothing.
	kill -0 "$pid"
	kill -s TERM "$pid"
	wait "$pid" || true
	kill "$(cat "$T/gnuplot.pid")" 2>/dev/null || true
	[ -z "$(ls -A "$T/out")" ]
}

@test "faults: a shard killed by SIGKILL loses nothing; the rerun is identical" {
	mcpi -n 1e6 -s 42 >single.csv
	# Shard 2 kills itself the first time, mid-run, after some output.
	cat >"$T/victim" <<-EOF
		#!/bin/sh
		case " \$* " in
		*" 2/4 "*)
			if [ ! -e "$T/killed" ]; then
				touch "$T/killed"
				printf 'name,n,sum,sumsq\npi,7,'
				kill -KILL \$\$
			fi ;;
		esac
		exec "$MCTOOLS_BIN/mcpi" "\$@"
	EOF
	chmod +x "$T/victim"
	run --separate-stderr mcfan -N 4 -j 2 --halt never --joblog "$T/jl" \
	    -- "$T/victim" -n 1e6 -s 42
	[ "$status" -ne 0 ]
	assert_output ''
	[ -e "$T/killed" ]
	mcfan -N 4 -j 2 --joblog "$T/jl" --resume-failed \
	    -- "$T/victim" -n 1e6 -s 42 >resumed.csv
	cmp single.csv resumed.csv
	# And a fresh run of the same command gives the same bytes again.
	mcfan -N 4 -- "$T/victim" -n 1e6 -s 42 >again.csv
	cmp single.csv again.csv
}
