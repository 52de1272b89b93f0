#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-3.0-or-later
# mcgen: headers and counts, moments against closed forms, shards, bad
# input, pipes and full disks.

load test_helper

# Prints "mean se_mean var se_var" of column COL (default 1) of the CSV
# on stdin.  The variance's standard error is sqrt((m4 - var^2) / n).
moments() {
	awk -F, -v c="${1:-1}" 'NR > 1 { x[++n] = $c; s += $c }
	END {
		m = s / n
		for (i = 1; i <= n; i++) {
			d = x[i] - m; v += d * d; m4 += d * d * d * d
		}
		v /= n - 1; m4 /= n
		printf "%.17g %.17g %.17g %.17g\n", m, sqrt(v / n), v,
		    sqrt((m4 - v * v) / n)
	}'
}

# check_moments MEAN VAR -- mcgen arguments: 1e5 draws, seed 7.
check_moments() {
	local mean=$1 var=$2 m
	shift 3
	m=($(mcgen -n 1e5 -s 7 "$@" | moments))
	within_se "${m[0]}" "${m[1]}" "$mean"
	within_se "${m[2]}" "${m[3]}" "$var"
}

# Prints "r se" for the sample correlation of columns A and B.
correlation() {
	awk -F, -v a="$1" -v b="$2" 'NR > 1 {
		n++; x = $a; y = $b; sx += x; sy += y
		sxx += x * x; syy += y * y; sxy += x * y
	} END {
		mx = sx / n; my = sy / n
		cxy = sxy / n - mx * my; vx = sxx / n - mx * mx
		vy = syy / n - my * my; r = cxy / sqrt(vx * vy)
		printf "%.17g %.17g\n", r, (1 - r * r) / sqrt(n)
	}'
}

# Concatenates the N shards of an mcgen run, dropping repeated headers.
shards() {
	local n=$1 i
	shift
	for ((i = 0; i < n; i++)); do
		mcgen --shard "$i/$n" "$@" | if ((i > 0)); then tail -n +2; else cat; fi
	done
}

@test "uniform -d 2: header x1,x2 and one row per draw" {
	run --separate-stderr mcgen -n 5 -s 42 -d 2 uniform
	assert_success
	assert_equal "${lines[0]}" "x1,x2"
	assert_equal "${#lines[@]}" 6
	assert_equal "$stderr" ""
	[[ "${lines[3]}" =~ ^0\.[0-9]+,0\.[0-9]+$ ]]
}

@test "-n takes 1e3 forms; the default count is 10" {
	run --separate-stderr mcgen -n 2.5e3 normal
	assert_success
	assert_equal "${#lines[@]}" 2501
	run --separate-stderr mcgen normal mean=3
	assert_equal "${#lines[@]}" 11
}

@test "the same seed gives the same rows, another seed others" {
	a=$(mcgen -n 100 -s 5 gamma shape=2)
	b=$(mcgen -n 100 -s 5 gamma shape=2)
	c=$(mcgen -n 100 -s 6 gamma shape=2)
	[ "$a" = "$b" ]
	[ "$a" != "$c" ]
}

@test "the uniform fast path draws what --rng philox draws through GSL" {
	a=$(mcgen -n 5000 -s 3 -d 3 uniform a=-2 b=7)
	b=$(mcgen -n 5000 -s 3 -d 3 --rng philox uniform a=-2 b=7)
	[ "$a" = "$b" ]
}

@test "uniform a=2 b=5: mean 3.5, variance 0.75" {
	check_moments 3.5 0.75 -- uniform a=2 b=5
	check_moments 3.5 0.75 -- --rng mt19937 uniform a=2 b=5
}

@test "normal mean=1 sd=2: mean 1, variance 4" {
	check_moments 1 4 -- normal mean=1 sd=2
}

@test "lognormal meanlog=0.1 sdlog=0.5: exp(mu + s^2/2), (e^{s^2} - 1) e^{2mu + s^2}" {
	check_moments "$(awk 'BEGIN { printf "%.17g", exp(0.225) }')" \
	    "$(awk 'BEGIN { printf "%.17g", (exp(0.25) - 1) * exp(0.45) }')" \
	    -- lognormal meanlog=0.1 sdlog=0.5
}

