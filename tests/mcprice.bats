#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-3.0-or-later
# mcprice: prices against closed forms and published values, Greeks,
# coverage, exact shards and threads, pass-through, bad rows.

load test_helper

# The contract columns of the small books below.
H=type,style,model,spot,strike,maturity,rate,dividend,vol

# check_row ROW [TRUTH]: the price of data row ROW of the CSV on stdin is
# within 4 standard errors of TRUTH, or of its own ref column.
check_row() {
	local out p se ref
	out=$(cat)
	p=$(csv_get price "$1" <<<"$out")
	se=$(csv_get stderr "$1" <<<"$out")
	ref=${2:-$(csv_get ref "$1" <<<"$out")}
	[ -n "$ref" ] || { echo "row $1 has no ref"; return 1; }
	within_se "$p" "$se" "$ref"
}

@test "help and version" {
	run mcprice --help
	assert_success
	assert_line --index 0 --partial "usage: mcprice"
	run mcprice --version
	assert_output "mcprice (mctools) 0.1"
}

@test "european under gbm, heston and merton, and digital, within 4 se" {
	out=$(mcprice -n 20000 -s 3 <<EOF
$H,v0,kappa,vbar,xi,rho_sv,lambda,jump_mean,jump_vol,payout
call,european,gbm,100,100,1,0.05,0.02,0.2,,,,,,,,,
put,european,gbm,100,110,2,0.03,0,0.3,,,,,,,,,
put,european,heston,100,100,1,0.01,0.02,,0.04,4,0.25,1,-0.5,,,,
call,european,heston,100,100,1,0,0,,0.0175,1.5768,0.0398,0.5751,-0.5711,,,,
call,european,merton,100,105,1,0.05,0,0.2,,,,,,1,-0.1,0.3,
put,digital,gbm,100,80,0.75,0.06,0.06,0.35,,,,,,,,,10
EOF
	)
	for r in 1 2 3 4 5 6; do check_row $r <<<"$out"; done
	# The Heston refs are Lewis's and Fang-Oosterlee's published values.
	check_row 3 17.055270961270109 <<<"$out"
	check_row 4 5.785155450 <<<"$out"
	# Haug's cash-or-nothing example.
	check_row 6 2.6710 <<<"$out"
}

@test "asian: geometric against its closed form, arithmetic control variate unbiased" {
	out=$(mcprice -n 20000 -s 5 <<EOF
$H,average,fixings,lambda,jump_mean,jump_vol
put,asian,gbm,100,100,1,0.05,0,0.3,geometric,12,,,
call,asian,gbm,100,100,1,0.05,0,0.3,arithmetic,12,,,
call,asian,merton,100,100,1,0.05,0,0.3,arithmetic,12,0,0,0
EOF
	)
	check_row 1 <<<"$out"
	# Merton without jumps is gbm, priced without the control variate:
	# the two estimates must agree within 4 combined standard errors.
	a=$(csv_get price 2 <<<"$out"); sa=$(csv_get stderr 2 <<<"$out")
	b=$(csv_get price 3 <<<"$out"); sb=$(csv_get stderr 3 <<<"$out")
	agree_se "$a" "$sa" "$b" "$sb"
	# The control variate is worth having.
	awk -v a="$sa" -v b="$sb" 'BEGIN { exit !(a < b / 5) }'
}

@test "barriers: Haug's table, continuous and with rebates" {
	out=$(mcprice -n 20000 -s 7 <<EOF
$H,barrier,barrier_type,rebate
call,barrier,gbm,100,90,0.5,0.08,0.04,0.25,95,down-out,3
call,barrier,gbm,100,100,0.5,0.08,0.04,0.25,105,up-in,3
put,barrier,gbm,100,110,0.5,0.08,0.04,0.25,95,down-in,3
put,barrier,gbm,100,100,0.5,0.08,0.04,0.25,105,up-out,3
call,barrier,gbm,100,100,1,0.05,0,0.2,80,down-out,0
EOF
	)
	check_row 1 9.0246 <<<"$out"
	check_row 2 8.4482 <<<"$out"
	check_row 3 11.9752 <<<"$out"
	check_row 4 5.4932 <<<"$out"
	check_row 5 <<<"$out"
}

# A knock-out's rebate is paid at the hit, which falls inside a step of the
# grid.  Discounted from the step's end, a barrier a hair from spot (hit at
# once on nearly every path, so the stderr is tiny) came out 74 stderrs
# low at -n 1e6; on a grid of 4 steps the delay is a quarter of a year.
@test "barriers: a knock-out rebate is discounted from the hit, not the step's end" {
	out=$(mcprice -n 200000 -s 5 <<EOF
$H,barrier,barrier_type,rebate,steps
call,barrier,gbm,100,100,1,0.05,0,0.2,100.01,up-out,5,
put,barrier,gbm,100,100,1,0.1,0.02,0.3,99.99,down-out,5,
call,barrier,gbm,100,100,1,0.1,0,0.2,110,up-out,5,4
put,barrier,gbm,100,100,2,0.2,0,0.2,99,down-out,10,2
call,barrier,gbm,100,100,1,0.05,0,0.2,100.5,up-out,5,1
EOF
	)
	for r in 1 2 3 4 5; do check_row $r <<<"$out"; done
}

