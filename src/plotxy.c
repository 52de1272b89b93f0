/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * plotxy: figures from CSV through gnuplot.
 *
 * Reads a CSV with a header, writes a gnuplot script with the data inline
 * (a $data datablock) and runs gnuplot on it as a child process.  Every
 * text that comes from the data or the options is passed to gnuplot as a
 * single-quoted string (mc_gp_quote); only --set and --equation are code.
 */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "mc_cli.h"
#include "mc_csv.h"
#include "mc_err.h"
#include "mc_fmt.h"
#include "mc_gp.h"
#include "mc_hist.h"
#include "mc_io.h"
#include "mc_opt.h"
#include "mc_time.h"

enum style { POINTS, LINES, LINESPOINTS, ERRORBARS, HIST, BOXES };
static const char *const styles[] = {
	"points", "lines", "linespoints", "errorbars", "hist", "boxes", NULL
};
enum term { PNG, SVG, PDF, TXT };
static const char *const terms[] = { "png", "svg", "pdf", "txt", NULL };

/* Words allowed in --legend, passed to "set key" as they are. */
static const char *const keywords[] = {
	"left", "right", "center", "top", "bottom", "inside", "outside",
	"above", "below", "box", "opaque", "horizontal", "vertical", NULL
};

enum {
	OPT_X, OPT_Y, OPT_BY, OPT_WITH, OPT_ERR, OPT_BINS, OPT_DENSITY,
	OPT_LOGX, OPT_LOGY, OPT_XRANGE, OPT_YRANGE, OPT_TITLE, OPT_XLABEL,
	OPT_YLABEL, OPT_LEGEND, OPT_SQUARE, OPT_SIZE, OPT_EQUATION, OPT_SET,
	OPT_SCRIPT, OPT_STREAM, OPT_FORMAT, OPT_Y2, OPT_Y2LABEL, OPT_Y2RANGE,
	OPT_TIMEFMT, OPT_XLEN, NOPTS
};

static const mc_cli_opt options[NOPTS] = {
	[OPT_X] = { NULL, 'x', MC_CLI_VALUE, 0 },
	[OPT_Y] = { NULL, 'y', MC_CLI_VALUE, 0 },
	[OPT_BY] = { "by", 0, MC_CLI_VALUE, 0 },
	[OPT_WITH] = { "with", 0, MC_CLI_VALUE, 0 },
	[OPT_ERR] = { "err", 0, MC_CLI_VALUE, 0 },
	[OPT_BINS] = { "bins", 0, MC_CLI_VALUE, 0 },
	[OPT_DENSITY] = { "density", 0, MC_CLI_FLAG, 0 },
	[OPT_LOGX] = { "logx", 0, MC_CLI_FLAG, 0 },
	[OPT_LOGY] = { "logy", 0, MC_CLI_FLAG, 0 },
	[OPT_XRANGE] = { "xrange", 0, MC_CLI_VALUE, 0 },
	[OPT_YRANGE] = { "yrange", 0, MC_CLI_VALUE, 0 },
	[OPT_TITLE] = { "title", 0, MC_CLI_VALUE, 0 },
	[OPT_XLABEL] = { "xlabel", 0, MC_CLI_VALUE, 0 },
	[OPT_YLABEL] = { "ylabel", 0, MC_CLI_VALUE, 0 },
	[OPT_LEGEND] = { "legend", 0, MC_CLI_OPTVALUE, 0 },
	[OPT_SQUARE] = { "square", 0, MC_CLI_FLAG, 0 },
	[OPT_SIZE] = { "size", 0, MC_CLI_VALUE, 0 },
	/* Lists by nature: each adds a curve or a setting. */
	[OPT_EQUATION] = { "equation", 0, MC_CLI_VALUE, 1 },
	[OPT_SET] = { "set", 0, MC_CLI_VALUE, 1 },
	[OPT_SCRIPT] = { "script", 0, MC_CLI_FLAG, 0 },
	[OPT_STREAM] = { "stream", 0, MC_CLI_FLAG, 0 },
	[OPT_FORMAT] = { NULL, 'T', MC_CLI_VALUE, 0 },
	[OPT_Y2] = { "y2", 0, MC_CLI_VALUE, 0 },
	[OPT_Y2LABEL] = { "y2label", 0, MC_CLI_VALUE, 0 },
	[OPT_Y2RANGE] = { "y2range", 0, MC_CLI_VALUE, 0 },
	[OPT_TIMEFMT] = { "timefmt", 0, MC_CLI_VALUE, 0 },
	[OPT_XLEN] = { "xlen", 0, MC_CLI_VALUE, 0 },
};

/* -o is mc_cli's (c.out), which points stdout at the file or at its
 * temporary file. */
struct opts {
	mc_cli c;		/* the shared options */
	const char *x, *by, *title, *xlabel, *ylabel, *y2label, *legend, *in;
	const char *timefmt;	/* --timefmt: x is a time read with it */
	char *ybuf, **y;	/* -y, then --y2 (check appends them) */
	size_t ny, ny1;		/* all series' columns; those of -y */
	char *y2buf, **y2;	/* --y2 split at commas */
	size_t ny2;
	char *errbuf, *lo, *hi;	/* --err LO,HI */
	char **lohi;
	enum style with;	/* the first --with style */
	char *withbuf;
	enum style *wl;		/* --with: one style, or one per column */
	size_t nwl;
	enum term term;
	int tset;		/* -T given */
	int logx, logy, square, script, stream, density, sized;
	const char *xrange;	/* parsed in check, once --timefmt is known */
	double range[6];	/* xlo, xhi, ylo, yhi, y2lo, y2hi */
	int rset[6];
	double xlen;		/* --xlen: the window of --stream, or 0 */
	long w, h;
	long bins;
	const char **eq, **set;
	size_t neq, nset;
};

/* The rows read, grouped by the --by column. */
struct data {
	const char *name;	/* the input's name, for messages */
	size_t width;		/* doubles per row: x, the y's, then lo, hi */
	size_t nrows, cap;
	double *v;
	size_t *grp;		/* each row's group */
	char **gname;		/* groups in order of first appearance */
	size_t ngrp, gcap;
	size_t *hash, hcap;	/* open addressing: group index + 1, or 0 */
};

static const char usage[] =
    "usage: plotxy -x COL [-y COL[,COL...]] [--y2 COL[,COL...]] [--by COL]\n"
    "              [--with STYLE[,STYLE...]] [--err LO,HI] [--bins N] "
    "[--density]\n"
    "              [--logx] [--logy] [--xrange LO:HI] [--yrange LO:HI]\n"
    "              [--y2range LO:HI] [--timefmt FMT] [--title TEXT] "
    "[--xlabel TEXT]\n"
    "              [--ylabel TEXT] [--y2label TEXT] [--legend[=WHERE]] "
    "[--square]\n"
    "              [--size WxH] [-o FILE] [-T FORMAT] [--equation EXPR] "
    "[--set CMD]\n"
    "              [--script | --stream [--xlen N]] [-t CHAR] [FILE]\n"
    "STYLE: points lines linespoints errorbars hist boxes (one, or one per "
    "column)\n"
    "FORMAT: png svg pdf txt; FMT: as strptime(3), such as %Y-%m-%d, or %s "
    "(seconds)\n";

static int
pick(const char *const *words, const char *s)
{
	int i;

	for (i = 0; words[i] != NULL; i++)
		if (strcmp(words[i], s) == 0)
			return i;
	return -1;
}

