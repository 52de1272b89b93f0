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
	# Under the sanitizers -j 3 alone: -j 2 and 7 take its code paths
	# (29 s of the sanitizer pass with all three).
	local js="2 3 7"
	! under_san || js=3
	for opts in "" "--greeks" "--qmc sobol" "--antithetic" \
	    "--tolerance 0.05" "--greeks --antithetic -s 7"; do
		# shellcheck disable=SC2086 # the options are words
		mcprice -n 4000 $opts "$BATS_TEST_TMPDIR/book.csv" \
		    >"$BATS_TEST_TMPDIR/j1" 2>"$BATS_TEST_TMPDIR/e1"
		[ "$(wc -l <"$BATS_TEST_TMPDIR/j1")" -eq 14 ]
		for j in $js; do
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

# fit_merge N OPTS...: the book $BATS_TEST_TMPDIR/book.csv priced as N
# shards that read the fit file fit.csv, merged.
fit_merge() {
	local N=$1 i
	shift
	for ((i = 0; i < N; i++)); do
		mcprice "$@" --fit-file "$BATS_TEST_TMPDIR/fit.csv" --shard "$i/$N" \
		    --partial "$BATS_TEST_TMPDIR/book.csv" |
		    if [ "$i" -gt 0 ]; then tail -n +2; else cat; fi
	done | mcprice --merge
}

# shard_rows FILE: the book rows that the partial rows of FILE price
# (n above 0), one a line: book_row, name and n are the ninth, seventh
# and sixth fields from the end, after any quoted commas of the book.
shard_rows() {
	awk -F, 'NR > 1 && $(NF - 6) == "price" && $(NF - 5) > 0 { print $(NF - 8) }' "$1"
}

@test "--shard on a book: runs of rows, one shard a run, that merge to one process's bytes, from a file or a pipe" {
	mixed_book >"$BATS_TEST_TMPDIR/book.csv"
	mcprice -n 10000 -s 3 "$BATS_TEST_TMPDIR/book.csv" >"$BATS_TEST_TMPDIR/one"
	for N in 2 5 13; do
		: >"$BATS_TEST_TMPDIR/all"
		prev=0
		for i in $(seq 0 $((N - 1))); do
			mcprice -n 10000 -s 3 --shard "$i/$N" --partial \
			    "$BATS_TEST_TMPDIR/book.csv" >"$BATS_TEST_TMPDIR/p$i"
			[ "$N" != 5 ] ||
			    mixed_book | mcprice -n 10000 -s 3 --shard "$i/$N" --partial |
			    cmp - "$BATS_TEST_TMPDIR/p$i"
			if [ "$i" -gt 0 ]; then tail -n +2 "$BATS_TEST_TMPDIR/p$i"; else
				cat "$BATS_TEST_TMPDIR/p$i"; fi >>"$BATS_TEST_TMPDIR/all"
			# Shard i prices a run of rows that starts where the
			# last run ended, or on the row after it.
			shard_rows "$BATS_TEST_TMPDIR/p$i" >"$BATS_TEST_TMPDIR/r$i"
			[ -s "$BATS_TEST_TMPDIR/r$i" ] || continue
			first=$(head -1 "$BATS_TEST_TMPDIR/r$i")
			last=$(tail -1 "$BATS_TEST_TMPDIR/r$i")
			[ "$(wc -l <"$BATS_TEST_TMPDIR/r$i")" -eq $((last - first + 1)) ]
			[ "$first" -eq "$prev" ] || [ "$first" -eq $((prev + 1)) ]
			prev=$last
		done
		[ "$prev" -eq 13 ]
		mcprice --merge "$BATS_TEST_TMPDIR/all" | cmp - "$BATS_TEST_TMPDIR/one"
	done
	# Two shards of two like rows each price one row alone.
	{ head -2 "$BATS_TEST_TMPDIR/book.csv"; sed -n 2p "$BATS_TEST_TMPDIR/book.csv"; } \
	    >"$BATS_TEST_TMPDIR/two.csv"
	mcprice -n 10000 --shard 0/2 --partial "$BATS_TEST_TMPDIR/two.csv" >"$BATS_TEST_TMPDIR/q0"
	mcprice -n 10000 --shard 1/2 --partial "$BATS_TEST_TMPDIR/two.csv" >"$BATS_TEST_TMPDIR/q1"
	[ "$(shard_rows "$BATS_TEST_TMPDIR/q0")" = 1 ]
	[ "$(shard_rows "$BATS_TEST_TMPDIR/q1")" = 2 ]
}

