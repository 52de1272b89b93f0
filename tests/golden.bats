#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-3.0-or-later
# Every program's output on a fixed set of commands (tests/golden/cmds) is
# byte-identical to the recorded one: a refactoring changes no output.
# A change that means to change output records anew (tests/golden/run
# --record) and says why in its commit.

load test_helper

@test "golden: every recorded command prints the same bytes" {
	run "$TOP/tests/golden/run" "$MCTOOLS_BIN"
	assert_success
	assert_output --partial ", 0 differ"
}
