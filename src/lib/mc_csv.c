/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "mc_csv.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <csv.h>

#include "mc_fmt.h"
#include "mc_map.h"

#define CHUNK 65536

struct row {
	size_t f0;		/* index of the row's first field */
	size_t n;		/* number of fields */
	unsigned long line;	/* line the row stands on */
};

struct mc_csv_reader {
	FILE *fp;
	char *name;
	struct csv_parser parser;
	char *chunk;

	/* Bytes of all queued fields, each followed by a NUL. */
	char *arena;
	size_t alen, acap;
	/* Offsets and lengths of queued fields, complete rows first. */
	size_t *foff, *flen;
	size_t nf, fcap;
	/* Complete rows waiting to be read, and the one being read. */
	struct row *rows;
	size_t nrows, rowcap, rowpos;
	size_t cur_f0;		/* first field of the row being parsed */
	unsigned long line;	/* line being fed to the parser */
	unsigned long row_line;	/* line of the row being parsed */
	int eof, failed, started;
	/* An error met while parsing ahead, reported once the rows before
	 * it have been read. */
	mc_err pend;
	struct row cur;

	/* The header's names, interned in column order: column i is key i,
	 * found by hash. */
	mc_map *cols;
	size_t ncols;
	int no_header;		/* columns are named by number */
	int slow;		/* every line through libcsv (MC_CSV_LIBCSV) */
	char sep;
};

static int
grow(void **p, size_t *cap, size_t need, size_t size)
{
	size_t n = *cap ? *cap : 16;
	void *q;

	if (need <= *cap)
		return 0;
	while (n < need)
		n *= 2;
	if ((q = realloc(*p, n * size)) == NULL)
		return -1;
	*p = q;
	*cap = n;
	return 0;
}

/* Sets the pending error to out of memory, and returns -1. */
static int
no_memory(mc_csv_reader *r)
{
	mc_err_set(&r->pend, EX_OSERR, "%s:%lu: out of memory", r->name,
	    r->line);
	return -1;
}

/* Makes room for one more field.  Returns 0, or -1 out of memory. */
static int
field_room(mc_csv_reader *r)
{
	size_t cap, *o, *l;

	if (r->nf < r->fcap)
		return 0;
	/* Offsets and lengths grow together, to the same capacity. */
	cap = r->fcap ? 2 * r->fcap : 64;
	o = realloc(r->foff, cap * sizeof(size_t));
	l = o ? realloc(r->flen, cap * sizeof(size_t)) : NULL;
	if (o)
		r->foff = o;
	if (l == NULL)
		return no_memory(r);
	r->flen = l;
	r->fcap = cap;
	return 0;
}

/* Queues the row of the fields from cur_f0 on, standing on line.
 * Returns 0, or -1 out of memory. */
static int
push_row(mc_csv_reader *r, unsigned long line)
{
	if (grow((void **)&r->rows, &r->rowcap, r->nrows + 1,
	    sizeof(struct row)))
		return no_memory(r);
	r->rows[r->nrows].f0 = r->cur_f0;
	r->rows[r->nrows].n = r->nf - r->cur_f0;
	r->rows[r->nrows].line = line;
	r->nrows++;
	r->cur_f0 = r->nf;
	/* Until its first field ends, the next row is taken to start on the
	 * next line: that is where an unterminated quote was opened. */
	r->row_line = line + 1;
	return 0;
}

static void
on_field(void *s, size_t len, void *data)
{
	mc_csv_reader *r = data;

	if (r->pend.status)
		return;
	if (grow((void **)&r->arena, &r->acap, r->alen + len + 1, 1)) {
		no_memory(r);
		return;
	}
	if (field_room(r) != 0)
		return;
	if (r->nf == r->cur_f0)
		r->row_line = r->line;
	if (len > 0)
		memcpy(r->arena + r->alen, s, len);
	r->arena[r->alen + len] = '\0';
	r->foff[r->nf] = r->alen;
	r->flen[r->nf] = len;
	r->nf++;
	r->alen += len + 1;
}

static void
on_row(int c, void *data)
{
	mc_csv_reader *r = data;

	(void)c;
	if (r->pend.status == 0 && push_row(r, r->row_line) == 0)
		r->row_line = r->line + 1;
}

