#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-3.0-or-later
# Honest error bars (issue 10): mcprice's 95% intervals hold the truth
# about 95% of the time, for every style under every estimator, and the
# seven ways they failed to, each reproduced exactly.
#
# The truths are testdata/refs/*.csv, computed by bench/ql_refs.cpp
# (`make refs`) with QuantLib's analytic, finite-difference and tree
# engines and a quadrature of our own, never by mctools.  Each coverage
# test prices one contract at 200 fixed seeds (1..200) and requires that
# 176..198 of the intervals hold the truth: coverage_helper.bash says why
# that band fails a correct estimator with probability below 1e-3.  Larger
# runs are in tests/slow/coverage.bats (make check-slow).
#
# Tests that fail before the fixes of issue 10 phase B skip with
# "issue 10 phase B: ..."; COVER_ALL=1 runs them anyway, and COVER_LOG=FILE
# collects every coverage line (the before and after tables).

load test_helper
load coverage_helper

# ---- coverage by style and estimator, at small n

@test "coverage: european call, plain" {
	cover vanilla eu_call_atm -n 1000
}

@test "coverage: european call, antithetic" {
	cover vanilla eu_call_atm -n 1000 --antithetic
}

@test "coverage: european call, qmc sobol" {
	cover vanilla eu_call_atm -n 16384 --qmc sobol
}

@test "coverage: digital call, plain" {
	cover vanilla dig_call_k105 -n 1000
}

@test "coverage: digital call, antithetic" {
	cover vanilla dig_call_k105 -n 1000 --antithetic
}

@test "coverage: digital call, qmc sobol" {
	cover vanilla dig_call_k105 -n 16384 --qmc sobol
}

@test "coverage: arithmetic asian with its control variate, plain" {
	cover exotic asian_arith_call -n 1000
}

@test "coverage: arithmetic asian with its control variate, antithetic" {
	cover exotic asian_arith_call -n 1000 --antithetic
}

@test "coverage: arithmetic asian with its control variate, qmc sobol" {
	cover exotic asian_arith_call -n 16384 --qmc sobol
}

# 50 steps, not the daily grid mcprice takes by default for a knock-out's
# rebate: the rebate is discounted from the hit on any grid (to (r dt)^3 /
# 60 of it), and the grid is five times cheaper.
@test "coverage: up-out barrier with a rebate at the hit, plain" {
	cover exotic barrier_uo_call_reb steps=50 -- -n 1000
}

@test "coverage: up-out barrier with a rebate at the hit, antithetic" {
	cover exotic barrier_uo_call_reb steps=50 -- -n 1000 --antithetic
}

@test "coverage: up-out barrier with a rebate at the hit, qmc sobol" {
	cover exotic barrier_uo_call_reb steps=50 -- -n 16384 --qmc sobol
}

@test "coverage: up-in barrier with a rebate at expiry, plain" {
	cover exotic barrier_ui_put_reb -n 1000
}

@test "coverage: lookback, plain" {
	cover exotic lookback_fixed_call -n 1000
}

@test "coverage: lookback, antithetic" {
	cover exotic lookback_fixed_call -n 1000 --antithetic
}

@test "coverage: lookback, qmc sobol" {
	cover exotic lookback_float_put -n 16384 --qmc sobol
}

# An american contract is priced as Richardson's extrapolation of its
# Bermudans on 50 and 25 dates: against the continuous-exercise value
# (the reference's american column, am_truth), not the bermudan one.
@test "coverage: american put (50 dates) against the continuous value, plain" {
	cover american ls_put_36_0.2_1 $(am_truth ls_put_36_0.2_1) -- -n 1000
}

@test "coverage: american put (50 dates) against the continuous value, antithetic" {
	cover american ls_put_36_0.2_1 $(am_truth ls_put_36_0.2_1) -- -n 1000 \
	    --antithetic
}

@test "coverage: american put (50 dates) against the continuous value, qmc sobol" {
	cover american ls_put_36_0.2_1 $(am_truth ls_put_36_0.2_1) -- -n 16384 \
	    --qmc sobol
}

@test "coverage: bermudan put (12 dates), plain" {
	cover american bm_put_36_12 -n 1000
}

@test "coverage: bermudan put (12 dates), antithetic" {
	cover american bm_put_36_12 -n 1000 --antithetic
}

@test "coverage: bermudan put (12 dates), qmc sobol" {
	cover american bm_put_36_12 -n 16384 --qmc sobol
}

# --dual: [bracket_lo, bracket_hi] holds the bermudan value at least 95%
# of the time (each end misses at most 2.5%; the upper end, biased up by
# the inner paths' noise and the rule's gap, less), so the band's top is
# 200.  Few outer and inner paths: a wider bracket, never a false one.
@test "coverage: bracket of a bermudan put (50 dates), --dual" {
	COVER_HI=200 cover_bracket american ls_put_36_0.2_1 style=bermudan -- \
	    -n 1000 --dual 100 --dual-inner 16
}

