#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-3.0-or-later
# scripts/mcfan: shards through GNU parallel, locally and over real ssh
# (a throwaway sshd on 127.0.0.1, see sshd_helper.bash), merged output
# byte-identical to the single process.

load test_helper
load sshd_helper

setup() {
	T=$BATS_TEST_TMPDIR
	# Remote shells do not have the build in PATH: mcfan runs the
	# program at its absolute path, so the tests name it that way too.
	MCPI=$MCTOOLS_BIN/mcpi
	mcpi -n 1e6 -s 42 >"$T/single.csv"
}

teardown() {
	stop_sshd
	[ -z "${MOUNTED:-}" ] || umount "$MOUNTED"
}

# stderr_has [--partial] TEXT: a line of $stderr is TEXT (or holds it).
stderr_has() {
	local partial=0 l
	if [ "$1" = --partial ]; then partial=1; shift; fi
	for l in "${stderr_lines[@]}"; do
		if [ "$l" = "$1" ]; then return 0; fi
		if [ $partial -eq 1 ] && [[ $l == *"$1"* ]]; then return 0; fi
	done
	fail "no line of stderr is \"$1\": $stderr"
}

# A command that writes its words up to "--" (one [word] a line) and its
# standard input to files named by its shard, then runs mcpi with the
# words after "--": record DIR WORD... -- MCPI-ARG...
make_recorder() {
	cat >"$T/record" <<-'EOF'
		#!/bin/sh
		dir=$1; shift
		shard=$(printf '%s\n' "$@" | sed -n 's:^\([0-9]*\)/[0-9]*$:\1:p')
		: >"$dir/args.$shard"
		while [ "$1" != -- ]; do
			printf '[%s]\n' "$1" >>"$dir/args.$shard"
			shift
		done
		shift
		cat >"$dir/stdin.$shard"
		exec "$MCTOOLS_BIN/mcpi" "$@"
	EOF
	sed -i "s|\$MCTOOLS_BIN|$MCTOOLS_BIN|" "$T/record"
	chmod +x "$T/record"
}

@test "mcfan: --help prints the synopsis, --version the version" {
	run --separate-stderr mcfan --help
	assert_success
	assert_line --index 0 --partial 'usage: mcfan -N SHARDS'
	assert_equal "$stderr" ""
	run --separate-stderr mcfan --version
	assert_success
	assert_output 'mcfan (mctools) 0.1'
}

@test "mcfan: usage errors exit 64 with a message and no output" {
	run --separate-stderr mcfan -- mcpi -n 1000
	assert_failure 64
	assert_output ''
	assert_equal "${stderr_lines[0]}" 'mcfan: option -N is required'
	run --separate-stderr mcfan -N 0 -- mcpi -n 1000
	assert_failure 64
	assert_output ''
	assert_equal "${stderr_lines[0]}" 'mcfan: option -N: 0 is out of range [1, 1000000]'
	run --separate-stderr mcfan -N x -- mcpi
	assert_failure 64
	assert_equal "${stderr_lines[0]}" 'mcfan: option -N: expected a whole number, got "x"'
	run --separate-stderr mcfan -N 2 --frobnicate -- mcpi
	assert_failure 64
	assert_equal "${stderr_lines[0]}" 'mcfan: unknown option --frobnicate'
	run --separate-stderr mcfan -N 2 --
	assert_failure 64
	assert_equal "${stderr_lines[0]}" 'mcfan: no command after --'
	run --separate-stderr mcfan -N 2 --resume-failed -- mcpi
	assert_failure 64
	assert_equal "${stderr_lines[0]}" 'mcfan: --resume-failed needs --joblog FILE from the run to finish'
	run --separate-stderr mcfan -N 2 -- no-such-program-here
	assert_failure 69
	assert_equal "$stderr" 'mcfan: no-such-program-here: command not found'
}

@test "mcfan: local shards N = 1, 3, 8 give the single run's bytes" {
	for n in 1 3 8; do
		mcfan -N "$n" -j 2 -- mcpi -n 1e6 -s 42 </dev/null >"$T/fan$n.csv"
		cmp "$T/single.csv" "$T/fan$n.csv"
	done
	# and -NN, --shards=N, -j N spellings
	mcfan -N3 --jobs=2 -- mcpi -n 1e6 -s 42 </dev/null | cmp "$T/single.csv" -
	mcfan --shards=3 -- mcpi -n 1e6 -s 42 </dev/null | cmp "$T/single.csv" -
	# The merge is not a formality: a different seed gives other digits.
	mcfan -N 3 -- mcpi -n 1e6 -s 43 </dev/null >"$T/other.csv"
	! cmp -s "$T/single.csv" "$T/other.csv"
}

@test "mcfan: a failing shard gives its status, its message and no row" {
	run --separate-stderr mcfan -N 3 -- mcpi -n 1e6 --level 7 </dev/null
	assert_failure 64
	assert_output ''
	stderr_has --partial 'mcpi: '
	stderr_has 'mcfan: 3 of 3 shards failed or did not run; no result printed'
}

@test "mcfan: a full disk is reported with status 74" {
	run --separate-stderr bash -c 'mcfan -N 2 -- mcpi -n 1e5 </dev/null >/dev/full'
	assert_failure 74
	assert_equal "$stderr" 'mcstat: write error: No space left on device'
}

@test "mcfan: no temporary file is left behind" {
	mkdir "$T/tmp"
	TMPDIR=$T/tmp mcfan -N 3 -- mcpi -n 1e5 </dev/null >/dev/null
	TMPDIR=$T/tmp run mcfan -N 3 -- mcpi -n 1e5 --level 7 </dev/null
	assert_failure 64
	run ls -A "$T/tmp"
	assert_output ''
}

@test "mcfan: shell metacharacters in words reach the command intact" {
	make_recorder
	# Each payload would create a file if a shell ran it, or is one of
	# parallel's replacement strings.
	local payloads=('$(touch pwned1)' '`touch pwned2`' ';touch pwned3'
		'a b  c' "it's" '"; touch pwned4; "' $'line\ntouch pwned5'
		'{}' '{= $_="X" =}' '{#}' '\' '*' '~' '' '|touch pwned6'
		'{.} {/} {%}' '>pwned7' '&& touch pwned8' $'tab\there' 'é ü')
	(cd "$T" && mcfan -N 2 -- "$T/record" "$T" "${payloads[@]}" -- \
		-n 1e5 -s 7 </dev/null >"$T/out.csv")
	mcpi -n 1e5 -s 7 | cmp - "$T/out.csv"
	for p in 0 1; do
		printf '[%s]\n' "${payloads[@]}" | cmp - "$T/args.$p"
	done
	run ls "$T"
	refute_output --partial pwned
}

