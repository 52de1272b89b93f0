#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-3.0-or-later
# The documentation's examples run: every "$ " line in the EXAMPLES of
# every man page, and every "$ " line of README.md's console blocks, whose
# shown output must be what the command prints.

load test_helper

# Prints the "$ " command lines of a man page's EXAMPLES section.
man_examples() {
	awk '/^\.Sh /{ ex = ($2 == "EXAMPLES") } ex && /^\$ / { sub(/^\$ /, ""); gsub(/\\e/, "\\"); print }' "$1"
}

run_examples() {
	local page=$1 dir cmd n=0
	dir=$(mktemp -d "$BATS_TEST_TMPDIR/ex.XXXXXX")
	cp -R "$TESTDATA"/. "$dir"/
	while IFS= read -r cmd; do
		n=$((n + 1))
		run bash -c "cd '$dir' && set -o pipefail && $cmd" </dev/null
		if [ "$status" -ne 0 ]; then
			echo "$page: example failed with status $status: $cmd"
			echo "$output"
			return 1
		fi
	done < <(man_examples "$page")
	[ "$n" -gt 0 ] || { echo "$page: no examples"; return 1; }
}

@test "docs: every man page has EXAMPLES that run" {
	for page in "$TOP"/man/*.[17]; do
		run_examples "$page"
	done
}

@test "docs: each program's --help matches its man page SYNOPSIS options" {
	for page in "$TOP"/man/*.1; do
		prog=$(basename "$page" .1)
		[ "$prog" = mcfan ] && continue	# a script: its own test checks it
		# Every long option in --help is documented in the man page.
		for opt in $("$prog" --help | grep -o -- '--[a-z-]*' | sort -u); do
			grep -q -- "Fl -${opt#--}" "$page" ||
			    { echo "$prog: $opt not in $page"; return 1; }
		done
	done
}

@test "docs: README console blocks print what they show" {
	dir=$(mktemp -d "$BATS_TEST_TMPDIR/readme.XXXXXX")
	cp -R "$TESTDATA"/. "$dir"/
	# Blocks are ```console ... ```; "$ " lines are commands, the lines up
	# to the next command or the end of the block are their output.  A
	# block opened with ```console-nocheck runs without comparing output.
	awk '
		/^```console/ { inb = 1; check = ($0 == "```console"); next }
		/^```/ && inb { inb = 0; if (cmd != "") print_cmd(); next }
		inb && /^\$ / { if (cmd != "") print_cmd(); cmd = substr($0, 3); out = ""; next }
		inb { out = out $0 "\n" }
		function print_cmd() { printf "%s\t%d\t%s", cmd, check, out; printf "\0"; cmd = "" }
	' "$TOP/README.md" >"$dir/.cases"
	n=0
	while IFS= read -r -d '' case; do
		cmd=${case%%$'\t'*}
		rest=${case#*$'\t'}
		check=${rest%%$'\t'*}
		want=${rest#*$'\t'}
		n=$((n + 1))
		run bash -c "cd '$dir' && set -o pipefail && $cmd" </dev/null
		[ "$status" -eq 0 ] || { echo "README: failed ($status): $cmd"; echo "$output"; return 1; }
		if [ "$check" = 1 ]; then
			[ "$output" = "${want%$'\n'}" ] || {
				echo "README: output differs for: $cmd"
				diff <(echo "${want%$'\n'}") <(echo "$output")
				return 1
			}
		fi
	done <"$dir/.cases"
	[ "$n" -gt 0 ]
}