@test "--shard on a book: a bad row stops every shard there, with the rows before it" {
	mixed_book | awk 'NR == 8 { print "99,x,call,european,gbm,100,100,1,0.05,0,abc,,,,,,,,,,,,,,,,,,,," } 1' \
	    >"$BATS_TEST_TMPDIR/bad.csv"
	for i in 0 1 2; do
		run --separate-stderr mcprice -n 10000 --shard "$i/3" --partial \
		    "$BATS_TEST_TMPDIR/bad.csv"
		[ "$status" -eq 65 ]
		[ "$stderr" = "mcprice: $BATS_TEST_TMPDIR/bad.csv:8: column 'vol': expected a number, got \"abc\"" ]
		# The header and the partial rows of the six rows before it.
		[ "$(printf '%s\n' "$output" | wc -l)" -eq 7 ]
		[ "$(printf '%s\n' "$output" | tail -1 | cut -d, -f1)" = 6 ]
	done
}

@test "--fit once, then --fit-file: one process's bytes, whole or in shards" {
	mixed_book >"$BATS_TEST_TMPDIR/book.csv"
	# Under the sanitizers 1 and 3 shards: 2 and 8 take their code paths.
	local ns="1 2 3 8"
	! under_san || ns="1 3"
	for opts in "" "--greeks" "--qmc sobol" "--antithetic -s 9"; do
		# shellcheck disable=SC2086 # the options are words
		mcprice -n 4000 $opts "$BATS_TEST_TMPDIR/book.csv" >"$BATS_TEST_TMPDIR/one"
		# shellcheck disable=SC2086
		mcprice -n 4000 $opts -j 3 --fit "$BATS_TEST_TMPDIR/book.csv" \
		    >"$BATS_TEST_TMPDIR/fit.csv"
		# shellcheck disable=SC2086
		mcprice -n 4000 $opts --fit "$BATS_TEST_TMPDIR/book.csv" |
		    cmp - "$BATS_TEST_TMPDIR/fit.csv"
		head -1 "$BATS_TEST_TMPDIR/fit.csv" |
		    grep -qx 'fit_row,fit_job,fit_what,fit_contract,fit_slice,fit_values,fit_check'
		# The american and the bermudan have their rules.
		[ "$(grep -c ',rule,' "$BATS_TEST_TMPDIR/fit.csv")" -ge 2 ]
		# shellcheck disable=SC2086
		mcprice -n 4000 $opts --fit-file "$BATS_TEST_TMPDIR/fit.csv" \
		    "$BATS_TEST_TMPDIR/book.csv" | cmp - "$BATS_TEST_TMPDIR/one"
		for N in $ns; do
			# shellcheck disable=SC2086
			fit_merge $N -n 4000 $opts | cmp - "$BATS_TEST_TMPDIR/one"
		done
	done
}

@test "--fit-file: shards with and without it cut a book alike, and mixed they merge to one process's bytes" {
	# Where the fit file made a shard cut the book by another model of
	# its work, an american's shards overlapped: 149152 paths of 1e5.
	printf '%s\n' type,style,spot,strike,maturity,rate,vol,fixings \
	    put,american,100,100,1,0.05,0.2,50 put,european,100,100,1,0.05,0.2, \
	    put,bermudan,100,110,1,0.05,0.2,12 >"$BATS_TEST_TMPDIR/book.csv"
	mcprice -n 1e5 "$BATS_TEST_TMPDIR/book.csv" >"$BATS_TEST_TMPDIR/one"
	mcprice -n 1e5 --fit "$BATS_TEST_TMPDIR/book.csv" >"$BATS_TEST_TMPDIR/fit.csv"
	for i in 0 1; do
		mcprice -n 1e5 --shard "$i/2" --partial "$BATS_TEST_TMPDIR/book.csv" \
		    >"$BATS_TEST_TMPDIR/p$i"
		mcprice -n 1e5 --shard "$i/2" --partial --fit-file \
		    "$BATS_TEST_TMPDIR/fit.csv" "$BATS_TEST_TMPDIR/book.csv" |
		    cmp - "$BATS_TEST_TMPDIR/p$i"
	done
	tail -n +2 "$BATS_TEST_TMPDIR/p1" | cat "$BATS_TEST_TMPDIR/p0" - |
	    mcprice --merge | cmp - "$BATS_TEST_TMPDIR/one"
}

@test "--fit: every slice's exercise rule, for the contract and its bumps" {
	printf '%s\n' type,style,spot,strike,maturity,rate,vol,fixings \
	    put,american,36,40,1,0.06,0.2,4 put,bermudan,40,40,1,0.06,0.2,3 \
	    >"$BATS_TEST_TMPDIR/book.csv"
	# 600000 paths: three slices of 262144 paths, each with its rule.
	mcprice -n 6e5 --greeks "$BATS_TEST_TMPDIR/book.csv" >"$BATS_TEST_TMPDIR/one"
	mcprice -n 6e5 --greeks -j 2 --fit "$BATS_TEST_TMPDIR/book.csv" \
	    >"$BATS_TEST_TMPDIR/fit.csv"
	[ "$(grep -c '^1,.*,rule,0,2,' "$BATS_TEST_TMPDIR/fit.csv")" -eq 1 ]
	[ "$(grep -c '^1,.*,rule,' "$BATS_TEST_TMPDIR/fit.csv")" -eq \
	    "$(($(grep '^1,.*,row,' "$BATS_TEST_TMPDIR/fit.csv" | cut -d, -f6 | cut -d';' -f1) * 3))" ]
	fit_merge 3 -n 6e5 --greeks | cmp - "$BATS_TEST_TMPDIR/one"
}

