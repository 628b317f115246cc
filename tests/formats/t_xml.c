/* The XML splitter: element → JSON mapping, GBK/GB18030 detection and
 * conversion, and hostile input (XXE, billion laughs, deep nesting,
 * truncation, wrong declared encodings, huge fields with bounded memory). */
#include "harness.h"
#include "vulnd/formats.h"
#include "vulnd/error.h"
#include <jansson.h>
#include <iconv.h>
#include <unistd.h>
#include <sys/resource.h>

typedef struct {
	int docs, bad;
	json_t *first;             /* first value (kept) */
	json_t *last;              /* last value (kept) */
	char where[4][300];
	char reason[4][700];
	char all[8192];            /* every value, serialised, for "was it read?" checks */
} sink_t;

static int on_doc(void *ctx, const vd_doc *d)
{
	sink_t *s = ctx;
	s->docs++;
	if (!s->first)
		s->first = json_incref(d->doc);
	json_decref(s->last);
	s->last = json_incref(d->doc);
	char *j = json_dumps(d->doc, JSON_COMPACT);
	if (j) {
		size_t n = strlen(s->all);
		snprintf(s->all + n, sizeof s->all - n, "%s\n", j);
		free(j);
	}
	return VD_OK;
}

static void on_bad(void *ctx, const char *where, const char *reason)
{
	sink_t *s = ctx;
	if (s->bad < 4) {
		snprintf(s->where[s->bad], sizeof s->where[0], "%s", where);
		snprintf(s->reason[s->bad], sizeof s->reason[0], "%s", reason);
	}
	s->bad++;
}

static sink_t run_buf(const char *name, const char *buf, size_t len)
{
	sink_t s;
	memset(&s, 0, sizeof s);
	vd_input_sink k = {on_doc, on_bad, NULL, &s};
	CHECK_INT(vd_doc_split(name, buf, len, &k), VD_OK);
	return s;
}

static sink_t run(const char *name, const char *text)
{
	return run_buf(name, text, strlen(text));
}

static void done(sink_t *s)
{
	json_decref(s->first);
	json_decref(s->last);
}

static const char *sget(const json_t *o, const char *k)
{
	return json_string_value(json_object_get(o, k));
}

/* Mapping: namespace ignored, attributes "@x", repeats → arrays, empty → "",
 * nested objects, mixed text "#text", entities and CDATA decoded. */
static void t_mapping(void)
{
	const char *x =
	    "<?xml version=\"1.0\" encoding=\"utf-8\"?> \r <cnnvd xmlns=\"http://www.cnnvd.org.cn/vuln/1.0\"  \r"
	    " pub_date=\"2019-10-16\">\n"
	    "  <entry>\n    <name>名称 &lt;a&gt; &amp; <![CDATA[<raw>]]></name>  \n"
	    "    <vuln-id>CNNVD-200001-001</vuln-id>\n    <source></source>\n    <bugtraq-id />\n"
	    "    <vulnerable-configuration><cncpe operator=\"or\"><cncpe-lang name=\"CPE:/a:x:y:1\"/>"
	    "<cncpe-lang name=\"CPE:/a:x:y:2\"/></cncpe></vulnerable-configuration>\n"
	    "    <refs><ref><ref-url>http://a</ref-url></ref><ref><ref-url>http://b</ref-url></ref></refs>\n"
	    "    <mixed>text<b>bold</b>more</mixed>\n"
	    "  </entry>\n  <entry><vuln-id>CNNVD-200001-002</vuln-id></entry>\n</cnnvd>\n";
	sink_t s = run("m.xml", x);
	CHECK_INT(s.docs, 2);
	CHECK_INT(s.bad, 0);
	json_t *e = s.first;
	REQUIRE(e);
	CHECK_STR(sget(e, "name"), "名称 <a> & <raw>");
	CHECK_STR(sget(e, "vuln-id"), "CNNVD-200001-001");
	CHECK_STR(sget(e, "source"), "");
	CHECK_STR(sget(e, "bugtraq-id"), "");
	json_t *langs = json_object_get(json_object_get(json_object_get(e, "vulnerable-configuration"), "cncpe"),
	                                "cncpe-lang");
	CHECK(json_is_array(langs) && json_array_size(langs) == 2);
	CHECK_STR(sget(json_array_get(langs, 1), "@name"), "CPE:/a:x:y:2");
	CHECK_STR(sget(json_object_get(json_object_get(e, "vulnerable-configuration"), "cncpe"), "@operator"), "or");
	json_t *refs = json_object_get(json_object_get(e, "refs"), "ref");
	CHECK(json_is_array(refs) && json_array_size(refs) == 2);
	CHECK_STR(sget(json_object_get(e, "mixed"), "#text"), "textmore");
	CHECK_STR(sget(json_object_get(e, "mixed"), "b"), "bold");
	CHECK_INT(vd_format_detect(e), VD_FMT_CNNVD);
	CHECK_STR(sget(s.last, "vuln-id"), "CNNVD-200001-002");
	done(&s);
	/* where names the child index.  libxml2's reader parses ~512 bytes
	 * ahead, so the good elements need some distance from the error. */
	char pad[1200];
	memset(pad, 'x', sizeof pad - 1);
	pad[sizeof pad - 1] = 0;
	char w[5000];
	snprintf(w, sizeof w, "<r><a>%s</a>\n<a>%s</a>\n<a><b>%s</a></r>", pad, pad, pad);
	s = run("w.xml", w);
	CHECK_INT(s.docs, 2);
	CHECK_INT(s.bad, 1);
	CHECK_STR(s.where[0], "w.xml[2]");
	CHECK(strstr(s.reason[0], "line 3") != NULL);
	done(&s);
}

