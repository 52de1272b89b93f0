# SPDX-License-Identifier: GPL-3.0-or-later
# A throwaway sshd on 127.0.0.1 for the tests that fan out over ssh.
#
# start_sshd makes host and user keys in $BATS_TEST_TMPDIR, starts
# /usr/sbin/sshd as the current user at a free high port, and points ssh
# (through PARALLEL_SSH and $SSH_CONFIG) at it: the logins 127.0.0.1 and
# localhost reach it, and 127.0.0.2 is a dead login (nothing listens
# there, so every connection is refused at once).  stop_sshd, called from
# teardown, ends it.  When sshd cannot start, start_sshd fails the test
# with sshd's own reason; it never skips.

SSHD=${SSHD:-/usr/sbin/sshd}

start_sshd() {
	local d="$BATS_TEST_TMPDIR/sshd" port try log
	mkdir -p "$d/home"
	[ -x "$SSHD" ] || fail "$SSHD is missing: run scripts/install-deps (openssh-server)"
	ssh-keygen -q -t ed25519 -N '' -C mcfan-test-host -f "$d/host_key" ||
		fail "ssh-keygen could not make a host key"
	ssh-keygen -q -t ed25519 -N '' -C mcfan-test-user -f "$d/id" ||
		fail "ssh-keygen could not make a user key"
	cp "$d/id.pub" "$d/authorized_keys"
	# As root, sshd wants its privilege separation directory.
	if [ "$(id -u)" -eq 0 ] && [ ! -d /run/sshd ]; then
		mkdir -p /run/sshd && chmod 755 /run/sshd
	fi
	log="$d/sshd.log"
	for try in 1 2 3 4 5 6 7 8 9 10; do
		port=$((20000 + (RANDOM * 32768 + RANDOM) % 40000))
		cat >"$d/sshd_config" <<-EOF
			Port $port
			ListenAddress 127.0.0.1
			HostKey $d/host_key
			PidFile $d/sshd.pid
			AuthorizedKeysFile $d/authorized_keys
			PubkeyAuthentication yes
			PasswordAuthentication no
			KbdInteractiveAuthentication no
			UsePAM no
			StrictModes no
			PermitRootLogin prohibit-password
			AllowUsers $(id -un)
			MaxStartups 100
			MaxSessions 100
			SetEnv HOME=$d/home
			LogLevel ERROR
		EOF
		# -D keeps it in the foreground of a background job, so its pid
		# is ours; fd 3 is closed, or bats would wait for it.
		"$SSHD" -D -e -f "$d/sshd_config" 2>"$log" 3>&- &
		SSHD_PID=$!
		cat >"$d/ssh_config" <<-EOF
			Host 127.0.0.1 localhost 127.0.0.2
			  Port $port
			  User $(id -un)
			  IdentityFile $d/id
			  IdentitiesOnly yes
			  StrictHostKeyChecking no
			  UserKnownHostsFile /dev/null
			  BatchMode yes
			  ConnectTimeout 5
			  ControlMaster auto
			  ControlPath $d/cm-%C
			  ControlPersist 60
			  LogLevel ERROR
		EOF
		local i
		for i in $(seq 50); do
			if ssh -F "$d/ssh_config" 127.0.0.1 true 2>/dev/null; then
				SSH_CONFIG="$d/ssh_config"
				SSHD_PORT=$port
				export PARALLEL_SSH="ssh -F $SSH_CONFIG"
				return 0
			fi
			kill -0 "$SSHD_PID" 2>/dev/null || break
			sleep 0.1
		done
		# Port taken (try another) or sshd refused to run (say why).
		stop_sshd
		grep -q 'Address already in use' "$log" || break
	done
	fail "sshd did not start: $(tr '\n' ' ' <"$log")"
}

stop_sshd() {
	local h
	if [ -n "${SSH_CONFIG:-}" ]; then
		for h in 127.0.0.1 localhost; do
			ssh -F "$SSH_CONFIG" -O exit "$h" 2>/dev/null
		done
		SSH_CONFIG=
	fi
	if [ -n "${SSHD_PID:-}" ]; then
		kill "$SSHD_PID" 2>/dev/null
		wait "$SSHD_PID" 2>/dev/null
		SSHD_PID=
	fi
	return 0
}
