/* MITRE CWE catalogue readers: the CSV view downloads and the XML catalogue
 * (cwec_v4.*.xml).  See include/vulnd/cwe.h. */
#include "vulnd/cwe.h"
#include "xml_safe.h"
#include "vulnd/error.h"
#include "vulnd/util.h"
#include <libxml/parser.h>
#include <libxml/xmlreader.h>
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#define CSV_MAX_COLS   64
#define CSV_RECORD_MAX (4u << 20)   /* bytes of one CSV record */
#define NAME_MAX_BYTES 1024
#define MAX_RELS       128

/* ------------------------------------------------------------ helpers */

void vd_cwe_free(vd_cwe *w)
{
	if (!w)
		return;
	free(w->name);
	free(w->abstraction);
	free(w->status);
	free(w->description);
	free(w->parents);
	free(w);
}

static char *dup_or_null(const char *s, bool *fail)
{
	if (!s)
		return NULL;
	char *d = strdup(s);
	if (!d)
		*fail = true;
	return d;
}

int vd_cwe_dup(const vd_cwe *w, vd_cwe **out)
{
	*out = NULL;
	vd_cwe *d = calloc(1, sizeof *d);
	if (!d)
		return vd_error_set(VD_ENOMEM, "out of memory copying CWE-%d", w->id);
	bool fail = false;
	d->id = w->id;
	d->name = dup_or_null(w->name, &fail);
	d->abstraction = dup_or_null(w->abstraction, &fail);
	d->status = dup_or_null(w->status, &fail);
	d->description = dup_or_null(w->description, &fail);
	if (w->n_parents) {
		d->parents = malloc(w->n_parents * sizeof *d->parents);
		if (d->parents) {
			memcpy(d->parents, w->parents, w->n_parents * sizeof *d->parents);
			d->n_parents = w->n_parents;
		} else {
			fail = true;
		}
	}
	if (fail) {
		vd_cwe_free(d);
		return vd_error_set(VD_ENOMEM, "out of memory copying CWE-%d", w->id);
	}
	*out = d;
	return VD_OK;
}

int vd_cwe_id_parse(const char *s, int *id)
{
	if (!s)
		return vd_error_set(VD_EINVAL, "CWE id: none given");
	const char *p = s;
	while (*p == ' ' || *p == '\t')
		p++;
	if (strncasecmp(p, "CWE-", 4) == 0)
		p += 4;
	char tmp[16];
	size_t n = strlen(p);
	while (n && (p[n - 1] == ' ' || p[n - 1] == '\t' || p[n - 1] == '\r' || p[n - 1] == '\n'))
		n--;
	long v;
	if (n == 0 || n >= sizeof tmp)
		return vd_error_set(VD_EINVAL, "CWE id '%.40s': expected CWE-<number>", s);
	memcpy(tmp, p, n);
	tmp[n] = '\0';
	if (vd_parse_long(tmp, 1, 9999999, &v) != VD_OK)
		return vd_error_set(VD_EINVAL, "CWE id '%.40s': expected CWE-<number>", s);
	*id = (int)v;
	return VD_OK;
}

/* Collapse whitespace runs to one space, trim, cut at max bytes on a UTF-8
 * boundary.  In place; returns s, or NULL when empty. */
static char *squeeze(char *s, size_t max)
{
	if (!s)
		return NULL;
	size_t o = 0;
	bool space = true;     /* drop leading blanks */
	for (size_t i = 0; s[i]; i++) {
		char c = s[i];
		if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v') {
			if (!space)
				s[o++] = ' ';
			space = true;
		} else {
			s[o++] = c;
			space = false;
		}
	}
	while (o && s[o - 1] == ' ')
		o--;
	if (o > max) {
		o = max;
		while (o && ((unsigned char)s[o] & 0xC0) == 0x80)
			o--;
	}
	s[o] = '\0';
	return o ? s : NULL;
}

/* ChildOf relations of one entry, as read. */
typedef struct {
	int id[MAX_RELS], view[MAX_RELS];
	bool primary[MAX_RELS];
	size_t n;
} rels;

static void rel_add(rels *r, int id, int view, bool primary)
{
	if (r->n < MAX_RELS && id > 0) {
		r->id[r->n] = id;
		r->view[r->n] = view;
		r->primary[r->n++] = primary;
	}
}

