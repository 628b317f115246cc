/* src/score/cvss2.c — CVSS v2.0 scoring (FIRST "A Complete Guide to the
 * Common Vulnerability Scoring System Version 2.0", section 3.2).
 *
 * The equations are evaluated in exact decimal arithmetic (every weight
 * has at most four decimals, so a 128-bit integer mantissa holds every
 * intermediate exactly) and round_to_1_decimal is half-up on the exact
 * value: no binary floating-point artefacts at the .x5 boundaries. */
#include "cvss_impl.h"

typedef struct { __int128 n; int e; } dec;   /* value = n / 10^e */

static __int128 p10(int e)
{
	__int128 r = 1;
	while (e-- > 0)
		r *= 10;
	return r;
}

static dec D(long n, int e) { dec d = { n, e }; return d; }

static dec scale_to(dec a, int e)
{
	if (a.e < e) { a.n *= p10(e - a.e); a.e = e; }
	return a;
}

static dec add(dec a, dec b)
{
	int e = a.e > b.e ? a.e : b.e;
	a = scale_to(a, e); b = scale_to(b, e);
	dec r = { a.n + b.n, e };
	return r;
}

static dec sub(dec a, dec b) { b.n = -b.n; return add(a, b); }
static dec mul(dec a, dec b) { dec r = { a.n * b.n, a.e + b.e }; return r; }

static int cmp(dec a, dec b)
{
	int e = a.e > b.e ? a.e : b.e;
	a = scale_to(a, e); b = scale_to(b, e);
	return a.n < b.n ? -1 : a.n > b.n;
}

static dec dmin(dec a, dec b) { return cmp(a, b) <= 0 ? a : b; }

/* half-up (away from zero on ties) to one decimal */
static dec round1(dec a)
{
	if (a.e <= 1)
		return scale_to(a, 1);
	__int128 d = p10(a.e - 1), q = a.n / d, r = a.n % d;
	if (r < 0) { if (-2 * r >= d) q--; }
	else if (2 * r >= d) q++;
	dec o = { q, 1 };
	return o;
}

static double to_double(dec a)
{
	a = round1(a);
	return (double)(long long)a.n / 10.0;
}

static int idx(const vd_cvss *c, int i, int nd)
{
	return c->m[i] ? c->m[i] - 1 : nd;
}

/* weights in thousandths, value order as in the metric table */
static const long W_AV[] = { 395, 646, 1000 };     /* L A N */
static const long W_AC[] = { 350, 610, 710 };      /* H M L */
static const long W_AU[] = { 450, 560, 704 };      /* M S N */
static const long W_CIA[] = { 0, 275, 660 };       /* N P C */
static const long W_E[] = { 850, 900, 950, 1000, 1000 };   /* U POC F H ND */
static const long W_RL[] = { 870, 900, 950, 1000, 1000 };  /* OF TF W U ND */
static const long W_RC[] = { 900, 950, 1000, 1000 };       /* UC UR C ND */
static const long W_CDP[] = { 0, 100, 300, 400, 500, 0 };  /* N L LM MH H ND */
static const long W_TD[] = { 0, 250, 750, 1000, 1000 };    /* N L M H ND */
static const long W_REQ[] = { 500, 1000, 1510, 1000 };     /* L M H ND */

static dec w(const long *tab, int k) { return D(tab[k], 3); }

static dec impact(const vd_cvss *c, bool adjusted)
{
	dec one = D(1, 0), f = one;
	static const int cia[3] = { V2_C, V2_I, V2_A }, req[3] = { V2_CR, V2_IR, V2_AR };
	for (int k = 0; k < 3; k++) {
		dec x = w(W_CIA, idx(c, cia[k], 0));
		if (adjusted)
			x = mul(x, w(W_REQ, idx(c, req[k], 3)));
		f = mul(f, sub(one, x));
	}
	dec r = mul(D(1041, 2), sub(one, f));
	return adjusted ? dmin(D(10, 0), r) : r;
}

static dec base_eq(const vd_cvss *c, bool adjusted)
{
	dec imp = impact(c, adjusted);
	dec expl = mul(mul(mul(D(20, 0), w(W_AV, idx(c, V2_AV, 0))),
	                   w(W_AC, idx(c, V2_AC, 0))), w(W_AU, idx(c, V2_AU, 0)));
	dec f = imp.n == 0 ? D(0, 0) : D(1176, 3);
	dec s = sub(add(mul(D(6, 1), imp), mul(D(4, 1), expl)), D(15, 1));
	return round1(mul(s, f));
}

static dec temporal_eq(const vd_cvss *c, dec base)
{
	dec t = mul(mul(mul(base, w(W_E, idx(c, V2_E, 4))), w(W_RL, idx(c, V2_RL, 4))),
	            w(W_RC, idx(c, V2_RC, 3)));
	return round1(t);
}

void vd_cvss__score2(vd_cvss *c)
{
	dec zero = D(0, 0);
	dec base = base_eq(c, false);
	if (cmp(base, zero) < 0)
		base = zero;
	dec temporal = temporal_eq(c, base);
	if (cmp(temporal, zero) < 0)
		temporal = zero;
	dec adj_t = temporal_eq(c, base_eq(c, true));
	dec cdp = w(W_CDP, idx(c, V2_CDP, 5)), td = w(W_TD, idx(c, V2_TD, 4));
	dec env = round1(mul(add(adj_t, mul(sub(D(10, 0), adj_t), cdp)), td));
	if (cmp(env, zero) < 0)
		env = zero;
	c->base = to_double(base);
	c->temporal = to_double(temporal);
	c->environmental = to_double(env);
}