@test "mcfan: standard input goes whole to every shard" {
	make_recorder
	printf 'id,x\n1,"a,b"\n2,$(touch pwned)\n' >"$T/book.csv"
	mcfan -N 3 -- "$T/record" "$T" x -- -n 1e5 <"$T/book.csv" >"$T/out.csv"
	mcpi -n 1e5 | cmp - "$T/out.csv"
	for p in 0 1 2; do
		cmp "$T/book.csv" "$T/stdin.$p"
	done
}

@test "mcfan: --joblog and --resume-failed finish a half-done run" {
	# Shard 1 fails until $T/ok exists; the others count their runs.
	cat >"$T/flaky" <<-EOF
		#!/bin/sh
		shard=\$(printf '%s\n' "\$@" | sed -n 's:^\([0-9]*\)/[0-9]*\$:\1:p')
		echo run >>"$T/runs.\$shard"
		cat >"$T/stdin.\$shard"
		[ "\$shard" != 1 ] || [ -e "$T/ok" ] || { echo "flaky: shard 1 down" >&2; exit 3; }
		exec "$MCTOOLS_BIN/mcpi" "\$@"
	EOF
	chmod +x "$T/flaky"
	printf 'id,x\n1,2\n' >"$T/book.csv"
	run --separate-stderr mcfan -N 4 -j 1 --halt never --joblog "$T/jl" \
		-- "$T/flaky" -n 1e6 -s 42 <"$T/book.csv"
	assert_failure 75
	assert_output ''
	stderr_has 'flaky: shard 1 down'
	stderr_has "mcfan: 1 of 4 shards failed or did not run; no result printed (finish with --joblog $T/jl --resume-failed)"
	# Another command may not pick up this joblog.
	run --separate-stderr mcfan -N 4 --joblog "$T/jl" --resume-failed \
		-- "$T/flaky" -n 1e6 -s 43 <"$T/book.csv"
	assert_failure 64
	assert_equal "$stderr" "mcfan: $T/jl was written by another command, shard count or input; cannot resume it"
	touch "$T/ok"
	mcfan -N 4 -j 1 --halt never --joblog "$T/jl" --resume-failed \
		-- "$T/flaky" -n 1e6 -s 42 <"$T/book.csv" >"$T/out.csv"
	cmp "$T/single.csv" "$T/out.csv"
	# Shards 0, 2, 3 ran once; shard 1 failed once and ran again.
	for p in 0 2 3; do
		assert_equal "$(wc -l <"$T/runs.$p")" 1
	done
	assert_equal "$(wc -l <"$T/runs.1")" 2
	cmp "$T/book.csv" "$T/stdin.1"
	# Another input may not finish the run either.
	rm "$T/ok"
	run mcfan -N 4 -j 1 --halt never --joblog "$T/jl" -- "$T/flaky" -n 1e6 -s 42 <"$T/book.csv"
	assert_failure 75
	touch "$T/ok"
	run --separate-stderr mcfan -N 4 --joblog "$T/jl" --resume-failed \
		-- "$T/flaky" -n 1e6 -s 42 </dev/null
	assert_failure 64
}

@test "mcfan: ssh over two logins, N = 1, 3, 8, same bytes" {
	not_under_san "ssh"
	start_sshd
	for n in 1 3 8; do
		mcfan -N "$n" -S 2/127.0.0.1,2/localhost --joblog "$T/jl$n" \
			-- "$MCPI" -n 1e6 -s 42 </dev/null >"$T/fan$n.csv"
		cmp "$T/single.csv" "$T/fan$n.csv"
	done
	# Both logins did work (the joblog's Host column).
	run cut -f 2 "$T/jl8"
	assert_line 127.0.0.1
	assert_line localhost
	# Commands named without a path are run at the same path remotely.
	mcfan -N 3 -S 1/localhost -- mcpi -n 1e6 -s 42 </dev/null |
		cmp "$T/single.csv" -
}

@test "mcfan: a dead login's shards are retried on the live one" {
	not_under_san "ssh"
	start_sshd
	# An ssh that notes the login of every connection it makes.
	printf '#!/bin/sh\nfor a; do case $a in -*) ;; *) echo "$a" >>"%s"; break ;; esac; done\nexec ssh -F "%s" "$@"\n' \
		"$T/logins" "$SSH_CONFIG" >"$T/ssh"
	chmod +x "$T/ssh"
	export PARALLEL_SSH=$T/ssh
	for n in 1 3 8; do
		: >"$T/logins"
		run --separate-stderr mcfan -N "$n" -S 1/127.0.0.2,1/localhost \
			--joblog "$T/jl$n" -- "$MCPI" -n 1e6 -s 42 </dev/null
		assert_success
		printf '%s\n' "$output" | cmp "$T/single.csv" -
	done
	# The dead login was tried, and every shard then ran on the live one.
	run grep -c '^127\.0\.0\.2$' "$T/logins"
	assert_success
	run awk -F '\t' '$2 == "localhost" && $7 == 0 { n++ } END { print n }' "$T/jl8"
	assert_output 8
}

@test "mcfan: only dead logins: non-zero exit and no row" {
	not_under_san "ssh"
	start_sshd
	run --separate-stderr mcfan -N 3 -S 1/127.0.0.2 -- "$MCPI" -n 1e6 -s 42 </dev/null
	assert_failure 75
	assert_output ''
	stderr_has 'mcfan: 3 of 3 shards failed or did not run; no result printed'
}

@test "mcfan: ssh: words and standard input arrive intact, --transfer, --ssh" {
	not_under_san "ssh"
	start_sshd
	make_recorder
	printf 'id,x\n1,"a,b"\n' >"$T/book.csv"
	local payload='$(touch pwned1); `touch pwned2` {} "x y"'
	(cd "$T" && mcfan -N 3 -S 2/localhost -- "$T/record" "$T" "$payload" -- \
		-n 1e5 <"$T/book.csv" >"$T/out.csv")
	mcpi -n 1e5 | cmp - "$T/out.csv"
	for p in 0 1 2; do
		printf '[%s]\n' "$payload" | cmp - "$T/args.$p"
		cmp "$T/book.csv" "$T/stdin.$p"
	done
	run ls "$T" "$HOME"
	refute_output --partial pwned
	# The program shipped with --transfer, through the --ssh command, to
	# the logins of a file.
	local ssh=$PARALLEL_SSH
	unset PARALLEL_SSH
	printf '2/localhost\n' >"$T/logins"
	mcfan -N 3 --sshloginfile "$T/logins" --transfer --ssh "$ssh" \
		-- "$MCPI" -n 1e6 -s 42 </dev/null | cmp "$T/single.csv" -
}