/* Splits s in place at commas into a new array of n names. */
static int
split(char *s, char ***out, size_t *n, mc_err *err)
{
	char *p, q[64];
	size_t i;

	/* Quoted now: the loop below cuts s at its commas. */
	mc_err_quote(q, sizeof(q), s);
	*n = 1;
	for (p = s; *p != '\0'; p++)
		*n += *p == ',';
	if ((*out = calloc(*n, sizeof(char *))) == NULL)
		return mc_err_set(err, EX_OSERR, "out of memory");
	for (i = 0, p = s; i < *n; i++) {
		(*out)[i] = p;
		p += strcspn(p, ",");
		if (*p == ',')
			*p++ = '\0';
		if (*(*out)[i] == '\0')
			return mc_err_set(err, EX_USAGE, "expected column "
			    "names separated by commas, got %s", q);
	}
	return 0;
}

/* Reads one end of a range: a finite number, or a time as tfmt says. */
static int
range_end(const char *s, const char *tfmt, double *v)
{
	if (tfmt != NULL)
		return mc_time_parse(tfmt, s, v);
	return mc_parse_double(s, v) != NULL || !isfinite(*v) ? -1 : 0;
}

/*
 * --xrange LO:HI, either end may be empty (left to gnuplot).  With tfmt
 * the ends are times, which may hold colons themselves: the first colon
 * at which both sides read is the one that parts them.
 */
static int
parse_range(const char *arg, const char *tfmt, double *r, int *set,
    mc_err *err)
{
	const char *colon;
	char buf[256], q[64];
	size_t n;

	for (colon = strchr(arg, ':'); colon; colon = strchr(colon + 1, ':')) {
		if ((n = (size_t)(colon - arg)) >= sizeof(buf))
			break;
		memcpy(buf, arg, n);
		buf[n] = '\0';
		set[0] = n > 0;
		set[1] = colon[1] != '\0';
		if ((set[0] && range_end(buf, tfmt, &r[0])) ||
		    (set[1] && range_end(colon + 1, tfmt, &r[1])))
			continue;
		if (set[0] && set[1] && !(r[0] < r[1]))
			break;
		return 0;
	}
	if (tfmt != NULL)
		return mc_err_set(err, EX_USAGE, "expected LO:HI with LO < HI, "
		    "times as --timefmt says (either may be empty), got %s",
		    mc_err_quote(q, sizeof(q), arg));
	return mc_err_set(err, EX_USAGE, "expected LO:HI with LO < HI (either "
	    "may be empty), got %s", mc_err_quote(q, sizeof(q), arg));
}

static int
parse_size(const char *arg, long *w, long *h, mc_err *err)
{
	const char *hs;
	char *end, q[64];

	errno = 0;
	*w = strtol(arg, &end, 10);
	if (end == arg || (*end != 'x' && *end != 'X') || errno)
		goto bad;
	hs = end + 1;
	*h = strtol(hs, &end, 10);
	if (end == hs || *end != '\0' || errno)
		goto bad;
	if (*w < 10 || *w > 10000 || *h < 10 || *h > 10000)
		return mc_err_set(err, EX_USAGE, "expected a size from "
		    "10x10 to 10000x10000, got %s",
		    mc_err_quote(q, sizeof(q), arg));
	return 0;
bad:
	return mc_err_set(err, EX_USAGE, "expected WIDTHxHEIGHT, got "
	    "%s", mc_err_quote(q, sizeof(q), arg));
}

/* The text plot's size: the terminal's, or 79x24. */
static void
text_size(const struct opts *o, long *w, long *h)
{
	const char *c = getenv("COLUMNS"), *l = getenv("LINES");
	struct winsize ws;

	*w = 79;
	*h = 24;
	if (c && l && atol(c) >= 10 && atol(l) >= 11) {
		*w = atol(c);
		*h = atol(l) - 1;
	} else if (o->c.out == NULL && isatty(1) &&
	    ioctl(1, TIOCGWINSZ, &ws) == 0 && ws.ws_col >= 10 &&
	    ws.ws_row >= 11) {
		*w = ws.ws_col;
		*h = ws.ws_row - 1;
	}
	if (*w > 10000)
		*w = 10000;
	if (*h > 10000)
		*h = 10000;
}

static void
free_data(struct data *d)
{
	size_t i;

	/* Without --by there is one group and no names. */
	for (i = 0; d->gname != NULL && i < d->ngrp; i++)
		free(d->gname[i]);
	free(d->gname);
	free(d->v);
	free(d->grp);
	free(d->hash);
	memset(d, 0, sizeof(*d));
}

static size_t
hash_str(const char *s)
{
	size_t h = 14695981039346656037u;

	while (*s != '\0')
		h = (h ^ (unsigned char)*s++) * 1099511628211u;
	return h;
}

/* Returns the group of value s, adding it if new, or -1 when out of
 * memory. */
static long
group_of(struct data *d, const char *s)
{
	size_t i, h;

	if (2 * (d->ngrp + 1) > d->hcap) {
		size_t cap = d->hcap ? 2 * d->hcap : 64, *t;
		if ((t = calloc(cap, sizeof(size_t))) == NULL)
			return -1;
		for (i = 0; i < d->ngrp; i++) {
			h = hash_str(d->gname[i]) & (cap - 1);
			while (t[h] != 0)
				h = (h + 1) & (cap - 1);
			t[h] = i + 1;
		}
		free(d->hash);
		d->hash = t;
		d->hcap = cap;
	}
	for (h = hash_str(s) & (d->hcap - 1); d->hash[h] != 0;
	    h = (h + 1) & (d->hcap - 1))
		if (strcmp(d->gname[d->hash[h] - 1], s) == 0)
			return (long)d->hash[h] - 1;
	if (d->ngrp == d->gcap) {
		size_t cap = d->gcap ? 2 * d->gcap : 16;
		char **g = realloc(d->gname, cap * sizeof(char *));
		if (g == NULL)
			return -1;
		d->gname = g;
		d->gcap = cap;
	}
	if ((d->gname[d->ngrp] = strdup(s)) == NULL)
		return -1;
	d->hash[h] = ++d->ngrp;
	return (long)d->ngrp - 1;
}

/* Reads field col of the current row as a time in format fmt. */
static int
read_time(const mc_csv_reader *r, size_t col, const char *fmt, double *t,
    mc_err *err)
{
	char q[64], c[64], f[64];

	if (mc_time_parse(fmt, mc_csv_field(r, col), t) == 0)
		return 0;
	return mc_err_set(err, EX_DATAERR, "%s:%lu: column '%s': expected a "
	    "time as %s, got %s", mc_csv_name(r), mc_csv_line(r),
	    mc_err_name(c, sizeof(c), mc_csv_colname(r, col)),
	    mc_err_quote(f, sizeof(f), fmt),
	    mc_err_quote(q, sizeof(q), mc_csv_field(r, col)));
}

/*
 * Reads every row of fp after d's rows (d zeroed, or from read_rows
 * before).  Returns 0, or a status with err set: an unknown column or a
 * field that is not a number.
 */
