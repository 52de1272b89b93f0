/* SPDX-License-Identifier: GPL-3.0-or-later */
// ql_bench: the QuantLib 1.29 baseline for scripts/bench.
//
// usage: ql_bench european|asian|american PATHS [STEPS]
//
// Prices one option with QuantLib's own Monte Carlo engines (pseudo-random,
// Mersenne Twister + inverse normal, seed 42) and prints
// "name,paths,price,stderr".  The contracts are the ones scripts/bench
// gives mcprice: S=100 K=100 T=1 r=0.05 q=0 vol=0.2 for the European call
// and the arithmetic Asian call (STEPS fixings, default 252), and the
// Longstaff-Schwartz put S=36 K=40 T=1 r=0.06 vol=0.2 with STEPS exercise
// dates (default 50).
#include <ql/quantlib.hpp>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <iostream>

using namespace QuantLib;

int
main(int argc, char **argv)
{
	if (argc < 3) {
		std::fprintf(stderr, "usage: ql_bench european|asian|american "
		    "PATHS [STEPS]\n");
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