/* Drops consumed rows, keeping the fields of the row being parsed. */
static void
compact(mc_csv_reader *r)
{
	size_t i, keep = r->nf - r->cur_f0, base;

	base = keep ? r->foff[r->cur_f0] : r->alen;
	if (r->alen > base)
		memmove(r->arena, r->arena + base, r->alen - base);
	r->alen -= base;
	for (i = 0; i < keep; i++) {
		r->foff[i] = r->foff[r->cur_f0 + i] - base;
		r->flen[i] = r->flen[r->cur_f0 + i];
	}
	r->nf = keep;
	r->cur_f0 = 0;
	r->nrows = r->rowpos = 0;
}

/*
 * Refuses the row being parsed once it holds more than a row may: its
 * fields so far, and the field libcsv is still collecting.
 */
static void
check_row(mc_csv_reader *r)
{
	size_t nf = r->nf - r->cur_f0;
	size_t bytes = (nf ? r->alen - r->foff[r->cur_f0] : 0) +
	    r->parser.entry_pos;
	/* A first field not in quotes cannot span lines: it is on this
	 * one, whatever blank lines came before. */
	unsigned long line = nf == 0 && !r->parser.quoted ? r->line :
	    r->row_line;

	if (bytes > MC_CSV_MAX_ROW)
		mc_err_set(&r->pend, EX_DATAERR, "%s:%lu: a row longer than "
		    "%d MiB (the most a row may hold)", r->name, line,
		    MC_CSV_MAX_ROW >> 20);
	else if (nf > MC_CSV_MAX_FIELDS)
		mc_err_set(&r->pend, EX_DATAERR, "%s:%lu: a row of more than "
		    "%d fields (the most a row may hold)", r->name, line,
		    MC_CSV_MAX_FIELDS);
}

/*
 * The fast path.  A line without a quote or a CR (or a NUL, which ends
 * the text fed) that starts where libcsv would start a row is split here
 * as libcsv splits it: fields end at the separator, blanks (spaces and
 * tabs that are not the separator) at either end of a field are dropped,
 * and a line of one blank field is no row.  Anything else goes through
 * libcsv, so quoting, CRs and every error stay libcsv's.  A line in one
 * chunk holds far less than a row may (MC_CSV_MAX_ROW, MC_CSV_MAX_FIELDS).
 */

/* The top bit of each byte of w that equals the byte of pat, exactly
 * (no carry crosses a byte). */
static inline uint64_t
eq_bytes(uint64_t w, uint64_t pat)
{
	const uint64_t low7 = UINT64_C(0x7f7f7f7f7f7f7f7f);
	uint64_t x = w ^ pat;

	return ~(((x & low7) + low7) | x | low7);
}

static inline int
is_blank(char c)
{
	return c == ' ' || c == '\t';
}

/*
 * Queues the field a[b, e) of the arena (a is at arena offset base),
 * trimmed, and NUL-terminates it where it ends.  Returns 0 or -1.
 */
static inline int
fast_field(mc_csv_reader *r, char *a, size_t base, size_t b, size_t e)
{
	if (r->nf == r->fcap && field_room(r) != 0)
		return -1;
	while (b < e && is_blank(a[b]))
		b++;
	while (e > b && is_blank(a[e - 1]))
		e--;
	a[e] = '\0';
	r->foff[r->nf] = base + b;
	r->flen[r->nf] = e - b;
	r->nf++;
	return 0;
}

/* Ends the line of the fields from cur_f0 on: a row, unless it is one
 * blank field.  Returns 0 or -1. */
static inline int
fast_line(mc_csv_reader *r)
{
	int rc = 0;

	if (r->nf - r->cur_f0 == 1 && r->flen[r->cur_f0] == 0)
		r->nf = r->cur_f0;
	else
		rc = push_row(r, r->line);
	r->line++;
	return rc;
}

/*
 * Splits len bytes at p, whole lines without quotes, CRs or NULs, into
 * rows, in a copy in the arena whose separators and newlines become the
 * fields' NULs.  Returns 0, or -1 out of memory.
 */
