# SPDX-License-Identifier: GPL-3.0-or-later
# Shared set-up for the bats tests: the Debian paths of bats-support and
# bats-assert, the C locale, and the programs under test first in PATH.
# MCTOOLS_BIN picks the build (bin/ or the sanitizer build).

bats_require_minimum_version 1.5.0
load '/usr/lib/bats/bats-support/load'
load '/usr/lib/bats/bats-assert/load'

export LC_ALL=C
TOP="$(cd "$BATS_TEST_DIRNAME/.." && pwd)"
MCTOOLS_BIN="${MCTOOLS_BIN:-$TOP/bin}"
export PATH="$MCTOOLS_BIN:$TOP/scripts:$PATH"
TESTDATA="$TOP/testdata"

# Checks that a statistic lies within k standard errors of the truth:
# within_se EST SE TRUTH [K=4]
within_se() {
	awk -v e="$1" -v s="$2" -v t="$3" -v k="${4:-4}" 'BEGIN {
		d = e - t; if (d < 0) d = -d
		if (!(s > 0) || d >= k * s) {
			printf "|%s - %s| = %g is not below %s * %s\n", e, t, d, k, s
			exit 1
		}
	}'
}

# Checks that two estimates agree within k combined standard errors:
# agree_se EST1 SE1 EST2 SE2 [K=4]
agree_se() {
	within_se "$1" "$(awk -v a="$2" -v b="$4" \
	    'BEGIN { print sqrt(a * a + b * b) }')" "$3" "${5:-4}"
}

# Prints field NAME of data row ROW (1 = first after the header) of the
# CSV on stdin.  For simple CSV only (no quoted commas).
csv_get() {
	awk -F, -v name="$1" -v row="${2:-1}" '
		NR == 1 { for (i = 1; i <= NF; i++) if ($i == name) c = i; next }
		NR == row + 1 { print $c; exit }'
}

# The one check of an error case:
#   fails [-o STDOUT] STATUS MESSAGE CMD [ARG...]
# CMD exits STATUS, prints exactly MESSAGE (one line) on stderr, and
# prints nothing on stdout; with -o, exactly STDOUT instead (the rows that
# were right before a bad one).  On a mismatch it says what it got.
fails() {
	local want_out='' want_st msg
	if [ "$1" = -o ]; then
		want_out=$2
		shift 2
	fi
	want_st=$1 msg=$2
	shift 2
	run --separate-stderr "$@"
	if [ "$status" != "$want_st" ] || [ "$stderr" != "$msg" ] ||
	    [ "$output" != "$want_out" ]; then
		printf 'command: %s\n' "$*"
		printf 'status:  %s, want %s\n' "$status" "$want_st"
		printf 'stderr:  %s\nwant:    %s\n' "$stderr" "$msg"
		printf 'stdout:  %.2000s\nwant:    %s\n' "$output" "$want_out"
		return 1
	fi
}

# A table of error cases on stdin, one a line:
#   STATUS|MESSAGE|COMMAND LINE
# Each command line runs in bash (quotes, pipes and redirections work;
# stdin is /dev/null unless it says otherwise) and is checked by fails.
# MESSAGE cannot hold '|' (call fails for such a case); blank lines and
# lines starting with '#' are skipped.
fails_table() {
	local st msg cmd n=0 bad=0
	while IFS='|' read -r st msg cmd; do
		case $st in '' | '#'*) continue ;; esac
		n=$((n + 1))
		fails "$st" "$msg" bash -c "$cmd" </dev/null || bad=$((bad + 1))
	done
	[ "$n" -gt 0 ] || { echo "fails_table: no cases"; return 1; }
	[ "$bad" -eq 0 ] || { echo "fails_table: $bad of $n cases failed"; return 1; }
}

# under_san: true when the programs under test are built with
# AddressSanitizer (make check-san's build).
under_san() {
	grep -q __asan_init "$MCTOOLS_BIN/mcprice"
}

# The memory cap for mcprice.cgi in tests: none under AddressSanitizer,
# whose shadow memory no ulimit -v leaves room for (make check-san).
cgi_memory() {
	if under_san; then echo 0; else echo 2048; fi
}

# not_under_san WHAT: skips the test under the sanitizers, for the tests
# whose subject is a tool around the programs, WHAT (GNU parallel, ssh,
# Slurm): the programs take the same paths in the local tests, which run
# under the sanitizers, and the tool's own start-up (perl, sshd, slurmd)
# is most of such a test's time (150 of mcfan.bats's 290 s of test time
# there).  The plain pass runs them all.
not_under_san() {
	! under_san || skip "under the sanitizers: the subject is $1"
}
