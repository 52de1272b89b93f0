#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-3.0-or-later
# The command-line layer every program shares (mc_cli): -o, -t, --level,
# repeated options, '-' for '_', --help, --version, usage errors.

load test_helper

PROGS="mcgen mcpi mcprice mcstat plotxy"

setup() {
	cd "$BATS_TEST_TMPDIR"
	printf 'v\n1\n2\n3\n' >v.csv
	printf 'v\n1\nx\n' >bad.csv
	printf 'x1,x2\n0.5,0.5\n0.1,0.2\n' >darts.csv
	printf 'x1,x2\n0.5,0.5\n0.1,zz\n' >baddarts.csv
	BOOK=type,spot,strike,maturity,rate,vol
	printf '%s\ncall,100,100,1,0.05,0.2\n' "$BOOK" >book.csv
	printf '%s\ncall,100,100,1,0.05,0.2\nput,100,100,1,0.05,-1\n' \
	    "$BOOK" >badbook.csv
}

# A quick run of program $1 that succeeds, and one that fails after
# its output is open (bad data, or a limit met while running).
good() {
	case $1 in
	mcgen) echo 'mcgen -n 5 -d 2 uniform' ;;
	mcpi) echo 'mcpi -n 1000' ;;
	mcprice) echo 'mcprice -n 1000 book.csv' ;;
	mcstat) echo 'mcstat v.csv' ;;
	plotxy) echo 'plotxy -x x1 -y x2 --script darts.csv' ;;
	esac
}
bad_run() {
	case $1 in
	mcgen) echo 'mcgen -n 5 --qmc sobol -d 2000 uniform' ;;
	mcpi) echo 'mcpi --points baddarts.csv' ;;
	mcprice) echo 'mcprice -n 1000 badbook.csv' ;;
	mcstat) echo 'mcstat bad.csv' ;;
	plotxy) echo 'plotxy -x x1 -y x2 --script baddarts.csv' ;;
	esac
}