static int
fast_lines(mc_csv_reader *r, const char *p, size_t len)
{
	const uint64_t ones = UINT64_C(0x0101010101010101);
	uint64_t seps = ones * (unsigned char)r->sep, nls = ones * '\n', w, m;
	size_t base = r->alen, start = 0, i = 0, k;
	char *a;

	if (grow((void **)&r->arena, &r->acap, r->alen + len, 1))
		return no_memory(r);
	a = r->arena + base;
	memcpy(a, p, len);
	r->alen += len;
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	/* Eight bytes at a time: the lowest address is the lowest byte. */
	for (; i + 8 <= len; i += 8) {
		memcpy(&w, a + i, 8);
		for (m = eq_bytes(w, seps) | eq_bytes(w, nls); m; m &= m - 1) {
			k = i + (size_t)__builtin_ctzll(m) / 8;
			int nl = a[k] == '\n';
			if (fast_field(r, a, base, start, k) != 0 ||
			    (nl && fast_line(r) != 0))
				return -1;
			start = k + 1;
		}
	}
#endif
	for (; i < len; i++) {
		int nl = a[i] == '\n';
		if (!nl && a[i] != r->sep)
			continue;
		if (fast_field(r, a, base, start, i) != 0 ||
		    (nl && fast_line(r) != 0))
			return -1;
		start = i + 1;
	}
	return 0;
}

/* Where the next quote and the next CR of a chunk stand (its end for
 * none), found once for all the lines before them. */
struct scan {
	const char *quote, *cr;
};

static const char *
find(const char *p, const char *end, char c)
{
	const char *q = memchr(p, c, (size_t)(end - p));

	return q ? q : end;
}

/*
 * The length of the lines at p (n bytes to the end of the text fed) that
 * the fast path takes: whole lines before the next quote or CR, when
 * libcsv stands at the start of a row.  0 when there are none.
 */
static size_t
clean_lines(mc_csv_reader *r, const char *p, size_t n, struct scan *sc)
{
	const char *end = p + n, *stop, *nl;

	if (r->slow || r->parser.quoted || r->parser.entry_pos != 0 ||
	    r->nf != r->cur_f0)
		return 0;
	if (sc->quote == NULL || sc->quote < p)
		sc->quote = find(p, end, '"');
	if (sc->cr == NULL || sc->cr < p)
		sc->cr = find(p, end, '\r');
	stop = sc->quote < sc->cr ? sc->quote : sc->cr;
	/* The last newline before it is near: lines are short. */
	for (nl = stop; nl > p && nl[-1] != '\n'; nl--)
		;
	return (size_t)(nl - p);
}

/*
 * Feeds one chunk to libcsv a line at a time, so that every field knows
 * the line it ends on, or takes clean lines by the fast path.  Text stops
 * at a NUL byte, which is an error where it stands; a parse error is kept
 * in r->pend.
 */
static void
feed(mc_csv_reader *r, const char *p, size_t n)
{
	const char *nul = memchr(p, '\0', n);
	struct scan sc = { NULL, NULL };
	size_t k;

	if (nul != NULL)
		n = (size_t)(nul - p);
	while (n > 0 && r->pend.status == 0) {
		const char *nl;

		if ((k = clean_lines(r, p, n, &sc)) > 0) {
			fast_lines(r, p, k);
			p += k;
			n -= k;
			continue;
		}
		nl = memchr(p, '\n', n);
		size_t len = nl ? (size_t)(nl - p) + 1 : n;

		/* libcsv grows a long field's buffer by blk_size at a time:
		 * as large as the buffer, it grows geometrically instead of
		 * in steps, each a copy (quadratic). */
		if (r->parser.entry_size > r->parser.blk_size)
			r->parser.blk_size = r->parser.entry_size;
		if (csv_parse(&r->parser, p, len, on_field, on_row, r) != len &&
		    r->pend.status == 0) {
			if (csv_error(&r->parser) == CSV_ENOMEM)
				mc_err_set(&r->pend, EX_OSERR, "%s:%lu: out "
				    "of memory", r->name, r->line);
			else
				mc_err_set(&r->pend, EX_DATAERR, "%s:%lu: "
				    "malformed CSV: a quote inside an unquoted "
				    "field or after a closing quote", r->name,
				    r->line);
		}
		if (r->pend.status == 0)
			check_row(r);
		if (nl)
			r->line++;
		p += len;
		n -= len;
	}
	if (nul != NULL && r->pend.status == 0)
		mc_err_set(&r->pend, EX_DATAERR, "%s:%lu: NUL byte in the "
		    "input", r->name, r->line);
}

/* Reads until a complete row is queued, the input ends, or an error. */
static void
fill(mc_csv_reader *r)
{
	while (r->rowpos >= r->nrows && !r->eof && r->pend.status == 0) {
		size_t n;
		const char *p = r->chunk;

		compact(r);
		n = fread(r->chunk, 1, CHUNK, r->fp);
		if (n == 0) {
			r->eof = 1;
			if (ferror(r->fp))
				mc_err_set(&r->pend, EX_IOERR, "%s: read "
				    "error: %s", r->name, strerror(errno));
			else if (csv_fini(&r->parser, on_field, on_row, r) !=
			    0 && r->pend.status == 0)
				mc_err_set(&r->pend, EX_DATAERR, "%s:%lu: "
				    "unterminated quoted field at the end of "
				    "the input", r->name, r->row_line);
			break;
		}
		if (!r->started) {
			r->started = 1;
			if (n >= 3 && memcmp(p, "\xef\xbb\xbf", 3) == 0) {
				p += 3;
				n -= 3;
			}
		}
		feed(r, p, n);
	}
}

/* Moves to the next row of any width.  Returns 1, 0 at the end, or -1. */
static int
next_row(mc_csv_reader *r, mc_err *err)
{
	if (r->failed)
		return mc_err_set(err, EX_DATAERR, "%s: reading after an "
		    "error", r->name), -1;
	fill(r);
	if (r->rowpos >= r->nrows && r->pend.status != 0) {
		r->failed = 1;
		*err = r->pend;
		return -1;
	}
	if (r->rowpos >= r->nrows)
		return 0;
	r->cur = r->rows[r->rowpos++];
	return 1;
}

/*
 * Interns the header's names in column order; a name met before is an
 * error.  Hashing keeps this linear in the number of columns.
 */
static int
read_names(mc_csv_reader *r, mc_err *err)
{
	size_t i;
	long k;
	char q[64];

	if ((r->cols = mc_map_alloc()) == NULL)
		return mc_err_set(err, EX_OSERR, "out of memory");
	r->ncols = r->cur.n;
	for (i = 0; i < r->ncols; i++) {
		char num[32];
		if (r->no_header)
			snprintf(num, sizeof(num), "%zu", i + 1);
		k = r->no_header ? mc_map_intern(r->cols, num, strlen(num)) :
		    mc_map_intern(r->cols, mc_csv_field(r, i),
		    mc_csv_fieldlen(r, i));
		if (k < 0)
			return mc_err_set(err, EX_OSERR, "out of memory");
		if ((size_t)k != i)
			return mc_err_set(err, EX_DATAERR, "%s:%lu: column %s "
			    "appears twice in the header", r->name,
			    r->cur.line, mc_err_quote(q, sizeof(q),
			    mc_csv_field(r, i)));
	}
	return 0;
}

mc_csv_reader *
mc_csv_open(FILE *fp, const char *name, mc_err *err)
{
	return mc_csv_open_sep(fp, name, ',', err);
}

mc_csv_reader *
mc_csv_open_sep(FILE *fp, const char *name, char sep, mc_err *err)
{
	return mc_csv_open_flags(fp, name, sep, 0, err);
}

mc_csv_reader *
mc_csv_open_flags(FILE *fp, const char *name, char sep, unsigned flags,
    mc_err *err)
{
	mc_csv_reader *r;
	int rc;

	if ((r = calloc(1, sizeof(*r))) == NULL ||
	    (r->name = strdup(name)) == NULL ||
	    (r->chunk = malloc(CHUNK)) == NULL ||
	    csv_init(&r->parser, CSV_STRICT | CSV_STRICT_FINI |
	    CSV_APPEND_NULL) != 0) {
		mc_err_set(err, EX_OSERR, "out of memory");
		goto bad;
	}
	r->parser.blk_size = 4096;
	csv_set_delim(&r->parser, (unsigned char)sep);
	r->sep = sep;
	r->slow = (flags & MC_CSV_LIBCSV) != 0;
	r->fp = fp;
	r->line = r->row_line = 1;
	if ((rc = next_row(r, err)) < 0)
		goto bad;
	r->no_header = (flags & MC_CSV_NO_HEADER) != 0;
	if (rc == 0) {
		mc_err_set(err, EX_DATAERR, "%s: empty input, expected a "
		    "%s", name, r->no_header ? "row" : "header row");
		goto bad;
	}
	if (read_names(r, err) != 0)
		goto bad;
	/* The first row is still queued: the first mc_csv_next reads it. */
	if (r->no_header)
		r->rowpos--;
	return r;
bad:
	mc_csv_free(r);
	return NULL;
}

