#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-3.0-or-later
# The progress line (mc_progress): on standard error only, with
# --progress or on a terminal, never in the output; the same look and the
# same man page paragraph in every program.  Its numbers, durations and
# timing are unit-tested (tests/unit/test_progress.c) with a fake clock.

load test_helper

setup() {
	book="$BATS_TEST_TMPDIR/book.csv"
	printf '%s\n' id,type,spot,strike,maturity,rate,vol \
	    a,call,100,100,1,0.05,0.2 b,put,100,90,1,0.05,0.2 \
	    c,call,100,110,1,0.05,0.3 > "$book"
}

# Runs "$@" twice, with and without --progress, stderr to a file each
# time; fails unless stdout is byte-identical; leaves the progress run's
# stderr in $err and the plain run's in $err0.
both() {
	"$@" > "$BATS_TEST_TMPDIR/out0" 2> "$BATS_TEST_TMPDIR/err0"
	"$@" --progress > "$BATS_TEST_TMPDIR/out1" 2> "$BATS_TEST_TMPDIR/err1"
	cmp "$BATS_TEST_TMPDIR/out0" "$BATS_TEST_TMPDIR/out1"
	err0=$(cat "$BATS_TEST_TMPDIR/err0")
	err=$(tr '\r' '\n' < "$BATS_TEST_TMPDIR/err1")
}

@test "mcprice --progress: row i of N on stderr only, stdout unchanged" {
	both mcprice -n 20000 "$book"
	[ -z "$err0" ]
	assert_equal "$(grep -c 'row [0-9] of 3' <<< "$err")" \
	    "$(grep -c '[^ ]' <<< "$err")"
	grep -q '^mcprice: row 1 of 3: 0 of 20.0k paths (0%)' <<< "$err"
	grep -q '^mcprice: row 3 of 3: 20.0k of 20.0k paths (100%), .* paths/s, ETA 0:00' <<< "$err"
	# Redrawn in place: no newline, and wiped at the end.
	assert_equal "$(tr -cd '\n' < "$BATS_TEST_TMPDIR/err1" | wc -c)" 0
	[[ "$(tail -c 2 "$BATS_TEST_TMPDIR/err1")" == " "$'\r' ]]
}

@test "mcprice --progress: a book from a pipe says row i, its number unknown" {
	both sh -c 'cat "$0" | mcprice -n 1000 "$@"' "$book"
	grep -q '^mcprice: row 1: 0 of 1.00k paths' <<< "$err"
	run ! grep -q ' of 3' <<< "$err"
}

@test "mcprice --progress: one contract, shards and --greeks keep their bytes" {
	both mcprice -n 50000 -j 2 --greeks --shard 2/3 --type call --spot 100 \
	    --strike 100 --maturity 1 --rate 0.05 --vol 0.2 --style asian
	# The shard's paths, as its row says.
	k=$(csv_get paths 1 < "$BATS_TEST_TMPDIR/out1" |
	    awk '{ printf "%.1fk", $1 / 1000 }')
	grep -q "^mcprice: $k of $k paths (100%)" <<< "$err"
	both mcprice -n 1e4 --tolerance 0.5 "$book"
	grep -q 'row 3 of 3' <<< "$err"
}

@test "mcprice --progress: a warning wipes the line first" {
	printf '%s\n' type,spot,strike,maturity,rate,vol \
	    call,100,100,1,0.05,0.2 call,100,100,1,0.05,20 > "$BATS_TEST_TMPDIR/pct.csv"
	run --separate-stderr mcprice -n 1000 --progress "$BATS_TEST_TMPDIR/pct.csv"
	assert_success
	# The warning starts a line of its own: after a "\r", not after
	# the progress text.
	grep -q $'\r''mcprice: warning: .*:3: column .vol.: 20 looks like a percentage' <<< "$stderr"
	run ! grep -q $'[^ \r]mcprice: warning' <<< "$stderr"
}

@test "mcgen, mcpi, mcstat --progress: stderr only, their units" {
	both mcgen -n 1000 -s 7 normal
	grep -q '^mcgen: 1.00k of 1.00k rows (100%)' <<< "$err"
	both mcgen -n 10 gbm spot=100 rate=0.05 vol=0.2 maturity=1 steps=5
	grep -q '^mcgen: 10 of 10 paths (100%)' <<< "$err"
	both mcpi -n 1e5 -j 2
	grep -q '^mcpi: 100k of 100k darts (100%)' <<< "$err"
	both mcpi -n 1e4 --trace 1000
	grep -q '^mcpi: 10.0k of 10.0k darts (100%)' <<< "$err"
	mcgen -n 2000 -d 2 uniform > "$BATS_TEST_TMPDIR/x.csv"
	size=$(wc -c < "$BATS_TEST_TMPDIR/x.csv")
	both mcstat "$BATS_TEST_TMPDIR/x.csv"
	grep -q "^mcstat: [0-9.]* kB of [0-9.]* kB (100%)" <<< "$err"
	both mcstat "$BATS_TEST_TMPDIR/x.csv" "$BATS_TEST_TMPDIR/x.csv"
	grep -q "^mcstat: file 2 of 2: " <<< "$err"
	both sh -c 'mcstat "$@" < "$0"' "$BATS_TEST_TMPDIR/x.csv"
	grep -q "^mcstat: [0-9.]* kB of [0-9.]* kB" <<< "$err"
	both sh -c 'cat "$0" | mcstat "$@"' "$BATS_TEST_TMPDIR/x.csv"
	grep -q "^mcstat: 2.00k rows" <<< "$err"
}

@test "no progress without --progress when stderr is not a terminal" {
	for cmd in "mcgen -n 1e5 normal" "mcpi -n 1e6 -j 2" \
	    "mcprice -n 1e5 $book" "mcstat -c x1"; do
		run --separate-stderr sh -c "mcgen -n 1000 normal | $cmd"
		assert_success
		assert_equal "$stderr" ""
	done
}

@test "on a terminal the output rows stay whole around the line" {
	command -v script > /dev/null || skip "script (bsdutils) is missing"
	mcprice -n 20000 "$book" > "$BATS_TEST_TMPDIR/plain"
	# stdout and stderr on one terminal, as a user at a shell sees them.
	script -qec "mcprice -n 20000 --progress '$book'" /dev/null \
	    > "$BATS_TEST_TMPDIR/tty" < /dev/null
	# What shows of each line is what follows its last "\r".
	sed 's/\r$//; s/.*\r//' "$BATS_TEST_TMPDIR/tty" | grep -v '^ *$' \
	    > "$BATS_TEST_TMPDIR/seen"
	diff "$BATS_TEST_TMPDIR/plain" "$BATS_TEST_TMPDIR/seen"
	grep -q 'row 1 of 3' "$BATS_TEST_TMPDIR/tty"
}

@test "every program's --progress paragraph says the same" {
	para() {
		awk '/^\.It Fl -progress$/ { on = 1; next }
		    on && /^\.(It|El)/ { exit } on' "$TOP/man/$1.1"
	}
	want=$(para mcprice)
	[ -n "$want" ]
	for p in mcgen mcpi mcstat; do
		assert_equal "$(para $p)" "$want"
	done
	for p in mcgen mcpi mcprice mcstat; do
		$p -h | grep -q -- '--progress'
	done
}