# Under merton the continuous bridges run between a step's jumps, placed
# at their own times, so any grid gives the same law.  When the jumps fell
# on grid dates inside the bridge, this lookback call came out 33.87 on 5
# steps and 37.45 on 1000 (stderr 0.09), and the up-out call 1.417 and
# 1.230 (0.0065).
@test "merton: a continuous barrier or lookback on 2 steps agrees with 400" {
	local m=merton,100,100,1,0.05,0,0.2
	for st in 2 400; do
		mcprice -n 40000 -s $((st + 3)) <<EOF
$H,barrier,barrier_type,rebate,strike_type,lambda,jump_mean,jump_vol,steps
call,lookback,$m,,,,fixed,3,-0.1,0.25,$st
put,lookback,$m,,,,floating,3,-0.1,0.25,$st
call,barrier,$m,130,up-out,,,3,-0.1,0.25,$st
put,barrier,$m,90,down-out,5,,3,-0.1,0.25,$st
call,barrier,$m,105,up-in,,,10,0.05,0.02,$st
EOF
	done >"$BATS_TEST_TMPDIR/out"
	for r in 1 2 3 4 5; do
		agree_se "$(csv_get price $r <"$BATS_TEST_TMPDIR/out")" \
		    "$(csv_get stderr $r <"$BATS_TEST_TMPDIR/out")" \
		    "$(csv_get price $((r + 6)) <"$BATS_TEST_TMPDIR/out")" \
		    "$(csv_get stderr $((r + 6)) <"$BATS_TEST_TMPDIR/out")"
	done
	# A step places its jumps one by one: at most 16 expected a step.
	fails 64 "mcprice: --lambda: expected at most 16 jumps a step under continuous monitoring, where 5 steps give 20: more steps, got \"100\"" \
	    mcprice -n 100 --type call --style lookback --model merton \
	    --spot 100 --strike 100 --maturity 1 --rate 0.05 --vol 0.2 \
	    --lambda 100 --jump_mean 0 --jump_vol 0.1 --steps 5
}

@test "discrete barrier lies between the european and the continuous one" {
	out=$(mcprice -n 20000 -s 7 <<EOF
$H,barrier,barrier_type,fixings
call,barrier,gbm,100,100,1,0.05,0,0.2,90,down-out,4
call,barrier,gbm,100,100,1,0.05,0,0.2,90,down-out,
EOF
	)
	d=$(csv_get price 1 <<<"$out"); c=$(csv_get ref 2 <<<"$out")
	awk -v d="$d" -v c="$c" 'BEGIN { exit !(d > c && d < 10.4506) }'
}

@test "lookbacks, floating and fixed, against their closed forms" {
	out=$(mcprice -n 20000 -s 9 <<EOF
$H,strike_type
call,lookback,gbm,100,,1,0.05,0,0.3,floating
put,lookback,gbm,100,,0.5,0.1,0.06,0.3,floating
call,lookback,gbm,100,105,1,0.05,0.02,0.3,fixed
put,lookback,gbm,100,95,1,0.05,0,0.2,fixed
EOF
	)
	for r in 1 2 3 4; do check_row $r <<<"$out"; done
}

@test "american put: Longstaff-Schwartz Table 1, low-biased" {
	out=$(mcprice -n 20000 -s 11 <<EOF
$H
put,american,gbm,36,40,1,0.06,0,0.2
put,american,gbm,44,40,1,0.06,0,0.2
put,american,gbm,36,40,1,0.06,0,0.4
EOF
	)
	# Longstaff and Schwartz (2001), Table 1, finite-difference values.
	check_row 1 4.478 <<<"$out"
	check_row 2 1.110 <<<"$out"
	check_row 3 7.101 <<<"$out"
}

@test "issue 13: an exercise rule's fit holds at most 2^24 calibration values" {
	# 1000 dates of 65536 calibration paths took 524 MB; now the fit
	# keeps 16777 paths a date (128 MiB).  No cap under AddressSanitizer,
	# whose shadow memory no ulimit -v leaves room for.
	if [ "$(cgi_memory)" -gt 0 ]; then
		run bash -c 'ulimit -v 400000; mcprice -n 65536 -s 1 --type put \
		    --style bermudan --spot 100 --strike 100 --maturity 1 \
		    --rate 0.05 --vol 0.2 --fixings 1000'
		assert_success
		# A bermudan is worth more than its european (Black-Scholes).
		eu=$(mcprice -n 16 --type put --spot 100 --strike 100 \
		    --maturity 1 --rate 0.05 --vol 0.2 | csv_get ref)
		awk -v p="$(csv_get price <<<"$output")" -v e="$eu" \
		    'BEGIN { exit !(p > e) }'
	fi
	# 4097 dates would leave fewer than 4096 paths a date: the row is
	# refused, before any path is drawn; 2049 under heston.
	book=$'type,style,spot,strike,maturity,rate,vol,fixings\nput,american,100,100,1,0.05,0.2,50\nput,bermudan,100,100,1,0.05,0.2,4097'
	fails -o "$(mcprice -n 100 -s 1 <<<"${book%$'\n'*}")" 65 \
	    "mcprice: stdin:3: column 'fixings': expected at most 4096 exercise dates (a rule is fitted on 4096 paths at each date, in 2^24 values), got \"4097\"" \
	    mcprice -n 100 -s 1 <<<"$book"
	fails 64 "mcprice: --fixings: expected at most 2048 exercise dates (a rule is fitted on 4096 paths at each date, in 2^24 values with the variances), got \"2049\"" \
	    mcprice -n 100 --type put --style american --model heston --spot 100 \
	    --strike 100 --maturity 1 --rate 0.05 --v0 0.04 --kappa 2 \
	    --vbar 0.04 --xi 0.5 --rho_sv -0.7 --fixings 2049
}

@test "issue 13: an american of 1000 years takes the default grid up to 4096 dates" {
	# 50 dates a year made 50000, which took 1.6 GB and 30 s for 100
	# paths; the default grid now stops where a fit does.
	run --separate-stderr mcprice -n 100 -s 1 --type put --style american \
	    --spot 100 --strike 100 --maturity 1000 --rate 0.05 --vol 0.2
	assert_success
	# Worth at least its intrinsic value, at most the strike.
	awk -v p="$(csv_get price <<<"$output")" 'BEGIN { exit !(p >= 0 && p <= 100) }'
}

