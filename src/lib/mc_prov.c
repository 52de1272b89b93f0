/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "mc_prov.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "mc_fmt.h"

#define FNV_PRIME UINT64_C(0x100000001b3)

uint64_t
mc_prov_hash(uint64_t h, const void *p, size_t len)
{
	const unsigned char *b = p;
	size_t i;

	for (i = 0; i < len; i++) {
		h ^= b[i];
		h *= FNV_PRIME;
	}
	return h;
}

uint64_t
mc_prov_add(uint64_t h, const char *key, const char *value)
{
	h = mc_prov_hash(h, key, strlen(key));
	h = mc_prov_hash(h, "=", 1);
	h = mc_prov_hash(h, value, strlen(value));
	return mc_prov_hash(h, "\n", 1);
}

uint64_t
mc_prov_addu(uint64_t h, const char *key, uint64_t v)
{
	char buf[24];

	snprintf(buf, sizeof(buf), "%" PRIu64, v);
	return mc_prov_add(h, key, buf);
}

uint64_t
mc_prov_field(uint64_t h, const char *s, size_t len)
{
	unsigned char n[8];
	int i;

	/* Little-endian bytes, the same on every host. */
	for (i = 0; i < 8; i++)
		n[i] = (unsigned char)((uint64_t)len >> (8 * i));
	return mc_prov_hash(mc_prov_hash(h, n, 8), s, len);
}

const char *
mc_prov_shard_name(char *buf, size_t size, const mc_prov *p)
{
	if (p->data)
		snprintf(buf, size, "data:%016" PRIx64, p->digest);
	else
		snprintf(buf, size, "%" PRIu64 "/%" PRIu64, p->shard,
		    p->nshards);
	return buf;
}

void
mc_prov_write(mc_csv_out *w, const mc_prov *p)
{
	char buf[64];

	if (p->seeded)
		mc_csv_out_count(w, p->seed);
	else
		mc_csv_out_mem(w, "", 0);
	mc_csv_out_str(w, mc_prov_shard_name(buf, sizeof(buf), p));
	snprintf(buf, sizeof(buf), "%016" PRIx64, p->job);
	mc_csv_out_str(w, buf);
}

/* Reads exactly 16 lowercase hex digits. */
static int
hex16(const char *s, uint64_t *out)
{
	int i;

	*out = 0;
	for (i = 0; i < 16; i++) {
		int d = s[i] >= '0' && s[i] <= '9' ? s[i] - '0' :
		    s[i] >= 'a' && s[i] <= 'f' ? s[i] - 'a' + 10 : -1;
		if (d < 0)
			return -1;
		*out = *out << 4 | (uint64_t)d;
	}
	return s[16] == '\0' ? 0 : -1;
}

static int
parse_shard(mc_prov *p, const char *s)
{
	const char *slash = strchr(s, '/');
	char buf[32];

	if (strncmp(s, "data:", 5) == 0) {
		p->data = 1;
		return hex16(s + 5, &p->digest);
	}
	if (slash == NULL || (size_t)(slash - s) >= sizeof(buf))
		return -1;
	memcpy(buf, s, (size_t)(slash - s));
	buf[slash - s] = '\0';
	if (mc_parse_u64(buf, &p->shard) != NULL ||
	    mc_parse_count(slash + 1, &p->nshards) != NULL ||
	    !(p->shard < p->nshards))
		return -1;
	return 0;
}

int
mc_prov_parse(mc_prov *p, const char *seed, const char *shard,
    const char *job, const char **col, mc_err *err)
{
	char q[64];

	memset(p, 0, sizeof(*p));
	p->seeded = *seed != '\0';
	if (p->seeded && mc_parse_u64(seed, &p->seed) != NULL) {
		*col = "mc_seed";
		return mc_err_set(err, EX_DATAERR, "expected a seed or nothing, "
		    "got %s", mc_err_quote(q, sizeof(q), seed));
	}
	if (parse_shard(p, shard) != 0) {
		*col = "mc_shard";
		return mc_err_set(err, EX_DATAERR, "expected I/N with I < N, or "
		    "data: and 16 hex digits, got %s", mc_err_quote(q,
		    sizeof(q), shard));
	}
	if (hex16(job, &p->job) != 0) {
		*col = "mc_job";
		return mc_err_set(err, EX_DATAERR, "expected 16 hex digits (a "
		    "line cut short?), got %s", mc_err_quote(q, sizeof(q),
		    job));
	}
	return 0;
}

void
mc_prov_set_init(mc_prov_set *s)
{
	memset(s, 0, sizeof(*s));
}

void
mc_prov_set_free(mc_prov_set *s)
{
	free(s->seen);
	s->seen = NULL;
	s->n = s->cap = 0;
}

