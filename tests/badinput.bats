#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-3.0-or-later
# The bad-input matrix: every program, every kind of broken input.  Each
# case checks the exact one-line message (program and place), the exit
# status documented under EXIT STATUS, and stdout exactly: empty, or only
# the rows that were right before the bad one.

load test_helper

setup() {
	cd "$BATS_TEST_TMPDIR"
	printf '' >empty.csv
	printf 'x1,x2\n' >hdr.csv
	printf 'a,b\n0.1,0.2\n' >nocol.csv
	printf 'x1,x1\n0.1,0.2\n' >dup.csv
	printf 'x1,x2\n0.1,0.2\n0.3\n' >ragged.csv
	printf 'x1,x2\n0.1,"0.2\n' >unterm.csv
	printf 'x1,x2\n0.1,0\0002\n' >nul.csv
	printf 'x1,x2\n0.1,\xff\xfe\n' >utf8.csv
	printf 'x1,x2\n0.1,0.2abc\n' >junk.csv
	printf 'x1,x2\n0.1,nan\n' >nan.csv
	printf 'x1,x2\n0.1,-inf\n' >inf.csv
	printf 'x1,x2\n0.1,1e999\n' >ovf.csv
	printf 'x1,x2\n0.1,\xef\xbb\xbf0.2\n' >bom.csv
	BOOKH='type,spot,strike,maturity,rate,vol'
	ROW='call,100,100,1,0.05,0.2'
}

# The CSV readers: mcpi --points, mcstat, plotxy, on files named F.csv.
readers() {
	local f=$1 msg=$2 status=${3:-65}
	fails "$status" "mcpi: $f.csv${msg}" mcpi --points "$f.csv"
	fails "$status" "mcstat: $f.csv${msg}" mcstat -c x1,x2 "$f.csv"
	fails "$status" "plotxy: $f.csv${msg}" plotxy -x x1 -y x2 --script "$f.csv"
}

@test "badinput: empty input" {
	readers empty ': empty input, expected a header row'
	fails 65 'mcprice: empty.csv: empty input, expected a header row' \
	    mcprice empty.csv
	fails 65 'mcstat: empty.csv: empty input, expected a header row' \
	    mcstat --merge empty.csv
	fails 65 'mcprice: empty.csv: empty input, expected a header row' \
	    mcprice --merge empty.csv
}

@test "badinput: header only" {
	run --separate-stderr mcpi --points hdr.csv
	assert_success
	assert_output "$(printf 'name,n,mean,stderr,ci_lo,ci_hi,sd\npi,0,nan,nan,nan,nan,nan')"
	run --separate-stderr mcstat -c x1 hdr.csv
	assert_success
	assert_output 'name,n,mean,stderr,ci_lo,ci_hi,sd'
	fails 65 'plotxy: hdr.csv: no data rows to plot' plotxy -x x1 -y x2 \
	    --script hdr.csv
	printf '%s\n' "$BOOKH" >book.csv
	run --separate-stderr mcprice book.csv
	assert_success
	assert_output "$BOOKH,price,stderr,ci_lo,ci_hi,paths,ref"
}

@test "badinput: a missing required column" {
	readers nocol ':1: no column "x1" in the header'
	printf 'spot,strike,maturity,rate,vol\n100,100,1,0.05,0.2\n' >b.csv
	fails 65 "mcprice: b.csv:1: no column 'type' in the header" mcprice b.csv
	fails 65 'mcstat: nocol.csv:1: no column "n" in the header' \
	    mcstat --merge nocol.csv
}

@test "badinput: duplicate column names" {
	readers dup ':1: column "x1" appears twice in the header'
	printf '%s,vol\n%s,0.3\n' "$BOOKH" "$ROW" >b.csv
	fails 65 'mcprice: b.csv:1: column "vol" appears twice in the header' \
	    mcprice b.csv
}