@test "coverage: bracket of a bermudan call with a dividend (50 dates), --dual" {
	COVER_HI=200 cover_bracket american am_call_div style=bermudan -- \
	    -n 1000 --dual 100 --dual-inner 16
}

@test "coverage: --tolerance on a european call" {
	cover vanilla eu_call_atm -n 4096 --tolerance 0.2
}

@test "coverage: --tolerance on a digital" {
	cover vanilla dig_call_k105 -n 4096 --tolerance 0.02
}

@test "coverage: call at vol 2 (heavy tail), plain" {
	cover vanilla eu_call_vol2 -n 1000
}

@test "coverage: call at vol 3 (heavy tail), plain" {
	cover vanilla eu_call_vol3 -n 1000
}

@test "coverage: call at vol 5 (heavy tail), plain" {
	cover vanilla eu_call_vol5 -n 1000
}

@test "coverage: call at vol 3 (heavy tail), antithetic" {
	cover vanilla eu_call_vol3 -n 1000 --antithetic
}

@test "coverage: put at vol 5, plain" {
	cover vanilla eu_put_vol5 -n 1000
}

# Far out of the money: importance sampled (a drift toward the strike),
# so that the paths see the event and the interval is a real one.
@test "coverage: call at strike 400 (P = 1e-11), plain" {
	cover vanilla eu_call_k400 -n 1000
}

@test "coverage: digital at strike 400, antithetic" {
	cover vanilla dig_call_k400 -n 1000 --antithetic
}

@test "coverage: put at strike 25, plain" {
	cover vanilla eu_put_k25 -n 1000
}

@test "coverage: --tolerance on a digital that rarely pays" {
	cover vanilla dig_call_k211 -n 4096 --tolerance 0.05
}

# ---- Greeks: the reported _se against the spread across seeds

@test "greeks: european, pathwise, plain: _se match the spread" {
	greeks_spread vanilla eu_call_atm -n 1000
}

@test "greeks: european, pathwise, antithetic: _se match the spread" {
	greeks_spread vanilla eu_call_atm -n 1000 --antithetic
}

@test "greeks: digital, likelihood ratio: _se match the spread" {
	greeks_spread vanilla dig_call_k105 -n 1000
}

@test "greeks: barrier, bumps with common numbers: _se match the spread" {
	greeks_spread exotic barrier_ui_put_reb -n 1000
}

@test "greeks: american, bumps with common numbers: _se match the spread" {
	greeks_spread american bm_put_40_4 -n 1000
}

@test "greeks: european, qmc sobol: _se match the spread" {
	greeks_spread vanilla eu_call_atm -n 16384 --qmc sobol
}

# ---- the seven cases of issue 10, each as it was reported

# check_truth OUT ROW TRUTH: row ROW of the priced CSV OUT has a positive,
# finite stderr and an interval [ci_lo, ci_hi] that holds TRUTH.
check_truth() {
	local lo hi se
	lo=$(csv_get ci_lo "$2" <<<"$1")
	hi=$(csv_get ci_hi "$2" <<<"$1")
	se=$(csv_get stderr "$2" <<<"$1")
	awk -v lo="$lo" -v hi="$hi" -v se="$se" -v t="$3" 'BEGIN {
		if (!(se + 0 > 0) || se == "inf" || se == "nan" ||
		    !(lo + 0 <= t + 0 && t + 0 <= hi + 0)) {
			printf "interval [%s, %s] (stderr %s) misses %s\n",
			    lo, hi, se, t
			exit 1
		}
	}'
}

# near_truth OUT TRUTH: the price in the priced CSV OUT is within 4 of its
# standard errors of TRUTH, or within 1e-9 of it relatively (a fix that
# prices a contract exactly as its european may leave a stderr near 0).
near_truth() {
	local p se
	p=$(csv_get price <<<"$1")
	se=$(csv_get stderr <<<"$1")
	awk -v p="$p" -v se="$se" -v t="$2" 'BEGIN {
		d = p - t; if (d < 0) d = -d
		a = t < 0 ? -t : t
		if (!(d < 4 * se || d <= 1e-9 * a)) {
			printf "|%s - %s| = %g is not below 4 * %s\n", p, t, d, se
			exit 1
		}
	}'
}

@test "issue 10 (1a): an american call without dividends is its european" {
	# The reported run: 12.2567 +/- 0.0043 against 12.3360 (z = -18).
	out=$(mcprice -n 1000000 -s 2 --type call --style american --spot 100 \
	    --strike 100 --maturity 1 --rate 0.05 --vol 0.25)
	near_truth "$out" "$(ref_get american am_call_nodiv european)"
}

