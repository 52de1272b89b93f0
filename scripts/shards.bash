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

# mc_shquote WORD [VAR]: WORD quoted for a POSIX shell, printed, or put
# in the variable VAR (no subshell: mcfan quotes every word of a command).
# Letters, digits and _./:,+@%- stand as they are, bytes above 127 too
# (they are never special to a shell); a newline goes in single quotes,
# since a backslash before it would join lines; everything else gets a
# backslash.  So every brace is split from its neighbours too, and GNU
# parallel finds no replacement string in it.
mc_shquote() {
	local LC_ALL=C
	local s=$1 out='' c i
	# Most words need no quoting; the loop is for the others.
	if [[ $s =~ ^[A-Za-z0-9_./:,+@%-]+$ ]]; then
		out=$s
	else
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
	fi
	if [ $# -ge 2 ]; then
		printf -v "$2" '%s' "$out"
	else
		printf '%s' "$out"
	fi
}

# The absolute path of a file name (not resolving links).
mc_abspath() {
	case $1 in
	/*) printf '%s' "$1" ;;
	*) printf '%s/%s' "$PWD" "$1" ;;
	esac
}

# mc_merger_name HEADER VAR: puts in VAR the name of the merger of a set
# of partial rows, chosen by their header: mcprice's partial rows (they
# carry book_row) are merged by mcprice --merge, every other kind
# (name,n,sum,sumsq and what the row says of its shard) by mcstat
# --merge.  Fails for a header that is not partial rows.  The one place
# to teach about a new kind.
mc_merger_name() {
	local h=",${1%$'\r'},"
	h=${h#,$'\xef\xbb\xbf'}
	if [[ $h == *,book_row,* ]]; then
		printf -v "$2" mcprice
	elif [[ $h == *,n,* && $h == *,sum,* ]]; then
		printf -v "$2" mcstat
	else
		return 1
	fi
}

# mc_find_program NAME DIR VAR: puts in VAR the path of program NAME, from
# DIR (where the sharded command lives, so that a build tree merges with
# its own build) or else from PATH; fails when there is none.
mc_find_program() {
	if [ -x "$2/$1" ]; then
		printf -v "$3" '%s' "$2/$1"
	else
		hash -- "$1" 2>/dev/null || return
		printf -v "$3" '%s' "${BASH_CMDS[$1]}"
	fi
}

# mc_slurp FILE VAR MAX: puts the whole of FILE in VAR without starting a
# process; fails when FILE has MAX bytes or more, or holds a NUL byte
# (which read drops), so that the caller can use tools that see every
# byte.  The bytes that read took are checked against the file's offset.
mc_slurp() {
	local LC_ALL=C key val pos=
	{
		! IFS= read -r -N "$3" -u 9 "$2" || return 1
		while read -r key val; do
			[ "$key" != pos: ] || { pos=$val; break; }
		done </proc/self/fdinfo/9
	} 9<"$1" 2>/dev/null || return
	local -n mc_slurp_text=$2
	[ "$pos" = "${#mc_slurp_text}" ]
}

# mc_merger_for HEADER DIR VAR: puts in VAR the path of the merger of
# partial rows under HEADER (mc_merger_name), from DIR or PATH; exits 65
# when HEADER is not partial rows, 69 when the merger is not found.
mc_merger_for() {
	local name
	mc_merger_name "$1" name ||
		mc_die 65 "the shards printed \"$1\", which is not partial rows to merge (for outputs that simply concatenate, use --cat)"
	mc_find_program "$name" "$2" "$3" ||
		mc_die 69 "$name is needed to merge the shards and was not found"
}

# mc_shards_merge MODE DIR N PREFIX SUFFIX: puts the outputs of shards 0
# to N-1 (the files PREFIX<i>SUFFIX) together under one header and writes
# the result to standard output.  MODE merge hands them to the merger
# their header names, found beside DIR or in PATH; MODE cat prints them
# as they are (programs whose shards simply concatenate).  A shard that
# printed nothing, another header or a cut last line is refused, exit 65:
# no answer from part of the work.  Returns the merger's status.  Only a
# few processes whatever N: on a small book a process per shard would
# cost more than the merge.  Outputs of up to 512 KiB in all are read and
# put together here, without a process; larger ones go through tail.
mc_shards_merge() {
	# Bytes, not characters: the patterns below run three times faster
	# over a book's shards than in a UTF-8 locale.
	local LC_ALL=C
	local mode=$1 dir=$2 n=$3 pre=$4 suf=$5 i f h header='' merger
	local files=() ends=() body rows='' left=524288 cut=
	for ((i = 0; i < n; i++)); do
		f=$pre$i$suf
		files+=("$f")
		[ -s "$f" ] || mc_die 65 "shard $i/$n printed nothing"
		if [ "$left" -gt 0 ] && mc_slurp "$f" body "$left"; then
			h=${body%%$'\n'*}
			left=$((left - ${#body}))
			[ -n "$cut" ] || [[ $body == *$'\n' ]] || cut=$i
			[ $i -eq 0 ] || body=${body#*$'\n'}
			rows+=$body
		else
			left=0
			IFS= read -r h <"$f"
		fi
		if [ $i -eq 0 ]; then
			header=$h
		elif [ "$h" != "$header" ]; then
			mc_die 65 "shard $i/$n printed the header \"$h\", not \"$header\""
		fi
	done
	# Every file's last byte, one a line in hex, when not all were read.
	if [ "$left" -le 0 ]; then
		rows=
		mapfile -t ends < <(tail -qc 1 -- "${files[@]}" | od -An -v -tx1 -w1)
		for ((i = n - 1; i >= 0; i--)); do
			[ "${ends[i]:-}" = ' 0a' ] || cut=$i
		done
	fi
	[ -z "$cut" ] ||
		mc_die 65 "shard $cut/$n: its output ends in the middle of a line"
	if [ "$mode" = merge ]; then
		mc_merger_for "$header" "$dir" merger
		# A short text goes through a pipe that bash fills itself (a
		# here-string), a longer one through a subshell.
		if [ -n "$rows" ] && [ ${#rows} -le 4096 ]; then
			"$merger" --merge <<<"${rows%$'\n'}"
			return
		fi
		mc_shards_text | "$merger" --merge
		return "${PIPESTATUS[1]}"
	fi
	# A write error is reported once, with its reason; a closed pipe
	# (mcfan --cat ... | head) ends quietly, as SIGPIPE does.
	local err
	{ err=$({ mc_shards_text >&3; } 2>&1); } 3>&1 && return 0
	[ -z "$err" ] || mc_die 74 "write error: ${err##*: }"
	return 141
}

# mc_shards_text: mc_shards_merge's text under one header, from its
# variable rows when it read the files, else from its files.
mc_shards_text() {
	if [ -n "$rows" ]; then
		printf '%s' "$rows"
	else
		mc_shards_rows "${files[@]}"
	fi
}

# mc_shards_rows FILE...: the rows of the files under the header of the
# first; fails when a write fails.
mc_shards_rows() {
	cat -- "$1" || return
	[ $# -lt 2 ] || tail -q -n +2 -- "${@:2}"
}

# mc_ncores VAR: sets VAR to the number of cores this process may use, as
# nproc counts them, asked once a run.  Without OMP_NUM_THREADS and
# OMP_THREAD_LIMIT (which nproc honours), that is the count of CPUs in the
# process's affinity list, read here from /proc without a process (one
# costs 5-15 ms of CPU on a small VM); otherwise, or without that list,
# nproc itself.
mc_ncores() {
	local list n=0 r lo hi parts=()
	if [ -z "${mc_ncores_seen:-}" ] && [ -z "${OMP_NUM_THREADS:-}" ] &&
		[ -z "${OMP_THREAD_LIMIT:-}" ]; then
		while read -r r list; do
			[ "$r" = Cpus_allowed_list: ] && break
			list=
		done </proc/self/status 2>/dev/null
		# A list such as 0-3,8,10-11.
		[ -z "$list" ] || IFS=, read -ra parts <<<"$list"
		for r in "${parts[@]}"; do
			[[ $r =~ ^([0-9]{1,6})(-([0-9]{1,6}))?$ ]] || { n=0; break; }
			lo=${BASH_REMATCH[1]} hi=${BASH_REMATCH[3]:-${BASH_REMATCH[1]}}
			n=$((n + 10#$hi - 10#$lo + 1))
		done
		[ "$n" -le 0 ] || mc_ncores_seen=$n
	fi
	[ -n "${mc_ncores_seen:-}" ] ||
		mc_ncores_seen=$(nproc 2>/dev/null || echo 1)
	printf -v "$1" %s "$mc_ncores_seen"
}

# mc_no_threads ARG...: true when no ARG sets a program's threads (-j N,
# -jN, --threads N, --threads=N).
mc_no_threads() {
	local a
	for a; do
		case $a in
		-j | -j* | --threads | --threads=*) return 1 ;;
		esac
	done
}

# mc_book_splits IN N COMMAND ARG...: true when the mcprice command's
# book (IN, or else the command's last word when that names a file) has
# N rows or more, counted as lines: its N shards are then runs of rows
# of about equal work, and each does the fixed work of its own rows
# only (mcprice(1), --shard).
mc_book_splits() {
	local book=$1 n=$2 rows=-1 line
	shift 2
	[ -s "$book" ] || [ $# -lt 2 ] || book=${*: -1}
	[ -f "$book" ] && [ -r "$book" ] || return 1
	# The header, then rows until there are N.
	while [ $rows -lt "$n" ] && IFS= read -r line; do
		rows=$((rows + 1))
	done <"$book"
	[ $rows -ge "$n" ]
}

# mc_fit_make IN OUT COMMAND ARG...: writes to OUT the fit of the mcprice
# command COMMAND ARG... on the book IN (mcprice --fit, with -j over the
# local cores unless the ARGs set the threads), its messages dropped;
# fails when the ARGs already fit, shard, merge or have a tolerance,
# which no fit serves, or when the fit fails.  Made when the shards do
# not split the book (mc_book_splits), which would otherwise share each
# row's fixed work.
mc_fit_make() {
	local in=$1 out=$2 a cores threads=()
	shift 2
	for a in "${@:2}"; do
		case $a in
		--fit | --fit=* | --fit-file | --fit-file=* | --fit_file | \
			--fit_file=* | --merge | --tolerance | --tolerance=* | \
			--shard | --shard=* | --partial | -h | --help | --version)
			return 1 ;;
		esac
	done
	if mc_no_threads "${@:2}"; then
		mc_ncores cores
		threads=(-j "$cores")
	fi
	"$@" --fit "${threads[@]}" <"$in" >"$out" 2>/dev/null
}