# The test book less its two slow rows (a barrier and an American put,
# which take most of mcprice's time): quoted fields and every other style.
quick_book() {
	grep -v '^7,\|^11,' "$TESTDATA/book.csv" >"$T/book.csv"
}

@test "mcfan: an option book on stdin: N = 1, 3, 8 give mcprice's bytes" {
	quick_book
	mcprice -n 1e4 -s 42 --greeks <"$T/book.csv" >"$T/priced.csv"
	for n in 1 3 8; do
		mcfan -N "$n" -- mcprice -n 1e4 -s 42 --greeks \
			<"$T/book.csv" >"$T/fan$n.csv"
		cmp "$T/priced.csv" "$T/fan$n.csv"
	done
	# A bad row fails every shard: mcprice's status, no rows.
	printf 'type,spot,strike,maturity,rate,vol\ncall,abc,100,1,0.05,0.2\n' >"$T/bad.csv"
	run --separate-stderr mcfan -N 3 -- mcprice -n 1e4 <"$T/bad.csv"
	assert_failure 65
	assert_output ''
	stderr_has --partial "mcprice: stdin:2: column 'spot'"
}

@test "mcfan: a book over ssh, two logins and a dead one, same bytes" {
	not_under_san "ssh"
	start_sshd
	quick_book
	mcprice -n 1e4 -s 42 <"$T/book.csv" >"$T/priced.csv"
	# (N = 1 and 3 over ssh are the mcpi tests' business.)
	mcfan -N 8 -S 1/127.0.0.1,1/localhost,1/127.0.0.2 \
		-- mcprice -n 1e4 -s 42 <"$T/book.csv" >"$T/fan8.csv"
	cmp "$T/priced.csv" "$T/fan8.csv"
}

@test "mcfan: --help and --version on a full disk exit 74" {
	run --separate-stderr bash -c 'mcfan --help >/dev/full'
	assert_failure 74
	assert_equal "$stderr" 'mcfan: write error: No space left on device'
	run --separate-stderr bash -c 'mcfan --version >/dev/full'
	assert_failure 74
	assert_equal "$stderr" 'mcfan: write error: No space left on device'
}

@test "mcfan: a command too long for a shell is a usage error, at once" {
	local w
	w=$(head -c 100000 /dev/zero | tr '\0' a)
	run --separate-stderr mcfan -N 2 -- mcpi -n 1000 "$w"
	assert_failure 64
	assert_output ''
	assert_equal "$stderr" 'mcfan: the command is over 32768 bytes long once quoted for the shell'
	# A word that quoting makes too long.
	w=$(head -c 20000 /dev/zero | tr '\0' '$')
	run --separate-stderr mcfan -N 2 -- mcpi -n 1000 "$w"
	assert_failure 64
	assert_equal "$stderr" 'mcfan: the command is over 32768 bytes long once quoted for the shell'
}

@test "mcfan: PARALLEL and parallel's config files do not change the jobs" {
	not_under_san "GNU parallel"
	# --pipe made mcfan hang, --compress broke it; a config file in
	# PARALLEL_HOME or ~/.parallel could do the same.  The timeout is
	# only there so that a hang fails the test instead of stalling it.
	# Parallel runs the shards of -S logins (":" is this host); mcfan
	# itself those of a local run, which must not care either.
	local p via
	mkdir -p "$T/ph" "$T/home/.parallel"
	printf -- '--pipe\n' >"$T/ph/config"
	printf -- '--compress\n' >"$T/home/.parallel/config"
	for via in -N3 -S2/:; do
		for p in --pipe --compress '-j 0 --keep-order' '--results /nonexistent'; do
			PARALLEL=$p run --separate-stderr timeout 300 mcfan -N 3 "$via" -- mcpi -n 1e6 -s 42 </dev/null
			assert_success
			assert_output "$(cat "$T/single.csv")"
		done
		PARALLEL_HOME=$T/ph run timeout 300 mcfan -N 3 "$via" -- mcpi -n 1e6 -s 42 </dev/null
		assert_success
		assert_output "$(cat "$T/single.csv")"
		HOME=$T/home run timeout 300 mcfan -N 3 "$via" -- mcpi -n 1e6 -s 42 </dev/null
		assert_success
		assert_output "$(cat "$T/single.csv")"
	done
	# PARALLEL_HOME is left as it was.
	assert [ "$(ls "$T/ph")" = config ]
}

@test "mcfan: parallel's probes are kept in mctools's cache, and nowhere without a home" {
	not_under_san "GNU parallel"
	# Probed afresh on every run, they cost parallel about 1 s of CPU.
	# Parallel runs the shards of -S logins, ":" being this host.
	XDG_CACHE_HOME=$T/xc run --separate-stderr mcfan -N 3 -S 2/: -- mcpi -n 1e6 -s 42 </dev/null
	assert_success
	assert_output "$(cat "$T/single.csv")"
	assert [ -s "$(echo "$T"/xc/mctools/parallel/tmp/sshlogin/*/linelen)" ]
	XDG_CACHE_HOME=$T/xc run --separate-stderr mcfan -N 3 -S 2/: -- mcpi -n 1e6 -s 42 </dev/null
	assert_success
	assert_output "$(cat "$T/single.csv")"
	# A home that does not exist is not made; the run keeps its own.
	env -u XDG_CACHE_HOME HOME="$T/gone" mcfan -N 2 -S 2/: -- mcpi -n 1e6 -s 42 </dev/null |
		cmp "$T/single.csv" -
	assert [ ! -e "$T/gone" ]
	# Nor is a relative XDG_CACHE_HOME taken (the XDG rule).
	(cd "$T" && XDG_CACHE_HOME=rel HOME="$T/gone" mcfan -N 2 -S 2/: -- mcpi -n 1e6 -s 42 </dev/null) |
		cmp "$T/single.csv" -
	assert [ ! -e "$T/rel" ]
}

