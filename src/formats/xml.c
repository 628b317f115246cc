/* XML input (CNNVD <cnnvd><entry>, CNVD <vulnerabilitys><vulnerability>)
 * → one jansson object per child element of the root, streamed with
 * libxml2's xmlTextReader.  See include/vulnd/formats.h for the mapping.
 *
 * Safety: parse options are XML_PARSE_NONET (+ IGNORE_ENC when we
 * transcode) — never NOENT, DTDLOAD or DTDATTR — and a document with a
 * DOCTYPE is refused outright, so no entity is ever declared, expanded or
 * fetched.  An external-entity loader that refuses everything is installed
 * as well (process-wide: vulnd has no other libxml2 user).  Nesting and
 * per-element size are bounded; libxml2 bounds single text nodes (10 MB). */
#include "vulnd/formats.h"
#include "xml_safe.h"
#include <pthread.h>
#include "vulnd/error.h"
#include <jansson.h>
#include <libxml/parser.h>
#include <libxml/xmlreader.h>
#include <libxml/xmlIO.h>
#include <errno.h>
#include <iconv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define RAW_CHUNK (64 * 1024)

/* ---- input: head bytes, then the reader function, optionally via iconv ---- */
typedef struct {
	const char *head;
	size_t head_len, head_off;
	vd_read_fn rd;
	void *src;
	bool eof;
	bool failed;             /* read error or bad encoding: message in err */
	char err[300];
	iconv_t cd;              /* (iconv_t)-1 when not converting */
	char *raw;               /* raw bytes waiting to be converted */
	size_t raw_len;
	uint64_t raw_pos;        /* bytes of input consumed (for messages) */
} xsrc;

/* Raw bytes from head, then rd; 0 at end, -1 on error. */
static ptrdiff_t raw_read(xsrc *s, char *buf, size_t n)
{
	if (s->head_off < s->head_len) {
		size_t k = s->head_len - s->head_off;
		if (k > n)
			k = n;
		memcpy(buf, s->head + s->head_off, k);
		s->head_off += k;
		return (ptrdiff_t)k;
	}
	if (s->eof || !s->rd) {
		s->eof = true;
		return 0;
	}
	ptrdiff_t got = s->rd(s->src, buf, n);
	if (got < 0) {
		snprintf(s->err, sizeof s->err, "read error: %s", vd_error_msg());
		s->failed = true;
		return -1;
	}
	if (got == 0)
		s->eof = true;
	return got;
}

static int io_read(void *ctx, char *buf, int len)
{
	xsrc *s = ctx;
	if (s->failed)
		return -1;
	if (len <= 0)
		return 0;
	if (s->cd == (iconv_t)-1) {
		ptrdiff_t got = raw_read(s, buf, (size_t)len);
		if (got > 0)
			s->raw_pos += (uint64_t)got;
		return (int)got;
	}
	/* transcode GB18030 → UTF-8 */
	for (;;) {
		if (s->raw_len < 8 && !s->eof) {
			ptrdiff_t got = raw_read(s, s->raw + s->raw_len, RAW_CHUNK - s->raw_len);
			if (got < 0)
				return -1;
			s->raw_len += (size_t)got;
		}
		if (s->raw_len == 0)
			return 0;
		char *in = s->raw, *out = buf;
		size_t inleft = s->raw_len, outleft = (size_t)len;
		size_t r = iconv(s->cd, &in, &inleft, &out, &outleft);
		int e = errno;
		size_t used = s->raw_len - inleft;
		memmove(s->raw, in, inleft);
		s->raw_len = inleft;
		s->raw_pos += used;
		size_t produced = (size_t)len - outleft;
		if (r == (size_t)-1 && e == EILSEQ && produced == 0) {
			snprintf(s->err, sizeof s->err,
			         "byte offset %llu: invalid GB18030/GBK byte sequence (0x%02x); the rest of the file is skipped",
			         (unsigned long long)s->raw_pos, (unsigned char)s->raw[0]);
			s->failed = true;
			return -1;
		}
		if (r == (size_t)-1 && e == EINVAL && produced == 0) {
			if (s->eof) {
				snprintf(s->err, sizeof s->err, "truncated GB18030/GBK sequence at the end of the file");
				s->failed = true;
				return -1;
			}
			if (s->raw_len >= 8) {   /* cannot happen: sequences are ≤ 4 bytes */
				snprintf(s->err, sizeof s->err, "byte offset %llu: undecodable GB18030 input",
				         (unsigned long long)s->raw_pos);
				s->failed = true;
				return -1;
			}
			ptrdiff_t got = raw_read(s, s->raw + s->raw_len, RAW_CHUNK - s->raw_len);
			if (got < 0)
				return -1;
			s->raw_len += (size_t)got;
			continue;
		}
		if (produced > 0)
			return (int)produced;
		if (r == (size_t)-1 && e == E2BIG)
			return 0;   /* buffer too small for one character: treat as end */
	}
}

