/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "mc_rng.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mc_stream.h"

struct philox_state {
	mc_stream st;		/* the path streams of the seed */
	uint64_t index;		/* the stream */
	uint64_t draw;		/* the next block of four words */
	uint32_t buf[4];
	unsigned pos;		/* next unused word of buf; 4 when empty */
};

struct mc_rng {
	gsl_rng *g;
	uint64_t seed;
	int philox;
};

static void
philox_refill(struct philox_state *s)
{
	mc_stream_words(&s->st, s->index, s->draw, s->buf);
	s->draw++;
	s->pos = 0;
}

static void
philox_set(void *vstate, unsigned long seed)
{
	struct philox_state *s = vstate;

	mc_stream_init(&s->st, (uint64_t)seed, MC_STREAM_PATH);
	s->index = 0;
	s->draw = 0;
	s->pos = 4;
}

static unsigned long
philox_get(void *vstate)
{
	struct philox_state *s = vstate;

	if (s->pos >= 4)
		philox_refill(s);
	return s->buf[s->pos++];
}

static double
philox_get_double(void *vstate)
{
	uint32_t hi = (uint32_t)philox_get(vstate);

	return mc_u53(hi, (uint32_t)philox_get(vstate));
}

static const gsl_rng_type philox_type = {
	MC_RNG_DEFAULT, 0xffffffffUL, 0, sizeof(struct philox_state),
	philox_set, philox_get, philox_get_double
};

const gsl_rng_type *mc_rng_philox = &philox_type;

mc_rng *
mc_rng_alloc(const char *name, uint64_t seed, mc_err *err)
{
	const gsl_rng_type *t = NULL, **p;
	mc_rng *r;

	if (strcmp(name, MC_RNG_DEFAULT) == 0) {
		t = mc_rng_philox;
	} else {
		for (p = gsl_rng_types_setup(); *p != NULL; p++)
			if (strcmp((*p)->name, name) == 0)
				t = *p;
	}
	if (t == NULL) {
		char q[64];
		mc_err_set(err, EX_USAGE, "unknown generator %s (try philox, "
		    "mt19937, ranlxd2 or taus2)",
		    mc_err_quote(q, sizeof(q), name));
		return NULL;
	}
	if ((r = calloc(1, sizeof(*r))) == NULL ||
	    (r->g = gsl_rng_alloc(t)) == NULL) {
		free(r);
		mc_err_set(err, EX_OSERR, "out of memory");
		return NULL;
	}
	r->seed = seed;
	r->philox = t == mc_rng_philox;
	if (r->philox)
		gsl_rng_set(r->g, (unsigned long)seed);
	mc_rng_seek(r, 0);
	return r;
}

void
mc_rng_free(mc_rng *r)
{
	if (r == NULL)
		return;
	gsl_rng_free(r->g);
	free(r);
}

void
mc_rng_seek(mc_rng *r, uint64_t index)
{
	if (r->philox) {
		struct philox_state *s = r->g->state;
		s->index = index;
		s->draw = 0;
		s->pos = 4;
	} else if (index % MC_BLOCK == 0) {
		gsl_rng_set(r->g, mc_stream_gsl_seed(r->seed, index / MC_BLOCK));
	}
}

gsl_rng *
mc_rng_gsl(mc_rng *r)
{
	return r->g;
}

const char *
mc_rng_name(const char *name)
{
	return name != NULL ? name : MC_RNG_DEFAULT;
}

const char *
mc_rng_gsl_name(const char *name)
{
	return name != NULL && strcmp(name, MC_RNG_DEFAULT) != 0 ? name : NULL;
}

int
mc_rng_is_philox(const mc_rng *r)
{
	return r->philox;
}

void
mc_rng_list(char *buf, size_t size)
{
	const gsl_rng_type **p;
	size_t len;

	snprintf(buf, size, "%s", MC_RNG_DEFAULT);
	for (p = gsl_rng_types_setup(); *p != NULL; p++) {
		len = strlen(buf);
		if (len + strlen((*p)->name) + 3 >= size)
			break;
		snprintf(buf + len, size - len, ", %s", (*p)->name);
	}
}
