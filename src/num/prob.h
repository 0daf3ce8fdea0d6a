/*
 * prob.h -- probabilities under the risk-neutral lognormal model: finishing in the money,
 * and touching a level before expiry.  Pure C (no PostgreSQL).
 *
 * The model: S_u = S exp(mu u + vol W_u), mu = r - q - vol^2/2, for 0 <= u <= t (years),
 * r and q continuously compounded, W a standard Brownian motion.
 *
 * In the money at t (strictly: S_t > K for a call, S_t < K for a put):
 *     call N(d2), put N(-d2),  d2 = (ln(S/K) + mu t) / (vol sqrt t).
 * With vol sqrt t = 0 the path is S e^{(r - q) t}, and the answer is 1 or 0.
 *
 * Touch: P(S_u = H for some u in [0, t]), continuous monitoring.  With b = ln(H/S),
 * beta = |b| and m = sign(b) mu (the drift toward the level), the first-passage
 * probability of a Brownian motion with drift (e.g. Shreve, Stochastic Calculus for
 * Finance II, 7.2.1; the reflection principle when m = 0):
 *     P = N((-beta + m t)/(vol sqrt t)) + e^{2 m beta / vol^2} N((-beta - m t)/(vol sqrt t)).
 * The second term is formed as erfcx(.) e^{-x1^2/2}/2 (x1 the first argument), which
 * is the same product without the overflow of e^{2 m beta/vol^2} for small vols.  A
 * level at spot is touched (1).  With vol sqrt t = 0 the path is deterministic and
 * monotone: touched iff (r - q) t reaches b.  With m = 0 it is 2 N(-beta/(vol sqrt t)).
 *
 * Accuracy: a few ulp of N in both tails (cn_norm_cdf, cn_erfcx); the sum of two
 * positive terms does not cancel.  Checked against Monte Carlo with a Brownian-bridge
 * correction and the reflection-principle closed form (test/unit/test_prob.c).
 */
#ifndef CONDOR_PROB_H
#define CONDOR_PROB_H

/* P(in the money at t) for omega = +1 (call) or -1 (put); callers check the arguments. */
extern double cn_prob_itm(int omega, double S, double K, double t, double vol, double r,
						  double q);

/* P(touch level H before t). */
extern double cn_prob_touch(double S, double H, double t, double vol, double r, double q);

#endif