void
mc_csv_free(mc_csv_reader *r)
{
	if (r == NULL)
		return;
	csv_free(&r->parser);
	mc_map_free(r->cols);
	free(r->name);
	free(r->chunk);
	free(r->arena);
	free(r->foff);
	free(r->flen);
	free(r->rows);
	free(r);
}

size_t
mc_csv_ncols(const mc_csv_reader *r)
{
	return r->ncols;
}

const char *
mc_csv_colname(const mc_csv_reader *r, size_t i)
{
	return mc_map_key(r->cols, i, NULL);
}

const char *
mc_csv_name(const mc_csv_reader *r)
{
	return r->name;
}

long
mc_csv_find(const mc_csv_reader *r, const char *name)
{
	return mc_map_find(r->cols, name, strlen(name));
}

int
mc_csv_require(const mc_csv_reader *r, const char *name, size_t *col,
    mc_err *err)
{
	long i = mc_csv_find(r, name);
	char q[64];

	if (i < 0)
		return mc_err_set(err, EX_DATAERR, "%s:1: no column %s in "
		    "the header", r->name, mc_err_quote(q, sizeof(q), name));
	*col = (size_t)i;
	return 0;
}

int
mc_csv_next(mc_csv_reader *r, mc_err *err)
{
	int rc = next_row(r, err);

	if (rc == 1 && r->cur.n != r->ncols) {
		r->failed = 1;
		mc_err_set(err, EX_DATAERR, "%s:%lu: expected %zu fields as "
		    "in the %s, got %zu", r->name, r->cur.line, r->ncols,
		    r->no_header ? "first row" : "header", r->cur.n);
		return -1;
	}
	return rc;
}

const char *
mc_csv_field(const mc_csv_reader *r, size_t i)
{
	return r->arena + r->foff[r->cur.f0 + i];
}

size_t
mc_csv_fieldlen(const mc_csv_reader *r, size_t i)
{
	return r->flen[r->cur.f0 + i];
}

int
mc_csv_is_header(const mc_csv_reader *r)
{
	size_t i, len;
	const char *name;

	if (r->no_header)
		return 0;
	/* Lengths first: a data row differs in its first field's, mostly,
	 * and that is known without a call to strcmp for every row. */
	for (i = 0; i < r->ncols; i++) {
		name = mc_map_key(r->cols, i, &len);
		if (mc_csv_fieldlen(r, i) != len ||
		    memcmp(mc_csv_field(r, i), name, len) != 0)
			return 0;
	}
	return 1;
}

unsigned long
mc_csv_line(const mc_csv_reader *r)
{
	return r->cur.line;
}

/*
 * Sets err to field col's "NAME:LINE: column 'x': WHY, got \"text\"" and
 * returns EX_DATAERR.  Kept out of the callers, which run for every
 * number read, so that theirs is a short path with a small frame.
 */
static int __attribute__((noinline, cold))
number_error(const mc_csv_reader *r, size_t col, const char *why,
    mc_err *err)
{
	char q[64], c[64];

	return mc_err_set(err, EX_DATAERR, "%s:%lu: column '%s': %s, got %s",
	    r->name, r->cur.line, mc_err_name(c, sizeof(c),
	    mc_csv_colname(r, col)), why,
	    mc_err_quote(q, sizeof(q), mc_csv_field(r, col)));
}

int
mc_csv_number(const mc_csv_reader *r, size_t col, double *out, mc_err *err)
{
	const char *why = mc_parse_double_n(mc_csv_field(r, col),
	    mc_csv_fieldlen(r, col), out);

	return why == NULL ? 0 : number_error(r, col, why, err);
}

