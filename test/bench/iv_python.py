"""The Python way condor replaces: fetch the chain with psycopg2, solve implied vols with
numpy (vectorised safeguarded Newton, the usual hand-written approach) and scipy's
normal distribution.  Prints the time against condor's implied_vol over the same rows.
Usage: iv_python.py ROWS CONDOR_MS (connection from the PG* environment)."""
import sys
import time

import numpy as np
import psycopg2
from scipy.stats import norm


def bs(cp, s, k, t, v, r, q):
    st = v * np.sqrt(t)
    d1 = (np.log(s / k) + (r - q + 0.5 * v * v) * t) / st
    d2 = d1 - st
    call = s * np.exp(-q * t) * norm.cdf(d1) - k * np.exp(-r * t) * norm.cdf(d2)
    put = k * np.exp(-r * t) * norm.cdf(-d2) - s * np.exp(-q * t) * norm.cdf(-d1)
    return np.where(cp, call, put), s * np.exp(-q * t) * norm.pdf(d1) * np.sqrt(t)


def main():
    rows, condor_ms = int(sys.argv[1]), float(sys.argv[2])
    t0 = time.perf_counter()
    conn = psycopg2.connect("")
    cur = conn.cursor()
    cur.execute("SELECT price, cp, spot, strike, t, r, q FROM ivchain")
    data = cur.fetchall()
    t1 = time.perf_counter()
    price = np.array([d[0] for d in data])
    cp = np.array([d[1] == 'C' for d in data])
    s, k, t, r, q = (np.array([d[i] for d in data]) for i in range(2, 7))
    lo, hi, v = np.full_like(price, 1e-6), np.full_like(price, 5.0), np.full_like(price, 0.2)
    for _ in range(60):
        f, vega = bs(cp, s, k, t, v, r, q)
        f -= price
        hi = np.where(f > 0, v, hi)
        lo = np.where(f <= 0, v, lo)
        with np.errstate(divide='ignore', invalid='ignore', over='ignore'):
            nv = v - f / vega
        v = np.where((vega > 1e-12) & (nv > lo) & (nv < hi), nv, 0.5 * (lo + hi))
    t2 = time.perf_counter()
    total = (t2 - t0) * 1000
    print(f"  Python (psycopg2 fetch {1000 * (t1 - t0):.0f} ms + numpy/scipy solve {1000 * (t2 - t1):.0f} ms) "
          f"{total:.0f} ms vs condor {condor_ms} ms: condor {total / condor_ms:.1f}x faster")


main()
