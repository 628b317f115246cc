/* vulnd/cvss.h — CVSS v2.0, v3.0, v3.1 and v4.0: parse, validate, normalise,
 * score (module: score; owner: src/score/cvss*.c).
 *
 * Scoring follows FIRST's specifications:
 *   v2.0  base/temporal/environmental equations of the v2 guide, computed in
 *         exact decimal arithmetic and rounded half-up to one decimal;
 *   v3.0  v3.0 equations (scope-changed modified impact uses (M-0.02)^15);
 *   v3.1  v3.1 equations ((M*0.9731-0.02)^13) and the v3.1 Roundup defined
 *         with integer arithmetic (Appendix A of the v3.1 specification);
 *         v3.0 uses the same Roundup (it is the v3.0 "round up" without the
 *         floating-point artefacts, and matches the reference vectors);
 *   v4.0  the macro-vector (EQ1..EQ6) lookup of all 270 macro-vectors, the
 *         highest-severity vectors per EQ and the interpolation of the
 *         specification (section 8), rounded half-up to one decimal.
 *
 * Vector syntax and the rules enforced by vd_cvss_parse():
 *   - v3.0/v3.1/v4.0 need their prefix "CVSS:3.0/", "CVSS:3.1/", "CVSS:4.0/";
 *     v2 vectors have no prefix (an optional "CVSS:2.0/" is accepted and
 *     dropped on normalisation). Any other "CVSS:x.y/" is "unsupported version".
 *   - Metric names and values are case-sensitive, exactly as in the specs
 *     ("Au", "POC", "U:Clear"); metrics are "/"-separated "NAME:VALUE" pairs;
 *     no empty components, no trailing "/".
 *   - Every base metric is mandatory; the other groups are optional and a
 *     missing metric means Not Defined (X, or ND in v2).
 *   - A metric may occur once (duplicate = error), even with value X/ND.
 *   - Order: v2 and v3.x accept any order (the v3.x specifications say metrics
 *     may be given in any order and only recommend the table order; the v2
 *     guide gives no rule; the reference test vectors contain
 *     "CVSS:3.0/S:U/AV:N/..."). v4.0 vectors must list metrics in the order of
 *     the v4.0 specification's table (Base, Threat, Environmental,
 *     Supplemental; FIRST's v4.0 JSON schema pattern encodes that order), so
 *     an out-of-order v4.0 vector is an error — unless the caller passes
 *     VD_CVSS_ANY_ORDER (importers of real-world data may want that; the
 *     normalised vector is then in canonical order).
 *   - Input longer than VD_CVSS_MAX_LEN bytes is refused (VD_ETOOBIG).
 *   Leading/trailing ASCII whitespace is ignored.
 *
 * Normalised vector: prefix (none for v2) + the given metrics in the
 * specification's order, with Not Defined (X / ND) values dropped.
 *
 * No allocation: a vd_cvss is a plain value the caller owns (stack is fine).
 * Not thread-hostile: no global mutable state.
 */
#ifndef VULND_CVSS_H
#define VULND_CVSS_H
#include <stdbool.h>

#define VD_CVSS_MAX_LEN     512   /* longest accepted vector string */
#define VD_CVSS_MAX_METRICS 32    /* metrics per version (v4.0 has 32) */

/* flags for vd_cvss_parse_ex */
enum { VD_CVSS_ANY_ORDER = 1u };

typedef struct vd_cvss {
	int version;                 /* 20, 30, 31 or 40 */
	/* Parsed metrics: m[i] is 0 when metric i (in the version's
	 * specification order, see vd_cvss_metric_name) is absent, else
	 * 1 + the index of its value (see vd_cvss_metric_value). */
	unsigned char m[VD_CVSS_MAX_METRICS];
	/* v2/v3: base, temporal, environmental scores. temporal and
	 * environmental are always computed (absent metrics = Not Defined,
	 * which makes them equal the base score); has_temporal /
	 * has_environmental say whether the vector defines any metric of the
	 * group (v2 reference calculators print "None" otherwise).
	 * v4.0: base = the CVSS-B score (base metrics only, threat and
	 * environmental ignored); score = the score of the whole vector
	 * (CVSS-B, -BT, -BE or -BTE, see vd_cvss_nomenclature); temporal and
	 * environmental are unused (0). For v2/v3, score = the most specific
	 * score the vector defines (environmental, else temporal, else base). */
	double base, temporal, environmental, score;
	bool has_temporal;           /* v2/v3: E/RL/RC defined */
	bool has_environmental;      /* v2/v3/v4: any environmental metric defined */
	bool has_threat;             /* v4: E defined */
	bool has_supplemental;       /* v4: S/AU/R/V/RE/U defined */
	char macro_vector[8];        /* v4: "EQ1..EQ6" digits, e.g. "001100"; "" otherwise */
	char normalized[256];        /* normalised vector, see above */
} vd_cvss;

/* Parse, validate and score `vector` into *out (zeroed first).
 * VD_OK, or VD_EINVAL / VD_ETOOBIG with vd_error_set() naming the problem
 * (unknown metric 'XX', duplicate metric 'AV', missing mandatory metric(s),
 * bad value 'Q' for 'AV', wrong/missing prefix, out-of-order v4.0 metric). */
int vd_cvss_parse(const char *vector, vd_cvss *out);
int vd_cvss_parse_ex(const char *vector, unsigned flags, vd_cvss *out);

/* Recompute the scores, macro_vector and normalized string of an already
 * parsed (or edited) *c from c->version and c->m. VD_OK or VD_EINVAL when a
 * mandatory metric is missing or a value index is out of range. */
int vd_cvss_score(vd_cvss *c);

/* Qualitative severity for a score of `version` (static strings):
 * v2: "Low" (0.0-3.9), "Medium" (4.0-6.9), "High" (7.0-10.0) (NVD's v2 scale);
 * v3/v4: "None" (0.0), "Low", "Medium", "High", "Critical" (9.0-10.0).
 * NULL for an unknown version. */
const char *vd_cvss_severity(int version, double score);

/* "2.0", "3.0", "3.1", "4.0" (static), NULL for an unknown version. */
const char *vd_cvss_version_str(int version);

/* v4.0 nomenclature of c->score: "CVSS-B", "CVSS-BT", "CVSS-BE" or
 * "CVSS-BTE" (static); NULL for other versions. */
const char *vd_cvss_nomenclature(const vd_cvss *c);

/* Introspection of the metric tables (static strings; NULL when out of
 * range): number of metrics of a version, the name of metric i, the
 * number of values of metric i and the spelling of value j. */
int vd_cvss_metric_count(int version);
const char *vd_cvss_metric_name(int version, int i);
int vd_cvss_metric_nvalues(int version, int i);
const char *vd_cvss_metric_value(int version, int i, int j);
/* true when metric i is a mandatory (base) metric. */
bool vd_cvss_metric_mandatory(int version, int i);

#endif
