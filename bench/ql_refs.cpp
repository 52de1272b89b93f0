/* SPDX-License-Identifier: GPL-3.0-or-later */
// ql_refs: the reference values of tests/coverage.bats, computed with
// QuantLib 1.29 (Debian's libquantlib0-dev) and methods of our own, each
// checked by a second one, independently of mctools (src/lib/mc_bs.c).
//
// usage: ql_refs DIR [FAMILY ...]    (make refs: DIR = testdata/refs)
//
// Writes DIR/vanilla.csv, exotic.csv, models.csv and american.csv (or
// only the families named); the american family takes about 15 minutes.
// Every row is a contract in mcprice's book columns, followed by
//   case       a name the tests look rows up by,
//   truth      the reference value,
//   truth_err  a bound on its error, from two independent methods or two
//              grids (the larger of the difference and the method's own
//              standard error or tolerance),
//   method     how truth was computed,
// and for american.csv also the continuous-exercise American value
// (american, american_err) and the European (european).  Tests read these
// files; they never need QuantLib.
//
// Exercise, averaging and monitoring dates must fall at exactly
// T/n, 2T/n, ..., T as in mcprice, and QuantLib's dates are whole days.
// So each GBM contract is priced in a rescaled clock: with T' = n d / 365
// for a whole number of days d per period, time t maps to t' = t T' / T,
// and the contract with rate r T / T', dividend q T / T' and volatility
// vol sqrt(T / T') has the same value (prices depend only on r t, q t and
// vol^2 t at the same fractions of T).
#include <ql/quantlib.hpp>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <string>
#include <vector>

using namespace QuantLib;

