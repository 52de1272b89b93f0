#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-3.0-or-later
# mcprice over whole books: -j over rows (a window of rows priced at once,
# written in book order) gives the bytes of -j 1, errors included.

load test_helper

# testdata/book.csv (every style and model) with a seed column that gives
# every fourth row its own streams.
mixed_book() {
	awk -F, -v OFS=, 'NR == 1 { print $0, "seed"; next }
	    { print $0, (NR % 4 == 0 ? 1000 + NR : "") }' "$TESTDATA/book.csv"
}

@test "-j 1, 2, 3 and 7 give the same bytes on a mixed book, under every option" {
	mixed_book >"$BATS_TEST_TMPDIR/book.csv"
	for opts in "" "--greeks" "--qmc sobol" "--antithetic" \
	    "--tolerance 0.05" "--greeks --antithetic -s 7"; do
		# shellcheck disable=SC2086 # the options are words
		mcprice -n 4000 $opts "$BATS_TEST_TMPDIR/book.csv" \
		    >"$BATS_TEST_TMPDIR/j1" 2>"$BATS_TEST_TMPDIR/e1"
		[ "$(wc -l <"$BATS_TEST_TMPDIR/j1")" -eq 14 ]
		for j in 2 3 7; do
			# shellcheck disable=SC2086
			mcprice -n 4000 $opts -j $j "$BATS_TEST_TMPDIR/book.csv" \
			    >"$BATS_TEST_TMPDIR/jn" 2>"$BATS_TEST_TMPDIR/en"
			cmp "$BATS_TEST_TMPDIR/j1" "$BATS_TEST_TMPDIR/jn"
			cmp "$BATS_TEST_TMPDIR/e1" "$BATS_TEST_TMPDIR/en"
		done
	done
}

@test "-j over rows: partial rows are the bytes of -j 1 too" {
	mixed_book >"$BATS_TEST_TMPDIR/book.csv"
	mcprice -n 4000 --shard 1/3 --partial "$BATS_TEST_TMPDIR/book.csv" \
	    >"$BATS_TEST_TMPDIR/j1"
	mcprice -n 4000 -j 3 --shard 1/3 --partial "$BATS_TEST_TMPDIR/book.csv" |
	    cmp - "$BATS_TEST_TMPDIR/j1"
}

@test "a book of fewer rows than threads: the bytes of -j 1" {
	printf '%s\n' type,style,spot,strike,maturity,rate,vol,fixings \
	    put,american,36,40,1,0.06,0.2,50 call,asian,100,100,1,0.05,0.2,12 \
	    >"$BATS_TEST_TMPDIR/two.csv"
	mcprice -n 30000 "$BATS_TEST_TMPDIR/two.csv" >"$BATS_TEST_TMPDIR/j1"
	mcprice -n 30000 -j 4 "$BATS_TEST_TMPDIR/two.csv" |
	    cmp - "$BATS_TEST_TMPDIR/j1"
	head -2 "$BATS_TEST_TMPDIR/two.csv" | mcprice -n 30000 -j 5 |
	    cmp - <(head -2 "$BATS_TEST_TMPDIR/j1")
}

@test "-j 4: a bad row in the middle stops the book where -j 1 stops it" {
	mixed_book | awk 'NR == 8 { print "99,x,call,european,gbm,100,100,1,0.05,0,abc,,,,,,,,,,,,,,,,,,,," } 1' \
	    >"$BATS_TEST_TMPDIR/bad.csv"
	mcprice -n 2000 "$BATS_TEST_TMPDIR/bad.csv" >"$BATS_TEST_TMPDIR/j1" || :
	# The header and the six rows before it.
	[ "$(wc -l <"$BATS_TEST_TMPDIR/j1")" -eq 7 ]
	fails -o "$(cat "$BATS_TEST_TMPDIR/j1")" 65 \
	    "mcprice: $BATS_TEST_TMPDIR/bad.csv:8: column 'vol': expected a number, got \"abc\"" \
	    mcprice -n 2000 -j 4 "$BATS_TEST_TMPDIR/bad.csv"
	# A row that fails while it is priced, and a row that does not read.
	mixed_book | awk 'NR == 5 { print "99,x,call,european,gbm,100,100,1,0.05,0,1e300,,,,,,,,,,,,,,,,,,,," } 1' \
	    >"$BATS_TEST_TMPDIR/bad2.csv"
	run --separate-stderr mcprice -n 2000 "$BATS_TEST_TMPDIR/bad2.csv"
	local st=$status out=$output err=$stderr
	[ "$st" -eq 65 ]
	[[ $err == *"bad2.csv:5: no finite price"* ]]
	fails -o "$out" "$st" "$err" mcprice -n 2000 -j 4 "$BATS_TEST_TMPDIR/bad2.csv"
	{ mixed_book; printf '%s\n' '15,"unterminated,call'; } >"$BATS_TEST_TMPDIR/bad3.csv"
	run --separate-stderr mcprice -n 2000 "$BATS_TEST_TMPDIR/bad3.csv"
	st=$status out=$output err=$stderr
	[ "$st" -eq 65 ]
	[ "$(printf '%s\n' "$out" | wc -l)" -eq 14 ]
	fails -o "$out" "$st" "$err" mcprice -n 2000 -j 3 "$BATS_TEST_TMPDIR/bad3.csv"
}

@test "-j over rows: warnings in book order, and a progress line of rows" {
	printf '%s\n' type,spot,strike,maturity,rate,vol call,100,100,1,5,0.2 \
	    put,100,100,1,0.05,0.2 call,100,100,1,0.05,20 \
	    >"$BATS_TEST_TMPDIR/w.csv"
	mcprice -n 1000 "$BATS_TEST_TMPDIR/w.csv" 2>"$BATS_TEST_TMPDIR/e1" >/dev/null
	[ "$(wc -l <"$BATS_TEST_TMPDIR/e1")" -ge 2 ]
	mcprice -n 1000 -j 3 "$BATS_TEST_TMPDIR/w.csv" 2>&1 >/dev/null |
	    cmp - "$BATS_TEST_TMPDIR/e1"
	mixed_book >"$BATS_TEST_TMPDIR/book.csv"
	mcprice -n 2000 -j 2 --progress "$BATS_TEST_TMPDIR/book.csv" \
	    2>"$BATS_TEST_TMPDIR/p" >/dev/null
	tr '\r' '\n' <"$BATS_TEST_TMPDIR/p" | grep -q '^mcprice: 13 of 13 rows (100%)'
}
