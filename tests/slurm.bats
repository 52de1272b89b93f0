#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-3.0-or-later
# scripts/mcfan-slurm against a real Slurm: a one-host cluster (slurmctld
# and slurmd on localhost, a private munged with its own key and socket,
# random free ports, MaxArraySize=5 so that 8 shards take two array jobs),
# started once for the file and always stopped.  Needs root (slurmd runs
# jobs as their user); skipped otherwise.

load test_helper

# A free TCP port: one no socket listens on (in /proc/net/tcp*), from a
# random start.
free_port() {
	local used p
	used=$(awk '$4 == "0A" { split($2, a, ":"); print a[2] }' /proc/net/tcp /proc/net/tcp6 2>/dev/null)
	while :; do
		p=$((20000 + (RANDOM * 32768 + RANDOM) % 40000))
		grep -qix "$(printf '%04X' "$p")" <<<"$used" || break
	done
	echo "$p"
}

slurm_log() {
	tail -n 20 "$SLURM_DIR"/log/* "$SLURM_DIR/munge/log" 2>/dev/null
}

setup_file() {
	[ "$(id -u)" -eq 0 ] || skip "needs root: slurmd starts jobs as their user"
	# Each test skips itself there (setup); no daemon is started.
	! under_san || return 0
	local t
	for t in munged slurmctld slurmd sbatch scontrol sinfo squeue; do
		command -v "$t" >/dev/null ||
			{ echo "$t is missing: run scripts/install-deps" >&2; return 1; }
	done
	export SLURM_DIR
	SLURM_DIR=$(mktemp -d "${TMPDIR:-/tmp}/slurm.XXXXXX")
	chmod 700 "$SLURM_DIR"
	mkdir -p "$SLURM_DIR"/{munge,state,spool,log}
	chmod 700 "$SLURM_DIR/munge"
	head -c 1024 /dev/urandom >"$SLURM_DIR/munge/key"
	chmod 400 "$SLURM_DIR/munge/key"
	munged -f --socket="$SLURM_DIR/munge/sock" --key-file="$SLURM_DIR/munge/key" \
		--pid-file="$SLURM_DIR/munge/pid" --log-file="$SLURM_DIR/munge/log" \
		--seed-file="$SLURM_DIR/munge/seed" 3>&- ||
		{ cat "$SLURM_DIR/munge/log" >&2; return 1; }
	local try
	for try in 1 2 3 4 5; do
		slurm_start && return 0
		slurm_stop
	done
	echo "Slurm did not start:" >&2
	slurm_log >&2
	return 1
}

# Writes slurm.conf with fresh ports, starts the two daemons and waits
# until the node is idle.
slurm_start() {
	local ctl d i
	ctl=$(free_port)
	d=$(free_port)
	[ "$ctl" != "$d" ] || return 1
	export SLURM_CONF=$SLURM_DIR/slurm.conf
	cat >"$SLURM_CONF" <<-EOF
		ClusterName=mctest
		SlurmctldHost=localhost
		SlurmctldPort=$ctl
		SlurmdPort=$d
		SlurmUser=root
		SlurmdUser=root
		AuthType=auth/munge
		AuthInfo=socket=$SLURM_DIR/munge/sock
		CredType=cred/munge
		StateSaveLocation=$SLURM_DIR/state
		SlurmdSpoolDir=$SLURM_DIR/spool
		SlurmctldPidFile=$SLURM_DIR/slurmctld.pid
		SlurmdPidFile=$SLURM_DIR/slurmd.pid
		SlurmctldLogFile=$SLURM_DIR/log/slurmctld.log
		SlurmdLogFile=$SLURM_DIR/log/slurmd.log
		ProctrackType=proctrack/linuxproc
		TaskPlugin=task/none
		SelectType=select/cons_tres
		SelectTypeParameters=CR_Core
		SchedulerParameters=batch_sched_delay=0,sched_min_interval=0
		SlurmdParameters=config_overrides
		AccountingStorageType=accounting_storage/none
		JobAcctGatherType=jobacct_gather/none
		JobCompType=jobcomp/none
		MpiDefault=none
		ReturnToService=2
		MaxArraySize=5
		MailProg=/bin/true
		NodeName=localhost CPUs=4 State=UNKNOWN
		PartitionName=debug Nodes=localhost Default=YES MaxTime=INFINITE State=UP
	EOF
	slurmctld -i 3>&- || return 1
	slurmd -N localhost 3>&- || return 1
	# A hang guard, not a timing test: the node is idle in a second.
	for i in $(seq 300); do
		[ "$(timeout 2 sinfo -h -o %t 2>/dev/null)" != idle ] || return 0
		sleep 0.1
	done
	return 1
}

# Ends every job, then the daemons (scontrol shutdown, then by pid file
# whatever is left), and waits for them to be gone.
slurm_stop() {
	local f p i ids
	ids=$(timeout 5 squeue -h -o %A 2>/dev/null)
	[ -z "$ids" ] || timeout 5 scancel $ids 2>/dev/null
	timeout 10 scontrol shutdown >/dev/null 2>&1
	for f in "$SLURM_DIR/slurmd.pid" "$SLURM_DIR/slurmctld.pid"; do
		[ -s "$f" ] || continue
		p=$(cat "$f")
		for i in $(seq 100); do
			kill -0 "$p" 2>/dev/null || break
			[ "$i" -lt 50 ] || kill -9 "$p" 2>/dev/null
			sleep 0.1
		done
		rm -f "$f"
	done
}

teardown_file() {
	[ -n "${SLURM_DIR:-}" ] || return 0
	slurm_stop
	if [ -s "$SLURM_DIR/munge/pid" ]; then
		local p i
		p=$(cat "$SLURM_DIR/munge/pid")
		kill "$p" 2>/dev/null
		for i in $(seq 50); do
			kill -0 "$p" 2>/dev/null || break
			sleep 0.1
		done
	fi
	rm -rf "$SLURM_DIR"
}

setup() {
	not_under_san Slurm
	T=$BATS_TEST_TMPDIR
	printf '%s\n' 'id,type,spot,strike,maturity,rate,vol' \
		'1,call,100,100,1,0.05,0.2' '2,put,100,100,1,0.05,0.2' \
		'3,call,100,110,1,0.05,0.2' >"$T/book.csv"
}

# Waits until job ID has left the queue (a hang guard of ten minutes).
wait_job() {
	local i
	for i in $(seq 6000); do
		[ -n "$(squeue -h -j "$1" -o %i 2>/dev/null)" ] || return 0
		sleep 0.1
	done
	fail "job $1 is still queued: $(squeue)"
}

@test "slurm: 8 shards in two arrays (MaxArraySize 5) give the single run's bytes" {
	mcpi -n 1e6 -s 42 >"$T/single.csv"
	run --separate-stderr mcfan-slurm -N 8 -o "$T/pi.csv" -- mcpi -n 1e6 -s 42
	assert_success
	[[ $stderr =~ ^mcfan-slurm:\ shards:\ jobs\ ([0-9]+),([0-9]+)\ \(8\ tasks\),\ merge:\ job\ ([0-9]+)\ -\>\ $T/pi.csv$ ]] ||
		fail "stderr: $stderr"
	local a=${BASH_REMATCH[1]} b=${BASH_REMATCH[2]} m=${BASH_REMATCH[3]}
	wait_job "$m"
	cmp "$T/single.csv" "$T/pi.csv"
	# The second array held shards 5 to 7 as its tasks 0 to 2.
	run bash -c "scontrol -o show job $b | grep -o 'ArrayTaskId=[0-9-]*' | sort"
	assert_output $'ArrayTaskId=0\nArrayTaskId=1\nArrayTaskId=2'
	run bash -c "scontrol -o show job $a | grep -o 'ArrayTaskId=[0-9-]*' | sort"
	assert_output $'ArrayTaskId=0\nArrayTaskId=1\nArrayTaskId=2\nArrayTaskId=3\nArrayTaskId=4'
	# --wait blocks until the merge is done, and a run again in the same
	# directory replaces its own files.
	rm "$T/pi.csv"
	mcfan-slurm -N 8 --wait -o "$T/pi.csv" -- mcpi -n 1e6 -s 42 2>/dev/null
	cmp "$T/single.csv" "$T/pi.csv"
	run bash -c "ls -A '$T' | grep -v separate-stderr"
	assert_output $'book.csv\npi.csv\npi.csv.shards\nsingle.csv'
}

@test "slurm: a book on stdin goes to every task; the header picks the merger" {
	# mcprice under another name is still merged as a book.
	ln -s "$MCTOOLS_BIN/mcprice" "$T/pricer"
	mcfan-slurm -N 3 --wait -o "$T/priced.csv" -- "$T/pricer" -n 2e4 -s 42 \
		<"$T/book.csv" 2>/dev/null
	mcprice -n 2e4 -s 42 <"$T/book.csv" | cmp - "$T/priced.csv"
}

@test "slurm: a failed task means no merge and no output file" {
	run --separate-stderr mcfan-slurm -N 3 -o "$T/pi.csv" -- mcpi -n 1e6 --level 7
	assert_success
	local m=${stderr##*merge: job }
	m=${m%% *}
	wait_job "$m"
	assert [ ! -e "$T/pi.csv" ]
	# The merge job never ran: Slurm cancelled it for its dependency.
	run scontrol show job "$m"
	assert_output --partial 'JobState=CANCELLED'
	run grep -c 'mcpi: ' "$T"/pi.csv.shards/0.err
	assert_output 1
	# --wait says so and exits with the task's status.
	run --separate-stderr mcfan-slurm -N 3 --wait -o "$T/pi.csv" -- mcpi -n 1e6 --level 7
	assert_failure 64
	assert_output ''
	[[ ${stderr_lines[-1]} == "mcfan-slurm: 3 of 3 shards failed or did not run; $T/pi.csv not written (finish with --resume)" ]] ||
		fail "stderr: $stderr"
	assert [ ! -e "$T/pi.csv" ]
}

@test "slurm: --resume runs again only the tasks that failed" {
	# Shard 1 fails until $T/ok exists; every shard counts its runs.
	cat >"$T/flaky" <<-EOF
		#!/bin/sh
		shard=\$(printf '%s\n' "\$@" | sed -n 's:^\([0-9]*\)/[0-9]*\$:\1:p')
		echo run >>"$T/runs.\$shard"
		[ "\$shard" != 1 ] || [ -e "$T/ok" ] || { echo "flaky: shard 1 down" >&2; exit 3; }
		exec "$MCTOOLS_BIN/mcprice" "\$@"
	EOF
	chmod +x "$T/flaky"
	run --separate-stderr mcfan-slurm -N 7 --wait -o "$T/priced.csv" \
		-- "$T/flaky" -n 2e4 -s 42 <"$T/book.csv"
	assert_failure 75
	[[ $stderr == *'flaky: shard 1 down'* ]] || fail "stderr: $stderr"
	assert [ ! -e "$T/priced.csv" ]
	# Another command, or another input, may not finish this run.
	run --separate-stderr mcfan-slurm -N 7 --resume --wait -o "$T/priced.csv" \
		-- "$T/flaky" -n 2e4 -s 43 <"$T/book.csv"
	assert_failure 64
	assert_equal "$stderr" "mcfan-slurm: $T/priced.csv.shards was written by another command, shard count or input; cannot resume it"
	touch "$T/ok"
	mcfan-slurm -N 7 --resume --wait -o "$T/priced.csv" \
		-- "$T/flaky" -n 2e4 -s 42 <"$T/book.csv" 2>/dev/null
	mcprice -n 2e4 -s 42 <"$T/book.csv" | cmp - "$T/priced.csv"
	local p
	for p in 0 2 3 4 5 6; do
		assert_equal "$(wc -l <"$T/runs.$p")" 1
	done
	assert_equal "$(wc -l <"$T/runs.1")" 2
}

@test "slurm: -d never deletes a user's files" {
	mkdir "$T/mine"
	echo keep >"$T/mine/0.csv"
	echo keep >"$T/mine/stdin"
	run --separate-stderr mcfan-slurm -N 2 -d "$T/mine" -o "$T/pi.csv" -- mcpi -n 1e5
	assert_failure 73
	assert_equal "$stderr" "mcfan-slurm: $T/mine: not empty and not made by mcfan-slurm; name a new or empty directory with -d"
	assert_equal "$(cat "$T/mine/0.csv" "$T/mine/stdin")" $'keep\nkeep'
	run ls -A "$T/mine"
	assert_output $'0.csv\nstdin'
	# An empty directory is taken, and is then its own.
	mkdir "$T/empty"
	mcfan-slurm -N 2 --wait -d "$T/empty" -o "$T/pi.csv" -- mcpi -n 1e5 -s 1 2>/dev/null
	mcpi -n 1e5 -s 1 | cmp - "$T/pi.csv"
	mcfan-slurm -N 2 --wait -d "$T/empty" -o "$T/pi.csv" -- mcpi -n 1e5 -s 2 2>/dev/null
	mcpi -n 1e5 -s 2 | cmp - "$T/pi.csv"
}

@test "slurm: mcprice's fit is made once and every task reads it, for more tasks than rows" {
	# An american and a barrier: exercise rules and a control's pilot.
	printf '%s\n' 'id,type,style,spot,strike,maturity,rate,vol,fixings,barrier,barrier_type' \
		'1,put,american,36,40,1,0.06,0.2,20,,' '2,call,barrier,100,100,1,0.05,0.2,20,80,down-out' \
		'3,call,european,100,110,1,0.05,0.2,,,' >"$T/ex.csv"
	mkdir "$T/w"
	printf '#!/bin/sh\necho "$*" >>"%s/calls"\nexec "%s/mcprice" "$@"\n' \
		"$T" "$MCTOOLS_BIN" >"$T/w/mcprice"
	chmod +x "$T/w/mcprice"
	# More tasks than rows: the tasks would share the rows' fixed work.
	mcfan-slurm -N 4 --wait -o "$T/priced.csv" -- "$T/w/mcprice" -n 2e4 -s 42 \
		<"$T/ex.csv" 2>/dev/null
	mcprice -n 2e4 -s 42 <"$T/ex.csv" | cmp - "$T/priced.csv"
	[ -s "$T/priced.csv.shards/fit" ]
	[ "$(grep -c -- '--fit -j [0-9]' "$T/calls")" -eq 1 ]
	[ "$(grep -c -- "--partial --fit-file $T/priced.csv.shards/fit\$" "$T/calls")" -eq 4 ]
	# As many rows as tasks: each task fits the rows it prices.
	: >"$T/calls"
	mcfan-slurm -N 3 --wait -o "$T/priced3.csv" -- "$T/w/mcprice" -n 2e4 -s 42 \
		<"$T/ex.csv" 2>/dev/null
	cmp "$T/priced.csv" "$T/priced3.csv"
	[ ! -e "$T/priced3.csv.shards/fit" ]
	[ "$(grep -c -- '--fit' "$T/calls")" -eq 0 ]
}
