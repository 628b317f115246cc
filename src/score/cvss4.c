/* src/score/cvss4.c — CVSS v4.0 scoring (FIRST CVSS v4.0 specification,
 * section 8 "CVSS v4.0 Scoring"): metric values → macro-vector EQ1..EQ6 →
 * macro-vector score from the lookup table (cvss4_table.c) → interpolation
 * by the severity distance to the highest-severity vectors of the
 * macro-vector → rounded half-up to one decimal.
 *
 * The floating-point steps follow the order of operations of FIRST's
 * reference calculator so that results agree with it bit for bit. */
#include <math.h>
#include <string.h>
#include "cvss_impl.h"

/* effective single-letter values used by the scoring */
typedef struct {
	char av, ac, at, pr, ui, vc, vi, va, sc, si, sa, e, cr, ir, ar;
} v4vals;

static char letter(const vd_cvss *c, int i, bool use)
{
	if (!use || !c->m[i])
		return 'X';
	return vd_cvss__val(c, i)[0];
}

static void effective(const vd_cvss *c, bool base_only, v4vals *v)
{
	bool all = !base_only;
#define EFF(base, mod) (letter(c, mod, all) != 'X' ? letter(c, mod, all) : letter(c, base, true))
	v->av = EFF(V4_AV, V4_MAV);
	v->ac = EFF(V4_AC, V4_MAC);
	v->at = EFF(V4_AT, V4_MAT);
	v->pr = EFF(V4_PR, V4_MPR);
	v->ui = EFF(V4_UI, V4_MUI);
	v->vc = EFF(V4_VC, V4_MVC);
	v->vi = EFF(V4_VI, V4_MVI);
	v->va = EFF(V4_VA, V4_MVA);
	v->sc = EFF(V4_SC, V4_MSC);
	v->si = EFF(V4_SI, V4_MSI);
	v->sa = EFF(V4_SA, V4_MSA);
#undef EFF
	v->e = letter(c, V4_E, all);
	if (v->e == 'X') v->e = 'A';
	v->cr = letter(c, V4_CR, all);
	if (v->cr == 'X') v->cr = 'H';
	v->ir = letter(c, V4_IR, all);
	if (v->ir == 'X') v->ir = 'H';
	v->ar = letter(c, V4_AR, all);
	if (v->ar == 'X') v->ar = 'H';
}

static void macro(const v4vals *v, int eq[6])
{
	/* EQ1: 0 AV:N and PR:N and UI:N; 1 (AV:N or PR:N or UI:N) and not all
	 * three and not AV:P; 2 AV:P or none of AV:N, PR:N, UI:N */
	if (v->av == 'N' && v->pr == 'N' && v->ui == 'N') eq[0] = 0;
	else if ((v->av == 'N' || v->pr == 'N' || v->ui == 'N') && v->av != 'P') eq[0] = 1;
	else eq[0] = 2;
	/* EQ2: 0 AC:L and AT:N; 1 otherwise */
	eq[1] = (v->ac == 'L' && v->at == 'N') ? 0 : 1;
	/* EQ3: 0 VC:H and VI:H; 1 not that but one of VC/VI/VA is H; 2 none H */
	if (v->vc == 'H' && v->vi == 'H') eq[2] = 0;
	else if (v->vc == 'H' || v->vi == 'H' || v->va == 'H') eq[2] = 1;
	else eq[2] = 2;
	/* EQ4: 0 MSI:S or MSA:S; 1 SC:H or SI:H or SA:H; 2 otherwise */
	if (v->si == 'S' || v->sa == 'S') eq[3] = 0;
	else if (v->sc == 'H' || v->si == 'H' || v->sa == 'H') eq[3] = 1;
	else eq[3] = 2;
	/* EQ5: E:A 0, E:P 1, E:U 2 */
	eq[4] = v->e == 'A' ? 0 : v->e == 'P' ? 1 : 2;
	/* EQ6: 0 (CR:H and VC:H) or (IR:H and VI:H) or (AR:H and VA:H) */
	eq[5] = ((v->cr == 'H' && v->vc == 'H') || (v->ir == 'H' && v->vi == 'H') ||
	         (v->ar == 'H' && v->va == 'H')) ? 0 : 1;
}

