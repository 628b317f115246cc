/* src/score/cvss.c — CVSS metric tables, vector parsing/validation,
 * normalisation, severity. Scoring lives in cvss2.c, cvss3.c, cvss4.c. */
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <math.h>
#include "cvss_impl.h"
#include "vulnd/error.h"

#define VALS(...) ((const char *const[]){__VA_ARGS__, NULL})

static const cvss_metric v2_metrics[V2_N] = {
	[V2_AV]  = {"AV",  VALS("L", "A", "N"), CG_BASE},
	[V2_AC]  = {"AC",  VALS("H", "M", "L"), CG_BASE},
	[V2_AU]  = {"Au",  VALS("M", "S", "N"), CG_BASE},
	[V2_C]   = {"C",   VALS("N", "P", "C"), CG_BASE},
	[V2_I]   = {"I",   VALS("N", "P", "C"), CG_BASE},
	[V2_A]   = {"A",   VALS("N", "P", "C"), CG_BASE},
	[V2_E]   = {"E",   VALS("U", "POC", "F", "H", "ND"), CG_TEMPORAL},
	[V2_RL]  = {"RL",  VALS("OF", "TF", "W", "U", "ND"), CG_TEMPORAL},
	[V2_RC]  = {"RC",  VALS("UC", "UR", "C", "ND"), CG_TEMPORAL},
	[V2_CDP] = {"CDP", VALS("N", "L", "LM", "MH", "H", "ND"), CG_ENV},
	[V2_TD]  = {"TD",  VALS("N", "L", "M", "H", "ND"), CG_ENV},
	[V2_CR]  = {"CR",  VALS("L", "M", "H", "ND"), CG_ENV},
	[V2_IR]  = {"IR",  VALS("L", "M", "H", "ND"), CG_ENV},
	[V2_AR]  = {"AR",  VALS("L", "M", "H", "ND"), CG_ENV},
};

static const cvss_metric v3_metrics[V3_N] = {
	[V3_AV]  = {"AV",  VALS("N", "A", "L", "P"), CG_BASE},
	[V3_AC]  = {"AC",  VALS("L", "H"), CG_BASE},
	[V3_PR]  = {"PR",  VALS("N", "L", "H"), CG_BASE},
	[V3_UI]  = {"UI",  VALS("N", "R"), CG_BASE},
	[V3_S]   = {"S",   VALS("U", "C"), CG_BASE},
	[V3_C]   = {"C",   VALS("H", "L", "N"), CG_BASE},
	[V3_I]   = {"I",   VALS("H", "L", "N"), CG_BASE},
	[V3_A]   = {"A",   VALS("H", "L", "N"), CG_BASE},
	[V3_E]   = {"E",   VALS("X", "H", "F", "P", "U"), CG_TEMPORAL},
	[V3_RL]  = {"RL",  VALS("X", "U", "W", "T", "O"), CG_TEMPORAL},
	[V3_RC]  = {"RC",  VALS("X", "C", "R", "U"), CG_TEMPORAL},
	[V3_CR]  = {"CR",  VALS("X", "H", "M", "L"), CG_ENV},
	[V3_IR]  = {"IR",  VALS("X", "H", "M", "L"), CG_ENV},
	[V3_AR]  = {"AR",  VALS("X", "H", "M", "L"), CG_ENV},
	[V3_MAV] = {"MAV", VALS("X", "N", "A", "L", "P"), CG_ENV},
	[V3_MAC] = {"MAC", VALS("X", "L", "H"), CG_ENV},
	[V3_MPR] = {"MPR", VALS("X", "N", "L", "H"), CG_ENV},
	[V3_MUI] = {"MUI", VALS("X", "N", "R"), CG_ENV},
	[V3_MS]  = {"MS",  VALS("X", "U", "C"), CG_ENV},
	[V3_MC]  = {"MC",  VALS("X", "H", "L", "N"), CG_ENV},
	[V3_MI]  = {"MI",  VALS("X", "H", "L", "N"), CG_ENV},
	[V3_MA]  = {"MA",  VALS("X", "H", "L", "N"), CG_ENV},
};

