/* Small helpers shared by the cve5, nvd2, cnnvd, cnvd and csaf converters
 * (private to src/formats; static inline, no state). */
#ifndef VD_FORMATS_CONV_UTIL_H
#define VD_FORMATS_CONV_UTIL_H
#include "vulnd/formats.h"
#include "vulnd/error.h"
#include <jansson.h>
#include <ctype.h>
#include <string.h>
#include <strings.h>

static inline const char *cv_str(const json_t *o, const char *key)
{
	return json_string_value(json_object_get(o, key));
}

static inline const char *cv_type_name(const json_t *v)
{
	switch (json_typeof(v)) {
	case JSON_OBJECT: return "object";
	case JSON_ARRAY: return "array";
	case JSON_STRING: return "string";
	case JSON_INTEGER: return "integer";
	case JSON_REAL: return "number";
	case JSON_TRUE: case JSON_FALSE: return "boolean";
	case JSON_NULL: return "null";
	}
	return "value";
}

/* CVE-YYYY-NNNN (4..19 digits), exactly. */
static inline bool cv_cve_id_ok(const char *s)
{
	if (!s || strncmp(s, "CVE-", 4) != 0)
		return false;
	s += 4;
	for (int i = 0; i < 4; i++)
		if (!isdigit((unsigned char)s[i]))
			return false;
	if (s[4] != '-')
		return false;
	s += 5;
	size_t n = 0;
	while (isdigit((unsigned char)s[n]))
		n++;
	return s[n] == '\0' && n >= 4 && n <= 19;
}

/* Language match: 2 exact, 1 regional ("en-US", "zh-CN", "eng", "zho"), 0 none. */
static inline int cv_lang_rank(const char *lang, const char *want)
{
	if (!lang)
		return 0;
	if (strcasecmp(lang, want) == 0)
		return 2;
	if (strncasecmp(lang, want, 2) == 0 && (lang[2] == '-' || lang[2] == '_'))
		return 1;
	if (strcmp(want, "en") == 0 && strcasecmp(lang, "eng") == 0)
		return 1;
	if (strcmp(want, "zh") == 0 && (strcasecmp(lang, "zho") == 0 || strcasecmp(lang, "chi") == 0))
		return 1;
	return 0;
}

/* Best {lang, value} entry of arr for want ("en"/"zh"); NULL when none. */
static inline const char *cv_pick_lang(const json_t *arr, const char *want)
{
	const char *best = NULL;
	int best_rank = 0;
	size_t i;
	json_t *e;
	json_array_foreach(arr, i, e) {
		const char *v = cv_str(e, "value");
		if (!v || !*v)
			continue;
		int rk = cv_lang_rank(cv_str(e, "lang"), want);
		if (rk > best_rank) {
			best = v;
			best_rank = rk;
		}
	}
	return best;
}

/* The reference type a list of tags says (the highest-ranked tag wins), "web" when none. */
static inline const char *cv_ref_type_tags(const json_t *tags);

/* Reference type from tags ("Patch", "Vendor Advisory", "exploit", ...):
 * exploit > patch > advisory > report > web. */
static inline const char *cv_ref_type_tag(const char *s, int *rank)
{
	static const struct { const char *tag, *type; int rank; } map[] = {
		{"exploit", "exploit", 5},
		{"patch", "patch", 4},
		{"vendor advisory", "advisory", 3}, {"vendor-advisory", "advisory", 3},
		{"third party advisory", "advisory", 3}, {"third-party-advisory", "advisory", 3},
		{"us government resource", "advisory", 3},
		{"issue tracking", "report", 2}, {"issue-tracking", "report", 2},
		{"technical description", "report", 2}, {"technical-description", "report", 2},
		{"mailing list", "report", 1}, {"release notes", "article", 1},
	};
	for (size_t k = 0; s && k < sizeof map / sizeof map[0]; k++)
		if (strcasecmp(s, map[k].tag) == 0) {
			*rank = map[k].rank;
			return map[k].type;
		}
	*rank = 0;
	return NULL;
}

