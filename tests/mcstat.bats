#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-3.0-or-later
# mcstat: estimates, groups, exact merges, histograms, quantiles, errors.

load test_helper

setup() {
	# 1..100 and their squares, in a fixed order that is not sorted.
	awk 'BEGIN { print "id,x,y"; for (i = 0; i < 100; i++) {
	    k = (i * 37) % 100 + 1; print (k % 3 ? "odd" : "three") "," k "," k * k / 7 } }' \
	    >"$BATS_TEST_TMPDIR/d.csv"
}

@test "mcstat: mean and sd of 1..100 are 50.5 and sqrt(841.666...)" {
	run --separate-stderr mcstat -c x "$BATS_TEST_TMPDIR/d.csv"
	assert_success
	assert_line --index 0 "name,n,mean,stderr,ci_lo,ci_hi,sd"
	assert_line --index 1 --regexp '^x,100,50\.5,'
	sd=$(echo "$output" | csv_get sd)
	awk -v s="$sd" 'BEGIN { d = s - sqrt(2525 / 3); exit !(d < 1e-12 && d > -1e-12) }'
}

@test "mcstat: agrees with GNU datamash's mean and sstdev" {
	for col in x y; do
		ours=$(mcstat -c "$col" "$BATS_TEST_TMPDIR/d.csv" |
		    awk -F, 'NR == 2 { printf "%.10g %.10g\n", $3, $7 }')
		theirs=$(datamash -t, --header-in -R 10 mean "$col" sstdev "$col" \
		    <"$BATS_TEST_TMPDIR/d.csv" |
		    awk -F, '{ printf "%.10g %.10g\n", $1, $2 }')
		assert_equal "$ours" "$theirs"
	done
}

@test "mcstat: the interval is the Student-t one (t(0.975, 99) = 1.9842169515)" {
	out=$(mcstat -c x "$BATS_TEST_TMPDIR/d.csv")
	awk -F, 'NR == 2 { d = ($6 - $3) / $4 - 1.9842169515086827;
	    exit !(d < 1e-8 && d > -1e-8) }' <<<"$out"
}

@test "mcstat: without -c every column but the --by ones" {
	run mcstat --by id "$BATS_TEST_TMPDIR/d.csv"
	assert_success
	assert_line --index 0 "id,name,n,mean,stderr,ci_lo,ci_hi,sd"
	# Groups in order of first appearance, columns in header order.
	assert_line --index 1 --regexp '^odd,x,67,'
	assert_line --index 2 --regexp '^odd,y,67,'
	assert_line --index 3 --regexp '^three,x,33,'
	[ "${#lines[@]}" -eq 5 ]
}

@test "mcstat: group values keep their quoting" {
	run mcstat -c v --by g <<<$'g,v\n"a,b",1\n"say ""x""",2\n"a,b",3'
	assert_success
	assert_line --index 1 --regexp '^"a,b",v,2,2,'
	assert_line --index 2 --regexp '^"say ""x""",v,1,2,'
}

@test "mcstat: partial rows merge to the bytes of one pass, any split" {
	f=$BATS_TEST_TMPDIR/d.csv
	one=$(mcstat --by id "$f")
	for N in 1 2 3 5 7; do
		rm -f "$BATS_TEST_TMPDIR"/part.*
		tail -n +2 "$f" >"$BATS_TEST_TMPDIR/body"
		split -n "l/$N" "$BATS_TEST_TMPDIR/body" "$BATS_TEST_TMPDIR/part."
		merged=$(for p in "$BATS_TEST_TMPDIR"/part.*; do
			{ head -n 1 "$f"; cat "$p"; } | mcstat --by id --partial
		done | mcstat --merge)
		assert_equal "$merged" "$one"
	done
}

@test "mcstat: merging keeps exactness where double sums would not" {
	# 1e16 + 1 + 1 - 1e16 in two shards: exactly 2, mean 0.5.
	printf 'v\n1e16\n1\n' | mcstat --partial >"$BATS_TEST_TMPDIR/a"
	printf 'v\n1\n-1e16\n' | mcstat --partial >"$BATS_TEST_TMPDIR/b"
	run mcstat --merge "$BATS_TEST_TMPDIR/a" "$BATS_TEST_TMPDIR/b"
	assert_success
	assert_line --index 1 --regexp '^v,4,0\.5,'
}

