/* The document splitter: JSON arrays cut per element, YAML, limits, errors. */
#include "harness.h"
#include "vulnd/formats.h"
#include "vulnd/error.h"
#include <jansson.h>

typedef struct {
	int docs, bad;
	char where[8][256];
	char reason[8][512];
	char ids[8][64];
} sink_t;

static int on_doc(void *ctx, const vd_doc *d)
{
	sink_t *s = ctx;
	if (s->docs < 8) {
		const char *id = json_string_value(json_object_get(d->doc, "id"));
		snprintf(s->ids[s->docs], 64, "%s", id ? id : "?");
	}
	s->docs++;
	return 0;
}

static void on_bad(void *ctx, const char *where, const char *reason)
{
	sink_t *s = ctx;
	if (s->bad < 8) {
		snprintf(s->where[s->bad], 256, "%s", where);
		snprintf(s->reason[s->bad], 512, "%s", reason);
	}
	s->bad++;
}

static sink_t run(const char *name, const char *text)
{
	sink_t s;
	memset(&s, 0, sizeof s);
	vd_input_sink k = {on_doc, on_bad, NULL, &s};
	vd_doc_split(name, text, strlen(text), &k);
	return s;
}

static void t_object_and_array(void)
{
	sink_t s = run("a.json", "{\"id\":\"A\"}");
	CHECK_INT(s.docs, 1);
	CHECK_STR(s.ids[0], "A");
	s = run("b.json", "[{\"id\":\"A\"},{\"id\":\"B\",\"x\":[1,2,{\"y\":null}]},{\"id\":\"C\"}]");
	CHECK_INT(s.docs, 3);
	CHECK_STR(s.ids[2], "C");
	s = run("bom.json", "\xEF\xBB\xBF{\"id\":\"BOM\"}");
	CHECK_INT(s.docs, 1);
	CHECK_STR(s.ids[0], "BOM");
}

static void t_errors_have_positions(void)
{
	sink_t s = run("t.json", "{\"id\": \"A\",\n \"b\": ");
	CHECK_INT(s.docs, 0);
	CHECK_INT(s.bad, 1);
	CHECK_STR(s.where[0], "t.json");
	CHECK(strstr(s.reason[0], "truncated") != NULL);
	s = run("g.json", "{\"id\": \"A\",\n \"b\": tru }");
	CHECK_INT(s.bad, 1);
	CHECK(strstr(s.reason[0], "line 2") != NULL);
	s = run("arr.json", "[{\"id\":\"A\"},{\"id\":\"B\",\"id\":\"C\"},{\"id\":\"D\"}]");
	CHECK_INT(s.docs, 2);
	CHECK_INT(s.bad, 1);
	CHECK_STR(s.where[0], "arr.json[1]");
	CHECK(strstr(s.reason[0], "duplicate key \"id\"") != NULL);
	CHECK_STR(s.ids[1], "D");
	s = run("u.json", "{\"id\":\"\xC3\x28\"}");
	CHECK_INT(s.docs, 0);
	CHECK_INT(s.bad, 1);
}

static void t_depth_limit(void)
{
	char deep[400];
	int n = 0;
	for (int i = 0; i < 100; i++)
		deep[n++] = '[';
	deep[n] = 0;
	sink_t s = run("deep.json", deep);
	CHECK_INT(s.docs, 0);
	CHECK_INT(s.bad, 1);
	CHECK(strstr(s.reason[0], "nesting deeper than 64") != NULL);
	/* 60 levels is fine */
	n = 0;
	for (int i = 0; i < 60; i++)
		deep[n++] = '[';
	for (int i = 0; i < 60; i++)
		deep[n++] = ']';
	deep[n] = 0;
	s = run("ok.json", deep);
	CHECK_INT(s.bad, 0);
}

static void t_yaml(void)
{
	sink_t s = run("x.yaml", "id: PYSEC-1\nversions:\n- 1.10\n- \"0\"\nwithdrawn: null\n");
	CHECK_INT(s.docs, 1);
	CHECK_STR(s.ids[0], "PYSEC-1");
	s = run("multi.yml", "id: A\n---\nid: B\n");
	CHECK_INT(s.docs, 2);
	CHECK_STR(s.ids[1], "B");
	s = run("alias.yaml", "a: &x [1,2]\nb: *x\n");
	CHECK_INT(s.docs, 0);
	CHECK_INT(s.bad, 1);
	CHECK(strstr(s.reason[0], "aliases") != NULL);
	s = run("dup.yaml", "id: A\nid: B\n");
	CHECK_INT(s.bad, 1);
	CHECK(strstr(s.reason[0], "duplicate key") != NULL);
	s = run("broken.yaml", "id: [unclosed\n");
	CHECK_INT(s.bad, 1);
	CHECK(strstr(s.reason[0], "line") != NULL);
}

static int keep_versions(void *ctx, const vd_doc *d)
{
	json_t *v = json_array_get(json_object_get(d->doc, "versions"), 0);
	snprintf(ctx, 32, "%s", json_is_string(v) ? json_string_value(v) : "not a string");
	return 0;
}

static void t_yaml_versions_stay_text(void)
{
	char got[32] = "";
	vd_input_sink k = {keep_versions, NULL, NULL, got};
	const char *y = "versions:\n- 1.10\n";
	vd_doc_split("v.yaml", y, strlen(y), &k);
	CHECK_STR(got, "1.10");
}

static void t_chunked_feed(void)
{
	/* the same array fed one byte at a time gives the same documents */
	const char *text = "[{\"id\":\"A\",\"s\":\"\xE6\xBC\x8F\xE6\xB4\x9E\"},\n{\"id\":\"B\"}]";
	sink_t s;
	memset(&s, 0, sizeof s);
	vd_input_sink k = {on_doc, on_bad, NULL, &s};
	vd_jsplit *j = vd_jsplit_new("c.json", &k);
	for (size_t i = 0; i < strlen(text); i++)
		vd_jsplit_feed(j, text + i, 1);
	vd_jsplit_end(j);
	CHECK_INT(s.docs, 2);
	CHECK_INT(s.bad, 0);
	CHECK_STR(s.ids[1], "B");
}

int main(void)
{
	RUN(t_object_and_array);
	RUN(t_errors_have_positions);
	RUN(t_depth_limit);
	RUN(t_yaml);
	RUN(t_yaml_versions_stay_text);
	RUN(t_chunked_feed);
	return vt_done();
}