static int
read_rows(FILE *fp, const char *name, const struct opts *o, struct data *d,
    mc_err *err)
{
	mc_csv_reader *r;
	size_t *col = NULL, k, bycol = 0;
	long g;
	int rc = 0;

	d->name = name;
	if ((r = mc_csv_open_sep(fp, name, o->c.sep, err)) == NULL)
		return err->status;
	d->width = 1 + o->ny + (o->lo ? 2 : 0);
	if ((col = calloc(d->width, sizeof(size_t))) == NULL) {
		rc = mc_err_set(err, EX_OSERR, "out of memory");
		goto out;
	}
	if ((rc = mc_csv_require(r, o->x, &col[0], err)) != 0)
		goto out;
	for (k = 0; k < o->ny; k++)
		if ((rc = mc_csv_require(r, o->y[k], &col[1 + k], err)) != 0)
			goto out;
	if (o->lo && ((rc = mc_csv_require(r, o->lo, &col[1 + o->ny],
	    err)) != 0 || (rc = mc_csv_require(r, o->hi, &col[2 + o->ny],
	    err)) != 0))
		goto out;
	if (o->by && (rc = mc_csv_require(r, o->by, &bycol, err)) != 0)
		goto out;
	while ((rc = mc_csv_next(r, err)) == 1) {
		double *row;

		if (d->nrows == d->cap) {
			size_t cap = d->cap ? 2 * d->cap : 1024;
			double *v = realloc(d->v, cap * d->width *
			    sizeof(double));
			size_t *gr = v ? realloc(d->grp, cap *
			    sizeof(size_t)) : NULL;
			if (v)
				d->v = v;
			if (gr == NULL) {
				rc = mc_err_set(err, EX_OSERR, "out of memory");
				goto out;
			}
			d->grp = gr;
			d->cap = cap;
		}
		/* An empty field is a missing value: NaN, which gnuplot
		 * leaves out, breaking a line there. */
		row = d->v + d->nrows * d->width;
		rc = 0;
		for (k = 0; k < d->width && rc == 0; k++)
			if (mc_csv_fieldlen(r, col[k]) == 0)
				row[k] = NAN;
			else if (k == 0 && o->timefmt)
				rc = read_time(r, col[0], o->timefmt, row, err);
			else
				rc = mc_csv_number(r, col[k], &row[k], err);
		if (rc != 0)
			goto out;
		g = o->by ? group_of(d, mc_csv_field(r, bycol)) : 0;
		if (g < 0) {
			rc = mc_err_set(err, EX_OSERR, "out of memory");
			goto out;
		}
		d->grp[d->nrows++] = (size_t)g;
	}
	if (rc < 0) {
		rc = err->status;
		goto out;
	}
	rc = 0;
	if (!o->by)
		d->ngrp = 1;
out:
	free(col);
	mc_csv_free(r);
	return rc;
}

/* Reads every row of fp into d, and there must be one. */
static int
read_data(FILE *fp, const char *name, const struct opts *o, struct data *d,
    mc_err *err)
{
	int rc;

	memset(d, 0, sizeof(*d));
	if ((rc = read_rows(fp, name, o, d, err)) == 0 && d->nrows == 0)
		rc = mc_err_set(err, EX_DATAERR, "%s: no data rows to plot",
		    name);
	return rc;
}

static void
put_double(FILE *fp, double x)
{
	char buf[MC_FMT_DBL];

	mc_fmt_double(buf, x);
	fputs(buf, fp);
}

/* The bins of --with hist: over --xrange, or the finite values' range. */
static void
hist_range(const struct opts *o, const struct data *d, mc_hist *h)
{
	double min = INFINITY, max = -INFINITY, x;
	size_t i;

	for (i = 0; i < d->nrows; i++) {
		x = d->v[i * d->width];
		if (isfinite(x)) {
			min = x < min ? x : min;
			max = x > max ? x : max;
		}
	}
	if (o->rset[0])
		min = o->range[0];
	if (o->rset[1])
		max = o->range[1];
	if (!(min < max)) {
		/* One value, or none: a bin of width one around it. */
		if (isfinite(min))
			mc_hist_around(min, &min, &max);
		else {
			min = 0;
			max = 1;
		}
	}
	mc_hist_init(h, min, max, (uint64_t)o->bins);
}

/*
 * Writes the $data datablock: each group's rows in input order, the groups
 * separated by two blank lines so that "index G" picks one.  For --with
 * hist the rows are bin centres and counts (or densities).
 */
static int
write_data(FILE *fp, const struct opts *o, const struct data *d, double *bw,
    mc_err *err)
{
	size_t i, k, g, b, *next = NULL, *first = NULL;
	double *cnt = NULL, *tot = NULL;
	int64_t bin;
	mc_hist h;
	int rc = 0;

	if ((next = malloc((d->nrows + 1) * sizeof(size_t))) == NULL ||
	    (first = malloc(d->ngrp * sizeof(size_t))) == NULL ||
	    (o->with == HIST &&
	    ((cnt = calloc(d->ngrp * (size_t)o->bins, sizeof(double))) == NULL ||
	    (tot = calloc(d->ngrp, sizeof(double))) == NULL))) {
		free(next);
		free(first);
		free(cnt);
		free(tot);
		return mc_err_set(err, EX_OSERR, "out of memory");
	}
	/* Chains the rows of each group in input order, built backwards. */
	for (g = 0; g < d->ngrp; g++)
		first[g] = d->nrows;
	for (i = d->nrows; i-- > 0;) {
		next[i] = first[d->grp[i]];
		first[d->grp[i]] = i;
	}
	if (o->with == HIST) {
		hist_range(o, d, &h);
		*bw = mc_hist_width(&h);
		for (i = 0; i < d->nrows; i++) {
			double x = d->v[i * d->width];
			if (!isfinite(x))
				continue;
			tot[d->grp[i]]++;
			if ((bin = mc_hist_bin(&h, x)) >= 0)
				cnt[d->grp[i] * (size_t)o->bins + (size_t)bin]++;
		}
		/* Bins narrower than about 1e-308 can have densities past
		 * the double range: no figure then, rather than a wrong one. */
		for (i = 0; o->density && i < d->ngrp * (size_t)o->bins; i++)
			if (isinf(mc_hist_density(&h, cnt[i], tot[i / o->bins])))
				rc = mc_err_set(err, EX_DATAERR, "%s: bins of "
				    "width %g have densities beyond the double "
				    "range", d->name, mc_hist_width(&h));
	}
	if (rc != 0)
		goto out;
	fputs("$data << EOD\n", fp);
	for (g = 0; g < d->ngrp; g++) {
		if (g > 0)
			fputs("\n\n", fp);
		if (o->with == HIST) {
			for (b = 0; b < (size_t)o->bins; b++) {
				double c = cnt[g * (size_t)o->bins + b];
				put_double(fp, mc_hist_mid(&h, b));
				putc(' ', fp);
				put_double(fp, o->density ?
				    mc_hist_density(&h, c, tot[g]) : c);
				putc('\n', fp);
			}
			continue;
		}
		for (i = first[g]; i < d->nrows; i = next[i]) {
			for (k = 0; k < d->width; k++) {
				if (k > 0)
					putc(' ', fp);
				put_double(fp, d->v[i * d->width + k]);
			}
			putc('\n', fp);
		}
	}
	fputs("EOD\n", fp);
out:
	free(next);
	free(first);
	free(cnt);
	free(tot);
	return rc;
}

/* The terminal line: the format of -T at w x h. */
static void
write_terminal(FILE *fp, const struct opts *o, long w, long h)
{
	switch (o->term) {
	case PNG:
		fprintf(fp, "set terminal pngcairo size %ld,%ld noenhanced "
		    "font 'Sans,12'\n", w, h);
		break;
	case SVG:
		fprintf(fp, "set terminal svg size %ld,%ld noenhanced "
		    "font 'Sans,12' background '#ffffff'\n", w, h);
		break;
	case PDF:
		fprintf(fp, "set terminal pdfcairo size %.2fin,%.2fin "
		    "noenhanced font 'Sans,10'\n", w / 100.0, h / 100.0);
		break;
	case TXT:
		fprintf(fp, "set terminal dumb size %ld,%ld noenhanced "
		    "nofeed\n", w, h);
		break;
	}
}

