#!/usr/bin/python3
"""
test/reference/lbr_nodes.py -- the polynomial fits of the implied-vol solver's
initial-guess nodes (src/num/lbr_nodes.h) and their 50-digit check values
(test/reference/lbr_nodes.csv).

    /usr/bin/python3 test/reference/lbr_nodes.py          # rewrite both files (about 1 min)

The solver (src/num/lbr.c, solve_otm) brackets the out-of-the-money normalised price
b(x, s), x = -a <= 0, b_max = e^{x/2}, by the tangent intercepts of b at its
inflection point s_c = sqrt(2a):

    s_l = s_c - b_c/v_c = sqrt(2a) - sqrt(2 pi) (1 - erfcx(u))/2
    s_u = s_c + (b_max - b_c)/v_c = sqrt(2a) + sqrt(2 pi) (1 + erfcx(u))/2,   u = sqrt(a)

and needs b and its vega v = b_max phi(x/s + s/2) at both.  Divided by b_max these are
functions of u alone; the four fitted here are

    gl = b(x, s_l) / (b_max a)     (b at s_l vanishes like a as a -> 0)
    vl = v(x, s_l) / b_max
    cu = (b_max - b(x, s_u)) / b_max
    vu = v(x, s_u) / b_max

each on 16 intervals of u of width 1/4 covering [0, 4) (|x| < 16: every strike within
a factor e^16 = 8.9e6 of the forward), by the degree-10 polynomial interpolating it at
Chebyshev points of the interval, in t = 8 (u - centre) in [-1, 1].  The check below
evaluates the coefficients as C does (Estrin's scheme in doubles, no fused
multiply-add) against the 50-digit values at 201 points per interval and stops if any
relative error exceeds 2e-13: the nodes only shape the initial guess and the bracket
(which is widened by 1e-8), where the solver's evaluation they replace is good to 1e-11.
"""

import os
import random
import sys

from mpmath import mp, mpf, sqrt, exp, erfc, ncdf, npdf, pi, chebyfit, log10

mp.dps = 50
HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
WIDTH = mpf(1) / 4
INTERVALS = 16
DEGREE = 10
NAMES = ['gl', 'vl', 'cu', 'vu']
BOUND = 2e-13


def nodes(u):
    """The four functions at u > 0, with digits to spare (b at s_l cancels like a)."""
    extra = int(-2 * log10(u)) + 20 if u < 1 else 20
    with mp.workdps(50 + extra):
        u = mpf(u)
        a = u * u
        x = -a
        ex = exp(u * u) * erfc(u)
        sl = sqrt(2 * a) - sqrt(2 * pi) * (1 - ex) / 2
        su = sqrt(2 * a) + sqrt(2 * pi) * (1 + ex) / 2

        def normalised(s):
            h = x / s
            t = s / 2
            return ncdf(h + t) - exp(a) * ncdf(h - t), npdf(h + t)

        bl, vl = normalised(sl)
        bu, vu = normalised(su)
        return [bl / a, vl, 1 - bu, vu]


def estrin(c, t):
    """c[0] + c[1] t + ... + c[10] t^10 in doubles, in the order of lbr.c's node_poly."""
    t2 = t * t
    t4 = t2 * t2
    t8 = t4 * t4
    p01 = c[0] + c[1] * t
    p23 = c[2] + c[3] * t
    p45 = c[4] + c[5] * t
    p67 = c[6] + c[7] * t
    p810 = c[8] + c[9] * t + c[10] * t2
    return (p01 + t2 * p23) + t4 * (p45 + t2 * p67) + t8 * p810


def centre(i):
    return (i + mpf(1) / 2) * WIDTH


def fit():
    table = []
    worst = 0.0
    for i in range(INTERVALS):
        c = centre(i)
        row = []
        for k in range(4):
            def f(t, k=k):
                u = c + t * WIDTH / 2
                return nodes(u if u > 0 else mpf('1e-30'))[k]
            poly = chebyfit(f, [-1, 1], DEGREE + 1)
            row.append([float(p) for p in reversed(poly)])
        for j in range(201):
            t = -1 + mpf(2) * j / 200
            u = c + t * WIDTH / 2
            if u <= 0:
                continue
            truth = nodes(u)
            for k in range(4):
                e = abs(mpf(estrin(row[k], float(t))) / truth[k] - 1)
                worst = max(worst, float(e))
        table.append(row)
        print('interval %2d: worst relative error so far %.2e' % (i, worst), file=sys.stderr)
    if worst > BOUND:
        sys.exit('lbr_nodes.py: a fit misses %.0e (%.2e)' % (BOUND, worst))
    return table, worst


def write_header(table, worst):
    out = []
    out.append('/*')
    out.append(' * lbr_nodes.h -- the implied-vol solver\'s initial-guess nodes b and v at s_l and')
    out.append(' * s_u as polynomials in u = sqrt|x| (see test/reference/lbr_nodes.py, which')
    out.append(' * writes this file: do not edit).  node_fit[i][f][k] is the coefficient of')
    out.append(' * t^k, t = 8 (u - (i + 1/2)/4), for f = gl, vl, cu, vu; worst relative error')
    out.append(' * %.1e as evaluated by lbr.c (check values: test/reference/lbr_nodes.csv).' % worst)
    out.append(' */')
    out.append('#define NODE_FIT_INTERVALS %d' % INTERVALS)
    out.append('#define NODE_FIT_PER_U %d' % int(1 / WIDTH))
    out.append('')
    out.append('static const double node_fit[%d][4][%d] = {' % (INTERVALS, DEGREE + 1))
    for i, row in enumerate(table):
        out.append('\t{\t\t\t\t\t\t\t/* u in [%s, %s) */' % (float(i * WIDTH), float((i + 1) * WIDTH)))
        for k, coeffs in enumerate(row):
            out.append('\t\t{')
            for j in range(0, len(coeffs), 3):
                chunk = ', '.join(repr(v) for v in coeffs[j:j + 3])
                out.append('\t\t\t' + chunk + (',' if j + 3 < len(coeffs) else ''))
            out.append('\t\t}' + (',' if k < 3 else ''))
        out.append('\t}' + (',' if i < len(table) - 1 else ''))
    out.append('};')
    with open(os.path.join(ROOT, 'src', 'num', 'lbr_nodes.h'), 'w') as fh:
        fh.write('\n'.join(out) + '\n')


def write_checks():
    """400 draws of u, log-uniform below 1/4 (down to 1e-8) and uniform above."""
    rng = random.Random('condor/2025/lbr_nodes.csv')
    rows = []
    for n in range(400):
        if n % 4 == 0:
            u = float(mpf(10) ** (-8 + 7.39794 * mpf(rng.random())))
        else:
            u = 0.25 + 3.75 * rng.random()
        u = min(u, 3.9999999)
        rows.append([repr(u)] + [mp.nstr(v, 25, min_fixed=1, max_fixed=0) for v in nodes(mpf(u))])
    with open(os.path.join(HERE, 'lbr_nodes.csv'), 'w') as fh:
        fh.write('u,gl,vl,cu,vu\n')
        for r in rows:
            fh.write(','.join(r) + '\n')


if __name__ == '__main__':
    table, worst = fit()
    write_header(table, worst)
    write_checks()
    print('lbr_nodes.py: worst relative error %.2e' % worst)