static void parent_add(int *out, size_t *n, int id)
{
	for (size_t i = 0; i < *n; i++)
		if (out[i] == id)
			return;
	if (*n < VD_CWE_MAX_PARENTS)
		out[(*n)++] = id;
}

/* The parents rule of cwe.h. */
static size_t build_parents(const rels *r, int *out)
{
	size_t n = 0;
	for (int pass = 0; pass < 2; pass++)
		for (size_t i = 0; i < r->n; i++)
			if (r->view[i] == 1000 && r->primary[i] == (pass == 0))
				parent_add(out, &n, r->id[i]);
	if (n == 0)
		for (size_t i = 0; i < r->n; i++)
			parent_add(out, &n, r->id[i]);
	return n;
}

/* ---------------------------------------------------------------- CSV */

/* "::NATURE:ChildOf:CWE ID:319:VIEW ID:1000:ORDINAL:Primary::NATURE:..." */
static void parse_related(const char *s, rels *r)
{
	const char *p = s;
	while (p && *p) {
		while (*p == ':')
			p++;
		if (!*p)
			break;
		const char *end = strstr(p, "::");
		size_t glen = end ? (size_t)(end - p) : strlen(p);
		char g[256];
		if (glen < sizeof g) {
			memcpy(g, p, glen);
			g[glen] = '\0';
			/* tokens alternate key:value */
			char *save = NULL, *key = strtok_r(g, ":", &save);
			bool childof = false, primary = false;
			long id = 0, view = 0;
			while (key) {
				char *val = strtok_r(NULL, ":", &save);
				if (!val)
					break;
				if (strcmp(key, "NATURE") == 0)
					childof = strcmp(val, "ChildOf") == 0;
				else if (strcmp(key, "CWE ID") == 0 && vd_parse_long(val, 1, 9999999, &id) != VD_OK)
					id = 0;
				else if (strcmp(key, "VIEW ID") == 0 && vd_parse_long(val, 0, 9999999, &view) != VD_OK)
					view = 0;
				else if (strcmp(key, "ORDINAL") == 0)
					primary = strcmp(val, "Primary") == 0;
				key = strtok_r(NULL, ":", &save);
			}
			if (childof && id > 0)
				rel_add(r, (int)id, (int)view, primary);
		}
		p = end;
	}
	vd_error_clear();
}

typedef struct {
	vd_buf field;                  /* current record's fields, NUL-separated */
	size_t off[CSV_MAX_COLS];
	int ncols;
	bool overflow;                 /* too many columns or too long */
} csvrec;

/* Read one record starting at *pp; returns false at end of input.
 * *err set for an unterminated quote. */
static bool csv_next(const char **pp, const char *end, csvrec *rec, const char **err)
{
	const char *p = *pp;
	*err = NULL;
	if (p >= end)
		return false;
	vd_buf_reset(&rec->field);
	rec->ncols = 0;
	rec->overflow = false;
	for (;;) {
		/* one field */
		if (rec->ncols < CSV_MAX_COLS)
			rec->off[rec->ncols] = rec->field.len;
		else
			rec->overflow = true;
		rec->ncols++;
		if (p < end && *p == '"') {
			p++;
			for (;;) {
				if (p >= end) {
					*err = "unterminated quoted field";
					*pp = end;
					return true;
				}
				if (*p == '"') {
					if (p + 1 < end && p[1] == '"') {
						if (!rec->overflow && vd_buf_addc(&rec->field, '"'))
							rec->overflow = true;
						p += 2;
						continue;
					}
					p++;
					break;
				}
				if (!rec->overflow && vd_buf_addc(&rec->field, *p))
					rec->overflow = true;
				p++;
			}
			/* stray characters after the closing quote are kept */
		}
		while (p < end && *p != ',' && *p != '\n' && *p != '\r') {
			if (!rec->overflow && vd_buf_addc(&rec->field, *p))
				rec->overflow = true;
			p++;
		}
		if (!rec->overflow && vd_buf_addc(&rec->field, '\0'))
			rec->overflow = true;
		if (p < end && *p == ',') {
			p++;
			continue;
		}
		if (p < end && *p == '\r')
			p++;
		if (p < end && *p == '\n')
			p++;
		break;
	}
	*pp = p;
	return true;
}

