#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-3.0-or-later
# mcpi: the estimate, exact shards and threads, traces, darts, bad input.

load test_helper

PI=3.141592653589793

@test "mcpi: estimate row lies within 4 standard errors of pi" {
	run --separate-stderr mcpi -n 1e6 -s 42
	assert_success
	assert_line --index 0 "name,n,mean,stderr,ci_lo,ci_hi,sd"
	[ "$(echo "$output" | csv_get name)" = pi ]
	[ "$(echo "$output" | csv_get n)" = 1000000 ]
	within_se "$(echo "$output" | csv_get mean)" \
	    "$(echo "$output" | csv_get stderr)" "$PI"
	[ -z "$stderr" ]
}

@test "mcpi: the standard error is sqrt(p(1-p)/n) * 4 from the hit rate" {
	out=$(mcpi -n 1e5 -s 7)
	awk -F, 'NR == 2 { p = $3 / 4; se = 4 * sqrt(p * (1 - p) / ($2 - 1));
	    d = $4 - se; if (d < 0) d = -d; exit !(d < 1e-12) }' <<<"$out"
}

@test "mcpi: -n accepts 1e6 and 1000000 alike" {
	assert_equal "$(mcpi -n 1e5 -s 3)" "$(mcpi -n 100000 -s 3)"
}

@test "mcpi: merged shards are byte-identical to one process, N = 1..16" {
	one=$(mcpi -n 100003 -s 42)
	for N in 1 2 3 7 16; do
		merged=$(for ((i = 0; i < N; i++)); do
			mcpi -n 100003 -s 42 --shard "$i/$N" --partial
		done | mcstat --merge)
		assert_equal "$merged" "$one"
	done
}

@test "mcpi: shards merged in any order give the same bytes" {
	one=$(mcpi -n 50000 -s 9)
	merged=$(for i in 4 0 3 1 2; do
		mcpi -n 50000 -s 9 --shard "$i/5" --partial
	done | mcstat --merge)
	assert_equal "$merged" "$one"
}

@test "mcpi: -j 2 and -j 3 give the bytes of -j 1" {
	one=$(mcpi -n 200000 -s 5 -j 1)
	assert_equal "$(mcpi -n 200000 -s 5 -j 2)" "$one"
	assert_equal "$(mcpi -n 200000 -s 5 -j 3)" "$one"
}

@test "mcpi: the partial row has n, sum and sumsq with sum = 4 hits" {
	run mcpi -n 1000 -s 1 --partial
	assert_success
	assert_line --index 0 "name,n,sum,sumsq,mc_seed,mc_shard,mc_job"
	awk -F, 'NR == 2 { exit !($1 == "pi" && $2 == 1000 && $3 % 4 == 0 &&
	    $4 == 4 * $3 && $5 == 1 && $6 == "0/1" &&
	    $7 ~ /^[0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f]$/) }' <<<"$output"
}

@test "mcpi: a shard with no blocks gives an empty partial row" {
	run mcpi -n 10 --shard 5/8 --partial
	assert_success
	assert_line --index 1 --regexp '^pi,0,0,0,1,5/8,[0-9a-f]{16}$'
}

@test "mcpi: --trace K prints the running estimate every K darts" {
	run mcpi -n 10000 -s 42 --trace 1000
	assert_success
	[ "${#lines[@]}" -eq 11 ]
	assert_line --index 1 --regexp '^pi,1000,'
	# The last trace row is the final estimate.
	assert_equal "${lines[10]}" "$(mcpi -n 10000 -s 42 | tail -n 1)"
}

@test "mcpi: --trace ends with a row at n when K does not divide n" {
	run mcpi -n 2500 --trace 1000
	assert_success
	assert_line --index 3 --regexp '^pi,2500,'
}

@test "mcpi: --dump writes darts whose inside flag matches x^2 + y^2 <= 1" {
	run mcpi -n 2000 -s 4 --dump
	assert_success
	assert_line --index 0 "x,y,inside"
	[ "${#lines[@]}" -eq 2001 ]
	awk -F, 'NR > 1 { if ($1 <= 0 || $1 >= 1 || $2 <= 0 || $2 >= 1 ||
	    ($1 * $1 + $2 * $2 <= 1) != $3) bad++ } END { exit bad > 0 }' \
	    <<<"$output"
}

@test "mcpi: --dump and --points agree with the fast path" {
	fast=$(mcpi -n 3000 -s 11)
	assert_equal "$(mcpi -n 3000 -s 11 --dump | mcpi --points --cols x,y)" \
	    "$fast"
}

@test "mcpi --points: reads x1,x2 and scores 4 per dart inside" {
	run mcpi --points <<<$'x1,x2\n0.1,0.1\n0.9,0.9'
	assert_success
	assert_line --index 1 --regexp '^pi,2,2,2,'
}

