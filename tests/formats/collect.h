/* tests/formats/collect.h — shared by the reader tests: walk a file under
 * ../shared/data/<dir>/ with one format's converter, count what converts,
 * keep the records named in `want`, and small record predicates.
 * Define COLLECT_FMT (a vd_format) and COLLECT_SRC (its source name, also
 * the data directory) before including.  A test whose documents convert
 * otherwise (several records per document, the format found by content)
 * defines COLLECT_OWN_ON_DOC and writes its on_doc after the include; keep()
 * and part_bad() are the callbacks it hands to the converter.  The helpers
 * are static inline: a test need not use them all. */
#ifndef VD_TEST_COLLECT_H
#define VD_TEST_COLLECT_H
#include <jansson.h>

#define MAXKEEP 16

typedef struct {
	long docs, records, bad, conv_bad, part_bad, unsupported, detected_other;
	const char *want[MAXKEEP];
	vd_record *got[MAXKEEP];
	char first_bad[600];
	char last_where[600];
} coll;

/* A converted record: counted, checked, kept when wanted, else freed. */
static inline int keep(void *ctx, vd_record *r)
{
	coll *c = ctx;
	c->records++;
	CHECK(vd_record_validate(r) == VD_OK);
	for (int i = 0; i < MAXKEEP && c->want[i]; i++)
		if (!c->got[i] && strcmp(c->want[i], r->id) == 0) {
			c->got[i] = r;
			return VD_OK;
		}
	vd_record_free(r);
	return VD_OK;
}

/* A part of a document (one vulnerability of a CSAF advisory) refused. */
static inline void part_bad(void *ctx, long index, const char *reason)
{
	coll *c = ctx;
	c->part_bad++;
	(void)index;
	(void)reason;
}

#ifdef COLLECT_OWN_ON_DOC
static int on_doc(void *ctx, const vd_doc *d);
#else
static inline int on_doc(void *ctx, const vd_doc *d)
{
	coll *c = ctx;
	c->docs++;
	if (vd_format_detect(d->doc) != COLLECT_FMT)
		c->detected_other++;
	vd_record *r = NULL;
	if (vd_format_to_record(COLLECT_FMT, d->doc, &r, NULL)) {
		if (!c->conv_bad++)
			snprintf(c->first_bad, sizeof c->first_bad, "%s: %s", d->where, vd_error_msg());
		return VD_OK;
	}
	return keep(c, r);
}
#endif

static inline void on_bad(void *ctx, const char *where, const char *reason)
{
	coll *c = ctx;
	if (!c->bad++)
		snprintf(c->first_bad, sizeof c->first_bad, "%s: %s", where, reason);
}

/* Walk ../shared/data/COLLECT_SRC/<file>, keeping the records named in want. */
static inline coll walk(const char *file, const char **want)
{
	coll c;
	memset(&c, 0, sizeof c);
	for (int i = 0; want && want[i] && i < MAXKEEP; i++)
		c.want[i] = want[i];
	const char *sh = vt_shared();
	CHECK(sh != NULL);
	if (!sh)
		return c;
	char path[8300];
	snprintf(path, sizeof path, "%.4096s/data/" COLLECT_SRC "/%.4096s", sh, file);
	vd_input_sink s = {on_doc, on_bad, NULL, &c};
	CHECK_INT(vd_input_walk(path, &s), VD_OK);
	if (c.bad || c.conv_bad)
		fprintf(stderr, "  %s: first problem: %s\n", file, c.first_bad);
	return c;
}

static inline vd_record *get(coll *c, const char *id)
{
	for (int i = 0; i < MAXKEEP && c->want[i]; i++)
		if (strcmp(c->want[i], id) == 0)
			return c->got[i];
	return NULL;
}

static inline void release(coll *c)
{
	for (int i = 0; i < MAXKEEP; i++)
		vd_record_free(c->got[i]);
}

static inline bool has_alias(const vd_record *r, const char *id)
{
	for (size_t i = 0; i < r->n_aliases; i++)
		if (strcmp(r->aliases[i].id, id) == 0 && strcmp(r->aliases[i].source, COLLECT_SRC) == 0)
			return true;
	return false;
}

static inline bool has_ref(const vd_record *r, const char *url)
{
	for (size_t i = 0; i < r->n_refs; i++)
		if (strcmp(r->refs[i].url, url) == 0)
			return true;
	return false;
}

static inline bool has_prov(const vd_record *r, const char *field)
{
	for (size_t i = 0; i < r->n_prov; i++)
		if (strcmp(r->prov[i].field, field) == 0 && strcmp(r->prov[i].source, COLLECT_SRC) == 0 &&
		    strcmp(r->prov[i].source_id, r->id) == 0)
			return true;
	return false;
}

static inline bool starts(const char *s, const char *p)
{
	return s && strncmp(s, p, strlen(p)) == 0;
}
#endif