@test "mcstat: the sd stays right when the mean dwarfs the spread" {
	run mcstat <<<$'v\n1000000000.5\n1000000000.25\n1000000000.75'
	assert_line --index 1 --regexp '^v,3,1000000000\.5,0\.14433756729740643,.*,0\.25$'
}

@test "mcstat: several files with one header, and repeated headers skipped" {
	printf 'v\n1\n2\n' >"$BATS_TEST_TMPDIR/a"
	printf 'v\n3\n' >"$BATS_TEST_TMPDIR/b"
	run mcstat "$BATS_TEST_TMPDIR/a" "$BATS_TEST_TMPDIR/b"
	assert_line --index 1 --regexp '^v,3,2,'
	run mcstat < <(cat "$BATS_TEST_TMPDIR/a" "$BATS_TEST_TMPDIR/b")
	assert_line --index 1 --regexp '^v,3,2,'
}

@test "mcstat --quantiles: type 7 quantiles of 1..100" {
	run mcstat -c x --quantiles 0,0.25,0.5,1 "$BATS_TEST_TMPDIR/d.csv"
	assert_success
	assert_line --index 0 "name,n,mean,stderr,ci_lo,ci_hi,sd,q0,q0.25,q0.5,q1"
	assert_line --index 1 --regexp ',1,25\.75,50\.5,100$'
}

@test "mcstat --hist: counts per bin, and density integrating to 1" {
	run mcstat -c x --hist 4 "$BATS_TEST_TMPDIR/d.csv"
	assert_success
	assert_line --index 0 "name,lo,hi,mid,count,density"
	assert_line --index 1 "x,1,25.75,13.375,25,0.010101010101010102"
	assert_line --index 4 "x,75.25,100,87.625,25,0.010101010101010102"
	run mcstat -c x --hist 2 --range 0,50 "$BATS_TEST_TMPDIR/d.csv"
	assert_line --index 1 "x,0,25,12.5,24,0.0096"
	assert_line --index 2 "x,25,50,37.5,26,0.0104"
}

# rel_ok GOT WANT: |GOT - WANT| <= 1e-15 |WANT|, WANT computed by awk from
# closed forms that do not overflow.
rel_ok() {
	awk -v g="$1" -v w="$2" 'BEGIN { d = g - w; if (d < 0) d = -d
		if (w < 0) w = -w; if (!(d <= 1e-15 * w)) {
			printf "%s is not %s\n", g, w; exit 1 } }'
}

@test "mcstat: finite mean and sd at the ends of the double range" {
	# Three times 1e308 overflows a double sum; the mean is 1e308.
	run --separate-stderr mcstat <<<$'v\n1e308\n1e308\n1e308'
	assert_success
	assert_line --index 1 "v,3,1e+308,0,1e+308,1e+308,0"
	# Squares overflow above 1.3e154: sd of (a, -a, a, -a) is a sqrt(4/3).
	run --separate-stderr mcstat <<<$'v\n3e200\n-3e200\n3e200\n-3e200'
	assert_success
	assert_line --index 1 --regexp '^v,4,0,'
	rel_ok "$(echo "$output" | csv_get sd)" "$(awk 'BEGIN { printf "%.17g", 3e200 * sqrt(4 / 3) }')"
	run --separate-stderr mcstat <<<$'v\n2e154\n3e154'
	rel_ok "$(echo "$output" | csv_get sd)" "$(awk 'BEGIN { printf "%.17g", 1e154 * sqrt(0.5) }')"
	# Squares underflow below 1e-162: sd of (1e-170, 2e-170) is
	# 1e-170 / sqrt(2), not 0.
	run --separate-stderr mcstat <<<$'v\n1e-170\n2e-170'
	assert_success
	rel_ok "$(echo "$output" | csv_get mean)" 1.5e-170
	rel_ok "$(echo "$output" | csv_get sd)" "$(awk 'BEGIN { printf "%.17g", 1e-170 * sqrt(0.5) }')"
	# And so through partial rows and a merge: the same bytes.
	cd "$BATS_TEST_TMPDIR"
	printf 'v\n1e308\n-3e200\n1e-170\n1e-320\n' >x.csv
	mcstat x.csv >one.csv
	{ head -3 x.csv | mcstat --partial; sed 2,3d x.csv | mcstat --partial; } |
	    mcstat --merge >merged.csv
	cmp one.csv merged.csv
	# The same per group, where groups keep compact sums.
	printf 'g,v\na,1e308\nb,1\na,-1e-300\nb,2\na,3\n' >g.csv
	run --separate-stderr mcstat --by g g.csv
	assert_line --index 1 --regexp '^a,v,3,3\.33333333333333[0-9]*e\+307,'
	assert_line --index 2 "b,$(printf 'v\n1\n2\n' | mcstat | sed -n 2p)"
}