static const cvss_metric v4_metrics[V4_N] = {
	[V4_AV]  = {"AV",  VALS("N", "A", "L", "P"), CG_BASE},
	[V4_AC]  = {"AC",  VALS("L", "H"), CG_BASE},
	[V4_AT]  = {"AT",  VALS("N", "P"), CG_BASE},
	[V4_PR]  = {"PR",  VALS("N", "L", "H"), CG_BASE},
	[V4_UI]  = {"UI",  VALS("N", "P", "A"), CG_BASE},
	[V4_VC]  = {"VC",  VALS("H", "L", "N"), CG_BASE},
	[V4_VI]  = {"VI",  VALS("H", "L", "N"), CG_BASE},
	[V4_VA]  = {"VA",  VALS("H", "L", "N"), CG_BASE},
	[V4_SC]  = {"SC",  VALS("H", "L", "N"), CG_BASE},
	[V4_SI]  = {"SI",  VALS("H", "L", "N"), CG_BASE},
	[V4_SA]  = {"SA",  VALS("H", "L", "N"), CG_BASE},
	[V4_E]   = {"E",   VALS("X", "A", "P", "U"), CG_TEMPORAL},
	[V4_CR]  = {"CR",  VALS("X", "H", "M", "L"), CG_ENV},
	[V4_IR]  = {"IR",  VALS("X", "H", "M", "L"), CG_ENV},
	[V4_AR]  = {"AR",  VALS("X", "H", "M", "L"), CG_ENV},
	[V4_MAV] = {"MAV", VALS("X", "N", "A", "L", "P"), CG_ENV},
	[V4_MAC] = {"MAC", VALS("X", "L", "H"), CG_ENV},
	[V4_MAT] = {"MAT", VALS("X", "N", "P"), CG_ENV},
	[V4_MPR] = {"MPR", VALS("X", "N", "L", "H"), CG_ENV},
	[V4_MUI] = {"MUI", VALS("X", "N", "P", "A"), CG_ENV},
	[V4_MVC] = {"MVC", VALS("X", "H", "L", "N"), CG_ENV},
	[V4_MVI] = {"MVI", VALS("X", "H", "L", "N"), CG_ENV},
	[V4_MVA] = {"MVA", VALS("X", "H", "L", "N"), CG_ENV},
	[V4_MSC] = {"MSC", VALS("X", "H", "L", "N"), CG_ENV},
	[V4_MSI] = {"MSI", VALS("X", "S", "H", "L", "N"), CG_ENV},
	[V4_MSA] = {"MSA", VALS("X", "S", "H", "L", "N"), CG_ENV},
	[V4_S]   = {"S",   VALS("X", "N", "P"), CG_SUPP},
	[V4_AU]  = {"AU",  VALS("X", "N", "Y"), CG_SUPP},
	[V4_R]   = {"R",   VALS("X", "A", "U", "I"), CG_SUPP},
	[V4_V]   = {"V",   VALS("X", "D", "C"), CG_SUPP},
	[V4_RE]  = {"RE",  VALS("X", "L", "M", "H"), CG_SUPP},
	[V4_U]   = {"U",   VALS("X", "Clear", "Green", "Amber", "Red"), CG_SUPP},
};

const cvss_metric *vd_cvss__table(int version, int *n)
{
	switch (version) {
	case 20: *n = V2_N; return v2_metrics;
	case 30: case 31: *n = V3_N; return v3_metrics;
	case 40: *n = V4_N; return v4_metrics;
	default: *n = 0; return NULL;
	}
}

static bool is_nd(const char *v)
{
	return strcmp(v, "X") == 0 || strcmp(v, "ND") == 0;
}

static int nvals(const cvss_metric *m)
{
	int k = 0;
	while (m->vals[k])
		k++;
	return k;
}

const char *vd_cvss__val(const vd_cvss *c, int i)
{
	int n;
	const cvss_metric *t = vd_cvss__table(c->version, &n);
	if (!t || i < 0 || i >= n)
		return "";
	if (c->m[i])
		return t[i].vals[c->m[i] - 1];
	for (int k = 0; t[i].vals[k]; k++)
		if (is_nd(t[i].vals[k]))
			return t[i].vals[k];
	return "";
}

