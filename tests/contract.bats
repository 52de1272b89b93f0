#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-3.0-or-later
# The closed contract (mctools(7)): every file a program writes is read
# back by every program that takes that kind of file, with hostile but
# valid column names (name, n, price, rho, theta, seed, a name with a
# comma and a quote, a UTF-8 name); no header holds a name twice; a
# user's column that meets a program's own follows the program's one
# documented rule; and every merge refuses what is not the whole set of
# shards of one job, with its message, exit 65 and nothing on stdout.

load test_helper

setup() {
	T=$BATS_TEST_TMPDIR
	cd "$T" || return 1
	C='type,style,model,spot,strike,maturity,rate,vol,v0,kappa,vbar,xi,rho_sv,fixings'
	# A book whose own columns are named like what the programs add.
	cat >book.csv <<-EOF
		id,name,n,price,rho,theta,seed,"a,""b",σ-desk,$C
		1,alpha,3,1.5,0.1,0.2,,x,é,call,european,gbm,100,100,1,0.05,0.2,,,,,,
		2,beta,4,2.5,0.1,0.2,7,y,ü,put,asian,gbm,100,100,1,0.05,0.2,,,,,,12
		3,gamma,5,,0.1,0.2,,z,ß,call,european,heston,100,100,1,0.02,,0.04,2,0.04,0.5,-0.7,
	EOF
	# The same without name and n, which partial rows keep for their own.
	cat >pbook.csv <<-EOF
		id,price,rho,theta,seed,"a,""b",σ-desk,$C
		1,1.5,0.1,0.2,,x,é,call,european,gbm,100,100,1,0.05,0.2,,,,,,
		2,2.5,0.1,0.2,7,y,ü,put,asian,gbm,100,100,1,0.05,0.2,,,,,,12
		3,,0.1,0.2,,z,ß,call,european,heston,100,100,1,0.02,,0.04,2,0.04,0.5,-0.7,
	EOF
	# Data with the same hostile names, grouped by seed.
	{
		printf '%s\n' 'seed,name,n,price,rho,theta,"a,""b",σ'
		awk 'BEGIN { for (i = 1; i <= 40; i++)
		    print i % 2 + 1 "," i "," i * i "," (-i) "," i / 7 "," \
		    (i * 13) % 17 "," i + 0.5 "," 100 - i }'
	} >data.csv
}

# python's csv module reads stdin: a header with no name twice, at least
# one row, every row as wide as the header.
py_reads() {
	python3 -c '
import csv, sys
rows = list(csv.reader(sys.stdin))
head = rows[0]
twice = sorted({h for h in head if head.count(h) > 1})
if twice:
    sys.exit("names twice: %r" % twice)
if len(rows) < 2:
    sys.exit("no rows")
for r in rows[1:]:
    if len(r) != len(head):
        sys.exit("%d fields under %d names: %r" % (len(r), len(head), r))
'
}

# reads_back FILE: python reads FILE as py_reads says.
reads_back() {
	py_reads <"$1" || fail "python cannot read $1: $(head -2 "$1")"
}

# plotxy_reads FILE ARG...: plotxy makes a script with data from FILE.
plotxy_reads() {
	local f=$1
	shift
	run --separate-stderr plotxy "$@" --script "$f"
	assert_success
	[[ $output == *$'$data << EOD\n'[-0-9n]* ]] ||
	    fail "plotxy $* $f: no data in the script"
}

# mcstat_reads FILE ARG...: mcstat summarises FILE into rows that python
# reads back.
mcstat_reads() {
	local f=$1
	shift
	run --separate-stderr mcstat "$@" "$f"
	assert_success
	py_reads <<<"$output" || fail "mcstat $* $f: $output"
}

# refuses STATUS MESSAGE CMD...: CMD exits STATUS with MESSAGE on stderr
# and nothing on stdout.
refuses() {
	local want=$1 msg=$2
	shift 2
	run --separate-stderr "$@"
	assert_equal "$status" "$want"
	assert_equal "$stderr" "$msg"
	assert_equal "$output" ""
}

# shards N CMD...: CMD --shard I/N --partial for each I, joined as mcfan
# joins them (one header).
shards() {
	local n=$1 i
	shift
	for ((i = 0; i < n; i++)); do
		"$@" --shard "$i/$n" --partial | if [ $i -gt 0 ]; then
			tail -n +2
		else
			cat
		fi
	done
}