@test "exponential: rate=2 has mean 1/2, mean=3 has variance 9" {
	check_moments 0.5 0.25 -- exponential rate=2
	check_moments 3 9 -- exponential mean=3
}

@test "gamma shape=2.5 scale=2: mean 5, variance 10" {
	check_moments 5 10 -- gamma shape=2.5 scale=2
}

@test "beta a=2 b=3: mean 0.4, variance 0.04" {
	check_moments 0.4 0.04 -- beta a=2 b=3
}

@test "student-t df=10: mean 0, variance 10/8" {
	check_moments 0 1.25 -- student-t df=10
}

@test "poisson mean=3.5: mean and variance 3.5, whole numbers" {
	check_moments 3.5 3.5 -- poisson mean=3.5
	run bash -c 'mcgen -n 1000 poisson mean=3.5 | tail -n +2 | grep -vc "^[0-9]*$"'
	assert_output 0
}

@test "mvnormal rho=0.5 -d 3: every pair correlated 0.5, sd and mean kept" {
	mcgen -n 1e5 -s 11 -d 3 mvnormal mean=2 sd=3 rho=0.5 > "$BATS_TEST_TMPDIR/mv.csv"
	for p in "1 2" "1 3" "2 3"; do
		r=($(correlation $p < "$BATS_TEST_TMPDIR/mv.csv"))
		within_se "${r[0]}" "${r[1]}" 0.5
	done
	m=($(moments 3 < "$BATS_TEST_TMPDIR/mv.csv"))
	within_se "${m[0]}" "${m[1]}" 2
	within_se "${m[2]}" "${m[3]}" 9
}

@test "mvnormal --corr: the sample correlations of a full matrix" {
	mcgen -n 1e5 -s 12 --corr '1,0.8,-0.3;0.8,1,0;-0.3,0,1' mvnormal > "$BATS_TEST_TMPDIR/mv.csv"
	assert_equal "$(head -1 "$BATS_TEST_TMPDIR/mv.csv")" "x1,x2,x3"
	r=($(correlation 1 2 < "$BATS_TEST_TMPDIR/mv.csv"))
	within_se "${r[0]}" "${r[1]}" 0.8
	r=($(correlation 1 3 < "$BATS_TEST_TMPDIR/mv.csv"))
	within_se "${r[0]}" "${r[1]}" -0.3
	r=($(correlation 2 3 < "$BATS_TEST_TMPDIR/mv.csv"))
	within_se "${r[0]}" "${r[1]}" 0
}

# Block means of 4096 rows are i.i.d. under --qmc sobol: their spread is
# the honest standard error.
@test "--qmc sobol normal: mean and variance from 32 replicate blocks" {
	run bash -c "mcgen -n 131072 -s 9 --qmc sobol normal mean=1 sd=2 |
	    awk -F, 'NR > 1 { b = int((NR - 2) / 4096); s[b] += \$1; q[b] += (\$1 - 1)^2 }
	    END { for (b = 0; b < 32; b++) { m = s[b] / 4096; v = q[b] / 4096
	      sm += m; smm += m * m; sv += v; svv += v * v }
	      mm = sm / 32; mv = sv / 32
	      printf \"%.17g %.17g %.17g %.17g\", mm, sqrt((smm / 32 - mm * mm) / 31),
	          mv, sqrt((svv / 32 - mv * mv) / 31) }'"
	assert_success
	m=($output)
	within_se "${m[0]}" "${m[1]}" 1
	within_se "${m[2]}" "${m[3]}" 4
}

@test "--qmc sobol: gamma, beta, student-t and -d columns by inverse CDF" {
	check_moments 5 10 -- --qmc sobol gamma shape=2.5 scale=2
	check_moments 0.4 0.04 -- --qmc sobol -d 2 beta a=2 b=3
	m=($(mcgen -n 1e5 -s 7 --qmc sobol -d 2 beta a=2 b=3 | moments 2))
	within_se "${m[0]}" "${m[1]}" 0.4
	check_moments 0 1.25 -- --qmc sobol student-t df=10
}

