/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * mc_rows: a window of rows read ahead, priced by worker threads and
 * written in file order.  See mc_rows.h.
 */
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mc_csv.h"
#include "mc_err.h"
#include "mc_rows.h"

struct slot {
	mc_rows_row row;	/* where and val point into the slot */
	char where[MC_ERR_MSG];
	char *text;		/* the row's fields, each ended by '\0' */
	const char **val;	/* into text, one per column */
	int done, status;
	mc_err err;
	char *out, *msgs;	/* what the row wrote, and its warnings */
	size_t nout, nmsgs;
};

struct window {
	const mc_rows_hooks *h;
	const char **name;	/* the column names */
	size_t nc;		/* and their count */
	unsigned threads;
	struct slot *s;
	uint64_t cap;
	uint64_t nread, ntake, nwrite;	/* rows read, taken, written */
	unsigned busy;		/* rows being priced */
	int eof, stop;
	pthread_mutex_t lock;	/* over the counts, flags and slots' done */
	pthread_cond_t more;	/* a row to take, or stop */
	pthread_cond_t ready;	/* a row priced */
};

/* Copies the current row of rd, row rowno, into slot s of w. */
static int
slot_fill(const struct window *w, struct slot *s, mc_csv_reader *rd,
    uint64_t rowno, mc_err *err)
{
	size_t i, len = 0, at = 0;

	for (i = 0; i < w->nc; i++)
		len += strlen(mc_csv_field(rd, i)) + 1;
	memset(s, 0, sizeof(*s));
	s->text = malloc(len + 1);
	s->val = calloc(w->nc + 1, sizeof(*s->val));
	if (s->text == NULL || s->val == NULL)
		return mc_err_set(err, EX_OSERR, "out of memory");
	for (i = 0; i < w->nc; i++) {
		size_t k = strlen(mc_csv_field(rd, i)) + 1;
		memcpy(s->text + at, mc_csv_field(rd, i), k);
		s->val[i] = s->text + at;
		at += k;
	}
	snprintf(s->where, sizeof(s->where), "%s:%lu", mc_csv_name(rd),
	    mc_csv_line(rd));
	s->row = (mc_rows_row){ rowno, s->where, w->nc, w->name, s->val,
	    { 0, 0 } };
	return 0;
}

/* Frees what slot s holds and empties it; an empty slot is fine. */
static void
slot_free(struct slot *s)
{
	free(s->text);
	free(s->val);
	free(s->out);
	free(s->msgs);
	memset(s, 0, sizeof(*s));
}

/* Prices slot s on threads threads, its rows and warnings into memory. */
static void
slot_price(const struct window *w, struct slot *s, unsigned threads)
{
	FILE *out = open_memstream(&s->out, &s->nout);
	FILE *msgs = open_memstream(&s->msgs, &s->nmsgs);

	if (out == NULL || msgs == NULL)
		s->status = mc_err_set(&s->err, EX_OSERR, "out of memory");
	else
		s->status = w->h->price(w->h->ctx, &s->row, threads, out,
		    msgs, &s->err);
	if ((out != NULL && fclose(out) != 0) || (msgs != NULL &&
	    fclose(msgs) != 0))
		if (s->status == 0)
			s->status = mc_err_set(&s->err, EX_OSERR, "out of "
			    "memory");
}

/*
 * Takes the next row to price, and the threads for it: one while the
 * file goes on, and once its end is read the threads shared out over
 * the rows being priced and left.  NULL when none is left or the run
 * stops.  The lock is held.
 */
static struct slot *
take(struct window *w, unsigned *threads)
{
	unsigned n = w->threads;
	uint64_t active;

	while (!w->stop && w->ntake == w->nread && !w->eof)
		pthread_cond_wait(&w->more, &w->lock);
	if (w->stop || w->ntake == w->nread)
		return NULL;
	w->busy++;
	active = w->busy + (w->nread - w->ntake - 1);
	*threads = w->eof && active < n ? (unsigned)(n / active) : 1;
	return &w->s[w->ntake++ % w->cap];
}

/* A worker: prices rows until none is left or the run stops. */
static void *
work(void *arg)
{
	struct window *w = arg;
	struct slot *s;
	unsigned threads;

	pthread_mutex_lock(&w->lock);
	while ((s = take(w, &threads)) != NULL) {
		pthread_mutex_unlock(&w->lock);
		slot_price(w, s, threads);
		pthread_mutex_lock(&w->lock);
		s->done = 1;
		w->busy--;
		pthread_cond_broadcast(&w->ready);
	}
	pthread_mutex_unlock(&w->lock);
	return NULL;
}