@test "mcfan: a full TMPDIR is reported with its reason" {
	[ "$(id -u)" -eq 0 ] || skip "needs root, to mount a small tmpfs"
	mkdir "$T/full"
	mount -t tmpfs -o size=64k tmpfs "$T/full" || skip "cannot mount a tmpfs here"
	MOUNTED=$T/full
	head -c 1000000 /dev/zero >"$T/full/fill" 2>/dev/null || true
	TMPDIR=$T/full run --separate-stderr mcfan -N 4 -- mcpi -n 1e5 </dev/null
	assert_failure 74
	assert_output ''
	[[ $stderr == *"No space left on device"* ]] || fail "no reason: $stderr"
	[[ $stderr != *"shards failed"* ]] || fail "not the reason: $stderr"
	# Room for mcfan's own files, not for all the shards' outputs (two
	# pages are left, for four) nor for parallel's buffers: the shards
	# that mcfan runs and those that parallel runs (-S :).
	rm "$T/full/fill"
	head -c $((56 * 1024)) /dev/zero >"$T/full/fill"
	local via
	for via in -N4 -S2/:; do
		TMPDIR=$T/full run --separate-stderr mcfan -N 4 "$via" -- mcpi -n 1e5 </dev/null
		assert_failure 74
		assert_output ''
		[[ $stderr == *"disk full"* || $stderr == *"No space left"* ]] || fail "no reason: $stderr"
		[[ $stderr != *"shards failed"* ]] || fail "not the reason: $stderr"
	done
	# mcfan stops the shards still running as it ends; a shard's subshell
	# stopped before it had reset mcfan's traps ran mcfan's EXIT trap and
	# removed the directory under mcfan (1 run in 5 said "No such file or
	# directory") or said "wait_for: No record of process".
	local k
	for ((k = 0; k < 20; k++)); do
		TMPDIR=$T/full run --separate-stderr mcfan -N 4 -- mcpi -n 1e5 </dev/null
		assert_failure 74
		[[ $stderr == "mcfan: cannot write the shards' outputs in $T/full: No space left on device; no result printed (set --tmpdir)" ]] ||
			fail "run $k: $stderr"
	done
}

@test "mcfan: two runs on one --joblog: the second is refused" {
	cat >"$T/hold" <<-EOF
		#!/bin/sh
		touch "$T/started"
		while [ ! -e "$T/release" ]; do sleep 0.05; done
		exec "$MCTOOLS_BIN/mcpi" "\$@"
	EOF
	chmod +x "$T/hold"
	mcfan -N 2 --joblog "$T/jl" -- "$T/hold" -n 1e6 -s 42 </dev/null >"$T/first.csv" 2>"$T/first.err" 3>&- &
	local first=$!
	until [ -e "$T/started" ]; do
		kill -0 "$first" 2>/dev/null || fail "the first run ended: $(cat "$T/first.err")"
		sleep 0.05
	done
	run --separate-stderr mcfan -N 2 --joblog "$T/jl" -- mcpi -n 1e6 -s 42 </dev/null
	assert_failure 75
	assert_output ''
	assert_equal "$stderr" "mcfan: $T/jl: another mcfan run is using this joblog; wait for it or name another"
	run --separate-stderr mcfan -N 2 --joblog "$T/jl" --resume-failed -- "$T/hold" -n 1e6 -s 42 </dev/null
	assert_failure 75
	touch "$T/release"
	wait "$first"
	cmp "$T/single.csv" "$T/first.csv"
	# Once it is done, the joblog is free again.
	mcfan -N 2 --joblog "$T/jl" -- mcpi -n 1e6 -s 42 </dev/null | cmp "$T/single.csv" -
}

@test "mcfan: --dry-run prints the shard commands and runs nothing" {
	make_recorder
	run --separate-stderr mcfan -N 3 --dry-run -- "$T/record" "$T" 'a b' '$x' -- -n 1e5
	assert_success
	assert_equal "$stderr" ''
	assert_equal "${#lines[@]}" 3
	local i
	for i in 0 1 2; do
		assert_line --index $i "$T/record $T a\\ b \\\$x -- -n 1e5 --shard $i/3 --partial"
	done
	run ls "$T"
	refute_output --partial args.
	# The lines are what a shell runs.
	mcfan -N 3 --dry-run -- "$T/record" "$T" 'a b' -- -n 1e5 -s 42 >"$T/cmds"
	(cd "$T" && bash "$T/cmds" </dev/null >/dev/null)
	printf '[a b]\n' | cmp - "$T/args.1"
	# --cat drops --partial.
	run mcfan -N 2 --cat --dry-run -- mcgen -n 10 normal
	assert_output "$MCTOOLS_BIN/mcgen -n 10 normal --shard 0/2
$MCTOOLS_BIN/mcgen -n 10 normal --shard 1/2"
}

@test "mcfan: --timeout stops a shard that runs too long" {
	cat >"$T/slow" <<-EOF
		#!/bin/sh
		case "\$*" in *"--shard 1/3"*) sleep 600 ;; esac
		exec "$MCTOOLS_BIN/mcpi" "\$@"
	EOF
	chmod +x "$T/slow"
	run --separate-stderr mcfan -N 3 --timeout 1 -- "$T/slow" -n 1e5 </dev/null
	assert_failure 75
	assert_output ''
	stderr_has 'mcfan: shard 1/3 timed out after 1 s'
	stderr_has 'mcfan: 1 of 3 shards failed or did not run; no result printed'
	run --separate-stderr mcfan -N 3 --timeout 0 -- mcpi
	assert_failure 64
	assert_equal "$stderr" 'mcfan: option --timeout: 0 is out of range [1, 1000000]'
}

@test "mcfan: --progress, --bar and --eta are parallel's, on stderr only" {
	not_under_san "GNU parallel"
	run --separate-stderr mcfan -N 3 --progress -- mcpi -n 1e6 -s 42 </dev/null
	assert_success
	assert_output "$(cat "$T/single.csv")"
	[[ $stderr == *'Computers / CPU cores / Max jobs to run'* ]] || fail "no --progress: $stderr"
	run --separate-stderr mcfan -N 3 --bar -- mcpi -n 1e6 -s 42 </dev/null
	assert_success
	assert_output "$(cat "$T/single.csv")"
	[[ $stderr == *'100%'* ]] || fail "no --bar: $stderr"
	run --separate-stderr mcfan -N 3 --eta -- mcpi -n 1e6 -s 42 </dev/null
	assert_success
	assert_output "$(cat "$T/single.csv")"
	[[ $stderr == *'ETA: '* ]] || fail "no --eta: $stderr"
}

