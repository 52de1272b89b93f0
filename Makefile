# SPDX-License-Identifier: GPL-3.0-or-later
# mctools: Monte Carlo for the shell.  See README.md and src/README.md.

include config.mk

# Every src/NAME.c is a program; every src/lib/*.c goes into libmc.a.
PROGS   = $(patsubst src/%.c,%,$(wildcard src/*.c))
LIBSRC  = $(wildcard src/lib/*.c)
LIBHDR  = $(wildcard src/lib/*.h)
UNITSRC = $(wildcard tests/unit/test_*.c)
MANS    = $(wildcard man/*.1 man/*.7)

# B is the build directory, so that the sanitizer build lives beside the
# normal one; bin/ holds the programs of the normal build.
B   = build
BIN = bin

# The version, from config.mk, for mc_cli (a separate variable, so that a
# CPPFLAGS given on the command line keeps it).
VFLAGS = -DMC_VERSION='"$(VERSION)"'

LIBOBJ = $(LIBSRC:src/lib/%.c=$(B)/lib/%.o)
UNITS  = $(UNITSRC:tests/unit/%.c=$(B)/unit/%)

# Fuzz targets: tests/fuzz/fuzz_NAME.c, seeds in testdata/fuzz/NAME/.
FUZZSRC = $(wildcard tests/fuzz/fuzz_*.c)
FUZZ    = $(FUZZSRC:tests/fuzz/fuzz_%.c=%)
REPLAYS = $(FUZZ:%=$(B)/fuzz/replay_%)

# Programs that only mctools runs (mcfan's local runner): built beside
# the others, installed in LIBEXECDIR.
HELPERS = mcfan-run

all: $(PROGS:%=$(BIN)/%) $(HELPERS:%=$(BIN)/%)

# Everything the checks run, built first on every core, then the tests
# in order: on two cores check-clang took 53 s and check-san without its
# bats pass 112 s with their builds one file at a time, 42 and 86 s so.
built: all $(UNITS) $(REPLAYS)

$(B)/lib/%.o: src/lib/%.c $(LIBHDR) config.mk Makefile
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(VFLAGS) $(CFLAGS) $(KFLAGS) -c -o $@ $<

# Kernels over blocks: -O3 so that their loops vectorise (after CFLAGS,
# also in the sanitizer build).  -ffp-contract=off stays in force, and
# -fno-trapping-math and -fno-math-errno only let selects if-convert and
# sqrt be one instruction (flags and errno, no values, change).
$(B)/lib/mc_vmath.o $(B)/lib/mc_path.o $(B)/lib/mc_price.o $(B)/lib/mc_lsm.o \
    $(B)/lib/mc_payoff.o $(B)/lib/mc_greeks.o $(B)/lib/mc_cv.o: \
    KFLAGS = -O3 -fno-trapping-math -fno-math-errno

$(B)/libmc.a: $(LIBOBJ)
	rm -f $@
	ar rcs $@ $(LIBOBJ)

$(BIN)/%: src/%.c $(B)/libmc.a $(LIBHDR)
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(CFLAGS) $(LDFLAGS) -o $@ $< $(B)/libmc.a $(LDLIBS)

# (Only libc: a helper started once a run loads no GSL.)
$(BIN)/%: src/libexec/%.c config.mk
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(CFLAGS) $(LDFLAGS) -o $@ $<

$(B)/unit/%: tests/unit/%.c tests/unit/unit.h $(B)/libmc.a $(LIBHDR)
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(CFLAGS) $(LDFLAGS) -o $@ $< $(B)/libmc.a $(LDLIBS)

# The fuzz targets linked with a plain driver (any compiler): they replay
# the seed corpora and every past crash as part of make check.
$(B)/fuzz/replay_%: tests/fuzz/fuzz_%.c tests/fuzz/driver.c tests/fuzz/fuzz.h \
    $(B)/libmc.a $(LIBHDR)
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) -Itests/fuzz $(CFLAGS) $(LDFLAGS) -o $@ \
	    tests/fuzz/fuzz_$*.c tests/fuzz/driver.c $(B)/libmc.a $(LDLIBS)

replay: $(REPLAYS)
	@set -e; for t in $(FUZZ); do \
	    $(B)/fuzz/replay_$$t testdata/fuzz/$$t; done

# libFuzzer (clang) over each target for FUZZ_SECONDS, starting from the
# seeds; new inputs go to build-fuzz/corpus, crashes to build-fuzz/crash.
FUZZ_SECONDS = 60
FUZZCC = clang-14
FUZZFLAGS = -g -O1 -fno-omit-frame-pointer -fsanitize=address,undefined \
	-fno-sanitize-recover=all
FB = build-fuzz

$(FB)/lib/%.o: src/lib/%.c $(LIBHDR) config.mk
	@mkdir -p $(@D)
	$(FUZZCC) $(CPPFLAGS) $(VFLAGS) $(CFLAGS) $(FUZZFLAGS) \
	    -fsanitize=fuzzer-no-link -c -o $@ $<

$(FB)/fuzz_%: tests/fuzz/fuzz_%.c tests/fuzz/fuzz.h \
    $(LIBSRC:src/lib/%.c=$(FB)/lib/%.o)
	$(FUZZCC) $(CPPFLAGS) -Itests/fuzz $(CFLAGS) $(FUZZFLAGS) \
	    -fsanitize=fuzzer -o $@ $< $(LIBSRC:src/lib/%.c=$(FB)/lib/%.o) \
	    $(LDLIBS)

fuzz:
	scripts/install-deps --fuzz
	$(MAKE) $(FUZZ:%=$(FB)/fuzz_%)
	@set -e; for t in $(FUZZ); do \
	    mkdir -p $(FB)/corpus/$$t $(FB)/crash/$$t; \
	    echo "fuzz: $$t for $(FUZZ_SECONDS) s"; \
	    $(FB)/fuzz_$$t -max_total_time=$(FUZZ_SECONDS) \
	        -artifact_prefix=$(FB)/crash/$$t/ -print_final_stats=1 \
	        $(FB)/corpus/$$t testdata/fuzz/$$t 2>$(FB)/$$t.log || \
	        { tail -40 $(FB)/$$t.log; exit 1; }; \
	    grep -E '^stat::(number_of_executed_units|average_exec_per_sec)' \
	        $(FB)/$$t.log; \
	done

# The same sources built by clang, the fuzz compiler, so that code only GCC
# takes (such as __builtin_shuffle) cannot creep in again: the unit tests
# (each instruction set's bits alike), the fuzz targets' replays, and the
# golden commands, which must print GCC's bytes.
check-clang:
	scripts/install-deps --fuzz
	$(MAKE) -j$(BATS_JOBS) B=build-clang BIN=build-clang/bin CC=$(FUZZCC) built
	$(MAKE) -j$(BATS_JOBS) -O B=build-clang BIN=build-clang/bin CC=$(FUZZCC) unit replay
	tests/golden/run build-clang/bin

# A sample of runs of every program under valgrind, zero reports.
check-valgrind: all
	tests/valgrind.sh $(BIN)

# Installs the Debian packages that are missing (as root), or says which.
deps:
	@scripts/install-deps

deps-deb:
	@scripts/install-deps --deb

units: $(UNITS)

# Each test is a target of its own (NAME.run, never a file), so that
# make -j runs them on every core; -O keeps each one's lines together.
# One after the other they took 30 s on two cores, test_dist 7 of it.
unit: $(UNITS:%=%.run)

$(B)/unit/%.run: $(B)/unit/%
	@$<

# The test files run side by side, one per core (bats --jobs, through GNU
# parallel, which install-deps installs); the tests inside a file run in
# order, as they are written to.  Without parallel, one file at a time.
# Each test's time is printed (--timing): CI's log says where its time goes.
BATS_JOBS = $(shell nproc 2>/dev/null || echo 1)
BATS = MCTOOLS_BIN=$(CURDIR)/$(BIN) LC_ALL=C bats --timing \
	$$(command -v parallel >/dev/null && [ $(BATS_JOBS) -gt 1 ] && \
	echo --jobs $(BATS_JOBS) --no-parallelize-within-files)

# The longest files first (longest processing time first): the other core
# works through the rest meanwhile.  Started in name order, mcfan.bats (a
# third of the test time) began halfway and the pass took 1667 s where
# its tests add up to 2546 s on two cores.  (A file must not be named
# twice: bats would run it twice into the same directories.)
# bats_files FIRST,DIR: the files FIRST, then DIR's other .bats files.
bats_files = $(1) $(filter-out $(1),$(sort $(wildcard $(2)/*.bats)))
BATS_FIRST = tests/mcfan.bats tests/security.bats tests/coverage.bats \
	tests/docs.bats tests/mcgen.bats

bats: all
	$(BATS) $(call bats_files,$(BATS_FIRST),tests)

# The whole suite, then again under AddressSanitizer and UBSan.
check: deps
	$(MAKE) -j$(BATS_JOBS) built
	$(MAKE) -j$(BATS_JOBS) -O unit
	$(MAKE) bats
	$(MAKE) replay
	$(MAKE) check-clang
	$(MAKE) check-san
	$(MAKE) check-valgrind

# Leaks are looked for at the exit of the unit tests, the fuzz replays and
# the golden commands (every program, its errors included), and by
# check-valgrind; not at the exit of the thousands of processes of the
# bats pass, where LeakSanitizer's stop-the-world scan cost about 55 ms of
# CPU a process (50 runs of an empty program: 4.0 s of CPU with it, 1.4 s
# without).  The coverage files run 4 seeds a case there (a seed is a
# row of the same book: every seed takes the same code path), unjudged
# (COVER_VERDICT=no, tests/coverage_helper.bash): every case's code path
# under the sanitizers, the statistics judged by the plain pass.
# The tests whose subject is GNU parallel, ssh or Slurm skip themselves
# there (not_under_san in tests/test_helper.bash, which asks the build).
# SAN_BATS=no leaves out the bats pass (scripts/fresh-check: the host ran
# it on the same commit).
SAN_BATS = yes
SANMAKE = $(MAKE) B=build-san BIN=build-san/bin \
	CFLAGS='$(CFLAGS) $(SANFLAGS)' LDFLAGS='$(LDFLAGS) $(SANFLAGS)'
check-san:
	$(SANMAKE) -j$(BATS_JOBS) built
	$(SANMAKE) -j$(BATS_JOBS) -O unit replay
	tests/golden/run build-san/bin
	$(if $(filter no,$(SAN_BATS)),,ASAN_OPTIONS=detect_leaks=0 \
	    COVER_SEEDS=4 COVER_VERDICT=no $(SANMAKE) bats)

demo: deps
	$(MAKE) all
	scripts/demo

bench: deps
	scripts/install-deps --bench
	$(MAKE) all
	scripts/bench

# The reference values of tests/coverage.bats (testdata/refs/*.csv),
# computed with QuantLib and a quadrature of our own by bench/ql_refs.cpp;
# the tests only read the files, so make check never needs QuantLib.
refs:
	scripts/install-deps --bench
	@mkdir -p $(B) testdata/refs
	$(CXX) -O2 -std=c++17 -o $(B)/ql_refs bench/ql_refs.cpp \
	    $$(pkg-config --cflags --libs quantlib)
	$(B)/ql_refs testdata/refs

# The long tests (tests/slow/*.bats: the package, big inputs), run by
# .ci/run after make check.
check-slow: deps
	$(MAKE) all
	@if ls tests/slow/*.bats >/dev/null 2>&1; then \
	    $(BATS) $(call bats_files,tests/slow/coverage.bats,tests/slow); \
	else echo "check-slow: no tests in tests/slow"; fi

# make demo and make check on a fresh Debian 12 root, as root (.ci/run).
fresh:
	scripts/fresh-check

# What make install puts where, besides BINDIR and MANDIR (config.mk).
# The scripts find shards.bash in ../share/mctools beside BINDIR, and
# mcfan its runner in ../lib/mctools.
SCRIPTS     = mcfan mcfan-slurm nightly-reval
DATADIR     = $(PREFIX)/share/mctools
LIBEXECDIR  = $(PREFIX)/lib/mctools
BASHCOMPDIR = $(PREFIX)/share/bash-completion/completions
COMPS       = $(PROGS:%=$(B)/completion/%) $(SCRIPTS:%=$(B)/completion/%)

# Bash completion of each program, made from its man page's OPTIONS.
$(B)/completion/%: man/%.1 completion/gen
	@mkdir -p $(@D)
	completion/gen $< >$@.tmp && mv -f $@.tmp $@

completion: $(COMPS)

install: all completion
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1 \
	    $(DESTDIR)$(MANDIR)/man7 $(DESTDIR)$(DATADIR) \
	    $(DESTDIR)$(LIBEXECDIR) $(DESTDIR)$(BASHCOMPDIR)
	install -m 755 $(HELPERS:%=$(BIN)/%) $(DESTDIR)$(LIBEXECDIR)
	install -m 755 $(PROGS:%=$(BIN)/%) $(SCRIPTS:%=scripts/%) \
	    $(DESTDIR)$(BINDIR)
	install -m 644 scripts/shards.bash $(DESTDIR)$(DATADIR)
	install -m 755 scripts/mcprice.cgi $(DESTDIR)$(DATADIR)
	install -m 644 $(filter %.1,$(MANS)) $(DESTDIR)$(MANDIR)/man1
	install -m 644 $(filter %.7,$(MANS)) $(DESTDIR)$(MANDIR)/man7
	install -m 644 $(COMPS) $(DESTDIR)$(BASHCOMPDIR)

uninstall:
	rm -f $(PROGS:%=$(DESTDIR)$(BINDIR)/%) \
	    $(SCRIPTS:%=$(DESTDIR)$(BINDIR)/%) \
	    $(DESTDIR)$(DATADIR)/shards.bash $(DESTDIR)$(DATADIR)/mcprice.cgi \
	    $(patsubst man/%,$(DESTDIR)$(MANDIR)/man1/%,$(filter %.1,$(MANS))) \
	    $(patsubst man/%,$(DESTDIR)$(MANDIR)/man7/%,$(filter %.7,$(MANS))) \
	    $(PROGS:%=$(DESTDIR)$(BASHCOMPDIR)/%) \
	    $(SCRIPTS:%=$(DESTDIR)$(BASHCOMPDIR)/%) \
	    $(HELPERS:%=$(DESTDIR)$(LIBEXECDIR)/%)
	-rmdir $(DESTDIR)$(DATADIR) $(DESTDIR)$(LIBEXECDIR)

# The Debian package, built from a copy of the tracked files in
# $(B)/deb (dpkg-buildpackage writes beside the source, and its clean
# step would empty this tree's bin/), then checked by lintian.
deb: deps-deb
	rm -rf $(B)/deb
	mkdir -p $(B)/deb/mctools
	git ls-files -z | tar --null -T - -cf - | tar -xf - -C $(B)/deb/mctools
	cd $(B)/deb/mctools && dpkg-buildpackage -us -uc -b
	lintian --fail-on error,warning $(B)/deb/*.changes

lint:
	mandoc -T lint -W warning $(MANS)
	shellcheck -S warning $$(grep -l '^#!.*sh' scripts/* completion/*) \
	    scripts/*.bash
	@for m in $(filter %.1,$(MANS)); do \
	    completion/gen $$m | shellcheck -s bash -S warning - || exit 1; done

clean:
	rm -rf build build-san build-clang build-fuzz bin

.PHONY: all built deps deps-deb units unit bats check check-san check-slow demo \
	bench install uninstall lint clean replay fuzz check-valgrind \
	check-clang completion deb fresh refs
.SECONDARY:
