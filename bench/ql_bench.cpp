/* SPDX-License-Identifier: GPL-3.0-or-later */
// ql_bench: the QuantLib 1.29 baseline for scripts/bench.
//
// usage: ql_bench european|asian|american|heston|merton PATHS [STEPS]
//
// Prices one option with QuantLib's own Monte Carlo engines (pseudo-random,
// Mersenne Twister + inverse normal, seed 42) and prints
// "name,paths,price,stderr".  The contracts are the ones scripts/bench
// gives mcprice: S=100 K=100 T=1 r=0.05 q=0 vol=0.2 for the European call
// and the arithmetic Asian call (STEPS fixings, default 252), and the
// Longstaff-Schwartz put S=36 K=40 T=1 r=0.06 vol=0.2 with STEPS exercise
// dates (default 50): MCAmericanEngine on a grid of STEPS time steps
// exercises only at the grid's dates, so it prices the Bermudan on them
// (mcprice --style bermudan --fixings STEPS), with one rule fitted on the
// monomials 1, S, S^2, S^3 over PATHS / 5 calibration paths (at least
// 2048), no control variate and no antithetics.
//
// heston: the European put S=K=100 T=0.5 r=0.05 q=0, v0=0.04 kappa=1.5
// theta=0.04 xi=0.5 rho=-0.7 by MCEuropeanHestonEngine with Andersen's QE
// scheme and his martingale correction (QuantLib's
// QuadraticExponentialMartingale, mcprice's scheme), STEPS steps (default
// 25); its last field is the AnalyticHestonEngine price.
// merton: QuantLib has no Monte Carlo engine for Merton76Process; this
// prints the analytic JumpDiffusionEngine price of the put S=K=100 T=0.5
// r=0.05 vol=0.2 lambda=1 jump_mean=-0.1 jump_vol=0.25 (stderr 0), the
// reference that scripts/bench checks mcprice's Monte Carlo price against.
// Both use Actual/360 and 180 days, so that T is 0.5 exactly.
#include <ql/quantlib.hpp>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <iostream>

using namespace QuantLib;

// The Heston and Merton puts of T = 0.5 (see the top).
static int
half_year(const char *what, Size paths, Size steps)
{
	DayCounter dc = Actual360();
	Date today(1, January, 2024);
	Settings::instance().evaluationDate() = today;
	Date expiry = today + 180;
	Handle<Quote> S(ext::make_shared<SimpleQuote>(100.0));
	Handle<YieldTermStructure> rts(
	    ext::make_shared<FlatForward>(today, 0.05, dc));
	Handle<YieldTermStructure> qts(
	    ext::make_shared<FlatForward>(today, 0.0, dc));
	auto payoff = ext::make_shared<PlainVanillaPayoff>(Option::Put, 100.0);
	VanillaOption opt(payoff, ext::make_shared<EuropeanExercise>(expiry));

	if (std::strcmp(what, "heston") == 0) {
		auto process = ext::make_shared<HestonProcess>(rts, qts, S,
		    0.04, 1.5, 0.04, 0.5, -0.7,
		    HestonProcess::QuadraticExponentialMartingale);
		opt.setPricingEngine(ext::make_shared<AnalyticHestonEngine>(
		    ext::make_shared<HestonModel>(process)));
		Real ref = opt.NPV();
		opt.setPricingEngine(
		    MakeMCEuropeanHestonEngine<PseudoRandom>(process)
		    .withSteps(steps == 0 ? 25 : steps).withSamples(paths)
		    .withSeed(42));
		std::printf("heston,%zu,%.8f,%.8f,%.10f\n", (size_t)paths,
		    opt.NPV(), opt.errorEstimate(), ref);
		return 0;
	}
	Handle<BlackVolTermStructure> vts(ext::make_shared<BlackConstantVol>(
	    today, NullCalendar(), 0.2, dc));
	auto process = ext::make_shared<Merton76Process>(S, qts, rts, vts,
	    Handle<Quote>(ext::make_shared<SimpleQuote>(1.0)),
	    Handle<Quote>(ext::make_shared<SimpleQuote>(-0.1)),
	    Handle<Quote>(ext::make_shared<SimpleQuote>(0.25)));
	opt.setPricingEngine(ext::make_shared<JumpDiffusionEngine>(process,
	    1e-12, 1000));
	std::printf("merton,%zu,%.10f,0\n", (size_t)paths, opt.NPV());
	return 0;
}