@test "contract: mcgen's variates and paths read back everywhere" {
	mcgen -n 50 -s 1 -d 2 uniform >u.csv
	reads_back u.csv
	mcstat_reads u.csv
	plotxy_reads u.csv -x x1 -y x2
	run mcpi --points u.csv
	assert_success
	mcgen -n 3 -s 1 gbm spot=100 rate=0.05 vol=0.2 maturity=1 steps=4 >p.csv
	reads_back p.csv
	mcstat_reads p.csv -c value --by path
	plotxy_reads p.csv -x t -y value --by path --with lines
}

@test "contract: mcpi's estimate, trace and darts read back everywhere" {
	mcpi -n 1e4 -s 2 >e.csv
	mcpi -n 1e4 -s 2 --trace 1000 >t.csv
	for f in e.csv t.csv; do
		reads_back $f
		mcstat_reads $f -c mean
		plotxy_reads $f -x n -y mean --err ci_lo,ci_hi --with errorbars
	done
	mcpi -n 200 -s 2 --dump >d.csv
	reads_back d.csv
	mcstat_reads d.csv -c inside
	plotxy_reads d.csv -x x -y y --by inside
	run mcpi --points --cols x,y d.csv
	assert_success
}

@test "contract: mcpi's partial rows merge to its single run" {
	shards 3 mcpi -n 30000 -s 5 >part.csv
	reads_back part.csv
	mcpi -n 30000 -s 5 | cmp - <(mcstat --merge part.csv)
}

@test "contract: a priced book with hostile names reads back everywhere" {
	local g
	for g in "" --greeks; do
		mcprice -n 2000 -s 3 $g book.csv >priced.csv
		reads_back priced.csv
		# The book's name, n and seed pass through; its price, rho and
		# theta give way to the results, at the end.
		head -1 priced.csv | grep -q '^id,name,n,seed,"a,""b",σ-desk,type,'
		head -1 priced.csv | grep -q ',rho_sv,fixings,price,stderr,'
		mcstat_reads priced.csv -c price --by id
		assert_equal "${#lines[@]}" 4
		# ref is empty where no closed form exists: a missing value.
		refuses 65 "mcstat: priced.csv:3: column 'ref': empty (a missing value); --skip-empty skips such fields" \
		    mcstat -c ref priced.csv
		run --separate-stderr mcstat -c ref --skip-empty priced.csv
		assert_success
		assert_equal "$stderr" "mcstat: skipped 1 empty field of column 'ref'"
		assert_line --index 1 --regexp '^ref,2,'
		plotxy_reads priced.csv -x strike -y ref --with points
		assert_line --regexp '^100 nan$'
		# Priced again: each name once.
		mcprice -n 1000 -s 3 $g priced.csv >again.csv
		reads_back again.csv
		assert_equal "$(head -1 again.csv)" "$(head -1 priced.csv)"
	done
	mcstat_reads priced.csv -c delta,rho,theta --by id
	plotxy_reads priced.csv -x id -y delta,rho,theta
}

@test "contract: partial rows of a hostile book merge, in mcprice and mcstat" {
	local g k
	for g in "" --greeks; do
		mcprice -n 3000 -s 3 $g pbook.csv >one.csv
		reads_back one.csv
		shards 3 mcprice -n 3000 -s 3 $g pbook.csv >part.csv
		reads_back part.csv
		mcprice --merge part.csv | cmp - one.csv
		# mcstat merges them too, into an estimate row per statistic.
		mcstat_reads part.csv --merge
		k=1
		[ -z "$g" ] || k=6
		assert_equal "${#lines[@]}" $((1 + 3 * k))
	done
}

@test "contract: mcstat's estimates, partial rows, bins and quantiles read back" {
	mcstat --by seed data.csv >est.csv
	reads_back est.csv
	# The hostile names are values of mcstat's name column.
	grep -q '^1,"a,""b",20,' est.csv
	grep -q '^2,σ,20,' est.csv
	mcstat_reads est.csv -c mean,sd --by seed
	plotxy_reads est.csv -x seed -y mean --by name --err ci_lo,ci_hi
	shards_of_data() {
		local f
		head -1 data.csv >hdr
		tail -n +2 data.csv | split -l 7 - chunk.
		for f in chunk.*; do
			cat hdr "$f" | mcstat --by seed --partial
		done
	}
	shards_of_data >part.csv
	reads_back part.csv
	mcstat --merge part.csv | cmp - est.csv
	mcstat -c price --hist 4 data.csv >hist.csv
	reads_back hist.csv
	plotxy_reads hist.csv -x mid -y count --with boxes
	mcstat -c price,σ --by seed --quantiles 0.1,0.5 data.csv >q.csv
	reads_back q.csv
	plotxy_reads q.csv -x seed -y q0.5 --by name
}

