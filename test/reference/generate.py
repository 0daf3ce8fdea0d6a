#!/usr/bin/python3
"""
test/reference/generate.py -- condor's own reference vectors.

    /usr/bin/python3 test/reference/generate.py                  # rewrite test/reference
    /usr/bin/python3 test/reference/generate.py --only closed    # the mpmath files only
    /usr/bin/python3 test/reference/generate.py --verify DIR     # recompute another set

Writes bsm_european.csv, black76.csv, bachelier.csv, implied_vol.csv (truth from
closed forms evaluated with mpmath at 50 significant digits) and american.csv,
american_convergence.csv (truth from QuantLib's QdFp engine, checked against finite
differences).  Needs Debian's python3-mpmath and, for the American files,
quantlib-python.  test/reference/README.md describes every column.

Every random draw comes from Python's Mersenne Twister seeded with a string ("condor",
the seed, the file), and every input that is computed (a strike from a moneyness, a
log-uniform draw) is computed in mpmath and rounded once to a double, so the inputs do
not depend on the platform's libm: the same seed gives the same files everywhere.
"""

import argparse
import csv
import math
import os
import random
import sys
import time

import mpmath as mp

mp.mp.dps = 50

MINUTE = 1.0 / 525600.0
DAY = 1.0 / 365.0
HERE = os.path.dirname(os.path.abspath(__file__))


# --------------------------------------------------------------------------------------
# numbers in and out

def exact(v):
    """The exact value of a double (or an int) as an mpf."""
    return mp.mpf(float(v))


def as_input(v):
    """An input double, written so that strtod gives it back exactly."""
    return repr(float(v))


def as_truth(v):
    """A high-precision value with 17 significant digits, C style (d.dddde+XX)."""
    if v is None:
        return ''
    v = mp.mpf(v)
    if v == 0:
        return '0.0000000000000000e+00'
    sign = '-' if v < 0 else ''
    a = abs(v)
    e = int(mp.floor(mp.log10(a)))
    m = int(mp.nint(a * mp.power(10, 16 - e)))
    if m >= 10 ** 17:        # log10 landed just below a power of ten
        e += 1
        m = int(mp.nint(a * mp.power(10, 16 - e)))
    elif m < 10 ** 16:
        e -= 1
        m = int(mp.nint(a * mp.power(10, 16 - e)))
    s = str(m)
    return '%s%s.%se%+03d' % (sign, s[0], s[1:], e)


def write_csv(path, columns, rows):
    with open(path, 'w', newline='') as fh:
        out = csv.writer(fh, lineterminator='\n')
        out.writerow(columns)
        for row in rows:
            out.writerow([row.get(c, '') for c in columns])
    print('wrote %s (%d rows)' % (path, len(rows)))


def read_csv(path):
    with open(path, newline='') as fh:
        return list(csv.DictReader(fh))


class Draws:
    """Deterministic draws for one file; every computed value is rounded once."""

    def __init__(self, seed, stream):
        self.g = random.Random('condor/%s/%s' % (seed, stream))

    def u(self, a, b):
        return a + (b - a) * self.g.random()

    def logu(self, a, b):
        la, lb = mp.log(a), mp.log(b)
        return float(mp.exp(la + (lb - la) * exact(self.g.random())))

    def coin(self, p=0.5):
        return self.g.random() < p

    def sign(self):
        return 1 if self.coin() else -1

    def integer(self, a, b):
        """An integer in [a, b]."""
        return a + min(int(self.g.random() * (b - a + 1)), b - a)

    def cp(self, p_call=0.5):
        return 'call' if self.coin(p_call) else 'put'


def rounded(x, step):
    """x to the nearest multiple of step (step a decimal such as 0.01 or 5)."""
    return float(mp.nint(exact(x) / exact(step)) * mp.mpf(str(step)))


def strike_at(F, z, total_vol):
    """The double nearest F e^{z total_vol}: z standard deviations from the forward."""
    return float(exact(F) * mp.exp(exact(z) * exact(total_vol)))


# --------------------------------------------------------------------------------------
# closed forms in mpmath (arguments mpf; omega +1 call, -1 put)

def npdf(x):
    return mp.exp(-x * x / 2) / mp.sqrt(2 * mp.pi)


def ncdf(x):
    return mp.erfc(-x / mp.sqrt(2)) / 2


def bsm(S, K, T, r, q, sigma, omega):
    """BSM price and Greeks per unit (theta and charm per year, as -d/dT)."""
    rt = mp.sqrt(T)
    s = sigma * rt
    Dq, Dr = mp.exp(-q * T), mp.exp(-r * T)
    d1 = (mp.log(S / K) + (r - q) * T) / s + s / 2
    d2 = d1 - s
    n1 = npdf(d1)
    N1, N2 = ncdf(omega * d1), ncdf(omega * d2)
    price = omega * (S * Dq * N1 - K * Dr * N2)
    vega = S * Dq * n1 * rt
    # d(d1)/dT = (2 (r - q) T - d2 s) / (2 T s)
    dd1_dT = (2 * (r - q) * T - d2 * s) / (2 * T * s)
    return dict(
        price=price,
        delta=omega * Dq * N1,
        gamma=Dq * n1 / (S * s),
        vega=vega,
        theta=-S * Dq * n1 * sigma / (2 * rt) + omega * (q * S * Dq * N1 - r * K * Dr * N2),
        rho=omega * K * T * Dr * N2,
        dividend_rho=-omega * S * T * Dq * N1,
        vanna=-Dq * n1 * d2 / sigma,
        volga=vega * d1 * d2 / sigma,
        charm=omega * q * Dq * N1 - Dq * n1 * dd1_dT,
        d1=d1, d2=d2, z=mp.log(K / (S * Dq / Dr)) / s)


