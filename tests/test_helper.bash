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

# Prints field NAME of data row ROW (1 = first after the header) of the
# CSV on stdin.  For simple CSV only (no quoted commas).
csv_get() {
	awk -F, -v name="$1" -v row="${2:-1}" '
		NR == 1 { for (i = 1; i <= NF; i++) if ($i == name) c = i; next }
		NR == row + 1 { print $c; exit }'
}