@test "contract: an empty field is a missing value, a gap in plotxy's lines" {
	printf 'x,y,z\n1,1,5\n2,,6\n3,3,\n' >g.csv
	plotxy_reads g.csv -x x -y y,z --with lines
	assert_output --partial $'$data << EOD\n1 1 5\n2 nan 6\n3 3 nan\nEOD\n'
	refuses 65 "mcstat: g.csv:3: column 'y': empty (a missing value); --skip-empty skips such fields" \
	    mcstat g.csv
	run --separate-stderr mcstat --skip-empty g.csv
	assert_success
	assert_equal "$stderr" "$(printf '%s\n' "mcstat: skipped 1 empty field of column 'y'" "mcstat: skipped 1 empty field of column 'z'")"
	assert_line --index 1 --regexp '^x,3,2,'
	assert_line --index 2 --regexp '^y,2,2,'
	assert_line --index 3 --regexp '^z,2,5\.5,'
}

@test "contract: mcfan's merged rows are the single run's and read back" {
	mcfan -N 3 -- mcpi -n 30000 -s 9 >fan.csv
	reads_back fan.csv
	mcpi -n 30000 -s 9 | cmp - fan.csv
	mcfan -N 3 -- mcprice -n 3000 -s 3 --greeks <pbook.csv >fan.csv
	reads_back fan.csv
	mcprice -n 3000 -s 3 --greeks pbook.csv | cmp - fan.csv
	plotxy_reads fan.csv -x id -y price,rho
}

@test "contract: mcfan-slurm's tasks and merge give the single run" {
	local i
	mkdir sh
	cp pbook.csv sh/stdin
	for ((i = 0; i < 3; i++)); do
		SLURM_ARRAY_TASK_ID=$i mcfan-slurm --task 0 3 "$T/sh" -- \
		    mcprice -n 3000 -s 3
	done
	mcfan-slurm --merge 3 "$T/sh" "$T/slurm.csv" \
	    "$(dirname "$(command -v mcprice)")"
	reads_back slurm.csv
	mcprice -n 3000 -s 3 pbook.csv | cmp - slurm.csv
}

@test "collisions: a book's result-named columns give way in final rows" {
	printf 'id,paths,ref,price,delta_se,rho,type,spot,strike,maturity,rate,vol\n' >b.csv
	printf '1,50,x,y,z,0.3,call,100,100,1,0.05,0.2\n' >>b.csv
	run --separate-stderr mcprice -n 100 --greeks b.csv
	assert_success
	assert_line --index 0 'id,type,spot,strike,maturity,rate,vol,price,stderr,ci_lo,ci_hi,paths,ref,delta,delta_se,gamma,gamma_se,vega,vega_se,rho,rho_se,theta,theta_se'
	# The book's paths column is still read (50 paths), then replaced.
	assert_line --index 1 --regexp '^1,call,100,100,1,0\.05,0\.2,[^,]*,[^,]*,[^,]*,[^,]*,50,10\.45'
}

@test "collisions: --partial refuses a book column named like its own" {
	local c
	for c in name n sum sumsq book_row paths_per_n mc_seed mc_shard mc_job; do
		printf '%s,type,spot,strike,maturity,rate,vol\nx,call,100,100,1,0.05,0.2\n' "$c" >b.csv
		refuses 64 "mcprice: b.csv:1: the book's column '$c' is also a column of partial rows; rename it" \
		    mcprice -n 100 --partial b.csv
		run --separate-stderr mcprice -n 100 b.csv
		assert_success
	done
}

@test "collisions: mcstat --by a column named like one mcstat writes" {
	local by
	for by in name n mean stderr ci_lo ci_hi sd; do
		refuses 64 "mcstat: --by: column '$by' would meet mcstat's own column '$by' in the output; rename it in the input" \
		    mcstat --by "$by" data.csv
	done
	for by in sum sumsq mc_seed mc_shard mc_job mean; do
		refuses 64 "mcstat: --by: column '$by' would meet mcstat's own column '$by' in the output; rename it in the input" \
		    mcstat --partial --by "$by" data.csv
	done
	refuses 64 "mcstat: --by: column 'count' would meet mcstat's own column 'count' in the output; rename it in the input" \
	    mcstat --hist 3 --by count data.csv
	refuses 64 "mcstat: --by: column 'q0.5' would meet mcstat's own column 'q0.5' in the output; rename it in the input" \
	    mcstat --quantiles 0.5 --by q0.5 data.csv
	refuses 64 "mcstat: --by: column 'seed' given twice" \
	    mcstat --by seed,seed data.csv
	# Names mcstat does not write in a mode are free to group by.
	printf 'sum,count,v\n1,2,3\n' >s.csv
	run mcstat --by sum,count -c v s.csv
	assert_success
	assert_line --index 0 'sum,count,name,n,mean,stderr,ci_lo,ci_hi,sd'
}