def bsm_price(S, K, T, r, q, sigma, omega):
    s = sigma * mp.sqrt(T)
    d1 = (mp.log(S / K) + (r - q) * T) / s + s / 2
    return omega * (S * mp.exp(-q * T) * ncdf(omega * d1)
                    - K * mp.exp(-r * T) * ncdf(omega * (d1 - s)))


def black76(F, K, T, r, sigma, omega):
    """Black-76 price and Greeks per unit; theta and rho with the forward held."""
    rt = mp.sqrt(T)
    s = sigma * rt
    D = mp.exp(-r * T)
    d1 = mp.log(F / K) / s + s / 2
    d2 = d1 - s
    n1 = npdf(d1)
    price = omega * D * (F * ncdf(omega * d1) - K * ncdf(omega * d2))
    return dict(
        price=price,
        delta=omega * D * ncdf(omega * d1),
        gamma=D * n1 / (F * s),
        vega=D * F * n1 * rt,
        theta=r * price - D * F * n1 * sigma / (2 * rt),
        rho=-T * price,
        d1=d1, d2=d2, z=mp.log(K / F) / s)


def bachelier(F, K, T, r, sigma_n, omega):
    """Normal-model price and Greeks per unit; theta and rho with the forward held."""
    rt = mp.sqrt(T)
    s = sigma_n * rt
    D = mp.exp(-r * T)
    d = (F - K) / s
    n = npdf(d)
    price = D * (omega * (F - K) * ncdf(omega * d) + s * n)
    return dict(
        price=price,
        delta=omega * D * ncdf(omega * d),
        vega=D * rt * n,
        gamma=D * n / s,
        theta=r * price - D * sigma_n * n / (2 * rt),
        rho=-T * price,
        d=d)


def omega_of(kind):
    return 1 if kind == 'call' else -1


# --------------------------------------------------------------------------------------
# BSM European

BSM_IN = ['S', 'K', 'T', 'r', 'q', 'sigma']
BSM_OUT = ['price', 'delta', 'gamma', 'vega', 'theta', 'rho', 'dividend_rho',
           'vanna', 'volga', 'charm']
BSM_COLS = ['id', 'category'] + BSM_IN + ['type'] + BSM_OUT + ['d1', 'd2', 'z']


def bsm_inputs(seed):
    d = Draws(seed, 'bsm')
    rows = []

    def add(category, S, K, T, r, q, sigma, kind):
        rows.append(dict(category=category, S=S, K=K, T=T, r=r, q=q, sigma=sigma,
                         type=kind))

    def fwd(S, T, r, q):
        return float(exact(S) * mp.exp((exact(r) - exact(q)) * exact(T)))

    # generic: the whole domain the accuracy claims cover
    for _ in range(1350):
        T = d.logu(MINUTE, 2 * DAY) if d.coin(0.15) else d.logu(MINUTE, 5.0)
        sigma = d.logu(0.01, 3.0)
        S = d.logu(1.0, 1e4)
        r = d.u(-0.01, 0.08)
        q = 0.0 if d.coin(0.2) else d.u(0.0, 0.05)
        z = d.u(-3.0, 3.0)
        K = strike_at(fwd(S, T, r, q), z, sigma * math.sqrt(T))
        special = d.g.random()
        if special < 0.05:
            K = fwd(S, T, r, q)          # at the forward, as a double
        elif special < 0.15:
            K = S                        # at the spot: can be many sd from F
        add('generic', S, K, T, r, q, sigma, d.cp())

    # extreme: 50 rows of each corner
    for i in range(250):
        corner = i // 50
        S = d.logu(1.0, 1e4)
        r, q = d.u(-0.01, 0.08), d.u(0.0, 0.05)
        T, sigma = d.logu(MINUTE, 5.0), d.logu(0.01, 3.0)
        if corner == 0:          # far wings
            z = d.sign() * d.u(3.0, 12.0)
        elif corner == 1:        # tiny total vol: a minute at 1% vol
            T, sigma = MINUTE * d.u(1.0, 1.25), 0.01 * d.u(1.0, 1.25)
            z = d.u(-6.0, 6.0)
        elif corner == 2:        # huge total vol: five years at 300% vol
            T, sigma = d.u(4.0, 5.0), d.u(2.4, 3.0)
            z = d.u(-6.0, 6.0)
        elif corner == 3:        # rate and dividend corners
            r = (-0.01 if d.coin() else 0.08) * d.u(0.95, 1.0)
            q = (0.0 if d.coin() else 0.05) * d.u(0.95, 1.0)
            T = d.logu(1.0, 5.0)
            z = d.u(-8.0, 8.0)
        else:                    # deep in or out of the money
            z = d.sign() * d.u(4.0, 10.0)
        total = sigma * math.sqrt(T)
        if abs(z) * total > 8.0:     # |ln K/F| <= 8
            z = math.copysign(8.0 / total, z)
        add('extreme', S, strike_at(fwd(S, T, r, q), z, total), T, r, q, sigma, d.cp())

    # spx: 25 quote times, 15-20 delta strikes on the 5-point grid and two neighbours
    # each side; half 0-2 DTE in minutes, half 30-45 DTE
    for i in range(25):
        S = rounded(d.u(5000.0, 6000.0), 0.01)
        r = rounded(d.u(0.040, 0.055), 0.00001)
        q = rounded(d.u(0.012, 0.016), 0.00001)
        if i % 2 == 0:
            minutes = d.integer(5, 2 * 1440 + 390)
            sigma = d.u(0.08, 0.40)
        else:
            minutes = d.integer(30, 45) * 1440 + d.integer(0, 1439)
            sigma = d.u(0.10, 0.30)
        T = minutes / 525600.0
        Tm, s = exact(T), exact(sigma) * mp.sqrt(exact(T))
        F = exact(S) * mp.exp((exact(r) - exact(q)) * Tm)
        for kind in ('call', 'put'):
            target = exact(d.u(0.15, 0.20)) * mp.exp(exact(q) * Tm)   # N(omega d1)
            d1 = omega_of(kind) * mp.sqrt(2) * mp.erfinv(2 * target - 1)
            K0 = rounded(float(F * mp.exp(s * s / 2 - d1 * s)), 5)
            vol = sigma * (1 + 0.25 * d.g.random() if kind == 'put' else 1 - 0.05 * d.g.random())
            for dk in (-10, -5, 0, 5, 10):
                add('spx', S, K0 + dk, T, r, q, vol, kind)

    # vix: S = F (r = q), strikes on the 0.5 grid within 3 sd
    for _ in range(150):
        F = rounded(d.u(12.0, 80.0), 0.01)
        rq = rounded(d.u(0.0, 0.05), 0.00001)
        T = d.integer(1, 182) / 365.0
        sigma = d.u(0.5, 1.5)
        K = max(0.5, rounded(strike_at(F, d.u(-3.0, 3.0), sigma * math.sqrt(T)), 0.5))
        add('vix', F, K, T, rq, rq, sigma, d.cp())
    return rows