@test "bermudans lie between the european and the american; a basket of one asset is Black-Scholes" {
	out=$(mcprice -n 20000 -s 13 <<EOF
$H,fixings,spots,vols,weights,correlation
put,bermudan,gbm,100,105,1,0.05,0.01,0.25,1,,,,
put,european,gbm,100,105,1,0.05,0.01,0.25,,,,,
call,basket,gbm,,95,1,0.05,0.01,,,100;80,0.25;0.4,1;0,0.3
call,european,gbm,100,95,1,0.05,0.01,0.25,,,,,
put,bermudan,gbm,100,105,1,0.05,0.01,0.25,4,,,,
put,american,gbm,100,105,1,0.05,0.01,0.25,,,,,
EOF
	)
	# One exercise date: the european control variate is the whole
	# payoff, so the estimate is the closed form with no error.
	assert_equal "$(csv_get price 1 <<<"$out")" "$(csv_get ref 2 <<<"$out")"
	assert_equal "$(csv_get stderr 1 <<<"$out")" 0
	check_row 3 "$(csv_get ref 4 <<<"$out")" <<<"$out"
	awk -v e="$(csv_get ref 2 <<<"$out")" -v b="$(csv_get price 5 <<<"$out")" \
	    -v sb="$(csv_get stderr 5 <<<"$out")" \
	    -v a="$(csv_get price 6 <<<"$out")" \
	    -v sa="$(csv_get stderr 6 <<<"$out")" \
	    'BEGIN { exit !(b > e + 4 * sb && b < a + 4 * sqrt(sa * sa + sb * sb)) }'
}

@test "basket call with tiny strike is the discounted forward" {
	out=$(mcprice -n 20000 -s 13 <<EOF
$H,spots,vols,weights,correlation
call,basket,gbm,,1e-9,1,0.05,0.02,,100;80;120,0.2;0.3;0.4,0.5;0.25;0.25,1;0.5;0.2;0.5;1;0.3;0.2;0.3;1
EOF
	)
	f=$(awk 'BEGIN { print (50 + 20 + 30) * exp(-0.02) - 1e-9 * exp(-0.05) }')
	check_row 1 "$f" <<<"$out"
}

@test "basket: positive semi-definite correlations price, indefinite ones are refused" {
	# Two identical assets with correlation 1 are one asset: Hull's
	# Black-Scholes call, S = K = 100, T = 1, r = 5%, vol = 20%: 10.4506.
	out=$(mcprice -n 40000 -s 17 <<EOF
$H,spots,vols,weights,correlation
call,basket,gbm,,100,1,0.05,0,,100;100,0.2;0.2,0.5;0.5,1
call,basket,gbm,,100,1,0.05,0,,100;100;100,0.2;0.2;0.3,0.25;0.25;0.5,1;1;0.5;1;1;0.5;0.5;0.5;1
call,basket,gbm,,100,1,0.05,0,,100;100,0.2;0.3,0.5;0.5,0.5
EOF
	)
	check_row 1 10.4506 <<<"$out"
	# Rank 2 of 3: assets 1 and 2 move as one, so the basket is the
	# two-asset one of row 3 (independent paths: combined errors).
	awk -v a="$(csv_get price 2 <<<"$out")" -v sa="$(csv_get stderr 2 <<<"$out")" \
	    -v b="$(csv_get price 3 <<<"$out")" -v sb="$(csv_get stderr 3 <<<"$out")" \
	    'BEGIN { d = a - b; if (d < 0) d = -d; exit !(sa > 0 && d < 4 * sqrt(sa * sa + sb * sb)) }'
	# Indefinite: 1 - 0.9 - 0.9 < 0 along (1, -1, 1); its smallest
	# eigenvalue is 1 - 2 * 0.9 = -0.8.
	run --separate-stderr mcprice -n 100 <<EOF
$H,spots,vols,correlation
call,basket,gbm,,100,1,0.05,0,,100;100;100,0.2;0.2;0.2,1;0.9;-0.9;0.9;1;0.9;-0.9;0.9;1
EOF
	assert_equal "$status" 65
	assert_equal "$stderr" "mcprice: stdin:2: column 'correlation': expected a positive semi-definite matrix, but its smallest eigenvalue is -0.8, got \"1;0.9;-0.9;0.9;1;0.9;-0.9;0.9;1\""
}

@test "a seed column gives a row its own streams; rows share the command line's" {
	one() {
		mcprice -n 4000 -s "$1" --type call --spot 100 --strike "$2" \
		    --maturity 1 --rate 0.05 --vol 0.2 | csv_get price
	}
	cat >"$BATS_TEST_TMPDIR/b.csv" <<EOF
id,type,spot,strike,maturity,rate,vol,seed
1,call,100,100,1,0.05,0.2,
2,call,100,100,1,0.05,0.2,
3,call,100,100,1,0.05,0.2,7
4,call,100,110,1,0.05,0.2,7
EOF
	out=$(mcprice -n 4000 -s 42 "$BATS_TEST_TMPDIR/b.csv")
	# Rows without a seed draw the same numbers (common random numbers).
	assert_equal "$(csv_get price 1 <<<"$out")" "$(one 42 100)"
	assert_equal "$(csv_get price 2 <<<"$out")" "$(one 42 100)"
	assert_equal "$(csv_get price 3 <<<"$out")" "$(one 7 100)"
	assert_equal "$(csv_get price 4 <<<"$out")" "$(one 7 110)"
	[ "$(csv_get price 3 <<<"$out")" != "$(csv_get price 1 <<<"$out")" ]
	# Partial rows say each row's seed, and merge to the single run.
	run mcprice -n 4000 -s 42 --partial "$BATS_TEST_TMPDIR/b.csv"
	assert_line --index 1 --regexp ',42,0/1,[0-9a-f]{16}$'
	assert_line --index 3 --regexp ',7,0/1,[0-9a-f]{16}$'
	for i in 0 1 2; do
		mcprice -n 4000 -s 42 --shard $i/3 --partial "$BATS_TEST_TMPDIR/b.csv"
	done | mcprice --merge | cmp - <(printf '%s\n' "$out")
	run --separate-stderr mcprice -n 100 <<EOF
id,type,spot,strike,maturity,rate,vol,seed
1,call,100,100,1,0.05,0.2,-3
EOF
	assert_equal "$status" 65
	assert_line --index 0 'id,type,spot,strike,maturity,rate,vol,seed,price,stderr,ci_lo,ci_hi,paths,ref'
	[[ $stderr == "mcprice: stdin:2: column 'seed': "*', got "-3"' ]]
}