@test "collisions: mcstat --merge refuses a key named like a merged column" {
	printf 'mean,name,n,sum,sumsq,mc_seed,mc_shard,mc_job\n1,v,1,1,1,,data:0123456789abcdef,0123456789abcdef\n' >p.csv
	refuses 65 "mcstat: p.csv:1: column 'mean' is a key of these partial rows and a column of the merged rows; rename it" \
	    mcstat --merge p.csv
}

# mcpi's partial rows, for the refusals below.
pi() {
	mcpi -n 20000 -s 42 --partial "$@"
}

@test "merge refusals: mcstat --merge names the shards" {
	{ pi --shard 0/2; pi --shard 0/2 | tail -1; pi --shard 1/2 | tail -1; } >p.csv
	refuses 65 "mcstat: p.csv:3: shard 0/2 given twice (also at p.csv:2)" \
	    mcstat --merge p.csv
	{ pi --shard 0/4; pi --shard 2/4 | tail -1; } >p.csv
	refuses 65 "mcstat: p.csv:2: shards 1/4, 3/4 are missing (the set of this row has 2 of 4)" \
	    mcstat --merge p.csv
	{ pi --shard 0/2; mcpi -n 20000 -s 7 --partial --shard 1/2 | tail -1; } >p.csv
	refuses 65 "mcstat: p.csv:3: shard 1/2 has seed 7, but shard 0/2 at p.csv:2 has seed 42" \
	    mcstat --merge p.csv
	{ pi --shard 0/2; mcpi -n 30000 -s 42 --partial --shard 1/2 | tail -1; } >p.csv
	j0=$(sed -n 2p p.csv | cut -d, -f7) j1=$(sed -n 3p p.csv | cut -d, -f7)
	[ "$j0" != "$j1" ]
	refuses 65 "mcstat: p.csv:3: shard 1/2 is of another job than shard 0/2 at p.csv:2 (mc_job $j1, not $j0)" \
	    mcstat --merge p.csv
	{ pi --shard 0/2; pi --shard 1/3 | tail -1; } >p.csv
	refuses 65 "mcstat: p.csv:3: shard 1/3 is one of 3 shards, but shard 0/2 at p.csv:2 is one of 2" \
	    mcstat --merge p.csv
	# Shards given as files: the same file twice.
	pi >a.csv
	refuses 65 "mcstat: a.csv:2: shard 0/1 given twice (also at a.csv:2)" \
	    mcstat --merge a.csv a.csv
	# Shards of data are told apart by what they read.
	printf 'v\n1\n2\n' | mcstat --partial >a.csv
	printf 'v\n1\n2\n' | mcstat --partial >b.csv
	printf 'v\n3\n' | mcstat --partial >c.csv
	run mcstat --merge a.csv c.csv
	assert_success
	refuses 65 "mcstat: b.csv:2: shard $(sed -n 2p a.csv | cut -d, -f6) given twice (also at a.csv:2)" \
	    mcstat --merge a.csv c.csv b.csv
}

@test "merge refusals: a cut line, and sums no numbers have" {
	{ pi --shard 0/2; pi --shard 1/2 | tail -1 | head -c -4; } >p.csv
	job=$(sed -n 3p p.csv | cut -d, -f7)
	refuses 65 "mcstat: p.csv:3: column 'mc_job': expected 16 hex digits (a line cut short?), got \"$job\"" \
	    mcstat --merge p.csv
	{ pi --shard 0/2; pi --shard 1/2 | tail -1 | cut -c 1-15 | tr -d '\n'; } >p.csv
	refuses 65 "mcstat: p.csv:3: expected 7 fields as in the header, got 4" \
	    mcstat --merge p.csv
	h=name,n,sum,sumsq,mc_seed,mc_shard,mc_job p=,1,0/1,0123456789abcdef
	while IFS='|' read -r row msg; do
		printf '%s\n%s%s\n' $h "$row" $p >p.csv
		refuses 65 "mcstat: p.csv:2: $msg" mcstat --merge p.csv
	done <<-'EOF'
		pi,3,1,-1|column 'sumsq': expected a sum of squares, which is not negative, got "-1"
		pi,2,4,7|column 'sumsq': expected at least sum^2/n (no n numbers have these sums), got "7"
		pi,0,4,16|column 'n': expected a count above 0 for sums that are not 0, got "0"
		pi,0,0,1|column 'n': expected a count above 0 for sums that are not 0, got "0"
	EOF
	# Exact sums of equal numbers sit on the bound, and pass.
	printf '%s\npi,4,12,36%s\n' $h $p >p.csv
	run mcstat --merge p.csv
	assert_success
	assert_line --index 1 'pi,4,3,0,3,3,0'
}

