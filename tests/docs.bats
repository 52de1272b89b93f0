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

# Reads README.md's console blocks into the arrays cmds, checks and wants.
# Blocks are ```console ... ```; "$ " lines are commands, the lines up to the
# next command or the end of the block are their output.  A block opened
# with ```console-nocheck runs without comparing output.  Plain bash, so
# that it works with any awk (Debian's default is mawk).
readme_cases() {
	local line inb=0 check=0 k=-1
	cmds=() checks=() wants=()
	while IFS= read -r line || [ -n "$line" ]; do
		case $line in
		'```console'*)
			inb=1
			[ "$line" = '```console' ] && check=1 || check=0
			;;
		'```'*)
			inb=0
			;;
		'$ '*)
			[ $inb = 1 ] || continue
			k=$((k + 1))
			cmds[k]=${line#\$ }
			checks[k]=$check
			wants[k]=
			;;
		*)
			if [ $inb = 1 ] && [ $k -ge 0 ]; then
				wants[k]+="$line"$'\n'
			fi
			;;
		esac
	done <"$1"
}

@test "docs: README console blocks print what they show" {
	dir=$(mktemp -d "$BATS_TEST_TMPDIR/readme.XXXXXX")
	cp -R "$TESTDATA"/. "$dir"/
	readme_cases "$TOP/README.md"
	[ "${#cmds[@]}" -gt 0 ] || { echo "README: no console blocks"; return 1; }
	for k in "${!cmds[@]}"; do
		cmd=${cmds[k]}
		want=${wants[k]}
		run bash -c "cd '$dir' && set -o pipefail && $cmd" </dev/null
		[ "$status" -eq 0 ] || { echo "README: failed ($status): $cmd"; echo "$output"; return 1; }
		if [ "${checks[k]}" = 1 ]; then
			[ "$output" = "${want%$'\n'}" ] || {
				echo "README: output differs for: $cmd"
				diff <(echo "${want%$'\n'}") <(echo "$output")
				return 1
			}
		fi
	done
}