/*
 * Reads rows of rd into the window until it is full or the file ends
 * (*rst: 0, or the reading's error status in *rerr), and hands them to
 * the workers.
 */
static void
fill(struct window *w, mc_csv_reader *rd, int *rst, mc_err *rerr)
{
	uint64_t k = w->nread;
	int st = 1;

	while (!w->eof && k - w->nwrite < w->cap &&
	    (st = mc_csv_next(rd, rerr)) == 1) {
		struct slot *s = &w->s[k % w->cap];
		if (slot_fill(w, s, rd, k + 1, rerr) != 0) {
			st = rerr->status;
			break;
		}
		if (w->h->read != NULL)
			w->h->read(w->h->ctx, &s->row);
		k++;
	}
	pthread_mutex_lock(&w->lock);
	if (st != 1) {
		w->eof = 1;
		*rst = st < 0 ? rerr->status : st;
	}
	w->nread = k;
	pthread_cond_broadcast(&w->more);
	pthread_mutex_unlock(&w->lock);
}

/* Hands the priced row s to the write hook; returns its status. */
static int
write_row(const struct window *w, const struct slot *s, mc_err *err)
{
	int ok = s->status == 0 && s->out != NULL;

	w->h->write(w->h->ctx, ok ? s->out : "", ok ? s->nout : 0,
	    s->msgs != NULL ? s->msgs : "", s->msgs != NULL ? s->nmsgs : 0);
	if (s->status != 0)
		*err = s->err;
	return s->status;
}

/* Stops the workers nt of tid and waits for them. */
static void
stop(struct window *w, pthread_t *tid, unsigned nt)
{
	unsigned i;

	pthread_mutex_lock(&w->lock);
	w->stop = 1;
	pthread_cond_broadcast(&w->more);
	pthread_mutex_unlock(&w->lock);
	for (i = 0; i < nt; i++)
		pthread_join(tid[i], NULL);
}

/* Runs the window over rd: reads, starts the workers, writes. */
static int
run(struct window *w, mc_csv_reader *rd, mc_err *err)
{
	pthread_t *tid = calloc(w->threads, sizeof(*tid));
	unsigned nt;
	struct slot *s;
	int st = 0, rst = 0;
	mc_err rerr;

	if (tid == NULL)
		return mc_err_set(err, EX_OSERR, "out of memory");
	fill(w, rd, &rst, &rerr);
	for (nt = 0; nt < w->threads; nt++)
		if (pthread_create(&tid[nt], NULL, work, w) != 0)
			break;
	while (st == 0 && w->nwrite < w->nread) {
		s = &w->s[w->nwrite % w->cap];
		if (nt == 0) {
			/* No thread would start: price it here. */
			slot_price(w, s, 1);
		}
		pthread_mutex_lock(&w->lock);
		while (!s->done && nt > 0)
			pthread_cond_wait(&w->ready, &w->lock);
		pthread_mutex_unlock(&w->lock);
		st = write_row(w, s, err);
		slot_free(s);
		/* Its slot is free: the window reads on from there. */
		w->nwrite++;
		fill(w, rd, &rst, &rerr);
	}
	stop(w, tid, nt);
	free(tid);
	if (st == 0 && rst != 0) {
		*err = rerr;
		st = rst;
	}
	return st;
}

int
mc_rows_run(mc_csv_reader *rd, unsigned threads, uint64_t cap,
    const mc_rows_hooks *h, mc_err *err)
{
	struct window w = { 0 };
	uint64_t i;
	int st;

	w.h = h;
	w.threads = threads > 0 ? threads : 1;
	w.cap = cap > 0 ? cap : 1;
	w.nc = mc_csv_ncols(rd);
	w.s = calloc(w.cap, sizeof(*w.s));
	w.name = calloc(w.nc + 1, sizeof(*w.name));
	if (w.s == NULL || w.name == NULL) {
		free(w.s);
		free(w.name);
		return mc_err_set(err, EX_OSERR, "out of memory");
	}
	for (i = 0; i < w.nc; i++)
		w.name[i] = mc_csv_colname(rd, i);
	pthread_mutex_init(&w.lock, NULL);
	pthread_cond_init(&w.more, NULL);
	pthread_cond_init(&w.ready, NULL);
	st = run(&w, rd, err);
	for (i = 0; i < w.cap; i++)
		slot_free(&w.s[i]);
	pthread_cond_destroy(&w.ready);
	pthread_cond_destroy(&w.more);
	pthread_mutex_destroy(&w.lock);
	free(w.s);
	free(w.name);
	return st;
}