# Past the 21201 Sobol coordinates the columns are Philox uniforms
# (mc_qmc): mean 1/2 within 4 standard errors, every value inside (0, 1).
@test "--qmc sobol -d 21210: the columns past the Sobol table are uniform" {
	run bash -c "mcgen -n 256 -s 3 --qmc sobol -d 21210 uniform |
	    awk -F, 'NR > 1 { for (k = 21202; k <= 21210; k++) {
			if (!(\$k > 0 && \$k < 1)) bad = 1; s += \$k; n++ } }
		END { m = s / n; e = 4 * sqrt(1 / 12 / n)
			exit bad || m < 0.5 - e || m > 0.5 + e }'"
	assert_success
}

@test "--qmc sobol: the first 2^k rows of a block stratify each column" {
	run bash -c "mcgen -n 1024 -s 3 --qmc sobol -d 3 uniform |
	    awk -F, 'NR > 1 { for (c = 1; c <= 3; c++) seen[c, int(\$c * 1024)]++ }
	    END { for (k in seen) if (seen[k] != 1) bad++; print length(seen), bad + 0 }'"
	assert_output "3072 0"
}

@test "gbm: path,step,t,value rows, E[S_T] = S_0 e^{rT}, var log S_T = vol^2 T" {
	run --separate-stderr mcgen -n 3 gbm spot=100 rate=0.05 vol=0.2 maturity=1 steps=4
	assert_success
	assert_equal "${lines[0]}" "path,step,t,value"
	assert_equal "${#lines[@]}" 16
	assert_equal "${lines[1]}" "0,0,0,100"
	assert_equal "${lines[3]%,*}" "0,2,0.5"
	assert_equal "${lines[15]%,*}" "2,4,1"
	mcgen -n 1e5 -s 4 gbm spot=100 rate=0.05 vol=0.2 maturity=2 steps=2 |
	    awk -F, '$2 == 2 { print $4 "," log($4 / 100) }' | sed 1i\\h,l > "$BATS_TEST_TMPDIR/st.csv"
	m=($(moments 1 < "$BATS_TEST_TMPDIR/st.csv"))
	within_se "${m[0]}" "${m[1]}" "$(awk 'BEGIN { printf "%.17g", 100 * exp(0.1) }')"
	m=($(moments 2 < "$BATS_TEST_TMPDIR/st.csv"))
	within_se "${m[2]}" "${m[3]}" 0.08
}

@test "heston and merton: E[S_T] = S_0 e^{(r-q)T}" {
	for model in "heston v0=0.04 kappa=1.5 vbar=0.06 xi=0.5 rho_sv=-0.7" \
	    "merton vol=0.2 lambda=1 jump_mean=-0.1 jump_vol=0.2"; do
		m=($(mcgen -n 5e4 -s 8 $model spot=50 rate=0.03 dividend=0.01 maturity=1 steps=8 |
		    awk -F, '$2 == 8 { print $4 }' | sed 1i\\h | moments))
		within_se "${m[0]}" "${m[1]}" "$(awk 'BEGIN { printf "%.17g", 50 * exp(0.02) }')"
	done
}