@test "mcstat: an sd or interval beyond the double range is an error" {
	run --separate-stderr mcstat <<<$'v\n1.7e308\n-1.7e308'
	assert_equal "$status" 65
	assert_equal "$stderr" "mcstat: column 'v': the sd or the interval lies beyond the double range (values near +/-1.8e308)"
	assert_output "name,n,mean,stderr,ci_lo,ci_hi,sd"
}

@test "mcstat: nan and inf are refused, in every mode" {
	for args in "" "--quantiles 0.5" "--hist 3" "--hist 3 --range 0,1" \
	    "--partial"; do
		for v in nan inf -inf; do
			# shellcheck disable=SC2086
			run --separate-stderr mcstat $args <<<$'v\n1\n'"$v"$'\n2'
			assert_equal "$status" 65
			assert_equal "$stderr" "mcstat: stdin:3: column 'v': expected a finite number, got \"$v\""
		done
	done
	# Partial rows that summed them have no estimate either.
	run --separate-stderr mcstat --merge <<<$'name,n,sum,sumsq,mc_seed,mc_shard,mc_job\nv,2,nan,nan,1,0/1,0123456789abcdef'
	assert_equal "$status" 65
	assert_equal "$stderr" "mcstat: partial rows: sums of nan or inf values have no estimate"
}

@test "mcstat --quantiles and --hist at the ends of the double range" {
	run --separate-stderr mcstat --quantiles 0,0.5,1 < <(
	    printf 'v\n-1.7e308\n1.7e308\n'; seq 18)
	assert_success
	assert_line --index 1 --regexp ',-1\.7e\+308,9\.5,1\.7e\+308$'
	# Data from -1e308 to 1e308: two bins of width 1e308.
	run --separate-stderr mcstat --hist 2 <<<$'v\n-1e308\n0\n1e308'
	assert_success
	assert_line --index 1 --regexp '^v,-1e\+308,0,-5e\+307,1,3\.33333333333333[0-9]*e-309$'
	assert_line --index 2 --regexp '^v,0,1e\+308,5e\+307,2,6\.66666666666666[0-9]*e-309$'
	run --separate-stderr mcstat --hist 4 --range -1.5e308,1.5e308 <<<$'v\n-1e308\n0\n1e308'
	assert_success
	assert_line --index 1 --regexp '^v,-1\.5e\+308,-7\.5e\+307,-1\.125e\+308,1,'
	assert_line --index 3 --regexp '^v,0,7\.5e\+307,3\.75e\+307,1,'
	assert_line --index 4 --regexp '^v,7\.5e\+307,1\.5e\+308,1\.125e\+308,1,'
	# One value, however large, has a range around it.
	run --separate-stderr mcstat --hist 2 <<<$'v\n1e300\n1e300'
	assert_success
	assert_line --index 2 --regexp '^v,1e\+300,1\.00000[0-9]*e\+300,1\.00000[0-9]*e\+300,2,'
	# Bins narrower than the plain formulas can take.
	run --separate-stderr mcstat --hist 2 <<<$'v\n0\n1e-300\n2e-300'
	assert_success
	assert_line --index 1 --regexp '^v,0,1e-300,5e-301,1,3\.33333333333333[0-9]*e\+299$'
	assert_line --index 2 --regexp '^v,1e-300,2e-300,1\.5e-300,2,6\.66666666666666[0-9]*e\+299$'
	# Subnormal ones have densities no double holds: no histogram.
	run --separate-stderr mcstat --hist 2 <<<$'v\n0\n1e-320\n2e-320'
	assert_equal "$status" 65
	assert_equal "$stderr" "mcstat: column 'v': bins of width 9.99989e-321 have densities beyond the double range"
	assert_output "name,lo,hi,mid,count,density"
}

