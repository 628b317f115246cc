/* src/score/cvss_impl.h — internals shared by the CVSS sources (not public). */
#ifndef VD_CVSS_IMPL_H
#define VD_CVSS_IMPL_H
#include "vulnd/cvss.h"

enum { CG_BASE = 0, CG_TEMPORAL = 1, CG_ENV = 2, CG_SUPP = 3 };

typedef struct cvss_metric {
	const char *name;
	const char *const *vals;     /* NULL-terminated spellings */
	unsigned char group;         /* CG_* (CG_TEMPORAL = v4 threat) */
} cvss_metric;

/* metric indices (specification order) */
enum { V2_AV, V2_AC, V2_AU, V2_C, V2_I, V2_A, V2_E, V2_RL, V2_RC, V2_CDP, V2_TD,
       V2_CR, V2_IR, V2_AR, V2_N };
enum { V3_AV, V3_AC, V3_PR, V3_UI, V3_S, V3_C, V3_I, V3_A, V3_E, V3_RL, V3_RC,
       V3_CR, V3_IR, V3_AR, V3_MAV, V3_MAC, V3_MPR, V3_MUI, V3_MS, V3_MC, V3_MI,
       V3_MA, V3_N };
enum { V4_AV, V4_AC, V4_AT, V4_PR, V4_UI, V4_VC, V4_VI, V4_VA, V4_SC, V4_SI, V4_SA,
       V4_E, V4_CR, V4_IR, V4_AR, V4_MAV, V4_MAC, V4_MAT, V4_MPR, V4_MUI, V4_MVC,
       V4_MVI, V4_MVA, V4_MSC, V4_MSI, V4_MSA, V4_S, V4_AU, V4_R, V4_V, V4_RE, V4_U,
       V4_N };

const cvss_metric *vd_cvss__table(int version, int *n);

/* Spelling of the effective value of metric i: the given value, or "X"/"ND"
 * (the Not Defined spelling) when absent. Never NULL for a valid index. */
const char *vd_cvss__val(const vd_cvss *c, int i);

/* Round to one decimal as the v4.0 reference calculator: half away from
 * zero after adding 1e-6 against binary floating-point artefacts. */
double vd_cvss__round1(double x);

void vd_cvss__score2(vd_cvss *c);
void vd_cvss__score3(vd_cvss *c);
void vd_cvss__score4(vd_cvss *c);

/* v4.0 macro-vector score table: score*10 for EQ1..EQ6, -1 when the
 * macro-vector does not exist (EQ3=2 with EQ6=0, or out of range). */
int vd_cvss__v4_lookup10(int eq1, int eq2, int eq3, int eq4, int eq5, int eq6);

#endif