/* The title and the axis labels, every text quoted. */
static void
write_labels(FILE *fp, const struct opts *o)
{
	const char *ylabel = o->ylabel;

	if (o->title && *o->title) {
		fputs("set title ", fp);
		mc_gp_quote(fp, o->title);
		fputs(" noenhanced\n", fp);
	}
	fputs("set xlabel ", fp);
	mc_gp_quote(fp, o->xlabel ? o->xlabel : o->x);
	fputs(" noenhanced\n", fp);
	if (ylabel == NULL)
		ylabel = o->with == HIST ? (o->density ? "density" :
		    "count") : o->ny1 == 1 ? o->y[0] : "";
	fputs("set ylabel ", fp);
	mc_gp_quote(fp, ylabel);
	fputs(" noenhanced\n", fp);
	if (o->ny2 == 0)
		return;
	fputs("set y2label ", fp);
	mc_gp_quote(fp, o->y2label ? o->y2label : o->ny2 == 1 ?
	    o->y[o->ny1] : "");
	/* The dumb terminal puts it over the tick labels otherwise. */
	fputs(o->term == TXT ? " offset 3,0 noenhanced\n" : " noenhanced\n",
	    fp);
}

/* The legend (gnuplot's key) for nseries series. */
static void
write_key(FILE *fp, const struct opts *o, size_t nseries)
{
	char *words, *p;

	/* Beyond eight series the default colours repeat, and a legend
	 * would name two series alike. */
	if (o->legend == NULL ? nseries < 2 || nseries > 8 :
	    strcmp(o->legend, "off") == 0) {
		fputs("set key off\n", fp);
		return;
	}
	fputs("set key noenhanced", fp);
	if (o->term != TXT)
		fputs(" opaque", fp);
	if (o->square && (o->legend == NULL || strcmp(o->legend, "on") == 0))
		/* A square plot leaves room at the side. */
		fputs(" outside right top", fp);
	else if (o->legend != NULL && strcmp(o->legend, "on") != 0) {
		/* Only whitelisted words get here (main checks). */
		words = strdup(o->legend);
		for (p = strtok(words, " ,"); p; p = strtok(NULL, " ,"))
			fprintf(fp, " %s", keywords[pick(keywords, p)]);
		free(words);
	}
	putc('\n', fp);
}

/* The ranges of --xrange, --yrange and --y2range, '*' for an end not
 * given. */
static void
write_ranges(FILE *fp, const struct opts *o)
{
	static const char *const axis[] = { "x", "y", "y2" };
	size_t i;

	for (i = 0; i < 3; i++) {
		if (!o->rset[2 * i] && !o->rset[2 * i + 1])
			continue;
		fprintf(fp, "set %srange [", axis[i]);
		if (o->rset[2 * i])
			put_double(fp, o->range[2 * i]);
		else
			putc('*', fp);
		putc(':', fp);
		if (o->rset[2 * i + 1])
			put_double(fp, o->range[2 * i + 1]);
		else
			putc('*', fp);
		fputs("]\n", fp);
	}
}

/* The style of series j (a column of -y or --y2). */
static enum style
style_of(const struct opts *o, size_t j)
{
	return o->nwl > 1 ? o->wl[j] : o->with;
}

/* Whether some series is drawn in style st. */
static int
has_style(const struct opts *o, enum style st)
{
	size_t j;

	for (j = 0; j < o->ny; j++)
		if (style_of(o, j) == st)
			return 1;
	return o->with == st;
}

/* The settings before the data: terminal, labels, key, axes, --set. */
static void
write_prologue(FILE *fp, const struct opts *o, const struct data *d,
    long w, long h)
{
	size_t i, nseries = d->ngrp * (o->with == HIST ? 1 : o->ny) + o->neq;

	fprintf(fp, "# plotxy (mctools) %s: gnuplot script with the data "
	    "inline; it writes the\n# figure to standard output.\n",
	    mc_cli_version());
	write_terminal(fp, o, w, h);
	write_labels(fp, o);
	write_key(fp, o, nseries);
	if (o->term != TXT)
		fputs("set grid\n", fp);
	if (o->logx)
		fputs("set logscale x\n", fp);
	if (o->logy)
		fputs("set logscale y\n", fp);
	if (o->ny2 > 0)
		fputs("set ytics nomirror\nset y2tics\n", fp);
	/* A time axis ends at the data, not at a round number of seconds. */
	if (o->timefmt && !o->rset[0] && !o->rset[1])
		fputs("set autoscale xfix\n", fp);
	write_ranges(fp, o);
	if (o->square)
		fputs("set size square\n", fp);
	/* Counts start at zero, whatever gnuplot's autoscale would do. */
	if (o->with == HIST && !o->logy && !o->rset[2] && !o->rset[3])
		fputs("set yrange [0:*]\n", fp);
	if (o->with == HIST || has_style(o, BOXES))
		fputs("set style fill transparent solid 0.5 border\n", fp);
	if (o->neq > 0)
		fputs("set samples 1000\n", fp);
	if (o->nset > 0)
		fputs("# --set: raw gnuplot from the command line\n", fp);
	for (i = 0; i < o->nset; i++)
		fprintf(fp, "%s\n", o->set[i]);
}

/* A series' legend: the y column, the group, or both. */
static void
put_title(FILE *fp, const struct opts *o, const struct data *d, size_t g,
    size_t j)
{
	const char *col = o->with == HIST ? o->x : o->y[j];
	size_t n = strlen(col) + 2;
	char *t;

	if (o->by)
		n += strlen(o->by) + strlen(d->gname[g]);
	if ((t = malloc(n + 1)) == NULL) {
		fputs(" notitle", fp);
		return;
	}
	if (!o->by)
		snprintf(t, n + 1, "%s", col);
	else if (o->with == HIST || o->ny == 1)
		snprintf(t, n + 1, "%s=%s", o->by, d->gname[g]);
	else
		snprintf(t, n + 1, "%s=%s %s", o->by, d->gname[g], col);
	fputs(" title ", fp);
	mc_gp_quote(fp, t);
	fputs(" noenhanced", fp);
	free(t);
}

/* How one series is drawn: style st in colour s. */
static void
put_style(FILE *fp, const struct opts *o, enum style st, size_t s)
{
	int graphic = o->term != TXT;

	switch (st) {
	case POINTS:
		fprintf(fp, " with points lc %zu", s);
		if (graphic)
			fputs(" pt 7 ps 0.5", fp);
		break;
	case LINES:
		fprintf(fp, " with lines lc %zu lw 1.5", s);
		break;
	case LINESPOINTS:
		fprintf(fp, " with linespoints lc %zu lw 1.5", s);
		if (graphic)
			fputs(" pt 7 ps 0.6", fp);
		break;
	case ERRORBARS:
		fprintf(fp, ":%zu:%zu with yerrorbars lc %zu", o->ny + 2,
		    o->ny + 3, s);
		if (graphic)
			fputs(" pt 7 ps 0.6", fp);
		break;
	case HIST:
	case BOXES:
		fprintf(fp, " with boxes lc %zu", s);
		break;
	}
}

/* The finite x values' range in d, or 0 when there is none. */
static int
x_extent(const struct data *d, double *lo, double *hi)
{
	size_t i;
	double x;

	*lo = INFINITY;
	*hi = -INFINITY;
	for (i = 0; i < d->nrows; i++)
		if (isfinite(x = d->v[i * d->width])) {
			*lo = x < *lo ? x : *lo;
			*hi = x > *hi ? x : *hi;
		}
	return *lo <= *hi;
}