def bsm_truth(row):
    a = [exact(row[k]) for k in BSM_IN]
    return bsm(*a, omega_of(row['type']))


# --------------------------------------------------------------------------------------
# Black-76 and Bachelier

B76_IN = ['F', 'K', 'T', 'r', 'sigma']
B76_OUT = ['price', 'delta', 'gamma', 'vega', 'theta', 'rho']
B76_COLS = ['id', 'category'] + B76_IN + ['type'] + B76_OUT + ['d1', 'd2', 'z']

BACH_IN = ['F', 'K', 'T', 'r', 'sigma_n']
BACH_OUT = ['price', 'delta', 'vega', 'gamma', 'theta', 'rho']
BACH_COLS = ['id', 'category'] + BACH_IN + ['type'] + BACH_OUT + ['d']


def b76_inputs(seed):
    d = Draws(seed, 'black76')
    rows = []
    for i in range(500):
        if i < 150:                  # VIX futures options
            category = 'vix'
            F = rounded(d.u(12.0, 80.0), 0.01)
            T = d.integer(1, 182) / 365.0
            sigma = d.u(0.5, 1.5)
            K = max(0.5, rounded(strike_at(F, d.u(-3.0, 3.0), sigma * math.sqrt(T)), 0.5))
        else:
            category = 'generic' if i < 400 else 'extreme'
            F = d.logu(0.5, 5000.0)
            T = d.logu(MINUTE, 5.0)
            sigma = d.logu(0.01, 3.0)
            z = d.u(-3.0, 3.0) if category == 'generic' else d.sign() * d.u(3.0, 10.0)
            total = sigma * math.sqrt(T)
            if abs(z) * total > 8.0:
                z = math.copysign(8.0 / total, z)
            K = strike_at(F, z, total)
        rows.append(dict(category=category, F=F, K=K, T=T, r=d.u(-0.01, 0.08),
                         sigma=sigma, type=d.cp()))
    return rows


def b76_truth(row):
    return black76(*[exact(row[k]) for k in B76_IN], omega_of(row['type']))


def bach_inputs(seed):
    d = Draws(seed, 'bachelier')
    rows = []
    for i in range(300):
        T = d.logu(MINUTE, 5.0)
        r = d.u(-0.01, 0.08)
        category = 'rates' if i < 120 else 'generic' if i < 240 else 'extreme'
        rates_like = category == 'rates' or (category == 'extreme' and d.coin())
        if rates_like:               # a rate: F -0.5% .. 6%, normal vol 20 .. 250 bp
            F, sn = d.u(-0.005, 0.06), d.logu(0.002, 0.025)
        else:                        # a spread or a price that can go negative
            F, sn = d.u(-50.0, 200.0), d.logu(0.1, 80.0)
        z = d.u(-3.0, 3.0) if category != 'extreme' else d.sign() * d.u(3.0, 10.0)
        K = float(exact(F) + exact(z) * exact(sn) * mp.sqrt(exact(T)))
        rows.append(dict(category=category, F=F, K=K, T=T, r=r, sigma_n=sn, type=d.cp()))
    return rows


def bach_truth(row):
    return bachelier(*[exact(row[k]) for k in BACH_IN], omega_of(row['type']))


def closed_rows(inputs, truth, names_in):
    out = []
    for i, row in enumerate(inputs):
        t = truth(row)
        o = dict(id=i + 1, category=row['category'], type=row['type'])
        o.update({k: as_input(row[k]) for k in names_in})
        o.update({k: as_truth(v) for k, v in t.items()})
        out.append(o)
    return out


# --------------------------------------------------------------------------------------
# implied volatility

IV_COLS = ['id', 'case', 'model', 'S_or_F', 'K', 'T', 'r', 'q', 'type', 'price',
           'true_sigma', 'sigma_of_price', 'vega', 'cond', 'expect']


