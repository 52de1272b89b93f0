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