# Black-Scholes Greeks of a call, by awk with an erfc accurate to 1e-7
# (Numerical Recipes' erfcc): prints delta gamma vega rho theta.
bs_greeks() {
	awk -v S="$1" -v K="$2" -v T="$3" -v r="$4" -v q="$5" -v v="$6" '
	function erfc(x,  z, t, a) {
		z = x < 0 ? -x : x; t = 1 / (1 + 0.5 * z)
		a = t * exp(-z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))))
		return x >= 0 ? a : 2 - a
	}
	function N(x) { return 0.5 * erfc(-x / sqrt(2)) }
	function n(x) { return exp(-x * x / 2) / sqrt(2 * 3.141592653589793) }
	BEGIN {
		d1 = (log(S / K) + (r - q + v * v / 2) * T) / (v * sqrt(T))
		d2 = d1 - v * sqrt(T)
		printf "%.10g %.10g %.10g %.10g %.10g\n",
		    exp(-q * T) * N(d1), exp(-q * T) * n(d1) / (S * v * sqrt(T)),
		    S * exp(-q * T) * n(d1) * sqrt(T), K * T * exp(-r * T) * N(d2),
		    -S * exp(-q * T) * n(d1) * v / (2 * sqrt(T)) - r * K * exp(-r * T) * N(d2) + q * S * exp(-q * T) * N(d1)
	}'
}

@test "Greeks of a european call within 4 se of Black-Scholes" {
	out=$(mcprice -n 40000 -s 17 --greeks --type call --spot 100 \
	    --strike 105 --maturity 0.75 --rate 0.04 --dividend 0.01 --vol 0.25)
	g=($(bs_greeks 100 105 0.75 0.04 0.01 0.25))
	i=0
	for name in delta gamma vega rho theta; do
		within_se "$(csv_get $name <<<"$out")" \
		    "$(csv_get ${name}_se <<<"$out")" "${g[$i]}"
		i=$((i + 1))
	done
}

# Black-Scholes delta, vega and rho of a cash-or-nothing digital paying 1:
# digital_greeks PUT S K T r q v.
digital_greeks() {
	awk -v P="$1" -v S="$2" -v K="$3" -v T="$4" -v r="$5" -v q="$6" -v v="$7" '
	function erfc(x,  z, t, a) {
		z = x < 0 ? -x : x; t = 1 / (1 + 0.5 * z)
		a = t * exp(-z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))))
		return x >= 0 ? a : 2 - a
	}
	function N(x) { return 0.5 * erfc(-x / sqrt(2)) }
	function n(x) { return exp(-x * x / 2) / sqrt(2 * 3.141592653589793) }
	BEGIN {
		f = P ? -1 : 1
		d2 = (log(S / K) + (r - q - v * v / 2) * T) / (v * sqrt(T))
		d1 = d2 + v * sqrt(T); price = exp(-r * T) * N(f * d2)
		printf "%.10g %.10g %.10g\n", f * exp(-r * T) * n(d2) / (S * v * sqrt(T)), -f * exp(-r * T) * n(d2) * d1 / v, -T * price + f * exp(-r * T) * n(d2) * sqrt(T) / v
	}'
}

@test "Greeks of digitals by likelihood ratio within 4 se of Black-Scholes" {
	for put in 0 1; do
		t=call; [ $put = 1 ] && t=put
		out=$(mcprice -n 40000 -s 19 --greeks --type $t --style digital \
		    --spot 100 --strike 95 --maturity 0.5 --rate 0.03 --vol 0.3)
		g=($(digital_greeks $put 100 95 0.5 0.03 0 0.3))
		within_se "$(csv_get delta <<<"$out")" "$(csv_get delta_se <<<"$out")" "${g[0]}"
		within_se "$(csv_get vega <<<"$out")" "$(csv_get vega_se <<<"$out")" "${g[1]}"
		within_se "$(csv_get rho <<<"$out")" "$(csv_get rho_se <<<"$out")" "${g[2]}"
	done
}

@test "Greeks by common-random-number differences: an asian with one fixing is european" {
	out=$(mcprice -n 40000 -s 23 --greeks --type call --style asian \
	    --average arithmetic --fixings 1 --model merton --lambda 0 \
	    --jump_mean 0 --jump_vol 0 --spot 100 --strike 105 \
	    --maturity 0.75 --rate 0.04 --dividend 0.01 --vol 0.25)
	g=($(bs_greeks 100 105 0.75 0.04 0.01 0.25))
	i=0
	for name in delta gamma vega rho theta; do
		within_se "$(csv_get $name <<<"$out")" \
		    "$(csv_get ${name}_se <<<"$out")" "${g[$i]}"
		i=$((i + 1))
	done
}

@test "coverage: the 95% interval holds Black-Scholes in at least 34 of 40 seeds" {
	# For a correct interval the count is Binomial(40, 0.95): fewer than
	# 34 has probability 0.0034.
	hits=0
	for s in $(seq 1 40); do
		out=$(mcprice -n 2000 -s $s --type put --spot 100 --strike 100 \
		    --maturity 1 --rate 0.05 --vol 0.2)
		lo=$(csv_get ci_lo <<<"$out"); hi=$(csv_get ci_hi <<<"$out")
		ref=$(csv_get ref <<<"$out")
		if awk -v l="$lo" -v h="$hi" -v t="$ref" 'BEGIN { exit !(l <= t && t <= h) }'
		then hits=$((hits + 1)); fi
	done
	echo "hits $hits"
	[ "$hits" -ge 34 ]
}