/* severity levels (spec: "distance" of a value from the most severe) */
static double lv_av(char x) { return x == 'N' ? 0.0 : x == 'A' ? 0.1 : x == 'L' ? 0.2 : 0.3; }
static double lv_pr(char x) { return x == 'N' ? 0.0 : x == 'L' ? 0.1 : 0.2; }
static double lv_ui(char x) { return x == 'N' ? 0.0 : x == 'P' ? 0.1 : 0.2; }
static double lv_ac(char x) { return x == 'L' ? 0.0 : 0.1; }
static double lv_at(char x) { return x == 'N' ? 0.0 : 0.1; }
static double lv_v(char x)  { return x == 'H' ? 0.0 : x == 'L' ? 0.1 : 0.2; }
static double lv_sc(char x) { return x == 'H' ? 0.1 : x == 'L' ? 0.2 : 0.3; }
static double lv_ss(char x) { return x == 'S' ? 0.0 : x == 'H' ? 0.1 : x == 'L' ? 0.2 : 0.3; }
static double lv_req(char x) { return x == 'H' ? 0.0 : x == 'M' ? 0.1 : 0.2; }

/* Highest-severity vectors of each EQ level (specification data). */
typedef struct { const char *s[5]; int n; } maxset;
static const maxset MAX_EQ1[3] = {          /* AV PR UI */
	{ { "NNN" }, 1 },
	{ { "ANN", "NLN", "NNP" }, 3 },
	{ { "PNN", "ALP" }, 2 },
};
static const maxset MAX_EQ2[2] = {          /* AC AT */
	{ { "LN" }, 1 },
	{ { "HN", "LP" }, 2 },
};
static const maxset MAX_EQ36[3][2] = {      /* VC VI VA CR IR AR */
	{ { { "HHHHHH" }, 1 }, { { "HHLMMH", "HHHMMM" }, 2 } },
	{ { { "LHHHHH", "HLHHHH" }, 2 },
	  { { "LHLHMH", "LHHHMM", "HLHMHM", "HLLMHH", "LLHHHM" }, 5 } },
	{ { { NULL }, 0 }, { { "LLLHHH" }, 1 } },
};
static const maxset MAX_EQ4[3] = {          /* SC SI SA */
	{ { "HSS" }, 1 },
	{ { "HHH" }, 1 },
	{ { "LLL" }, 1 },
};
/* max severity depth (+1) per EQ level */
static const int DEPTH_EQ1[3] = { 1, 4, 5 };
static const int DEPTH_EQ2[2] = { 1, 2 };
static const int DEPTH_EQ36[3][2] = { { 7, 6 }, { 8, 8 }, { 0, 10 } };
static const int DEPTH_EQ4[3] = { 6, 5, 4 };

static double lookup(int e1, int e2, int e3, int e4, int e5, int e6)
{
	int s = vd_cvss__v4_lookup10(e1, e2, e3, e4, e5, e6);
	return s < 0 ? NAN : (double)s / 10.0;
}

