/* src/score/cvss3.c — CVSS v3.0 and v3.1 scoring (FIRST CVSS v3.0 and v3.1
 * specification documents, section 7 "CVSS v3.x Equations" and, for v3.1,
 * Appendix A "Floating Point Rounding"). */
#include <math.h>
#include "cvss_impl.h"

/* v3.1 Roundup: work on an integer number of 1e-5 steps so that values
 * such as 4.000000000001 (binary artefacts of an exact 4.0) stay 4.0. */
static double roundup(double x)
{
	long long i = llround(x * 100000.0);
	if (i % 10000 == 0)
		return (double)i / 100000.0;
	return (double)(i / 10000 + 1) / 10.0;
}

static int idx(const vd_cvss *c, int i)
{
	return c->m[i] ? c->m[i] - 1 : 0;   /* optional metrics: index 0 is X */
}

/* effective value index of a base metric under its modified counterpart
 * (modified tables have X at 0 and then the base values in base order) */
static int eff(const vd_cvss *c, int base, int mod)
{
	int mi = idx(c, mod);
	return mi ? mi - 1 : idx(c, base);
}

static const double W_AV[] = { 0.85, 0.62, 0.55, 0.2 };   /* N A L P */
static const double W_AC[] = { 0.77, 0.44 };              /* L H */
static const double W_PR_U[] = { 0.85, 0.62, 0.27 };      /* N L H, scope unchanged */
static const double W_PR_C[] = { 0.85, 0.68, 0.5 };       /* N L H, scope changed */
static const double W_UI[] = { 0.85, 0.62 };              /* N R */
static const double W_CIA[] = { 0.56, 0.22, 0 };          /* H L N */
static const double W_E[] = { 1, 1, 0.97, 0.94, 0.91 };   /* X H F P U */
static const double W_RL[] = { 1, 1, 0.97, 0.96, 0.95 };  /* X U W T O */
static const double W_RC[] = { 1, 1, 0.96, 0.92 };        /* X C R U */
static const double W_REQ[] = { 1, 1.5, 1, 0.5 };         /* X H M L */

void vd_cvss__score3(vd_cvss *c)
{
	bool v31 = c->version == 31;
	bool changed = idx(c, V3_S) == 1;
	double iss = 1 - ((1 - W_CIA[idx(c, V3_C)]) * (1 - W_CIA[idx(c, V3_I)]) *
	                  (1 - W_CIA[idx(c, V3_A)]));
	double impact = changed ? 7.52 * (iss - 0.029) - 3.25 * pow(iss - 0.02, 15)
	                        : 6.42 * iss;
	double expl = 8.22 * W_AV[idx(c, V3_AV)] * W_AC[idx(c, V3_AC)] *
	              (changed ? W_PR_C : W_PR_U)[idx(c, V3_PR)] * W_UI[idx(c, V3_UI)];
	double base;
	if (impact <= 0)
		base = 0;
	else if (changed)
		base = roundup(fmin(1.08 * (impact + expl), 10));
	else
		base = roundup(fmin(impact + expl, 10));

	double tmul_e = W_E[idx(c, V3_E)], tmul_rl = W_RL[idx(c, V3_RL)],
	       tmul_rc = W_RC[idx(c, V3_RC)];
	double temporal = roundup(base * tmul_e * tmul_rl * tmul_rc);

	int ms = idx(c, V3_MS);
	bool mchanged = ms ? ms == 2 : changed;
	double miss = fmin(1 - (1 - W_CIA[eff(c, V3_C, V3_MC)] * W_REQ[idx(c, V3_CR)]) *
	                       (1 - W_CIA[eff(c, V3_I, V3_MI)] * W_REQ[idx(c, V3_IR)]) *
	                       (1 - W_CIA[eff(c, V3_A, V3_MA)] * W_REQ[idx(c, V3_AR)]),
	                   0.915);
	double mimpact;
	if (!mchanged)
		mimpact = 6.42 * miss;
	else if (v31)
		mimpact = 7.52 * (miss - 0.029) - 3.25 * pow(miss * 0.9731 - 0.02, 13);
	else
		mimpact = 7.52 * (miss - 0.029) - 3.25 * pow(miss - 0.02, 15);
	double mexpl = 8.22 * W_AV[eff(c, V3_AV, V3_MAV)] * W_AC[eff(c, V3_AC, V3_MAC)] *
	               (mchanged ? W_PR_C : W_PR_U)[eff(c, V3_PR, V3_MPR)] *
	               W_UI[eff(c, V3_UI, V3_MUI)];
	double env;
	if (mimpact <= 0)
		env = 0;
	else if (mchanged)
		env = roundup(roundup(fmin(1.08 * (mimpact + mexpl), 10)) * tmul_e * tmul_rl * tmul_rc);
	else
		env = roundup(roundup(fmin(mimpact + mexpl, 10)) * tmul_e * tmul_rl * tmul_rc);

	c->base = base;
	c->temporal = temporal;
	c->environmental = env;
}
