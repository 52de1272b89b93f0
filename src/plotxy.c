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
	OPT_SCRIPT, OPT_STREAM, OPT_FORMAT, NOPTS
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
};

/* -o is mc_cli's (c.out), which points stdout at the file or at its
 * temporary file. */
struct opts {
	mc_cli c;		/* the shared options */
	const char *x, *by, *title, *xlabel, *ylabel, *legend, *in;
	char *ybuf, **y;	/* -y split at commas */
	size_t ny;
	char *errbuf, *lo, *hi;	/* --err LO,HI */
	char **lohi;
	enum style with;
	enum term term;
	int tset;		/* -T given */
	int logx, logy, square, script, stream, density, sized;
	double range[4];	/* xlo, xhi, ylo, yhi */
	int rset[4];
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
    "usage: plotxy -x COL [-y COL[,COL...]] [--by COL] [--with STYLE] "
    "[--err LO,HI]\n"
    "              [--bins N] [--density] [--logx] [--logy] "
    "[--xrange LO:HI]\n"
    "              [--yrange LO:HI] [--title TEXT] [--xlabel TEXT] "
    "[--ylabel TEXT]\n"
    "              [--legend[=WHERE]] [--square] [--size WxH] [-o FILE] "
    "[-T FORMAT]\n"
    "              [--equation EXPR] [--set CMD] [--script | --stream] "
    "[-t CHAR]\n"
    "              [FILE]\n"
    "STYLE: points lines linespoints errorbars hist boxes; "
    "FORMAT: png svg pdf txt\n";

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

/* --xrange LO:HI, either end may be empty (left to gnuplot). */
static int
parse_range(const char *arg, double *r, int *set, mc_err *err)
{
	const char *colon = strchr(arg, ':');
	char buf[256], q[64];
	size_t n;

	if (colon == NULL || (n = (size_t)(colon - arg)) >= sizeof(buf))
		goto bad;
	memcpy(buf, arg, n);
	buf[n] = '\0';
	set[0] = n > 0;
	set[1] = colon[1] != '\0';
	if ((set[0] && (mc_parse_double(buf, &r[0]) || !isfinite(r[0]))) ||
	    (set[1] && (mc_parse_double(colon + 1, &r[1]) ||
	    !isfinite(r[1]))))
		goto bad;
	if (set[0] && set[1] && !(r[0] < r[1]))
		goto bad;
	return 0;
bad:
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

/*
 * Reads every row of fp into d.  Returns 0, or a status with err set: an
 * unknown column, a field that is not a number, or no rows at all when
 * need_rows is set.
 */
static int
read_data(FILE *fp, const char *name, const struct opts *o, struct data *d,
    int need_rows, mc_err *err)
{
	mc_csv_reader *r;
	size_t *col = NULL, k, bycol = 0;
	long g;
	int rc = 0;

	memset(d, 0, sizeof(*d));
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
		for (k = 0; k < d->width; k++)
			if (mc_csv_fieldlen(r, col[k]) == 0)
				d->v[d->nrows * d->width + k] = NAN;
			else if ((rc = mc_csv_number(r, col[k],
			    &d->v[d->nrows * d->width + k], err)) != 0)
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
	if (d->nrows == 0 && need_rows)
		rc = mc_err_set(err, EX_DATAERR, "%s: no data rows to plot",
		    name);
out:
	free(col);
	mc_csv_free(r);
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
		    "count") : o->ny == 1 ? o->y[0] : "";
	fputs("set ylabel ", fp);
	mc_gp_quote(fp, ylabel);
	fputs(" noenhanced\n", fp);
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

/* The ranges of --xrange and --yrange, '*' for an end not given. */
static void
write_ranges(FILE *fp, const struct opts *o)
{
	size_t i;

	for (i = 0; i < 2; i++) {
		if (!o->rset[2 * i] && !o->rset[2 * i + 1])
			continue;
		fprintf(fp, "set %crange [", "xy"[i]);
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
	write_ranges(fp, o);
	if (o->square)
		fputs("set size square\n", fp);
	/* Counts start at zero, whatever gnuplot's autoscale would do. */
	if (o->with == HIST && !o->logy && !o->rset[2] && !o->rset[3])
		fputs("set yrange [0:*]\n", fp);
	if (o->with == HIST || o->with == BOXES)
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

/* The plot command: error bands first, so that lines lie on top. */
static void
write_plot(FILE *fp, const struct opts *o, const struct data *d, double bw)
{
	size_t g, j, s, ny = o->with == HIST ? 1 : o->ny;
	const char *sep = "plot ";
	int graphic = o->term != TXT;

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
			s = g * ny + j + 1;
			fprintf(fp, "%s$data index %zu using 1:%zu", sep, g,
			    j + 2);
			sep = ", \\\n     ";
			switch (o->with) {
			case POINTS:
				fprintf(fp, " with points lc %zu", s);
				if (graphic)
					fputs(" pt 7 ps 0.5", fp);
				break;
			case LINES:
				fprintf(fp, " with lines lc %zu lw 1.5", s);
				break;
			case LINESPOINTS:
				fprintf(fp, " with linespoints lc %zu lw 1.5",
				    s);
				if (graphic)
					fputs(" pt 7 ps 0.6", fp);
				break;
			case ERRORBARS:
				fprintf(fp, ":%zu:%zu with yerrorbars lc %zu",
				    ny + 2, ny + 3, s);
				if (graphic)
					fputs(" pt 7 ps 0.6", fp);
				break;
			case HIST:
			case BOXES:
				fprintf(fp, " with boxes lc %zu", s);
				break;
			}
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
	write_plot(fp, o, d, bw);
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

/*
 * Sends one frame to the running gnuplot: the rows of buf (a whole CSV,
 * header first) parsed afresh, so that line numbers in messages stay
 * right.  Returns 0, 1 when there are no rows yet, or a status.
 */
static int
stream_frame(mc_gp *g, const struct opts *o, const char *buf, size_t len,
    int *started, int final, mc_err *err)
{
	const char *name = o->in && strcmp(o->in, "-") ? o->in : "stdin";
	struct data d;
	double bw = 1;
	long w, h;
	FILE *mem;
	int rc;

	if (len == 0)
		return final ? mc_err_set(err, EX_DATAERR, "%s: empty "
		    "input, expected a header row", name) : 1;
	if ((mem = fmemopen((void *)buf, len, "r")) == NULL)
		return mc_err_set(err, EX_OSERR, "fmemopen: %s",
		    strerror(errno));
	rc = read_data(mem, name, o, &d, final, err);
	fclose(mem);
	if (rc != 0 || d.nrows == 0) {
		free_data(&d);
		return rc != 0 ? rc : 1;
	}
	if (!*started) {
		if (o->sized) {
			w = o->w;
			h = o->h;
		} else
			text_size(o, &w, &h);
		write_prologue(g->fp, o, &d, w, h);
		fputs("set print '-'\n", g->fp);
		*started = 1;
	}
	if (isatty(1))
		fputs("print \"\\033[H\\033[2J\"\n", g->fp);
	rc = write_data(g->fp, o, &d, &bw, err);
	if (rc == 0)
		write_plot(g->fp, o, &d, bw);
	fflush(g->fp);
	free_data(&d);
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
 * frame takes long), and once more at the end.
 */
static int
run_stream(const struct opts *o, mc_err *err)
{
	char *buf = NULL, *nb;
	size_t len = 0, cap = 0, scanned = 0, complete = 0, drawn = 0;
	double next = 0, t0;
	int fd = 0, inq = 0, started = 0, rc = 0, eof = 0;
	struct pollfd pfd;
	ssize_t n;
	mc_gp g;

	if (o->in && strcmp(o->in, "-") != 0 &&
	    (fd = open(o->in, O_RDONLY)) < 0)
		return mc_err_set(err, EX_NOINPUT, "%s: %s", o->in,
		    strerror(errno));
	fflush(stdout);
	if ((rc = mc_gp_start(&g, 1, getenv("PATH"), err)) != 0)
		goto out;
	pfd.fd = fd;
	pfd.events = POLLIN;
	while (!eof) {
		if (drawn < complete) {
			int wait = (int)fmax(0, (next - now()) * 1000);
			if (wait == 0 || poll(&pfd, 1, wait) == 0) {
				t0 = now();
				rc = stream_frame(&g, o, buf, complete,
				    &started, 0, err);
				if (rc > 1)
					break;
				rc = 0;
				drawn = complete;
				/* Slow frames are drawn less often. */
				next = now() + fmax(0.5, 4 * (now() - t0));
				continue;
			}
		}
		if (len + 65536 > cap) {
			cap = cap ? 2 * cap : 1 << 17;
			if ((nb = realloc(buf, cap)) == NULL) {
				rc = mc_err_set(err, EX_OSERR, "out of memory");
				break;
			}
			buf = nb;
		}
		if ((n = read(fd, buf + len, 65536)) < 0) {
			if (errno == EINTR)
				continue;
			rc = mc_err_set(err, EX_IOERR, "%s: read error: %s",
			    o->in ? o->in : "stdin", strerror(errno));
			break;
		}
		if (n == 0) {
			eof = 1;
			complete = len;
			break;
		}
		len += (size_t)n;
		if (scan_rows(buf, len, &scanned, &inq, &complete)) {
			complete = len;
			break;
		}
	}
	if (rc == 0 && (drawn < complete || !started))
		rc = stream_frame(&g, o, buf, complete, &started, 1, err);
	if (rc == 0)
		rc = mc_gp_finish(&g, err);
	else
		mc_gp_finish(&g, NULL);
	if (g.termsig == SIGPIPE)
		raise(SIGPIPE);
out:
	if (fd > 0)
		close(fd);
	free(buf);
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
	rc = read_data(fp, name, o, &d, 1, err);
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
	if (o->with == HIST && o->ny > 0)
		return mc_err_set(err, EX_USAGE, "--with hist bins the -x "
		    "column; leave out -y");
	if (o->with != HIST && o->ny == 0)
		return mc_err_set(err, EX_USAGE, "-y: a column is required "
		    "(or --with hist)");
	if (o->lo && (o->ny != 1 || o->with == HIST))
		return mc_err_set(err, EX_USAGE, "--err: needs exactly one -y "
		    "column and a style other than hist");
	if (o->with == ERRORBARS && o->lo == NULL)
		return mc_err_set(err, EX_USAGE, "--with errorbars: needs "
		    "--err LO,HI");
	if (o->script && o->stream)
		return mc_err_set(err, EX_USAGE, "--script and --stream "
		    "cannot go together");
	if ((rc = out_term(o, o->tset, err)) != 0)
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

/* The options that pick a word or a number. */
static int
set_value(struct opts *o, int id, const char *arg, mc_err *err)
{
	char q[64];
	uint64_t bins;
	int k;

	switch (id) {
	case OPT_WITH:
		if ((k = pick(styles, arg)) < 0)
			return mc_err_set(err, EX_USAGE, "expected "
			    "points, lines, linespoints, errorbars, hist or "
			    "boxes, got %s", mc_err_quote(q, sizeof(q), arg));
		o->with = (enum style)k;
		return 0;
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
	case OPT_XRANGE:
		return parse_range(arg, o->range, o->rset, err);
	case OPT_YRANGE:
		return parse_range(arg, o->range + 2, o->rset + 2, err);
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
	};

	if (flag[id] != NULL)
		*flag[id] = 1;
	else if (text[id] != NULL)
		*text[id] = arg;
	else if (id == OPT_Y) {
		if ((o->ybuf = strdup(arg)) == NULL)
			return mc_err_set(err, EX_OSERR, "out of memory");
		return split(o->ybuf, &o->y, &o->ny, err);
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
	free(o.errbuf);
	free(o.lohi);
	free(o.eq);
	free(o.set);
	return rc;
}