double vd_cvss__round1(double x)
{
	/* The v4.0 interpolation is defined on decimal scores; in binary
	 * floating point 6.1 - 0.45 comes out as 5.6499999999999995, not 5.65.
	 * As the reference implementation does, add a small epsilon (far below
	 * the 0.05 rounding granularity, far above accumulated error), then
	 * round half away from zero to one decimal. */
	if (isnan(x) || isinf(x))
		return x;
	double t = (fabs(x) + 1e-6) * 10.0, f = floor(t);
	if (t - f >= 0.5)
		f += 1.0;
	return copysign(f / 10.0, x);
}

const char *vd_cvss_version_str(int version)
{
	switch (version) {
	case 20: return "2.0";
	case 30: return "3.0";
	case 31: return "3.1";
	case 40: return "4.0";
	default: return NULL;
	}
}

const char *vd_cvss_severity(int version, double score)
{
	/* compare in tenths to be robust against representation noise */
	long t = lround(score * 10.0);
	if (version == 20) {
		if (t <= 39) return "Low";
		if (t <= 69) return "Medium";
		return "High";
	}
	if (version == 30 || version == 31 || version == 40) {
		if (t <= 0) return "None";
		if (t <= 39) return "Low";
		if (t <= 69) return "Medium";
		if (t <= 89) return "High";
		return "Critical";
	}
	return NULL;
}

const char *vd_cvss_nomenclature(const vd_cvss *c)
{
	if (!c || c->version != 40)
		return NULL;
	if (c->has_threat && c->has_environmental) return "CVSS-BTE";
	if (c->has_threat) return "CVSS-BT";
	if (c->has_environmental) return "CVSS-BE";
	return "CVSS-B";
}

int vd_cvss_metric_count(int version)
{
	int n;
	vd_cvss__table(version, &n);
	return n;
}

const char *vd_cvss_metric_name(int version, int i)
{
	int n;
	const cvss_metric *t = vd_cvss__table(version, &n);
	return t && i >= 0 && i < n ? t[i].name : NULL;
}

int vd_cvss_metric_nvalues(int version, int i)
{
	int n;
	const cvss_metric *t = vd_cvss__table(version, &n);
	return t && i >= 0 && i < n ? nvals(&t[i]) : 0;
}

const char *vd_cvss_metric_value(int version, int i, int j)
{
	int n;
	const cvss_metric *t = vd_cvss__table(version, &n);
	if (!t || i < 0 || i >= n || j < 0 || j >= nvals(&t[i]))
		return NULL;
	return t[i].vals[j];
}

bool vd_cvss_metric_mandatory(int version, int i)
{
	int n;
	const cvss_metric *t = vd_cvss__table(version, &n);
	return t && i >= 0 && i < n && t[i].group == CG_BASE;
}

static const char *vlabel(int version)
{
	switch (version) {
	case 20: return "CVSS v2.0";
	case 30: return "CVSS v3.0";
	case 31: return "CVSS v3.1";
	case 40: return "CVSS v4.0";
	default: return "CVSS";
	}
}

/* Is `name` a metric of some version other than v2 (for the "missing
 * prefix" hint on prefix-less input)? */
static bool is_v3v4_metric(const char *name)
{
	for (int i = 0; i < V3_N; i++)
		if (strcmp(v3_metrics[i].name, name) == 0)
			return true;
	for (int i = 0; i < V4_N; i++)
		if (strcmp(v4_metrics[i].name, name) == 0)
			return true;
	return false;
}

static void normalize(vd_cvss *c)
{
	int n;
	const cvss_metric *t = vd_cvss__table(c->version, &n);
	size_t len = 0, cap = sizeof c->normalized;
	c->normalized[0] = '\0';
	if (c->version != 20) {
		const char *vs = vd_cvss_version_str(c->version);
		int w = snprintf(c->normalized, cap, "CVSS:%s", vs ? vs : "?");
		len = w > 0 ? (size_t)w : 0;
	}
	for (int i = 0; i < n && len < cap; i++) {
		if (!c->m[i])
			continue;
		const char *v = t[i].vals[c->m[i] - 1];
		if (is_nd(v))
			continue;
		int w = snprintf(c->normalized + len, cap - len, "%s%s:%s",
		                 len ? "/" : "", t[i].name, v);
		if (w < 0)
			break;
		len += (size_t)w;
	}
}