@test "mcfan: on a terminal, parallel's bar by default" {
	# script(1) gives mcfan a terminal for stderr.
	script -qec "mcfan -N 3 -- '$MCTOOLS_BIN/mcpi' -n 1e6 -s 42 </dev/null 2>'$T/err' >'$T/out'" /dev/null
	cmp "$T/single.csv" "$T/out"
	run cat "$T/err"
	assert_output ''
	script -qec "mcfan -N 3 -- '$MCTOOLS_BIN/mcpi' -n 1e6 -s 42 </dev/null >'$T/out'" "$T/tty" >/dev/null
	cmp "$T/single.csv" "$T/out"
	grep -q '100%' "$T/tty" || fail "no bar on the terminal: $(cat -v "$T/tty")"
}

@test "mcfan: --tmpdir holds the temporary files, and nothing is left there" {
	mkdir "$T/mine"
	cat >"$T/where" <<-EOF
		#!/bin/sh
		printf '%s\n' "\$TMPDIR" >"$T/tmpdir.\$\$"
		exec "$MCTOOLS_BIN/mcpi" "\$@"
	EOF
	chmod +x "$T/where"
	printf 'x\n1\n' | mcfan -N 2 --tmpdir "$T/mine" -- "$T/where" -n 1e6 -s 42 |
		cmp "$T/single.csv" -
	cat "$T"/tmpdir.* | sort -u | cmp - <(printf '%s\n' "$T/mine")
	run ls -A "$T/mine"
	assert_output ''
	run --separate-stderr mcfan -N 2 --tmpdir "$T/none" -- mcpi
	assert_failure 73
	assert_equal "$stderr" "mcfan: --tmpdir $T/none: not a directory"
}

@test "mcfan: --cat concatenates shards: mcgen and mcpi --dump, single run's bytes" {
	local n
	mcgen -n 1e5 -s 42 -d 2 normal >"$T/gen.csv"
	mcgen -n 200 -s 42 gbm spot=100 rate=0.05 vol=0.2 maturity=1 steps=12 >"$T/gbm.csv"
	mcpi -n 1e5 -s 42 --dump >"$T/dump.csv"
	for n in 1 3 8; do
		mcfan -N "$n" --cat -- mcgen -n 1e5 -s 42 -d 2 normal </dev/null | cmp "$T/gen.csv" -
		mcfan -N "$n" --cat -- mcgen -n 200 -s 42 gbm spot=100 rate=0.05 vol=0.2 maturity=1 steps=12 </dev/null |
			cmp "$T/gbm.csv" -
		mcfan -N "$n" --cat -- mcpi -n 1e5 -s 42 --dump </dev/null | cmp "$T/dump.csv" -
	done
	# A write error is reported once, with its reason.
	run --separate-stderr bash -c 'mcfan -N 2 --cat -- mcgen -n 1e5 normal </dev/null >/dev/full'
	assert_failure 74
	assert_equal "$stderr" 'mcfan: write error: No space left on device'
	# Output that is not partial rows is not merged without --cat.
	printf '#!/bin/sh\nexec "%s" -n 10 normal\n' "$MCTOOLS_BIN/mcgen" >"$T/gen"
	chmod +x "$T/gen"
	run --separate-stderr mcfan -N 2 -- "$T/gen" </dev/null
	assert_failure 65
	assert_output ''
	assert_equal "$stderr" 'mcfan: the shards printed "x1", which is not partial rows to merge (for outputs that simply concatenate, use --cat)'
}

@test "mcfan: the merger is chosen by the shards' header, not the program's name" {
	# A book pricer under another name, and mcpi under the name mcprice.
	mkdir "$T/a" "$T/b"
	ln -s "$MCTOOLS_BIN/mcprice" "$T/a/pricer"
	printf '#!/bin/sh\nexec "%s" "$@"\n' "$MCTOOLS_BIN/mcpi" >"$T/b/mcprice"
	chmod +x "$T/b/mcprice"
	quick_book
	mcfan -N 3 -- "$T/a/pricer" -n 1e4 -s 42 <"$T/book.csv" |
		cmp <(mcprice -n 1e4 -s 42 <"$T/book.csv") -
	mcfan -N 3 -- "$T/b/mcprice" -n 1e6 -s 42 </dev/null | cmp "$T/single.csv" -
}

@test "mcfan: a shard whose output is cut short is refused" {
	cat >"$T/cut" <<-EOF
		#!/bin/sh
		"$MCTOOLS_BIN/mcpi" "\$@" >"$T/out.\$\$"
		case "\$*" in *"--shard 1/2"*) head -c -1 "$T/out.\$\$" ;; *) cat "$T/out.\$\$" ;; esac
	EOF
	chmod +x "$T/cut"
	run --separate-stderr mcfan -N 2 -- "$T/cut" -n 1e6 </dev/null
	assert_failure 65
	assert_output ''
	assert_equal "$stderr" 'mcfan: shard 1/2: its output ends in the middle of a line'
}

# A wrapper named mcprice that logs its words, one run a line, to
# $T/calls, then runs mcprice.
make_logger() {
	mkdir -p "$T/w"
	printf '#!/bin/sh\necho "$*" >>"%s/calls"\nexec "%s/mcprice" "$@"\n' \
		"$T" "$MCTOOLS_BIN" >"$T/w/mcprice"
	chmod +x "$T/w/mcprice"
}

# An american, a barrier and a european: exercise rules, a control's
# pilot, and nothing to fit.
fit_book() {
	printf '%s\n' 'id,type,style,spot,strike,maturity,rate,vol,fixings,barrier,barrier_type' \
		'1,put,american,36,40,1,0.06,0.2,20,,' '2,call,barrier,100,100,1,0.05,0.2,20,80,down-out' \
		'3,call,european,100,110,1,0.05,0.2,,,' >"$T/ex.csv"
}