@test "issue 10 (1b): an american put at a negative rate is its european" {
	out=$(mcprice -n 1000000 -s 2 --type put --style american --spot 100 \
	    --strike 100 --maturity 1 --rate -0.02 --vol 0.2)
	near_truth "$out" "$(ref_get american am_put_negrate european)"
}

@test "issue 10 (1c): a call with a small dividend, where exercise hardly pays" {
	# Siblings of (1a) where the trivial rules do not apply: the fitted
	# rule exercised by mistake near the strike (11.0585 +/- 0.0054
	# against 11.1238, z = -12); the european of the rest bounds the
	# continuation from below and forbids that.
	out=$(mcprice -n 1000000 -s 2 <<<"$(ref_row american am_call_smalldiv)")
	near_truth "$out" "$(csv_get truth <<<"$out")"
}

@test "issue 10 (1d): where early exercise never pays, the price is the european's" {
	# Never exercised, the payoff is the european's and the european
	# control takes all of its variance: the closed form, for every seed
	# and both styles (before the fix: within a few se, never equal).
	for id in am_call_nodiv bm_call_nodiv_12 am_put_negrate; do
		book=$(ref_row american $id)
		for s in 1 2 3 4; do
			out=$(mcprice -n 2000 -s $s <<<"$book")
			awk -v p="$(csv_get price <<<"$out")" \
			    -v t="$(csv_get european <<<"$out")" 'BEGIN {
				d = p - t; if (d < 0) d = -d
				if (!(d <= 1e-9 * t)) {
					printf "%s is not %s\n", p, t; exit 1 }
			}' || { echo "$id, seed $s"; return 1; }
		done
	done
}

@test "issue 10 (2): the american interval brackets the continuous-exercise value" {
	# Not yet: the extrapolation (2 B_50 - B_25) is low by the rules'
	# bias (2 b_50 - b_25), about 0.006 here, 2.4 stderr at 1e6 paths
	# (4.4801 +/- 0.0027 against 4.4867); an upper bound (duality) is
	# what would bracket it.
	[ -n "${COVER_ALL:-}" ] || skip "issue 10 phase B: (2) the american extrapolation is low by the rules' bias at 1e6"
	# The reported put: 4.4752 +/- 0.0017 against about 4.486; and the
	# far corner of the Longstaff-Schwartz table.
	book=$(ref_row american ls_put_36_0.2_1)
	book+=$'\n'$(ref_row american ls_put_44_0.4_2 | tail -n 1)
	out=$(mcprice -n 1000000 -s 1 <<<"$book")
	for r in 1 2; do
		check_truth "$out" $r "$(csv_get american $r <<<"$out")"
	done
}

@test "issue 10 (2b): the rules of many slices give the same bytes over shards and threads" {
	# Each slice of 262144 priced paths follows its own rule, fitted on
	# its own calibration paths, at most 16 held at a time: 4.3e6 paths
	# make 17 slices, so two runs of rules.  4 dates on 4 steps keep it
	# cheap; the american row has its second rule (on 2 dates) too.
	book=$(ref_row american bm_put_40_4 steps=4)
	book+=$'\n'$(ref_row american ls_put_36_0.2_1 fixings=4 steps=4 |
	    tail -n 1)
	n=4300000
	run mcprice -n $n -s 5 <<<"$book"
	assert_success
	one=$output
	run mcprice -n $n -s 5 -j 2 <<<"$book"
	assert_output "$one"
	for i in 0 1 2; do
		mcprice -n $n -s 5 --shard $i/3 --partial <<<"$book" \
		    >"$BATS_TEST_TMPDIR/p$i"
	done
	run mcprice --merge < <(cat "$BATS_TEST_TMPDIR/p0"; tail -n +2 \
	    "$BATS_TEST_TMPDIR/p1"; tail -n +2 "$BATS_TEST_TMPDIR/p2")
	assert_output "$one"
}

@test "issue 10 (3a): a qmc digital's interval does not collapse to a point" {
	# Once 5 replicates of 4096: seed 2 printed stderr 0 and missed the
	# truth.  Now 32 replicates of 640.
	run mcprice -n 20480 -s 2 --qmc sobol <<<"$(ref_row vanilla dig_call_k105)"
	assert_success
	check_truth "$output" 1 "$(ref_get vanilla dig_call_k105 truth)"
}

@test "issue 10 (3b): qmc Greeks never report a zero _se" {
	# rho of a call is a digital in disguise: 42.01 +/- 0 for most seeds.
	for s in 1 2 3 4 5 6 7 8; do
		out=$(mcprice -n 20480 -s $s --qmc sobol --greeks --type call \
		    --spot 100 --strike 100 --maturity 1 --rate 0.05 --vol 0.2)
		for g in stderr delta_se gamma_se vega_se rho_se theta_se; do
			se=$(csv_get $g <<<"$out")
			awk -v se="$se" 'BEGIN { exit !(se + 0 > 0) }' ||
				{ echo "seed $s: $g = $se"; return 1; }
		done
	done
}

