#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-3.0-or-later
# Security: text from data and options never runs as gnuplot code or as
# shell code; temporary files come from mkstemp (or mktemp(1)) only.

load test_helper

# Words that would run "touch PWNED" if they reached a shell or gnuplot.
EVIL=(
	'`touch PWNED`'
	'$(touch PWNED)'
	'; touch PWNED'
	'| touch PWNED'
	'& touch PWNED'
	"'; system(\"touch PWNED\"); '"
	'"; system("touch PWNED"); "'
	'< touch PWNED'
	$'x\nsystem("touch PWNED")'
	$'x\r`touch PWNED`'
	"x'\"\\\`touch PWNED\`"
)

setup() {
	T=$BATS_TEST_TMPDIR
	cd "$T"
	printf 'x,y,g\n0.1,0.2,a\n0.5,0.9,b\n0.7,0.3,a\n' >xy.csv
	printf 'x,y,g\n0.1,0.2,3\n0.5,0.9,4\n0.7,0.3,5\n' >xy2.csv
}

no_pwned() {
	run find "$T" "$TOP" -name PWNED
	assert_output ''
}

@test "security: plotxy labels, titles and legends never run as gnuplot code" {
	local e
	for e in "${EVIL[@]}"; do
		for opt in --title --xlabel --ylabel; do
			plotxy -x x -y y "$opt" "$e" -o "$T/a.svg" xy.csv
			run plotxy -x x -y y "$opt" "$e" --script xy.csv
			assert_success
		done
		# Column names and --by values from the data.
		mc_csv_evil() {
			printf '"%s"' "${1//\"/\"\"}"
		}
		{ printf 'x,%s,g\n' "$(mc_csv_evil "$e")"
		  printf '0.1,0.2,%s\n0.5,0.9,b\n' "$(mc_csv_evil "$e")"; } >evil.csv
		plotxy -x x -y "$e" --by g -o "$T/b.svg" evil.csv
		plotxy -x x -y "$e" --by g -T txt evil.csv >/dev/null
	done
	no_pwned
	# Control characters are stripped (DESIGN.md): no line of the script
	# comes from a label.
	run plotxy -x x -y y --title $'a\nb\r`c`' --script xy.csv
	assert_success
	refute_line 'b'
	assert_line "set title 'ab\`c\`' noenhanced"
}

@test "security: plotxy --y2, --y2label, legends of many columns and --timefmt never run as gnuplot code" {
	local e fmt
	mc_csv_evil() {
		printf '"%s"' "${1//\"/\"\"}"
	}
	for e in "${EVIL[@]}"; do
		plotxy -x x -y y --y2 g --y2label "$e" -o "$T/a.svg" xy2.csv
		run --separate-stderr plotxy -x x -y y --y2 g --y2label "$e" \
		    --script xy2.csv
		assert_success
		# Column names from the data as legend entries, two a side.
		{ printf 'x,%s,b,%s,d\n' "$(mc_csv_evil "$e")" \
		      "$(mc_csv_evil "z$e")"
		  printf '0.1,0.2,0.3,0.4,0.5\n0.5,0.9,0.1,0.2,0.3\n'; } >evil.csv
		plotxy -x x -y "$e",b --y2 "z$e",d --with lines,points,lines,points \
		    -o "$T/b.svg" evil.csv
		plotxy -x x -y "$e",b --y2 "z$e",d -T txt evil.csv >/dev/null
		# A time format with quotes, backquotes and backslashes, and
		# times written with it: the format reads the data and never
		# reaches gnuplot.
		fmt="%Y-%m-%d$e"
		{ printf 't,v\n'
		  printf '%s,1\n' "$(mc_csv_evil "2024-01-02$e")"
		  printf '%s,2\n' "$(mc_csv_evil "2024-01-05$e")"; } >time.csv
		plotxy -x t -y v --timefmt "$fmt" -o "$T/c.svg" time.csv
		run --separate-stderr plotxy -x t -y v --timefmt "$fmt" --script \
		    time.csv
		assert_success
		refute_output --partial 'PWNED'
		plotxy -x t -y v --timefmt "$fmt" -T txt time.csv >/dev/null
		# A format that does not match stops plotxy before gnuplot.
		run --separate-stderr plotxy -x x -y y --timefmt "$e" xy.csv
		assert_failure 65
		[ -z "$output" ]
	done
	no_pwned
	# Backslashes and quotes in a format and a legend arrive as text.
	printf 'x,%s\n1,2\n' "$(mc_csv_evil "a\\'b")" >bs.csv
	run plotxy -x x -y "a\\'b" --y2 x --script bs.csv
	assert_line --partial "title 'a\\'.\"'\".'b' noenhanced"
}