@test "mcstat: n = 1 gives nan for the spread" {
	run mcstat <<<$'v\n3'
	assert_line --index 1 "v,1,3,nan,nan,nan,nan"
}

@test "mcstat: bad input gets one line, its status, and no rows" {
	fails_table <<'EOF'
65|mcstat: stdin:3: column 'v': expected a number, got "x"|printf 'v\n1\nx\n' | mcstat -c v
65|mcstat: stdin:3: column 'v': empty (a missing value); --skip-empty skips such fields|printf 'v\n1\n""\n' | mcstat -c v
65|mcstat: stdin:2: column 'v': number out of range, got "1e999"|printf 'v\n1e999\n' | mcstat -c v
65|mcstat: stdin:3: expected 2 fields as in the header, got 1|printf 'v,w\n1,2\n3\n' | mcstat -c v
65|mcstat: stdin:1: no column "w" in the header|printf 'v\n1\n' | mcstat -c w
65|mcstat: stdin:1: column "v" appears twice in the header|printf 'v,v\n1,2\n' | mcstat -c v
65|mcstat: stdin:2: unterminated quoted field at the end of the input|printf 'v\n"1\n' | mcstat -c v
65|mcstat: stdin: empty input, expected a header row|mcstat -c v
65|mcstat: stdin:2: column 'sum': expected an exact sum (numbers separated by spaces), got "x"|printf 'name,n,sum,sumsq,mc_seed,mc_shard,mc_job\npi,3,x,1,1,0/1,0123456789abcdef\n' | mcstat --merge
65|mcstat: stdin:2: column 'n': expected a count, got "-3"|printf 'name,n,sum,sumsq,mc_seed,mc_shard,mc_job\npi,-3,1,1,1,0/1,0123456789abcdef\n' | mcstat --merge
65|mcstat: stdin:1: no column "n" in the header|printf 'name,sum,sumsq\npi,1,1\n' | mcstat --merge
64|mcstat: --merge takes the key from the partial rows; -c, --by, --partial, --hist, --quantiles and --no-header do not apply|printf 'v\n1\n' | mcstat --merge -c v
64|mcstat: --partial, --hist and --quantiles do not go together|printf 'v\n1\n' | mcstat --partial --hist 3
64|mcstat: --range goes with --hist|printf 'v\n1\n' | mcstat --range 0,1
64|mcstat: --range: expected LO,HI with LO < HI, got "1,0"|printf 'v\n1\n' | mcstat --hist 3 --range 1,0
64|mcstat: --quantiles: expected probabilities from 0 to 1, got "2"|printf 'v\n1\n' | mcstat --quantiles 2
64|mcstat: --hist: expected a count of 1 or more, got "0"|printf 'v\n1\n' | mcstat --hist 0
EOF
}

@test "mcstat: a missing file is status 66" {
	run --separate-stderr mcstat "$BATS_TEST_TMPDIR/nope"
	assert_equal "$status" 66
	assert_equal "$stderr" "mcstat: $BATS_TEST_TMPDIR/nope: No such file or directory"
}

@test "mcstat: a write error exits 74" {
	run --separate-stderr bash -c "mcstat -c x '$BATS_TEST_TMPDIR/d.csv' >/dev/full"
	assert_equal "$status" 74
	assert_equal "$stderr" "mcstat: write error: No space left on device"
}

@test "mcstat, mcpi: '.' decimals in and out under a ',' locale (de_DE)" {
	# A private German locale, so the test needs no system set-up.
	localedef -i de_DE -f UTF-8 "$BATS_TEST_TMPDIR/de_DE.UTF-8" ||
	    fail "localedef could not build de_DE.UTF-8"
	export LOCPATH=$BATS_TEST_TMPDIR
	[ "$(LC_ALL=de_DE.UTF-8 /usr/bin/printf '%.1f' 0.5)" = "0,5" ]
	run env LC_ALL=de_DE.UTF-8 mcstat <<<$'v\n0.5\n1.5'
	assert_success
	assert_line --index 1 --regexp '^v,2,1,0\.5,'
	run env LC_ALL=de_DE.UTF-8 mcpi -n 1000
	assert_line --index 1 --regexp '^pi,1000,[0-9]+\.[0-9]+,'
}

