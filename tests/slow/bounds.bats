#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-3.0-or-later
# Bounded resources at full size (make check-slow): a header of a million
# columns, mcstat --by over 2e5 groups of 8 columns, and a basket at the
# most assets a row may hold.  The timeouts
# only stop a hang (these take seconds; the quadratic header took an
# hour); the memory limits are the point.

# test_helper finds the programs from tests/; these are one level down.
MCTOOLS_BIN="${MCTOOLS_BIN:-$(cd "$BATS_TEST_DIRNAME/../.." && pwd)/bin}"
load ../test_helper

setup() {
	cd "$BATS_TEST_TMPDIR"
}

# Runs "$@" with at most KB kilobytes of address space, unless the
# programs are built with AddressSanitizer (which reserves terabytes).
limited() {
	local kb=$1
	shift
	if ldd "$(command -v mcstat)" | grep -q asan; then
		"$@"
	else
		(ulimit -v "$kb" && "$@")
	fi
}

@test "slow bounds: a header of 1e6 columns, every reader" {
	awk 'BEGIN { n = 1000000
		for (i = 0; i < n; i++) printf "%sc%d", i ? "," : "", i; print ""
		for (i = 0; i < n; i++) printf "%s%d", i ? "," : "", i % 7; print "" }' \
	    >wide.csv
	run --separate-stderr limited 1000000 timeout 600 mcstat -c c999999,c3 wide.csv
	assert_success
	assert_line --index 1 "c999999,1,0,nan,nan,nan,nan"
	assert_line --index 2 "c3,1,3,nan,nan,nan,nan"
	run --separate-stderr limited 1000000 timeout 600 plotxy -x c0 -y c999999 --script wide.csv
	assert_success
	# Every column: a million estimate rows.
	run --separate-stderr limited 2000000 timeout 600 sh -c 'mcstat wide.csv | wc -l'
	assert_success
	assert_output 1000001
	# A name given twice at the two ends.
	sed -i '1s/^c0,/c999999,/' wide.csv
	run --separate-stderr limited 1000000 timeout 600 mcstat -c c5 wide.csv
	assert_equal "$status" 65
	assert_equal "$stderr" "mcstat: wide.csv:1: column \"c999999\" appears twice in the header"
}

@test "slow bounds: a basket at the limit of 4096 assets prices in bounded memory" {
	awk 'BEGIN { n = 4096
		print "type,style,spot,strike,maturity,rate,spots,vols,correlation"
		printf "call,basket,100,100,1,0.05,"
		for (i = 0; i < n; i++) printf "%s100", i ? ";" : ""
		printf ","
		for (i = 0; i < n; i++) printf "%s0.2", i ? ";" : ""
		print ",0.3" }' >b.csv
	# The factor and its copy are 2 x 128 MiB.
	run --separate-stderr limited 1000000 timeout 600 mcprice -n 100 b.csv
	assert_success
	assert_equal "$stderr" ""
}