static int io_close(void *ctx)
{
	(void)ctx;
	return 0;
}

/* ---- encoding detection ---- */
static bool is_gb_name(const char *e, size_t n)
{
	static const char *names[] = {"gbk", "gb2312", "gb18030", "gb_2312-80", "cp936", "x-gbk",
	                              "euc-cn", "csgb2312", "ms936", "windows-936"};
	for (size_t i = 0; i < sizeof names / sizeof *names; i++)
		if (strlen(names[i]) == n && strncasecmp(e, names[i], n) == 0)
			return true;
	return false;
}

/* Declared encoding in the XML prolog; *len 0 when none. */
static const char *declared_encoding(const char *buf, size_t n, size_t *len)
{
	*len = 0;
	if (n >= 3 && memcmp(buf, "\xEF\xBB\xBF", 3) == 0) {
		buf += 3;
		n -= 3;
	}
	if (n < 5 || memcmp(buf, "<?xml", 5) != 0)
		return NULL;
	size_t end = 5;
	while (end + 1 < n && end < 400 && !(buf[end] == '?' && buf[end + 1] == '>'))
		end++;
	for (size_t i = 5; i + 8 < end; i++) {
		if (memcmp(buf + i, "encoding", 8) != 0)
			continue;
		size_t j = i + 8;
		while (j < end && (buf[j] == ' ' || buf[j] == '\t' || buf[j] == '\r' || buf[j] == '\n'))
			j++;
		if (j >= end || buf[j] != '=')
			return NULL;
		j++;
		while (j < end && (buf[j] == ' ' || buf[j] == '\t' || buf[j] == '\r' || buf[j] == '\n'))
			j++;
		if (j >= end || (buf[j] != '"' && buf[j] != '\''))
			return NULL;
		char q = buf[j++];
		size_t k = j;
		while (k < end && buf[k] != q)
			k++;
		*len = k - j;
		return buf + j;
	}
	return NULL;
}

/* UTF-8 valid apart from a sequence cut at the end of a partial chunk. */
static bool head_is_utf8(const char *buf, size_t n, bool complete)
{
	size_t ok = vd_utf8_check(buf, n);
	if (ok == n)
		return true;
	return !complete && n - ok < 4 && ((unsigned char)buf[ok] & 0xC0) == 0xC0;
}

/* ---- building values ---- */
typedef struct {
	json_t *obj;        /* members (children, attributes); NULL until needed */
	vd_buf text;
	char *name;         /* local name (malloc'd) */
} xnode;

typedef struct {
	xnode st[VD_DOC_DEPTH + 2];
	int n;              /* open nodes (st[0] is the record element) */
	size_t size;        /* bytes built for the current record */
	bool skipping;      /* current record over the limit: dropped */
	long index;         /* child index of the current record */
	const char *name;
	const vd_input_sink *sink;
	int stop;
	vd_xml_err xe;      /* first libxml2 error */
} xctx;

static void node_free(xnode *x)
{
	json_decref(x->obj);
	vd_buf_free(&x->text);
	free(x->name);
	memset(x, 0, sizeof *x);
}

static bool blank(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!strchr(" \t\r\n", s[i]))
			return false;
	return true;
}

/* Put v under key in obj: a repeated key becomes an array. */
static void put(json_t *obj, const char *key, json_t *v)
{
	json_t *old = json_object_get(obj, key);
	if (!old) {
		json_object_set_new(obj, key, v);
	} else if (json_is_array(old)) {
		json_array_append_new(old, v);
	} else {
		json_t *a = json_array();
		json_array_append(a, old);
		json_array_append_new(a, v);
		json_object_set_new(obj, key, a);
	}
}

/* Finished node → its JSON value (consumes the node). */
static json_t *node_value(xnode *x)
{
	json_t *v;
	if (!x->obj) {
		v = json_stringn(vd_buf_str(&x->text), x->text.len);
		if (!v)   /* invalid UTF-8 cannot come out of libxml2; be safe */
			v = json_string("");
	} else {
		v = x->obj;
		x->obj = NULL;
		if (x->text.len && !blank(x->text.data, x->text.len)) {
			json_t *t = json_stringn(x->text.data, x->text.len);
			if (t)
				json_object_set_new(v, "#text", t);
		}
	}
	node_free(x);
	return v;
}

static void report(xctx *c, const char *reason)
{
	char where[4200];
	snprintf(where, sizeof where, "%s[%ld]", c->name, c->index);
	if (c->sink->bad)
		c->sink->bad(c->sink->ctx, where, reason);
}

