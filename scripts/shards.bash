# shellcheck shell=bash disable=SC2154
# SPDX-License-Identifier: GPL-3.0-or-later
# shards.bash: what mcfan and mcfan-slurm share, sourced by both (bash).
# Messages, checked writes, counts, shell quoting, and the one place that
# puts shard outputs together: it checks them and picks the merger from
# their header, never from the program's name.  The caller sets $prog.

# shellcheck disable=SC2034
MCTOOLS_VERSION=0.1

mc_say() {
	printf '%s: %s\n' "$prog" "$*" >&2
}

# mc_die STATUS MESSAGE: the message on stderr, nothing on stdout.
mc_die() {
	local status=$1
	shift
	mc_say "$*"
	exit "$status"
}

# One line, as every mctools program (DESIGN.md); -h has the usage.
mc_usage_error() {
	mc_die 64 "$*"
}

# mc_print TEXT...: writes the text, a line each, to standard output; a
# write error (a full disk, a closed pipe's EPIPE aside) exits 74 with the
# reason, as the C programs do.
mc_print() {
	local err
	{ err=$({ printf '%s\n' "$@" >&3; } 2>&1); } 3>&1 ||
		mc_die 74 "write error: ${err##*: }"
}

# mc_need_count OPTION VALUE MIN MAX: VALUE is a whole number in range.
mc_need_count() {
	case $2 in
	'' | *[!0-9]*) mc_usage_error "option $1: expected a whole number, got \"$2\"" ;;
	esac
	if [ "${#2}" -gt 9 ] || [ "$2" -lt "$3" ] || [ "$2" -gt "$4" ]; then
		mc_usage_error "option $1: $2 is out of range [$3, $4]"
	fi
}

# Quotes one word for a POSIX shell.  Letters, digits and _./:,+@%- stand
# as they are, bytes above 127 too (they are never special to a shell); a
# newline goes in single quotes, since a backslash before it would join
# lines; everything else gets a backslash.  So every brace is split from
# its neighbours too, and GNU parallel finds no replacement string in it.
mc_shquote() {
	local LC_ALL=C
	local s=$1 out='' c i
	# Most words need no quoting; the loop is for the others.
	if [[ $s =~ ^[A-Za-z0-9_./:,+@%-]+$ ]]; then
		printf '%s' "$s"
		return
	fi
	for ((i = 0; i < ${#s}; i++)); do
		c=${s:i:1}
		case $c in
		[A-Za-z0-9_./:,+@%-]) out+=$c ;;
		$'\n') out+="'"$'\n'"'" ;;
		*)
			if [[ $c < $'\x80' ]]; then
				out+="\\$c"
			else
				out+=$c
			fi
			;;
		esac
	done
	[ -n "$out" ] || out="''"
	printf '%s' "$out"
}

# The absolute path of a file name (not resolving links).
mc_abspath() {
	case $1 in
	/*) printf '%s' "$1" ;;
	*) printf '%s/%s' "$PWD" "$1" ;;
	esac
}

# The merger of a set of partial rows, chosen by their header: mcprice's
# partial rows (they carry book_row) are merged by mcprice --merge, every
# other kind (name,n,sum,sumsq and what the row says of its shard) by
# mcstat --merge.  Prints the merging program's name; fails for a header
# that is not partial rows.  The one place to teach about a new kind.
mc_merger_name() {
	local h=",${1%$'\r'},"
	h=${h#,$'\xef\xbb\xbf'}
	if [[ $h == *,book_row,* ]]; then
		echo mcprice
	elif [[ $h == *,n,* && $h == *,sum,* ]]; then
		echo mcstat
	else
		return 1
	fi
}

# mc_find_program NAME DIR: the path of program NAME, from DIR (where the
# sharded command lives, so that a build tree merges with its own build)
# or else from PATH.
mc_find_program() {
	if [ -x "$2/$1" ]; then
		printf '%s' "$2/$1"
	else
		type -P -- "$1"
	fi
}

# mc_shards_merge MODE DIR N PREFIX SUFFIX: puts the outputs of shards 0
# to N-1 (the files PREFIX<i>SUFFIX) together under one header and writes
# the result to standard output.  MODE merge hands them to the merger
# their header names, found beside DIR or in PATH; MODE cat prints them
# as they are (programs whose shards simply concatenate).  A shard that
# printed nothing, another header or a cut last line is refused, exit 65:
# no answer from part of the work.  Returns the merger's status.
mc_shards_merge() {
	local mode=$1 dir=$2 n=$3 pre=$4 suf=$5 i f h header='' name merger
	for ((i = 0; i < n; i++)); do
		f=$pre$i$suf
		[ -s "$f" ] || mc_die 65 "shard $i/$n printed nothing"
		IFS= read -r h <"$f"
		if [ $i -eq 0 ]; then
			header=$h
		elif [ "$h" != "$header" ]; then
			mc_die 65 "shard $i/$n printed the header \"$h\", not \"$header\""
		fi
		[ "$(tail -c 1 -- "$f" | od -An -c)" = '  \n' ] ||
			mc_die 65 "shard $i/$n: its output ends in the middle of a line"
	done
	if [ "$mode" = merge ]; then
		name=$(mc_merger_name "$header") ||
			mc_die 65 "the shards printed \"$header\", which is not partial rows to merge (for outputs that simply concatenate, use --cat)"
		merger=$(mc_find_program "$name" "$dir") ||
			mc_die 69 "$name is needed to merge the shards and was not found"
		mc_shards_rows "$n" "$pre" "$suf" | "$merger" --merge
		return "${PIPESTATUS[1]}"
	fi
	# A write error is reported once, with its reason; a closed pipe
	# (mcfan --cat ... | head) ends quietly, as SIGPIPE does.
	local err
	{ err=$({ mc_shards_rows "$n" "$pre" "$suf" >&3; } 2>&1); } 3>&1 && return 0
	[ -z "$err" ] || mc_die 74 "write error: ${err##*: }"
	return 141
}

# The rows of shards 0 to N-1 under the header of shard 0; fails when a
# write fails.
mc_shards_rows() {
	local n=$1 pre=$2 suf=$3 i
	cat -- "${pre}0$suf" || return
	for ((i = 1; i < n; i++)); do
		tail -n +2 -- "$pre$i$suf" || return
	done
}

# mc_fit_make IN OUT COMMAND ARG...: writes to OUT the fit of the mcprice
# command COMMAND ARG... on the book IN (mcprice --fit, with -j over the
# local cores unless the ARGs set the threads), its messages dropped;
# fails when the ARGs already fit, shard, merge or have a tolerance,
# which no fit serves, or when the fit fails.
mc_fit_make() {
	local in=$1 out=$2 a threads
	shift 2
	threads=(-j "$(nproc 2>/dev/null || echo 1)")
	for a in "${@:2}"; do
		case $a in
		--fit | --fit=* | --fit-file | --fit-file=* | --fit_file | \
			--fit_file=* | --merge | --tolerance | --tolerance=* | \
			--shard | --shard=* | --partial | -h | --help | --version)
			return 1 ;;
		-j | -j* | --threads | --threads=*) threads=() ;;
		esac
	done
	"$@" --fit "${threads[@]}" <"$in" >"$out" 2>/dev/null
}