/*
 * The x axis of this frame: the window of --xlen, and for --timefmt round
 * times as ticks, few enough for labels of about 12 characters (or 110
 * pixels) to fit in width w, labelled as the step needs.
 */
static void
write_xaxis(FILE *fp, const struct opts *o, const struct data *d, long w)
{
	double lo, hi, t[MC_TIME_MAXTICKS];
	const char *fmt;
	size_t i, n, max = o->term == TXT ? (size_t)(w > 36 ? (w - 10) / 13 :
	    2) : (size_t)(w > 220 ? w / 110 : 2);

	if (!x_extent(d, &lo, &hi))
		return;
	if (o->xlen > 0) {
		lo = hi - o->xlen;
		fputs("set xrange [", fp);
		put_double(fp, lo);
		putc(':', fp);
		put_double(fp, hi);
		fputs("]\n", fp);
	}
	if (o->timefmt == NULL)
		return;
	lo = o->rset[0] ? o->range[0] : lo;
	hi = o->rset[1] ? o->range[1] : hi;
	if ((n = mc_time_ticks(lo, hi, max, t, &fmt)) == 0) {
		fputs("set xtics autofreq\n", fp);
		return;
	}
	fprintf(fp, "set format x '%s' timedate\nset xtics (", fmt);
	for (i = 0; i < n; i++) {
		if (i > 0)
			fputs(", ", fp);
		put_double(fp, t[i]);
	}
	fputs(")\n", fp);
}

/* The plot command: error bands first, so that lines lie on top. */
static void
write_plot(FILE *fp, const struct opts *o, const struct data *d, double bw,
    long w)
{
	size_t g, j, ny = o->with == HIST ? 1 : o->ny;
	const char *sep = "plot ";

	write_xaxis(fp, o, d, w);
	if (o->with == HIST) {
		fputs("set boxwidth ", fp);
		put_double(fp, bw);
		fputs(" absolute\n", fp);
	}
	if (o->lo && o->with != ERRORBARS) {
		for (g = 0; g < d->ngrp; g++) {
			fprintf(fp, "%s$data index %zu using 1:%zu:%zu with "
			    "filledcurves lc %zu fs transparent solid 0.25 "
			    "noborder notitle", sep, g, ny + 2, ny + 3, g + 1);
			sep = ", \\\n     ";
		}
	}
	for (g = 0; g < d->ngrp; g++) {
		for (j = 0; j < ny; j++) {
			fprintf(fp, "%s$data index %zu using 1:%zu", sep, g,
			    j + 2);
			sep = ", \\\n     ";
			put_style(fp, o, o->with == HIST ? HIST :
			    style_of(o, j), g * ny + j + 1);
			if (j >= o->ny1 && o->with != HIST)
				fputs(" axes x1y2", fp);
			put_title(fp, o, d, g, j);
		}
	}
	for (j = 0; j < o->neq; j++) {
		fprintf(fp, "%s%s with lines lc %s lw 2 title ", sep, o->eq[j],
		    j == 0 ? "'black'" : "'dark-red'");
		mc_gp_quote(fp, o->eq[j]);
		fputs(" noenhanced", fp);
		sep = ", \\\n     ";
	}
	putc('\n', fp);
}

static int
write_script(FILE *fp, const struct opts *o, const struct data *d, long w,
    long h, mc_err *err)
{
	double bw = 1;
	int rc;

	write_prologue(fp, o, d, w, h);
	if ((rc = write_data(fp, o, d, &bw, err)) != 0)
		return rc;
	write_plot(fp, o, d, bw, w);
	return 0;
}

/* Copies the whole of in to stdout, ending a text plot's last line.
 * Returns 0 or EX_IOERR. */
static int
copy_out(FILE *in, int text, mc_err *err)
{
	char buf[65536], last = '\n';
	size_t n, skip;

	int first = 1;

	rewind(in);
	while ((n = fread(buf, 1, sizeof(buf), in)) > 0) {
		/* gnuplot's dumb terminal starts each page with a form feed,
		 * even with nofeed, and leaves the last line open. */
		skip = first && text && buf[0] == '\f';
		fwrite(buf + skip, 1, n - skip, stdout);
		last = buf[n - 1];
		first = 0;
	}
	if (text && last != '\n')
		putc('\n', stdout);
	if (ferror(in))
		return mc_err_set(err, EX_IOERR, "reading gnuplot's output: %s",
		    strerror(errno));
	return 0;
}

/*
 * Puts where gnuplot's output went in front of a write error from
 * mc_gp_finish.  Returns the status.
 */
static int
name_output(mc_err *err, const char *where)
{
	if (err->status == EX_IOERR &&
	    strncmp(err->msg, "write error", 11) == 0)
		mc_err_prefix(err, where);
	return err->status;
}

/*
 * Runs gnuplot on the script for d.  With -o (a file name), standard
 * output is already that file's temporary file, or the device or FIFO
 * itself (mc_cli put it there, and renames it into place once the run has
 * succeeded), so gnuplot writes to it and a failed write names the file.
 * Otherwise gnuplot writes into an unnamed temporary file in $TMPDIR,
 * copied to stdout once gnuplot has succeeded and all its output was
 * written, as is a text plot, whose first form feed is dropped.
 */
static int
plot_once(const struct opts *o, const struct data *d, long w, long h,
    mc_err *err)
{
	FILE *tmp = NULL;
	struct stat st;
	mc_gp g;
	int rc, fd, direct = o->c.out != NULL && strcmp(o->c.out, "-") != 0 &&
	    o->term != TXT;
	const char *dir = getenv("TMPDIR");
	char where[MC_ERR_MSG];

	if (direct) {
		if (fflush(stdout) != 0)
			return mc_err_set(err, EX_IOERR, "%s: write error: %s",
			    o->c.out, strerror(errno));
		fd = STDOUT_FILENO;
		snprintf(where, sizeof(where), "%s", o->c.out);
	} else {
		if ((tmp = mc_io_tmpfile(dir, err)) == NULL)
			return err->status;
		fd = fileno(tmp);
		snprintf(where, sizeof(where), "temporary file in %s",
		    dir && *dir ? dir : "/tmp");
	}
	if ((rc = mc_gp_start(&g, fd, getenv("PATH"), err)) != 0)
		goto out;
	rc = write_script(g.fp, o, d, w, h, err);
	if (rc != 0) {
		mc_gp_finish(&g, NULL);
		goto out;
	}
	if ((rc = mc_gp_finish(&g, err)) != 0) {
		rc = name_output(err, where);
		goto out;
	}
	/* A device or FIFO written directly has no size to check. */
	if (fstat(fd, &st) != 0 || (S_ISREG(st.st_mode) && st.st_size == 0)) {
		rc = mc_err_set(err, EX_SOFTWARE, "gnuplot wrote nothing");
		goto out;
	}
	if (!direct)
		rc = copy_out(tmp, o->term == TXT, err);
out:
	if (tmp)
		fclose(tmp);
	return rc;
}

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* The most bytes of complete rows that --stream holds unread. */
#define FEED_BYTES (1 << 20)

/* What --stream keeps between frames. */
struct feed {
	const char *name;	/* the input's, for messages */
	char *buf;		/* the header's bytes, then rows not yet read */
	size_t len, cap;
	size_t hlen;		/* the header's bytes, once they are whole */
	size_t scanned, complete;	/* scan_rows over buf */
	int inq;
	unsigned long lines;	/* newlines in the rows read and let go */
	size_t seen;		/* rows read in all */
	struct data d;		/* the rows kept */
	int started;		/* the prologue is written */
	long w, h;
};

