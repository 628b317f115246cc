/* Cut JSON and YAML input into one jansson value per record, with bounded
 * memory: a top-level JSON array is never built, each element is handed
 * to the sink when it is complete and freed.  The same holds for the
 * `vulnerabilities` array of an NVD API 2.0 page (a top-level object whose
 * "format" starts with "NVD_CVE" or that has resultsPerPage/totalResults
 * before the array): its elements are emitted as "name[N]" one by one and
 * the page wrapper itself is dropped.  Limits: VD_DOC_MAX bytes of
 * built data per value, VD_DOC_DEPTH nesting levels; duplicate keys and
 * YAML aliases are refused.  Invalid UTF-8 is refused by yajl. */
#include "vulnd/formats.h"
#include "vulnd/error.h"
#include <jansson.h>
#include <yajl/yajl_parse.h>
#include <yaml.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- JSON (yajl events → jansson) ---- */

typedef struct {
	json_t *stack[VD_DOC_DEPTH + 2];
	char *keys[VD_DOC_DEPTH + 2];   /* pending key per object level */
	int depth;                      /* number of open containers */
	bool top_array;                 /* top-level value is an array: emit elements */
	bool cut;                       /* inside an NVD page's vulnerabilities[]: emit elements */
	bool cut_done;                  /* that array was cut: drop the page wrapper */
	long index;                     /* element index in the top array */
	size_t size;                    /* approximate bytes built for this value */
	const char *bad;                /* reason the current value is skipped */
	char badbuf[256];
	bool too_deep;                  /* abort: nesting over the limit */
	const char *name;
	const vd_input_sink *sink;
	int stop;                       /* a sink doc callback asked to stop */
	long emitted;
} jctx;

static void value_done(jctx *c, json_t *v);

static void set_bad(jctx *c, const char *fmt, const char *arg)
{
	if (!c->bad) {
		snprintf(c->badbuf, sizeof c->badbuf, fmt, arg);
		c->bad = c->badbuf;
	}
}

/* Base depth: the depth at which a complete value is a record. */
static int base_depth(const jctx *c) { return c->top_array ? 1 : c->cut ? 2 : 0; }

/* Is the open top-level object an NVD API page whose key is vulnerabilities? */
static bool nvd_page_array(const jctx *c)
{
	if (c->depth != 1 || c->top_array || c->cut_done || !json_is_object(c->stack[0]) || !c->keys[0] ||
	    strcmp(c->keys[0], "vulnerabilities") != 0)
		return false;
	const char *f = json_string_value(json_object_get(c->stack[0], "format"));
	return (f && strncmp(f, "NVD_CVE", 7) == 0) || json_object_get(c->stack[0], "resultsPerPage") ||
	       json_object_get(c->stack[0], "totalResults");
}

static void emit(jctx *c, json_t *v)
{
	char where[4200];
	if (c->cut_done && c->depth == 0) {   /* the NVD page wrapper: not a record */
		json_decref(v);
		c->bad = NULL;
		c->size = 0;
		c->cut_done = false;
		return;
	}
	if (c->top_array || c->cut)
		snprintf(where, sizeof where, "%s[%ld]", c->name, c->index);
	else
		snprintf(where, sizeof where, "%s", c->name);
	if (c->bad) {
		if (c->sink->bad)
			c->sink->bad(c->sink->ctx, where, c->bad);
	} else if (c->sink->doc) {
		vd_doc d = {where, v};
		int rc = c->sink->doc(c->sink->ctx, &d);
		if (rc)
			c->stop = rc;
		c->emitted++;
	}
	json_decref(v);
	c->bad = NULL;
	c->size = 0;
	c->index++;
}

static int add(jctx *c, json_t *v, size_t bytes)
{
	c->size += bytes + 16;
	if (c->size > VD_DOC_MAX && !c->bad)
		set_bad(c, "record larger than the %s limit", "32 MiB");
	if (!v)
		return 0;
	value_done(c, v);
	return c->stop ? 0 : 1;
}

/* Attach a finished value to its parent, or emit it when it is a record. */
static void value_done(jctx *c, json_t *v)
{
	if (c->depth == base_depth(c)) {
		emit(c, v);
		return;
	}
	json_t *parent = c->stack[c->depth - 1];
	if (c->bad || !parent) {
		json_decref(v);
		return;
	}
	if (json_is_object(parent)) {
		char *k = c->keys[c->depth - 1];
		if (json_object_get(parent, k))
			set_bad(c, "duplicate key \"%.100s\"", k);
		json_object_set_new(parent, k ? k : "", v);
		free(k);
		c->keys[c->depth - 1] = NULL;
	} else {
		json_array_append_new(parent, v);
	}
}