@test "antithetic and sobol estimates within 4 se, with smaller errors" {
	for opt in --antithetic "--qmc sobol" "--qmc sobol --antithetic"; do
		out=$(mcprice -n 8192 $opt --type call --style asian --average \
		    geometric --spot 100 --strike 100 --maturity 1 --rate 0.05 \
		    --vol 0.3)
		check_row 1 <<<"$out"
	done
	out=$(mcprice -n 8192 --qmc sobol --type call --style lookback \
	    --strike_type floating --spot 100 --maturity 1 --rate 0.05 --vol 0.3)
	check_row 1 <<<"$out"
	assert_equal "$(csv_get paths <<<"$out")" 8192
}

@test "--tolerance adds paths until the standard error is below it" {
	out=$(mcprice -n 4096 --tolerance 0.02 --type call --spot 100 \
	    --strike 100 --maturity 1 --rate 0.05 --vol 0.2)
	se=$(csv_get stderr <<<"$out"); p=$(csv_get paths <<<"$out")
	awk -v s="$se" -v p="$p" 'BEGIN { exit !(s <= 0.02 && p > 4096) }'
	check_row 1 <<<"$out"
}

# A small book with every style and model, cheap enough to run many times.
small_book() {
	cat <<'EOF'
id,desk,type,style,model,spot,strike,maturity,rate,vol,v0,kappa,vbar,xi,rho_sv,lambda,jump_mean,jump_vol,fixings,barrier,barrier_type,rebate,strike_type,steps,spots,vols,correlation
a,"fx, spot",call,european,gbm,100,100,1,0.05,0.2,,,,,,,,,,,,,,,,,
b,rates,put,european,heston,100,100,1,0.05,,0.04,2,0.04,0.5,-0.7,,,,,,,,,8,,,
c,rates,call,european,merton,100,100,1,0.05,0.2,,,,,,1,-0.1,0.3,,,,,,,,,
d,exotics,call,asian,gbm,100,100,1,0.05,0.2,,,,,,,,,4,,,,,,,,
e,exotics,call,barrier,gbm,100,100,1,0.05,0.2,,,,,,,,,,90,down-out,1,,8,,,
f,exotics,put,lookback,gbm,100,,1,0.05,0.2,,,,,,,,,,,,,floating,,,,
g,exotics,put,american,gbm,36,40,1,0.06,0.2,,,,,,,,,8,,,,,,,,
h,exotics,call,basket,gbm,,100,1,0.05,,,,,,,,,,,,,,,,100;90,0.2;0.3,0.5
EOF
}

@test "--shard/--partial then --merge is byte-identical for N = 1, 3, 8" {
	for opts in "--greeks" "--antithetic" "--qmc sobol"; do
		small_book | mcprice -n 10000 $opts >"$BATS_TEST_TMPDIR/one"
		for N in 1 3 8; do
			for i in $(seq 0 $((N - 1))); do
				small_book |
				    mcprice -n 10000 $opts --shard $i/$N --partial |
				    if [ "$i" -gt 0 ]; then tail -n +2; else cat; fi
			done | mcprice --merge >"$BATS_TEST_TMPDIR/merged"
			cmp "$BATS_TEST_TMPDIR/one" "$BATS_TEST_TMPDIR/merged"
		done
	done
}

@test "-j 2 and -j 3 give the bytes of -j 1" {
	small_book | mcprice -n 10000 --greeks >"$BATS_TEST_TMPDIR/j1"
	small_book | mcprice -n 10000 --greeks -j 2 | cmp - "$BATS_TEST_TMPDIR/j1"
	small_book | mcprice -n 10000 --greeks -j 3 | cmp - "$BATS_TEST_TMPDIR/j1"
	small_book | mcprice -n 10000 --rng mt19937 >"$BATS_TEST_TMPDIR/m1"
	small_book | mcprice -n 10000 --rng mt19937 -j 2 |
	    cmp - "$BATS_TEST_TMPDIR/m1"
}

@test "every input column passes through, quoted fields included" {
	printf '%s\n' 'id,desk,type,spot,strike,maturity,rate,vol,note' \
	    '7,"equity, EMEA",call,100,100,1,0.05,0.2,"say ""hi""' \
	    'and bye"' >"$BATS_TEST_TMPDIR/b.csv"
	run mcprice -n 1000 "$BATS_TEST_TMPDIR/b.csv"
	assert_success
	assert_line --index 0 'id,desk,type,spot,strike,maturity,rate,vol,note,price,stderr,ci_lo,ci_hi,paths,ref'
	assert_line --index 1 '7,"equity, EMEA",call,100,100,1,0.05,0.2,"say ""hi""'
	[[ "${lines[2]}" == 'and bye",'* ]]
	# testdata/book.csv keeps its id and desk columns.
	mcprice -n 1000 "$TESTDATA/book.csv" | head -1 |
	    grep -q '^id,desk,type,style'
}

# bad_row HEADER ROW MESSAGE GOOD: a book of one GOOD row then ROW fails
# with exit 65 and MESSAGE, and stdout holds the header and the good row.
bad_row() {
	local book=$BATS_TEST_TMPDIR/bad-row.csv
	printf '%s\n%s\n' "$1" "$4" >"$book"
	fails -o "$(mcprice -n 100 <"$book")" 65 "mcprice: stdin:3: $3" \
	    sh -c 'mcprice -n 100 < "$1"' sh <(cat "$book"; printf '%s\n' "$2")
}