@test "mcfan: mcprice's fit is made once for more shards than rows; fewer split the rows: N = 1, 2, 3, 4, 8" {
	make_logger
	fit_book
	mcprice -n 2e4 -s 42 --greeks <"$T/ex.csv" >"$T/priced.csv"
	for n in 1 2 3 4 8; do
		: >"$T/calls"
		mcfan -N "$n" -- "$T/w/mcprice" -n 2e4 -s 42 --greeks \
			<"$T/ex.csv" >"$T/fan$n.csv"
		cmp "$T/priced.csv" "$T/fan$n.csv"
		if [ "$n" -le 3 ]; then
			# As many rows as shards or more: each shard fits the
			# rows it prices, then the merge.
			[ "$(grep -c -- '--fit' "$T/calls")" -eq 0 ]
			[ "$(grep -c -- "--shard [0-9]/$n --partial" "$T/calls")" -eq "$n" ]
			[ "$(wc -l <"$T/calls")" -eq $((n + 1)) ]
			continue
		fi
		# One fit over the local cores, then N shards that read it,
		# then the merge (the mcprice beside the command).
		[ "$(grep -c -- '--fit -j [0-9]' "$T/calls")" -eq 1 ]
		[ "$(grep -c -- '--partial --fit-file /' "$T/calls")" -eq "$n" ]
		[ "$(grep -c -- '^--merge$' "$T/calls")" -eq 1 ]
		[ "$(wc -l <"$T/calls")" -eq $((n + 2)) ]
	done
	# The book named as a file counts as on stdin; a contract from
	# options is one row.
	: >"$T/calls"
	mcfan -N 3 -- "$T/w/mcprice" -n 2e4 -s 42 --greeks "$T/ex.csv" |
		cmp "$T/priced.csv" -
	[ "$(grep -c -- '--fit' "$T/calls")" -eq 0 ]
	: >"$T/calls"
	mcfan -N 2 -- "$T/w/mcprice" -n 2e4 -s 42 --type put --style american \
		--spot 36 --strike 40 --maturity 1 --rate 0.06 --vol 0.2 --fixings 20 </dev/null |
		cmp <(mcprice -n 2e4 -s 42 --type put --style american --spot 36 \
		--strike 40 --maturity 1 --rate 0.06 --vol 0.2 --fixings 20) -
	[ "$(grep -c -- '--fit -j [0-9]' "$T/calls")" -eq 1 ]
	# The command's own -j is the fit's too; --tolerance has no fit.
	: >"$T/calls"
	mcfan -N 4 -- "$T/w/mcprice" -n 2e4 -s 42 --greeks -j 1 \
		<"$T/ex.csv" | cmp "$T/priced.csv" -
	grep -q -- '-j 1 --fit$' "$T/calls"
	: >"$T/calls"
	run --separate-stderr mcfan -N 4 -- "$T/w/mcprice" -n 1e4 --tolerance 0.1 \
		<"$T/ex.csv"
	assert_failure 64
	run grep -c -- '--fit' "$T/calls"
	assert_output 0
}

@test "mcfan: a fit file of another job, or damaged, fails every shard, no row" {
	quick_book
	mcprice -n 1e4 -s 42 --fit <"$T/book.csv" >"$T/fit.csv"
	mcfan -N 3 -- mcprice -n 1e4 -s 42 --fit-file "$T/fit.csv" <"$T/book.csv" |
		cmp - <(mcprice -n 1e4 -s 42 <"$T/book.csv")
	# Another seed: stale.
	run --separate-stderr mcfan -N 3 -- mcprice -n 1e4 -s 7 --fit-file "$T/fit.csv" \
		<"$T/book.csv"
	assert_failure 65
	assert_output ''
	stderr_has "mcprice: stdin:2: $T/fit.csv:2: the fit of book row 1 is of another job (another row, seed, -n or option); make one with mcprice --fit and this run's options"
	stderr_has "mcfan: 3 of 3 shards failed or did not run; no result printed"
	# A number of an exercise rule changed.
	local n
	n=$(grep -n ',rule,' "$T/fit.csv" | head -1 | cut -d: -f1)
	awk -F, -v OFS=, -v n="$n" 'NR == n { sub(/1/, "2", $6) } 1' "$T/fit.csv" >"$T/bad.csv"
	run cmp -s "$T/fit.csv" "$T/bad.csv"
	assert_failure
	run --separate-stderr mcfan -N 2 -- mcprice -n 1e4 -s 42 --fit-file "$T/bad.csv" \
		<"$T/book.csv"
	assert_failure 65
	assert_output ''
	stderr_has "mcprice: $T/bad.csv:$n: the line does not match its fit_check (a damaged fit file); make it again with mcprice --fit"
}

# gone PID: the process has ended (a zombie has: an init that does not
# reap may keep it).
gone() {
	[ ! -e "/proc/$1" ] || grep -q '^State:[[:space:]]*Z' "/proc/$1/status"
}

# A "parallel" first in PATH that notes each run in $T/parallel-ran,
# then runs GNU parallel.
shadow_parallel() {
	mkdir -p "$T/pbin"
	printf '#!/bin/sh\necho ran >>"%s/parallel-ran"\nexec /usr/bin/parallel "$@"\n' "$T" >"$T/pbin/parallel"
	chmod +x "$T/pbin/parallel"
	PATH=$T/pbin:$PATH
}

@test "mcfan: local shards are run by mcfan itself, ssh logins and progress by parallel" {
	not_under_san "GNU parallel and ssh"
	shadow_parallel
	quick_book
	mcprice -n 1e4 -s 42 <"$T/book.csv" >"$T/priced.csv"
	local n
	for n in 1 3 8; do
		XDG_CACHE_HOME=$T/xc mcfan -N "$n" -- mcpi -n 1e6 -s 42 </dev/null | cmp "$T/single.csv" -
		mcfan -N "$n" -j 2 -- mcprice -n 1e4 -s 42 <"$T/book.csv" | cmp "$T/priced.csv" -
		mcfan -N "$n" --halt soon,fail=2 --retries 2 -- mcpi -n 1e6 -s 42 </dev/null |
			cmp "$T/single.csv" -
		mcfan -N "$n" --halt never -- mcpi -n 1e6 -s 42 </dev/null | cmp "$T/single.csv" -
	done
	assert [ ! -e "$T/parallel-ran" ]
	assert [ ! -e "$T/xc" ]
	# Parallel for a login, for a progress display, and for a --halt by
	# percentage.
	mcfan -N 3 -S 2/: -- mcpi -n 1e6 -s 42 </dev/null | cmp "$T/single.csv" -
	mcfan -N 3 --eta -- mcpi -n 1e6 -s 42 </dev/null 2>/dev/null | cmp "$T/single.csv" -
	mcfan -N 3 --halt now,fail=50% -- mcpi -n 1e6 -s 42 </dev/null | cmp "$T/single.csv" -
	run wc -l <"$T/parallel-ran"
	assert_output 3
}

