#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-3.0-or-later
# The speed work must not change numbers: mcpi's SIMD block kernel against
# its one-dart-at-a-time path (--trace), and --dump's text (Ryu) read back
# by --points (Clinger's fast path and strtod) against the darts.

load test_helper

# Prints the last row of a command's output, which must succeed and end in
# an estimate row of pi: two failed runs print nothing, and nothing must
# not compare equal to nothing.
last_row() {
	local out
	out=$("$@") || { echo "failed ($?): $*" >&2; return 1; }
	out=${out##*$'\n'}
	[[ "$out" == pi,[1-9]* ]] || { echo "no pi row from: $*" >&2; return 1; }
	printf '%s\n' "$out"
}

@test "speed: mcpi's block kernel counts the same hits as the one-dart path" {
	local one slow
	for seed in 1 42 20240611 18446744073709551615; do
		for n in 1 4095 4097 100003; do
			one=$(last_row mcpi -n "$n" -s "$seed")
			slow=$(last_row mcpi -n "$n" -s "$seed" --trace "$n")
			[ "$one" = "$slow" ] || {
				echo "seed $seed n $n: $one != $slow"
				return 1
			}
		done
	done
}

@test "speed: threads and shards of the block kernel agree with the one-dart path" {
	local slow merged
	slow=$(last_row mcpi -n 300000 -s 9 --trace 300000)
	[ "$(last_row mcpi -n 300000 -s 9 -j 2)" = "$slow" ]
	[ "$(last_row mcpi -n 300000 -s 9 -j 3)" = "$slow" ]
	mcpi -n 300000 -s 9 --shard 0/2 --partial >"$BATS_TEST_TMPDIR/p"
	mcpi -n 300000 -s 9 --shard 1/2 --partial | tail -n 1 >>"$BATS_TEST_TMPDIR/p"
	merged=$(last_row mcstat --merge "$BATS_TEST_TMPDIR/p")
	[ "$merged" = "$slow" ]
}

@test "speed: --dump's darts, read back by --points, give the same estimate" {
	local want got
	mcpi -n 20000 -s 5 --dump > "$BATS_TEST_TMPDIR/darts.csv"
	[ "$(wc -l < "$BATS_TEST_TMPDIR/darts.csv")" -eq 20001 ]
	want=$(last_row mcpi -n 20000 -s 5)
	got=$(last_row mcpi --points --cols x,y "$BATS_TEST_TMPDIR/darts.csv")
	[ "$got" = "$want" ]
}

@test "speed: the comparisons above fail when a run fails" {
	# A run that fails gives no row, rather than an empty one that would
	# equal another failure's.
	run last_row mcpi -n 0
	assert_failure
	run last_row mcpi --points --cols x,y "$BATS_TEST_TMPDIR/none.csv"
	assert_failure
}

@test "speed: MCTOOLS_ISA caps the instruction set without changing a byte" {
	AM='--type put --style american --spot 36 --strike 40 --maturity 1 --rate 0.06 --vol 0.2 --fixings 10'
	HE='--type put --model heston --spot 100 --strike 100 --maturity 0.5 --rate 0.05 --v0 0.04 --kappa 1.5 --vbar 0.04 --xi 1 --rho_sv -0.7'
	runs=(
	    "mcpi -n 100003 -s 3"
	    "mcpi -n 100003 -s 3 -j 2"
	    "mcprice -n 20001 -s 3 --type call --spot 100 --strike 100 --maturity 1 --rate 0.05 --vol 0.2 --greeks"
	    "mcprice -n 8000 -s 3 $AM"
	    "mcprice -n 20001 -s 3 $HE"
	    "mcprice -n 20001 -s 3 --antithetic -j 2 $HE --steps 7"
	    "mcprice -n 5001 -s 3 --type call --style asian --spot 100 --strike 100 --maturity 1 --rate 0.05 --vol 0.2 --fixings 12"
	    "mcprice -n 20001 -s 3 --style bermudan --fixings 5 $HE"
	    "mcgen -n 50 -s 3 heston v0=0.09 kappa=0.5 vbar=0.04 xi=1 rho_sv=-0.9 steps=4"
	    "mcgen -n 1000 -s 3 -d 2 uniform"
	)
	for cmd in "${runs[@]}"; do
		want=$($cmd | md5sum)
		for isa in sse2 avx2 avx512; do
			got=$(MCTOOLS_ISA=$isa $cmd | md5sum)
			[ "$got" = "$want" ] || {
				echo "MCTOOLS_ISA=$isa $cmd: output differs"
				return 1
			}
		done
	done
}

@test "speed: a bad MCTOOLS_ISA is a usage error before any output" {
	for p in "mcpi -n 10" "mcgen -n 2 uniform" "mcprice --type call --spot 100 --strike 100 --maturity 1 --rate 0 --vol 0.2"; do
		MCTOOLS_ISA=avx3 run --separate-stderr $p
		assert_failure 64
		assert_output ""
		[ "$stderr" = "${p%% *}: MCTOOLS_ISA: expected sse2, avx2 or avx512, got \"avx3\"" ]
	done
}