class IvCase:
    """A quote: Black-76 is BSM with q = r on the futures price."""

    def __init__(self, model, X, K, T, r, q, kind):
        self.model, self.X, self.K, self.T, self.r, self.kind = model, X, K, T, r, kind
        self.q = q if model == 'bsm' else None
        self.m = [exact(X), exact(K), exact(T), exact(r), exact(q if model == 'bsm' else r)]
        self.omega = omega_of(kind)

    def price(self, sigma):
        X, K, T, r, q = self.m
        return bsm_price(X, K, T, r, q, sigma, self.omega)

    def vega(self, sigma):
        X, K, T, r, q = self.m
        rt = mp.sqrt(T)
        d1 = (mp.log(X / K) + (r - q) * T) / (sigma * rt) + sigma * rt / 2
        return X * mp.exp(-q * T) * npdf(d1) * rt

    def bounds(self):
        """(lower, upper) no-arbitrage bounds of a European price."""
        X, K, T, r, q = self.m
        a, b = X * mp.exp(-q * T), K * mp.exp(-r * T)
        if self.omega > 0:
            return max(a - b, mp.mpf(0)), a
        return max(b - a, mp.mpf(0)), b

    def row(self, case, price, expect, **more):
        o = dict(case=case, model=self.model, S_or_F=as_input(self.X), K=as_input(self.K),
                 T=as_input(self.T), r=as_input(self.r),
                 q=as_input(self.q) if self.model == 'bsm' else '', type=self.kind,
                 price=as_input(price), expect=expect)
        o.update(more)
        return o


def exact_vol(c, P, sigma):
    """The vol whose price is exactly P, by Newton from sigma; None if ill-posed."""
    s = exact(sigma)
    for _ in range(100):
        v = c.vega(s)
        if v == 0:
            return None
        step = (c.price(s) - P) / v
        if abs(step) > s / 100:
            return None              # the double price has moved sigma far: reject
        s -= step
        if abs(step) <= s * mp.mpf(10) ** -45:
            return s
    return None


def iv_ok(c, case, sigma, maxcond=1e8):
    """The row for a quote at vol sigma, or None when its price does not pin sigma."""
    P = float(c.price(exact(sigma)))
    if not (P > 0 and math.isfinite(P)):
        return None
    lo, hi = c.bounds()
    if not (lo < exact(P) < hi):
        return None
    s = exact_vol(c, exact(P), sigma)
    if s is None:
        return None
    vega = c.vega(s)
    cond = exact(P) / (s * vega)
    if cond > maxcond:
        return None
    return c.row(case, P, 'ok', true_sigma=as_input(sigma), sigma_of_price=as_truth(s),
                 vega=as_truth(vega), cond=as_truth(cond))


def otm_strike(c_model, X, T, r, q, sigma, kind, measure, target):
    """The strike, on the out-of-the-money side of the forward for kind, at which
    measure(case, price) equals target; bisection on the distance in sd."""
    qq = q if c_model == 'bsm' else r
    F = exact(X) * mp.exp((exact(r) - exact(qq)) * exact(T))
    s = exact(sigma) * mp.sqrt(exact(T))
    om = omega_of(kind)
    lo, hi = mp.mpf(0), mp.mpf(40)
    for _ in range(200):
        mid = (lo + hi) / 2
        c = IvCase(c_model, X, float(F * mp.exp(om * mid * s)), T, r, q, kind)
        p = c.price(exact(sigma))
        if p > 0 and measure(c, p) > target:
            lo = mid
        else:
            hi = mid
        if hi - lo < mp.mpf(10) ** -20:
            break
    return float(F * mp.exp(om * lo * s))


