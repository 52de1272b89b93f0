#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-3.0-or-later
# The speed work must not change numbers: mcpi's SIMD block kernel against
# its one-dart-at-a-time path (--trace), and --dump's text (Ryu) read back
# by --points (Clinger's fast path and strtod) against the darts.

load test_helper

@test "speed: mcpi's block kernel counts the same hits as the one-dart path" {
	for seed in 1 42 20240611 18446744073709551615; do
		for n in 1 4095 4097 100003; do
			one=$(mcpi -n "$n" -s "$seed" | tail -n 1)
			slow=$(mcpi -n "$n" -s "$seed" --trace "$n" | tail -n 1)
			[ "$one" = "$slow" ] || {
				echo "seed $seed n $n: $one != $slow"
				return 1
			}
		done
	done
}

@test "speed: threads and shards of the block kernel agree with the one-dart path" {
	slow=$(mcpi -n 300000 -s 9 --trace 300000 | tail -n 1)
	[ "$(mcpi -n 300000 -s 9 -j 2 | tail -n 1)" = "$slow" ]
	[ "$(mcpi -n 300000 -s 9 -j 3 | tail -n 1)" = "$slow" ]
	merged=$( { mcpi -n 300000 -s 9 --shard 0/2 --partial
	    mcpi -n 300000 -s 9 --shard 1/2 --partial | tail -n 1; } |
	    mcstat --merge | tail -n 1)
	[ "$merged" = "$slow" ]
}

@test "speed: --dump's darts, read back by --points, give the same estimate" {
	mcpi -n 20000 -s 5 --dump > "$BATS_TEST_TMPDIR/darts.csv"
	want=$(mcpi -n 20000 -s 5 | tail -n 1)
	got=$(mcpi --points --cols x,y "$BATS_TEST_TMPDIR/darts.csv" | tail -n 1)
	[ "$got" = "$want" ]
}

@test "speed: MCTOOLS_ISA caps the instruction set without changing a byte" {
	AM='--type put --style american --spot 36 --strike 40 --maturity 1 --rate 0.06 --vol 0.2 --fixings 10'
	HE='--type put --model heston --spot 100 --strike 100 --maturity 0.5 --rate 0.05 --v0 0.04 --kappa 1.5 --theta 0.04 --xi 1 --rho -0.7'
	runs=(
	    "mcpi -n 100003 -s 3"
	    "mcpi -n 100003 -s 3 -j 2"
	    "mcprice -n 20001 -s 3 --type call --spot 100 --strike 100 --maturity 1 --rate 0.05 --vol 0.2 --greeks"
	    "mcprice -n 8000 -s 3 $AM"
	    "mcprice -n 20001 -s 3 $HE"
	    "mcprice -n 20001 -s 3 --antithetic -j 2 $HE --steps 7"
	    "mcgen -n 50 -s 3 heston v0=0.09 kappa=0.5 theta=0.04 xi=1 rho=-0.9 steps=4"
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