static const char *col(const csvrec *rec, int i)
{
	if (i < 0 || i >= rec->ncols || i >= CSV_MAX_COLS || rec->overflow)
		return NULL;
	return rec->field.data + rec->off[i];
}

static char *col_copy(const csvrec *rec, int i, size_t max, char **slot)
{
	const char *s = col(rec, i);
	free(*slot);
	*slot = s ? strdup(s) : NULL;
	return squeeze(*slot, max);
}

int vd_cwe_read_csv(const char *name, const char *buf, size_t len, vd_cwe_cb cb, vd_cwe_bad_cb bad, void *ctx)
{
	if (!name)
		name = "CSV";
	const char *p = buf, *end = buf + len, *err;
	if (len >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0)
		p += 3;
	csvrec rec;
	memset(&rec, 0, sizeof rec);
	vd_buf_init(&rec.field, CSV_RECORD_MAX);
	int c_id = -1, c_name = -1, c_abs = -1, c_status = -1, c_desc = -1, c_rel = -1;
	if (csv_next(&p, end, &rec, &err) && !err && !rec.overflow) {
		for (int i = 0; i < rec.ncols && i < CSV_MAX_COLS; i++) {
			const char *h = col(&rec, i);
			if (strcmp(h, "CWE-ID") == 0) c_id = i;
			else if (strcmp(h, "Name") == 0) c_name = i;
			else if (strcmp(h, "Weakness Abstraction") == 0) c_abs = i;
			else if (strcmp(h, "Status") == 0) c_status = i;
			else if (strcmp(h, "Description") == 0) c_desc = i;
			else if (strcmp(h, "Related Weaknesses") == 0) c_rel = i;
		}
	}
	if (c_id < 0 || c_name < 0) {
		vd_buf_free(&rec.field);
		return vd_error_set(VD_EINVAL, "%s: not a CWE CSV file (the first line needs the columns CWE-ID and Name)",
		                    name);
	}
	int rc = VD_OK, line = 1;
	char *s_name = NULL, *s_abs = NULL, *s_status = NULL, *s_desc = NULL;
	while (rc == VD_OK) {
		const char *start = p;
		int rline = line + 1;
		if (!csv_next(&p, end, &rec, &err))
			break;
		for (const char *q = start; q < p; q++)
			line += *q == '\n';
		char where[512];
		snprintf(where, sizeof where, "%s:%d", name, rline);
		if (rec.ncols == 1 && col(&rec, 0) && !*col(&rec, 0))
			continue;   /* blank line */
		if (err || rec.overflow) {
			if (bad)
				bad(ctx, where, err ? err : "record too long or too many columns");
			continue;
		}
		int id;
		const char *sid = col(&rec, c_id);
		if (!sid || vd_cwe_id_parse(sid, &id) != VD_OK) {
			char why[160];
			snprintf(why, sizeof why, "CWE-ID '%.40s' is not a number", sid ? sid : "");
			if (bad)
				bad(ctx, where, why);
			continue;
		}
		vd_cwe w = {.id = id};
		w.name = col_copy(&rec, c_name, NAME_MAX_BYTES, &s_name);
		if (!w.name || !vd_utf8_valid(w.name, strlen(w.name))) {
			if (bad)
				bad(ctx, where, w.name ? "Name is not valid UTF-8" : "empty Name");
			continue;
		}
		w.abstraction = col_copy(&rec, c_abs, 64, &s_abs);
		w.status = col_copy(&rec, c_status, 64, &s_status);
		w.description = col_copy(&rec, c_desc, VD_CWE_DESC_MAX, &s_desc);
		if ((w.abstraction && !vd_utf8_valid(w.abstraction, strlen(w.abstraction))) ||
		    (w.status && !vd_utf8_valid(w.status, strlen(w.status))) ||
		    (w.description && !vd_utf8_valid(w.description, strlen(w.description)))) {
			if (bad)
				bad(ctx, where, "text is not valid UTF-8");
			continue;
		}
		rels r = {.n = 0};
		const char *rel = col(&rec, c_rel);
		if (rel)
			parse_related(rel, &r);
		int parents[VD_CWE_MAX_PARENTS];
		w.n_parents = build_parents(&r, parents);
		w.parents = parents;
		rc = cb(ctx, &w);
	}
	free(s_name);
	free(s_abs);
	free(s_status);
	free(s_desc);
	vd_buf_free(&rec.field);
	return rc;
}