@test "mcpi --points --cols: names the columns, others pass unseen" {
	run mcpi --points --cols a,b <<<$'id,a,b\nq,0.5,0.5\nr,0.2,0.3\ns,0.99,0.5'
	assert_success
	assert_line --index 1 --regexp '^pi,3,2\.6666666666666665,'
}

@test "mcpi --points: reads a file named on the command line" {
	printf 'x1,x2\n0.5,0.5\n' >"$BATS_TEST_TMPDIR/p.csv"
	run mcpi --points "$BATS_TEST_TMPDIR/p.csv"
	assert_success
	assert_line --index 1 --regexp '^pi,1,4,'
}

@test "mcpi --rng mt19937: within 4 se of pi, and shards still agree" {
	run mcpi -n 1e5 -s 42 --rng mt19937
	within_se "$(echo "$output" | csv_get mean)" \
	    "$(echo "$output" | csv_get stderr)" "$PI"
	merged=$(for i in 0 1 2; do
		mcpi -n 1e5 -s 42 --rng mt19937 --shard "$i/3" --partial
	done | mcstat --merge)
	assert_equal "$merged" "$output"
}

@test "mcpi: --level widens the interval" {
	w95=$(mcpi -n 1e4 | awk -F, 'NR == 2 { print $6 - $5 }')
	w99=$(mcpi -n 1e4 --level 0.99 | awk -F, 'NR == 2 { print $6 - $5 }')
	awk -v a="$w95" -v b="$w99" 'BEGIN { exit !(b > a) }'
}

@test "mcpi: --help prints the synopsis to stdout and exits 0" {
	run --separate-stderr mcpi --help
	assert_success
	assert_line --index 0 --regexp '^usage: mcpi '
	[ -z "$stderr" ]
	run mcpi --version
	assert_output "mcpi (mctools) 0.1"
}


@test "mcpi: bad options are usage errors with one exact line" {
	fails_table <<'EOF'
64|mcpi: -n: expected a count of 1 or more, got "-5"|mcpi -n -5
64|mcpi: -n: expected a count like 1000 or 1e6, got "abc"|mcpi -n abc
64|mcpi: -n: expected a count of 1 or more, got "0"|mcpi -n 0
64|mcpi: -n: count out of range (at most 2^63-1), got "1e30"|mcpi -n 1e30
64|mcpi: -n: expected a whole count, got "1.5"|mcpi -n 1.5
64|mcpi: -n: count out of range (at most 2^63-1), got "99999999999999999999"|mcpi -n 99999999999999999999
64|mcpi: --shard: I must be below N (shards are numbered 0 to N-1), got "3/3"|mcpi --shard 3/3
64|mcpi: --shard: expected I/N with 0 <= I < N, got "x"|mcpi --shard x
64|mcpi: --shard: expected I/N with 0 <= I < N, got "1/0"|mcpi --shard 1/0
64|mcpi: -j: expected a number of threads from 1 to 1024, got "0"|mcpi -j 0
64|mcpi: --level: expected a number > 0 and < 1, got "1.5"|mcpi --level 1.5
64|mcpi: -s: expected a whole number from 0 to 2^64-1, got "-1"|mcpi -s -1
64|mcpi: --rng: unknown generator "nosuch" (try philox, mt19937, ranlxd2 or taus2)|mcpi --rng nosuch
64|mcpi: unknown option "--bogus"; see 'mcpi --help'|mcpi --bogus
64|mcpi: unknown option "-x"; see 'mcpi --help'|mcpi -x
64|mcpi: option "-n" needs a value; see 'mcpi --help'|mcpi -n
64|mcpi: --points reads its darts from the input; -n, --shard and -j do not apply|mcpi --points -n 5
64|mcpi: --dump writes darts, not estimates; it does not go with --partial|mcpi --dump --partial
64|mcpi: unexpected argument "extra" (FILE goes with --points)|mcpi extra
EOF
}

@test "mcpi --points: bad input names the file, line and column" {
	cd "$BATS_TEST_TMPDIR"
	fails_table <<'EOF'
65|mcpi: stdin:3: column 'x2': expected a number, got "abc"|printf 'x1,x2\n0.1,0.2\n0.3,abc\n' | mcpi --points
65|mcpi: stdin:1: no column "x1" in the header|printf 'a,b\n1,2\n' | mcpi --points
65|mcpi: stdin: empty input, expected a header row|mcpi --points
66|mcpi: none.csv: No such file or directory|mcpi --points none.csv
EOF
}

@test "mcpi: a write error exits 74 with one line" {
	run --separate-stderr bash -c 'mcpi -n 1000 >/dev/full'
	assert_equal "$status" 74
	assert_equal "$stderr" "mcpi: write error: No space left on device"
}

@test "mcpi: a closed pipe ends quietly" {
	run --separate-stderr bash -c 'mcpi -n 1e6 --dump | head -n 2'
	assert_success
	[ "${#lines[@]}" -eq 2 ]
	[ -z "$stderr" ]
}
