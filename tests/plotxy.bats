#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-3.0-or-later
# plotxy: figures through gnuplot, and text from data never run as code.

load test_helper

setup() {
	# Outputs go in a directory of their own: bats keeps its own files
	# in BATS_TEST_TMPDIR.
	D="$BATS_TEST_TMPDIR/d"
	mkdir "$D"
	printf 'x,y\n1,2\n2,3\n3,5\n' > "$D/xy.csv"
}

# The first bytes of FILE as hex.
magic() {
	head -c "$2" "$1" | od -An -tx1 | tr -d ' \n'
}

# Asserts that directory DIR holds exactly the names given.
only_files() {
	local dir="$1"; shift
	run ls -A "$dir"
	assert_output "$(printf '%s\n' "$@" | sort)"
}

@test "plotxy: --help and --version" {
	run --separate-stderr plotxy --help
	assert_success
	assert_line --index 0 --partial "usage: plotxy -x COL"
	run plotxy --version
	assert_output "plotxy (mctools) 0.1"
}

@test "plotxy: png, svg and pdf carry their magic bytes" {
	plotxy -x x -y y -o "$D/a.png" < "$D/xy.csv"
	[ "$(magic "$D/a.png" 8)" = 89504e470d0a1a0a ]
	plotxy -x x -y y -o "$D/a.svg" < "$D/xy.csv"
	grep -q '<svg' "$D/a.svg"
	head -c 5 "$D/a.svg" | grep -qx '<?xml'
	plotxy -x x -y y -o "$D/a.pdf" "$D/xy.csv"
	[ "$(head -c 5 "$D/a.pdf")" = "%PDF-" ]
	plotxy -x x -y y -T png < "$D/xy.csv" > "$D/b.png"
	[ "$(magic "$D/b.png" 8)" = 89504e470d0a1a0a ]
	only_files "$D" a.pdf a.png a.svg b.png xy.csv
}

@test "plotxy: each --by series is in the svg" {
	plotxy -x t -y value --by path --with lines -o "$D/fan.svg" \
	    < "$TESTDATA/paths.csv"
	for p in 0 1 2 3 4 5 6 7 8 9; do
		grep -q "<title>path=$p</title>" "$D/fan.svg"
	done
	[ "$(grep -c '<title>path=' "$D/fan.svg")" -eq 10 ]
}