static void record_done(xctx *c)
{
	json_t *v = node_value(&c->st[0]);
	c->n = 0;
	if (c->skipping) {
		char msg[200];
		snprintf(msg, sizeof msg, "element larger than the %u MiB limit; skipped", VD_DOC_MAX >> 20);
		report(c, msg);
	} else if (c->sink->doc) {
		char where[4200];
		snprintf(where, sizeof where, "%s[%ld]", c->name, c->index);
		vd_doc d = {where, v};
		int rc = c->sink->doc(c->sink->ctx, &d);
		if (rc)
			c->stop = rc;
	}
	json_decref(v);
	c->skipping = false;
	c->size = 0;
	c->index++;
}

/* Close the innermost open node. */
static void close_node(xctx *c)
{
	if (c->n == 1) {
		record_done(c);
		return;
	}
	xnode *x = &c->st[c->n - 1];
	char *key = x->name;
	x->name = NULL;
	json_t *v = node_value(x);
	c->n--;
	xnode *p = &c->st[c->n - 1];
	if (!c->skipping) {
		if (!p->obj)
			p->obj = json_object();
		if (p->obj && v)
			put(p->obj, key ? key : "", v);
		else
			json_decref(v);
	} else {
		json_decref(v);
	}
	free(key);
}

static void grow(xctx *c, size_t n)
{
	c->size += n;
	if (c->size > VD_DOC_MAX && !c->skipping)
		c->skipping = true;
}

void vd_xml_keep_error(void *arg, xmlErrorPtr e)
{
	vd_xml_err *x = arg;
	if (!e || e->level < XML_ERR_ERROR || x->msg[0])
		return;
	x->line = e->line;
	snprintf(x->msg, sizeof x->msg, "%s", e->message ? e->message : "XML error");
	size_t n = strlen(x->msg);
	while (n && (x->msg[n - 1] == '\n' || x->msg[n - 1] == ' '))
		x->msg[--n] = 0;
}

xmlParserInputPtr vd_xml_no_entities(const char *url, const char *id, xmlParserCtxtPtr ctxt)
{
	(void)url;
	(void)id;
	(void)ctxt;
	return NULL;   /* never load anything external */
}

static void setup(void)
{
	xmlInitParser();
	xmlSetExternalEntityLoader(vd_xml_no_entities);
}

/* Once per process, whichever thread reads XML first (import reads on a
 * thread of its own). */
static void setup_once(void)
{
	static pthread_once_t once = PTHREAD_ONCE_INIT;
	pthread_once(&once, setup);
}

/* Start element at reader depth d (root = 0). */
static int start_element(xctx *c, xmlTextReaderPtr r, int d)
{
	const char *ln = (const char *)xmlTextReaderConstLocalName(r);
	if (d > VD_DOC_DEPTH)
		return -1;
	xnode *x = &c->st[c->n];
	memset(x, 0, sizeof *x);
	vd_buf_init(&x->text, VD_DOC_MAX);
	x->name = strdup(ln ? ln : "");
	if (!x->name)
		return -2;
	c->n++;
	grow(c, strlen(x->name) + 16);
	if (xmlTextReaderHasAttributes(r) > 0) {
		while (xmlTextReaderMoveToNextAttribute(r) == 1) {
			if (xmlTextReaderIsNamespaceDecl(r) == 1)
				continue;
			const char *an = (const char *)xmlTextReaderConstLocalName(r);
			const char *av = (const char *)xmlTextReaderConstValue(r);
			if (!an)
				continue;
			size_t avl = av ? strlen(av) : 0;
			grow(c, strlen(an) + avl + 16);
			if (c->skipping)
				continue;
			char key[300];
			snprintf(key, sizeof key, "@%s", an);
			if (!x->obj)
				x->obj = json_object();
			json_t *v = json_stringn(av ? av : "", avl);
			if (x->obj && v)
				json_object_set_new(x->obj, key, v);
			else
				json_decref(v);
		}
		xmlTextReaderMoveToElement(r);
	}
	return 0;
}

static void fail(xctx *c, xsrc *s, xmlTextReaderPtr r, const char *what)
{
	char msg[1000];
	long line = r ? xmlTextReaderGetParserLineNumber(r) : 0;
	if (s->failed)
		snprintf(msg, sizeof msg, "%s", s->err);
	else if (what)
		snprintf(msg, sizeof msg, "line %ld: %s; the rest of the file is skipped", line, what);
	else if (c->xe.msg[0])
		snprintf(msg, sizeof msg, "line %ld: invalid XML: %s; the rest of the file is skipped",
		         c->xe.line > 0 ? c->xe.line : line, c->xe.msg);
	else
		snprintf(msg, sizeof msg, "line %ld: invalid XML; the rest of the file is skipped", line);
	report(c, msg);
}