namespace {

const Date today(1, January, 2024);
const DayCounter dc = Actual365Fixed();

Handle<YieldTermStructure>
flat(double rate)
{
	return Handle<YieldTermStructure>(
	    ext::make_shared<FlatForward>(today, rate, dc));
}

Handle<Quote>
quote(double x)
{
	return Handle<Quote>(ext::make_shared<SimpleQuote>(x));
}

// A GBM market in the rescaled clock, with n equally spaced dates.
struct Market {
	ext::shared_ptr<GeneralizedBlackScholesProcess> proc;
	std::vector<Date> dates;	// T/n .. T in the new clock
	Date expiry;
};

Market
market(double S, double T, double r, double q, double vol, unsigned n,
    unsigned daysPerPeriod = 0)
{
	Market m;
	unsigned d = daysPerPeriod;
	if (d == 0) {
		d = (unsigned)std::ceil(365.0 * T / n);
		if (d < 7)
			d = 7;
	}
	double Tp = (double)n * d / 365.0, c = T / Tp;
	for (unsigned i = 1; i <= n; i++)
		m.dates.push_back(today + (Integer)(i * d));
	m.expiry = m.dates.back();
	Handle<BlackVolTermStructure> vts(ext::make_shared<BlackConstantVol>(
	    today, NullCalendar(), vol * std::sqrt(c), dc));
	m.proc = ext::make_shared<BlackScholesMertonProcess>(quote(S),
	    flat(q * c), flat(r * c), vts);
	return m;
}

Option::Type
otype(const std::string &t)
{
	return t == "put" ? Option::Put : Option::Call;
}

// The relative error of an analytic formula evaluated in double.
double
analytic_err(double v)
{
	double e = std::fabs(v) * 1e-12;
	return e > 1e-300 ? e : 1e-300;
}

// Each file is written beside its final name and renamed into place, so
// that a failed run leaves the old references whole.
struct Out {
	FILE *f;
	std::string path;
};

Out
open_out(const char *dir, const char *name)
{
	Out o;
	o.path = std::string(dir) + "/" + name;
	o.f = std::fopen((o.path + ".tmp").c_str(), "w");
	if (o.f == nullptr) {
		std::perror(o.path.c_str());
		std::exit(73);
	}
	return o;
}

void
close_out(Out &o)
{
	if (std::ferror(o.f) || std::fclose(o.f) != 0 ||
	    std::rename((o.path + ".tmp").c_str(), o.path.c_str()) != 0) {
		std::perror(o.path.c_str());
		std::exit(74);
	}
}

// ---- vanilla.csv: European calls and puts, cash-or-nothing digitals.

struct Vanilla {
	const char *id, *type, *style;
	double S, K, T, r, q, vol, payout;
};

// The normal CDF by erfc, accurate relative to its value in both tails.
double
ncdf(double x)
{
	return 0.5 * std::erfc(-x / M_SQRT2);
}

// Black-Scholes and the cash-or-nothing digital from the textbook
// formulas with that CDF; out of the money, the call is written as
// e^{-rT} E[(S_T - K)^+] = S e^{-qT} N(d1) - K e^{-rT} N(d2) all the same,
// and the integral below checks that the difference kept its digits.
double
bs_formula(const Vanilla &v)
{
	double sq = v.vol * std::sqrt(v.T), df = std::exp(-v.r * v.T);
	double d1 = (std::log(v.S / v.K) + (v.r - v.q) * v.T) / sq + 0.5 * sq;
	double d2 = d1 - sq, sg = std::string(v.type) == "put" ? -1 : 1;

	if (std::string(v.style) == "digital")
		return v.payout * df * ncdf(sg * d2);
	return sg * (v.S * std::exp(-v.q * v.T) * ncdf(sg * d1) -
	    v.K * df * ncdf(sg * d2));
}

// The same value as an integral of the payoff against the normal density
// over the region where the payoff is not zero (no cancellation), by
// QuantLib's adaptive Gauss-Kronrod rule to 1e-11 of guess.
double
bs_integral(const Vanilla &v, double guess)
{
	double sq = v.vol * std::sqrt(v.T), df = std::exp(-v.r * v.T);
	double mu = (v.r - v.q - 0.5 * v.vol * v.vol) * v.T;
	double zs = (std::log(v.K / v.S) - mu) / sq;
	bool put = std::string(v.type) == "put";
	bool dig = std::string(v.style) == "digital";
	auto f = [&](double z) {
		double s = v.S * std::exp(mu + sq * z);
		double p = dig ? v.payout : put ? v.K - s : s - v.K;
		return df * p * std::exp(-0.5 * z * z) /
		    (std::sqrt(2 * M_PI) * guess);
	};
	// The integrand's mass lies within 40 of z* and of its peak, sq.
	double a = put ? std::fmin(zs, sq) - 40 : zs;
	double b = put ? zs : std::fmax(zs, sq) + 40;
	// Relative to the guess, since QuantLib's tolerance is absolute.
	GaussKronrodAdaptive gk(1e-11, 10000000);
	return guess * gk(f, a, b);
}

void
vanilla(const char *dir)
{
	static const Vanilla rows[] = {
		{ "eu_call_atm", "call", "european", 100, 100, 1, 0.05, 0, 0.2, 0 },
		{ "eu_put_itm", "put", "european", 100, 110, 2, 0.03, 0.01, 0.3, 0 },
		{ "eu_call_vol1", "call", "european", 100, 100, 1, 0.05, 0, 1, 0 },
		{ "eu_call_vol2", "call", "european", 100, 100, 1, 0.05, 0, 2, 0 },
		{ "eu_call_vol3", "call", "european", 100, 100, 1, 0.05, 0, 3, 0 },
		{ "eu_call_vol5", "call", "european", 100, 100, 1, 0.05, 0, 5, 0 },
		{ "eu_put_vol5", "put", "european", 100, 100, 1, 0.05, 0, 5, 0 },
		{ "eu_call_k400", "call", "european", 100, 400, 1, 0.05, 0, 0.2, 0 },
		{ "eu_put_k25", "put", "european", 100, 25, 1, 0.05, 0, 0.2, 0 },
		{ "dig_call_atm", "call", "digital", 100, 100, 1, 0.05, 0, 0.2, 1 },
		{ "dig_call_k105", "call", "digital", 100, 105, 1, 0.05, 0, 0.2, 3 },
		{ "dig_put_haug", "put", "digital", 100, 80, 0.75, 0.06, 0.06, 0.35, 10 },
		{ "dig_call_k400", "call", "digital", 100, 400, 1, 0.05, 0, 0.2, 1 },
		{ "dig_call_k211", "call", "digital", 100, 211, 1, 0.05, 0, 0.2, 10000 },
		// P(S_T > K) = 0.5 + 2.17e-5: a scrambled 1-dimensional net of
		// m = 2^k points has m / 2 or m / 2 + 1 points above K, the
		// latter with probability frac(m P) = 0.011 at m = 512 and
		// 0.089 at 4096, so replicate means are nearly all equal.
		{ "dig_call_lattice", "call", "digital", 100, 103.04433, 1, 0.05,
		    0, 0.2, 1 },
	};
	Out out = open_out(dir, "vanilla.csv");
	FILE *f = out.f;

	std::fprintf(f, "case,type,style,spot,strike,maturity,rate,dividend,"
	    "vol,payout,truth,truth_err,method\n");
	for (const Vanilla &v : rows) {
		bool dig = std::string(v.style) == "digital";
		Market m = market(v.S, v.T, v.r, v.q, v.vol, 1);
		ext::shared_ptr<StrikedTypePayoff> pay;
		if (dig)
			pay = ext::make_shared<CashOrNothingPayoff>(otype(v.type),
			    v.K, v.payout);
		else
			pay = ext::make_shared<PlainVanillaPayoff>(otype(v.type),
			    v.K);
		VanillaOption o(pay,
		    ext::make_shared<EuropeanExercise>(m.expiry));
		o.setPricingEngine(
		    ext::make_shared<AnalyticEuropeanEngine>(m.proc));
		// QuantLib's engine takes N(x) as (1 + erf(x / sqrt 2)) / 2,
		// which keeps only absolute digits: far out of the money it is
		// off by up to 0.5% (the put at 25).  So the truth is the
		// formula with erfc, checked by the integral; QuantLib's value
		// is shown beside them.
		double ql = o.NPV(), t = bs_formula(v), in = bs_integral(v, t);
		double err = std::fmax(std::fabs(t - in), analytic_err(t));
		std::fprintf(stderr, "ql_refs: %s: formula %.15g, integral "
		    "%.15g, ql %.15g\n", v.id, t, in, ql);
		std::fprintf(f, "%s,%s,%s,%.15g,%.15g,%.15g,%.15g,%.15g,%.15g,",
		    v.id, v.type, v.style, v.S, v.K, v.T, v.r, v.q, v.vol);
		if (dig)
			std::fprintf(f, "%.15g", v.payout);
		std::fprintf(f, ",%.15g,%.2g,Black-Scholes with erfc; Gauss-"
		    "Kronrod integral check (ql AnalyticEuropeanEngine %s)\n",
		    t, err, std::fabs(ql - t) <= err ? "agrees" :
		    "loses digits here");
	}
	close_out(out);
}

// ---- exotic.csv: asians, barriers with rebates, lookbacks.

struct Exotic {
	const char *id, *type, *style;
	double S, K, T, r, q, vol;
	const char *average;	// asian
	unsigned fixings;
	double H;		// barrier
	const char *btype;
	double rebate;
	const char *ktype;	// lookback strike_type
};

// The geometric average's value by QuantLib's analytic discrete engine.
double
asian_geo(const Exotic &e, const Market &m)
{
	DiscreteAveragingAsianOption o(Average::Geometric, 1.0, 0, m.dates,
	    ext::make_shared<PlainVanillaPayoff>(otype(e.type), e.K),
	    ext::make_shared<EuropeanExercise>(m.expiry));
	o.setPricingEngine(ext::make_shared<
	    AnalyticDiscreteGeometricAveragePriceAsianEngine>(m.proc));
	return o.NPV();
}

// The arithmetic average by a Monte Carlo of our own (std::mt19937_64,
// antithetic pairs, the geometric average as control variate with its
// coefficient from a pilot and its mean from QuantLib's analytic engine),
// with 2^25 pairs, so that its standard error is far below any test's;
// QuantLib's own Sobol engine (Brownian bridge) is the check.
void
asian_arith(const Exotic &e, const Market &m, double geo, double *v,
    double *err)
{
	const unsigned F = e.fixings;
	const double dt = e.T / F, mu = (e.r - e.q - 0.5 * e.vol * e.vol) * dt;
	const double sd = e.vol * std::sqrt(dt), df = std::exp(-e.r * e.T);
	const bool put = std::string(e.type) == "put";
	std::mt19937_64 gen(20240101);
	std::normal_distribution<double> N01;
	std::vector<double> z(F);
	// One antithetic pair: the payoff Y and the control C, each averaged.
	auto pair = [&](double *y, double *c) {
		for (unsigned k = 0; k < F; k++)
			z[k] = N01(gen);
		*y = *c = 0;
		for (double sg : { 1.0, -1.0 }) {
			double x = std::log(e.S), a = 0, l = 0;
			for (unsigned k = 0; k < F; k++) {
				x += mu + sd * sg * z[k];
				a += std::exp(x);
				l += x;
			}
			a /= F;
			l = std::exp(l / F);
			*y += 0.5 * df * std::fmax(put ? e.K - a : a - e.K, 0.0);
			*c += 0.5 * df * std::fmax(put ? e.K - l : l - e.K, 0.0);
		}
	};
	double sy = 0, sc = 0, syc = 0, scc = 0, y, c, b;
	const long pilot = 1 << 16, npairs = 1L << 25;
	for (long i = 0; i < pilot; i++) {
		pair(&y, &c);
		sy += y;
		sc += c;
		syc += y * c;
		scc += c * c;
	}
	b = (syc - sy * sc / pilot) / (scc - sc * sc / pilot);
	// Welford's running mean and sum of squares of the controlled pairs.
	double mean = 0, m2 = 0;
	for (long i = 1; i <= npairs; i++) {
		pair(&y, &c);
		double x = y - b * (c - geo), d = x - mean;
		mean += d / i;
		m2 += d * (x - mean);
	}
	double se = std::sqrt(m2 / (npairs - 1) / npairs);
	DiscreteAveragingAsianOption o(Average::Arithmetic, 0.0, 0, m.dates,
	    ext::make_shared<PlainVanillaPayoff>(otype(e.type), e.K),
	    ext::make_shared<EuropeanExercise>(m.expiry));
	o.setPricingEngine(MakeMCDiscreteArithmeticAPEngine<LowDiscrepancy>(
	    m.proc).withSamples(1 << 22).withControlVariate(true)
	    .withBrownianBridge(true));
	double qmc = o.NPV();
	std::fprintf(stderr, "ql_refs: %s: own mc %.8f +/- %.2g (b = %.4f), "
	    "ql sobol %.8f\n", e.id, mean, se, b, qmc);
	*v = mean;
	*err = std::fmax(3 * se, std::fabs(qmc - mean));
}

Barrier::Type
btype(const std::string &b)
{
	return b == "down-out" ? Barrier::DownOut : b == "down-in" ?
	    Barrier::DownIn : b == "up-out" ? Barrier::UpOut : Barrier::UpIn;
}

// A continuous barrier by Reiner and Rubinstein's formulas (a knock-out's
// rebate paid at the hit, a knock-in's at expiry), checked against
// QuantLib's finite-difference barrier and rebate engines on grids of
// 2000^2 and 8000^2, extrapolated as first order in the grid.
void
barrier_price(const Exotic &e, const Market &m, double *v, double *err)
{
	BarrierOption o(btype(e.btype), e.H, e.rebate,
	    ext::make_shared<PlainVanillaPayoff>(otype(e.type), e.K),
	    ext::make_shared<EuropeanExercise>(m.expiry));
	o.setPricingEngine(ext::make_shared<AnalyticBarrierEngine>(m.proc));
	double a = o.NPV(), f[2];
	Size N[2] = { 2000, 8000 };
	for (int i = 0; i < 2; i++) {
		o.setPricingEngine(ext::make_shared<
		    FdBlackScholesBarrierEngine>(m.proc, N[i], N[i], 50));
		f[i] = o.NPV();
	}
	double x = f[1] + (f[1] - f[0]) / 3;
	std::fprintf(stderr, "ql_refs: %s: analytic %.10f, fd %.10f %.10f "
	    "-> %.10f\n", e.id, a, f[0], f[1], x);
	*v = a;
	*err = std::fmax(analytic_err(a), std::fabs(x - a));
}

// Continuous lookbacks with the running extreme at the spot.
double
lookback_price(const Exotic &e, const Market &m)
{
	auto ex = ext::make_shared<EuropeanExercise>(m.expiry);
	if (std::string(e.ktype) == "floating") {
		ContinuousFloatingLookbackOption o(e.S,
		    ext::make_shared<FloatingTypePayoff>(otype(e.type)), ex);
		o.setPricingEngine(ext::make_shared<
		    AnalyticContinuousFloatingLookbackEngine>(m.proc));
		return o.NPV();
	}
	ContinuousFixedLookbackOption o(e.S,
	    ext::make_shared<PlainVanillaPayoff>(otype(e.type), e.K), ex);
	o.setPricingEngine(ext::make_shared<
	    AnalyticContinuousFixedLookbackEngine>(m.proc));
	return o.NPV();
}

void
exotic(const char *dir)
{
	static const Exotic rows[] = {
		{ "asian_geo_call", "call", "asian", 100, 100, 1, 0.05, 0, 0.3,
		    "geometric", 12, 0, "", 0, "" },
		{ "asian_geo_put", "put", "asian", 100, 105, 1, 0.05, 0.02, 0.3,
		    "geometric", 12, 0, "", 0, "" },
		{ "asian_arith_call", "call", "asian", 100, 100, 1, 0.05, 0, 0.3,
		    "arithmetic", 12, 0, "", 0, "" },
		{ "asian_arith_put", "put", "asian", 100, 105, 1, 0.05, 0.02,
		    0.3, "arithmetic", 12, 0, "", 0, "" },
		{ "barrier_do_call_reb", "call", "barrier", 100, 100, 1, 0.05, 0,
		    0.25, "", 0, 90, "down-out", 3, "" },
		{ "barrier_uo_call_reb", "call", "barrier", 100, 100, 1, 0.05, 0,
		    0.25, "", 0, 130, "up-out", 5, "" },
		{ "barrier_ui_put_reb", "put", "barrier", 100, 100, 1, 0.05, 0,
		    0.25, "", 0, 110, "up-in", 2, "" },
		{ "barrier_di_call_reb", "call", "barrier", 100, 105, 0.5, 0.03,
		    0.01, 0.3, "", 0, 95, "down-in", 1.5, "" },
		{ "lookback_fixed_call", "call", "lookback", 100, 100, 1, 0.05, 0,
		    0.3, "", 0, 0, "", 0, "fixed" },
		{ "lookback_fixed_put", "put", "lookback", 100, 100, 1, 0.05, 0,
		    0.3, "", 0, 0, "", 0, "fixed" },
		{ "lookback_float_call", "call", "lookback", 100, 0, 1, 0.05,
		    0.02, 0.3, "", 0, 0, "", 0, "floating" },
		{ "lookback_float_put", "put", "lookback", 100, 0, 1, 0.05, 0,
		    0.3, "", 0, 0, "", 0, "floating" },
	};
	Out out = open_out(dir, "exotic.csv");
	FILE *f = out.f;

	std::fprintf(f, "case,type,style,spot,strike,maturity,rate,dividend,"
	    "vol,average,fixings,barrier,barrier_type,rebate,strike_type,"
	    "truth,truth_err,method\n");
	for (const Exotic &e : rows) {
		std::string st = e.style;
		Market m = market(e.S, e.T, e.r, e.q, e.vol,
		    e.fixings ? e.fixings : 1);
		double v = 0, err = 0;
		const char *how = "";
		if (st == "asian" && std::string(e.average) == "geometric") {
			v = asian_geo(e, m);
			err = analytic_err(v);
			how = "ql AnalyticDiscreteGeometricAveragePriceAsianEngine";
		} else if (st == "asian") {
			Exotic g = e;
			g.average = "geometric";
			asian_arith(e, m, asian_geo(g, m), &v, &err);
			how = "own MC 2^26 paths (antithetic; geometric control "
			    "from ql analytic) vs ql MCDiscreteArithmeticAPEngine "
			    "Sobol 2^22";
		} else if (st == "barrier") {
			barrier_price(e, m, &v, &err);
			how = "ql AnalyticBarrierEngine; "
			    "FdBlackScholesBarrierEngine check";
		} else {
			v = lookback_price(e, m);
			err = analytic_err(v);
			how = "ql AnalyticContinuous(Fixed|Floating)LookbackEngine";
		}
		std::fprintf(f, "%s,%s,%s,%.15g,", e.id, e.type, e.style, e.S);
		if (e.K > 0)
			std::fprintf(f, "%.15g", e.K);
		std::fprintf(f, ",%.15g,%.15g,%.15g,%.15g,%s,", e.T, e.r, e.q,
		    e.vol, e.average);
		if (e.fixings)
			std::fprintf(f, "%u", e.fixings);
		std::fprintf(f, ",");
		if (e.H > 0)
			std::fprintf(f, "%.15g", e.H);
		std::fprintf(f, ",%s,", e.btype);
		if (e.H > 0)
			std::fprintf(f, "%.15g", e.rebate);
		std::fprintf(f, ",%s,%.15g,%.2g,%s\n", e.ktype, v, err, how);
	}
	close_out(out);
}

// ---- american.csv: the Longstaff-Schwartz table and more.

struct Early {
	const char *id, *type, *style;
	double S, K, T, r, q, vol;
	unsigned fixings;
};

// Finite differences (Douglas, damped first steps) on an N x N grid.
double
fd(const Market &m, const ext::shared_ptr<StrikedTypePayoff> &pay,
    const ext::shared_ptr<Exercise> &ex, Size N)
{
	VanillaOption o(pay, ex);
	o.setPricingEngine(ext::make_shared<FdBlackScholesVanillaEngine>(
	    m.proc, N, N, 20));
	return o.NPV();
}

// The Bermudan by backward induction over the exercise dates on a grid of
// log prices of step h, with the exact Gaussian transition between dates
// integrated by the trapezoid rule: a method of our own, independent of
// QuantLib's engines.  The grid reaches 10 sd of log(S_T) either side;
// beyond it the value is taken as the intrinsic value.
double
bermudan_quad(bool put, double S, double K, double T, double r, double q,
    double vol, unsigned n, double h)
{
	double dt = T / n, mu = (r - q - 0.5 * vol * vol) * dt;
	double sd = vol * std::sqrt(dt), df = std::exp(-r * dt);
	double L = 10 * vol * std::sqrt(T) + std::fabs(r - q) * T + 0.5;
	long M = (long)std::ceil(L / h), W = (long)std::ceil(10 * sd / h), i, k;
	std::vector<double> x(2 * M + 1), pay(2 * M + 1), V(2 * M + 1),
	    C(2 * M + 1), w(2 * W + 1);

	for (i = -M; i <= M; i++) {
		double s = S * std::exp(i * h);
		x[i + M] = s;
		pay[i + M] = std::fmax(put ? K - s : s - K, 0.0);
		V[i + M] = pay[i + M];
	}
	// The density of the step's log return at the grid's offsets.
	for (k = -W; k <= W; k++) {
		double z = (k * h - mu) / sd;
		w[k + W] = h * std::exp(-0.5 * z * z) /
		    (sd * std::sqrt(2 * M_PI));
	}
	for (unsigned f = n; f-- > 0;) {
		for (i = -M; i <= M; i++) {
			double c = 0;
			for (k = -W; k <= W; k++) {
				long j = i + k;
				double vj;
				if (j < -M || j > M) {
					double s = S * std::exp(j * h);
					vj = std::fmax(put ? K - s : s - K, 0.0);
				} else {
					vj = V[j + M];
				}
				c += w[k + W] * vj;
			}
			C[i + M] = df * c;
		}
		for (i = 0; i < 2 * M + 1; i++)
			V[i] = f >= 1 ? std::fmax(pay[i], C[i]) : C[i];
	}
	return V[M];
}

void
early(const Early &e, FILE *f)
{
	Market m = market(e.S, e.T, e.r, e.q, e.vol, e.fixings);
	bool put = std::string(e.type) == "put";
	ext::shared_ptr<StrikedTypePayoff> pay =
	    ext::make_shared<PlainVanillaPayoff>(otype(e.type), e.K);
	ext::shared_ptr<Exercise> bx =
	    ext::make_shared<BermudanExercise>(m.dates);
	ext::shared_ptr<Exercise> ax =
	    ext::make_shared<AmericanExercise>(today, m.expiry);
	VanillaOption eu(pay, ext::make_shared<EuropeanExercise>(m.expiry));
	double ev, b0, b1, q0, q1, bv, be, a0, a1, av, ae;

	eu.setPricingEngine(ext::make_shared<AnalyticEuropeanEngine>(m.proc));
	ev = eu.NPV();
	// The Bermudan: our quadrature at h and h / 2 (second order, so
	// extrapolated), and QuantLib's finite differences on 1000^2 and
	// 4000^2 grids, extrapolated as first order (their error falls 4 to
	// 5 times from one to the other), as the check.
	q0 = bermudan_quad(put, e.S, e.K, e.T, e.r, e.q, e.vol, e.fixings,
	    0.002);
	q1 = bermudan_quad(put, e.S, e.K, e.T, e.r, e.q, e.vol, e.fixings,
	    0.001);
	bv = q1 + (q1 - q0) / 3;
	b0 = fd(m, pay, bx, 1000);
	b1 = fd(m, pay, bx, 4000);
	double bx1 = b1 + (b1 - b0) / 3;
	be = std::fmax(std::fabs(bv - bx1), std::fabs(q1 - q0));
	std::fprintf(stderr, "ql_refs: %s: bermudan quad %.9f %.9f -> %.9f, "
	    "fd %.9f %.9f -> %.9f\n", e.id, q0, q1, bv, b0, b1, bx1);
	// The American: Andersen, Lake and Offengenden's fixed-point method
	// (QuantLib's high-precision scheme), checked by finite differences
	// extrapolated as first order in the grid.  At r < 0 the put is
	// worth its European (early exercise never pays), which the finite
	// differences alone confirm.
	a0 = fd(m, pay, ax, 1000);
	a1 = fd(m, pay, ax, 4000);
	double ax1 = a1 + (a1 - a0) / 3;
	if (e.r >= 0) {
		VanillaOption o(pay, ax);
		o.setPricingEngine(ext::make_shared<QdFpAmericanEngine>(m.proc,
		    QdFpAmericanEngine::highPrecisionScheme()));
		av = o.NPV();
		ae = std::fabs(av - ax1);
	} else {
		av = ax1;
		ae = std::fmax(std::fabs(a1 - a0), std::fabs(av - ev));
	}
	std::fprintf(stderr, "ql_refs: %s: american fd %.9f %.9f -> %.9f, "
	    "qdfp %.9f, european %.9f\n", e.id, a0, a1, ax1, av, ev);
	std::fprintf(f, "%s,%s,%s,%.15g,%.15g,%.15g,%.15g,%.15g,%.15g,%u,"
	    "%.10f,%.2g,%.10f,%.2g,%.10f,%s\n", e.id, e.type, e.style, e.S,
	    e.K, e.T, e.r, e.q, e.vol, e.fixings, bv, std::fmax(be, 1e-9), av,
	    std::fmax(ae, 1e-9), ev, e.r >= 0 ?
	    "bermudan: own quadrature vs ql FdBlackScholesVanillaEngine; "
	    "american: ql QdFpAmericanEngine vs FD" :
	    "bermudan: own quadrature vs ql FdBlackScholesVanillaEngine; "
	    "american: ql FD (= european)");
}

void
american(const char *dir)
{
	std::vector<Early> rows;
	static char ids[64][48];
	unsigned n = 0;

	// Longstaff and Schwartz (2001), table 1: K = 40, r = 0.06, and
	// mcprice's default american grid of ceil(50 T) dates.
	for (double S : { 36, 38, 40, 42, 44 })
		for (double vol : { 0.2, 0.4 })
			for (double T : { 1, 2 }) {
				std::snprintf(ids[n], sizeof(ids[n]),
				    "ls_put_%g_%g_%g", S, vol, T);
				rows.push_back({ ids[n++], "put", "american", S,
				    40, T, 0.06, 0, vol, (unsigned)(50 * T) });
			}
	rows.push_back({ "bm_put_36_12", "put", "bermudan", 36, 40, 1, 0.06,
	    0, 0.2, 12 });
	rows.push_back({ "bm_put_40_4", "put", "bermudan", 40, 40, 1, 0.06,
	    0, 0.2, 4 });
	rows.push_back({ "bm_put_44_12", "put", "bermudan", 44, 40, 1, 0.06,
	    0, 0.4, 12 });
	// Where early exercise never pays: a call without dividends, and a
	// put at a negative rate; each is worth its European.
	rows.push_back({ "am_call_nodiv", "call", "american", 100, 100, 1,
	    0.05, 0, 0.25, 50 });
	rows.push_back({ "am_put_negrate", "put", "american", 100, 100, 1,
	    -0.02, 0, 0.2, 50 });
	rows.push_back({ "bm_call_nodiv_12", "call", "bermudan", 100, 100, 1,
	    0.05, 0, 0.25, 12 });
	// A call whose dividend makes early exercise worth something.
	rows.push_back({ "am_call_div", "call", "american", 100, 100, 1, 0.03,
	    0.07, 0.3, 50 });
	// Where early exercise is worth very little, so that a fitted rule
	// that exercises by mistake shows: a call with a small dividend and
	// a put at a small rate.
	rows.push_back({ "am_call_smalldiv", "call", "american", 100, 100, 1,
	    0.05, 0.02, 0.25, 50 });
	rows.push_back({ "am_put_smallrate", "put", "american", 100, 100, 1,
	    0.005, 0, 0.2, 50 });
	Out out = open_out(dir, "american.csv");
	FILE *f = out.f;
	std::fprintf(f, "case,type,style,spot,strike,maturity,rate,dividend,"
	    "vol,fixings,truth,truth_err,american,american_err,european,"
	    "method\n");
	for (const Early &e : rows)
		early(e, f);
	close_out(out);
}

// ---- models.csv: Heston and Merton europeans.

struct Model {
	const char *id, *type, *model;
	double S, K, T, r, q;
	double vol, v0, kappa, vbar, xi, rho, lambda, jm, jv;
};

// The contract; T = 1 is a whole year of days, so no rescaled clock.
VanillaOption
model_option(const Model &e)
{
	Date ex = today + (Integer)std::lround(365 * e.T);
	return VanillaOption(ext::make_shared<PlainVanillaPayoff>(
	    otype(e.type), e.K), ext::make_shared<EuropeanExercise>(ex));
}

// Heston by QuantLib's Fourier integral (adaptive Gauss-Lobatto), checked
// by its COS method.
double
heston(const Model &e, double *err)
{
	auto proc = ext::make_shared<HestonProcess>(flat(e.r), flat(e.q),
	    quote(e.S), e.v0, e.kappa, e.vbar, e.xi, e.rho);
	auto model = ext::make_shared<HestonModel>(proc);
	VanillaOption o = model_option(e);
	o.setPricingEngine(ext::make_shared<AnalyticHestonEngine>(model,
	    1e-12, 1000000));
	double a = o.NPV();
	o.setPricingEngine(ext::make_shared<COSHestonEngine>(model, 16, 4000));
	double c = o.NPV();
	std::fprintf(stderr, "ql_refs: %s: lobatto %.12f, cos %.12f\n", e.id,
	    a, c);
	*err = std::fmax(std::fabs(a - c), analytic_err(a));
	return a;
}

// Merton by QuantLib's jump-diffusion engine, checked by our own sum of
// Black-Scholes prices over the number of jumps k (Merton 1976): Poisson
// weights of intensity lambda (1 + m) T, rate r - lambda m + k log(1 + m)
// / T and variance vol^2 + k jump_vol^2 / T, with m = E[e^J] - 1.
double
merton(const Model &e, double *err)
{
	Handle<BlackVolTermStructure> vts(ext::make_shared<BlackConstantVol>(
	    today, NullCalendar(), e.vol, dc));
	auto proc = ext::make_shared<Merton76Process>(quote(e.S), flat(e.q),
	    flat(e.r), vts, quote(e.lambda), quote(e.jm), quote(e.jv));
	VanillaOption o = model_option(e);
	o.setPricingEngine(ext::make_shared<JumpDiffusionEngine>(proc, 1e-14,
	    1000));
	double a = o.NPV(), m = std::expm1(e.jm + 0.5 * e.jv * e.jv);
	double lt = e.lambda * (1 + m) * e.T, w = std::exp(-lt), sum = 0;
	for (int k = 0; k < 200; k++) {
		Vanilla v = { e.id, e.type, "european", e.S, e.K, e.T,
		    e.r - e.lambda * m + k * std::log1p(m) / e.T, e.q,
		    std::sqrt(e.vol * e.vol + k * e.jv * e.jv / e.T), 0 };
		sum += w * bs_formula(v);
		w *= lt / (k + 1);
	}
	std::fprintf(stderr, "ql_refs: %s: ql %.12f, own series %.12f\n",
	    e.id, a, sum);
	*err = std::fmax(std::fabs(a - sum), analytic_err(a));
	return a;
}

void
models(const char *dir)
{
	static const Model rows[] = {
		// Lewis (2000) and Fang-Oosterlee (2008)'s test cases.
		{ "heston_put_lewis", "put", "heston", 100, 100, 1, 0.01, 0.02,
		    0, 0.04, 4, 0.25, 1, -0.5, 0, 0, 0 },
		{ "heston_call_fo", "call", "heston", 100, 100, 1, 0, 0,
		    0, 0.0175, 1.5768, 0.0398, 0.5751, -0.5711, 0, 0, 0 },
		{ "heston_call_mid", "call", "heston", 100, 110, 1, 0.05, 0,
		    0, 0.04, 1.5, 0.04, 0.5, -0.7, 0, 0, 0 },
		{ "merton_call", "call", "merton", 100, 105, 1, 0.05, 0,
		    0.2, 0, 0, 0, 0, 0, 1, -0.1, 0.3 },
		{ "merton_put", "put", "merton", 100, 100, 1, 0.05, 0.01,
		    0.15, 0, 0, 0, 0, 0, 0.5, -0.2, 0.2 },
	};
	Out out = open_out(dir, "models.csv");
	FILE *f = out.f;

	std::fprintf(f, "case,type,style,model,spot,strike,maturity,rate,"
	    "dividend,vol,v0,kappa,vbar,xi,rho_sv,lambda,jump_mean,jump_vol,"
	    "truth,truth_err,method\n");
	for (const Model &e : rows) {
		bool h = std::string(e.model) == "heston";
		double err, v = h ? heston(e, &err) : merton(e, &err);
		std::fprintf(f, "%s,%s,european,%s,%.15g,%.15g,%.15g,%.15g,%.15g,",
		    e.id, e.type, e.model, e.S, e.K, e.T, e.r, e.q);
		if (h)
			std::fprintf(f, ",%.15g,%.15g,%.15g,%.15g,%.15g,,,",
			    e.v0, e.kappa, e.vbar, e.xi, e.rho);
		else
			std::fprintf(f, "%.15g,,,,,,%.15g,%.15g,%.15g", e.vol,
			    e.lambda, e.jm, e.jv);
		std::fprintf(f, ",%.15g,%.2g,%s\n", v, err, h ?
		    "ql AnalyticHestonEngine (Gauss-Lobatto 1e-12) vs "
		    "COSHestonEngine" : "ql JumpDiffusionEngine vs own series");
	}
	close_out(out);
}

}	// namespace

int
main(int argc, char **argv)
{
	static const struct {
		const char *name;
		void (*fn)(const char *);
	} fam[] = { { "vanilla", vanilla }, { "exotic", exotic },
	    { "models", models }, { "american", american } };

	if (argc < 2) {
		std::fprintf(stderr, "usage: ql_refs DIR [FAMILY ...]\n");
		return 64;
	}
	Settings::instance().evaluationDate() = today;
	try {
		for (const auto &x : fam) {
			bool want = argc == 2;
			for (int i = 2; i < argc; i++)
				want |= std::string(argv[i]) == x.name;
			if (want)
				x.fn(argv[1]);
		}
	} catch (std::exception &e) {
		std::fprintf(stderr, "ql_refs: %s\n", e.what());
		return 70;
	}
	return 0;
}