int vd_cvss_score(vd_cvss *c)
{
	int n;
	const cvss_metric *t = c ? vd_cvss__table(c->version, &n) : NULL;
	if (!t)
		return vd_error_set(VD_EINVAL, "CVSS: unsupported version %d", c ? c->version : 0);
	for (int i = 0; i < n; i++) {
		if (c->m[i] > nvals(&t[i]))
			return vd_error_set(VD_EINVAL, "%s: value index %d out of range for '%s'",
			                    vlabel(c->version), c->m[i], t[i].name);
		if (t[i].group == CG_BASE && !c->m[i])
			return vd_error_set(VD_EINVAL, "%s vector: missing mandatory metric '%s'",
			                    vlabel(c->version), t[i].name);
	}
	c->has_temporal = c->has_environmental = c->has_threat = c->has_supplemental = false;
	for (int i = 0; i < n; i++) {
		if (!c->m[i] || t[i].group == CG_BASE || is_nd(t[i].vals[c->m[i] - 1]))
			continue;
		switch (t[i].group) {
		case CG_TEMPORAL:
			if (c->version == 40) c->has_threat = true;
			else c->has_temporal = true;
			break;
		case CG_ENV: c->has_environmental = true; break;
		case CG_SUPP: c->has_supplemental = true; break;
		default: break;
		}
	}
	c->base = c->temporal = c->environmental = c->score = 0;
	c->macro_vector[0] = '\0';
	if (c->version == 20)
		vd_cvss__score2(c);
	else if (c->version == 40)
		vd_cvss__score4(c);
	else
		vd_cvss__score3(c);
	if (c->version != 40)
		c->score = c->has_environmental ? c->environmental
		         : c->has_temporal ? c->temporal : c->base;
	normalize(c);
	return VD_OK;
}

int vd_cvss_parse(const char *vector, vd_cvss *out)
{
	return vd_cvss_parse_ex(vector, 0, out);
}

static bool is_space(char ch)
{
	return ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r' || ch == '\f' || ch == '\v';
}