@test "badinput: ragged rows" {
	readers ragged ':3: expected 2 fields as in the header, got 1'
	printf '%s\n%s\n' "$BOOKH" "$ROW" >good.csv
	printf '%s\n%s\ncall,100\n' "$BOOKH" "$ROW" >b.csv
	fails -o "$(mcprice -n 1000 good.csv)" 65 \
	    'mcprice: b.csv:3: expected 6 fields as in the header, got 2' \
	    mcprice -n 1000 b.csv
	printf 'x1,x2\n0.1,0.2\n' >good.csv
	# Darts stream: the good ones before the bad row stand.
	fails -o "$(mcpi --points --dump good.csv)" 65 \
	    'mcpi: ragged.csv:3: expected 2 fields as in the header, got 1' \
	    mcpi --points --dump ragged.csv
	[ "${#lines[@]}" -eq 2 ]
}

@test "badinput: an unterminated quote" {
	readers unterm ':2: unterminated quoted field at the end of the input'
	printf '%s\n%s\n' "$BOOKH" "$ROW" >good.csv
	printf '%s\n%s\n"call,1\n' "$BOOKH" "$ROW" >b.csv
	fails -o "$(mcprice -n 1000 good.csv)" 65 \
	    'mcprice: b.csv:3: unterminated quoted field at the end of the input' \
	    mcprice -n 1000 b.csv
}

@test "badinput: NUL bytes and invalid UTF-8" {
	readers nul ':2: NUL byte in the input'
	readers utf8 ":2: column 'x2': expected a number, got \"\\xff\\xfe\""
	readers bom ":2: column 'x2': expected a number, got \"\\xef\\xbb\\xbf0.2\""
	printf '%s\n%s\n' "$BOOKH" "$ROW" >good.csv
	printf '%s\n%s\ncall,1\000,1,1,0,0.2\n' "$BOOKH" "$ROW" >b.csv
	fails -o "$(mcprice -n 1000 good.csv)" 65 \
	    'mcprice: b.csv:3: NUL byte in the input' mcprice -n 1000 b.csv
	# A column mcprice does not read passes through unchanged, bytes and all.
	printf 'id,%s\n\xff\xfe,%s\n' "$BOOKH" "$ROW" >b.csv
	run --separate-stderr mcprice -n 1000 b.csv
	assert_success
	[ "$(printf '%s\n' "$output" | sed -n 2p | cut -c1-2)" = "$(printf '\xff\xfe')" ]
}

@test "badinput: numbers with junk" {
	readers junk ":2: column 'x2': expected a number, got \"0.2abc\""
	printf '%s\ncall,100,100,1,0.05,0.2x\n' "$BOOKH" >b.csv
	fails -o "$BOOKH,price,stderr,ci_lo,ci_hi,paths,ref" 65 \
	    "mcprice: b.csv:2: column 'vol': expected a number, got \"0.2x\"" \
	    mcprice b.csv
}

