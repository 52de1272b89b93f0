/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Paths: the moments each model must reproduce (E[S_T] = S_0 e^{(r-q)T}
 * for all three, the Heston variance's conditional mean), Heston put
 * prices against the closed form, and the same paths whatever the split
 * into blocks, the instruction set, and whether the whole path or the
 * terminal row alone is made.
 */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_cdf.h>

#include "mc_acc.h"
#include "mc_bs.h"
#include "mc_isa.h"
#include "mc_path.h"
#include "mc_vmath.h"
#include "mc_rng.h"
#include "unit.h"

#define NPATH 200000

/* |est - truth| < 4 se, the house rule for statistical checks. */
static int
within(const mc_acc *a, double truth)
{
	mc_est e;

	mc_acc_estimate(a, 0.95, &e);
	if (fabs(e.mean - truth) < 4 * e.se)
		return 1;
	fprintf(stderr, "mean %.8g, se %.3g, truth %.8g\n", e.mean, e.se,
	    truth);
	return 0;
}

/* Simulates n paths in blocks of bs and accumulates S_T and v_T. */
static int
moments(const mc_model_params *m, const mc_path_opts *o, uint64_t n,
    size_t bs, mc_acc *s, mc_acc *v)
{
	mc_err err;
	mc_path_gen *g = mc_path_alloc(m, o, &err);
	size_t st = o->steps + 1, j;
	double *S = malloc(st * bs * sizeof(*S)), *V = malloc(st * bs *
	    sizeof(*V));
	uint64_t i;

	if (g == NULL || S == NULL || V == NULL) {
		fprintf(stderr, "alloc: %s\n", g == NULL ? err.msg : "memory");
		return -1;
	}
	mc_acc_init(s);
	mc_acc_init(v);
	for (i = 0; i < n; i += bs) {
		size_t c = n - i < bs ? n - i : bs;
		if (mc_path_block(g, i, c, S, V, &err) != 0)
			return -1;
		for (j = 0; j < c; j++) {
			mc_acc_add(s, S[o->steps * c + j]);
			mc_acc_add(v, V[o->steps * c + j]);
		}
	}
	mc_path_free(g);
	free(S);
	free(V);
	return 0;
}

/* Fills out with the terminal prices of n paths, in blocks of bs. */
static void
terminal(const mc_model_params *m, const mc_path_opts *o, uint64_t first,
    uint64_t n, size_t bs, double *out)
{
	mc_err err;
	mc_path_gen *g = mc_path_alloc(m, o, &err);
	double *S = malloc((o->steps + 1) * bs * sizeof(*S));
	uint64_t i;

	for (i = 0; i < n; i += bs) {
		size_t c = n - i < bs ? n - i : bs;
		mc_path_block(g, first + i, c, S, NULL, &err);
		memcpy(out + i, S + o->steps * c, c * sizeof(*S));
	}
	mc_path_free(g);
	free(S);
}

static void
check_splits(const mc_model_params *m, mc_path_opts o)
{
	enum { N = 3 * MC_BLOCK + 100 };
	static double a[N], b[N], c[N];

	terminal(m, &o, 0, N, MC_BLOCK, a);
	terminal(m, &o, 0, N, 1000, b);
	terminal(m, &o, 0, N, 37, c);
	CHECK(memcmp(a, b, sizeof(a)) == 0);
	CHECK(memcmp(a, c, sizeof(a)) == 0);
	/* A shard that starts at a block. */
	terminal(m, &o, MC_BLOCK, N - MC_BLOCK, 999, b);
	CHECK(memcmp(a + MC_BLOCK, b, (N - MC_BLOCK) * sizeof(*a)) == 0);
}

/*
 * The Heston parameter sets: Lewis's (xi = 1), Fang and Oosterlee's and
 * Andersen's case I (both break Feller's condition 2 kappa theta >= xi^2,
 * so the QE exponential branch is common), the bench's, and a positive
 * rho with a variance far above theta.  Each row: S, K, T, r, q, v0,
 * kappa, theta, xi, rho, steps.
 */
static const double heston_sets[][11] = {
	{ 100, 100, 1, 0.01, 0.02, 0.04, 4, 0.25, 1, -0.5, 50 },
	{ 100, 100, 1, 0, 0, 0.0175, 1.5768, 0.0398, 0.5751, -0.5711, 50 },
	{ 100, 100, 10, 0, 0, 0.04, 0.5, 0.04, 1, -0.9, 80 },
	{ 100, 100, 0.5, 0.05, 0, 0.04, 1.5, 0.04, 0.5, -0.7, 25 },
	{ 100, 90, 2, 0.03, 0.01, 0.16, 1, 0.04, 0.6, 0.4, 100 },
};

static void
heston_of(const double *h, mc_model_params *m, mc_path_opts *o)
{
	memset(m, 0, sizeof(*m));
	memset(o, 0, sizeof(*o));
	m->model = MC_MODEL_HESTON;
	m->spot = h[0];
	m->maturity = h[2];
	m->rate = h[3];
	m->dividend = h[4];
	m->v0 = h[5];
	m->kappa = h[6];
	m->theta = h[7];
	m->xi = h[8];
	m->rho = h[9];
	o->steps = (unsigned)h[10];
	o->seed = 2024;
}

/*
 * The put of each set, priced from terminal prices (mc_path_terminal, the
 * path mcprice takes), within 4 se of the Fourier closed form.
 */
static void
heston_prices(void)
{
	size_t i, j, c;
	double ST[MC_BLOCK];

	for (i = 0; i < sizeof(heston_sets) / sizeof(heston_sets[0]); i++) {
		const double *h = heston_sets[i];
		double df = exp(-h[3] * h[2]), ref;
		mc_model_params m;
		mc_path_opts o;
		mc_path_gen *g;
		mc_acc a;
		mc_err err;
		uint64_t first;

		heston_of(h, &m, &o);
		CHECK(mc_bs_heston(1, h[0], h[1], h[2], h[3], h[4], h[5], h[6],
		    h[7], h[8], h[9], &ref, &err) == 0);
		CHECK((g = mc_path_alloc(&m, &o, &err)) != NULL);
		if (g == NULL)
			continue;
		mc_acc_init(&a);
		for (first = 0; first < NPATH; first += c) {
			c = NPATH - first < MC_BLOCK ? NPATH - first : MC_BLOCK;
			CHECK(mc_path_terminal(g, first, c, ST, &err) == 0);
			for (j = 0; j < c; j++)
				mc_acc_add(&a, df * (ST[j] < h[1] ? h[1] -
				    ST[j] : 0));
		}
		if (!within(&a, ref))
			fprintf(stderr, "heston set %zu\n", i);
		CHECK(within(&a, ref));
		mc_path_free(g);
	}
}

/*
 * n whole paths (prices and variances) of m from first, and their
 * terminal prices by mc_path_terminal, into P, V and T.
 */
static void
paths_and_terminal(const mc_model_params *m, const mc_path_opts *o,
    uint64_t first, size_t n, double *P, double *V, double *T)
{
	mc_err err;
	mc_path_gen *g = mc_path_alloc(m, o, &err);

	CHECK(g != NULL);
	if (g == NULL)
		return;
	CHECK(mc_path_block(g, first, n, P, V, &err) == 0);
	CHECK(mc_path_terminal(g, first, n, T, &err) == 0);
	mc_path_free(g);
}

/*
 * The same bits in every instruction set (capped by mc_isa_cap, as
 * MCTOOLS_ISA does in the programs) for every Heston set, plain and
 * antithetic, a ragged count from an odd index; the terminal row alone
 * is the last row of the whole paths, and so is the general path's.
 * GBM and Merton of several steps take the terminal row alone too, and
 * GBM of one step the fast path.
 */
static void
same_bits_everywhere(void)
{
	enum { N = 1001, ST = 101 };
	static const char *caps[] = { "sse2", "avx2", "avx512" };
	static double P0[(ST + 1) * N], V0[(ST + 1) * N], T0[N];
	static double P[(ST + 1) * N], V[(ST + 1) * N], T[N];
	size_t i, ns = sizeof(heston_sets) / sizeof(heston_sets[0]);
	mc_model_params m;
	mc_path_opts o;
	mc_err err;
	int isa, anti;

	for (i = 0; i < ns + 3; i++)
		for (anti = 0; anti < 2; anti++) {
			heston_of(heston_sets[i < ns ? i : 0], &m, &o);
			if (i >= ns) {
				m.model = i != ns + 1 ? MC_MODEL_GBM :
				    MC_MODEL_MERTON;
				m.vol = 0.3;
				m.lambda = 2;
				m.jump_mean = -0.1;
				m.jump_vol = 0.2;
				/* One GBM step: mc_path_terminal's fast
				 * path. */
				o.steps = i == ns + 2 ? 1 : 7;
			}
			o.antithetic = anti;
			CHECK(mc_isa_cap("sse2", "test", &err) == 0);
			paths_and_terminal(&m, &o, 77, N, P0, V0, T0);
			CHECK(memcmp(T0, P0 + (size_t)o.steps * N,
			    sizeof(T0)) == 0);
			o.general = 1;
			paths_and_terminal(&m, &o, 77, N, P, V, T);
			CHECK(memcmp(T, T0, sizeof(T)) == 0);
			o.general = 0;
			for (isa = MC_ISA_AVX2; isa <= MC_ISA_AVX512; isa++) {
				if (!mc_isa_have(isa))
					continue;
				CHECK(mc_isa_cap(caps[isa - MC_ISA_SSE2],
				    "test", &err) == 0);
				CHECK(mc_isa_best() == isa);
				paths_and_terminal(&m, &o, 77, N, P, V, T);
				CHECK(memcmp(P, P0, (o.steps + 1) * N *
				    sizeof(*P)) == 0);
				CHECK(m.model != MC_MODEL_HESTON ||
				    memcmp(V, V0, (o.steps + 1) * N *
				    sizeof(*V)) == 0);
				CHECK(memcmp(T, T0, sizeof(T)) == 0);
			}
		}
	CHECK(mc_isa_cap(NULL, "test", &err) == 0);
	CHECK(mc_isa_best() == (mc_isa_have(MC_ISA_AVX512) ? MC_ISA_AVX512 :
	    mc_isa_have(MC_ISA_AVX2) ? MC_ISA_AVX2 : MC_ISA_SSE2));
	CHECK(mc_isa_cap("avx3", "MCTOOLS_ISA", &err) == EX_USAGE);
	CHECK_STR(err.msg, "MCTOOLS_ISA: expected sse2, avx2 or avx512, "
	    "got \"avx3\"");
}

/* mc_vlog and mc_vninv of one number (test_vmath checks them). */
static double
log1_of(double x)
{
	mc_vlog(&x, &x, 1);
	return x;
}

static double
ninv1_of(double u)
{
	mc_vninv(&u, &u, 1);
	return u;
}

/*
 * One path of m by Andersen's QE, one path at a time in plain scalar
 * code: both branches computed and selected, in the kernel's order of
 * operations, so that the block kernel (which steps each path by the
 * branch it takes, the paths of either gathered apart) must give the
 * same bits.  Uniform d of path i is the "philox" gsl_rng's draw d after
 * mc_rng_seek(i): steps price uniforms, then steps variance uniforms.
 * S and V get the path's steps + 1 prices and variances.
 */
static void
qe_path(const mc_model_params *m, unsigned n, mc_rng *r, uint64_t i,
    double *S, double *V)
{
	double dt = m->maturity / n, xi2 = m->xi * m->xi, rx = m->rho / m->xi;
	double ek = exp(-m->kappa * dt), c1, c2, K0, K1, K2, K3, K4, A, kv;
	double drift = (m->rate - m->dividend) * dt, x = log(m->spot);
	double v = m->v0, u[2 * 101];
	unsigned k;

	c1 = xi2 * ek * (1 - ek) / m->kappa;
	c2 = m->theta * xi2 * (1 - ek) * (1 - ek) / (2 * m->kappa);
	K0 = -rx * m->kappa * m->theta * dt;
	K1 = 0.5 * dt * (m->kappa * rx - 0.5) - rx;
	K2 = 0.5 * dt * (m->kappa * rx - 0.5) + rx;
	K3 = 0.5 * dt * (1 - m->rho * m->rho);
	K4 = K3;
	A = K2 + 0.5 * K4;
	kv = K1 + 0.5 * K3;
	mc_rng_seek(r, i);
	for (k = 0; k < 2 * n; k++)
		u[k] = gsl_rng_uniform(mc_rng_gsl(r));
	S[0] = m->spot;
	V[0] = v;
	for (k = 0; k < n; k++) {
		double uv = u[n + k], zv = ninv1_of(uv), zs = ninv1_of(u[k]);
		double mm, psi, ip, b2, a, b, vq, p, beta, l1, l2, vn, kq, ke;
		int quad;

		mm = m->theta + (v - m->theta) * ek;
		psi = (v * c1 + c2) / (mm * mm);
		quad = psi <= 1.5;
		ip = 2 / psi;
		b2 = ip - 1 + sqrt(ip) * sqrt(ip - 1);
		a = mm / (1 + b2);
		b = sqrt(b2);
		vq = a * (b + zv) * (b + zv);
		p = (psi - 1) / (psi + 1);
		beta = (1 - p) / mm;
		l1 = log1_of(quad ? 1 - 2 * A * a : p + beta * (1 - p) /
		    (beta - A));
		l2 = log1_of((1 - p) / (1 - uv));
		vn = quad ? vq : uv <= p ? 0 : l2 / beta;
		kq = A < 1 / (2 * a) ? -A * b2 * a / (1 - 2 * A * a) + 0.5 *
		    l1 - kv * v : K0;
		ke = A < beta ? -l1 - kv * v : K0;
		vn = mm <= 0 ? 0 : vn;
		x += drift + (quad ? kq : ke) + K1 * v + K2 * vn + sqrt(K3 * v +
		    K4 * vn) * zs;
		v = vn;
		mc_vexp(&x, &S[k + 1], 1);
		V[k + 1] = v;
	}
}

/*
 * The Heston kernel against qe_path, bit for bit, for every Heston set
 * (sets where either branch is the common one, and both mixed within a
 * chunk), a ragged count from an odd index.
 */
static void
qe_reference(void)
{
	enum { N = 700, ST = 101 };
	static double P[(ST + 1) * N], V[(ST + 1) * N];
	double s[ST + 1], w[ST + 1];
	size_t i, j, k, ns = sizeof(heston_sets) / sizeof(heston_sets[0]);
	mc_model_params m;
	mc_path_opts o;
	mc_path_gen *g;
	mc_err err;
	mc_rng *r = mc_rng_alloc("philox", 2024, &err);
	int bad;

	CHECK(r != NULL);
	for (i = 0; r != NULL && i < ns; i++) {
		heston_of(heston_sets[i], &m, &o);
		CHECK(o.steps <= ST);
		CHECK((g = mc_path_alloc(&m, &o, &err)) != NULL);
		if (g == NULL)
			continue;
		CHECK(mc_path_block(g, 333, N, P, V, &err) == 0);
		for (j = bad = 0; j < N; j++) {
			qe_path(&m, o.steps, r, 333 + j, s, w);
			for (k = 0; k <= o.steps; k++)
				bad |= s[k] != P[k * N + j] ||
				    w[k] != V[k * N + j];
		}
		if (bad)
			fprintf(stderr, "heston set %zu\n", i);
		CHECK(!bad);
		mc_path_free(g);
	}
	mc_rng_free(r);
}

/*
 * mc_path_block_log and mc_path_block_again_log: the same prices as
 * mc_path_block (and _again), and log prices whose exponentials by
 * mc_vexp are those prices bit for bit, under every model, plain,
 * antithetic and Sobol; L NULL is mc_path_block.
 */
static void
log_prices(void)
{
	enum { N = 37, K = 5 };
	mc_model_params m = { 0 }, mb;
	mc_path_opts o = { 0 };
	mc_path_gen *g, *g2, *gb;
	mc_err err;
	double S[(K + 1) * N], S2[(K + 1) * N], L[K * N], E[K * N];
	int model, variant;

	for (model = 0; model < 3; model++)
		for (variant = 0; variant < 3; variant++) {
			memset(&m, 0, sizeof(m));
			memset(&o, 0, sizeof(o));
			m.model = model;
			m.spot = 100;
			m.rate = 0.05;
			m.vol = 0.3;
			m.maturity = 2;
			m.lambda = 1;
			m.jump_mean = -0.1;
			m.jump_vol = 0.25;
			m.v0 = m.theta = 0.04;
			m.kappa = 1.5;
			m.xi = 0.5;
			m.rho = -0.7;
			o.steps = K;
			o.seed = 9;
			o.antithetic = variant == 1;
			o.qmc = variant == 2;
			g = mc_path_alloc(&m, &o, &err);
			g2 = mc_path_alloc(&m, &o, &err);
			mb = m;
			mb.maturity = 1.5;
			gb = mc_path_alloc(&mb, &o, &err);
			CHECK(g != NULL && g2 != NULL && gb != NULL);
			if (g == NULL || g2 == NULL || gb == NULL)
				return;
			CHECK(mc_path_block(g, 64, N, S, NULL, &err) == 0);
			CHECK(mc_path_block_log(g2, 64, N, S2, L, NULL, &err) ==
			    0);
			CHECK(memcmp(S, S2, sizeof(S)) == 0);
			mc_vexp(L, E, K * N);
			CHECK(memcmp(E, S + N, sizeof(E)) == 0);
			CHECK(mc_path_block_log(g2, 64, N, S2, NULL, NULL,
			    &err) == 0 && memcmp(S, S2, sizeof(S)) == 0);
			CHECK(mc_path_block_again(gb, g, N, S, NULL, &err) ==
			    0);
			CHECK(mc_path_block_again_log(gb, g2, N, S2, L, NULL,
			    &err) == 0);
			CHECK(memcmp(S, S2, sizeof(S)) == 0);
			mc_vexp(L, E, K * N);
			CHECK(memcmp(E, S + N, sizeof(E)) == 0);
			mc_path_free(g);
			mc_path_free(g2);
			mc_path_free(gb);
		}
}

int
main(void)
{
	mc_model_params m = { 0 };
	mc_path_opts o = { 0 };
	mc_acc s, v;
	mc_err err;
	const char *why;
	double fwd, ev, S[2 * 2];
	mc_path_gen *g;
	mc_rng *r;
	size_t j;

	m.model = MC_MODEL_GBM;
	m.spot = 100;
	m.rate = 0.05;
	m.dividend = 0.02;
	m.vol = 0.3;
	m.maturity = 2;
	o.steps = 4;
	o.seed = 42;
	fwd = m.spot * exp((m.rate - m.dividend) * m.maturity);

	/* GBM: the forward, plain and antithetic. */
	CHECK(moments(&m, &o, NPATH, MC_BLOCK, &s, &v) == 0);
	CHECK(within(&s, fwd));
	o.antithetic = 1;
	CHECK(moments(&m, &o, NPATH, MC_BLOCK, &s, &v) == 0);
	CHECK(within(&s, fwd));
	check_splits(&m, o);
	o.antithetic = 0;
	check_splits(&m, o);

	/* Path 1 is path 0 with the opposite normals. */
	o.antithetic = 1;
	o.steps = 1;
	g = mc_path_alloc(&m, &o, &err);
	CHECK(g != NULL && mc_path_block(g, 0, 2, S, NULL, &err) == 0);
	CHECK(fabs(log(S[2]) + log(S[3]) - 2 * (log(m.spot) + (m.rate -
	    m.dividend - 0.5 * m.vol * m.vol) * m.maturity)) < 1e-12);
	mc_path_free(g);

	/* The fast Philox path draws what the "philox" gsl_rng draws. */
	o.antithetic = 0;
	g = mc_path_alloc(&m, &o, &err);
	r = mc_rng_alloc("philox", o.seed, &err);
	CHECK(g != NULL && r != NULL);
	CHECK(mc_path_block(g, 5, 2, S, NULL, &err) == 0);
	for (j = 0; j < 2; j++) {
		double u, z, x, sx;
		mc_rng_seek(r, 5 + j);
		/* The kernel's normal map and exp (mc_vmath; test_vmath
		 * checks them against GSL and libm). */
		u = gsl_rng_uniform(mc_rng_gsl(r));
		mc_vninv(&u, &z, 1);
		CHECK(fabs(z - gsl_cdf_ugaussian_Pinv(u)) < 1e-14);
		/* In the order the kernel adds: x_0 + (mu dt + sd z). */
		x = log(m.spot) + ((m.rate - m.dividend - 0.5 * m.vol *
		    m.vol) * m.maturity + m.vol * sqrt(m.maturity) * z);
		mc_vexp(&x, &sx, 1);
		CHECK(S[2 + j] == sx);
	}
	mc_rng_free(r);
	mc_path_free(g);

	/* A GSL generator: the forward, and splits along blocks. */
	o.rng = "mt19937";
	o.steps = 3;
	CHECK(moments(&m, &o, NPATH / 2, MC_BLOCK, &s, &v) == 0);
	CHECK(within(&s, fwd));
	{
		enum { N = 2 * MC_BLOCK };
		static double a[N], b[N];
		terminal(&m, &o, 0, N, MC_BLOCK, a);
		terminal(&m, &o, MC_BLOCK, MC_BLOCK, 100, b);
		CHECK(memcmp(a + MC_BLOCK, b, MC_BLOCK * sizeof(*a)) == 0);
	}
	o.rng = NULL;

	/*
	 * Sobol with the Brownian bridge: block means (one scrambled
	 * replicate each) are the i.i.d. units; the forward at T and at T/2
	 * hold, and the paths do not depend on the split.
	 */
	o.qmc = 1;
	o.steps = 8;
	{
		enum { NB = 64 };
		mc_acc bt, bh;
		size_t st = o.steps + 1, b;
		double *P = malloc(st * MC_BLOCK * sizeof(*P));
		g = mc_path_alloc(&m, &o, &err);
		CHECK(g != NULL && P != NULL);
		mc_acc_init(&bt);
		mc_acc_init(&bh);
		for (b = 0; g != NULL && P != NULL && b < NB; b++) {
			double sT = 0, sh = 0;
			CHECK(mc_path_block(g, b * MC_BLOCK, MC_BLOCK, P, NULL,
			    &err) == 0);
			for (j = 0; j < MC_BLOCK; j++) {
				sT += P[8 * MC_BLOCK + j];
				sh += P[4 * MC_BLOCK + j];
			}
			mc_acc_add(&bt, sT / MC_BLOCK);
			mc_acc_add(&bh, sh / MC_BLOCK);
		}
		CHECK(within(&bt, fwd));
		CHECK(within(&bh, m.spot * exp((m.rate - m.dividend) *
		    m.maturity / 2)));
		mc_path_free(g);
		free(P);
	}
	check_splits(&m, o);
	o.antithetic = 1;
	check_splits(&m, o);
	o.antithetic = 0;
	o.qmc = 0;

	/*
	 * Heston at Andersen's hard case (xi = 1, rho = -0.9, few steps):
	 * the martingale correction keeps the forward, and the QE variance
	 * has the exact conditional mean.
	 */
	m.model = MC_MODEL_HESTON;
	m.v0 = 0.09;
	m.kappa = 0.5;
	m.theta = 0.04;
	m.xi = 1;
	m.rho = -0.9;
	o.steps = 5;
	ev = m.theta + (m.v0 - m.theta) * exp(-m.kappa * m.maturity);
	CHECK(moments(&m, &o, NPATH, MC_BLOCK, &s, &v) == 0);
	CHECK(within(&s, fwd));
	CHECK(within(&v, ev));
	/* And a mild one, with antithetic pairs. */
	m.xi = 0.3;
	m.rho = -0.5;
	o.antithetic = 1;
	CHECK(moments(&m, &o, NPATH, MC_BLOCK, &s, &v) == 0);
	CHECK(within(&s, fwd));
	CHECK(within(&v, ev));
	check_splits(&m, o);
	o.antithetic = 0;

	heston_prices();
	same_bits_everywhere();
	log_prices();
	qe_reference();

	/* Merton: the compensated drift keeps the forward. */
	m.model = MC_MODEL_MERTON;
	m.lambda = 1.5;
	m.jump_mean = -0.1;
	m.jump_vol = 0.25;
	o.steps = 3;
	CHECK(moments(&m, &o, NPATH, MC_BLOCK, &s, &v) == 0);
	CHECK(within(&s, fwd));
	check_splits(&m, o);

	/* Reusing the draws for a bumped model gives its own paths. */
	{
		mc_model_params mb = m;
		mc_path_gen *g0 = mc_path_alloc(&m, &o, &err), *g1;
		double *A = malloc(4 * 100 * sizeof(*A));
		double *B = malloc(4 * 100 * sizeof(*B));
		mb.vol *= 1.01;
		mb.maturity *= 0.99;
		g1 = mc_path_alloc(&mb, &o, &err);
		CHECK(g0 != NULL && g1 != NULL && A != NULL && B != NULL);
		CHECK(mc_path_block(g0, 300, 100, A, NULL, &err) == 0);
		CHECK(mc_path_block_again(g1, g0, 100, A, NULL, &err) == 0);
		CHECK(mc_path_block(g1, 300, 100, B, NULL, &err) == 0);
		CHECK(memcmp(A, B, 4 * 100 * sizeof(*A)) == 0);
		mc_path_free(g0);
		mc_path_free(g1);
		free(A);
		free(B);
	}

	/* Bad parameters are named. */
	m.model = MC_MODEL_GBM;
	m.vol = 0;
	CHECK(mc_path_check(&m, &why) != NULL);
	CHECK_STR(mc_path_check(&m, &why), "vol");
	CHECK_STR(why, "expected a number > 0");
	CHECK(mc_path_alloc(&m, &o, &err) == NULL);
	CHECK_STR(err.msg, "vol: expected a number > 0");
	m.vol = 0.2;
	m.model = MC_MODEL_HESTON;
	m.rho = 1.5;
	CHECK_STR(mc_path_check(&m, &why), "rho");
	m.rho = 0;
	m.spot = -1;
	CHECK_STR(mc_path_check(&m, &why), "spot");
	return unit_done("test_path");
}