/*
 * Returns the end of the header row in buf[0, len): the first newline
 * outside quotes after something other than a line end, or 0.
 */
static size_t
header_end(const char *buf, size_t len)
{
	size_t i;
	int inq = 0, any = 0;

	for (i = 0; i < len; i++)
		if (buf[i] == '"')
			inq = !inq;
		else if (buf[i] == '\n' && !inq && any)
			return i + 1;
		else if (buf[i] != '\n' && buf[i] != '\r')
			any = 1;
	return 0;
}

/*
 * Adds off to the line number in a reader's message ("NAME:LINE: ..."):
 * each --stream chunk is read as the header and its own rows.
 */
static void
shift_line(mc_err *err, const char *name, unsigned long off)
{
	size_t n = strlen(name);
	char *end, rest[MC_ERR_MSG];
	unsigned long line;

	if (off == 0 || strncmp(err->msg, name, n) != 0 ||
	    err->msg[n] != ':' || err->msg[n + 1] < '0' ||
	    err->msg[n + 1] > '9')
		return;
	line = strtoul(err->msg + n + 1, &end, 10);
	if (*end != ':')
		return;
	snprintf(rest, sizeof(rest), "%s", end);
	snprintf(err->msg + n + 1, sizeof(err->msg) - n - 1, "%lu%s",
	    line + off, rest);
}

/*
 * Drops the groups of --by that no longer have rows, so that a window of
 * --xlen neither draws nor names them.  Returns 0, or -1 when out of
 * memory.
 */
static int
drop_groups(struct data *d)
{
	size_t i, k = 0, *map;

	if (d->gname == NULL)
		return 0;
	if ((map = calloc(d->ngrp, sizeof(size_t))) == NULL)
		return -1;
	for (i = 0; i < d->nrows; i++)
		map[d->grp[i]] = 1;
	for (i = 0; i < d->ngrp; i++)
		if (map[i]) {
			d->gname[k] = d->gname[i];
			map[i] = k++;
		} else
			free(d->gname[i]);
	for (i = 0; i < d->nrows; i++)
		d->grp[i] = map[d->grp[i]];
	free(map);
	if (k < d->ngrp) {
		/* group_of builds the table again from the names. */
		free(d->hash);
		d->hash = NULL;
		d->hcap = 0;
		d->ngrp = k;
	}
	return 0;
}

/*
 * --xlen: keeps the rows whose x is within xlen of the largest x, and the
 * missing x inside that window (gaps), dropping the rest, so that memory
 * holds the window and not the whole input.
 */
static int
keep_window(struct data *d, double xlen)
{
	double lo, hi, x;
	size_t i, k = 0;

	if (xlen <= 0)
		return 0;
	lo = x_extent(d, &lo, &hi) ? hi - xlen : INFINITY;
	for (i = 0; i < d->nrows; i++) {
		x = d->v[i * d->width];
		if (x >= lo || (isnan(x) && k > 0)) {
			memmove(d->v + k * d->width, d->v + i * d->width,
			    d->width * sizeof(double));
			d->grp[k++] = d->grp[i];
		}
	}
	d->nrows = k;
	return drop_groups(d);
}

/*
 * Reads the complete rows of f->buf, up to byte upto, after the rows
 * kept, and lets their bytes go.  Returns 0 or a status.
 */
static int
feed_rows(struct feed *f, const struct opts *o, size_t upto, mc_err *err)
{
	size_t before = f->d.nrows, n, i;
	FILE *mem;
	int rc;

	if ((mem = fmemopen(f->buf, upto, "r")) == NULL)
		return mc_err_set(err, EX_OSERR, "fmemopen: %s",
		    strerror(errno));
	rc = read_rows(mem, f->name, o, &f->d, err);
	fclose(mem);
	if (rc != 0) {
		shift_line(err, f->name, f->lines);
		return rc;
	}
	f->seen += f->d.nrows - before;
	for (i = f->hlen; i < upto; i++)
		f->lines += f->buf[i] == '\n';
	n = upto - f->hlen;
	memmove(f->buf + f->hlen, f->buf + upto, f->len - upto);
	f->len -= n;
	f->scanned -= n;
	f->complete = f->complete > upto ? f->complete - n : f->hlen;
	if (keep_window(&f->d, o->xlen) != 0)
		return mc_err_set(err, EX_OSERR, "out of memory");
	return 0;
}

/*
 * Reads the rows that came since the last frame and sends a frame of the
 * rows kept to the running gnuplot.  At the end (final), the rest of the
 * input is read too, and an input without rows is an error.
 */
static int
stream_frame(mc_gp *g, const struct opts *o, struct feed *f, int final,
    mc_err *err)
{
	size_t upto = final ? f->len : f->complete;
	double bw = 1;
	int rc;

	if (f->len == 0 && final)
		return mc_err_set(err, EX_DATAERR, "%s: empty input, expected "
		    "a header row", f->name);
	if (f->hlen == 0 && (f->hlen = header_end(f->buf, upto)) == 0) {
		if (!final)
			return 0;
		f->hlen = upto;
	}
	if ((rc = feed_rows(f, o, upto, err)) != 0)
		return rc;
	if (final && f->seen == 0)
		return mc_err_set(err, EX_DATAERR, "%s: no data rows to plot",
		    f->name);
	if (f->d.nrows == 0)
		return 0;
	if (!f->started) {
		write_prologue(g->fp, o, &f->d, f->w, f->h);
		fputs("set print '-'\n", g->fp);
		f->started = 1;
	}
	if (isatty(1))
		fputs("print \"\\033[H\\033[2J\"\n", g->fp);
	rc = write_data(g->fp, o, &f->d, &bw, err);
	if (rc == 0)
		write_plot(g->fp, o, &f->d, bw, f->w);
	fflush(g->fp);
	return rc;
}

/*
 * Moves *complete past every row ended in buf[*scanned, len): a row ends
 * at a newline outside quotes.  Returns 1 when reading must end, at a NUL
 * or a row past the reader's limit: the last frame then parses what came
 * and reports it with its line, and the buffer stops growing.
 */
static int
scan_rows(const char *buf, size_t len, size_t *scanned, int *inq,
    size_t *complete)
{
	size_t i;

	for (i = *scanned; i < len; i++) {
		if (buf[i] == '"')
			*inq = !*inq;
		else if (buf[i] == '\n' && !*inq)
			*complete = i + 1;
		else if (buf[i] == '\0')
			break;
	}
	*scanned = i;
	return i < len || len - *complete > MC_CSV_MAX_ROW;
}

/*
 * --stream: reads the input as it comes and redraws the text plot when
 * complete rows have arrived, at most every half second (longer when a
 * frame takes long), and once more at the end.  Rows are read once, as
 * they come; only the rows of --xlen's window are kept.
 */