@test "issue 10 (3c): a qmc run of 4096 paths has a standard error" {
	run mcprice -n 4096 -s 1 --qmc sobol <<<"$(ref_row vanilla eu_call_atm)"
	assert_success
	check_truth "$output" 1 "$(ref_get vanilla eu_call_atm truth)"
}

@test "issue 10 (4): --tolerance does not stop before the event is seen" {
	# Seeds 2 and 6 stopped after 4096 paths at 0 +/- 0; the truth is 1.6128.
	t=$(ref_get vanilla dig_call_k211 truth)
	for s in 1 2 3 4 5 6; do
		out=$(mcprice -n 4096 --tolerance 0.05 -s $s \
		    <<<"$(ref_row vanilla dig_call_k211)")
		check_truth "$out" 1 "$t" || { echo "seed $s"; return 1; }
	done
}

@test "issue 10 (5): a call at vol 5 is within 4 se of Black-Scholes" {
	# 37.7 +/- 10.4 against 98.79: the sample never sees the tail.
	out=$(mcprice -n 100000 -s 1 <<<"$(ref_row vanilla eu_call_vol5)")
	near_truth "$out" "$(csv_get truth <<<"$out")"
}

@test "issue 10 (6): no hits is not an interval of width zero" {
	# Call at 400, digital at 400, put at 25: 0 +/- 0 and [0, 0] today.
	book=$(ref_row vanilla eu_call_k400)
	for id in dig_call_k400 eu_put_k25; do
		book+=$'\n'$(ref_row vanilla $id | tail -n 1)
	done
	run mcprice -n 100000 -s 1 <<<"$book"
	assert_success
	awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
		{ lo = $c["ci_lo"]; hi = $c["ci_hi"]; t = $c["truth"] }
		!(lo != "" && hi != "" && lo + 0 <= t + 0 && t + 0 <= hi + 0 &&
		    hi + 0 > lo + 0) {
			printf "%s: [%s, %s] misses %s\n", $c["case"], lo, hi, t
			bad = 1 }
		END { exit bad }' <<<"$output"
}

@test "issue 10 (6b): no hits where nothing is importance sampled" {
	# Merton far out of the money: a one-sided bound from the count for
	# a bounded payoff (about 3 / n of the payout, or of K for a put),
	# and for a call no interval at all; a warning either way.
	m="--model merton --spot 100 --maturity 1 --rate 0.05 --vol 0.2
	    --lambda 0.1 --jump_mean 0 --jump_vol 0.1"
	run --separate-stderr mcprice -n 100000 -s 1 --type call \
	    --style digital --strike 400 $m
	assert_success
	assert_equal "$stderr" "mcprice: options: row 1: all 100000 paths paid 0: the interval is the one-sided bound from that count (the rule of three) and the standard error is unknown"
	assert_equal "$(csv_get stderr <<<"$output")" ""
	assert_equal "$(csv_get ci_lo <<<"$output")" 0
	awk -v hi="$(csv_get ci_hi <<<"$output")" 'BEGIN {
		b = exp(-0.05) * (1 - exp(log(0.05) / 100000))
		exit !(hi > 0.999999 * b && hi < 1.000001 * b) }'
	run --separate-stderr mcprice -n 100000 -s 1 --type put --strike 25 $m
	assert_success
	awk -v hi="$(csv_get ci_hi <<<"$output")" 'BEGIN {
		b = 25 * exp(-0.05) * (1 - exp(log(0.05) / 100000))
		exit !(hi > 0.999999 * b && hi < 1.000001 * b) }'
	run --separate-stderr mcprice -n 100000 -s 1 --type call --strike 400 $m
	assert_success
	assert_equal "$stderr" "mcprice: options: row 1: all 100000 paths paid 0 and the payoff has no bound on the other side: no interval and no standard error; more paths are needed"
	for col in stderr ci_lo ci_hi; do
		assert_equal "$(csv_get $col <<<"$output")" ""
	done
	assert_equal "$(csv_get price <<<"$output")" 0
}

@test "issue 10 (7): qmc sobol beyond 1024 dimensions" {
	# Heston with 600 steps needs 1200 dimensions, merton with 400 1200.
	for id in heston_call_mid merton_call; do
		steps=600
		[ $id = merton_call ] && steps=400
		run mcprice -n 16384 -s 1 --qmc sobol \
		    <<<"$(ref_row models $id steps=$steps | heston_names)"
		assert_success
		near_truth "$output" "$(csv_get truth <<<"$output")"
	done
}