def iv_rows(seed):
    d = Draws(seed, 'implied_vol')
    rows = []

    def market(model):
        X = d.logu(5.0, 6000.0)
        return X, d.u(-0.01, 0.08), (d.u(0.0, 0.05) if model == 'bsm' else 0.0)

    def at_z(model, X, T, r, q, sigma, z):
        qq = q if model == 'bsm' else r
        F = exact(X) * mp.exp((exact(r) - exact(qq)) * exact(T))
        return float(F * mp.exp(exact(z) * exact(sigma) * mp.sqrt(exact(T))))

    def fill(n, make):
        got, tries = 0, 0
        while got < n:
            tries += 1
            if tries > 100 * n:
                sys.exit('implied_vol: cannot make %d rows' % n)
            row = make()
            if row is not None:
                rows.append(row)
                got += 1

    def model_of(p_bsm):
        return 'bsm' if d.coin(p_bsm) else 'black76'

    def easy(model):
        X, r, q = market(model)
        T, sigma = d.logu(7 * DAY, 2.0), d.u(0.05, 1.0)
        K = at_z(model, X, T, r, q, sigma, d.u(-2.0, 2.0))
        return iv_ok(IvCase(model, X, K, T, r, q, d.cp()), 'easy', sigma)

    def deep_otm():
        model = model_of(0.75)
        X, r, q = market(model)
        T, sigma, kind = d.logu(30 * MINUTE, 3.0), d.logu(0.05, 1.5), d.cp()
        ratio = mp.power(10, exact(d.u(-12.0, -8.0)))      # price / underlying
        K = otm_strike(model, X, T, r, q, sigma, kind, lambda c, p: p / c.m[0], ratio)
        return iv_ok(IvCase(model, X, K, T, r, q, kind), 'deep_otm', sigma)

    def short_T():
        model = model_of(0.8)
        X, r, q = market(model)
        T, sigma = MINUTE * d.logu(1.0, 360.0), d.logu(0.05, 1.5)
        K = at_z(model, X, T, r, q, sigma, d.u(-3.0, 3.0))
        return iv_ok(IvCase(model, X, K, T, r, q, d.cp()), 'short_T', sigma)

    def high_vol():
        model = model_of(0.8)
        X, r, q = market(model)
        T, sigma = d.logu(0.25, 5.0), d.u(1.5, 5.0)
        if sigma * math.sqrt(T) > 8.0:
            sigma = 8.0 / math.sqrt(T) * d.u(0.7, 1.0)
        K = at_z(model, X, T, r, q, sigma, d.u(-2.0, 2.0))
        return iv_ok(IvCase(model, X, K, T, r, q, d.cp()), 'high_vol', sigma)

    def low_vol():
        X, r, q = market('bsm')
        T, sigma = d.logu(DAY, 1.0), d.logu(0.003, 0.03)
        K = at_z('bsm', X, T, r, q, sigma, d.u(-3.0, 3.0))
        return iv_ok(IvCase('bsm', X, K, T, r, q, d.cp()), 'low_vol', sigma)

    def near_intrinsic():
        # deep in the money: the strike where the out-of-the-money twin (the other
        # type, same strike) is worth 1e-9 .. 1e-4 of this option's price
        model = model_of(0.8)
        X, r, q = market(model)
        T, sigma, kind = d.logu(DAY, 2.0), d.logu(0.05, 1.0), d.cp()
        twin = 'put' if kind == 'call' else 'call'
        share = mp.power(10, exact(d.u(-9.0, -4.0)))

        def time_share(c, p):
            lo, _ = IvCase(c.model, c.X, c.K, c.T, c.r, c.q or 0.0, kind).bounds()
            return p / (lo + p)
        K = otm_strike(model, X, T, r, q, sigma, twin, time_share, share)
        return iv_ok(IvCase(model, X, K, T, r, q, kind), 'near_intrinsic', sigma)

    def below_spot_intrinsic():
        # a valid European price below the spot intrinsic value: an ITM put with a
        # large rT, or an ITM call with a large qT
        X, T, sigma = d.logu(20.0, 500.0), d.u(1.0, 5.0), d.u(0.05, 0.3)
        if d.coin():
            kind, r, q = 'put', d.u(0.04, 0.08), d.u(0.0, 0.01)
            K = X * d.u(1.3, 2.5)
        else:
            kind, r, q = 'call', d.u(0.0, 0.02), d.u(0.03, 0.05)
            K = X * d.u(0.4, 0.8)
        c = IvCase('bsm', X, K, T, r, q, kind)
        if c.price(exact(sigma)) >= c.omega * (exact(X) - exact(K)):
            return None
        return iv_ok(c, 'below_spot_intrinsic', sigma)

    fill(150, lambda: easy('bsm'))
    fill(60, lambda: easy('black76'))
    fill(60, deep_otm)
    fill(50, short_T)
    fill(40, high_vol)
    fill(30, low_vol)
    fill(40, near_intrinsic)
    fill(10, below_spot_intrinsic)

    # quotes with no implied vol: each violates its bound by 1e-8 .. 1e-2 relative
    def itm_quote(model, kind):
        X, r, q = market(model)
        T = d.logu(30 * MINUTE, 3.0)
        qq = q if model == 'bsm' else r
        F = exact(X) * mp.exp((exact(r) - exact(qq)) * exact(T))
        m = mp.exp(exact(d.u(0.05, 0.6)))
        K = float(F / m if kind == 'call' else F * m)
        return IvCase(model, X, K, T, r, q, kind)

    def violation():
        return mp.power(10, exact(d.u(-8.0, -2.0)))

    for i in range(28):
        c = itm_quote('bsm' if i < 20 else 'black76', d.cp())
        lo, _ = c.bounds()
        rows.append(c.row('below_lower_bound', float(lo * (1 - violation())), 'error'))
    for i in range(34):
        model = 'bsm' if i < 26 else 'black76'
        kind = ('call' if i < 14 else 'put') if model == 'bsm' else d.cp()
        c = itm_quote(model, kind)
        if d.coin():             # any moneyness
            c = IvCase(model, c.X, c.K * math.exp(d.u(-0.5, 0.5)), c.T, c.r, c.q or 0.0,
                       kind)
        _, hi = c.bounds()
        rows.append(c.row('above_upper_bound', float(hi * (1 + violation())), 'error'))
    for i in range(8):
        c = itm_quote('bsm', d.cp())
        rows.append(c.row('negative_price', -float(mp.power(10, exact(d.u(-8.0, 0.0)))),
                          'error'))
    for i, row in enumerate(rows):
        row['id'] = i + 1
    return rows


# --------------------------------------------------------------------------------------
# American options (QuantLib)

AM_COLS = ['id', 'category', 'S', 'K', 'T', 'days', 'r', 'q', 'sigma', 'type',
           'fd_price', 'fd_richardson', 'qdfp_highprec', 'qdfp_accurate', 'qdfp_fast',
           'bjerksund_stensland', 'european', 'fd_delta', 'fd_gamma']
AMC_GRIDS = [(2000, 2000), (4000, 2000), (4000, 4000), (8000, 4000), (8000, 8000)]
AMC_COLS = ['id', 'S', 'K', 'T', 'days', 'r', 'q', 'sigma', 'type'] + \
    ['fd_t%d_x%d' % g for g in AMC_GRIDS] + \
    ['rich_2000', 'rich_4000', 'qdfp_highprec', 'qdfp_ultra', 'european']