/* UTF-8 → GBK/GB18030 bytes with iconv (the test's own sample). */
static size_t to_gbk(const char *charset, const char *utf8, char *out, size_t cap)
{
	iconv_t cd = iconv_open(charset, "UTF-8");
	if (cd == (iconv_t)-1)
		return 0;
	char *in = (char *)utf8, *o = out;
	size_t il = strlen(utf8), ol = cap;
	size_t r = iconv(cd, &in, &il, &o, &ol);
	iconv_close(cd);
	return r == (size_t)-1 ? 0 : cap - ol;
}

static const char *CN_SAMPLE =
    "<vulnerabilitys><vulnerability><number>CNVD-2020-00001</number>"
    "<title>吉翁电子（深圳）有限公司路由器存在逻辑缺陷漏洞</title><serverity>高</serverity>"
    "</vulnerability><vulnerability><number>CNVD-2020-00002</number><title>第二条：中文标点，测试。</title>"
    "</vulnerability></vulnerabilitys>";

static void check_cn(sink_t *s)
{
	CHECK_INT(s->docs, 2);
	CHECK_INT(s->bad, 0);
	if (s->bad)
		fprintf(stderr, "  %s: %s\n", s->where[0], s->reason[0]);
	REQUIRE(s->first && s->last);
	CHECK_STR(sget(s->first, "title"), "吉翁电子（深圳）有限公司路由器存在逻辑缺陷漏洞");
	CHECK_STR(sget(s->first, "serverity"), "高");
	CHECK_STR(sget(s->last, "title"), "第二条：中文标点，测试。");
	vd_record *r = NULL;
	CHECK_INT(vd_cnvd_to_record(s->first, &r), VD_OK);
	if (r) {
		CHECK_STR(r->title.zh, "吉翁电子（深圳）有限公司路由器存在逻辑缺陷漏洞");
		CHECK_STR(r->grade, "high");
	}
	vd_record_free(r);
}

static void t_gbk_declared(void)
{
	static const char *decls[] = {"GBK", "gb2312", "GB18030"};
	for (int i = 0; i < 3; i++) {
		char body[4096], doc[4400];
		size_t n = to_gbk("GBK", CN_SAMPLE, body, sizeof body);
		REQUIRE(n > 0);
		CHECK(!vd_utf8_valid(body, n));   /* really not UTF-8 */
		int h = snprintf(doc, sizeof doc, "<?xml version=\"1.0\" encoding=\"%s\"?>\n", decls[i]);
		memcpy(doc + h, body, n);
		sink_t s = run_buf("gbk.xml", doc, (size_t)h + n);
		check_cn(&s);
		done(&s);
	}
}

static void t_gbk_undeclared(void)
{
	char body[4096], doc[4400];
	size_t n = to_gbk("GB18030", CN_SAMPLE, body, sizeof body);
	REQUIRE(n > 0);
	sink_t s = run_buf("plain.xml", body, n);   /* no prolog at all */
	check_cn(&s);
	done(&s);
	int h = snprintf(doc, sizeof doc, "<?xml version=\"1.0\"?>\n");   /* prolog without encoding */
	memcpy(doc + h, body, n);
	s = run_buf("noenc.xml", doc, (size_t)h + n);
	check_cn(&s);
	done(&s);
}

/* A large undeclared GBK file streamed through vd_input_walk: the iconv
 * stream must carry sequences cut at chunk boundaries. */