static double score_of(const v4vals *v, const int eq[6])
{
	if (v->vc == 'N' && v->vi == 'N' && v->va == 'N' &&
	    v->sc == 'N' && v->si == 'N' && v->sa == 'N')
		return 0.0;
	double value = lookup(eq[0], eq[1], eq[2], eq[3], eq[4], eq[5]);
	if (isnan(value))
		return 0.0;   /* cannot happen for a consistent macro-vector */

	/* next lower macro-vector score per EQ (NaN when there is none) */
	double nl1 = lookup(eq[0] + 1, eq[1], eq[2], eq[3], eq[4], eq[5]);
	double nl2 = lookup(eq[0], eq[1] + 1, eq[2], eq[3], eq[4], eq[5]);
	double nl36;
	if (eq[2] == 0 && eq[5] == 0) {
		/* two ways down: 00 -> 01 and 00 -> 10; take the higher */
		double left = lookup(eq[0], eq[1], eq[2], eq[3], eq[4], eq[5] + 1);
		double right = lookup(eq[0], eq[1], eq[2] + 1, eq[3], eq[4], eq[5]);
		nl36 = isnan(left) ? left : (right > left ? right : left);
	} else if (eq[2] == 1 && eq[5] == 0) {
		nl36 = lookup(eq[0], eq[1], eq[2], eq[3], eq[4], eq[5] + 1);
	} else if (eq[2] == 2) {
		nl36 = NAN;   /* 21 -> 32 does not exist */
	} else {
		nl36 = lookup(eq[0], eq[1], eq[2] + 1, eq[3], eq[4], eq[5]);
	}
	double nl4 = lookup(eq[0], eq[1], eq[2], eq[3] + 1, eq[4], eq[5]);
	double nl5 = lookup(eq[0], eq[1], eq[2], eq[3], eq[4] + 1, eq[5]);

	/* severity distances from the first highest-severity vector of the
	 * macro-vector that the vector does not exceed */
	const maxset *m1 = &MAX_EQ1[eq[0]], *m2 = &MAX_EQ2[eq[1]];
	const maxset *m36 = &MAX_EQ36[eq[2]][eq[5]], *m4 = &MAX_EQ4[eq[3]];
	double d_av = 0, d_pr = 0, d_ui = 0, d_ac = 0, d_at = 0, d_vc = 0, d_vi = 0, d_va = 0,
	       d_sc = 0, d_si = 0, d_sa = 0, d_cr = 0, d_ir = 0, d_ar = 0;
	bool found = false;
	for (int a = 0; a < m1->n && !found; a++)
		for (int b = 0; b < m2->n && !found; b++)
			for (int k = 0; k < m36->n && !found; k++)
				for (int d = 0; d < m4->n && !found; d++) {
					const char *x1 = m1->s[a], *x2 = m2->s[b], *x3 = m36->s[k],
					           *x4 = m4->s[d];
					d_av = lv_av(v->av) - lv_av(x1[0]);
					d_pr = lv_pr(v->pr) - lv_pr(x1[1]);
					d_ui = lv_ui(v->ui) - lv_ui(x1[2]);
					d_ac = lv_ac(v->ac) - lv_ac(x2[0]);
					d_at = lv_at(v->at) - lv_at(x2[1]);
					d_vc = lv_v(v->vc) - lv_v(x3[0]);
					d_vi = lv_v(v->vi) - lv_v(x3[1]);
					d_va = lv_v(v->va) - lv_v(x3[2]);
					d_sc = lv_sc(v->sc) - lv_sc(x4[0]);
					d_si = lv_ss(v->si) - lv_ss(x4[1]);
					d_sa = lv_ss(v->sa) - lv_ss(x4[2]);
					d_cr = lv_req(v->cr) - lv_req(x3[3]);
					d_ir = lv_req(v->ir) - lv_req(x3[4]);
					d_ar = lv_req(v->ar) - lv_req(x3[5]);
					found = !(d_av < 0 || d_pr < 0 || d_ui < 0 || d_ac < 0 ||
					          d_at < 0 || d_vc < 0 || d_vi < 0 || d_va < 0 ||
					          d_sc < 0 || d_si < 0 || d_sa < 0 || d_cr < 0 ||
					          d_ir < 0 || d_ar < 0);
				}

	double cur1 = d_av + d_pr + d_ui;
	double cur2 = d_ac + d_at;
	double cur36 = d_vc + d_vi + d_va + d_cr + d_ir + d_ar;
	double cur4 = d_sc + d_si + d_sa;
	double step = 0.1;
	double ms1 = DEPTH_EQ1[eq[0]] * step, ms2 = DEPTH_EQ2[eq[1]] * step;
	double ms36 = DEPTH_EQ36[eq[2]][eq[5]] * step, ms4 = DEPTH_EQ4[eq[3]] * step;

	double av1 = value - nl1, av2 = value - nl2, av36 = value - nl36,
	       av4 = value - nl4, av5 = value - nl5;
	int n = 0;
	double n1 = 0, n2 = 0, n36 = 0, n4 = 0, n5 = 0;
	if (av1 >= 0) { n++; n1 = av1 * (cur1 / ms1); }
	if (av2 >= 0) { n++; n2 = av2 * (cur2 / ms2); }
	if (av36 >= 0) { n++; n36 = av36 * (cur36 / ms36); }
	if (av4 >= 0) { n++; n4 = av4 * (cur4 / ms4); }
	if (av5 >= 0) { n++; n5 = av5 * 0.0; }
	double mean = n ? (n1 + n2 + n36 + n4 + n5) / n : 0.0;
	value -= mean;
	if (value < 0) value = 0.0;
	if (value > 10) value = 10.0;
	return vd_cvss__round1(value);
}

void vd_cvss__score4(vd_cvss *c)
{
	v4vals v;
	int eq[6];
	effective(c, true, &v);
	macro(&v, eq);
	c->base = score_of(&v, eq);
	effective(c, false, &v);
	macro(&v, eq);
	c->score = score_of(&v, eq);
	for (int i = 0; i < 6; i++)
		c->macro_vector[i] = (char)('0' + eq[i]);
	c->macro_vector[6] = '\0';
}