@test "cli: -o FILE holds what stdout would, and a failed run keeps the old file" {
	local p cmd
	for p in $PROGS; do
		cmd=$(good "$p")
		mkdir "$p" && cd "$p"
		cp ../*.csv .
		$cmd >want
		# shellcheck disable=SC2086
		${cmd%% *} -o out ${cmd#* } >stdout
		[ ! -s stdout ] || fail "$p -o: wrote to stdout"
		cmp want out || fail "$p -o: not the bytes of stdout"
		echo old >out
		cmd=$(bad_run "$p")
		# shellcheck disable=SC2086
		run --separate-stderr ${cmd%% *} -o out ${cmd#* }
		[ "$status" -ne 0 ] || fail "$p: $cmd did not fail"
		assert_output ''
		[ "$(cat out)" = old ] || fail "$p -o: the old file was replaced"
		# No temporary file is left beside it.
		rm -f ./*.csv want stdout
		[ "$(ls -A)" = out ] || fail "$p -o: left $(ls -A)"
		cd ..
	done
}

@test "cli: -o on a FIFO, a device, a symlink or stdout keeps it" {
	local p cmd
	mkdir d && cd d
	cp ../*.csv .
	mkfifo fifo
	ln -s target link
	# A name for standard output, as /dev/stdout is (a private one, so
	# that a bug cannot replace the system's).
	ln -s /proc/self/fd/1 stdout
	mknod null c 1 3 2>/dev/null || skip "mknod is not permitted here"
	for p in $PROGS; do
		cmd=$(good "$p")
		$cmd >want
		cat fifo >got &
		# shellcheck disable=SC2086
		${cmd%% *} -o fifo ${cmd#* }
		wait $!
		cmp want got || fail "$p -o fifo: not the output"
		[ -p fifo ] || fail "$p -o fifo: the FIFO was replaced"
		# shellcheck disable=SC2086
		${cmd%% *} -o null ${cmd#* }
		[ -c null ] || fail "$p -o null: the device was replaced"
		# Through a link, the file it names is replaced, not the link.
		echo old >target
		# shellcheck disable=SC2086
		${cmd%% *} -o link ${cmd#* }
		[ -L link ] || fail "$p -o link: the symlink was replaced"
		cmp want target || fail "$p -o link: not written through"
		rm -f dangling new
		ln -s new dangling
		# shellcheck disable=SC2086
		${cmd%% *} -o dangling ${cmd#* }
		[ -L dangling ] && cmp want new || fail "$p -o dangling link"
		# shellcheck disable=SC2086
		${cmd%% *} -o - ${cmd#* } | cmp want - || fail "$p -o -"
		# -o naming standard output appends as stdout does (>>).
		echo first >log
		# shellcheck disable=SC2086
		${cmd%% *} -o stdout ${cmd#* } >>log
		cmp log <(echo first; cat want) || fail "$p -o stdout >> log"
	done
	# Nothing else appeared: no temporary file, no copy of a link.
	[ "$(ls -A | sort)" = "$(printf '%s\n' bad.csv baddarts.csv \
	    badbook.csv book.csv dangling darts.csv fifo got link log new null \
	    stdout target v.csv want | sort)" ]
}

@test "cli: -o into a directory that does not exist is status 73" {
	fails 73 "mcstat: nodir/out.csv: No such file or directory" \
	    mcstat -o nodir/out.csv v.csv
}

@test "cli: -t tab writes TSV and reads it back, in every program" {
	tsv() { tr ',' '\t'; }
	[ "$(mcgen -n 7 -s 3 -d 2 -t tab uniform)" = "$(mcgen -n 7 -s 3 -d 2 uniform | tsv)" ]
	[ "$(mcgen -n 3 -t tab gbm steps=2)" = "$(mcgen -n 3 gbm steps=2 | tsv)" ]
	[ "$(mcgen -n 50 -s 3 -t tab normal | mcstat -t tab -c x1)" = \
	    "$(mcgen -n 50 -s 3 normal | mcstat -c x1 | tsv)" ]
	[ "$(mcgen -n 50 -t tab -d 2 uniform | mcpi --points -t tab)" = \
	    "$(mcgen -n 50 -d 2 uniform | mcpi --points | tsv)" ]
	[ "$(mcpi -n 100 -t tab --dump)" = "$(mcpi -n 100 --dump | tsv)" ]
	[ "$(mcpi -n 1000 -t tab --partial | mcstat --merge -t tab)" = \
	    "$(mcpi -n 1000 -t tab)" ]
	[ "$(mcstat -t tab --hist 3 < <(tsv <v.csv))" = \
	    "$(mcstat --hist 3 v.csv | tsv)" ]
	[ "$(plotxy -t tab -x x1 -y x2 --script < <(tsv <darts.csv))" = \
	    "$(plotxy -x x1 -y x2 --script darts.csv)" ]
	# Fields that hold the separator are quoted; commas no longer are.
	run mcstat -t ';' --by g <<<$'g;v\na,b;1\n"c;d";2'
	assert_line --index 0 'g;name;n;mean;stderr;ci_lo;ci_hi;sd'
	assert_line --index 1 --regexp '^a,b;v;1;1;'
	assert_line --index 2 --regexp '^"c;d";v;1;2;'
}

@test "cli: mcprice -t reads and writes books, partial rows and merges" {
	tsv() { tr ',' '\t'; }
	[ "$(tsv <book.csv | mcprice -n 1000 -t tab)" = \
	    "$(mcprice -n 1000 book.csv | tsv)" ]
	[ "$(mcprice -n 1000 -t tab --type put --spot 100 --strike 90 --maturity 1 --rate 0.05 --vol 0.2 --greeks)" = \
	    "$(mcprice -n 1000 --type put --spot 100 --strike 90 --maturity 1 --rate 0.05 --vol 0.2 --greeks | tsv)" ]
	for i in 0 1 2; do
		tsv <book.csv | mcprice -n 1000 -t tab --greeks --shard $i/3 --partial
	done >parts.tsv
	[ "$(mcprice -t tab --merge parts.tsv)" = \
	    "$(mcprice -n 1000 --greeks book.csv | tsv)" ]
	# A basket's lists (split by ';') pass through a tab-separated book.
	printf 'type\tstyle\tstrike\tmaturity\trate\tspots\tvols\tcorrelation\ncall\tbasket\t100\t1\t0.05\t100;90\t0.2;0.3\t1;0.3;0.3;1\n' >basket.tsv
	run --separate-stderr mcprice -n 1000 -t tab basket.tsv
	assert_success
	assert_line --index 1 --regexp $'^call\tbasket\t100\t1\t0.05\t100;90\t0.2;0.3\t1;0.3;0.3;1\t[0-9.]+\t'
}

@test "cli: -t takes one character or tab, and nothing a number holds" {
	fails_table <<'EOF'
64|mcstat: -t: expected one character such as ';', or tab, got "ab"|mcstat -t ab v.csv
64|mcgen: -t: expected one character such as ';', or tab, got "."|mcgen -t . uniform
64|mcpi: -t: expected one character such as ';', or tab, got "-"|mcpi -t -
64|plotxy: -t: expected one character such as ';', or tab, got "\""|plotxy -t '"' -x a -y b
64|mcprice: -t: expected one character such as ';', or tab, got "e"|mcprice -t e book.csv
64|mcstat: -t: expected one character such as ';', or tab, got ""|mcstat -t '' v.csv
EOF
	[ "$(mcstat -t '\t' < <(tr ',' '\t' <v.csv))" = "$(mcstat -t tab < <(tr ',' '\t' <v.csv))" ]
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

@test "cli: an option given twice is refused, in every program" {
	fails_table <<'EOF'
64|mcgen: -n: given twice|mcgen -n 5 --count 6 uniform
64|mcgen: --corr: given twice|mcgen -d 2 --corr '1,0;0,1' --corr '1,0;0,1' mvnormal
64|mcpi: -s: given twice|mcpi -n 100 -s 1 -s 2
64|mcpi: --trace: given twice|mcpi -n 100 --trace 10 --trace 20
64|mcprice: --vol: given twice|mcprice -n 100 --type call --spot 100 --strike 100 --maturity 1 --rate 0.05 --vol 1 --vol 2
64|mcprice: --barrier_type: given twice|mcprice --barrier_type up-out --barrier-type down-out
64|mcprice: --partial: given twice|mcprice -n 100 --partial --partial book.csv
64|mcstat: -c: given twice|mcstat -c v -c v v.csv
64|mcstat: -o: given twice|mcstat -o a -o b v.csv
64|plotxy: -t: given twice|plotxy -t tab -t tab -x a -y b
64|plotxy: -y: given twice|plotxy -x a -y b -y c
EOF
	# Lists by nature may repeat, as plotxy(1) says.
	run plotxy -x x1 -y x2 --set 'set grid' --set 'set key' \
	    --equation x --equation 2*x --script darts.csv
	assert_success
}

@test "cli: long options take '-' for '_' and '_' for '-'" {
	[ "$(mcprice -n 1000 --type call --style barrier --spot 100 \
	    --strike 100 --maturity 1 --rate 0.05 --vol 0.2 --barrier 120 \
	    --barrier-type up-out --jump-mean 0)" = \
	    "$(mcprice -n 1000 --type call --style barrier --spot 100 \
	    --strike 100 --maturity 1 --rate 0.05 --vol 0.2 --barrier 120 \
	    --barrier_type up-out --jump_mean 0)" ]
	[ "$(mcstat --field_separator tab < <(tr ',' '\t' <v.csv))" = \
	    "$(mcstat --field-separator tab < <(tr ',' '\t' <v.csv))" ]
}

@test "cli: --version says the VERSION of config.mk, and so do the man pages" {
	local v p page
	v=$(sed -n 's/^VERSION *= *//p' "$TOP/config.mk")
	[ -n "$v" ]
	for p in $PROGS mcfan; do
		run --separate-stderr "$p" --version
		assert_success
		assert_output "$p (mctools) $v"
		[ -z "$stderr" ]
	done
	for page in "$TOP"/man/*.[17]; do
		grep -qx "\.Os mctools $v" "$page" || fail "$page: not .Os mctools $v"
	done
	# plotxy's scripts say which version wrote them.
	plotxy -x x1 -y x2 --script darts.csv | grep -q "^# plotxy (mctools) $v:"
}

@test "cli: -h prints the synopsis on stdout and exits 0" {
	local p
	for p in $PROGS; do
		run --separate-stderr "$p" -h
		assert_success
		[ -z "$stderr" ]
		assert_line --index 0 --regexp "^usage: $p "
		[ "$(printf '%s\n' "$output" | grep -c -- '-o FILE')" -ge 1 ]
		[ "$(printf '%s\n' "$output" | grep -c -- '-t CHAR')" -ge 1 ]
		run --separate-stderr "$p" --help
		assert_success
		run --separate-stderr bash -c "$p -h > /dev/full"
		[ "$status" -eq 74 ] || fail "$p -h > /dev/full: status $status"
	done
}

@test "cli: a usage error is one line, exit 64, nothing on stdout" {
	fails_table <<'EOF'
64|mcgen: unknown option "--bogus"; see 'mcgen --help'|mcgen --bogus uniform
64|mcpi: option "--trace" needs a value; see 'mcpi --help'|mcpi --trace
64|mcprice: unexpected argument "b.csv" (one FILE at most)|mcprice a.csv b.csv
64|mcstat: unknown option "-x"; see 'mcstat --help'|mcstat -x v.csv
64|plotxy: expected at most one input file, got 2|plotxy -x a -y b a.csv b.csv
64|mcpi: unexpected argument "a.csv" (FILE goes with --points)|mcpi a.csv
EOF
}