static int j_null(void *u) { return add(u, json_null(), 0); }
static int j_bool(void *u, int b) { return add(u, json_boolean(b), 0); }
static int j_int(void *u, long long v) { return add(u, json_integer(v), 0); }
static int j_double(void *u, double v) { return add(u, json_real(v), 0); }
static int j_string(void *u, const unsigned char *s, size_t n)
{
	jctx *c = u;
	if (c->bad || c->size + n > VD_DOC_MAX)
		return add(c, NULL, n);
	return add(c, json_stringn((const char *)s, n), n);
}

static int open_container(jctx *c, json_t *v)
{
	if (c->depth == 0 && json_is_array(v) && !c->top_array && c->emitted == 0 && c->index == 0) {
		/* the top-level array itself is not built */
		c->top_array = true;
		c->stack[0] = NULL;
		c->depth = 1;
		json_decref(v);
		return 1;
	}
	if (c->depth >= VD_DOC_DEPTH) {
		json_decref(v);
		c->too_deep = true;
		return 0;     /* abort: yajl would keep growing its own stack */
	}
	c->size += 16;
	c->stack[c->depth] = v;
	c->keys[c->depth] = NULL;
	c->depth++;
	return 1;
}

static int close_container(jctx *c)
{
	c->depth--;
	json_t *v = c->stack[c->depth];
	free(c->keys[c->depth]);
	c->keys[c->depth] = NULL;
	if (!v) {     /* closing the top-level array or a cut NVD array */
		if (c->cut && c->depth == 1) {
			c->cut = false;
			c->cut_done = true;
			c->size = 0;
		}
		return 1;
	}
	value_done(c, v);
	return c->stop ? 0 : 1;
}

static int j_start_map(void *u) { return open_container(u, json_object()); }
static int j_end_map(void *u) { return close_container(u); }
static int j_start_array(void *u)
{
	jctx *c = u;
	if (c->depth == 0 && c->top_array) /* second top-level value: treat as a record */
		c->top_array = false;
	if (nvd_page_array(c)) {            /* NVD page: cut its items, never build the array */
		c->cut = true;
		c->stack[1] = NULL;
		c->keys[1] = NULL;
		c->depth = 2;
		c->size = 0;
		return 1;
	}
	return open_container(c, json_array());
}
static int j_end_array(void *u) { return close_container(u); }
static int j_map_key(void *u, const unsigned char *k, size_t n)
{
	jctx *c = u;
	c->size += n;
	free(c->keys[c->depth - 1]);
	c->keys[c->depth - 1] = strndup((const char *)k, n);
	return 1;
}

static const yajl_callbacks jcb = {
	j_null, j_bool, j_int, j_double, NULL, j_string,
	j_start_map, j_map_key, j_end_map, j_start_array, j_end_array,
};

static void jctx_cleanup(jctx *c)
{
	for (int i = 0; i < c->depth; i++) {
		json_decref(c->stack[i]);
		free(c->keys[i]);
	}
	c->depth = 0;
}

/* Advance a line/column position over n bytes. */
static void advance(const char *buf, size_t n, long *line, long *col)
{
	for (size_t i = 0; i < n; i++) {
		if (buf[i] == '\n') {
			(*line)++;
			*col = 1;
		} else if (((unsigned char)buf[i] & 0xC0) != 0x80) {
			(*col)++;
		}
	}
}

struct vd_jsplit {
	jctx c;
	yajl_handle h;
	long line, col;       /* position of the start of the next chunk */
	bool failed;          /* a parse error was reported: ignore the rest */
	bool bom_checked;
};

vd_jsplit *vd_jsplit_new(const char *name, const vd_input_sink *sink)
{
	vd_jsplit *j = calloc(1, sizeof *j);
	if (!j)
		return NULL;
	j->c.name = name;
	j->c.sink = sink;
	j->line = j->col = 1;
	j->h = yajl_alloc(&jcb, NULL, &j->c);
	if (!j->h) {
		free(j);
		return NULL;
	}
	return j;
}