static void t_gbk_stream(void)
{
	char path[] = "/tmp/vd-t-xml-gbk-XXXXXX";
	int fd = mkstemp(path);
	REQUIRE(fd >= 0);
	FILE *f = fdopen(fd, "wb");
	REQUIRE(f);
	char rec[2048], enc[4096];
	fputs("<vulnerabilitys>", f);
	for (int i = 0; i < 3000; i++) {
		snprintf(rec, sizeof rec, "<vulnerability><number>CNVD-2020-%05d</number>"
		         "<title>第%d条：吉翁电子（深圳）有限公司</title></vulnerability>", i, i);
		size_t n = to_gbk("GBK", rec, enc, sizeof enc);
		fwrite(enc, 1, n, f);
	}
	fputs("</vulnerabilitys>", f);
	fclose(f);
	sink_t s;
	memset(&s, 0, sizeof s);
	vd_input_sink k = {on_doc, on_bad, NULL, &s};
	CHECK_INT(vd_input_walk(path, &k), VD_OK);
	CHECK_INT(s.docs, 3000);
	CHECK_INT(s.bad, 0);
	CHECK_STR(sget(s.last, "title"), "第2999条：吉翁电子（深圳）有限公司");
	done(&s);
	unlink(path);
}

/* Declared UTF-8, actually GBK: a clear error with the line, nothing emitted
 * from the bad part. Declared GBK with bytes that are not GBK: error too. */