static int
run_stream(const struct opts *o, mc_err *err)
{
	struct feed f = { 0 };
	double next = 0, t0;
	int fd = 0, rc = 0;
	struct pollfd pfd;
	ssize_t n;
	char *nb;
	mc_gp g;

	f.name = o->in && strcmp(o->in, "-") ? o->in : "stdin";
	if (o->sized) {
		f.w = o->w;
		f.h = o->h;
	} else
		text_size(o, &f.w, &f.h);
	if (o->in && strcmp(o->in, "-") != 0 &&
	    (fd = open(o->in, O_RDONLY)) < 0)
		return mc_err_set(err, EX_NOINPUT, "%s: %s", o->in,
		    strerror(errno));
	fflush(stdout);
	if ((rc = mc_gp_start(&g, 1, getenv("PATH"), err)) != 0)
		goto out;
	pfd.fd = fd;
	pfd.events = POLLIN;
	for (;;) {
		if (f.complete > f.hlen || (f.hlen == 0 && f.complete > 0)) {
			int wait = (int)fmax(0, (next - now()) * 1000);
			if (wait == 0 || poll(&pfd, 1, wait) == 0) {
				t0 = now();
				if ((rc = stream_frame(&g, o, &f, 0, err)) != 0)
					break;
				/* Slow frames are drawn less often. */
				next = now() + fmax(0.5, 4 * (now() - t0));
				continue;
			}
		}
		if (f.len + 65536 > f.cap) {
			f.cap = f.cap ? 2 * f.cap : 1 << 17;
			if ((nb = realloc(f.buf, f.cap)) == NULL) {
				rc = mc_err_set(err, EX_OSERR, "out of memory");
				break;
			}
			f.buf = nb;
		}
		if ((n = read(fd, f.buf + f.len, 65536)) < 0) {
			if (errno == EINTR)
				continue;
			rc = mc_err_set(err, EX_IOERR, "%s: read error: %s",
			    o->in ? o->in : "stdin", strerror(errno));
			break;
		}
		if (n == 0)
			break;
		f.len += (size_t)n;
		if (scan_rows(f.buf, f.len, &f.scanned, &f.inq, &f.complete))
			break;
		/* Rows that come faster than frames are read (and, with
		 * --xlen, let go) between them, so that the buffer stays
		 * small. */
		if (f.hlen > 0 && f.complete - f.hlen > FEED_BYTES &&
		    (rc = feed_rows(&f, o, f.complete, err)) != 0)
			break;
	}
	/* The rest: rows not yet drawn, or a last row without a newline. */
	if (rc == 0 && (f.len > f.hlen || !f.started))
		rc = stream_frame(&g, o, &f, 1, err);
	if (rc == 0)
		rc = mc_gp_finish(&g, err);
	else
		mc_gp_finish(&g, NULL);
	if (g.termsig == SIGPIPE)
		raise(SIGPIPE);
out:
	if (fd > 0)
		close(fd);
	free(f.buf);
	free_data(&f.d);
	return rc;
}

static int
run(void *ctx, mc_err *err)
{
	const struct opts *o = ctx;
	const char *name;
	struct data d;
	FILE *fp;
	long w = o->w, h = o->h;
	int rc;

	if (o->stream)
		return run_stream(o, err);
	if ((fp = mc_io_open_in(o->in ? o->in : "-", &name, err)) == NULL)
		return err->status;
	rc = read_data(fp, name, o, &d, err);
	if (fp != stdin)
		fclose(fp);
	if (rc != 0) {
		free_data(&d);
		return rc;
	}
	if (!o->sized) {
		if (o->term == TXT)
			text_size(o, &w, &h);
		else if (o->term == PDF) {
			w = 640;
			h = 480;
		} else {
			w = 800;
			h = 600;
		}
	}
	if (o->script)
		rc = write_script(stdout, o, &d, w, h, err);
	else
		rc = plot_once(o, &d, w, h, err);
	free_data(&d);
	return rc;
}

/*
 * Picks the terminal from -o's extension, unless -T gave one.  With
 * --script, -o names the script, and the figure is text unless -T says.
 */
static int
out_term(struct opts *o, int tset, mc_err *err)
{
	const char *out = o->c.out, *dot;
	char q[64];
	int t;

	if (out != NULL && (out[0] == '|' || out[0] == '<'))
		return mc_err_set(err, EX_USAGE, "-o: refusing an output name "
		    "that starts with '%c', got %s", out[0],
		    mc_err_quote(q, sizeof(q), out));
	if (out == NULL || strcmp(out, "-") == 0 || o->script) {
		if (!tset)
			o->term = TXT;
		return 0;
	}
	if (tset)
		return 0;
	if ((dot = strrchr(out, '.')) == NULL || strchr(dot, '/') ||
	    (t = pick(terms, dot + 1)) < 0)
		return mc_err_set(err, EX_USAGE, "-o: cannot tell the format "
		    "of %s: name it .png, .svg, .pdf or .txt, or use -T",
		    mc_err_quote(q, sizeof(q), out));
	o->term = (enum term)t;
	return 0;
}

/*
 * The options of the second axis, of time and of the window; puts the
 * --y2 columns after those of -y, and reads --xrange now that --timefmt
 * is known.
 */
static int
check_series(struct opts *o, mc_err *err)
{
	char **y;
	size_t j;

	if (o->ny2 == 0 && (o->y2label || o->rset[4] || o->rset[5]))
		return mc_err_set(err, EX_USAGE, "--%s: needs --y2 columns",
		    o->y2label ? "y2label" : "y2range");
	if (o->timefmt && *o->timefmt == '\0')
		return mc_err_set(err, EX_USAGE, "--timefmt: expected a "
		    "strptime format such as %%Y-%%m-%%d, or %%s, got \"\"");
	if (o->xlen > 0 && !o->stream)
		return mc_err_set(err, EX_USAGE, "--xlen: is the window of "
		    "--stream; add --stream");
	if (o->xlen > 0 && o->xrange)
		return mc_err_set(err, EX_USAGE, "--xlen and --xrange cannot "
		    "go together");
	if (o->xrange && parse_range(o->xrange, o->timefmt, o->range,
	    o->rset, err) != 0)
		return mc_err_prefix(err, "--xrange");
	o->ny1 = o->ny;
	if (o->ny2 > 0) {
		if ((y = realloc(o->y, (o->ny + o->ny2) * sizeof(*y))) == NULL)
			return mc_err_set(err, EX_OSERR, "out of memory");
		o->y = y;
		for (j = 0; j < o->ny2; j++)
			o->y[o->ny++] = o->y2[j];
	}
	if (o->nwl > 1 && o->nwl != o->ny)
		return mc_err_set(err, EX_USAGE, "--with: expected one style, "
		    "or one for each column of -y and --y2 (%zu), got %zu",
		    o->ny, o->nwl);
	return 0;
}

static int
check(void *ctx, int argc, char **argv, mc_err *err)
{
	struct opts *o = ctx;
	char *words, *p, q[64];
	int rc = 0;

	if (argc > 1)
		return mc_err_set(err, EX_USAGE, "expected at most one input "
		    "file, got %d", argc);
	if (argc == 1)
		o->in = argv[0];
	if (o->x == NULL)
		return mc_err_set(err, EX_USAGE, "-x: a column is required");
	if (o->with == HIST && (o->ny > 0 || o->ny2 > 0))
		return mc_err_set(err, EX_USAGE, "--with hist bins the -x "
		    "column; leave out %s", o->ny > 0 ? "-y" : "--y2");
	if (o->with != HIST && o->ny == 0)
		return mc_err_set(err, EX_USAGE, "-y: a column is required "
		    "(or --with hist)");
	if (o->lo && (o->ny != 1 || o->ny2 > 0 || o->with == HIST))
		return mc_err_set(err, EX_USAGE, "--err: needs exactly one -y "
		    "column, no --y2 and a style other than hist");
	if (o->with == ERRORBARS && o->lo == NULL)
		return mc_err_set(err, EX_USAGE, "--with errorbars: needs "
		    "--err LO,HI");
	if (o->script && o->stream)
		return mc_err_set(err, EX_USAGE, "--script and --stream "
		    "cannot go together");
	if ((rc = out_term(o, o->tset, err)) != 0 ||
	    (rc = check_series(o, err)) != 0)
		return rc;
	if (o->stream && o->term != TXT)
		return mc_err_set(err, EX_USAGE, "--stream: draws a text plot "
		    "on stdout; leave out -o and -T");
	if (o->legend && strcmp(o->legend, "on") && strcmp(o->legend, "off")) {
		if ((words = strdup(o->legend)) == NULL)
			return mc_err_set(err, EX_OSERR, "out of memory");
		for (p = strtok(words, " ,"); p && rc == 0;
		    p = strtok(NULL, " ,"))
			if (pick(keywords, p) < 0)
				rc = mc_err_set(err, EX_USAGE, "--legend: "
				    "expected on, off or words such as top, "
				    "left, outside, below, box, got %s",
				    mc_err_quote(q, sizeof(q), o->legend));
		free(words);
	}
	return rc;
}