def american_inputs(seed):
    d = Draws(seed, 'american')
    rows = []
    for i in range(300):
        S = 100.0 if d.coin(0.6) else rounded(d.logu(5.0, 2000.0), 0.01)
        days = max(1, int(round(d.logu(1.0, 1825.0))))
        sigma = rounded(d.u(0.08, 0.6), 0.0001)
        spread = d.u(-3.0, 3.0) * sigma * math.sqrt(days / 365.0)
        K = rounded(float(exact(S) * mp.exp(exact(max(-0.5, min(0.5, spread))))), 0.01)
        r = rounded(d.u(0.0, 0.08), 0.0001)
        if d.coin(0.3):
            category, q = 'no_dividend', 0.0
        else:
            category, q = 'dividend', rounded(d.u(0.005, 0.05), 0.0001)
        kind = d.cp(0.45)
        if i % 25 == 3:          # exercised at once: worth exactly K - S
            category, kind, q = 'deep_itm_put', 'put', 0.0
            K = rounded(S * d.u(1.5, 2.1), 0.01)
            r = rounded(d.u(0.05, 0.08), 0.0001)
            sigma = rounded(d.u(0.1, 0.2), 0.0001)
        elif i % 25 == 11:       # a call worth exercising early: q > r
            category, kind = 'call_q_gt_r', 'call'
            r = rounded(d.u(0.0, 0.02), 0.0001)
            q = rounded(d.u(0.03, 0.05), 0.0001)
        rows.append(dict(category=category, S=S, K=K, T=days / 365.0, days=days, r=r, q=q,
                         sigma=sigma, type=kind))
    return rows


def ql_option(row, engine):
    """One American option priced by engine(process); QuantLib imported here so that
    the closed-form files need only mpmath."""
    import QuantLib as ql
    today = ql.Date(2, 1, 2024)
    ql.Settings.instance().evaluationDate = today
    dc = ql.Actual365Fixed()

    def curve(rate):
        return ql.YieldTermStructureHandle(ql.FlatForward(today, rate, dc, ql.Continuous))
    process = ql.BlackScholesMertonProcess(
        ql.QuoteHandle(ql.SimpleQuote(row['S'])), curve(row['q']), curve(row['r']),
        ql.BlackVolTermStructureHandle(
            ql.BlackConstantVol(today, ql.NullCalendar(), row['sigma'], dc)))
    kind = ql.Option.Call if row['type'] == 'call' else ql.Option.Put
    option = ql.VanillaOption(ql.PlainVanillaPayoff(kind, row['K']),
                              ql.AmericanExercise(today, today + row['days']))
    option.setPricingEngine(engine(ql, process))
    return option


def fd_engine(t, x):
    return lambda ql, p: ql.FdBlackScholesVanillaEngine(p, t, x, 0, ql.FdmSchemeDesc.Douglas())


def qdfp_engine(name):
    def make(ql, p):
        schemes = {
            'highprec': ql.QdFpAmericanEngine.highPrecisionScheme,
            'accurate': ql.QdFpAmericanEngine.accurateScheme,
            'fast': ql.QdFpAmericanEngine.fastScheme,
            'ultra': lambda: ql.QdFpLegendreTanhSinhScheme(100, 20, 64, 1e-14)}
        return ql.QdFpAmericanEngine(p, schemes[name]())
    return make


def npv(row, engine):
    try:
        return ql_option(row, engine).NPV()
    except RuntimeError:
        return None


def american_prices(row):
    fd = ql_option(row, fd_engine(2000, 2000))
    p2000 = fd.NPV()
    p4000 = npv(row, fd_engine(4000, 2000))
    out = dict(fd_price=p2000, fd_richardson=2 * p4000 - p2000, fd_delta=fd.delta(),
               fd_gamma=fd.gamma(),
               bjerksund_stensland=npv(row, lambda ql, p: ql.BjerksundStenslandApproximationEngine(p)))
    for name in ('highprec', 'accurate', 'fast', 'ultra'):
        out['qdfp_' + name] = npv(row, qdfp_engine(name))
    return out


def american_grids(row):
    out = {'fd_t%d_x%d' % g: npv(row, fd_engine(*g)) for g in AMC_GRIDS}
    out['rich_2000'] = 2 * out['fd_t4000_x2000'] - out['fd_t2000_x2000']
    out['rich_4000'] = 2 * out['fd_t8000_x4000'] - out['fd_t4000_x4000']
    out['qdfp_highprec'] = npv(row, qdfp_engine('highprec'))
    out['qdfp_ultra'] = npv(row, qdfp_engine('ultra'))
    return out


def ql_number(v):
    return '' if v is None else repr(float(v))


def american_files(seed, workers):
    from multiprocessing import Pool
    inputs = american_inputs(seed)
    t0 = time.time()
    with Pool(workers) as pool:
        prices = pool.map(american_prices, inputs, chunksize=2)
    print('american: %d rows priced in %.0f s' % (len(inputs), time.time() - t0))
    rows = []
    for i, (row, p) in enumerate(zip(inputs, prices)):
        eu = bsm_price(*[exact(row[k]) for k in ('S', 'K', 'T', 'r', 'q', 'sigma')],
                       omega_of(row['type']))
        o = dict(id=i + 1, category=row['category'], type=row['type'], days=row['days'],
                 european=as_truth(eu), _eu=eu, _ultra=p.pop('qdfp_ultra'), _in=row)
        o.update({k: as_input(row[k]) for k in ('S', 'K', 'T', 'r', 'q', 'sigma')})
        o.update({k: ql_number(v) for k, v in p.items()})
        rows.append(o)
    american_checks(rows)

    # the convergence study: 12 rows with an early-exercise premium above 1e-3 of the
    # price, 4 without one
    d = Draws(seed, 'american_convergence')
    def has_premium(o):
        return float(o['qdfp_highprec']) - float(o['_eu']) > 1e-3 * float(o['qdfp_highprec'])
    premium = [o for o in rows if has_premium(o)]
    other = [o for o in rows if not has_premium(o)]
    picked = []
    for pool_, n in ((premium, 12), (other, 4)):
        pool_ = list(pool_)
        for _ in range(n):
            picked.append(pool_.pop(d.integer(0, len(pool_) - 1)))
    picked.sort(key=lambda o: o['id'])
    t0 = time.time()
    with Pool(workers) as pool:
        grids = pool.map(american_grids, [o['_in'] for o in picked], chunksize=1)
    print('american_convergence: %d rows in %.0f s' % (len(picked), time.time() - t0))
    conv = []
    for o, g in zip(picked, grids):
        c = {k: o[k] for k in ('id', 'S', 'K', 'T', 'days', 'r', 'q', 'sigma', 'type',
                               'european')}
        c.update({k: ql_number(v) for k, v in g.items()})
        conv.append(c)
    return rows, conv


