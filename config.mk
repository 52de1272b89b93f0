# SPDX-License-Identifier: GPL-3.0-or-later
# mctools build settings: edit here or override on the command line,
# e.g. make PREFIX=$HOME/.local install

# The version every program's --version prints (mc_cli gets it as
# MC_VERSION); the man pages' .Os lines and scripts/mcfan say the same,
# and tests/cli.bats checks that they do.
VERSION = 0.1

PREFIX = /usr/local
BINDIR = $(PREFIX)/bin
MANDIR = $(PREFIX)/share/man
DESTDIR =

CC = cc
# ISO C11.  No FMA contraction and no -march: the same digits on every
# x86-64 host, whatever it has (DESIGN.md: speed never changes the numbers).
# Flags from the environment (dpkg-buildflags' hardening, a packager's
# own) are appended to these, not lost: make would otherwise let these
# lines override them.  They are taken once and handed to sub-makes as
# they were, not with ours added.  Flags on make's command line still
# replace all.
ifndef ENV_CFLAGS
ENV_CFLAGS := $(CFLAGS)
ENV_CPPFLAGS := $(CPPFLAGS)
ENV_LDFLAGS := $(LDFLAGS)
endif
export ENV_CFLAGS ENV_CPPFLAGS ENV_LDFLAGS
unexport CFLAGS CPPFLAGS LDFLAGS
CFLAGS = -std=c11 -O2 -g -ffp-contract=off -Wall -Wextra -Wshadow \
	-Wstrict-prototypes -Wmissing-prototypes -Wno-unused-parameter \
	$(ENV_CFLAGS)
CPPFLAGS = -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE -Isrc/lib \
	$(ENV_CPPFLAGS)
LDFLAGS = $(ENV_LDFLAGS)
LDLIBS = $$(pkg-config --libs gsl 2>/dev/null || echo -lgsl -lgslcblas -lm) \
	-lcsv -lpthread -lm

# The sanitizer build used by make check-san.
SANFLAGS = -fsanitize=address,undefined -fno-omit-frame-pointer \
	-fno-sanitize-recover=all