@test "bad rows: exit 65, the exact message, no row for them" {
	G=call,european,gbm,100,100,1,0.05,0,0.2
	bad_row "$H" call,exotic,gbm,100,100,1,0.05,0,0.2 \
	    "column 'style': expected european, digital, asian, barrier, lookback, american, bermudan or basket, got \"exotic\"" "$G"
	bad_row "$H" straddle,european,gbm,100,100,1,0.05,0,0.2 \
	    "column 'type': expected call or put, got \"straddle\"" "$G"
	bad_row "$H" call,european,sabr,100,100,1,0.05,0,0.2 \
	    "column 'model': expected gbm, heston or merton, got \"sabr\"" "$G"
	bad_row "$H" call,european,gbm,100,,1,0.05,0,0.2 \
	    "column 'strike': required, but missing or empty" "$G"
	bad_row "$H" call,european,gbm,100,100,1,0.05,0,abc \
	    "column 'vol': expected a number, got \"abc\"" "$G"
	bad_row "$H" call,european,gbm,100,100,1,0.05,0,0 \
	    "column 'vol': expected a number > 0, got \"0\"" "$G"
	bad_row "$H" call,european,gbm,100,100,-1,0.05,0,0.2 \
	    "column 'maturity': expected a number > 0, got \"-1\"" "$G"
	bad_row "$H" call,european,gbm,-100,100,1,0.05,0,0.2 \
	    "column 'spot': expected a number > 0, got \"-100\"" "$G"
	bad_row "$H" call,european,gbm,100,-5,1,0.05,0,0.2 \
	    "column 'strike': expected a number > 0, got \"-5\"" "$G"
	bad_row "$H,v0,kappa,vbar,xi,rho_sv" \
	    call,european,heston,100,100,1,0.05,0,,0.04,2,0.04,0.5,-1.5 \
	    "column 'rho_sv': expected a number from -1 to 1, got \"-1.5\"" "$G,,,,,"
	bad_row "$H,v0,kappa,vbar,xi,rho_sv" \
	    call,european,heston,100,100,1,0.05,0,,0.04,2,,0.5,-0.5 \
	    "column 'vbar' (long-run variance) is required for model heston" "$G,,,,,"
	bad_row "$H,barrier,barrier_type" \
	    call,barrier,gbm,100,100,1,0.05,0,0.2,120,down-out \
	    "column 'barrier': expected a level below spot for a down barrier, got \"120\"" "$G,,"
	bad_row "$H,barrier,barrier_type" \
	    put,barrier,gbm,100,100,1,0.05,0,0.2,90,up-in \
	    "column 'barrier': expected a level above spot for an up barrier, got \"90\"" "$G,,"
	bad_row "$H,spots,vols,correlation" \
	    'call,basket,gbm,,100,1,0.05,0,,100;100;100,0.2;0.2,0.5' \
	    "column 'vols': expected 3 values as in spots, got \"0.2;0.2\"" "$G,,,"
	bad_row "$H,spots,vols,correlation" \
	    'call,basket,gbm,,100,1,0.05,0,,100;100;100,0.2;0.2;0.2,1;0.9;-0.9;0.9;1;0.9;-0.9;0.9;1' \
	    "column 'correlation': expected a positive semi-definite matrix, but its smallest eigenvalue is -0.8, got \"1;0.9;-0.9;0.9;1;0.9;-0.9;0.9;1\"" "$G,,,"
}

@test "heston: vbar and rho_sv, never the Greeks' names theta and rho" {
	# A book with Heston's former names: theta and rho are Greeks now, so
	# they give way to the results and are not read.
	run --separate-stderr mcprice -n 100 <<EOF
$H,v0,kappa,theta,xi,rho
call,european,heston,100,100,1,0.05,0,,0.04,2,0.04,0.5,-0.5
EOF
	assert_equal "$status" 65
	assert_equal "$stderr" "mcprice: stdin:2: column 'vbar' (long-run variance) is required for model heston"
	assert_output "$H,v0,kappa,xi,price,stderr,ci_lo,ci_hi,paths,ref"
	run --separate-stderr mcprice -n 100 --type call --model heston \
	    --spot 100 --strike 100 --maturity 1 --rate 0.05 --v0 0.04 \
	    --kappa 2 --xi 0.5 --rho_sv -0.5
	assert_equal "$status" 64
	assert_equal "$stderr" "mcprice: --vbar (long-run variance) is required for model heston"
	assert_output ""
	# With --greeks every name of the header is there once.
	out=$(mcprice -n 2000 --greeks --type call --model heston --spot 100 \
	    --strike 100 --maturity 1 --rate 0.05 --v0 0.04 --kappa 2 \
	    --vbar 0.04 --xi 0.5 --rho_sv -0.5)
	assert_equal "$(head -1 <<<"$out" | tr , '\n' | sort | uniq -d)" ""
	[[ "$(head -1 <<<"$out")" == *,vbar,xi,rho_sv,price,*,rho,rho_se,theta,theta_se ]]
}

@test "a book without a type column, and bad options" {
	fails_table <<'EOF'
65|mcprice: stdin:1: no column 'type' in the header|printf 'spot,strike\n100,100\n' | mcprice
64|mcprice: --vol: expected a number > 0, got "-1"|mcprice --type call --spot 100 --strike 100 --maturity 1 --rate 0.05 --vol -1
64|mcprice: --qmc: expected sobol, got "halton"|mcprice --qmc halton --type call
64|mcprice: --tolerance: cannot be split into shards or partial rows (the count depends on all of them)|mcprice --tolerance 0.1 --partial
64|mcprice: --tolerance: expected a number > 0, got "0"|mcprice --tolerance 0 --type call
64|mcprice: --qmc: not with --rng (Sobol points replace the generator)|mcprice --qmc sobol --rng mt19937 --type call
64|mcprice: --merge: reads partial rows, not a contract|mcprice --merge --type call
64|mcprice: a contract from options reads no file|mcprice --type call book.csv
64|mcprice: --type: required, call or put|mcprice --spot 100 --strike 100
64|mcprice: unexpected argument "b.csv" (one FILE at most)|mcprice a.csv b.csv
EOF
}

@test "--merge refuses rows that are not partial rows" {
	fails 65 'mcprice: stdin:1: not mcprice partial rows (expected the columns ...,book_row,paths_per_n,name,n,sum,sumsq,mc_seed,mc_shard,mc_job)' \
	    sh -c "printf 'a,b\\n1,2\\n' | mcprice --merge"
}

@test "a full disk is a write error" {
	run --separate-stderr sh -c 'mcprice -n 100 < "$1" > /dev/full' sh \
	    "$TESTDATA/book.csv"
	assert_equal "$status" 74
	assert_equal "$stderr" "mcprice: write error: No space left on device"
}

@test "mcprice: a book's own paths or price columns give way to the results" {
	run --separate-stderr mcprice --type call --spot 100 --strike 100 \
	    --maturity 1 --rate 0.05 --vol 0.2 --paths 1000
	assert_success
	assert_line --index 0 "type,spot,strike,maturity,rate,vol,price,stderr,ci_lo,ci_hi,paths,ref"
	assert_line --index 1 --regexp ',1000,10\.45058357218'
	# A priced book priced again reads back with each column once; its
	# paths column, a per-row count, still wins over -n.
	run --separate-stderr bash -c "mcprice -n 1000 < '$TESTDATA/small-book.csv' |
	    mcprice -n 2000 --greeks"
	assert_success
	assert_line --index 0 --regexp '^id,desk,type,style,spot,strike,maturity,rate,vol,barrier,barrier_type,price,stderr,ci_lo,ci_hi,paths,ref,delta,delta_se,'
	assert_line --index 1 --regexp ',1000,10\.45058357218'
	# And so does its merge of shards.
	one=$(mcprice -n 9000 < "$TESTDATA/small-book.csv" | mcprice -n 9000)
	merged=$(mcprice -n 9000 < "$TESTDATA/small-book.csv" >"$BATS_TEST_TMPDIR/p.csv"
	    for i in 0 1 2; do mcprice -n 9000 --shard $i/3 --partial <"$BATS_TEST_TMPDIR/p.csv"; done |
	    mcprice --merge)
	assert_equal "$merged" "$one"
}

@test "a vol or rate that looks like a percentage gets a warning naming the row" {
	run --separate-stderr mcprice -n 1000 --type call --spot 100 --strike 100 \
	    --maturity 1 --rate 5 --vol 0.2
	assert_success
	# At r = 5 the call is S - K e^-5 through parity, its put never
	# pays, and a second line says the interval is the one-sided bound.
	assert_equal "${stderr_lines[0]}" "mcprice: warning: --rate 5 looks like a percentage; rate is a fraction (0.05 for 5%)"
	printf 'type,spot,strike,maturity,rate,vol\ncall,100,100,1,0.05,0.2\nput,100,100,1,0.05,25\n' >"$BATS_TEST_TMPDIR/b.csv"
	run --separate-stderr mcprice -n 1000 "$BATS_TEST_TMPDIR/b.csv"
	assert_success
	# At vol 25 every path's put pays K e^-rT: the one-sided bound's line
	# follows.
	assert_equal "${stderr_lines[0]}" "mcprice: warning: $BATS_TEST_TMPDIR/b.csv:3: column 'vol': 25 looks like a percentage; vol is a fraction (0.25 for 25%)"
	assert_equal "${#lines[@]}" 3
	# Fractions, even large ones, say nothing.
	run --separate-stderr mcprice -n 1000 --type call --spot 100 --strike 100 \
	    --maturity 1 --rate 0.9 --vol 4
	assert_success
	assert_equal "$stderr" ""
}

@test "extreme contracts: a finite price, or a message and no row (right or absent)" {
	local c='--type call --strike 100 --maturity 1'
	for a in "--vol 1e300 --rate 0.05 --spot 100" "--vol 0.2 --rate 1e300 --spot 100" \
	    "--vol 0.2 --rate 0.05 --spot 1e200"; do
		# shellcheck disable=SC2086
		run --separate-stderr mcprice -n 10000 $c $a
		assert_failure 65
		assert_output 'type,spot,strike,maturity,rate,vol,price,stderr,ci_lo,ci_hi,paths,ref'
		assert_equal "${stderr##*$'\n'}" "mcprice: options: no finite price: the payoffs or their spread lie beyond the double range (the contract's values are too extreme to price)"
	done
	# Deep in the money at a huge spot the call is its forward: right.
	run --separate-stderr mcprice -n 10000 $c --vol 0.2 --rate 0.05 --spot 1e100
	assert_success
	assert_line --index 1 --regexp '^call,1e100,100,1,0.05,0.2,1e\+100,'
}

# ---- --dual: the duality upper bound and the bracket (issue 10 item 2)

