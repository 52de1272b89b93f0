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

# Prints the options the OPTIONS section of man page $1 documents, one a
# line, as -x or --long.
man_options() {
	awk '/^\.Sh / { op = ($2 == "OPTIONS") }
	    op && /^\.It Fl / {
		n = split($0, w, " ")
		for (i = 1; i < n; i++)
			if (w[i] == "Fl" && w[i + 1] ~ /^-?[A-Za-z]/)
				print "-" w[i + 1]
	    }' "$1" | sort -u
}

# Prints the options program $1's --help names, one a line; --COLUMN and
# other upper-case words are placeholders, not options.
help_options() {
	"$1" --help | grep -oE -- '(^|[][ |,])--?[a-zA-Z][a-zA-Z0-9_-]*' |
	    sed 's/^[^-]*//' | grep -vE -- '^--[A-Z]+$' | sort -u
}

# Whether program $1 accepts option $2: given with a value and then an
# option that exists nowhere, it complains of the latter, not of $2.
accepts() {
	run --separate-stderr "$1" "$2" 1 --no-such-probe </dev/null
	[[ "$stderr" != *"unknown option \"$2\""* ]] &&
	    [[ "$stderr" != *"unknown option $2"* ]]
}

@test "docs: --help and the man page's OPTIONS name the same options" {
	not_under_san "the pages and --help's text"
	local page prog opt n hopts mopts
	local -A inhelp inman
	for page in "$TOP"/man/*.1; do
		prog=$(basename "$page" .1)
		command -v "$prog" >/dev/null || fail "$prog: not found for $page"
		# Each list once a page, and looked up in bash: a pipeline,
		# then a grep, per option made this test the slowest of make
		# check (113 s at load 10, then 26 s at load 5).
		hopts=$(help_options "$prog")
		mopts=$(man_options "$page")
		inhelp=() inman=()
		for opt in $hopts; do inhelp[$opt]=1; done
		for opt in $mopts; do inman[$opt]=1; done
		n=0
		# Every option --help names is documented under OPTIONS.
		for opt in $hopts; do
			n=$((n + 1))
			[ -n "${inman[$opt]:-}" ] ||
			    fail "$prog: $opt is in --help, not in OPTIONS of $page"
		done
		[ "$n" -gt 2 ] || fail "$prog: --help names only $n options"
		# Every option OPTIONS documents is in --help, or accepted (a
		# book's columns are options of mcprice that --help sums up).
		for opt in $mopts; do
			[ -n "${inhelp[$opt]:-}" ] ||
			    accepts "$prog" "$opt" ||
			    fail "$prog: $opt is in $page, but unknown to $prog"
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