@test "--fit-file: a fit of another job, a damaged or cut one, is refused" {
	mixed_book >"$BATS_TEST_TMPDIR/book.csv"
	local B=$BATS_TEST_TMPDIR/book.csv F=$BATS_TEST_TMPDIR/fit.csv
	mcprice -n 4000 --fit "$B" >"$F"
	local head
	# Another -n, seed or option: its first row says so.
	for opts in "-n 5000" "-n 4000 -s 2" "-n 4000 --antithetic" "-n 4000 --greeks"; do
		# shellcheck disable=SC2086
		head=$(mcprice $opts "$B" | head -1)
		# shellcheck disable=SC2086
		fails -o "$head" 65 "mcprice: $B:2: $F:2: the fit of book row 1 is of another job (another row, seed, -n or option); make one with mcprice --fit and this run's options" \
		    mcprice $opts --fit-file "$F" "$B"
	done
	# Another book: a row changed.
	sed 's/^1,rates,call/1,rates,put/' "$B" >"$BATS_TEST_TMPDIR/other.csv"
	run --separate-stderr mcprice -n 4000 --fit-file "$F" "$BATS_TEST_TMPDIR/other.csv"
	assert_failure 65
	assert_equal "$stderr" "mcprice: $BATS_TEST_TMPDIR/other.csv:2: $F:2: the fit of book row 1 is of another job (another row, seed, -n or option); make one with mcprice --fit and this run's options"
	# A damaged number, anywhere: refused before a row is priced.
	local n
	n=$(grep -n ',rule,' "$F" | head -1 | cut -d: -f1)
	awk -F, -v OFS=, -v n="$n" 'NR == n { sub(/1/, "2", $6) } 1' "$F" \
	    >"$BATS_TEST_TMPDIR/bad.csv"
	run cmp -s "$F" "$BATS_TEST_TMPDIR/bad.csv"
	assert_failure
	fails 65 "mcprice: $BATS_TEST_TMPDIR/bad.csv:$n: the line does not match its fit_check (a damaged fit file); make it again with mcprice --fit" \
	    mcprice -n 4000 --fit-file "$BATS_TEST_TMPDIR/bad.csv" "$B"
	# A file cut inside a row's rules, and a file that is no fit.
	head -n "$n" "$F" | sed '$d' >"$BATS_TEST_TMPDIR/cut.csv"
	sed -n "$((n - 1))p" "$F" | grep -q ',row,'
	sed -n "$((n + 1)),\$p" "$F" | grep -v ',rule,' | head -1 >>"$BATS_TEST_TMPDIR/cut.csv"
	run --separate-stderr mcprice -n 4000 --fit-file "$BATS_TEST_TMPDIR/cut.csv" "$B"
	assert_failure 65
	assert_output ''
	[[ $stderr == *"exercise rules (a cut fit file)" ]]
	fails 65 "mcprice: $B:1: not a fit file (no column 'fit_row'; mcprice --fit writes one)" \
	    mcprice -n 4000 --fit-file "$B" "$B"
	fails 66 "mcprice: --fit-file $BATS_TEST_TMPDIR/none: No such file or directory" \
	    mcprice -n 4000 --fit-file "$BATS_TEST_TMPDIR/none" "$B"
}

@test "--fit and --fit-file: the options they do not go with" {
	fails 64 "mcprice: --fit: fits the whole job, for every shard; not with --shard" \
	    mcprice --fit --shard 1/2 "$TESTDATA/book.csv"
	fails 64 "mcprice: --fit: fits the whole job, for every shard; not with --partial" \
	    mcprice --fit --partial "$TESTDATA/book.csv"
	fails 64 "mcprice: --fit: fits the whole job, for every shard; not with --fit-file" \
	    mcprice --fit --fit-file x "$TESTDATA/book.csv"
	fails 64 "mcprice: --fit: not with --tolerance (its count of paths comes from a pilot)" \
	    mcprice --fit --tolerance 0.1 "$TESTDATA/book.csv"
	fails 64 "mcprice: --fit-file: not with --merge (a merge prices nothing)" \
	    mcprice --merge --fit-file x "$TESTDATA/book.csv"
}