int vd_xml_split_stream(const char *name, const char *head, size_t head_len, vd_read_fn rd, void *src,
                        const vd_input_sink *sink)
{
	setup_once();
	xsrc s = {.head = head, .head_len = head_len, .rd = rd, .src = src, .cd = (iconv_t)-1};
	xctx c = {.name = name, .sink = sink};
	const char *force = NULL;
	size_t el;
	const char *enc = declared_encoding(head ? head : "", head_len, &el);
	bool bom16 = head_len >= 2 && ((unsigned char)head[0] == 0xFE || (unsigned char)head[0] == 0xFF);
	bool gb = enc && el && is_gb_name(enc, el);
	if (!gb && !enc && !bom16 && head_len && !head_is_utf8(head, head_len, rd == NULL))
		gb = true;   /* undeclared and not UTF-8: the Chinese national encoding */
	if (gb) {
		s.cd = iconv_open("UTF-8", "GB18030");
		if (s.cd == (iconv_t)-1) {
			report(&c, "GB18030 input but iconv cannot convert it on this system");
			return VD_OK;
		}
		s.raw = malloc(RAW_CHUNK);
		if (!s.raw) {
			iconv_close(s.cd);
			return vd_error_set(VD_ENOMEM, "out of memory");
		}
		force = "UTF-8";
	}
	int opts = XML_PARSE_NONET | XML_PARSE_COMPACT | XML_PARSE_NOCDATA | (gb ? XML_PARSE_IGNORE_ENC : 0);
	xmlTextReaderPtr r = xmlReaderForIO(io_read, io_close, &s, name, force, opts);
	if (!r) {
		if (s.cd != (iconv_t)-1)
			iconv_close(s.cd);
		free(s.raw);
		return vd_error_set(VD_ENOMEM, "out of memory (XML reader)");
	}
	xmlTextReaderSetStructuredErrorHandler(r, vd_xml_keep_error, &c.xe);
	int rc = VD_OK, ret;
	bool seen_root = false, ok = true;
	while ((ret = xmlTextReaderRead(r)) == 1 && !c.stop) {
		int type = xmlTextReaderNodeType(r);
		int d = xmlTextReaderDepth(r);
		if (type == XML_READER_TYPE_DOCUMENT_TYPE) {
			fail(&c, &s, r, "DOCTYPE declarations are not accepted (no DTDs or entities)");
			ok = false;
			break;
		}
		if (type == XML_READER_TYPE_ELEMENT) {
			if (d == 0) {
				seen_root = true;
				continue;
			}
			int e = start_element(&c, r, d);
			if (e == -1) {
				char m[100];
				snprintf(m, sizeof m, "nesting deeper than %d levels", VD_DOC_DEPTH);
				fail(&c, &s, r, m);
				ok = false;
				break;
			}
			if (e == -2) {
				rc = vd_error_set(VD_ENOMEM, "out of memory");
				break;
			}
			if (xmlTextReaderIsEmptyElement(r) == 1)
				close_node(&c);
		} else if (type == XML_READER_TYPE_END_ELEMENT) {
			if (d >= 1 && c.n > 0)
				close_node(&c);
		} else if (type == XML_READER_TYPE_TEXT || type == XML_READER_TYPE_CDATA ||
		           type == XML_READER_TYPE_SIGNIFICANT_WHITESPACE || type == XML_READER_TYPE_WHITESPACE) {
			if (c.n == 0)
				continue;   /* text directly under the root: ignored */
			const char *t = (const char *)xmlTextReaderConstValue(r);
			size_t tl = t ? strlen(t) : 0;
			xnode *x = &c.st[c.n - 1];
			if (type != XML_READER_TYPE_TEXT && type != XML_READER_TYPE_CDATA && x->obj)
				continue;   /* layout whitespace between child elements */
			grow(&c, tl);
			if (!c.skipping && tl && vd_buf_add(&x->text, t, tl))
				c.skipping = true;
		} else if (type == XML_READER_TYPE_ENTITY_REFERENCE) {
			fail(&c, &s, r, "entity references are not accepted");
			ok = false;
			break;
		}
	}
	if (c.stop)
		rc = c.stop;
	else if (!rc && ok && ret < 0)
		fail(&c, &s, r, NULL);
	else if (!rc && ok && !seen_root)
		fail(&c, &s, r, c.xe.msg[0] ? NULL : "no root element");
	for (int i = 0; i < c.n; i++)
		node_free(&c.st[i]);
	xmlFreeTextReader(r);
	if (s.cd != (iconv_t)-1)
		iconv_close(s.cd);
	free(s.raw);
	return rc;
}

int vd_xml_split(const char *name, const char *buf, size_t len, const vd_input_sink *sink)
{
	return vd_xml_split_stream(name, buf, len, NULL, NULL, sink);
}