int
mc_csv_finite(const mc_csv_reader *r, size_t col, double *out, mc_err *err)
{
	const char *why = mc_parse_double_n(mc_csv_field(r, col),
	    mc_csv_fieldlen(r, col), out);

	if (why == NULL && isfinite(*out))
		return 0;
	return number_error(r, col, why ? why : "expected a finite number",
	    err);
}

/* Writes one field with sep as the separator, quoted as needed. */
static void
put_field(FILE *fp, const char *s, size_t len, char sep)
{
	size_t i;
	int quote = len > 0 && (s[0] == ' ' || s[0] == '\t' ||
	    s[len - 1] == ' ' || s[len - 1] == '\t');

	/* A leading byte-order mark would be taken for the file's own when
	 * the field starts the file, and dropped. */
	if (len >= 3 && memcmp(s, "\xef\xbb\xbf", 3) == 0)
		quote = 1;

	for (i = 0; i < len && !quote; i++)
		if (s[i] == sep || s[i] == '"' || s[i] == '\r' || s[i] == '\n')
			quote = 1;
	if (!quote) {
		fwrite(s, 1, len, fp);
		return;
	}
	putc('"', fp);
	for (i = 0; i < len; i++) {
		if (s[i] == '"')
			putc('"', fp);
		putc(s[i], fp);
	}
	putc('"', fp);
}

void
mc_csv_write(FILE *fp, const char *s, size_t len)
{
	put_field(fp, s, len, ',');
}

void
mc_csv_puts(FILE *fp, const char *s)
{
	mc_csv_write(fp, s, strlen(s));
}

void
mc_csv_putd(FILE *fp, double x)
{
	char buf[MC_FMT_DBL];

	fwrite(buf, 1, (size_t)mc_fmt_double(buf, x), fp);
}

void
mc_csv_out_init(mc_csv_out *w, FILE *fp, char sep)
{
	w->fp = fp;
	w->sep = sep;
	w->mid = 0;
}

/* The separator before every field but a row's first. */
static void
next_field(mc_csv_out *w)
{
	if (w->mid)
		putc(w->sep, w->fp);
	w->mid = 1;
}

void
mc_csv_out_mem(mc_csv_out *w, const char *s, size_t len)
{
	next_field(w);
	put_field(w->fp, s, len, w->sep);
}

void
mc_csv_out_str(mc_csv_out *w, const char *s)
{
	mc_csv_out_mem(w, s, strlen(s));
}

void
mc_csv_out_num(mc_csv_out *w, double x)
{
	next_field(w);
	mc_csv_putd(w->fp, x);
}

void
mc_csv_out_count(mc_csv_out *w, uint64_t n)
{
	char buf[24], *p = buf + sizeof(buf);

	/* By hand: printf's parsing costs more than the digits here. */
	do
		*--p = (char)('0' + n % 10);
	while ((n /= 10) != 0);
	next_field(w);
	fwrite(p, 1, (size_t)(buf + sizeof(buf) - p), w->fp);
}

void
mc_csv_out_names(mc_csv_out *w, const char *names)
{
	size_t len;

	for (;; names += len + 1) {
		len = strcspn(names, ",");
		mc_csv_out_mem(w, names, len);
		if (names[len] == '\0')
			break;
	}
}

void
mc_csv_out_end(mc_csv_out *w)
{
	putc('\n', w->fp);
	w->mid = 0;
}

static int
cmp_name(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

int
mc_csv_header(mc_csv_out *w, const char *const *names, size_t n, mc_err *err)
{
	const char **s;
	char c[64];
	size_t i;

	/* Sorted, so that a header of a million names is checked quickly. */
	if ((s = malloc((n ? n : 1) * sizeof(*s))) == NULL)
		return mc_err_set(err, EX_OSERR, "out of memory");
	memcpy(s, names, n * sizeof(*s));
	qsort(s, n, sizeof(*s), cmp_name);
	for (i = 1; i < n; i++)
		if (strcmp(s[i - 1], s[i]) == 0) {
			mc_err_set(err, EX_SOFTWARE, "column '%s' would be "
			    "twice in the header", mc_err_name(c, sizeof(c),
			    s[i]));
			free(s);
			return EX_SOFTWARE;
		}
	free(s);
	for (i = 0; i < n; i++)
		mc_csv_out_str(w, names[i]);
	mc_csv_out_end(w);
	return 0;
}