# mcprice's partial rows of a two-row book, for the refusals below.
book2() {
	printf 'id,type,spot,strike,maturity,rate,vol\n1,call,100,100,1,0.05,0.2\n2,put,100,90,1,0.05,0.2\n'
}
pp() {
	book2 | mcprice -n 5000 -s 42 --partial "$@"
}

@test "merge refusals: mcprice --merge names the shards" {
	{ pp --shard 0/2; pp --shard 0/2 | tail -2; pp --shard 1/2 | tail -2; } >p.csv
	refuses 65 "mcprice: p.csv:4: shard 0/2 given twice (also at p.csv:2)" \
	    mcprice --merge p.csv
	# A shard missing: no more "price nan, paths 0" with exit 0.
	pp --shard 0/2 >p.csv
	refuses 65 "mcprice: p.csv:2: shard 1/2 is missing (the set of this row has 1 of 2)" \
	    mcprice --merge p.csv
	{ pp --shard 0/2; book2 | mcprice -n 5000 -s 1 --partial --shard 1/2 | tail -2; } >p.csv
	refuses 65 "mcprice: p.csv:4: shard 1/2 has seed 1, but shard 0/2 at p.csv:2 has seed 42" \
	    mcprice --merge p.csv
	# One shard with --greeks beside one without.
	{ pp --greeks --shard 0/2; pp --shard 1/2 | tail -2; } >p.csv
	j0=$(sed -n 2p p.csv | cut -d, -f16) j1=$(sed -n 14p p.csv | cut -d, -f16)
	refuses 65 "mcprice: p.csv:14: shard 1/2 is of another job than shard 0/2 at p.csv:2 (mc_job $j1, not $j0)" \
	    mcprice --merge p.csv
	{ pp --shard 0/2; pp --shard 2/3 | tail -2; } >p.csv
	refuses 65 "mcprice: p.csv:4: shard 2/3 is one of 3 shards, but shard 0/2 at p.csv:2 is one of 2" \
	    mcprice --merge p.csv
	pp | head -c -1 | sed '$s/,[^,]*$/,01234/' >p.csv
	refuses 65 "mcprice: p.csv:3: column 'mc_job': expected 16 hex digits (a line cut short?), got \"01234\"" \
	    mcprice --merge p.csv
}

@test "merge refusals: mcprice --merge names the right column" {
	pp >p.csv
	# paths_per_n is reported as paths_per_n, not book_row.
	sed '3s/,2,1,price,/,2,3,price,/' p.csv >q.csv
	refuses 65 "mcprice: q.csv:3: column 'paths_per_n': expected 1, 2 or 4096, got \"3\"" \
	    mcprice --merge q.csv
	# Rows of one book row that differ in paths_per_n say so, not 'id'.
	{ pp --shard 0/2; pp --antithetic --shard 1/2 | tail -2; } >q.csv
	refuses 65 "mcprice: q.csv:4: book_row 1 differs from line 2 in column 'paths_per_n'" \
	    mcprice --merge q.csv
	{ pp --shard 0/2; pp --shard 1/2 | tail -2 | sed 's/^1,call/1,put/'; } >q.csv
	refuses 65 "mcprice: q.csv:4: book_row 1 differs from line 2 in column 'type'" \
	    mcprice --merge q.csv
	sed 2d p.csv >q.csv
	refuses 65 "mcprice: q.csv: no rows of book_row 1 (the rows go up to book_row 2)" \
	    mcprice --merge q.csv
	pp --greeks | sed 4d >q.csv
	refuses 65 "mcprice: q.csv:2: book_row 1 has no 'gamma' rows, but the book's rows have Greeks" \
	    mcprice --merge q.csv
}