/* Call fn for a value that is one item or an array of items (the XML
 * splitter makes repeated elements arrays). */
#define CV_EACH(v, i, e) \
	for (size_t i = 0, cv_n_##i = json_is_array(v) ? json_array_size(v) : ((v) ? 1 : 0); i < cv_n_##i; i++) \
		for (json_t *e = json_is_array(v) ? json_array_get(v, i) : (json_t *)(v); e; e = NULL)

/* Text of an XML-built value: a string, or an object's "#text"; NULL when
 * absent or blank. */
static inline const char *cv_xtext(const json_t *v)
{
	const char *s = json_is_string(v) ? json_string_value(v) : cv_str(v, "#text");
	return vd_str_empty(s) ? NULL : s;
}

/* Trimmed copy in the record's arena (leading/trailing ASCII blanks); NULL when blank. */
static inline char *cv_trim(vd_record *r, const char *s)
{
	if (vd_str_empty(s))
		return NULL;
	while (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n')
		s++;
	size_t n = strlen(s);
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r' || s[n - 1] == '\n'))
		n--;
	return vd_arena_strndup(r->arena, s, n);
}

static inline bool cv_streq(const char *a, const char *b)
{
	return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

/* The affected entry of (vendor, product) from source, created when new.
 * Grouping per product matters: the merge treats entries with the same
 * vendor/product/source as one, so separate entries would be collapsed. */
static inline vd_affected *cv_affected_for(vd_record *r, const char *vendor, const char *product,
                                           const char *source)
{
	for (size_t i = 0; i < r->n_affected; i++)
		if (cv_streq(r->affected[i].vendor, vendor) && cv_streq(r->affected[i].product, product) &&
		    cv_streq(r->affected[i].source, source) && !r->affected[i].ecosystem && !r->affected[i].purl)
			return &r->affected[i];
	vd_affected *a = vd_record_add_affected(r);
	if (a) {
		a->vendor = vd_record_str(r, vendor);
		a->product = vd_record_str(r, product);
		a->source = vd_record_str(r, source);
	}
	return a;
}

static inline void cv_add_version(vd_record *r, vd_affected *a, const char *v)
{
	for (size_t i = 0; v && i < a->n_versions; i++)
		if (strcmp(a->versions[i], v) == 0)
			return;
	vd_affected_add_version(r, a, v);
}

/* Like cv_trim, and line ends normalised: CR LF and lone CR become LF
 * (CNVD text carries &#xD; character references before its newlines). */
static inline char *cv_clean(vd_record *r, const char *s)
{
	char *t = cv_trim(r, s);
	if (!t || !strchr(t, '\r'))
		return t;
	char *o = t;
	for (const char *p = t; *p; p++) {
		if (*p == '\r') {
			if (p[1] != '\n')
				*o++ = '\n';
			continue;
		}
		*o++ = *p;
	}
	*o = 0;
	return t;
}

static inline const char *cv_ref_type_tags(const json_t *tags)
{
	const char *type = "web";
	int best = 0;
	size_t i;
	json_t *t;
	json_array_foreach(tags, i, t) {
		int rk;
		const char *ty = cv_ref_type_tag(json_string_value(t), &rk);
		if (ty && rk > best) {
			best = rk;
			type = ty;
		}
	}
	return type;
}

/* References {url, tags} with their type from the tags; returns how many were added. */
static inline int cv_add_refs(vd_record *r, const char *source, const json_t *refs)
{
	int n = 0;
	size_t i;
	json_t *e;
	json_array_foreach(refs, i, e) {
		const char *url = cv_str(e, "url");
		if (vd_str_empty(url))
			continue;
		if (vd_record_add_ref(r, url, cv_ref_type_tags(json_object_get(e, "tags")), source))
			n++;
	}
	return n;
}

#endif