/* Report the parser's error at byte off of the chunk buf. */
static void report(vd_jsplit *j, const char *buf, size_t off, bool at_end)
{
	jctx *c = &j->c;
	long line = j->line, col = j->col;
	advance(buf, off, &line, &col);
	char reason[600], where[4200];
	const char *rest = c->top_array || c->cut ? "; the rest of the file is skipped" : "";
	if (c->too_deep) {
		snprintf(reason, sizeof reason, "line %ld, column %ld: nesting deeper than %d levels%s",
		         line, col, VD_DOC_DEPTH, rest);
	} else {
		unsigned char *msg = yajl_get_error(j->h, 0, NULL, 0);
		const char *m = (const char *)msg;
		const char *p = m ? strstr(m, "error: ") : NULL;
		snprintf(reason, sizeof reason, "line %ld, column %ld: %s%s%s", line, col,
		         at_end ? "truncated input: " : "invalid JSON: ",
		         p ? p + 7 : (m ? m : "parse error"), rest);
		yajl_free_error(j->h, msg);
	}
	size_t n = strlen(reason);   /* yajl ends its message with a newline */
	while (n && (reason[n - 1] == '\n' || reason[n - 1] == ' '))
		reason[--n] = 0;
	char *nl;
	while ((nl = strchr(reason, '\n')))
		*nl = ' ';
	if (c->top_array || c->cut)
		snprintf(where, sizeof where, "%s[%ld]", c->name, c->index);
	else
		snprintf(where, sizeof where, "%s", c->name);
	if (c->sink->bad)
		c->sink->bad(c->sink->ctx, where, reason);
	j->failed = true;
}

int vd_jsplit_feed(vd_jsplit *j, const char *buf, size_t len)
{
	if (j->failed)
		return VD_OK;
	if (!j->bom_checked) {
		j->bom_checked = true;
		if (len >= 3 && memcmp(buf, "\xEF\xBB\xBF", 3) == 0) {
			buf += 3;
			len -= 3;
		}
	}
	yajl_status st = yajl_parse(j->h, (const unsigned char *)buf, len);
	if (j->c.stop)
		return j->c.stop;
	if (st != yajl_status_ok) {
		size_t off = yajl_get_bytes_consumed(j->h);
		report(j, buf, off > len ? len : off, false);
		return VD_OK;
	}
	advance(buf, len, &j->line, &j->col);
	return VD_OK;
}

int vd_jsplit_end(vd_jsplit *j)
{
	int rc = VD_OK;
	if (!j)
		return VD_OK;
	if (!j->failed && !j->c.stop) {
		yajl_status st = yajl_complete_parse(j->h);
		if (j->c.stop)
			rc = j->c.stop;
		else if (st != yajl_status_ok)
			report(j, "", 0, true);
	} else if (j->c.stop) {
		rc = j->c.stop;
	}
	jctx_cleanup(&j->c);
	yajl_free(j->h);
	free(j);
	return rc;
}

static int split_json(const char *name, const char *buf, size_t len, const vd_input_sink *sink)
{
	vd_jsplit *j = vd_jsplit_new(name, sink);
	if (!j)
		return vd_error_set(VD_ENOMEM, "out of memory");
	int rc = vd_jsplit_feed(j, buf, len);
	int rc2 = vd_jsplit_end(j);
	return rc ? rc : rc2;
}

/* ---- YAML (libyaml events → jansson); scalars stay strings except
 * plain null/~/true/false, so versions such as 1.10 keep their text ---- */

static json_t *yaml_scalar(const yaml_event_t *e)
{
	const char *v = (const char *)e->data.scalar.value;
	size_t n = e->data.scalar.length;
	if (e->data.scalar.style == YAML_PLAIN_SCALAR_STYLE) {
		if ((n == 4 && strcmp(v, "null") == 0) || (n == 1 && v[0] == '~') || n == 0)
			return json_null();
		if (n == 4 && strcmp(v, "true") == 0)
			return json_true();
		if (n == 5 && strcmp(v, "false") == 0)
			return json_false();
	}
	return json_stringn(v, n);
}