/* Writes "seed 42" or "no seed" into buf. */
static const char *
seed_name(char *buf, size_t size, const mc_prov *p)
{
	if (p->seeded)
		snprintf(buf, size, "seed %" PRIu64, p->seed);
	else
		snprintf(buf, size, "no seed");
	return buf;
}

/* The message for a row p that does not belong with the set's first. */
static int
foreign(const mc_prov_set *s, const mc_prov *p, const char *file,
    unsigned long line, mc_err *err)
{
	const mc_prov *f = &s->first;
	char a[64], b[64], x[64], y[64];

	mc_prov_shard_name(a, sizeof(a), p);
	mc_prov_shard_name(b, sizeof(b), f);
	if (p->job != f->job || p->data != f->data)
		return mc_err_set(err, EX_DATAERR, "%s:%lu: shard %s is of "
		    "another job than shard %s at %s:%lu (mc_job %016" PRIx64
		    ", not %016" PRIx64 ")", file, line, a, b, s->file0,
		    s->line0, p->job, f->job);
	if (p->seeded != f->seeded || p->seed != f->seed)
		return mc_err_set(err, EX_DATAERR, "%s:%lu: shard %s has %s, "
		    "but shard %s at %s:%lu has %s", file, line, a,
		    seed_name(x, sizeof(x), p), b, s->file0, s->line0,
		    seed_name(y, sizeof(y), f));
	return mc_err_set(err, EX_DATAERR, "%s:%lu: shard %s is one of %"
	    PRIu64 " shards, but shard %s at %s:%lu is one of %" PRIu64, file,
	    line, a, p->nshards, b, s->file0, s->line0, f->nshards);
}

int
mc_prov_set_add(mc_prov_set *s, const mc_prov *p, const char *file,
    unsigned long line, mc_err *err)
{
	const mc_prov *f = &s->first;

	if (s->n == 0) {
		s->first = *p;
		s->file0 = file;
		s->line0 = line;
	} else if (p->job != f->job || p->data != f->data ||
	    p->seeded != f->seeded || p->seed != f->seed ||
	    (!p->data && p->nshards != f->nshards)) {
		return foreign(s, p, file, line, err);
	}
	if (s->n == s->cap) {
		size_t cap = s->cap ? 2 * s->cap : 8;
		struct mc_prov_seen *v = realloc(s->seen, cap * sizeof(*v));
		if (v == NULL)
			return mc_err_set(err, EX_OSERR, "out of memory");
		s->seen = v;
		s->cap = cap;
	}
	s->seen[s->n].id = p->data ? p->digest : p->shard;
	s->seen[s->n].seq = s->n;
	s->seen[s->n].file = file;
	s->seen[s->n].line = line;
	s->n++;
	return 0;
}

static int
by_id(const void *a, const void *b)
{
	const struct mc_prov_seen *x = a, *y = b;

	if (x->id != y->id)
		return (x->id > y->id) - (x->id < y->id);
	return (x->seq > y->seq) - (x->seq < y->seq);
}

/* Names up to three missing shards of the sorted set, and says how many. */
static int
missing(const mc_prov_set *s, mc_err *err)
{
	uint64_t N = s->first.nshards, want, miss = N - s->n;
	char list[128] = "";
	size_t i = 0, len = 0;
	int named = 0;

	for (want = 0; want < N && named < 3; want++) {
		if (i < s->n && s->seen[i].id == want) {
			i++;
			continue;
		}
		len += (size_t)snprintf(list + len, sizeof(list) - len,
		    "%s%" PRIu64 "/%" PRIu64, named ? ", " : "", want, N);
		named++;
	}
	return mc_err_set(err, EX_DATAERR, "%s:%lu: %s %s%s %s missing (the "
	    "set of this row has %zu of %" PRIu64 ")", s->file0, s->line0,
	    miss > 1 ? "shards" : "shard", list, miss > (uint64_t)named ?
	    ", ..." : "", miss > 1 ? "are" : "is", s->n, N);
}

int
mc_prov_set_check(mc_prov_set *s, mc_err *err)
{
	char a[64];
	size_t i;

	if (s->n == 0)
		return 0;
	qsort(s->seen, s->n, sizeof(*s->seen), by_id);
	for (i = 1; i < s->n; i++)
		if (s->seen[i].id == s->seen[i - 1].id) {
			mc_prov p = s->first;
			p.shard = p.digest = s->seen[i].id;
			return mc_err_set(err, EX_DATAERR, "%s:%lu: shard %s "
			    "given twice (also at %s:%lu)", s->seen[i].file,
			    s->seen[i].line, mc_prov_shard_name(a, sizeof(a),
			    &p), s->seen[i - 1].file, s->seen[i - 1].line);
		}
	if (!s->first.data && s->n < s->first.nshards)
		return missing(s, err);
	return 0;
}
