#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""np_bench: the numpy baseline for scripts/bench.

usage: np_bench.py european|pi COUNT

european: a Black-Scholes call (S=100 K=100 T=1 r=0.05 vol=0.2) from COUNT
GBM terminal values, vectorised in chunks of 2^20 paths so that memory stays
flat; prints "european,COUNT,price,stderr".
pi: COUNT darts in the unit square, in the same chunks; prints
"pi,COUNT,estimate,stderr".
"""
import sys

import numpy as np

CHUNK = 1 << 20


def main():
    what, n = sys.argv[1], int(float(sys.argv[2]))
    rng = np.random.default_rng(42)
    # Chunk means and squared deviations, merged by Chan et al.'s rule.
    mean = m2 = 0.0
    done = 0
    while done < n:
        m = min(CHUNK, n - done)
        if what == "european":
            z = rng.standard_normal(m)
            st = 100.0 * np.exp((0.05 - 0.5 * 0.04) + 0.2 * z)
            v = np.exp(-0.05) * np.maximum(st - 100.0, 0.0)
        elif what == "pi":
            x = rng.random(m)
            y = rng.random(m)
            v = 4.0 * (x * x + y * y <= 1.0)
        else:
            sys.exit("np_bench: unknown kind " + what)
        cm = float(v.mean())
        d = v - cm
        cm2 = float(np.dot(d, d))
        delta = cm - mean
        tot = done + m
        mean += delta * m / tot
        m2 += cm2 + delta * delta * done * m / tot
        done = tot
    var = m2 / (n - 1)
    print("%s,%d,%.8f,%.8f" % (what, n, mean, (var / n) ** 0.5))


main()