/* ---------------------------------------------------------------- XML */

typedef struct {
	const char *name;
	vd_cwe_cb cb;
	vd_cwe_bad_cb bad;
	void *ctx;
	vd_xml_err xe;
} xctx;

static char *attr(xmlTextReaderPtr r, const char *name)
{
	xmlChar *v = xmlTextReaderGetAttribute(r, (const xmlChar *)name);
	return (char *)v;   /* freed with xmlFree */
}

static bool local_is(xmlTextReaderPtr r, const char *name)
{
	const xmlChar *n = xmlTextReaderConstLocalName(r);
	return n && strcmp((const char *)n, name) == 0;
}

/* One entry being read. */
typedef struct {
	bool active, category;
	int id, depth;
	char *name, *abstraction, *status;   /* xmlFree */
	char *description;                   /* xmlFree */
	bool bad;
	char why[160];
	rels r;
} xentry;

static void xentry_clear(xentry *e)
{
	xmlFree(e->name);
	xmlFree(e->abstraction);
	xmlFree(e->status);
	xmlFree(e->description);
	memset(e, 0, sizeof *e);
}

static int xentry_emit(xctx *c, xentry *e, int line)
{
	char where[512];
	snprintf(where, sizeof where, "%s:%d", c->name, line);
	int rc = VD_OK;
	char *nm = squeeze(e->name, NAME_MAX_BYTES);
	if (c->xe.msg[0]) {
		/* after a parse error the reader may still close open elements: drop them */
	} else if (e->bad || !nm) {
		if (c->bad)
			c->bad(c->ctx, where, e->bad ? e->why : "entry without a Name");
	} else {
		vd_cwe w = {.id = e->id, .name = nm};
		w.abstraction = e->category ? "Category" : squeeze(e->abstraction, 64);
		w.status = squeeze(e->status, 64);
		w.description = squeeze(e->description, VD_CWE_DESC_MAX);
		int parents[VD_CWE_MAX_PARENTS];
		w.n_parents = e->category ? 0 : build_parents(&e->r, parents);
		w.parents = parents;
		rc = c->cb(c->ctx, &w);
	}
	xentry_clear(e);
	return rc;
}

static int read_xml(xctx *c, xmlTextReaderPtr r)
{
	static bool loader_set;
	if (!loader_set) {
		xmlSetExternalEntityLoader(vd_xml_no_entities);
		loader_set = true;
	}
	xmlTextReaderSetStructuredErrorHandler(r, vd_xml_keep_error, &c->xe);
	xentry e;
	memset(&e, 0, sizeof e);
	int rc = VD_OK, ret;
	bool doctype = false;
	while (rc == VD_OK && (ret = xmlTextReaderRead(r)) == 1) {
		int type = xmlTextReaderNodeType(r), d = xmlTextReaderDepth(r);
		if (type == XML_READER_TYPE_DOCUMENT_TYPE) {
			doctype = true;
			break;
		}
		if (type == XML_READER_TYPE_ELEMENT) {
			if (!e.active && d == 2 && (local_is(r, "Weakness") || local_is(r, "Category"))) {
				e.active = true;
				e.category = local_is(r, "Category");
				e.depth = d;
				char *sid = attr(r, "ID");
				long id;
				if (!sid || vd_parse_long(sid, 1, 9999999, &id) != VD_OK) {
					e.bad = true;
					snprintf(e.why, sizeof e.why, "%s without a numeric ID attribute",
					         e.category ? "Category" : "Weakness");
					vd_error_clear();
				} else {
					e.id = (int)id;
				}
				xmlFree(sid);
				e.name = attr(r, "Name");
				e.abstraction = attr(r, "Abstraction");
				e.status = attr(r, "Status");
				if (xmlTextReaderIsEmptyElement(r))
					rc = xentry_emit(c, &e, xmlTextReaderGetParserLineNumber(r));
				continue;
			}
			if (e.active && d == e.depth + 1 && !e.description &&
			    (local_is(r, e.category ? "Summary" : "Description"))) {
				xmlChar *txt = xmlTextReaderReadString(r);
				e.description = (char *)txt;
				continue;
			}
			if (e.active && !e.category && local_is(r, "Related_Weakness")) {
				char *nat = attr(r, "Nature"), *cid = attr(r, "CWE_ID"), *vid = attr(r, "View_ID"),
				     *ord = attr(r, "Ordinal");
				long id = 0, view = 0;
				if (nat && strcmp(nat, "ChildOf") == 0 && cid && vd_parse_long(cid, 1, 9999999, &id) == VD_OK) {
					if (!vid || vd_parse_long(vid, 0, 9999999, &view) != VD_OK)
						view = 0;
					rel_add(&e.r, (int)id, (int)view, ord && strcmp(ord, "Primary") == 0);
				}
				vd_error_clear();
				xmlFree(nat);
				xmlFree(cid);
				xmlFree(vid);
				xmlFree(ord);
			}
		} else if (type == XML_READER_TYPE_END_ELEMENT && e.active && d == e.depth) {
			rc = xentry_emit(c, &e, xmlTextReaderGetParserLineNumber(r));
		}
	}
	xentry_clear(&e);
	if (rc)
		return rc;
	if (doctype)
		return vd_error_set(VD_EINVAL, "%s: DOCTYPE declarations are not accepted (no DTDs or entities)", c->name);
	if (ret < 0 || c->xe.msg[0])
		return vd_error_set(VD_EINVAL, "%s:%d: malformed XML: %s", c->name, (int)c->xe.line,
		                    c->xe.msg[0] ? c->xe.msg : "parse error");
	return VD_OK;
}