@test "badinput: nan and inf where they are not allowed" {
	fails 65 "mcpi: nan.csv:2: column 'x2': expected a finite number, got \"nan\"" \
	    mcpi --points nan.csv
	fails 65 "mcpi: inf.csv:2: column 'x2': expected a finite number, got \"-inf\"" \
	    mcpi --points inf.csv
	# plotxy hands nan to gnuplot, which leaves a gap; inf likewise.
	run --separate-stderr plotxy -x x1 -y x2 --script nan.csv
	assert_success
	assert_line '0.1 nan'
	# mcstat refuses them too: they have no mean, sd, quantile or bin
	# (mcstat(1), NAN AND INFINITY).
	fails 65 "mcstat: nan.csv:2: column 'x2': expected a finite number, got \"nan\"" \
	    mcstat -c x2 nan.csv
	for f in rate:nan maturity:inf spot:-inf; do
		col=${f%%:*} v=${f#*:}
		awk -F, -v OFS=, -v c="$col" -v v="$v" 'NR == 1 { for (i = 1;
		    i <= NF; i++) if ($i == c) k = i } NR == 2 { $k = v } 1' \
		    <<<"$BOOKH"$'\n'"$ROW" >b.csv
		fails -o "$BOOKH,price,stderr,ci_lo,ci_hi,paths,ref" 65 \
		    "mcprice: b.csv:2: column '$col': expected a finite number, got \"$v\"" \
		    mcprice b.csv
		# The same contract as options, the value in its place.
		# shellcheck disable=SC2046
		fails 64 "mcprice: --$col: expected a finite number, got \"$v\"" \
		    mcprice $(paste -d' ' <(tr ',' '\n' <<<"$BOOKH" | sed 's/^/--/') \
		    <(sed -n 2p b.csv | tr ',' '\n'))
	done
	fails 64 'mcgen: sd: expected a number > 0, got "nan"' mcgen -n 5 \
	    normal sd=nan
	fails 64 'mcgen: mean: expected a finite number, got "inf"' mcgen -n 5 \
	    normal mean=inf
	fails 64 'mcstat: --level: expected a number > 0 and < 1, got "nan"' \
	    mcstat -c x1 --level nan hdr.csv
}

@test "badinput: overflow (1e999)" {
	readers ovf ":2: column 'x2': number out of range, got \"1e999\""
	fails 64 'mcgen: mean: expected a finite number, got "1e999"' mcgen -n 5 \
	    normal mean=1e999
	fails 64 'mcpi: -n: count out of range (at most 2^63-1), got "1e999"' \
	    mcpi -n 1e999
	fails 64 'mcprice: --spot: number out of range, got "1e999"' mcprice \
	    --type call --spot 1e999 --strike 100 --maturity 1 --rate 0 --vol 0.2
}

@test "badinput: huge fields and lines (megabytes)" {
	# A 3 MB field: the whole value is read, the message shortens it.
	{ printf 'x1,x2\n0.1,'; head -c 3000000 /dev/zero | tr '\0' 7
	  printf '\n'; } >big.csv
	readers big ":2: column 'x2': number out of range, got \"7777777777777777777777777777777777777777...\""
	# A 2 MB header name and a 4 MB line of 400000 fields read whole.
	{ head -c 2000000 /dev/zero | tr '\0' a; printf ',x1,x2\n'
	  head -c 2000000 /dev/zero | tr '\0' b; printf ',0.5,0.5\n'; } >wide.csv
	run --separate-stderr mcpi --points wide.csv
	assert_success
	assert_line --index 1 --partial 'pi,1,4,'
	{ printf 'x1'; for i in $(seq 2 1000); do printf ',x%d' "$i"; done
	  printf '\n'; for r in 1 2 3; do printf '0.5'
	  for i in $(seq 2 1000); do printf ',0.25'; done; printf '\n'; done
	} >many.csv
	run --separate-stderr mcstat -c x1,x1000 many.csv
	assert_success
	assert_line --index 2 'x1000,3,0.25,0,0.25,0.25,0'
	# A quoted field of 3 MB of newlines still counts its lines.
	{ printf 'x1,x2\n0.1,"'; head -c 3000000 /dev/zero | tr '\0' '\n'
	  printf '"\n0.1,x\n'; } >nl.csv
	readers nl ":2: column 'x2': expected a number, got \"\\x0a\\x0a\\x0a\\x0a\\x0a\\x0a\\x0a\\x0a\\x0a\\x0a\\x0a\\x0a\\x0a\\x0a...\""
}

