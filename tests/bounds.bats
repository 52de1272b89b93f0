#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-3.0-or-later
# Bounded resources in every CSV reader: a NUL stream, an endless line or
# field, a very wide header.  Memory and time follow what the user asked
# for, never a quirk of the input (DESIGN.md, Errors and exit status).

load test_helper

setup() {
	cd "$BATS_TEST_TMPDIR"
}

# stops_early BYTES FILL WANT PROG ARGS...: feeds BYTES bytes of FILL
# (od-style octal, as tr takes it) to PROG, which must exit 65 with the
# one line WANT, print nothing, and stop reading long before the end (the
# feeding side then dies of SIGPIPE instead of finishing).
stops_early() {
	local bytes=$1 fill=$2 want=$3
	shift 3
	run --separate-stderr bash -c 'head -c "$1" /dev/zero | tr "\0" "$2" |
	    "${@:3}"; echo "${PIPESTATUS[*]}" >st' sh "$bytes" "$fill" "$@"
	[ "$status" -eq 0 ] || return 1
	assert_equal "$stderr" "$want"
	assert_equal "$output" ""
	read -r head tr prog <st
	assert_equal "$prog" 65
	# head or tr was cut off: the program did not read it all.
	[ "$head" != 0 ] || [ "$tr" != 0 ] ||
	    { echo "$*: read all $bytes bytes"; return 1; }
}

@test "bounds: a NUL stream is refused at the first NUL, every reader" {
	stops_early 256M '\0' "mcstat: stdin:1: NUL byte in the input" mcstat
	stops_early 256M '\0' "plotxy: stdin:1: NUL byte in the input" \
	    plotxy -x a -y b --script
	stops_early 256M '\0' "mcpi: stdin:1: NUL byte in the input" \
	    mcpi --points
	stops_early 256M '\0' "mcprice: stdin:1: NUL byte in the input" \
	    mcprice -n 10
	# /dev/zero itself, which never ends.
	run --separate-stderr mcstat </dev/zero
	assert_equal "$status" 65
	assert_equal "$stderr" "mcstat: stdin:1: NUL byte in the input"
	run --separate-stderr plotxy -x a -y b </dev/zero
	assert_equal "$status" 65
	assert_equal "$stderr" "plotxy: stdin:1: NUL byte in the input"
	run --separate-stderr plotxy --stream -x a -y b </dev/zero
	assert_equal "$status" 65
	assert_equal "$stderr" "plotxy: stdin:1: NUL byte in the input"
	# Rows before the NUL are read; the NUL is reported on its own line.
	run --separate-stderr mcstat < <(printf 'v\n1\n2\n3\0\n')
	assert_equal "$status" 65
	assert_equal "$stderr" "mcstat: stdin:4: NUL byte in the input"
}

@test "bounds: an endless line or field is refused at 64 MiB" {
	stops_early 300M a "mcstat: stdin:1: a row longer than 64 MiB (the most a row may hold)" \
	    mcstat
	stops_early 300M a "plotxy: stdin:1: a row longer than 64 MiB (the most a row may hold)" \
	    plotxy -x a -y b --script
	stops_early 300M a "plotxy: stdin:1: a row longer than 64 MiB (the most a row may hold)" \
	    plotxy --stream -x a -y b
	# An endless header of empty names: too many fields.
	stops_early 300M , "mcstat: stdin:1: a row of more than 4194304 fields (the most a row may hold)" \
	    mcstat
	# A quoted field that never ends, after a good row.
	run --separate-stderr bash -c '{ printf "v\n1\n\""; head -c 100M /dev/zero |
	    tr "\0" x; } | mcstat'
	assert_equal "$status" 65
	assert_equal "$stderr" "mcstat: stdin:3: a row longer than 64 MiB (the most a row may hold)"
	assert_equal "$output" ""
}

# A CSV of N columns c0..c(N-1) and one row of ones.
wide() {
	awk -v n="$1" 'BEGIN {
		for (i = 0; i < n; i++) printf "%sc%d", i ? "," : "", i; print ""
		for (i = 0; i < n; i++) printf "%s1", i ? "," : ""; print "" }'
}

@test "bounds: a header of 1e5 columns is read in linear time" {
	wide 100000 >wide.csv
	run --separate-stderr mcstat -c c99999,c0 wide.csv
	assert_success
	assert_line --index 1 "c99999,1,1,nan,nan,nan,nan"
	assert_line --index 2 "c0,1,1,nan,nan,nan,nan"
	# Every column, the default.
	run --separate-stderr mcstat wide.csv
	assert_success
	assert_equal "${#lines[@]}" 100001
	run --separate-stderr plotxy -x c0 -y c99999 --script wide.csv
	assert_success
	# A name given twice, far apart.
	sed '1s/$/,c3/' wide.csv >dup.csv
	sed -i '2s/$/,1/' dup.csv
	run --separate-stderr mcstat -c c0 dup.csv
	assert_equal "$status" 65
	assert_equal "$stderr" "mcstat: dup.csv:1: column \"c3\" appears twice in the header"
}

# A basket row of N assets: spots and vols lists of N values (one at the
# limit prices in tests/slow/bounds.bats).
basket() {
	awk -v n="$1" 'BEGIN {
		print "type,style,spot,strike,maturity,rate,spots,vols,correlation"
		printf "call,basket,100,100,1,0.05,"
		for (i = 0; i < n; i++) printf "%s100", i ? ";" : ""
		printf ","
		for (i = 0; i < n; i++) printf "%s0.2", i ? ";" : ""
		print ",0.3" }'
}

@test "bounds: a basket of more assets than a row may hold is refused at once" {
	# 65536 assets once made n * n wrap in 32 bits (11 GB asked, writes
	# past the end); 1e5 took 8 GB and over a minute before it priced.
	for n in 4097 65536 100000; do
		basket "$n" >b.csv
		# The header goes out as for any bad row, no price.
		fails -o "$(head -n 1 b.csv),price,stderr,ci_lo,ci_hi,paths,ref" \
		    65 "mcprice: b.csv:2: column 'spots': expected at most 4096 assets, got $n" \
		    mcprice -n 10 b.csv
	done
}

@test "bounds: a path of 1e6 steps takes memory for the few paths made at once" {
	# The generator held room for 4096 paths of every step: 32 GB of
	# address space for a lookback of 1e6 steps, refused as "out of
	# memory".  Now it holds room for the paths a call makes (16 here).
	# No cap under AddressSanitizer, whose shadow memory no ulimit -v
	# leaves room for.
	under_san && skip "ulimit -v and the sanitizers' shadow memory"
	run --separate-stderr bash -c 'ulimit -v 1000000; mcprice -n 32 \
	    --type call --style lookback --spot 100 --strike 100 --maturity 1 \
	    --rate 0.05 --vol 0.2 --steps 1e6'
	assert_success
	[ "$(csv_get paths <<<"$output")" = 32 ]
}