# Checks that the fields of line 2 of $output, from field 2 on, are the
# numbers "$1" (comma-separated) to 1e-12, relative.
near_fields() {
	awk -F, -v want="$1" 'NR == 2 { n = split(want, w, ",")
	    if (NF - 1 != n) { print "fields: " NF - 1 " for " n; exit 1 }
	    for (i = 1; i <= n; i++) { d = $(i + 1) - w[i]; s = w[i] < 0 ? -w[i] : w[i]
	        if (d > 1e-12 * s || -d > 1e-12 * s) { print "field " i ": " $(i + 1) " for " w[i]; bad = 1 } }
	    exit bad }' <<<"$output"
}

@test "mcstat -s: datamash's operations on 1..100 (shuffled), known by hand" {
	run --separate-stderr mcstat -c x -s count,rows,sum,min,max,range,first,last,median,q1,q3,iqr,p90,perc:10,perc,mode,countunique,mean,sstdev "$BATS_TEST_TMPDIR/d.csv"
	assert_success
	assert_line --index 0 "name,count,rows,sum,min,max,range,first,last,median,q1,q3,iqr,p90,p10,p95,mode,countunique,mean,sd"
	# Type 7 puts the quantile at p at index 99 p of the sorted 1..100
	# (from 0), so at 1 + 99 p; the rows come as k = 37 i mod 100 + 1:
	# first 1, last 64; no value twice, so the mode is the least.
	# The sd of 1..100 is sqrt(101 * 100 / 12).
	near_fields "100,100,5050,1,100,99,1,64,50.5,25.75,75.25,49.5,90.1,10.9,95.05,1,100,50.5,$(awk 'BEGIN { printf "%.17g", sqrt(101 * 100 / 12) }')"
}

@test "mcstat -s: mode, countunique, first and last with repeats" {
	run --separate-stderr mcstat -s mode,countunique,first,last,median <<<$'v\n3\n1\n3\n2\n1\n1.0\n-0\n0'
	assert_success
	# 1 three times (1.0 is 1), 3 twice; -0 and 0 are one value.
	assert_line --index 1 "v,1,4,3,0,1"
}

@test "mcstat -s: agrees with GNU datamash, per group, sorted" {
	command -v datamash >/dev/null || skip "datamash is not installed"
	ops="count sum min max range mean sstdev first last median q1 q3 iqr perc:90 perc:5 mode countunique"
	for col in x y; do
		args=()
		for op in $ops; do args+=("$op" "$col"); done
		theirs=$(datamash -t, --header-in -s -g id "${args[@]}" \
		    <"$BATS_TEST_TMPDIR/d.csv" |
		    awk -F, '{ printf "%s", $1; for (i = 2; i <= NF; i++) printf ",%.9g", $i; print "" }')
		ours=$(mcstat --sort --by id -c "$col" -s "$(tr ' ' , <<<"$ops")" \
		    "$BATS_TEST_TMPDIR/d.csv" |
		    awk -F, 'NR > 1 { printf "%s", $1; for (i = 3; i <= NF; i++) printf ",%.9g", $i; print "" }')
		[ -n "$ours" ]
		assert_equal "$ours" "$theirs"
	done
}

@test "mcstat -s: sum, min, max, range, rows and the moments merge to the bytes of one pass" {
	f=$BATS_TEST_TMPDIR/d.csv
	# Values of every size and sign, -0 and 0, and empty fields.
	awk 'BEGIN { print "id,x,y"; for (i = 0; i < 300; i++)
	    print (i % 4 ? "a" : "b") "," (i % 7 ? (i * 7919 % 1000 - 500) * 10 ^ (i % 9 - 4) : "-0") "," (i % 5 ? i * 3 - 400 : "") }' >"$f"
	ops=count,rows,sum,min,max,range,mean,sd,stderr,ci_lo,ci_hi
	one=$(mcstat --by id -s "$ops" --skip-empty "$f" 2>/dev/null)
	tail -n +2 "$f" >"$BATS_TEST_TMPDIR/body"
	for N in 1 2 3 7; do
		rm -f "$BATS_TEST_TMPDIR"/part.*
		split -n "l/$N" "$BATS_TEST_TMPDIR/body" "$BATS_TEST_TMPDIR/part."
		merged=$(for p in "$BATS_TEST_TMPDIR"/part.*; do
			{ head -n 1 "$f"; cat "$p"; } |
			    mcstat --by id -s sum,min,rows --skip-empty --partial 2>/dev/null
		done | mcstat --merge -s "$ops")
		assert_equal "$merged" "$one"
	done
	# The numbers themselves, against awk's (exact here: small sums).
	run --separate-stderr mcstat --by id -c y -s rows,count,min,max --skip-empty "$f"
	assert_line --index 1 "$(awk -F, 'NR > 1 && $1 == "b" { r++; if ($3 != "") { n++; if (min == "" || $3 < min) min = $3; if ($3 > max) max = $3 } }
	    END { print "b,y," r "," n "," min "," max }' "$f")"
}