@test "--qmc sobol gbm: E[S_T] from 32 replicate blocks of paths" {
	run bash -c "mcgen -n 131072 -s 2 --qmc sobol gbm spot=100 rate=0.05 vol=0.3 maturity=1 steps=2 |
	    awk -F, '\$2 == 2 { b = int(\$1 / 4096); s[b] += \$4 }
	    END { for (b = 0; b < 32; b++) { m = s[b] / 4096; sm += m; smm += m * m }
	      mm = sm / 32; printf \"%.17g %.17g\", mm, sqrt((smm / 32 - mm * mm) / 31) }'"
	assert_success
	m=($output)
	within_se "${m[0]}" "${m[1]}" "$(awk 'BEGIN { printf "%.17g", 100 * exp(0.05) }')"
}

@test "poisson mean=5e9 and 1e12 return whole counts with the right mean and variance" {
	check_moments 5e9 5e9 -- poisson mean=5e9
	check_moments 1e12 1e12 -- poisson mean=1e12
	# Counts from 1e15 up may print as 1.00000000394158e+15: the same
	# whole number, in mc_fmt's shortest digits.
	run bash -c "mcgen -n 1000 poisson mean=1e15 | awk 'NR > 1 && \$1 != int(\$1) { bad++ } END { print NR, bad + 0 }'"
	assert_output "1001 0"
}

@test "binomial size=1e12 and negative-binomial with mean 5e9: mean and variance" {
	check_moments 3e11 2.1e11 -- binomial size=1e12 prob=0.3
	check_moments "$(awk 'BEGIN { printf "%.17g", 2 * (1 - 4e-10) / 4e-10 }')" \
	    "$(awk 'BEGIN { printf "%.17g", 2 * (1 - 4e-10) / 4e-10 ^ 2 }')" \
	    -- negative-binomial size=2 prob=4e-10
}

@test "vector distributions: multinomial rows sum to size, dirichlet to 1, sphere squares to 1" {
	run bash -c "mcgen -n 1000 multinomial size=1e12 prob=1,0,2 |
	    awk -F, 'NR == 1 { print } NR > 1 && \$1 + \$2 + \$3 != 1e12 { bad++ } END { print bad + 0 }'"
	assert_output $'x1,x2,x3\n0'
	run bash -c "mcgen -n 1000 dirichlet alpha=0.5,1,2 |
	    awk -F, 'NR > 1 && (\$1 + \$2 + \$3 - 1)^2 > 1e-28 { bad++ } END { print NR, bad + 0 }'"
	assert_output "1001 0"
	run bash -c "mcgen -n 1000 -d 4 sphere |
	    awk -F, 'NR > 1 && (\$1^2 + \$2^2 + \$3^2 + \$4^2 - 1)^2 > 1e-28 { bad++ } END { print NR, bad + 0 }'"
	assert_output "1001 0"
	check_moments 1 6 -- -d 2 mvt df=6 location=1 scale=2 rho=0.5
}

@test "categorical prob=1,2,3,4: categories 1 to 4, mean 3, variance 1" {
	check_moments 3 1 -- categorical prob=1,2,3,4
}

@test "--qmc sobol maps points through the new inverse CDFs" {
	check_moments "$(awk 'BEGIN { printf "%.17g", sqrt(atan2(0, -1)) / 2 }')" \
	    "$(awk 'BEGIN { printf "%.17g", 1 - atan2(0, -1) / 4 }')" -- --qmc sobol weibull shape=2
	check_moments 4 2 -- --qmc sobol -d 2 integers min=2 max=6
}

# 8193 rows are three blocks (4096, 4096, 1): three shards, one block each,
# meet at both block edges.
@test "every new distribution: 3 shards concatenate to the unsharded output" {
	while IFS= read -r args; do
		mcgen -n 8193 -s 5 $args > "$BATS_TEST_TMPDIR/all.csv"
		shards 3 -n 8193 -s 5 $args | cmp - "$BATS_TEST_TMPDIR/all.csv" ||
		    { echo "shards of $args differ"; return 1; }
	done <<'EOF'
chisq df=3
f df1=3 df2=5
cauchy location=1
laplace scale=2
logistic
gumbel scale=2
frechet shape=2
weibull shape=2
pareto shape=3
rayleigh
levy
stable alpha=1.5 beta=0.5
exppow shape=1.5
landau
gaussian-tail a=1
rayleigh-tail a=1
vonmises kappa=2
integers max=1e12
bernoulli prob=0.3
binomial size=5e9 prob=0.3
negative-binomial size=2 prob=1e-9
geometric prob=0.01
hypergeometric m=4e9 n=6e9 k=3e9
logarithmic theta=0.9
categorical prob=1,2,3
multinomial size=1e12 prob=1,2,3
dirichlet alpha=1,2
-d 3 mvt df=4 rho=0.2
-d 3 sphere
poisson mean=5e9
--rng mt19937 -d 2 binomial size=1e10
--qmc sobol -d 2 weibull shape=2
EOF
}

@test "--no-header: the same rows without the header; shards concatenate with cat" {
	for args in "-d 2 normal" "-d 3 uniform" "gbm steps=2" "multinomial size=5 prob=1,1"; do
		run --separate-stderr mcgen --no-header -n 5 -s 3 $args
		assert_success
		assert_equal "$output" "$(mcgen -n 5 -s 3 $args | tail -n +2)"
	done
	mcgen --no-header -n 10001 -s 5 binomial size=10 > "$BATS_TEST_TMPDIR/all.csv"
	for i in 0 1 2; do mcgen --no-header --shard "$i/3" -n 10001 -s 5 binomial size=10; done |
	    cmp - "$BATS_TEST_TMPDIR/all.csv"
}

@test "bad parameters of the new distributions: exact messages" {
	fails_table <<'EOF'
64|mcgen: mean: expected a number > 0 and <= 1e+15, got "1e16"|mcgen poisson mean=1e16
64|mcgen: size: expected a number >= 0 and <= 9007199254740992, got "1e17"|mcgen binomial size=1e17
64|mcgen: size: expected a whole number, got "2.5"|mcgen binomial size=2.5
64|mcgen: binomial: size=VALUE is required|mcgen binomial
64|mcgen: prob: expected a number >= 1e-14 and <= 1, got "0"|mcgen geometric prob=0
64|mcgen: negative-binomial: the mean size*(1-prob)/prob is 9.999999999e+15, above 1e15 (counts would pass 2^53, where doubles skip whole numbers)|mcgen negative-binomial size=1e6 prob=1e-10
64|mcgen: hypergeometric: expected k <= m+n (k balls drawn from m white and n black)|mcgen hypergeometric m=1 n=1 k=3
64|mcgen: integers: expected min <= max|mcgen integers min=5 max=1
64|mcgen: prob: expected a number >= 0, got "a"|mcgen categorical prob=a,b
64|mcgen: categorical: expected weights in prob= with a positive, finite sum|mcgen categorical prob=0,0
64|mcgen: -d 2, but multinomial's list has 3 numbers, one a column (drop -d)|mcgen -d 2 multinomial size=3 prob=1,2,3
64|mcgen: --qmc sobol: binomial has no inverse CDF to map Sobol points through; drop --qmc|mcgen --qmc sobol binomial size=3
64|mcgen: mvt: give --corr or rho=, not both|mcgen --corr '1,0.5;0.5,1' mvt df=3 rho=0.5
64|mcgen: --corr: not a correlation matrix (not positive definite), got "1,0.9,0.9;0.9,1,-0.9;0.9,-0.9,1"|mcgen --corr '1,0.9,0.9;0.9,1,-0.9;0.9,-0.9,1' mvt df=3
64|mcgen: landau: unknown parameter "x" (landau takes none)|mcgen landau x=1
64|mcgen: stable: alpha=VALUE is required|mcgen stable
64|mcgen: gamma: give scale or rate, not both|mcgen gamma scale=2 rate=1
EOF
}

@test "shards 1, 3, 7 concatenate to the unsharded output, byte for byte" {
	for args in "-d 2 uniform" "normal sd=3" "-d 2 --rng mt19937 gamma shape=3" \
	    "--qmc sobol -d 2 normal" "-d 2 mvnormal rho=0.3"; do
		mcgen -n 10001 -s 5 $args > "$BATS_TEST_TMPDIR/all.csv"
		for n in 1 3 7; do
			shards "$n" -n 10001 -s 5 $args | cmp - "$BATS_TEST_TMPDIR/all.csv"
		done
	done
	for args in "gbm steps=3" "--qmc sobol heston steps=3"; do
		mcgen -n 5000 -s 5 $args > "$BATS_TEST_TMPDIR/all.csv"
		for n in 1 3 7; do
			shards "$n" -n 5000 -s 5 $args | cmp - "$BATS_TEST_TMPDIR/all.csv"
		done
	done
}

@test "a shard with no block is a header alone" {
	run --separate-stderr mcgen -n 10 --shard 0/2 uniform
	assert_success
	assert_output "x1"
}

@test "bad distributions and parameters are usage errors with exact messages" {
	fails_table <<'EOF'
64|mcgen: unknown distribution "foo" (one of uniform, normal, lognormal, exponential, gamma, beta, student-t, poisson, mvnormal, chisq, f, cauchy, laplace, logistic, gumbel, frechet, weibull, pareto, rayleigh, levy, stable, exppow, landau, gaussian-tail, rayleigh-tail, vonmises, integers, bernoulli, binomial, negative-binomial, geometric, hypergeometric, logarithmic, categorical, multinomial, dirichlet, mvt, sphere, gbm, heston, merton)|mcgen foo
64|mcgen: no distribution given (one of uniform, normal, lognormal, exponential, gamma, beta, student-t, poisson, mvnormal, chisq, f, cauchy, laplace, logistic, gumbel, frechet, weibull, pareto, rayleigh, levy, stable, exppow, landau, gaussian-tail, rayleigh-tail, vonmises, integers, bernoulli, binomial, negative-binomial, geometric, hypergeometric, logarithmic, categorical, multinomial, dirichlet, mvt, sphere, gbm, heston, merton)|mcgen
64|mcgen: sd: expected a number > 0, got "-1"|mcgen normal sd=-1
64|mcgen: sd: expected a number > 0, got "abc"|mcgen normal sd=abc
64|mcgen: normal: unknown parameter "foo" (normal takes mean, sd)|mcgen normal foo=1
64|mcgen: expected PARAM=VALUE after normal, got "sd"|mcgen normal sd
64|mcgen: sd: given twice|mcgen normal sd=1 sd=2
64|mcgen: student-t: df=VALUE is required|mcgen student-t
64|mcgen: uniform: expected a < b|mcgen uniform a=2 b=1
64|mcgen: exponential: give mean or rate, not both|mcgen exponential mean=1 rate=2
64|mcgen: steps: expected a whole number, got "2.5"|mcgen gbm steps=2.5
64|mcgen: vol: expected a number > 0, got "0"|mcgen gbm vol=0
64|mcgen: rho_sv: expected a number >= -1 and <= 1, got "1.5"|mcgen heston rho_sv=1.5
64|mcgen: heston: unknown parameter "theta" (heston takes spot, rate, dividend, maturity, steps, v0, kappa, vbar, xi, rho_sv)|mcgen heston theta=0.04
64|mcgen: gbm: paths take no -d (one value a date: set steps=)|mcgen -d 2 gbm
EOF
}

@test "bad options are usage errors with exact messages" {
	fails_table <<'EOF'
64|mcgen: -n: expected a count of 1 or more, got "-5"|mcgen -n -5 uniform
64|mcgen: -n: expected a count like 1000 or 1e6, got "abc"|mcgen -n abc uniform
64|mcgen: -n: count out of range (at most 2^63-1), got "1e30"|mcgen -n 1e30 uniform
64|mcgen: -n: expected a count of 1 or more, got "0"|mcgen -n 0 uniform
64|mcgen: -d: expected a dimension from 1 to 100000, got "0"|mcgen -d 0 uniform
64|mcgen: --shard: I must be below N (shards are numbered 0 to N-1), got "3/3"|mcgen --shard 3/3 uniform
64|mcgen: --shard: expected I/N with 0 <= I < N, got "x"|mcgen --shard x uniform
64|mcgen: --rng: unknown generator "nope" (try philox, mt19937, ranlxd2 or taus2)|mcgen --rng nope uniform
64|mcgen: --qmc: expected sobol, got "halton"|mcgen --qmc halton uniform
64|mcgen: --qmc sobol: poisson has no inverse CDF to map Sobol points through; drop --qmc|mcgen --qmc sobol poisson
64|mcgen: --qmc sobol and --rng: choose one|mcgen --qmc sobol --rng mt19937 normal
64|mcgen: unknown option "-x"; see 'mcgen --help'|mcgen -x uniform
64|mcgen: option "-n" needs a value; see 'mcgen --help'|mcgen uniform -n
EOF
}

@test "bad correlation matrices are usage errors with exact messages" {
	fails_table <<'EOF'
64|mcgen: --corr: expected a symmetric matrix with 1 on the diagonal and entries from -1 to 1, got "1,2;2,1"|mcgen --corr '1,2;2,1' mvnormal
64|mcgen: --corr: expected a symmetric matrix with 1 on the diagonal and entries from -1 to 1, got "1,0.5;0.4,1"|mcgen --corr '1,0.5;0.4,1' mvnormal
64|mcgen: --corr: not a correlation matrix (not positive definite), got "1,0.9,0.9;0.9,1,-0.9;0.9,-0.9,1"|mcgen --corr '1,0.9,0.9;0.9,1,-0.9;0.9,-0.9,1' mvnormal
64|mcgen: --corr: expected a square matrix, rows split by ';' and entries by ',' (like 1,0.5;0.5,1), got "1,0.5"|mcgen --corr '1,0.5' mvnormal
64|mcgen: --corr: expected a square matrix, rows split by ';' and entries by ',' (like 1,0.5;0.5,1), got "1,,0.5;0.5,1"|mcgen --corr '1,,0.5;0.5,1' mvnormal
64|mcgen: --corr: a 2x2 matrix, but -d 3|mcgen -d 3 --corr '1,0.5;0.5,1' mvnormal
64|mcgen: --corr: only mvnormal and mvt take a correlation matrix|mcgen --corr '1,0.5;0.5,1' normal
64|mcgen: rho: -0.6 is no correlation between every two of 3 columns (it needs rho > -1/(d-1))|mcgen -d 3 mvnormal rho=-0.6
64|mcgen: mvnormal: give --corr or rho=, not both|mcgen --corr '1,0.5;0.5,1' mvnormal rho=0.5
EOF
}

@test "mcgen | head ends quietly" {
	run --separate-stderr bash -c 'mcgen -n 1e7 uniform | head -3; echo "${PIPESTATUS[0]}"'
	assert_equal "$stderr" ""
	assert_equal "${#lines[@]}" 4
	[[ "${lines[3]}" = 0 || "${lines[3]}" = 141 ]]
	run --separate-stderr bash -c 'mcgen -n 1e6 gbm steps=3 | head -1; echo "${PIPESTATUS[0]}"'
	assert_equal "$stderr" ""
	[[ "${lines[1]}" = 0 || "${lines[1]}" = 141 ]]
}

@test "> /dev/full exits 74 with the reason" {
	for args in "-n 3 uniform" "-n 1e5 -d 2 uniform" "-n 100 normal" "-n 100 gbm"; do
		run --separate-stderr bash -c "mcgen $args > /dev/full"
		assert_equal "$status" 74
		assert_equal "$stderr" "mcgen: write error: No space left on device"
	done
}

@test "--help prints the synopsis to stdout, --version the version" {
	run --separate-stderr mcgen --help
	assert_success
	assert_line --index 0 --partial "usage: mcgen [-h] [--version] [-n COUNT] [-s SEED] [-d DIM]"
	assert_equal "$stderr" ""
	run --separate-stderr mcgen --version
	assert_output "mcgen (mctools) 0.1"
}

@test "mcgen --progress: counts on stderr only, and the same stdout" {
	# Files, not run's variables: bats splits $output into lines, which
	# took most of a minute for 2e6 rows.
	mcgen -n 2e6 -s 3 --progress normal >"$BATS_TEST_TMPDIR/out" \
	    2>"$BATS_TEST_TMPDIR/err"
	[[ "$(cat "$BATS_TEST_TMPDIR/err")" == *"mcgen: 2.00M of 2.00M rows (100%)"* ]]
	mcgen -n 2e6 -s 3 normal | cmp - "$BATS_TEST_TMPDIR/out"
}