@test "badinput: negative, zero and huge counts" {
	for p in "mcpi" "mcgen normal" "mcprice --type call --spot 1 --strike 1 --maturity 1 --rate 0 --vol 0.2"; do
		prog=${p%% *}
		# shellcheck disable=SC2086
		{
		fails 64 "$prog: -n: expected a count of 1 or more, got \"0\"" $p -n 0
		fails 64 "$prog: -n: expected a count of 1 or more, got \"-5\"" $p -n -5
		fails 64 "$prog: -n: expected a whole count, got \"2.5\"" $p -n 2.5
		fails 64 "$prog: -n: count out of range (at most 2^63-1), got \"9223372036854775808\"" \
		    $p -n 9223372036854775808
		fails 64 "$prog: -n: count out of range (at most 2^63-1), got \"1e19\"" $p -n 1e19
		fails 64 "$prog: -n: expected a count like 1000 or 1e6, got \"1e6x\"" $p -n 1e6x
		}
	done
	fails 64 'mcpi: --trace: expected a count of 1 or more, got "0"' mcpi --trace 0
	fails 64 'mcstat: --hist: expected a count of 1 or more, got "0"' \
	    mcstat -c x1 --hist 0 hdr.csv
	fails 64 'mcgen: -d: expected a dimension from 1 to 100000, got "0"' \
	    mcgen -n 5 -d 0 uniform
	fails 64 'mcfan: option -N: 0 is out of range [1, 1000000]' \
	    mcfan -N 0 -- mcpi -n 100
	printf '%s,paths\n%s,0\n' "$BOOKH" "$ROW" >b.csv
	fails -o "$BOOKH,price,stderr,ci_lo,ci_hi,paths,ref" 65 \
	    "mcprice: b.csv:2: column 'paths': expected a count >= 1, got \"0\"" \
	    mcprice b.csv
	printf '%s,fixings\n%s,-3\n' "$BOOKH" "$ROW" >b.csv
	fails -o "$BOOKH,fixings,price,stderr,ci_lo,ci_hi,paths,ref" 65 \
	    "mcprice: b.csv:2: column 'fixings': expected a count >= 1, got \"-3\"" \
	    mcprice b.csv
}

@test "badinput: bad seeds and shard specs" {
	for p in "mcpi" "mcgen normal" "mcprice --type call --spot 1 --strike 1 --maturity 1 --rate 0 --vol 0.2"; do
		prog=${p%% *}
		# shellcheck disable=SC2086
		{
		fails 64 "$prog: -s: expected a whole number from 0 to 2^64-1, got \"-1\"" $p -s -1
		fails 64 "$prog: -s: expected a whole number from 0 to 2^64-1, got \"abc\"" $p -s abc
		fails 64 "$prog: -s: number out of range (at most 2^64-1), got \"18446744073709551616\"" \
		    $p -s 18446744073709551616
		fails 64 "$prog: --shard: I must be below N (shards are numbered 0 to N-1), got \"2/2\"" \
		    $p --shard 2/2
		fails 64 "$prog: --shard: expected I/N with 0 <= I < N, got \"1/0\"" $p --shard 1/0
		fails 64 "$prog: --shard: expected I/N with 0 <= I < N, got \"-1/4\"" $p --shard -1/4
		fails 64 "$prog: --shard: expected I/N with 0 <= I < N, got \"1\"" $p --shard 1
		fails 64 "$prog: --shard: expected I/N with 0 <= I < N, got \"1/2/3\"" $p --shard 1/2/3
		}
	done
}

@test "badinput: unknown options and missing values, one line each" {
	for prog in mcpi mcstat mcgen mcprice plotxy; do
		run --separate-stderr "$prog" --no-such-option
		assert_failure 64
		assert_output ''
		[[ "$stderr" == "$prog: "*'"--no-such-option"'* ]]
		[ "$(printf '%s\n' "$stderr" | wc -l)" -eq 1 ]
		run --separate-stderr "$prog" -n
		assert_failure 64
		assert_output ''
		[[ "$stderr" == "$prog: "* ]]
		[ "$(printf '%s\n' "$stderr" | wc -l)" -eq 1 ]
	done
	run --separate-stderr mcfan -N 2 --no-such-option -- mcpi -n 10
	assert_failure 64
	assert_output ''
	[[ "$stderr" == "mcfan: "* ]]
}