int vd_cvss_parse_ex(const char *vector, unsigned flags, vd_cvss *out)
{
	if (!out)
		return vd_error_set(VD_EINVAL, "CVSS: no output");
	memset(out, 0, sizeof *out);
	if (!vector)
		return vd_error_set(VD_EINVAL, "CVSS vector: empty");

	/* trim and bound */
	while (is_space(*vector))
		vector++;
	size_t len = strnlen(vector, VD_CVSS_MAX_LEN + 64);
	while (len && is_space(vector[len - 1]))
		len--;
	if (len > VD_CVSS_MAX_LEN)
		return vd_error_set(VD_ETOOBIG, "CVSS vector: longer than %d bytes", VD_CVSS_MAX_LEN);
	if (len == 0)
		return vd_error_set(VD_EINVAL, "CVSS vector: empty");
	char buf[VD_CVSS_MAX_LEN + 1];
	memcpy(buf, vector, len);
	buf[len] = '\0';
	for (size_t i = 0; i < len; i++) {
		unsigned char ch = (unsigned char)buf[i];
		if (ch <= 0x20 || ch >= 0x7f)
			return vd_error_set(VD_EINVAL, "CVSS vector: invalid character 0x%02X at offset %zu "
			                    "(vectors are printable ASCII without spaces)", ch, i);
	}

	/* prefix → version */
	char *p = buf;
	bool prefixed = false;
	if (strncmp(p, "CVSS:", 5) == 0) {
		char *slash = strchr(p, '/');
		size_t vl = slash ? (size_t)(slash - (p + 5)) : strlen(p + 5);
		char ver[16];
		snprintf(ver, sizeof ver, "%.*s", (int)(vl < 15 ? vl : 15), p + 5);
		if (strcmp(ver, "2.0") == 0) out->version = 20;
		else if (strcmp(ver, "3.0") == 0) out->version = 30;
		else if (strcmp(ver, "3.1") == 0) out->version = 31;
		else if (strcmp(ver, "4.0") == 0) out->version = 40;
		else
			return vd_error_set(VD_EINVAL, "CVSS vector: wrong prefix 'CVSS:%s%s' "
			                    "(unsupported version; expected CVSS:3.0/, CVSS:3.1/ or CVSS:4.0/)",
			                    ver, vl > 15 ? "..." : "");
		if (!slash || !slash[1])
			return vd_error_set(VD_EINVAL, "%s vector: no metrics after the prefix",
			                    vlabel(out->version));
		p = slash + 1;
		prefixed = true;
	} else if (strncasecmp(p, "CVSS", 4) == 0) {
		return vd_error_set(VD_EINVAL, "CVSS vector: wrong prefix '%.12s' (expected "
		                    "'CVSS:3.0/', 'CVSS:3.1/' or 'CVSS:4.0/'; v2 vectors have none)", p);
	} else {
		out->version = 20;
	}

	int n;
	const cvss_metric *t = vd_cvss__table(out->version, &n);
	int last = -1, pos = 0;
	for (;;) {
		char *comp = p;
		char *slash = strchr(p, '/');
		if (slash)
			*slash = '\0';
		pos++;
		if (!*comp)
			return vd_error_set(VD_EINVAL, "%s vector: empty metric at position %d%s",
			                    vlabel(out->version), pos,
			                    slash ? "" : " (trailing '/')");
		char *colon = strchr(comp, ':');
		if (!colon)
			return vd_error_set(VD_EINVAL, "%s vector: malformed component '%.20s' "
			                    "(expected METRIC:VALUE)", vlabel(out->version), comp);
		*colon = '\0';
		const char *name = comp, *val = colon + 1;
		int mi = -1;
		for (int i = 0; i < n; i++)
			if (strcmp(t[i].name, name) == 0) { mi = i; break; }
		if (mi < 0) {
			if (!prefixed && is_v3v4_metric(name))
				return vd_error_set(VD_EINVAL, "CVSS vector: missing prefix: metric '%.20s' "
				                    "is not a v2 metric; v3.x/v4.0 vectors must start with "
				                    "'CVSS:3.1/' (or 3.0, 4.0)", name);
			return vd_error_set(VD_EINVAL, "%s vector: unknown metric '%.20s'",
			                    vlabel(out->version), name);
		}
		if (out->m[mi])
			return vd_error_set(VD_EINVAL, "%s vector: duplicate metric '%s'",
			                    vlabel(out->version), t[mi].name);
		int vi = -1;
		for (int k = 0; t[mi].vals[k]; k++)
			if (strcmp(t[mi].vals[k], val) == 0) { vi = k; break; }
		if (vi < 0) {
			char allowed[96];
			size_t al = 0;
			allowed[0] = '\0';
			for (int k = 0; t[mi].vals[k] && al < sizeof allowed; k++) {
				int w = snprintf(allowed + al, sizeof allowed - al, "%s%s",
				                 k ? ", " : "", t[mi].vals[k]);
				if (w < 0) break;
				al += (size_t)w;
			}
			return vd_error_set(VD_EINVAL, "%s vector: bad value '%.20s' for metric '%s' "
			                    "(expected one of %s)", vlabel(out->version), val,
			                    t[mi].name, allowed);
		}
		if (out->version == 40 && !(flags & VD_CVSS_ANY_ORDER) && mi < last)
			return vd_error_set(VD_EINVAL, "%s vector: metric '%s' out of order: it must "
			                    "come before '%s' (v4.0 requires the specification's order)",
			                    vlabel(out->version), t[mi].name, t[last].name);
		if (mi > last)
			last = mi;
		out->m[mi] = (unsigned char)(vi + 1);
		if (!slash)
			break;
		p = slash + 1;
	}

	char missing[128];
	size_t ml = 0;
	int nmiss = 0;
	missing[0] = '\0';
	for (int i = 0; i < n; i++) {
		if (t[i].group != CG_BASE || out->m[i])
			continue;
		int w = snprintf(missing + ml, sizeof missing - ml, "%s'%s'", nmiss ? ", " : "",
		                 t[i].name);
		if (w > 0 && (size_t)w < sizeof missing - ml)
			ml += (size_t)w;
		nmiss++;
	}
	if (nmiss)
		return vd_error_set(VD_EINVAL, "%s vector: missing mandatory metric%s %s",
		                    vlabel(out->version), nmiss > 1 ? "s" : "", missing);
	return vd_cvss_score(out);
}