@test "mcstat: groups in first-seen order, or sorted with --sort" {
	in=$'g,h,v\nb,2,1\na,1,2\nB,1,3\na,1,4\n10,1,5\n9,1,6\na,0,7'
	run mcstat --by g,h -s sum <<<"$in"
	assert_output "$(printf '%s\n' g,h,name,sum b,2,v,1 a,1,v,6 B,1,v,3 10,1,v,5 9,1,v,6 a,0,v,7)"
	# Byte by byte, as sort(1) under LC_ALL=C.
	run mcstat --by g,h -s sum --sort <<<"$in"
	assert_output "$(printf '%s\n' g,h,name,sum 10,1,v,5 9,1,v,6 B,1,v,3 a,0,v,7 a,1,v,6 b,2,v,1)"
	assert_equal "$(tail -n +2 <<<"$in" | LC_ALL=C sort -t, -k1,2 | cut -d, -f1,2 | uniq)" \
	    "$(tail -n +2 <<<"$output" | cut -d, -f1,2)"
	# The estimate rows sort the same way, and merged rows too.
	run mcstat --by g --sort -c v <<<"$in"
	assert_line --index 1 --regexp '^10,v,1,5,'
	run mcstat --merge --sort -s sum < <(mcstat --by g,h --partial <<<"$in")
	assert_output "$(printf '%s\n' g,h,name,sum 10,1,v,5 9,1,v,6 B,1,v,3 a,0,v,7 a,1,v,6 b,2,v,1)"
}

@test "mcstat: columns by number, and input without a header" {
	f=$BATS_TEST_TMPDIR/d.csv
	assert_equal "$(mcstat -c 2 --by 1 "$f")" "$(mcstat -c x --by id "$f")"
	# Without a header, columns are named by number; the first row is data.
	run mcstat --no-header -c 2,3 --by 1 -s count,sum < <(tail -n +2 "$f")
	assert_success
	assert_output "$(mcstat -c x,y --by id -s count,sum "$f" | sed '1s/^id,/1,/; s/,x,/,2,/; s/,y,/,3,/')"
	# A row equal to the first is data too.
	run mcstat --no-header -s count,sum <<<$'1\n1\n2'
	assert_output $'name,count,sum\n1,3,4'
	# A name wins over a number.
	run mcstat -c 1 -s sum <<<$'2,1\n10,20'
	assert_output $'name,sum\n1,20'
}