def american_checks(rows):
    """What makes qdfp_highprec a reference: it agrees with the finer QdFp scheme and
    with the time-extrapolated finite differences; it respects the European bound and
    the identities.  Prints the figures; stops on a row that breaks them."""
    worst_ultra = worst_fd = 0.0
    bad = []
    for o in rows:
        w = o['_in']
        ref = float(o['qdfp_highprec'])
        ultra, rich = o['_ultra'], float(o['fd_richardson'])
        big = ref > 1e-3 * w['S']
        if ultra is not None and big:
            worst_ultra = max(worst_ultra, abs(ref - ultra) / ref)
        if big:
            worst_fd = max(worst_fd, abs(ref - rich) / ref)
        if ultra is None or abs(ref - ultra) > 1e-8 * ref + 4e-9 * w['K']:
            bad.append((o['id'], 'highprec %.17g ultra %r' % (ref, ultra)))
        if abs(ref - rich) > 2e-5 * ref + 3e-6 * w['K']:
            bad.append((o['id'], 'highprec %.17g fd_richardson %.17g' % (ref, rich)))
        if ref < float(o['_eu']) * (1 - 1e-9):
            bad.append((o['id'], 'below the European value'))
        # immediate exercise: K - S exactly, which QdFp meets to its own accuracy
        if w['category'] == 'deep_itm_put' and abs(ref - (w['K'] - w['S'])) > 1e-8 * w['K']:
            bad.append((o['id'], 'deep ITM put not exercised at once: %.17g' % ref))
    print('american: qdfp_highprec vs qdfp_ultra, worst relative (price > 1e-3 S): %.1e'
          % worst_ultra)
    print('american: qdfp_highprec vs fd_richardson, worst relative (price > 1e-3 S): %.1e'
          % worst_fd)
    for b in bad:
        print('american id %d: %s' % b)
    if bad:
        sys.exit('american: %d rows fail the reference checks' % len(bad))


# --------------------------------------------------------------------------------------
# checks of the closed forms

def check_closed(bsm_rows, b76_rows, bach_rows):
    """The Greeks against numerical derivatives of the price (mpmath, 50 digits) on a
    sample, the extreme rows at 100 digits, and put-call parity on every BSM row."""
    worst = {}

    def note(name, got, want):
        e = abs(got - want) / abs(want) if want != 0 else abs(got)
        worst[name] = max(worst.get(name, mp.mpf(0)), e)

    for row in bsm_rows[::40]:
        S, K, T, r, q, v = [exact(row[k]) for k in BSM_IN]
        om = omega_of(row['type'])
        g = bsm(S, K, T, r, q, v, om)

        def P_bsm(S=S, T=T, r=r, q=q, v=v):
            return bsm_price(S, K, T, r, q, v, om)
        note('bsm delta', g['delta'], mp.diff(lambda x: P_bsm(S=x), S))
        note('bsm gamma', g['gamma'], mp.diff(lambda x: P_bsm(S=x), S, 2))
        note('bsm vega', g['vega'], mp.diff(lambda x: P_bsm(v=x), v))
        note('bsm theta', g['theta'], -mp.diff(lambda x: P_bsm(T=x), T))
        note('bsm rho', g['rho'], mp.diff(lambda x: P_bsm(r=x), r))
        note('bsm dividend_rho', g['dividend_rho'], mp.diff(lambda x: P_bsm(q=x), q))
        note('bsm vanna', g['vanna'], mp.diff(lambda x, y: P_bsm(S=x, v=y), (S, v), (1, 1)))
        note('bsm volga', g['volga'], mp.diff(lambda x: P_bsm(v=x), v, 2))
        note('bsm charm', g['charm'], -mp.diff(lambda x, y: P_bsm(S=x, T=y), (S, T), (1, 1)))
    for row in b76_rows[::15]:
        F, K, T, r, v = [exact(row[k]) for k in B76_IN]
        om = omega_of(row['type'])
        g = black76(F, K, T, r, v, om)

        def P_b76(F=F, T=T, r=r, v=v):
            return black76(F, K, T, r, v, om)['price']
        note('b76 delta', g['delta'], mp.diff(lambda x: P_b76(F=x), F))
        note('b76 gamma', g['gamma'], mp.diff(lambda x: P_b76(F=x), F, 2))
        note('b76 vega', g['vega'], mp.diff(lambda x: P_b76(v=x), v))
        note('b76 theta', g['theta'], -mp.diff(lambda x: P_b76(T=x), T))
        note('b76 rho', g['rho'], mp.diff(lambda x: P_b76(r=x), r))
    for row in bach_rows[::10]:
        F, K, T, r, v = [exact(row[k]) for k in BACH_IN]
        om = omega_of(row['type'])
        g = bachelier(F, K, T, r, v, om)

        def P_bach(F=F, T=T, r=r, v=v):
            return bachelier(F, K, T, r, v, om)['price']
        note('bach delta', g['delta'], mp.diff(lambda x: P_bach(F=x), F))
        note('bach gamma', g['gamma'], mp.diff(lambda x: P_bach(F=x), F, 2))
        note('bach vega', g['vega'], mp.diff(lambda x: P_bach(v=x), v))
        note('bach theta', g['theta'], -mp.diff(lambda x: P_bach(T=x), T))
        note('bach rho', g['rho'], mp.diff(lambda x: P_bach(r=x), r))
    for row in bsm_rows:
        S, K, T, r, q, v = [exact(row[k]) for k in BSM_IN]
        if row['category'] == 'extreme':
            g50 = bsm(S, K, T, r, q, v, omega_of(row['type']))
            with mp.workdps(100):
                g100 = bsm(exact(row['S']), exact(row['K']), exact(row['T']),
                           exact(row['r']), exact(row['q']), exact(row['sigma']),
                           omega_of(row['type']))
            for k in BSM_OUT:
                note('50 vs 100 digits ' + k, g50[k], g100[k])
        c, p = bsm_price(S, K, T, r, q, v, 1), bsm_price(S, K, T, r, q, v, -1)
        a, b = S * mp.exp(-q * T), K * mp.exp(-r * T)
        note('parity (c - p - S Dq + K Dr) / (S Dq + K Dr)', (c - p - a + b) / (a + b), 0)
    print('closed forms, worst relative difference:')
    for k in sorted(worst):
        print('  %-46s %.1e' % (k, worst[k]))
    if max(worst.values()) > mp.mpf(10) ** -30:
        sys.exit('closed forms: a check is off by more than 1e-30')