static int split_yaml(const char *name, const char *buf, size_t len, const vd_input_sink *sink)
{
	yaml_parser_t p;
	if (!yaml_parser_initialize(&p))
		return vd_error_set(VD_ENOMEM, "out of memory");
	yaml_parser_set_input_string(&p, (const unsigned char *)buf, len);
	json_t *stack[VD_DOC_DEPTH + 1];
	json_t *keyv[VD_DOC_DEPTH + 1];
	int depth = 0, docno = 0, rc = VD_OK;
	json_t *root = NULL;
	const char *bad = NULL;
	char badbuf[300], where[4200];
	bool done = false;
	while (!done) {
		yaml_event_t e;
		if (!yaml_parser_parse(&p, &e)) {
			snprintf(badbuf, sizeof badbuf, "line %zu, column %zu: invalid YAML: %s",
			         p.problem_mark.line + 1, p.problem_mark.column + 1,
			         p.problem ? p.problem : "parse error");
			snprintf(where, sizeof where, docno > 1 ? "%s#%d" : "%s", name, docno);
			if (sink->bad)
				sink->bad(sink->ctx, where, badbuf);
			break;
		}
		json_t *v = NULL;
		bool close = false;
		switch (e.type) {
		case YAML_STREAM_END_EVENT:
			done = true;
			break;
		case YAML_DOCUMENT_START_EVENT:
			docno++;
			root = NULL;
			bad = NULL;
			break;
		case YAML_DOCUMENT_END_EVENT:
			snprintf(where, sizeof where, docno > 1 ? "%s#%d" : "%s", name, docno);
			if (bad) {
				if (sink->bad)
					sink->bad(sink->ctx, where, bad);
			} else if (root && sink->doc) {
				vd_doc d = {where, root};
				rc = sink->doc(sink->ctx, &d);
			}
			json_decref(root);
			root = NULL;
			if (rc)
				done = true;
			break;
		case YAML_ALIAS_EVENT:
			if (!bad) {
				snprintf(badbuf, sizeof badbuf, "line %zu: YAML aliases are not accepted",
				         e.start_mark.line + 1);
				bad = badbuf;
			}
			v = json_null();
			break;
		case YAML_SCALAR_EVENT:
			v = yaml_scalar(&e);
			break;
		case YAML_SEQUENCE_START_EVENT:
		case YAML_MAPPING_START_EVENT:
			if (depth >= VD_DOC_DEPTH) {
				snprintf(badbuf, sizeof badbuf, "line %zu: nesting deeper than %d levels",
				         e.start_mark.line + 1, VD_DOC_DEPTH);
				snprintf(where, sizeof where, docno > 1 ? "%s#%d" : "%s", name, docno);
				if (sink->bad)
					sink->bad(sink->ctx, where, badbuf);
				done = true;
				break;
			}
			stack[depth] = e.type == YAML_SEQUENCE_START_EVENT ? json_array() : json_object();
			keyv[depth] = NULL;
			depth++;
			break;
		case YAML_SEQUENCE_END_EVENT:
		case YAML_MAPPING_END_EVENT:
			depth--;
			v = stack[depth];
			json_decref(keyv[depth]);
			close = true;
			break;
		default:
			break;
		}
		(void)close;
		if (v) {
			if (depth == 0) {
				json_decref(root);
				root = v;
			} else if (json_is_array(stack[depth - 1])) {
				json_array_append_new(stack[depth - 1], v);
			} else if (!keyv[depth - 1]) {
				if (!json_is_string(v) && !bad) {
					snprintf(badbuf, sizeof badbuf, "line %zu: mapping key is not a scalar",
					         e.start_mark.line + 1);
					bad = badbuf;
				}
				keyv[depth - 1] = v;
			} else {
				const char *k = json_string_value(keyv[depth - 1]);
				if (k && json_object_get(stack[depth - 1], k) && !bad) {
					snprintf(badbuf, sizeof badbuf, "line %zu: duplicate key \"%.100s\"",
					         e.start_mark.line + 1, k);
					bad = badbuf;
				}
				json_object_set_new(stack[depth - 1], k ? k : "", v);
				json_decref(keyv[depth - 1]);
				keyv[depth - 1] = NULL;
			}
		}
		yaml_event_delete(&e);
	}
	while (depth > 0) {
		depth--;
		json_decref(stack[depth]);
		json_decref(keyv[depth]);
	}
	json_decref(root);
	yaml_parser_delete(&p);
	return rc;
}

static bool looks_yaml(const char *name, const char *buf, size_t len)
{
	if (vd_str_has_suffix(name, ".yaml") || vd_str_has_suffix(name, ".yml"))
		return true;
	size_t i = 0;
	if (len >= 3 && memcmp(buf, "\xEF\xBB\xBF", 3) == 0)
		i = 3;
	while (i < len && (buf[i] == ' ' || buf[i] == '\t' || buf[i] == '\r' || buf[i] == '\n'))
		i++;
	return i < len && buf[i] != '{' && buf[i] != '[';
}

int vd_doc_split(const char *name, const char *buf, size_t len, const vd_input_sink *sink)
{
	size_t i = len >= 3 && memcmp(buf, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
	while (i < len && strchr(" \t\r\n", buf[i]))
		i++;
	if (i < len && buf[i] == '<')
		return vd_xml_split(name, buf, len, sink);
	if (looks_yaml(name, buf, len))
		return split_yaml(name, buf, len, sink);
	return split_json(name, buf, len, sink);
}