@test "security: plotxy output names with pipes and quotes are only file names" {
	local e
	for e in '|touch PWNED' 'a.png"; system("touch PWNED"); "' \
	    "a'.png" '`touch PWNED`.png' '$(touch PWNED).svg'; do
		run --separate-stderr plotxy -x x -y y -o "$T/$e" -T svg xy.csv
		assert_success
		[ -s "$T/$e" ]
		rm -f -- "$T/$e"
	done
	# A bare "|cmd" is refused rather than guessed at.
	run --separate-stderr plotxy -x x -y y -o '|touch PWNED' -T svg xy.csv
	assert_failure 64
	assert_equal "$stderr" "plotxy: -o: refusing an output name that starts with '|', got \"|touch PWNED\""
	[ ! -e '|touch PWNED' ]
	no_pwned
}

@test "security: mcfan passes every argument through the shell unchanged" {
	local e
	# A command that records its arguments, one per line, per shard.
	cat >"$T/rec" <<-EOF
		#!/bin/sh
		for a in "\$@"; do printf '[%s]\n' "\$a"; done >"$T/args.\$\$"
		exec "$MCTOOLS_BIN/mcpi" -n 1000 --partial --shard "\$(printf '%s\n' "\$@" | grep -x '[0-9]*/[0-9]*' | head -1)"
	EOF
	chmod +x "$T/rec"
	for e in "${EVIL[@]}"; do
		rm -f "$T"/args.*
		run --separate-stderr mcfan -N 2 -- "$T/rec" "$e" "a $e b"
		assert_success
		[ "$(ls "$T"/args.* | wc -l)" -eq 2 ]
		for f in "$T"/args.*; do
			assert_equal "$(head -c "$(printf '[%s]\n' "$e" "a $e b" | wc -c)" "$f")" \
			    "$(printf '[%s]\n' "$e" "a $e b")"
		done
	done
	# In mcfan's own options too: a joblog name is a file name.
	e='$(touch PWNED);`touch PWNED`'
	run --separate-stderr mcfan -N 2 --joblog "$T/$e" -- mcpi -n 1000
	assert_success
	[ -s "$T/$e" ]
	no_pwned
}

@test "security: the CGI recipe never passes request text to a shell" {
	# Its checks refuse the hostile requests before mcprice runs.
	not_under_san "the CGI recipe's checks (bash)"
	local e q
	export MCPRICE="$MCTOOLS_BIN/mcprice"
	MCPRICE_CGI_MAX_MEMORY=$(cgi_memory)
	export MCPRICE_CGI_MAX_MEMORY
	cgi() {
		REQUEST_METHOD=GET QUERY_STRING=$1 "$TOP/scripts/mcprice.cgi"
	}
	enc() {
		local s=$1 i c h out=
		for ((i = 0; i < ${#s}; i++)); do
			c=${s:i:1}
			case $c in
			[a-zA-Z0-9._-]) out+=$c ;;
			*) printf -v h '%%%02X' "'$c"; out+=$h ;;
			esac
		done
		printf '%s' "$out"
	}
	base='type=call&spot=100&strike=100&maturity=1&rate=0.05&vol=0.2&n=1000'
	for e in "${EVIL[@]}"; do
		q=$(enc "$e")
		# The value of every parameter, a parameter's name, raw and encoded.
		for k in type spot strike maturity rate vol n seed style; do
			run cgi "$base&$k=$q"
			assert_line --index 0 --partial 'Status: 400'
			run cgi "$base&$k=$e"
			assert_line --index 0 --partial 'Status: 400'
		done
		run cgi "$base&$q=1"
		assert_line --index 0 --partial 'Status: 400'
	done
	no_pwned
}

@test "security: temporary files by mkstemp only" {
	# C: no tmpnam, tempnam, mktemp(3) or fixed /tmp names.
	run grep -rnE '\b(tmpnam|tempnam|mktemp)[[:space:]]*\(|"/tmp/' "$TOP/src"
	assert_output ''
	# Scripts: mktemp(1) with a template, never a fixed or $$ name in /tmp.
	run grep -rnE '/tmp/[A-Za-z0-9_.$-]*([^X]|$)' "$TOP/scripts"
	refute_output --regexp '>[[:space:]]*"?/tmp/'
	run grep -rnE '/tmp/[^"]*\$\$' "$TOP/scripts"
	assert_output ''
	# Nor a name made of the pid anywhere (mcfan-slurm's merge wrote to
	# "$OUT.tmp.$$", where a symlink could wait): $$ only in messages.
	run grep -rnE '[./_-]\$\$|\$\$[./_-]|\$\$"?[[:space:]]*$' "$TOP/scripts"
	assert_output ''
	run grep -rn 'mktemp' "$TOP/scripts"
	refute_output --regexp 'mktemp[[:space:]]*(-d)?[[:space:]]*$'
}