@test "plotxy: text plot on stdout, 79x24 or COLUMNS x LINES-1" {
	run --separate-stderr plotxy -x x -y y --title 'three points' \
	    < "$D/xy.csv"
	assert_success
	[ -z "$stderr" ]
	assert_output --partial "three points"
	[ "${#lines[@]}" -le 24 ]
	[ "$(printf '%s\n' "$output" | awk '{ if (length > m) m = length }
	    END { print m }')" -le 79 ]
	COLUMNS=100 LINES=31 plotxy -x x -y y < "$D/xy.csv" > "$D/t.txt"
	[ "$(wc -l < "$D/t.txt")" -eq 30 ]
	[ "$(awk '{ if (length > m) m = length } END { print m }' \
	    "$D/t.txt")" -eq 100 ]
}

@test "plotxy: --script prints the datablock and needs no gnuplot" {
	run --separate-stderr env PATH=/nonexistent "$MCTOOLS_BIN/plotxy" \
	    -x x -y y --script < "$D/xy.csv"
	assert_success
	assert_line '$data << EOD'
	assert_line '1 2'
	assert_line '3 5'
	assert_line 'EOD'
	assert_line --partial 'plot $data index 0 using 1:2 with points'
}

@test "plotxy: the script from --script draws with gnuplot" {
	plotxy -x x -y y -T svg --script < "$D/xy.csv" > "$D/p.gp"
	gnuplot "$D/p.gp" > "$D/p.svg"
	grep -q '<svg' "$D/p.svg"
}

@test "plotxy: --err draws a band, --with errorbars draws bars" {
	printf 't,m,lo,hi\n1,2,1.5,2.5\n2,3,2.5,3.5\n3,4,3,5\n' > "$D/e.csv"
	run plotxy -x t -y m --err lo,hi --with lines --script < "$D/e.csv"
	assert_line --partial 'using 1:3:4 with filledcurves'
	assert_line '3 4 3 5'
	plotxy -x t -y m --err lo,hi --with lines -o "$D/band.svg" < "$D/e.csv"
	grep -q 'fill-opacity' "$D/band.svg"
	run plotxy -x t -y m --err lo,hi --with errorbars --script < "$D/e.csv"
	assert_line --partial 'using 1:2:3:4 with yerrorbars'
	plotxy -x t -y m --err lo,hi --with errorbars -o "$D/bars.png" \
	    < "$D/e.csv"
	[ "$(magic "$D/bars.png" 4)" = 89504e47 ]
}

@test "plotxy: --with hist counts values into bins" {
	printf 'v\n0.5\n1.5\n1.2\n2.5\n2.9\n2.1\n9\n' > "$D/h.csv"
	run plotxy -x v --with hist --bins 3 --xrange 0:3 --script < "$D/h.csv"
	assert_success
	assert_line 'set boxwidth 1 absolute'
	[ "$(printf '%s\n' "$output" | sed -n '/^\$data/,/^EOD/p')" = \
	    "$(printf '$data << EOD\n0.5 1\n1.5 2\n2.5 3\nEOD')" ]
	# 9 is outside the range but counts in the total of 7 values.
	run plotxy -x v --with hist --bins 3 --xrange 0:3 --density --script \
	    < "$D/h.csv"
	assert_line --regexp '^2\.5 0\.42857142857142[0-9]*$'
	plotxy -x v --with hist -o "$D/h.png" < "$D/h.csv"
	[ "$(magic "$D/h.png" 4)" = 89504e47 ]
}

@test "plotxy: --with hist at the ends of the double range" {
	# Data from -1e308 to 1e308: the width overflowed, every bin was inf.
	printf 'v\n-1e308\n0\n1e308\nnan\n' >"$D/w.csv"
	run --separate-stderr plotxy -x v --with hist --bins 2 --script "$D/w.csv"
	assert_success
	assert_line 'set boxwidth 1e+308 absolute'
	[ "$(printf '%s\n' "$output" | sed -n '/^\$data/,/^EOD/p')" = \
	    "$(printf '$data << EOD\n-5e+307 1\n5e+307 2\nEOD')" ]
	# One value, however large: a range around it, not a width of 0.
	printf 'v\n1e300\n1e300\n' >"$D/c.csv"
	run --separate-stderr plotxy -x v --with hist --bins 2 --script "$D/c.csv"
	assert_success
	assert_line --regexp '^1\.00000[0-9]*e\+300 2$'
	# Densities past the double range are an error, not inf.
	printf 'v\n0\n1e-320\n2e-320\n' >"$D/s.csv"
	run --separate-stderr plotxy -x v --with hist --bins 2 --density \
	    -o "$D/s.png" "$D/s.csv"
	assert_equal "$status" 65
	assert_equal "$stderr" "plotxy: $D/s.csv: bins of width 9.99989e-321 have densities beyond the double range"
	[ ! -e "$D/s.png" ]
}

@test "plotxy: unknown column exits 65 and leaves no file" {
	run --separate-stderr plotxy -x x -y nope -o "$D/out.png" < "$D/xy.csv"
	assert_failure 65
	[ "$stderr" = 'plotxy: stdin:1: no column "nope" in the header' ]
	[ -z "$output" ]
	only_files "$D" xy.csv
}

@test "plotxy: non-numeric value exits 65 naming line and column" {
	printf 'x,y\n1,2\n2,abc\n' > "$D/bad.csv"
	run --separate-stderr plotxy -x x -y y -o "$D/out.svg" < "$D/bad.csv"
	assert_failure 65
	[ "$stderr" = 'plotxy: stdin:3: column '"'y'"': expected a number, got "abc"' ]
	run --separate-stderr plotxy -x x -y y < "$D/bad.csv"
	assert_failure 65
	[ -z "$output" ]
	only_files "$D" bad.csv xy.csv
}

@test "plotxy: bad options exit 64 with one line" {
	cd "$D"
	fails_table <<'EOF'
64|plotxy: --with: expected points, lines, linespoints, errorbars, hist or boxes, got "bars"|plotxy -x x -y y --with bars < xy.csv
64|plotxy: --size: expected WIDTHxHEIGHT, got "800"|plotxy -x x -y y --size 800 < xy.csv
64|plotxy: --size: expected a size from 10x10 to 10000x10000, got "5x5"|plotxy -x x -y y --size 5x5 < xy.csv
64|plotxy: -o: cannot tell the format of "a.jpg": name it .png, .svg, .pdf or .txt, or use -T|plotxy -x x -y y -o a.jpg < xy.csv
64|plotxy: --xrange: expected LO:HI with LO < HI (either may be empty), got "2:1"|plotxy -x x -y y --xrange 2:1 < xy.csv
64|plotxy: --legend: expected on, off or words such as top, left, outside, below, box, got "top;system"|plotxy -x x -y y --legend='top;system' < xy.csv
64|plotxy: --with errorbars: needs --err LO,HI|plotxy -x x -y y --with errorbars < xy.csv
64|plotxy: -y: a column is required (or --with hist)|plotxy -x x < xy.csv
64|plotxy: unknown option "--bogus"; see 'plotxy --help'|plotxy -x x -y y --bogus < xy.csv
64|plotxy: --bins: expected a count from 1 to 100000, got "0"|plotxy -x x --with hist --bins 0 < xy.csv
64|plotxy: -T: expected png, svg, pdf or txt, got "gif"|plotxy -x x -y y -T gif < xy.csv
64|plotxy: --err: expected LO,HI (two columns), got "a"|plotxy -x x -y y --err a < xy.csv
64|plotxy: -y: expected column names separated by commas, got "a,"|plotxy -x x -y a, < xy.csv
64|plotxy: --script and --stream cannot go together|plotxy -x x -y y --script --stream < xy.csv
EOF
	only_files "$D" xy.csv
}

@test "plotxy: output names starting with | or < are refused" {
	cd "$D"
	fails 64 "plotxy: -o: refusing an output name that starts with '|', got \"|touch pwned.png\"" \
	    plotxy -x x -y y -o "|touch pwned.png" xy.csv
	fails 64 "plotxy: -o: refusing an output name that starts with '<', got \"<touch pwned.png\"" \
	    plotxy -x x -y y -o "<touch pwned.png" xy.csv
	only_files "$D" xy.csv
}

@test "plotxy: missing gnuplot exits 69" {
	run --separate-stderr env PATH=/nonexistent "$MCTOOLS_BIN/plotxy" \
	    -x x -y y -o "$D/a.png" < "$D/xy.csv"
	assert_failure 69
	[ "$stderr" = "plotxy: gnuplot not found in PATH (install gnuplot-nox)" ]
	only_files "$D" xy.csv
}

@test "plotxy: a gnuplot error passes through, exits 70, keeps old file" {
	echo old > "$D/a.png"
	run --separate-stderr plotxy -x x -y y --set 'set bogus' -o "$D/a.png" \
	    < "$D/xy.csv"
	assert_failure 70
	[[ "$stderr" == *"unrecognized option"* ]]
	[[ "$stderr" == *"plotxy: gnuplot failed (exit status 1)" ]]
	[ "$(cat "$D/a.png")" = old ]
	only_files "$D" a.png xy.csv
	run --separate-stderr plotxy -x x -y y --equation 'nosuchfn(x)' \
	    < "$D/xy.csv"
	assert_failure 70
	[ -z "$output" ]
}

@test "plotxy: write error on stdout exits 74" {
	run --separate-stderr sh -c 'plotxy -x x -y y < "$1" > /dev/full' sh \
	    "$D/xy.csv"
	assert_failure 74
	[ "$stderr" = "plotxy: write error: No space left on device" ]
}

# Each payload below creates $P when gnuplot runs it as code: backquotes
# run inside double quotes, an unquoted system() runs in an expression,
# and a line that starts with ! is a shell command.

@test "plotxy: titles and labels are never code" {
	P="$D/pwned"
	for t in "\`touch $P\`" "'.system(\"touch $P\").'" \
	    "x'.system(\"touch $P\").'x" \
	    "\".system(\"touch $P\").\"" $'x\n!touch '"$P"$'\n' \
	    "x\\" "@foo \$data"; do
		plotxy -x x -y y --title "$t" --xlabel "$t" --ylabel "$t" \
		    -o "$D/a.svg" < "$D/xy.csv"
		[ ! -e "$P" ]
	done
	# The text arrives whole, less its control characters.
	plotxy -x x -y y --title "'.system(\"touch $P\").'" -o "$D/a.svg" \
	    < "$D/xy.csv"
	grep -qF ".system(&quot;touch $P&quot;)." "$D/a.svg" ||
	    grep -qF ".system(\"touch $P\")." "$D/a.svg"
	[ ! -e "$P" ]
}

@test "plotxy: column names from the header are never code" {
	P="$D/pwned"
	printf 'x,"`touch %s`","a'"'"'.system(""touch %s"").'"'"'a"\n1,2,3\n2,3,4\n' \
	    "$P" "$P" > "$D/h.csv"
	plotxy -x x -y "\`touch $P\`,a'.system(\"touch $P\").'a" \
	    -o "$D/a.svg" < "$D/h.csv"
	[ ! -e "$P" ]
	plotxy -x "\`touch $P\`" -y "a'.system(\"touch $P\").'a" \
	    -o "$D/a.png" < "$D/h.csv"
	[ ! -e "$P" ]
	plotxy -x "\`touch $P\`" --with hist -o "$D/a.png" < "$D/h.csv"
	[ ! -e "$P" ]
}

@test "plotxy: --by group values and legends are never code" {
	P="$D/pwned"
	{
		echo 'x,y,g'
		echo "1,2,\`touch $P\`"
		echo "1,2,\"'.system(\"\"touch $P\"\").'\""
		echo "1,2,\"a'.system(\"\"touch $P\"\").'a\""
		echo "1,2,< touch $P"
		echo "1,2,|touch $P"
		echo "1,2,\"a"
		echo "!touch $P\""
		echo "2,3,\`touch $P\`"
	} > "$D/g.csv"
	plotxy -x x -y y --by g --legend -o "$D/g.svg" < "$D/g.csv"
	[ ! -e "$P" ]
	plotxy -x x -y y --by g --legend --with lines -o "$D/g.png" < "$D/g.csv"
	[ ! -e "$P" ]
	plotxy -x x -y y --by g --legend=bottom,left < "$D/g.csv" > /dev/null
	[ ! -e "$P" ]
	[ "$(grep -o '<title>g=[^<]*</title>' "$D/g.svg" | sort -u |
	    wc -l)" -eq 6 ]
	grep -q "<title>g=a!touch $P</title>" "$D/g.svg"
}

@test "plotxy: --set and --equation are gnuplot code, as documented" {
	run plotxy -x x -y y --set 'set label 1 "note" at 1,4' \
	    --equation '2*x' --script < "$D/xy.csv"
	assert_line 'set label 1 "note" at 1,4'
	assert_line --partial "     2*x with lines"
	plotxy -x x -y y --set "system('touch $D/ran')" -o "$D/a.png" \
	    < "$D/xy.csv"
	[ -e "$D/ran" ]
}

@test "plotxy: the pi picture and the path fan" {
	plotxy -x x -y y --by inside --square --xrange 0:1 --yrange 0:1 \
	    --equation 'sqrt(1-x**2)' --title 'darts' -o "$D/pi.svg" \
	    < "$TESTDATA/darts.csv"
	grep -q '<title>inside=1</title>' "$D/pi.svg"
	grep -q '<title>inside=0</title>' "$D/pi.svg"
	grep -q '<title>sqrt(1-x\*\*2)</title>' "$D/pi.svg"
	plotxy -x t -y value --by path --with lines --logy -o "$D/fan.png" \
	    < "$TESTDATA/paths.csv"
	[ "$(magic "$D/fan.png" 4)" = 89504e47 ]
}

@test "plotxy: --stream draws frames as rows arrive" {
	# A frame must come out while the input is still open: the test waits
	# for it (no timing assumption but a generous cap), then sends the rest.
	mkfifo "$D/in" "$D/out"
	plotxy --stream -x t -y v --size 40x12 <"$D/in" >"$D/out" &
	exec 5>"$D/in" 6<"$D/out"
	printf 't,v\n1,1\n' >&5
	timeout 60 grep -m 1 -q '^ *t *$' <&6 || fail "no frame while streaming"
	printf '2,4\n3,9\n' >&5
	exec 5>&-
	rest=$(cat <&6)
	exec 6<&-
	wait $! || fail "plotxy --stream failed"
	# The last frame holds all three rows' x range, up to 3.
	printf '%s\n' "$rest" | grep -q '^ *t *$' || fail "no final frame"
	run --separate-stderr plotxy --stream -x t -y v < <(
		printf 't,v\n1,1\n2,x\n')
	assert_failure 65
	[ "$stderr" = 'plotxy: stdin:3: column '"'v'"': expected a number, got "x"' ]
	run --separate-stderr plotxy --stream -x t -y v -o "$D/a.png" \
	    < "$D/xy.csv"
	assert_failure 64
}

@test "plotxy: a failed write of the figure exits 74 and keeps the old file" {
	printf 'x,y\n' > "$D/big.csv"
	seq 1000 | awk '{ print $1 "," $1 * $1 % 97 }' >> "$D/big.csv"
	echo old > "$D/a.png"
	# At most 8 KB a file: the PNG does not fit (gnuplot itself would
	# exit 0 with half a figure written).
	run --separate-stderr bash -c 'ulimit -f 8; plotxy -x x -y y -o "$1/a.png" "$1/big.csv"' \
	    sh "$D"
	assert_failure 74
	[ "$stderr" = "plotxy: $D/a.png: write error: File too large" ]
	[ "$(cat "$D/a.png")" = old ]
	only_files "$D" a.png big.csv xy.csv
	# A device that is full: written directly, and the error reported.
	# (Devices are reached through links in $D: a plotxy that renamed
	# over /dev/full itself, run as root, would replace the machine's.)
	ln -s /dev/full "$D/full.png"
	run --separate-stderr plotxy -x x -y y -o "$D/full.png" "$D/big.csv"
	assert_failure 74
	[ "$stderr" = "plotxy: $D/full.png: write error: No space left on device" ]
	[ -L "$D/full.png" ]
	rm "$D/full.png"
}

@test "plotxy: -T png to stdout goes through \$TMPDIR, and its errors count" {
	run --separate-stderr env TMPDIR="$D/nonexistent" plotxy -x x -y y \
	    -T png "$D/xy.csv"
	assert_failure 73
	[ "$stderr" = "plotxy: temporary file in $D/nonexistent: No such file or directory" ]
	[ -z "$output" ]
	mkdir "$D/tmp"
	run --separate-stderr bash -c 'ulimit -f 4; TMPDIR="$1/tmp" plotxy -x x -y y -T png "$1/xy.csv" | wc -c' \
	    sh "$D"
	[ "$stderr" = "plotxy: temporary file in $D/tmp: write error: File too large" ]
	assert_output 0
	[ -z "$(ls -A "$D/tmp")" ]
	TMPDIR="$D/tmp" plotxy -x x -y y -T png "$D/xy.csv" > "$D/out.png"
	[ "$(magic "$D/out.png" 4)" = 89504e47 ]
}

@test "plotxy: -o on a FIFO, a link or a device writes to it, never over it" {
	# A FIFO stays a FIFO, and its reader gets the figure.
	mkfifo "$D/f.svg"
	timeout 60 cat "$D/f.svg" > "$D/got.svg" &
	plotxy -x x -y y -o "$D/f.svg" "$D/xy.csv"
	wait $!
	[ -p "$D/f.svg" ]
	grep -q '<svg' "$D/got.svg"
	# A link to a file stays a link; the file it names is replaced.
	echo old > "$D/real.png"
	ln -s real.png "$D/link.png"
	plotxy -x x -y y -o "$D/link.png" "$D/xy.csv"
	[ -L "$D/link.png" ] && [ "$(readlink "$D/link.png")" = real.png ]
	[ "$(magic "$D/real.png" 4)" = 89504e47 ]
	# A link to a device: still a link (only links in $D here, as above).
	ln -s /dev/null "$D/null.png"
	plotxy -x x -y y -o "$D/null.png" "$D/xy.csv"
	[ -L "$D/null.png" ]
	# Standard output by its /proc name, a pipe here.
	run --separate-stderr bash -c 'plotxy -x x -y y -T png -o /proc/self/fd/1 "$1/xy.csv" |
	    head -c 4 | od -An -tx1 | tr -d " \n"' sh "$D"
	assert_success
	assert_output 89504e47
	# A file keeps its mode when it is replaced.
	echo old > "$D/m.png"
	chmod 640 "$D/m.png"
	plotxy -x x -y y -o "$D/m.png" "$D/xy.csv"
	[ "$(stat -c %a "$D/m.png")" = 640 ]
}

@test "plotxy: quotes in titles, labels, columns and groups survive" {
	printf "x,\"12'' y\",g\n1,2,\"a''b\"\n2,3,\"a''b\"\n3,5,c\n" > "$D/q.csv"
	run --separate-stderr plotxy -x x -y "12'' y" --by g --legend \
	    --title "12'' pipe" --xlabel "it's ''x'''" -T txt --size 100x30 \
	    "$D/q.csv"
	assert_success
	assert_output --partial "12'' pipe"
	assert_output --partial "it's ''x'''"
	assert_output --partial "g=a''b"
	plotxy -x x -y "12'' y" --title "''" -o "$D/q.svg" "$D/q.csv"
	grep -q '<svg' "$D/q.svg"
}

@test "plotxy: gnuplot's environment does not change the figure" {
	GNUTERM=foo GNUPLOT_LIB=/nonexistent FIT_LOG=/nonexistent/x \
	    plotxy -x x -y y -o "$D/e.png" "$D/xy.csv"
	[ "$(magic "$D/e.png" 4)" = 89504e47 ]
	run --separate-stderr env GNUTERM='png size 10,10' plotxy -x x -y y \
	    -T txt "$D/xy.csv"
	assert_success
	assert_output --partial '+----'
}

# A small series of days with gaps: b has no value on 01-03, a none on
# 01-04.
dates_csv() {
	printf 'date,a,b,c\n2024-01-02,1,10,5\n2024-01-03,2,,6\n2024-01-04,,30,7\n2024-01-05,4,25,8\n2024-01-06,5,20,9\n' > "$D/dates.csv"
}

@test "plotxy: -y a,b,c draws a series and a legend entry per column" {
	dates_csv
	run --separate-stderr plotxy -x c -y a,b --with lines --script \
	    "$D/dates.csv"
	assert_success
	assert_line "plot \$data index 0 using 1:2 with lines lc 1 lw 1.5 title 'a' noenhanced, \\"
	assert_line "     \$data index 0 using 1:3 with lines lc 2 lw 1.5 title 'b' noenhanced"
	assert_line 'set key noenhanced'
	plotxy -x c -y a,b --with lines -o "$D/ab.svg" "$D/dates.csv"
	grep -q '<title>a</title>' "$D/ab.svg"
	grep -q '<title>b</title>' "$D/ab.svg"
}

@test "plotxy: --with takes one style per column of -y and --y2" {
	dates_csv
	run --separate-stderr plotxy -x c -y a,b --y2 c \
	    --with lines,linespoints,boxes --script "$D/dates.csv"
	assert_success
	assert_line --partial 'using 1:2 with lines lc 1 lw 1.5 title'
	assert_line --partial 'using 1:3 with linespoints lc 2 lw 1.5 title'
	assert_line --partial 'using 1:4 with boxes lc 3 axes x1y2 title'
	assert_line 'set style fill transparent solid 0.5 border'
	run --separate-stderr plotxy -x c -y a,b --with lines,points -T txt \
	    --size 60x15 "$D/dates.csv"
	assert_success
	cd "$D"
	fails_table <<'EOF2'
64|plotxy: --with: expected one style, or one for each column of -y and --y2 (3), got 2|plotxy -x c -y a,b --y2 c --with lines,points dates.csv
64|plotxy: --with: expected points, lines, linespoints, errorbars, hist or boxes, got "dots"|plotxy -x c -y a,b --with lines,dots dates.csv
64|plotxy: --with: hist goes alone, not in a list, got "hist,lines"|plotxy -x c -y a,b --with hist,lines dates.csv
64|plotxy: --with: errorbars goes alone, not in a list, got "lines,errorbars"|plotxy -x c -y a,b --with lines,errorbars dates.csv
64|plotxy: --with: expected styles separated by commas, got "lines,"|plotxy -x c -y a --with lines, dates.csv
EOF2
}

@test "plotxy: --y2 puts columns on a right axis with its label and range" {
	dates_csv
	run --separate-stderr plotxy -x a -y b --y2 c --y2range 0:10 --script \
	    "$D/dates.csv"
	assert_success
	assert_line 'set ytics nomirror'
	assert_line 'set y2tics'
	assert_line "set ylabel 'b' noenhanced"
	assert_line "set y2label 'c' offset 3,0 noenhanced"
	assert_line 'set y2range [0:10]'
	assert_line --partial 'using 1:3 with points lc 2 axes x1y2 title '"'c'"
	run --separate-stderr plotxy -x a -y b --y2 c --y2label 'right side' \
	    --y2range 0:10 -T txt --size 70x16 "$D/dates.csv"
	assert_success
	# The right axis has its own ticks, 0 to 10, and its label.
	assert_line --regexp '[|+] 10 *$'
	assert_line --regexp '[|+] 0 *$'
	# Beside the ticks, not over them.
	assert_line --regexp '[|+]( [0-9]+)? +right side *$'
	refute_output --regexp '[0-9|]right side'
	cd "$D"
	fails_table <<'EOF2'
64|plotxy: --y2label: needs --y2 columns|plotxy -x a -y b --y2label r dates.csv
64|plotxy: --y2range: needs --y2 columns|plotxy -x a -y b --y2range 0:1 dates.csv
64|plotxy: --y2range: expected LO:HI with LO < HI (either may be empty), got "1:0"|plotxy -x a -y b --y2 c --y2range 1:0 dates.csv
64|plotxy: --with hist bins the -x column; leave out --y2|plotxy -x a --y2 c --with hist dates.csv
64|plotxy: --err: needs exactly one -y column, no --y2 and a style other than hist|plotxy -x a -y b --y2 c --err a,c dates.csv
64|plotxy: -y: a column is required (or --with hist)|plotxy -x a --y2 c dates.csv
65|plotxy: dates.csv:1: no column "nope" in the header|plotxy -x a -y b --y2 nope dates.csv
EOF2
}

@test "plotxy: --timefmt reads dates as UTC and labels round days" {
	dates_csv
	run --separate-stderr env TZ=America/New_York plotxy -x date -y a \
	    --timefmt %Y-%m-%d --script "$D/dates.csv"
	assert_success
	# Seconds since the epoch, as date -u -d 2024-01-02 +%s says.
	assert_line '1704153600 1'
	assert_line '1704499200 5'
	assert_line "set format x '%Y-%m-%d' timedate"
	assert_line 'set xtics (1704153600, 1704240000, 1704326400, 1704412800, 1704499200)'
	assert_line 'set autoscale xfix'
	run --separate-stderr plotxy -x date -y a,b --timefmt %Y-%m-%d \
	    --with lines -T txt --size 79x15 "$D/dates.csv"
	assert_success
	assert_line --regexp '^ *2024-01-02 +2024-01-03 +2024-01-04 +2024-01-05 +2024-01-06 *$'
	# Times of day, with a colon in --xrange's ends too.
	printf 't,v\n2024-01-02T10:00:00,1\n2024-01-02T13:00:00,2\n' > "$D/t.csv"
	run --separate-stderr plotxy -x t -y v --timefmt %Y-%m-%dT%H:%M:%S \
	    --xrange 2024-01-02T09:00:00:2024-01-02T14:00:00 --script "$D/t.csv"
	assert_success
	assert_line '1704189600 1'
	assert_line 'set xrange [1704186000:1704204000]'
	assert_line "set format x '%H:%M' timedate"
	refute_line 'set autoscale xfix'
	# Epoch seconds, spelled %s.
	printf 't,v\n1704153600,1\n1704240000.5,2\n' > "$D/e.csv"
	run --separate-stderr plotxy -x t -y v --timefmt %s --script "$D/e.csv"
	assert_success
	assert_line '1704240000.5 2'
	assert_line "set format x '%m-%d %H:%M' timedate"
}

@test "plotxy: --timefmt bad times and formats exit with one line" {
	dates_csv
	cd "$D"
	printf 'date,a\n2024-01-02,1\n2024-13-02,2\n' > bad.csv
	printf 'date,a\n2024-01-02,1\n2024-01-03x,2\n' > junk.csv
	fails_table <<'EOF2'
65|plotxy: bad.csv:3: column 'date': expected a time as "%Y-%m-%d", got "2024-13-02"|plotxy -x date -y a --timefmt %Y-%m-%d bad.csv
65|plotxy: junk.csv:3: column 'date': expected a time as "%Y-%m-%d", got "2024-01-03x"|plotxy -x date -y a --timefmt %Y-%m-%d junk.csv
65|plotxy: dates.csv:2: column 'date': expected a time as "%s", got "2024-01-02"|plotxy -x date -y a --timefmt %s dates.csv
64|plotxy: --timefmt: expected a strptime format such as %Y-%m-%d, or %s, got ""|plotxy -x date -y a --timefmt '' dates.csv
64|plotxy: --xrange: expected LO:HI with LO < HI, times as --timefmt says (either may be empty), got "2024-01-05:2024-01-02"|plotxy -x date -y a --timefmt %Y-%m-%d --xrange 2024-01-05:2024-01-02 dates.csv
64|plotxy: --xrange: expected LO:HI with LO < HI, times as --timefmt says (either may be empty), got "1:2"|plotxy -x date -y a --timefmt %Y-%m-%d --xrange 1:2 dates.csv
EOF2
	run --separate-stderr plotxy -x date -y a --timefmt %Y-%m-%d -o out.svg bad.csv
	[ ! -e out.svg ]
}

@test "plotxy: an empty cell is a gap in its own series' line" {
	dates_csv
	run --separate-stderr plotxy -x c -y a,b --with lines --script \
	    "$D/dates.csv"
	assert_success
	assert_line '6 2 nan'
	assert_line '7 nan 30'
	# In the svg, a's line is two pieces (two moves), b's a lone point
	# then three joined.
	plotxy -x c -y a,b --with lines -o "$D/gap.svg" "$D/dates.csv"
	run sh -c "grep -A4 '<title>a</title>' '$D/gap.svg' | grep -m1 \"d='M\" | grep -o M | wc -l"
	assert_output 2
	run sh -c "grep -A4 '<title>b</title>' '$D/gap.svg' | grep -m1 \"d='M\" | grep -o L | wc -l"
	assert_output 2
}

@test "plotxy: --stream --xlen draws the last N x-units" {
	run --separate-stderr plotxy --stream -x n -y v --with lines \
	    --xlen 10 --size 60x12 < <(printf 'n,v\n'; seq 1 30 | awk '{ print $1 "," $1 % 7 }')
	assert_success
	# The axis runs from 20 to 30 in the last frame.
	assert_line --regexp '^ +20 .* 30 *$'
	refute_line --regexp '^ +0 .* 30 *$'
	# Without the window the last frame spans all the rows.
	run --separate-stderr plotxy --stream -x n -y v --with lines \
	    --size 60x12 < <(printf 'n,v\n'; seq 1 30 | awk '{ print $1 "," $1 % 7 }')
	assert_success
	assert_line --regexp '^ +0 .* 30 *$'
	cd "$D"
	fails_table <<'EOF2'
64|plotxy: --xlen: is the window of --stream; add --stream|plotxy -x x -y y --xlen 5 xy.csv
64|plotxy: --xlen and --xrange cannot go together|plotxy -x x -y y --stream --xlen 5 --xrange 0:1 xy.csv
64|plotxy: --xlen: expected a positive number of x units (seconds with --timefmt), got "0"|plotxy -x x -y y --stream --xlen 0 xy.csv
64|plotxy: --xlen: expected a positive number of x units (seconds with --timefmt), got "nan"|plotxy -x x -y y --stream --xlen nan xy.csv
EOF2
}

@test "plotxy: --stream reads rows once and keeps their line numbers" {
	# Chunks come apart in time; whichever frames they make, the bad row
	# is on line 6.
	run --separate-stderr plotxy --stream -x n -y v --size 40x10 < <(
		printf 'n,v\n1,2\n'; sleep 0.6; printf '2,3\n3,"4"\n'
		sleep 0.6; printf '4,5\n5,zz\n')
	assert_failure 65
	# (gnuplot warns of the empty ranges of a frame of one row.)
	[ "${stderr##*$'\n'}" = 'plotxy: stdin:6: column '"'v'"': expected a number, got "zz"' ]
	# A time axis and a window in seconds.
	run --separate-stderr plotxy --stream -x d -y v --timefmt %Y-%m-%d \
	    --xlen 172800 --size 72x12 < <(printf 'd,v\n'
		for i in 01 02 03 04 05 06; do echo "2024-01-$i,${i#0}"; done)
	assert_success
	assert_line --regexp '^ +2024-01-04 +2024-01-05 +2024-01-06 *$'
	# Many rows at once are read in blocks, the window kept throughout.
	run --separate-stderr plotxy --stream -x n -y v --xlen 100 \
	    --size 60x12 < <(printf 'n,v\n'; seq 1 200000 | awk '{ print $1 "," $1 % 13 }')
	assert_success
	assert_line --regexp '^ +199900 .* 200000 *$'
}