@test "mcfan: mcfan's own joblog has parallel's form and lines" {
	mcfan -N 3 -j 2 --joblog "$T/jl" -- mcpi -n 1e6 -s 42 </dev/null | cmp "$T/single.csv" -
	run head -n 1 "$T/jl"
	assert_output "$(printf 'Seq\tHost\tStarttime\tJobRuntime\tSend\tReceive\tExitval\tSignal\tCommand')"
	# A line a shard, in the order they ended.
	run bash -c "tail -n +2 '$T/jl' | cut -f 1,2,5-8 | sort -n"
	assert_output "$(printf '%s\t:\t0\t0\t0\t0\n' 1 2 3)"
	run awk -F '\t' 'NR > 1 && !($3 ~ /^[0-9]+\.[0-9][0-9][0-9]$/ && $4 ~ /^ *[0-9]+\.[0-9][0-9][0-9]$/) { print "bad: " $0 }' "$T/jl"
	assert_output ''
	run cut -f 9 "$T/jl"
	assert_line "$MCTOOLS_BIN/mcpi -n 1e6 -s 42 --shard 1/3 --partial"
}

@test "mcfan: --retries runs a failed local shard again; the joblog has both runs" {
	cat >"$T/once" <<-EOF
		#!/bin/sh
		case "\$*" in *"--shard 2/3"*)
			[ -e "$T/failed" ] || { touch "$T/failed"; echo "once: down" >&2; exit 3; } ;;
		esac
		exec "$MCTOOLS_BIN/mcpi" "\$@"
	EOF
	chmod +x "$T/once"
	mcfan -N 3 --retries 2 --joblog "$T/jl" -- "$T/once" -n 1e6 -s 42 </dev/null >"$T/out.csv"
	cmp "$T/single.csv" "$T/out.csv"
	run awk -F '\t' '$1 == 3 { print $7 }' "$T/jl"
	assert_output "3
0"
	# Without retries, the failure stands.
	rm "$T/failed"
	run --separate-stderr mcfan -N 3 -- "$T/once" -n 1e6 -s 42 </dev/null
	assert_failure 75
	stderr_has 'once: down'
}

@test "mcfan: --halt now stops the running local shards, and what they started" {
	cat >"$T/stuck" <<-EOF
		#!/bin/sh
		case "\$*" in
		*"--shard 0/2"*) sleep 600 & echo \$! >"$T/sleeper"; wait ;;
		*) while [ ! -s "$T/sleeper" ]; do sleep 0.05; done; exit 65 ;;
		esac
	EOF
	chmod +x "$T/stuck"
	# The timeout is only there so that a hang fails the test.
	run --separate-stderr timeout 300 mcfan -N 2 -j 2 -- "$T/stuck" </dev/null
	assert_failure 65
	assert_output ''
	assert_equal "$stderr" 'mcfan: 2 of 2 shards failed or did not run; no result printed'
	gone "$(cat "$T/sleeper")"
}

@test "mcfan: a local shard killed by a signal: status 75, no shell noise" {
	cat >"$T/shot" <<-EOF
		#!/bin/sh
		case "\$*" in *"--shard 1/2"*) kill -KILL \$\$ ;; esac
		exec "$MCTOOLS_BIN/mcpi" "\$@"
	EOF
	chmod +x "$T/shot"
	run --separate-stderr mcfan -N 2 --halt never --joblog "$T/jl" -- "$T/shot" -n 1e6 </dev/null
	assert_failure 75
	assert_output ''
	assert_equal "$stderr" "mcfan: 1 of 2 shards failed or did not run; no result printed (finish with --joblog $T/jl --resume-failed)"
	run awk -F '\t' '$1 == 2 { print $7, $8 }' "$T/jl"
	assert_output '0 9'
}

@test "mcfan: a local --timeout stops what the shard started too" {
	cat >"$T/slow" <<-EOF
		#!/bin/sh
		case "\$*" in *"--shard 1/2"*) sleep 600 & echo \$! >"$T/sleeper"; wait ;; esac
		exec "$MCTOOLS_BIN/mcpi" "\$@"
	EOF
	chmod +x "$T/slow"
	run --separate-stderr timeout 300 mcfan -N 2 --timeout 1 -- "$T/slow" -n 1e5 </dev/null
	assert_failure 75
	stderr_has 'mcfan: shard 1/2 timed out after 1 s'
	gone "$(cat "$T/sleeper")"
}

# hold_two VAR: starts mcfan in the background (its pid in VAR) on two
# local shards that each write their pid to $T/pid.PID and sleep, and
# waits until both run.
hold_two() {
	mkdir "$T/tmp"
	cat >"$T/hold" <<-EOF
		#!/bin/sh
		echo \$\$ >"$T/pid.\$\$"
		sleep 600
	EOF
	chmod +x "$T/hold"
	TMPDIR=$T/tmp mcfan -N 2 -j 2 -- "$T/hold" </dev/null >/dev/null 2>&1 3>&- &
	printf -v "$1" %s "$!"
	until [ "$(ls "$T" | grep -c '^pid\.')" -eq 2 ]; do sleep 0.05; done
}

@test "mcfan: a tree whose path holds a space: its runner runs the shards, no message" {
	mkdir "$T/a b"
	cp -R "$TOP/scripts" "$T/a b/scripts"
	cp -R "$MCTOOLS_BIN" "$T/a b/bin"
	run --separate-stderr "$T/a b/scripts/mcfan" -N 3 -- "$T/a b/bin/mcpi" -n 1e5 -s 7 </dev/null
	assert_success
	assert_equal "$stderr" ''
	assert_output "$(mcpi -n 1e5 -s 7)"
}

@test "mcfan: a killed mcfan (SIGKILL, no trap runs) still stops its local shards" {
	local fan p k
	hold_two fan
	kill -KILL "$fan"
	wait "$fan" || true
	# The runner learns of mcfan's death from the kernel and stops the
	# shards' process groups: the shell and its sleep.
	for p in "$T"/pid.*; do
		for ((k = 0; k < 200; k++)); do
			gone "$(cat "$p")" && break
			sleep 0.05
		done
		gone "$(cat "$p")" || fail "shard $(cat "$p") still runs"
	done
}

@test "mcfan: a stopped mcfan stops its local shards and leaves no file" {
	local fan p
	hold_two fan
	kill -TERM "$fan"
	local st=0
	wait "$fan" || st=$?
	assert_equal "$st" 143
	for p in "$T"/pid.*; do
		gone "$(cat "$p")"
	done
	run ls -A "$T/tmp"
	assert_output ''
}

