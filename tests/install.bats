#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-3.0-or-later
# make install and make uninstall into a DESTDIR, the installed scripts
# run from where they land, and the bash completion made from the man
# pages offers every option the programs' --help names.

load test_helper

setup() {
	T=$BATS_TEST_TMPDIR
}

PROGRAMS=(mcgen mcpi mcprice mcstat plotxy mcfan mcfan-slurm nightly-reval)

# complete PROG WORD...: sources PROG's installed completion and prints
# what it offers for the last WORD of the command line.
complete_words() {
	local prog=$1
	shift
	bash -c '
		f=$1; shift
		. "$f" || exit 1
		COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1))
		fn=$(complete -p "$1" | sed -n "s/.*-F \([^ ]*\) .*/\1/p")
		"$fn" "$1" "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD-1]}"
		printf "%s\n" "${COMPREPLY[@]}"' _ \
		"$T/root/usr/share/bash-completion/completions/$prog" "$prog" "$@"
}

install_into_root() {
	make -s -C "$TOP" install DESTDIR="$T/root" PREFIX=/usr >"$T/make.out" 2>&1 ||
		fail "make install: $(cat "$T/make.out")"
}

@test "install: every program, script, page and completion, with its mode" {
	install_into_root
	local p m
	for p in "${PROGRAMS[@]}"; do
		assert [ -x "$T/root/usr/bin/$p" ]
		assert [ -f "$T/root/usr/share/man/man1/$p.1" ]
		assert [ -f "$T/root/usr/share/bash-completion/completions/$p" ]
	done
	assert [ -f "$T/root/usr/share/man/man7/mctools.7" ]
	assert [ -f "$T/root/usr/share/man/man1/mcprice.cgi.1" ]
	assert [ -x "$T/root/usr/share/mctools/mcprice.cgi" ]
	assert [ -f "$T/root/usr/share/mctools/shards.bash" ]
	# Modes from install -m, whatever the umask of the tree.
	run stat -c '%a %n' "$T/root/usr/bin/mcfan" "$T/root/usr/bin/mcpi" \
		"$T/root/usr/share/man/man1/mcpi.1" "$T/root/usr/share/mctools/shards.bash" \
		"$T/root/usr/lib/mctools/mcfan-run"
	assert_output "755 $T/root/usr/bin/mcfan
755 $T/root/usr/bin/mcpi
644 $T/root/usr/share/man/man1/mcpi.1
644 $T/root/usr/share/mctools/shards.bash
755 $T/root/usr/lib/mctools/mcfan-run"
	# Every man page of the tree is installed.
	for m in "$TOP"/man/*.1; do
		assert [ -f "$T/root/usr/share/man/man1/${m##*/}" ]
	done
}

@test "install: the installed scripts run from where they land" {
	install_into_root
	# Nothing of the tree in PATH: the scripts find shards.bash in
	# ../share/mctools.
	local bin=$T/root/usr/bin
	run env -i PATH="$bin:/usr/bin:/bin" mcfan --version
	assert_output 'mcfan (mctools) 0.1'
	run env -i PATH="$bin:/usr/bin:/bin" mcfan-slurm --version
	assert_output 'mcfan-slurm (mctools) 0.1'
	run env -i PATH="$bin:/usr/bin:/bin" nightly-reval --version
	assert_output 'nightly-reval (mctools) 0.1'
	run env -i PATH="$bin:/usr/bin:/bin" "$T/root/usr/share/mctools/mcprice.cgi" --version
	assert_output 'mcprice.cgi (mctools) 0.1'
	env -i PATH="$bin:/usr/bin:/bin" mcfan -N 3 -- mcpi -n 1e5 -s 7 </dev/null |
		cmp - <(mcpi -n 1e5 -s 7)
	# mcfan's local runner is found in ../lib/mctools: parallel, which
	# runs the shards without it, is not run (it would say so here).
	mkdir "$T/pbin"
	printf '#!/bin/sh\necho ran >>"%s/parallel-ran"\nexec /usr/bin/parallel "$@"\n' "$T" >"$T/pbin/parallel"
	chmod +x "$T/pbin/parallel"
	env -i PATH="$bin:$T/pbin:/usr/bin:/bin" mcfan -N 3 -- mcpi -n 1e5 -s 7 </dev/null |
		cmp - <(mcpi -n 1e5 -s 7)
	assert [ ! -e "$T/parallel-ran" ]
	# Without it, parallel runs the shards, and mktemp, cat and bash do
	# what the runner does around them: the same bytes, a book on
	# standard input too, and no file left.
	mv "$T/root/usr/lib/mctools/mcfan-run" "$T/mcfan-run"
	mkdir "$T/tmp"
	env -i PATH="$bin:$T/pbin:/usr/bin:/bin" TMPDIR="$T/tmp" \
		mcfan -N 3 -- mcpi -n 1e5 -s 7 </dev/null | cmp - <(mcpi -n 1e5 -s 7)
	assert [ -e "$T/parallel-ran" ]
	printf 'type,spot,strike,maturity,rate,vol\ncall,100,100,1,0.05,0.2\nput,100,90,0.5,0.01,0.3\n' >"$T/book.csv"
	env -i PATH="$bin:$T/pbin:/usr/bin:/bin" TMPDIR="$T/tmp" \
		mcfan -N 3 -- mcprice -n 1e4 -s 7 <"$T/book.csv" |
		cmp - <(mcprice -n 1e4 -s 7 <"$T/book.csv")
	run ls -A "$T/tmp"
	assert_output ''
}

@test "install: make uninstall removes exactly what make install put" {
	mkdir -p "$T/root/usr/bin"
	echo mine >"$T/root/usr/bin/other"
	install_into_root
	make -s -C "$TOP" uninstall DESTDIR="$T/root" PREFIX=/usr >"$T/make.out" 2>&1 ||
		fail "make uninstall: $(cat "$T/make.out")"
	run find "$T/root" -type f
	assert_output "$T/root/usr/bin/other"
}

@test "install: the completion offers every option of every program's --help" {
	install_into_root
	local p o offered
	for p in "${PROGRAMS[@]}"; do
		offered=$(complete_words "$p" -)
		for o in $("$p" --help | grep -o -- '--[a-z][a-z0-9_-]*' | sort -u); do
			grep -qx -- "$o" <<<"$offered" ||
				fail "$p: the completion does not offer $o (it offers: $offered)"
		done
	done
	# A prefix, a value that is a file, a fixed word, a command after --.
	run complete_words mcpi --sh
	assert_output '--shard'
	touch "$T/joblog.txt"
	run complete_words mcfan --joblog "$T/jobl"
	assert_output "$T/joblog.txt"
	run complete_words mcgen --qmc s
	assert_output 'sobol'
	run complete_words mcfan -N 4 -- mcst
	assert_line 'mcstat'
}