int
main(int argc, char **argv)
{
	if (argc < 3) {
		std::fprintf(stderr, "usage: ql_bench european|asian|american|"
		    "heston|merton PATHS [STEPS]\n");
		return 64;
	}
	const char *what = argv[1];
	Size paths = (Size)std::strtod(argv[2], nullptr);
	Size steps = argc > 3 ? (Size)std::atol(argv[3]) : 0;

	Calendar cal = NullCalendar();
	DayCounter dc = Actual365Fixed();
	Date today(1, January, 2024);
	Settings::instance().evaluationDate() = today;
	Date expiry = today + 365;
	bool american = std::strcmp(what, "american") == 0;
	if (std::strcmp(what, "heston") == 0 || std::strcmp(what, "merton") == 0)
		return half_year(what, paths, steps);
	Real spot = american ? 36.0 : 100.0, strike = american ? 40.0 : 100.0;
	Rate r = american ? 0.06 : 0.05;
	Volatility vol = 0.2;

	auto S = ext::make_shared<SimpleQuote>(spot);
	Handle<YieldTermStructure> rts(
	    ext::make_shared<FlatForward>(today, r, dc));
	Handle<YieldTermStructure> qts(
	    ext::make_shared<FlatForward>(today, 0.0, dc));
	Handle<BlackVolTermStructure> vts(
	    ext::make_shared<BlackConstantVol>(today, cal, vol, dc));
	auto process = ext::make_shared<BlackScholesMertonProcess>(
	    Handle<Quote>(S), qts, rts, vts);
	Real price, se;

	if (std::strcmp(what, "european") == 0) {
		auto payoff = ext::make_shared<PlainVanillaPayoff>(
		    Option::Call, strike);
		auto ex = ext::make_shared<EuropeanExercise>(expiry);
		VanillaOption opt(payoff, ex);
		opt.setPricingEngine(MakeMCEuropeanEngine<PseudoRandom>(process)
		    .withSteps(1).withSamples(paths).withSeed(42));
		price = opt.NPV();
		se = opt.errorEstimate();
	} else if (std::strcmp(what, "asian") == 0) {
		if (steps == 0)
			steps = 252;
		std::vector<Date> fix;
		for (Size i = 1; i <= steps; i++)
			fix.push_back(today + (Integer)(365 * i / steps));
		auto payoff = ext::make_shared<PlainVanillaPayoff>(
		    Option::Call, strike);
		auto ex = ext::make_shared<EuropeanExercise>(fix.back());
		DiscreteAveragingAsianOption opt(Average::Arithmetic, 0.0, 0,
		    fix, payoff, ex);
		opt.setPricingEngine(
		    MakeMCDiscreteArithmeticAPEngine<PseudoRandom>(process)
		    .withSamples(paths).withSeed(42));
		price = opt.NPV();
		se = opt.errorEstimate();
	} else if (american) {
		if (steps == 0)
			steps = 50;
		auto payoff = ext::make_shared<PlainVanillaPayoff>(
		    Option::Put, strike);
		auto ex = ext::make_shared<AmericanExercise>(today, expiry);
		VanillaOption opt(payoff, ex);
		opt.setPricingEngine(MakeMCAmericanEngine<PseudoRandom>(process)
		    .withSteps(steps).withSamples(paths)
		    .withCalibrationSamples(paths / 5 > 2048 ? paths / 5 : 2048)
		    .withPolynomialOrder(3).withBasisSystem(LsmBasisSystem::Monomial)
		    .withSeed(42));
		price = opt.NPV();
		se = opt.errorEstimate();
	} else {
		std::fprintf(stderr, "ql_bench: unknown option kind %s\n", what);
		return 64;
	}
	std::printf("%s,%zu,%.8f,%.8f\n", what, (size_t)paths, price, se);
	return 0;
}