/* --err LO,HI: two column names. */
static int
set_err(struct opts *o, const char *arg, mc_err *err)
{
	char q[64];
	size_t n;
	int rc;

	if ((o->errbuf = strdup(arg)) == NULL)
		return mc_err_set(err, EX_OSERR, "out of memory");
	if ((rc = split(o->errbuf, &o->lohi, &n, err)) != 0)
		return rc;
	if (n != 2)
		return mc_err_set(err, EX_USAGE, "expected LO,HI (two "
		    "columns), got %s", mc_err_quote(q, sizeof(q), arg));
	o->lo = o->lohi[0];
	o->hi = o->lohi[1];
	return 0;
}

/* --with STYLE, or STYLE,STYLE,... one for each series' column. */
static int
set_with(struct opts *o, const char *arg, mc_err *err)
{
	char **words = NULL, q[64];
	size_t j;
	int k, rc;

	if ((o->withbuf = strdup(arg)) == NULL)
		return mc_err_set(err, EX_OSERR, "out of memory");
	if ((rc = split(o->withbuf, &words, &o->nwl, err)) != 0 ||
	    (o->wl = calloc(o->nwl, sizeof(*o->wl))) == NULL) {
		free(words);
		return rc ? mc_err_set(err, EX_USAGE, "expected styles "
		    "separated by commas, got %s", mc_err_quote(q, sizeof(q),
		    arg)) : mc_err_set(err, EX_OSERR, "out of memory");
	}
	for (j = 0; j < o->nwl && rc == 0; j++)
		if ((k = pick(styles, words[j])) < 0)
			rc = mc_err_set(err, EX_USAGE, "expected points, "
			    "lines, linespoints, errorbars, hist or boxes, "
			    "got %s", mc_err_quote(q, sizeof(q), words[j]));
		else if (o->nwl > 1 && (k == HIST || k == ERRORBARS))
			rc = mc_err_set(err, EX_USAGE, "%s goes alone, not "
			    "in a list, got %s", styles[k],
			    mc_err_quote(q, sizeof(q), arg));
		else
			o->wl[j] = (enum style)k;
	o->with = o->wl[0];
	free(words);
	return rc;
}

/* The options that pick a word or a number. */
static int
set_value(struct opts *o, int id, const char *arg, mc_err *err)
{
	char q[64];
	uint64_t bins;
	int k;

	switch (id) {
	case OPT_WITH:
		return set_with(o, arg, err);
	case OPT_BINS:
		if (mc_parse_count(arg, &bins) || bins < 1 || bins > 100000)
			return mc_err_set(err, EX_USAGE, "expected a "
			    "count from 1 to 100000, got %s",
			    mc_err_quote(q, sizeof(q), arg));
		o->bins = (long)bins;
		return 0;
	case OPT_SIZE:
		o->sized = 1;
		return parse_size(arg, &o->w, &o->h, err);
	case OPT_FORMAT:
		if ((k = pick(terms, arg)) < 0)
			return mc_err_set(err, EX_USAGE, "expected png, "
			    "svg, pdf or txt, got %s",
			    mc_err_quote(q, sizeof(q), arg));
		o->term = (enum term)k;
		o->tset = 1;
		return 0;
	case OPT_YRANGE:
		return parse_range(arg, NULL, o->range + 2, o->rset + 2, err);
	case OPT_Y2RANGE:
		return parse_range(arg, NULL, o->range + 4, o->rset + 4, err);
	case OPT_XLEN:
		if (mc_parse_double(arg, &o->xlen) || !isfinite(o->xlen) ||
		    !(o->xlen > 0))
			return mc_err_set(err, EX_USAGE, "expected a positive "
			    "number of x units (seconds with --timefmt), "
			    "got %s", mc_err_quote(q, sizeof(q), arg));
		return 0;
	}
	return mc_err_set(err, EX_SOFTWARE, "no option %d", id);
}

static int
set(void *ctx, int id, const char *arg, mc_err *err)
{
	struct opts *o = ctx;
	/* Where each option that is a flag or a text goes. */
	int *flag[NOPTS] = {
		[OPT_DENSITY] = &o->density, [OPT_LOGX] = &o->logx,
		[OPT_LOGY] = &o->logy, [OPT_SQUARE] = &o->square,
		[OPT_SCRIPT] = &o->script, [OPT_STREAM] = &o->stream,
	};
	const char **text[NOPTS] = {
		[OPT_X] = &o->x, [OPT_BY] = &o->by, [OPT_TITLE] = &o->title,
		[OPT_XLABEL] = &o->xlabel, [OPT_YLABEL] = &o->ylabel,
		[OPT_Y2LABEL] = &o->y2label, [OPT_TIMEFMT] = &o->timefmt,
		[OPT_XRANGE] = &o->xrange,
	};

	if (flag[id] != NULL)
		*flag[id] = 1;
	else if (text[id] != NULL)
		*text[id] = arg;
	else if (id == OPT_Y) {
		if ((o->ybuf = strdup(arg)) == NULL)
			return mc_err_set(err, EX_OSERR, "out of memory");
		return split(o->ybuf, &o->y, &o->ny, err);
	} else if (id == OPT_Y2) {
		if ((o->y2buf = strdup(arg)) == NULL)
			return mc_err_set(err, EX_OSERR, "out of memory");
		return split(o->y2buf, &o->y2, &o->ny2, err);
	} else if (id == OPT_ERR)
		return set_err(o, arg, err);
	else if (id == OPT_LEGEND)
		o->legend = arg ? arg : "on";
	else if (id == OPT_EQUATION)
		o->eq[o->neq++] = arg;
	else if (id == OPT_SET)
		o->set[o->nset++] = arg;
	else
		return set_value(o, id, arg, err);
	return 0;
}

int
main(int argc, char *argv[])
{
	static const mc_cli_prog prog = {
		"plotxy", usage, 0, options, NOPTS, set, check, run
	};
	struct opts o = { .bins = 20 };
	int rc;

	mc_cli_init(&o.c);
	o.c.isa = getenv("MCTOOLS_ISA");
	o.eq = calloc((size_t)argc, sizeof(char *));
	o.set = calloc((size_t)argc, sizeof(char *));
	if (o.eq == NULL || o.set == NULL) {
		fputs("plotxy: out of memory\n", stderr);
		return EX_OSERR;
	}
	rc = mc_cli_main(&prog, &o.c, &o, argc, argv);
	free(o.ybuf);
	free(o.y);
	free(o.y2buf);
	free(o.y2);
	free(o.withbuf);
	free(o.wl);
	free(o.errbuf);
	free(o.lohi);
	free(o.eq);
	free(o.set);
	return rc;
}