@test "badinput: out-of-domain parameters, every distribution" {
	fails 64 'mcgen: uniform: expected a < b' mcgen -n 5 uniform a=2 b=1
	fails 64 'mcgen: sd: expected a number > 0, got "-1"' mcgen -n 5 normal sd=-1
	fails 64 'mcgen: sdlog: expected a number > 0, got "0"' mcgen -n 5 \
	    lognormal sdlog=0
	fails 64 'mcgen: rate: expected a number > 0, got "-2"' mcgen -n 5 \
	    exponential rate=-2
	fails 64 'mcgen: spot: expected a number > 0, got "-1"' mcgen -n 5 gbm \
	    spot=-1 rate=0.05 vol=0.2 maturity=1 steps=10
	fails 64 'mcgen: rho_sv: expected a number >= -1 and <= 1, got "2"' mcgen \
	    -n 5 heston spot=100 rate=0.05 v0=0.04 kappa=1.5 vbar=0.04 \
	    xi=0.3 rho_sv=2 maturity=1 steps=12
	fails 64 'mcgen: normal: unknown parameter "foo" (normal takes mean, sd)' \
	    mcgen -n 5 normal foo=1
	fails 64 'mcgen: expected PARAM=VALUE after normal, got "mean"' mcgen \
	    -n 5 normal mean
	fails 64 'mcgen: mean: expected a finite number, got "1x"' mcgen -n 5 \
	    normal mean=1x
	fails 64 'mcgen: normal: unknown parameter "a\x0ab" (normal takes mean, sd)' \
	    mcgen -n 5 normal "$(printf 'a\nb')=1x"
}

# mcprice: one bad field per style and model, in a book and as options.
mcprice_bad() {
	local extra=$1 col=$2 why=$3 names values sep
	names="$BOOKH,${extra%%=*}" values="$ROW,${extra#*=}"
	names=$(printf '%s' "$names" | tr ';' ',')
	values=$(printf '%s' "$values" | tr ';' ',' | tr '|' ';')
	printf '%s\n%s\n' "$names" "$values" >b.csv
	# A missing model parameter's message says what it is.
	[[ $why == '('* ]] && sep=' ' || sep=': '
	fails -o "$names,price,stderr,ci_lo,ci_hi,paths,ref" 65 \
	    "mcprice: b.csv:2: column '$col'$sep$why" mcprice -n 100 b.csv
}