static void t_wrong_encoding(void)
{
	char body[4096], doc[4400];
	size_t n = to_gbk("GBK", CN_SAMPLE, body, sizeof body);
	REQUIRE(n > 0);
	int h = snprintf(doc, sizeof doc, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\n");
	memcpy(doc + h, body, n);
	sink_t s = run_buf("lie.xml", doc, (size_t)h + n);
	CHECK_INT(s.docs, 0);
	CHECK_INT(s.bad, 1);
	CHECK(strstr(s.reason[0], "line 3") != NULL);
	CHECK(strstr(s.reason[0], "UTF-8") != NULL);
	done(&s);

	const char *bad = "<?xml version=\"1.0\" encoding=\"GBK\"?>\n<r><a>ok</a><a>\x81\x20</a></r>";
	s = run("badgbk.xml", bad);
	CHECK_INT(s.bad, 1);
	CHECK(strstr(s.reason[0], "GB18030") != NULL || strstr(s.reason[0], "line") != NULL);
	done(&s);
}

/* XXE: an external entity naming /etc/passwd is never read. */
static void t_xxe(void)
{
	const char *x = "<?xml version=\"1.0\"?>\n<!DOCTYPE cnnvd [\n<!ENTITY xxe SYSTEM \"file:///etc/passwd\">\n"
	                "<!ENTITY % pe SYSTEM \"http://127.0.0.1:1/evil.dtd\"> %pe;\n]>\n"
	                "<cnnvd><entry><vuln-id>CNNVD-200001-001</vuln-id><name>&xxe;</name></entry></cnnvd>\n";
	sink_t s = run("xxe.xml", x);
	CHECK_INT(s.docs, 0);
	CHECK_INT(s.bad, 1);
	CHECK(strstr(s.reason[0], "DOCTYPE") != NULL);
	CHECK(strstr(s.all, "root:") == NULL);
	done(&s);
	/* an undeclared entity reference without a DTD is a plain error */
	s = run("ent.xml", "<r><e><n>&xxe;</n></e></r>");
	CHECK_INT(s.docs, 0);
	CHECK_INT(s.bad, 1);
	CHECK(strstr(s.reason[0], "xxe") != NULL);
	done(&s);
}

static void t_billion_laughs(void)
{
	char x[4096];
	size_t o = (size_t)snprintf(x, sizeof x, "<?xml version=\"1.0\"?>\n<!DOCTYPE lolz [\n<!ENTITY lol \"lol\">\n");
	for (int i = 1; i <= 9; i++)
		o += (size_t)snprintf(x + o, sizeof x - o, "<!ENTITY lol%d \"&lol%s;&lol%s;&lol%s;&lol%s;&lol%s;"
		                      "&lol%s;&lol%s;&lol%s;&lol%s;&lol%s;\">\n", i,
		                      i == 1 ? "" : "", i == 1 ? "" : "", i == 1 ? "" : "", i == 1 ? "" : "",
		                      i == 1 ? "" : "", i == 1 ? "" : "", i == 1 ? "" : "", i == 1 ? "" : "",
		                      i == 1 ? "" : "", i == 1 ? "" : "");
	snprintf(x + o, sizeof x - o, "]>\n<lolz><e><v>&lol9;</v></e></lolz>\n");
	struct rusage before, after;
	getrusage(RUSAGE_SELF, &before);
	sink_t s = run("lol.xml", x);
	getrusage(RUSAGE_SELF, &after);
	CHECK_INT(s.docs, 0);
	CHECK_INT(s.bad, 1);
	CHECK(strstr(s.reason[0], "DOCTYPE") != NULL);
	CHECK(after.ru_maxrss - before.ru_maxrss < 50 * 1024);   /* KiB */
	done(&s);
}

static void t_deep_nesting(void)
{
	size_t depth = 5000;
	char *x = malloc(depth * 7 + 64);
	REQUIRE(x);
	memcpy(x, "<r><e>", 6);
	size_t o = 6;
	for (size_t i = 0; i < depth; i++) {
		memcpy(x + o, "<a>", 3);
		o += 3;
	}
	x[o] = 0;
	sink_t s = run("deep.xml", x);
	CHECK_INT(s.docs, 0);
	CHECK_INT(s.bad, 1);
	CHECK(strstr(s.reason[0], "nesting") != NULL || strstr(s.reason[0], "depth") != NULL);
	done(&s);
	free(x);
}

static void t_truncated(void)
{
	const char *x = "<?xml version=\"1.0\"?>\n<vulnerabilitys>\n<vulnerability><number>CNVD-1</number></vulnerability>\n"
	                "<vulnerability><number>CNVD-2</number></vulnerability>\n<vulnerability><number>CNV";
	sink_t s = run("trunc.xml", x);
	CHECK_INT(s.docs, 2);                  /* entries before the cut stay */
	CHECK_INT(s.bad, 1);
	CHECK_STR(s.where[0], "trunc.xml[2]");
	CHECK(strstr(s.reason[0], "line 5") != NULL);
	CHECK(strstr(s.reason[0], "rest of the file") != NULL);
	done(&s);
	s = run("empty.xml", "<?xml version=\"1.0\"?>\n");
	CHECK_INT(s.docs, 0);
	CHECK_INT(s.bad, 1);
	done(&s);
	s = run("garbage.xml", "<a><b>1</b></a>trailing <junk");
	CHECK_INT(s.bad, 1);
	done(&s);
}

/* Write `size` bytes of 'A' as one field of one entry, then a good entry. */
static int write_big(const char *path, size_t fields, size_t size)
{
	FILE *f = fopen(path, "wb");
	if (!f)
		return -1;
	fputs("<cnnvd><entry><vuln-id>CNNVD-200001-001</vuln-id>", f);
	char *chunk = malloc(1 << 20);
	if (!chunk) {
		fclose(f);
		return -1;
	}
	memset(chunk, 'A', 1 << 20);
	for (size_t k = 0; k < fields; k++) {
		fputs("<vuln-descript>", f);
		for (size_t done_b = 0; done_b < size; done_b += 1 << 20)
			fwrite(chunk, 1, size - done_b < (1u << 20) ? size - done_b : 1u << 20, f);
		fputs("</vuln-descript>", f);
	}
	fputs("</entry><entry><vuln-id>CNNVD-200001-002</vuln-id></entry></cnnvd>", f);
	free(chunk);
	return fclose(f);
}

static long rss_kib(void)
{
	struct rusage u;
	getrusage(RUSAGE_SELF, &u);
	return u.ru_maxrss;
}

/* 100 MB in one field: a clear error, memory bounded (libxml2's 10 MB text
 * node limit); 5 × 8 MB fields in one entry: over the 32 MiB element limit,
 * that entry is skipped and the next one read. */
static void t_huge_fields(void)
{
	char path[] = "/tmp/vd-t-xml-big-XXXXXX";
	int fd = mkstemp(path);
	REQUIRE(fd >= 0);
	close(fd);
	REQUIRE(write_big(path, 1, 100u << 20) == 0);
	long before = rss_kib();
	sink_t s;
	memset(&s, 0, sizeof s);
	vd_input_sink k = {on_doc, on_bad, NULL, &s};
	CHECK_INT(vd_input_walk(path, &k), VD_OK);
	CHECK_INT(s.docs, 0);
	CHECK_INT(s.bad, 1);
	CHECK(strstr(s.reason[0], "line 1") != NULL);
	fprintf(stderr, "  (100 MB field: %s; peak RSS grew %ld KiB)\n", s.reason[0], rss_kib() - before);
	CHECK(rss_kib() - before < 80 * 1024);
	done(&s);

	REQUIRE(write_big(path, 5, 8u << 20) == 0);
	memset(&s, 0, sizeof s);
	CHECK_INT(vd_input_walk(path, &k), VD_OK);
	CHECK_INT(s.docs, 1);
	CHECK_INT(s.bad, 1);
	CHECK(strstr(s.reason[0], "32 MiB") != NULL);
	CHECK_STR(s.where[0], strrchr(path, '/') ? s.where[0] : "");
	CHECK(strstr(s.where[0], "[0]") != NULL);
	CHECK_STR(sget(s.last, "vuln-id"), "CNNVD-200001-002");
	done(&s);
	unlink(path);
}

int main(void)
{
	RUN(t_mapping);
	RUN(t_gbk_declared);
	RUN(t_gbk_undeclared);
	RUN(t_gbk_stream);
	RUN(t_wrong_encoding);
	RUN(t_xxe);
	RUN(t_billion_laughs);
	RUN(t_deep_nesting);
	RUN(t_truncated);
	RUN(t_huge_fields);
	return vt_done();
}