@test "mcstat -s: bad input gets one line, its status, and no rows" {
	fails_table <<'EOF2'
64|mcstat: -s: unknown statistic "avg"; the statistics are count, rows, sum, min, max, range, mean, sd, stderr, ci_lo, ci_hi, first, last, median, q1, q3, iqr, pP, mode, countunique|printf 'v\n1\n' | mcstat -s sum,avg
64|mcstat: -s: statistic "sd" given twice|printf 'v\n1\n' | mcstat -s sd,sstdev
64|mcstat: -s: expected a percentile from 0 to 100 (as p90 or perc:90), got "perc:101"|printf 'v\n1\n' | mcstat -s perc:101
64|mcstat: -s: expected statistics separated by commas, got ","|printf 'v\n1\n' | mcstat -s ,
64|mcstat: -s: median does not merge exactly from shards (it needs every value), so --partial refuses it; these do: count, rows, sum, min, max, range, mean, sd, stderr, ci_lo, ci_hi|printf 'v\n1\n' | mcstat -s sum,median --partial
64|mcstat: -s: first does not merge exactly from shards (shards carry no order), so --merge refuses it; these do: count, rows, sum, min, max, range, mean, sd, stderr, ci_lo, ci_hi|printf 'v\n1\n' | mcstat --partial | mcstat --merge -s first
64|mcstat: -s does not go with --hist or --quantiles (-s takes percentiles: p90 or perc:90)|printf 'v\n1\n' | mcstat -s sum --quantiles 0.5
64|mcstat: --merge takes the key from the partial rows; -c, --by, --partial, --hist, --quantiles and --no-header do not apply|mcstat --merge --no-header
64|mcstat: --by: column 'sum' would meet mcstat's own column 'sum' in the output; rename it in the input|printf 'sum,v\n1,2\n' | mcstat --by sum -s sum
64|mcstat: --by: column 'min' would meet mcstat's own column 'min' in the output; rename it in the input|printf 'min,v\n1,2\n' | mcstat --by 1 -s sum,min --partial
64|mcstat: --by: column 'g' given twice|printf 'g,v\n1,2\n' | mcstat --by g,1
65|mcstat: stdin:1: no column "4": the input has 3 columns|printf 'a,b,c\n1,2,3\n' | mcstat -c 4
65|mcstat: stdin:1: no column "0" in the header|printf 'a,b,c\n1,2,3\n' | mcstat -c 0
65|mcstat: stdin:1: no column "a" in the header|printf '1,2\n' | mcstat --no-header -c a
65|mcstat: stdin:2: expected 2 fields as in the first row, got 1|printf '1,2\n3\n' | mcstat --no-header
65|mcstat: column 'v': the sum lies beyond the double range (values near +/-1.8e308)|printf 'v\n1e308\n1e308\n' | mcstat -s count,sum
65|mcstat: column 'v': the range lies beyond the double range (values near +/-1.8e308)|printf 'v\n1e308\n-1e308\n' | mcstat -s mean,range
65|mcstat: stdin:3: column 'v': expected a finite number, got "nan"|printf 'v\n1\nnan\n' | mcstat -s median
65|mcstat: stdin:1: -s range needs column 'min', which these partial rows lack (mcstat --partial -s range writes it)|printf 'v\n1\n' | mcstat --partial | mcstat --merge -s sum,range
65|mcstat: stdin:1: -s rows needs column 'rows', which these partial rows lack (mcstat --partial -s rows writes it)|printf 'v\n1\n' | mcstat --partial -s min | mcstat --merge -s min,rows
65|mcstat: stdin: empty input, expected a row|printf '' | mcstat --no-header
65|mcstat: stdin:1: partial rows with column 'min' need column 'max' too|printf 'name,n,sum,sumsq,min,mc_seed,mc_shard,mc_job\nv,1,1,1,1,,data:0123456789abcdef,0123456789abcdef\n' | mcstat --merge
65|mcstat: stdin:2: column 'max': expected a number not below min, got "1"|printf 'name,n,sum,sumsq,min,max,mc_seed,mc_shard,mc_job\nv,2,3,5,2,1,,data:0123456789abcdef,0123456789abcdef\n' | mcstat --merge
65|mcstat: stdin:2: column 'min': expected an empty field for a count of 0, got "1"|printf 'name,n,sum,sumsq,min,max,mc_seed,mc_shard,mc_job\nv,0,0,0,1,1,,data:0123456789abcdef,0123456789abcdef\n' | mcstat --merge
65|mcstat: stdin:2: column 'rows': expected a count of rows, at least n, got "1"|printf 'name,n,sum,sumsq,rows,mc_seed,mc_shard,mc_job\nv,2,3,5,1,,data:0123456789abcdef,0123456789abcdef\n' | mcstat --merge -s rows
EOF2
}

@test "mcstat: numbers read as strtod reads them, whichever way the parse takes" {
	# 19 digits with a far negative exponent, 16 digits with a far
	# positive one, 45 digits with leading zeros (more than the fast
	# path holds), a negative fraction with a leading zero, and 2^53 + 1
	# (a tie, to even).  The expected values are Python's float() of
	# the same text, printed shortest.
	run bash -c "printf 'a,b,c,d,e\n1234567890123456789e-300,-9007199254740993e200,0.00000000000000000000000000012345678901234567,-0.0625,9007199254740993\n' | mcstat -s min"
	assert_success
	assert_output "name,min
a,1.2345678901234569e-282
b,-9.007199254740993e+215
c,1.2345678901234567e-28
d,-0.0625
e,9007199254740992"
}
