#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-3.0-or-later
# The command-line layer every program shares (mc_cli): -o, -t, --level,
# repeated options, '-' for '_', --help, --version, usage errors.

load test_helper

setup() {
	cd "$BATS_TEST_TMPDIR"
	printf 'v\n1\n2\n3\n' >v.csv
}

@test "cli: --level refuses levels whose quantile is not finite" {
	local q='expected a level whose quantile is finite (at most 0.9999999999999998), got'
	fails_table <<EOF
64|mcpi: --level: $q "0.9999999999999999"|mcpi -n 1000 --level 0.9999999999999999
64|mcstat: --level: $q "0.9999999999999999"|mcstat --level 0.9999999999999999 v.csv
64|mcprice: --level: $q "0.9999999999999999"|mcprice --level 0.9999999999999999 --type call --spot 100 --strike 100 --maturity 1 --rate 0.05 --vol 0.2
64|mcstat: --level: expected a number > 0 and < 1, got "1"|mcstat --level 1 v.csv
EOF
	# Ordinary levels pass, and the largest that works gives finite
	# bounds.
	for l in 1e-9 0.5 0.9 0.95 0.99 0.999999; do
		mcstat --level "$l" v.csv >/dev/null
		mcpi -n 100 --level "$l" >/dev/null
	done
	run --separate-stderr mcstat --level 0.9999999999999998 v.csv
	assert_success
	assert_line --index 1 --regexp '^v,3,2,0\.5773502691896257,-[0-9.e+]+,[0-9.e+]+,1$'
}