@test "badinput: out-of-domain parameters, every style and model" {
	mcprice_bad 'style=nosuch' style 'expected european, digital, asian, barrier, lookback, american, bermudan or basket, got "nosuch"'
	mcprice_bad 'model=sabr' model 'expected gbm, heston or merton, got "sabr"'
	mcprice_bad 'dividend=x' dividend 'expected a number, got "x"'
	mcprice_bad 'style;payout=digital;1e999' payout 'number out of range, got "1e999"'
	mcprice_bad 'style;average=asian;median' average 'expected arithmetic or geometric, got "median"'
	mcprice_bad 'style;fixings=asian;0' fixings 'expected a count from 1 to 1000000, got "0"'
	mcprice_bad 'style;fixings=bermudan;2000000' fixings 'expected a count from 1 to 1000000, got "2000000"'
	mcprice_bad 'style=barrier' barrier 'required, but missing or empty'
	mcprice_bad 'style;barrier;barrier_type=barrier;90;sideways' barrier_type 'expected down-out, down-in, up-out or up-in, got "sideways"'
	mcprice_bad 'style;barrier;barrier_type=barrier;110;down-out' barrier 'expected a level below spot for a down barrier, got "110"'
	mcprice_bad 'style;barrier;barrier_type;rebate=barrier;90;down-out;-1' rebate 'expected a number >= 0, got "-1"'
	mcprice_bad 'style;strike_type=lookback;other' strike_type 'expected fixed or floating, got "other"'
	mcprice_bad 'style;steps=american;0' steps 'expected a count from 1 to 1000000, got "0"'
	mcprice_bad 'style=basket' spots 'required, but missing or empty'
	mcprice_bad 'style;spots;vols;weights;correlation=basket;100|90;0.2;0.5|0.5;0.3' vols 'expected 2 values as in spots, got "0.2"'
	mcprice_bad 'style;spots;vols;weights;correlation=basket;100|90;0.2|0.2;0.5|0.5;1.5' correlation 'expected a symmetric matrix of numbers from -1 to 1, with 1 on the diagonal, got "1.5"'
	mcprice_bad 'style;spots;vols;weights;correlation=basket;100|-90;0.2|0.2;0.5|0.5;0.3' spots 'expected numbers > 0, got "100;-90"'
	mcprice_bad 'model=heston' v0 '(initial variance) is required for model heston'
	mcprice_bad 'model;v0;kappa;xi;rho_sv=heston;0.04;1;0.3;0.5' vbar '(long-run variance) is required for model heston'
	mcprice_bad 'model;v0;kappa;vbar;xi;rho_sv=heston;0.04;1;0.04;0.3;1.5' rho_sv 'expected a number from -1 to 1, got "1.5"'
	mcprice_bad 'model;v0;kappa;vbar;xi;rho_sv=heston;0.04;1;-0.04;0.3;0.5' vbar 'expected a number >= 0, got "-0.04"'
	mcprice_bad 'model;v0;kappa;vbar;xi;rho_sv=heston;-0.04;1;0.04;0.3;0.5' v0 'expected a number >= 0, got "-0.04"'
	mcprice_bad 'model;lambda;jump_mean;jump_vol=merton;-1;0;0.1' lambda 'expected a number >= 0, got "-1"'
	mcprice_bad 'model;lambda;jump_mean;jump_vol=merton;1;0;-0.1' jump_vol 'expected a number >= 0, got "-0.1"'
	mcprice_bad 'model;style=heston;basket' model 'a basket is priced under gbm only, got "heston"'
	# As options the same checks give usage errors, with nothing on stdout.
	fails 64 'mcprice: --type: expected call or put, got "cal"' mcprice \
	    --type cal --spot 100 --strike 100 --maturity 1 --rate 0.05 --vol 0.2
	fails 64 'mcprice: --maturity: expected a number > 0, got "0"' mcprice \
	    --type call --spot 100 --strike 100 --maturity 0 --rate 0.05 --vol 0.2
	fails 64 'mcprice: --barrier_type: expected down-out, down-in, up-out or up-in, got "x"' \
	    mcprice --type call --spot 100 --strike 100 --maturity 1 --rate 0.05 \
	    --vol 0.2 --style barrier --barrier 90 --barrier_type x
}

@test "badinput: partial rows for mcstat --merge and mcprice --merge" {
	h=name,n,sum,sumsq,mc_seed,mc_shard,mc_job p=,0123456789abcdef
	printf '%s\npi,10,31,100,1,0/2%s\npi,x,1,1,1,1/2%s\n' $h $p $p >p.csv
	fails 65 "mcstat: p.csv:3: column 'n': expected a count, got \"x\"" \
	    mcstat --merge p.csv
	printf '%s\npi,10,31 nan,100,1,0/1%s\n' $h $p >p.csv
	fails 65 "mcstat: p.csv:2: column 'sum': expected an exact sum (numbers separated by spaces), got \"31 nan\"" \
	    mcstat --merge p.csv
	printf '%s\npi,9223372036854775807,1,1,1,0/2%s\npi,1,1,1,1,1/2%s\n' $h $p $p >p.csv
	run --separate-stderr mcstat --merge p.csv
	assert_failure 65
	assert_output ''
	[[ "$stderr" == "mcstat: p.csv:3: column 'n': "* ]]
}
