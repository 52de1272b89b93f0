#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Runs a sample of every program under valgrind (memcheck): each case must
# finish with no error and no leak reported.  Usage: tests/valgrind.sh BIN.
# Cases whose program is not built are skipped with a note.  Each case is
# one line: the program's arguments, then optionally "< FILE" for stdin.
set -u
bin=${1:?usage: tests/valgrind.sh BIN}
top=$(cd "$(dirname "$0")/.." && pwd)
td=$top/testdata
tmp=$(mktemp -d) || exit 70
trap 'rm -rf "$tmp"' EXIT INT TERM

vg() {
	valgrind -q --error-exitcode=99 --leak-check=full \
	    --errors-for-leak-kinds=definite,indirect,possible \
	    --show-leak-kinds=definite,indirect,possible "$@"
}

fail=0 runs=0
jobs=$(nproc 2>/dev/null || echo 1)
# case PROG STDIN ARGS...: runs PROG under valgrind with STDIN (a file or
# "-" for none), as many at once as there are cores (one after the
# other, the 24 runs took 24 s on two); any exit status but 99 is the
# program's own business.  Each run's messages and status go to files
# of its own, which report reads once every run has ended.
case_() {
	prog=$1 in=$2
	shift 2
	if [ ! -x "$bin/$prog" ]; then
		echo "valgrind: skipping $prog (not built)"
		return
	fi
	[ "$in" = - ] && in=/dev/null
	runs=$((runs + 1))
	echo "$prog $*" >"$tmp/$runs.what"
	(
		vg "$bin/$prog" "$@" <"$in" >"$tmp/$runs.out" 2>"$tmp/$runs.err"
		echo $? >"$tmp/$runs.st"
	) &
	[ $((runs % jobs)) -ne 0 ] || wait
}

# report: every run's memcheck errors, and fail set when there were any.
report() {
	wait
	i=1
	while [ $i -le $runs ]; do
		if [ "$(cat "$tmp/$i.st")" = 99 ]; then
			echo "valgrind: $(cat "$tmp/$i.what"): memcheck errors:" >&2
			cat "$tmp/$i.err" >&2
			fail=1
		fi
		i=$((i + 1))
	done
}

printf 'x1,x2\n0.1,0.2\n0.9,0.9\n0.5,"0.5"\n' >"$tmp/pts.csv"
printf 'a,b\n1,2\n3\n' >"$tmp/ragged.csv"
printf 'a,b\n1,"2\n' >"$tmp/unterminated.csv"

case_ mcpi - -n 20000 -s 7
case_ mcpi - -n 20000 -j 3 --partial
case_ mcpi - -n 5000 --trace 1000 --rng mt19937
case_ mcpi "$tmp/pts.csv" --points
case_ mcpi "$tmp/ragged.csv" --points --cols a,b
case_ mcpi - -n 0
case_ mcstat "$td/pnl.csv" -c pnl --by desk
case_ mcstat "$td/pnl.csv" -c pnl --quantiles 0.1,0.5
case_ mcstat "$td/pnl.csv" -c pnl --hist 5
case_ mcstat "$td/pnl.csv" -c pnl --by desk,book --partial
mcstat_partial=$tmp/partial.csv
[ -x "$bin/mcstat" ] && "$bin/mcstat" -c pnl --by desk --partial \
    <"$td/pnl.csv" >"$mcstat_partial"
[ -s "$mcstat_partial" ] && case_ mcstat "$mcstat_partial" --merge
case_ mcstat "$tmp/unterminated.csv" -c a
case_ mcstat - -c nosuch
case_ mcgen - -n 1000 -d 2 uniform
case_ mcgen - -n 200 normal mean=1 sd=2
case_ mcgen - -n 3 gbm spot=100 rate=0.05 vol=0.2 maturity=1 steps=12
case_ mcgen - -n 3 heston spot=100 rate=0.05 v0=0.04 kappa=1.5 theta=0.04 xi=0.3 rho=-0.7 maturity=1 steps=12
case_ mcgen - -n 256 -d 3 --qmc sobol uniform
case_ mcgen - -n 10 normal sd=-1
case_ mcprice - -n 2000 --type call --spot 100 --strike 100 --maturity 1 --rate 0.05 --vol 0.2 --greeks
[ -f "$td/book.csv" ] && case_ mcprice "$td/book.csv" -n 2000
case_ plotxy "$tmp/pts.csv" -x x1 -y x2 --script
case_ plotxy "$tmp/pts.csv" -x x1 -y x2 -o "$tmp/p.svg"
case_ plotxy "$tmp/pts.csv" -x x1 -y nosuch --script

report
echo "valgrind: $runs runs, $([ $fail = 0 ] && echo "no reports" || echo FAILED)"
exit $fail