# --------------------------------------------------------------------------------------
# --verify: recompute the truth of another set of files from their inputs

def verify(folder):
    def compare(file, names_in, names_out, truth):
        path = os.path.join(folder, file)
        if not os.path.exists(path):
            print('%s: missing' % path)
            return
        worst = {}
        for row in read_csv(path):
            t = truth({**{k: float(row[k]) for k in names_in}, 'type': row['type'],
                       'category': row.get('category', '')})
            for k in names_out:
                want, got = exact(float(row[k])), t[k]
                e = abs(got - want) / abs(want) if want != 0 else abs(got)
                worst[k] = max(worst.get(k, 0), float(e))
        print('%s: worst |mine - theirs| / |theirs|: %s' % (
            file, ', '.join('%s %.1e' % kv for kv in worst.items())))

    compare('bsm_european.csv', BSM_IN, BSM_OUT, bsm_truth)
    compare('black76.csv', B76_IN, B76_OUT, b76_truth)
    compare('bachelier.csv', BACH_IN, BACH_OUT, bach_truth)

    path = os.path.join(folder, 'implied_vol.csv')
    if os.path.exists(path):
        worst, n = 0.0, 0
        for row in read_csv(path):
            if row['expect'] != 'ok':
                continue
            c = IvCase(row['model'], float(row['S_or_F']), float(row['K']), float(row['T']),
                       float(row['r']), float(row['q'] or 0), row['type'])
            s = exact_vol(c, exact(float(row['price'])), float(row['true_sigma']))
            want = exact(float(row['sigma_of_price']))
            worst = max(worst, float(abs(s - want) / want))
            n += 1
        print('implied_vol.csv: sigma_of_price of %d rows, worst relative difference %.1e'
              % (n, worst))


# --------------------------------------------------------------------------------------

def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    ap.add_argument('--seed', default='2025', help='seed of every draw (default 2025)')
    ap.add_argument('--out', default=HERE, help='folder to write (default: this one)')
    ap.add_argument('--only', choices=['closed', 'american'],
                    help='closed: the mpmath files; american: the QuantLib files')
    ap.add_argument('--workers', type=int, default=os.cpu_count() or 1,
                    help='processes for the QuantLib part')
    ap.add_argument('--verify', metavar='DIR',
                    help='recompute the truth columns of the set in DIR and compare')
    a = ap.parse_args()

    if a.verify:
        verify(a.verify)
        return
    os.makedirs(a.out, exist_ok=True)
    if a.only != 'american':
        t0 = time.time()
        b = bsm_inputs(a.seed)
        bsm_rows = closed_rows(b, bsm_truth, BSM_IN)
        b76 = b76_inputs(a.seed)
        b76_rows = closed_rows(b76, b76_truth, B76_IN)
        bach = bach_inputs(a.seed)
        bach_rows = closed_rows(bach, bach_truth, BACH_IN)
        check_closed(b, b76, bach)
        write_csv(os.path.join(a.out, 'bsm_european.csv'), BSM_COLS, bsm_rows)
        write_csv(os.path.join(a.out, 'black76.csv'), B76_COLS, b76_rows)
        write_csv(os.path.join(a.out, 'bachelier.csv'), BACH_COLS, bach_rows)
        write_csv(os.path.join(a.out, 'implied_vol.csv'), IV_COLS, iv_rows(a.seed))
        print('closed forms and implied vols: %.0f s' % (time.time() - t0))
    if a.only != 'closed':
        rows, conv = american_files(a.seed, a.workers)
        write_csv(os.path.join(a.out, 'american.csv'), AM_COLS, rows)
        write_csv(os.path.join(a.out, 'american_convergence.csv'), AMC_COLS, conv)


if __name__ == '__main__':
    main()