@test "--dual: bad options" {
	fails_table <<'EOF2'
64|mcprice: --dual: expected a count of 1 or more, got "0"|mcprice --dual 0 --type put
64|mcprice: --dual: expected a count like 1000 or 1e6, got "x"|mcprice --dual x --type put
64|mcprice: --dual: at most 2^34 outer paths, got 100000000000|mcprice --dual 1e11 --type put
64|mcprice: --dual-inner: expected an even count from 2 to 65536 (antithetic pairs), got 15|mcprice --dual 10 --dual-inner 15 --type put
64|mcprice: --dual-inner: expected an even count from 2 to 65536 (antithetic pairs), got 131072|mcprice --dual 10 --dual-inner 131072 --type put
64|mcprice: --dual-inner: needs --dual N (the outer paths)|mcprice --dual-inner 16 --type put
64|mcprice: --dual: cannot be split into shards, partial rows or a merge (the bound's paths are not sharded)|mcprice --dual 10 --partial
64|mcprice: --dual: cannot be split into shards, partial rows or a merge (the bound's paths are not sharded)|mcprice --dual 10 --shard 1/2
64|mcprice: --dual: cannot be split into shards, partial rows or a merge (the bound's paths are not sharded)|mcprice --dual 10 --merge
EOF2
}

@test "--dual: four columns, empty but for american and bermudan rows under gbm; a book's own column gives way" {
	printf '%s\n' type,style,model,spot,strike,maturity,rate,vol,fixings,v0,kappa,vbar,xi,rho_sv,upper \
	    put,bermudan,gbm,36,40,1,0.06,0.2,12,,,,,,u1 \
	    put,american,gbm,36,40,1,0.06,0.2,12,,,,,,u2 \
	    put,european,gbm,36,40,1,0.06,0.2,,,,,,,u3 \
	    put,bermudan,heston,36,40,1,0.06,,12,0.04,1,0.04,0.3,-0.5,u4 \
	    >"$BATS_TEST_TMPDIR/b.csv"
	run --separate-stderr mcprice -n 4096 --dual 50 --dual-inner 8 \
	    "$BATS_TEST_TMPDIR/b.csv"
	assert_success
	assert_line --index 0 'type,style,model,spot,strike,maturity,rate,vol,fixings,v0,kappa,vbar,xi,rho_sv,price,stderr,ci_lo,ci_hi,paths,ref,upper,upper_se,bracket_lo,bracket_hi'
	assert_equal "${#lines[@]}" 5
	# The bound is at least the price less noise, the bracket holds the
	# price; european and heston rows have none (empty fields).
	awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
		NR <= 3 && !($c["upper"] != "" && $c["upper_se"] > 0 &&
		    $c["bracket_lo"] < $c["price"] && $c["price"] < $c["upper"] + 4 * $c["upper_se"] &&
		    $c["upper"] < $c["bracket_hi"]) { print "row " NR ": " $0; bad = 1 }
		NR > 3 && !($c["upper"] == "" && $c["upper_se"] == "" &&
		    $c["bracket_lo"] == "" && $c["bracket_hi"] == "") { print "row " NR ": " $0; bad = 1 }
		END { exit bad }' <<<"$output"
	# Without --dual the book's upper column gives way all the same.
	run --separate-stderr mcprice -n 4096 "$BATS_TEST_TMPDIR/b.csv"
	assert_line --index 0 'type,style,model,spot,strike,maturity,rate,vol,fixings,v0,kappa,vbar,xi,rho_sv,price,stderr,ci_lo,ci_hi,paths,ref'
}

@test "--dual: the same bytes whatever the threads; an american's lower end is its bermudan's" {
	local c='--type put --spot 36 --strike 40 --maturity 1 --rate 0.06 --vol 0.2 --fixings 12'
	# shellcheck disable=SC2086
	a=$(mcprice -n 20000 -s 3 --dual 101 --dual-inner 8 -j 1 --style american $c)
	# shellcheck disable=SC2086
	b=$(mcprice -n 20000 -s 3 --dual 101 --dual-inner 8 -j 2 --style american $c)
	assert_equal "$a" "$b"
	# shellcheck disable=SC2086
	m=$(mcprice -n 20000 -s 3 --dual 101 --dual-inner 8 --style bermudan $c)
	assert_equal "$(csv_get bracket_lo <<<"$a")" "$(csv_get bracket_lo <<<"$m")"
}

@test "--dual: not with --fit or --fit-file, which serve shards" {
	local c='--type put --spot 36 --strike 40 --maturity 1 --rate 0.06 --vol 0.2 --style bermudan'
	# shellcheck disable=SC2086
	run --separate-stderr mcprice --dual 100 --fit $c
	assert_failure 64
	assert_output ''
	assert_equal "${stderr_lines[0]}" 'mcprice: --dual: not with --fit (the bound fits its own rules, in one process)'
	printf 'type,spot,strike,maturity,rate,vol,style\nput,36,40,1,0.06,0.2,bermudan\n' >"$BATS_TEST_TMPDIR/b.csv"
	run --separate-stderr mcprice --dual 100 --fit-file /dev/null "$BATS_TEST_TMPDIR/b.csv"
	assert_failure 64
	assert_output ''
	assert_equal "${stderr_lines[0]}" 'mcprice: --dual: not with --fit-file (the bound fits its own rules, in one process)'
}

@test "more threads than a row has blocks: the bytes of -j 1, in one process, --fit and shards" {
	# 5000 paths are two blocks: -j 7 runs two workers a row (and the
	# rows of the window side by side), each shard fewer still.
	local b="$BATS_TEST_TMPDIR/b.csv" f="$BATS_TEST_TMPDIR/fit.csv"
	{
		echo 'id,type,style,spot,strike,maturity,rate,vol,fixings,barrier,barrier_type'
		echo '1,put,american,100,105,1,0.05,0.25,20,,'
		echo '2,call,barrier,100,100,1,0.05,0.2,25,80,down-out'
		echo '3,call,european,100,95,0.5,0.03,0.3,,,'
		echo '4,put,bermudan,100,100,0.75,0.04,0.2,6,,'
		echo '5,call,asian,100,100,1,0.05,0.2,12,,'
	} >"$b"
	one=$(mcprice -n 5000 -s 9 -j 1 "$b")
	assert_equal "$(wc -l <<<"$one")" 6
	assert_equal "$(mcprice -n 5000 -s 9 -j 7 "$b")" "$one"
	mcprice -n 5000 -s 9 -j 1 --fit "$b" >"$f"
	assert_equal "$(mcprice -n 5000 -s 9 -j 7 --fit "$b")" "$(cat "$f")"
	for k in 0 1 2; do
		mcprice -n 5000 -s 9 -j 5 --fit-file "$f" --shard "$k/3" --partial "$b"
	done >"$BATS_TEST_TMPDIR/parts.csv"
	run --separate-stderr mcprice --merge "$BATS_TEST_TMPDIR/parts.csv"
	assert_success
	assert_output "$one"
}