static const int XML_OPTS = XML_PARSE_NONET | XML_PARSE_NOCDATA | XML_PARSE_COMPACT;

int vd_cwe_read_xml(const char *name, const char *buf, size_t len, vd_cwe_cb cb, vd_cwe_bad_cb bad, void *ctx)
{
	xctx c = {.name = name ? name : "XML", .cb = cb, .bad = bad, .ctx = ctx};
	if (len > (size_t)0x7fffffff)
		return vd_error_set(VD_ETOOBIG, "%s: larger than 2 GiB", c.name);
	xmlTextReaderPtr r = xmlReaderForMemory(buf, (int)len, c.name, NULL, XML_OPTS);
	if (!r)
		return vd_error_set(VD_ENOMEM, "out of memory (XML reader)");
	int rc = read_xml(&c, r);
	xmlFreeTextReader(r);
	return rc;
}

int vd_cwe_read_file(const char *path, vd_cwe_cb cb, vd_cwe_bad_cb bad, void *ctx)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return vd_error_set(VD_EIO, "%s: cannot open: %s", path, strerror(errno));
	char head[512];
	ssize_t n = read(fd, head, sizeof head);
	if (n < 0) {
		int e = errno;
		close(fd);
		return vd_error_set(VD_EIO, "%s: cannot read: %s", path, strerror(e));
	}
	ssize_t i = 0;
	if (n >= 3 && memcmp(head, "\xEF\xBB\xBF", 3) == 0)
		i = 3;
	while (i < n && (head[i] == ' ' || head[i] == '\t' || head[i] == '\r' || head[i] == '\n'))
		i++;
	bool xml = i < n && head[i] == '<';
	if (xml) {
		if (lseek(fd, 0, SEEK_SET) < 0) {
			int e = errno;
			close(fd);
			return vd_error_set(VD_EIO, "%s: cannot seek: %s", path, strerror(e));
		}
		xctx c = {.name = path, .cb = cb, .bad = bad, .ctx = ctx};
		xmlTextReaderPtr r = xmlReaderForFd(fd, path, NULL, XML_OPTS);
		if (!r) {
			close(fd);
			return vd_error_set(VD_ENOMEM, "out of memory (XML reader)");
		}
		int rc = read_xml(&c, r);
		xmlFreeTextReader(r);
		close(fd);
		return rc;
	}
	close(fd);
	char *buf;
	size_t len;
	int rc = vd_file_read(path, VD_CWE_FILE_MAX, &buf, &len);
	if (rc)
		return rc;
	rc = vd_cwe_read_csv(path, buf, len, cb, bad, ctx);
	free(buf);
	return rc;
}