@test "mcfan: local mcprice shards that share rows and all run at once get the cores as threads" {
	make_logger
	# Two rows for three shards: they share the rows' blocks.
	head -3 "$TESTDATA/book.csv" >"$T/two.csv"
	mcfan -N 3 -j 3 -- "$T/w/mcprice" -n 1e4 -s 42 <"$T/two.csv" |
		cmp <(mcprice -n 1e4 -s 42 <"$T/two.csv") -
	run grep -c -- "--shard [0-9]/3 --partial --fit-file /.* -j $(nproc)\$" "$T/calls"
	assert_output 3
	# Not when the command sets them, nor when shards wait for a slot,
	# nor for the runs of rows of a book that they split.
	: >"$T/calls"
	mcfan -N 3 -j 3 -- "$T/w/mcprice" -n 1e4 -s 42 --threads=1 <"$T/two.csv" |
		cmp <(mcprice -n 1e4 -s 42 <"$T/two.csv") -
	run grep -c -- ' -j [0-9]*$' "$T/calls"
	assert_output 0
	: >"$T/calls"
	mcfan -N 3 -j 2 -- "$T/w/mcprice" -n 1e4 -s 42 <"$T/two.csv" |
		cmp <(mcprice -n 1e4 -s 42 <"$T/two.csv") -
	run grep -c -- '--partial --fit-file /[^ ]*$' "$T/calls"
	assert_output 3
	quick_book
	: >"$T/calls"
	mcfan -N 3 -j 3 -- "$T/w/mcprice" -n 1e4 -s 42 <"$T/book.csv" |
		cmp <(mcprice -n 1e4 -s 42 <"$T/book.csv") -
	run grep -c -- '--shard [0-9]/3 --partial$' "$T/calls"
	assert_output 3
}

@test "mcfan: local shards killed by signals at once: each one's signal in the joblog, no shell noise" {
	# Odd shards die at once, by KILL or SEGV, while mcfan still starts
	# the others: each must be waited for and logged, whenever it dies.
	cat >"$T/shots" <<-EOF
		#!/bin/sh
		ulimit -c 0
		case "\$*" in
		*"--shard 1/8"* | *"--shard 5/8"*) kill -KILL \$\$ ;;
		*"--shard 3/8"* | *"--shard 7/8"*) kill -SEGV \$\$ ;;
		esac
		exec "$MCTOOLS_BIN/mcpi" "\$@"
	EOF
	chmod +x "$T/shots"
	local k
	for k in 1 2 3 4 5 6 7 8 9 10; do
		run --separate-stderr mcfan -N 8 -j 8 --halt never --joblog "$T/jl$k" -- "$T/shots" -n 1e3 </dev/null
		assert_failure 75
		assert_output ''
		assert_equal "$stderr" "mcfan: 4 of 8 shards failed or did not run; no result printed (finish with --joblog $T/jl$k --resume-failed)"
		run awk -F '\t' 'NR > 1 { printf "%s:%s:%s ", $1, $7, $8 }' "$T/jl$k"
		run sort <<<"${output// /$'\n'}"
		assert_output "$(printf '%s\n' '' 1:0:0 2:0:9 3:0:0 4:0:11 5:0:0 6:0:9 7:0:0 8:0:11)"
	done
}

@test "mcfan: the cores given to local shards and the fit are nproc's count: affinity, OMP_NUM_THREADS, OMP_THREAD_LIMIT" {
	command -v taskset >/dev/null || skip "no taskset"
	make_logger
	# One row: two shards share it, and the fit is made first.
	head -2 "$TESTDATA/book.csv" >"$T/book.csv"
	local env want cpus
	for env in "" "OMP_NUM_THREADS=5" "OMP_NUM_THREADS=5 OMP_THREAD_LIMIT=3" \
		"OMP_THREAD_LIMIT=1" "OMP_NUM_THREADS=x"; do
		for cpus in 0 0-1; do
			want=$(env $env taskset -c "$cpus" nproc)
			: >"$T/calls"
			env $env taskset -c "$cpus" mcfan -N 2 -j 2 -- "$T/w/mcprice" -n 1e3 -s 42 \
				<"$T/book.csv" >/dev/null
			run grep -c -- "--shard [01]/2 --partial --fit-file /.* -j $want\$" "$T/calls"
			assert_output 2
			run grep -c -- "--fit -j $want\$" "$T/calls"
			assert_output 1
		done
	done
}

@test "mcfan: shard outputs small and large (over 512 KiB), cut or ending in a NUL: the same checks and bytes" {
	# Shard I prints a header and 10 rows, or 1e5 rows when its word
	# says big; "cut" drops its last byte, "nul" adds a NUL byte.
	cat >"$T/rows" <<-EOF
		#!/bin/sh
		i=\${3%/*}
		n=10; case " \$1 " in *" big\$i "*) n=100000 ;; esac
		awk -v n=\$n -v i=\$i 'BEGIN { print "shard,row"; for (r = 0; r < n; r++) printf "%d,%d\n", i, r }' >"$T/o.\$\$"
		case " \$1 " in
		*" cut\$i "*) head -c -1 "$T/o.\$\$" ;;
		*" nul\$i "*) cat "$T/o.\$\$"; printf '\000' ;;
		*) cat "$T/o.\$\$" ;;
		esac
	EOF
	chmod +x "$T/rows"
	local how want bad i
	for how in "" big0 big1 "big0 big1" "big0 big2"; do
		want=$(for i in 0 1 2; do "$T/rows" "$how" --shard "$i/3"; done | awk 'NR == 1 || !/^shard,/')
		run --separate-stderr mcfan -N 3 --cat -- "$T/rows" "$how" </dev/null
		assert_success
		[ "$output" = "$want" ] || fail "$how: not the shards' rows under one header"
		for bad in cut1 nul1 "cut2 nul1"; do
			run --separate-stderr mcfan -N 3 --cat -- "$T/rows" "$how $bad" </dev/null
			assert_failure 65
			assert_output ''
			assert_equal "$stderr" 'mcfan: shard 1/3: its output ends in the middle of a line'
		done
		run --separate-stderr bash -c 'mcfan -N 3 --cat -- "$1" "$2" </dev/null >/dev/full' _ "$T/rows" "$how"
		assert_failure 74
		assert_equal "$stderr" 'mcfan: write error: No space left on device'
	done
}
