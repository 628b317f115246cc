/* CWE catalogue: CSV views and the XML catalogue give the same entries;
 * the store's cwe table; the service's import and lookup. */
#include "harness.h"
#include "vulnd/cwe.h"
#include "vulnd/error.h"
#include "vulnd/gbt30279.h"
#include "vulnd/service.h"
#include "vulnd/store.h"
#include "vulnd/util.h"
#include <unistd.h>

/* ---- collecting entries ---- */
typedef struct {
	vd_cwe *w[2048];
	int n;
	int bad;
	char last_bad[512];
} coll;

static int on_entry(void *ctx, const vd_cwe *w)
{
	coll *c = ctx;
	if (c->n < 2048 && vd_cwe_dup(w, &c->w[c->n]) == VD_OK)
		c->n++;
	return VD_OK;
}

static void on_bad(void *ctx, const char *where, const char *reason)
{
	coll *c = ctx;
	c->bad++;
	snprintf(c->last_bad, sizeof c->last_bad, "%s: %s", where, reason);
}

static void coll_free(coll *c)
{
	for (int i = 0; i < c->n; i++)
		vd_cwe_free(c->w[i]);
	c->n = c->bad = 0;
}

static const vd_cwe *find(const coll *c, int id)
{
	for (int i = 0; i < c->n; i++)
		if (c->w[i]->id == id)
			return c->w[i];
	return NULL;
}

static bool streq(const char *a, const char *b) { return a == b || (a && b && strcmp(a, b) == 0); }

static bool same(const vd_cwe *a, const vd_cwe *b)
{
	if (!a || !b || a->id != b->id || !streq(a->name, b->name) || !streq(a->abstraction, b->abstraction) ||
	    !streq(a->status, b->status) || !streq(a->description, b->description) || a->n_parents != b->n_parents)
		return false;
	for (size_t i = 0; i < a->n_parents; i++)
		if (a->parents[i] != b->parents[i])
			return false;
	return true;
}

static void check_parents(const vd_cwe *w, const int *want, size_t n)
{
	CHECK(w != NULL);
	if (!w)
		return;
	CHECK_INT(w->n_parents, n);
	for (size_t i = 0; i < n && i < w->n_parents; i++)
		CHECK_INT(w->parents[i], want[i]);
}

/* ---- hand-written inputs: the same invented catalogue in both forms ---- */

static const char CSV[] =
	"\xEF\xBB\xBF" "CWE-ID,Name,Weakness Abstraction,Status,Description,Extended Description,"
	"Related Weaknesses,Notes\r\n"
	"900001,\"Alpha, with a comma\",Class,Draft,\"First line\r\nsecond \"\"quoted\"\"   part\",\"\","
	"::NATURE:ChildOf:CWE ID:900004:VIEW ID:699:ORDINAL:Primary::NATURE:ChildOf:CWE ID:900002:VIEW ID:1000:"
	"ORDINAL:Primary::NATURE:PeerOf:CWE ID:900003:VIEW ID:1000::,\"\"\r\n"
	"900002,Beta pillar,Pillar,Stable,Top of the tree,,,\r\n"
	"900005,Gamma with parents only in other views,Base,Incomplete,G,,"
	"::NATURE:ChildOf:CWE ID:900002:VIEW ID:1003:ORDINAL:Primary::NATURE:ChildOf:CWE ID:900001:VIEW ID:1194:"
	"ORDINAL:Primary::NATURE:CanPrecede:CWE ID:900006:VIEW ID:1000::,\r\n"
	"900006,Delta two parents,Variant,Draft,D,,"
	"::NATURE:ChildOf:CWE ID:900001:VIEW ID:1000::NATURE:ChildOf:CWE ID:900002:VIEW ID:1000:ORDINAL:Primary::,\r\n"
	"\r\n"
	"notanumber,Bad row,Base,Draft,,,,\r\n"
	"900007,,Base,Draft,no name,,,\r\n";

static const char XML[] =
	"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	"<Weakness_Catalog xmlns=\"http://cwe.mitre.org/cwe-7\" xmlns:xhtml=\"http://www.w3.org/1999/xhtml\""
	" Name=\"CWE\" Version=\"test\">\n"
	" <Weaknesses>\n"
	"  <Weakness ID=\"900001\" Name=\"Alpha, with a comma\" Abstraction=\"Class\" Structure=\"Simple\""
	" Status=\"Draft\">\n"
	"   <Description>First line\n  second \"quoted\" part</Description>\n"
	"   <Extended_Description><xhtml:p>Not the <xhtml:b>description</xhtml:b>.</xhtml:p></Extended_Description>\n"
	"   <Related_Weaknesses>\n"
	"    <Related_Weakness Nature=\"ChildOf\" CWE_ID=\"900004\" View_ID=\"699\" Ordinal=\"Primary\"/>\n"
	"    <Related_Weakness Nature=\"ChildOf\" CWE_ID=\"900002\" View_ID=\"1000\" Ordinal=\"Primary\"/>\n"
	"    <Related_Weakness Nature=\"PeerOf\" CWE_ID=\"900003\" View_ID=\"1000\"/>\n"
	"   </Related_Weaknesses>\n"
	"  </Weakness>\n"
	"  <Weakness ID=\"900002\" Name=\"Beta pillar\" Abstraction=\"Pillar\" Structure=\"Simple\" Status=\"Stable\">"
	"<Description>Top of the tree</Description></Weakness>\n"
	"  <Weakness ID=\"900005\" Name=\"Gamma with parents only in other views\" Abstraction=\"Base\""
	" Status=\"Incomplete\"><Description>G</Description><Related_Weaknesses>"
	"<Related_Weakness Nature=\"ChildOf\" CWE_ID=\"900002\" View_ID=\"1003\" Ordinal=\"Primary\"/>"
	"<Related_Weakness Nature=\"ChildOf\" CWE_ID=\"900001\" View_ID=\"1194\" Ordinal=\"Primary\"/>"
	"<Related_Weakness Nature=\"CanPrecede\" CWE_ID=\"900006\" View_ID=\"1000\"/>"
	"</Related_Weaknesses></Weakness>\n"
	"  <Weakness ID=\"900006\" Name=\"Delta two parents\" Abstraction=\"Variant\" Status=\"Draft\">"
	"<Description>D</Description><Related_Weaknesses>"
	"<Related_Weakness Nature=\"ChildOf\" CWE_ID=\"900001\" View_ID=\"1000\"/>"
	"<Related_Weakness Nature=\"ChildOf\" CWE_ID=\"900002\" View_ID=\"1000\" Ordinal=\"Primary\"/>"
	"</Related_Weaknesses></Weakness>\n"
	"  <Weakness ID=\"notanumber\" Name=\"Bad row\" Abstraction=\"Base\" Status=\"Draft\"/>\n"
	"  <Weakness ID=\"900007\" Abstraction=\"Base\" Status=\"Draft\"><Description>no name</Description></Weakness>\n"
	" </Weaknesses>\n"
	" <Categories>\n"
	"  <Category ID=\"900010\" Name=\"Epsilon category\" Status=\"Draft\"><Summary>A group.</Summary>"
	"<Relationships><Has_Member CWE_ID=\"900001\" View_ID=\"699\"/></Relationships></Category>\n"
	" </Categories>\n"
	" <Views><View ID=\"900020\" Name=\"Some view\" Type=\"Graph\" Status=\"Draft\"><Objective>x</Objective></View></Views>\n"
	" <External_References><External_Reference Reference_ID=\"REF-1\"><Title>t</Title></External_Reference>"
	"</External_References>\n"
	"</Weakness_Catalog>\n";

static void t_csv_small(void)
{
	coll c = {.n = 0};
	REQUIRE(vd_cwe_read_csv("small.csv", CSV, sizeof CSV - 1, on_entry, on_bad, &c) == VD_OK);
	CHECK_INT(c.n, 4);
	CHECK_INT(c.bad, 2);
	CHECK(strstr(c.last_bad, "small.csv:9: empty Name") != NULL);
	const vd_cwe *a = find(&c, 900001);
	REQUIRE(a);
	CHECK_STR(a->name, "Alpha, with a comma");
	CHECK_STR(a->abstraction, "Class");
	CHECK_STR(a->status, "Draft");
	CHECK_STR(a->description, "First line second \"quoted\" part");
	check_parents(a, (int[]){900002}, 1);
	check_parents(find(&c, 900002), NULL, 0);
	check_parents(find(&c, 900005), (int[]){900002, 900001}, 2);
	check_parents(find(&c, 900006), (int[]){900002, 900001}, 2);
	coll_free(&c);
}

static void t_xml_small_same_as_csv(void)
{
	coll c = {.n = 0}, x = {.n = 0};
	REQUIRE(vd_cwe_read_csv("small.csv", CSV, sizeof CSV - 1, on_entry, on_bad, &c) == VD_OK);
	REQUIRE(vd_cwe_read_xml("small.xml", XML, sizeof XML - 1, on_entry, on_bad, &x) == VD_OK);
	CHECK_INT(x.bad, 2);
	CHECK_INT(x.n, c.n + 1);     /* + the category */
	for (int i = 0; i < c.n; i++) {
		const vd_cwe *w = find(&x, c.w[i]->id);
		if (!same(c.w[i], w)) {
			fprintf(stderr, "  CWE-%d differs between CSV and XML\n", c.w[i]->id);
			CHECK(0);
		}
	}
	const vd_cwe *cat = find(&x, 900010);
	REQUIRE(cat);
	CHECK_STR(cat->abstraction, "Category");
	CHECK_STR(cat->description, "A group.");
	CHECK_INT(cat->n_parents, 0);
	coll_free(&c);
	coll_free(&x);
}

static void t_xml_refused(void)
{
	coll x = {.n = 0};
	const char *doctype = "<?xml version=\"1.0\"?><!DOCTYPE x [<!ENTITY a \"aaaa\">]>"
	                      "<Weakness_Catalog><Weaknesses><Weakness ID=\"1\" Name=\"&a;\"/></Weaknesses></Weakness_Catalog>";
	CHECK_INT(vd_cwe_read_xml("d.xml", doctype, strlen(doctype), on_entry, on_bad, &x), VD_EINVAL);
	CHECK(strstr(vd_error_msg(), "DOCTYPE") != NULL);
	CHECK_INT(x.n, 0);
	const char *ext = "<?xml version=\"1.0\"?><!DOCTYPE x SYSTEM \"http://example.invalid/x.dtd\"><x/>";
	CHECK_INT(vd_cwe_read_xml("e.xml", ext, strlen(ext), on_entry, on_bad, &x), VD_EINVAL);
	const char *broken = "<Weakness_Catalog><Weaknesses><Weakness ID=\"5\" Name=\"ok\"></Weakness>"
	                     "<Weakness ID=\"6\" Name=\"cut\"><Description>";
	CHECK_INT(vd_cwe_read_xml("b.xml", broken, strlen(broken), on_entry, on_bad, &x), VD_EINVAL);
	CHECK(strstr(vd_error_msg(), "malformed XML") != NULL);
	CHECK_INT(x.n, 1);           /* the entry before the error was delivered */
	coll_free(&x);
	/* not a CWE CSV */
	const char *nocsv = "id,title\n1,x\n";
	CHECK_INT(vd_cwe_read_csv("n.csv", nocsv, strlen(nocsv), on_entry, on_bad, &x), VD_EINVAL);
	const char *unterminated = "CWE-ID,Name\n1,\"open\n";
	CHECK_INT(vd_cwe_read_csv("u.csv", unterminated, strlen(unterminated), on_entry, on_bad, &x), VD_OK);
	CHECK_INT(x.bad, 1);
	CHECK(strstr(x.last_bad, "unterminated") != NULL);
	coll_free(&x);
	int id;
	CHECK(vd_cwe_id_parse("CWE-79", &id) == VD_OK && id == 79);
	CHECK(vd_cwe_id_parse(" cwe-1321 ", &id) == VD_OK && id == 1321);
	CHECK(vd_cwe_id_parse("89", &id) == VD_OK && id == 89);
	CHECK_INT(vd_cwe_id_parse("NVD-CWE-Other", &id), VD_EINVAL);
	CHECK_INT(vd_cwe_id_parse("CWE-", &id), VD_EINVAL);
	CHECK_INT(vd_cwe_id_parse(NULL, &id), VD_EINVAL);
}

/* ---- the shared CSV views, and the same catalogue written as XML ---- */

static void xml_text(vd_buf *b, const char *s)
{
	for (; s && *s; s++) {
		switch (*s) {
		case '&': vd_buf_adds(b, "&amp;"); break;
		case '<': vd_buf_adds(b, "&lt;"); break;
		case '>': vd_buf_adds(b, "&gt;"); break;
		case '"': vd_buf_adds(b, "&quot;"); break;
		default: vd_buf_addc(b, *s);
		}
	}
}

/* The entries as a cwec-style XML catalogue; entries with parents also get
 * relations the readers must ignore (other natures, other views). */
static char *to_xml(const coll *c)
{
	vd_buf b;
	vd_buf_init(&b, 0);
	vd_buf_adds(&b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Weakness_Catalog xmlns=\"http://cwe.mitre.org/cwe-7\">"
	                "<Weaknesses>\n");
	for (int i = 0; i < c->n; i++) {
		const vd_cwe *w = c->w[i];
		vd_buf_printf(&b, "<Weakness ID=\"%d\" Name=\"", w->id);
		xml_text(&b, w->name);
		vd_buf_adds(&b, "\" Abstraction=\"");
		xml_text(&b, w->abstraction);
		vd_buf_adds(&b, "\" Structure=\"Simple\" Status=\"");
		xml_text(&b, w->status);
		vd_buf_adds(&b, "\">\n  <Description>");
		xml_text(&b, w->description);
		vd_buf_adds(&b, "</Description>\n  <Related_Weaknesses>\n");
		for (size_t k = 0; k < w->n_parents; k++) {
			if (k == 0)
				vd_buf_printf(&b, "    <Related_Weakness Nature=\"ChildOf\" CWE_ID=\"%d\" View_ID=\"1003\""
				              " Ordinal=\"Primary\"/>\n    <Related_Weakness Nature=\"PeerOf\" CWE_ID=\"%d\""
				              " View_ID=\"1000\"/>\n", w->parents[k] + 1, w->parents[k] + 2);
			vd_buf_printf(&b, "    <Related_Weakness Nature=\"ChildOf\" CWE_ID=\"%d\" View_ID=\"1000\"%s/>\n",
			              w->parents[k], k == 0 ? " Ordinal=\"Primary\"" : "");
		}
		vd_buf_adds(&b, "  </Related_Weaknesses>\n</Weakness>\n");
	}
	vd_buf_adds(&b, "</Weaknesses></Weakness_Catalog>\n");
	return vd_buf_detach(&b);
}

static void t_shared_views(void)
{
	const char *sh = vt_shared();
	REQUIRE(sh);
	char p1[4200], p2[4200];
	snprintf(p1, sizeof p1, "%s/data/cwe/cwe-view-1000.csv", sh);
	snprintf(p2, sizeof p2, "%s/data/cwe/cwe-view-1194.csv", sh);
	static coll c, h, x;
	REQUIRE(vd_cwe_read_file(p1, on_entry, on_bad, &c) == VD_OK);
	REQUIRE(vd_cwe_read_file(p2, on_entry, on_bad, &h) == VD_OK);
	printf("# CWE view 1000: %d entries, view 1194: %d entries\n", c.n, h.n);
	CHECK_INT(c.n, 938);
	CHECK_INT(h.n, 108);
	CHECK_INT(c.bad + h.bad, 0);
	const vd_cwe *w = find(&c, 79);
	REQUIRE(w);
	CHECK(strstr(w->name, "Cross-site Scripting") != NULL);
	CHECK_STR(w->abstraction, "Base");
	check_parents(w, (int[]){74}, 1);
	check_parents(find(&c, 284), NULL, 0);      /* a pillar */
	/* every entry read from both views agrees */
	int agree = 0;
	for (int i = 0; i < h.n; i++)
		agree += same(h.w[i], find(&c, h.w[i]->id));
	CHECK_INT(agree, h.n);
	/* the whole research view as XML reads back to the same entries */
	char *xml = to_xml(&c);
	REQUIRE(xml);
	REQUIRE(vd_cwe_read_xml("view1000.xml", xml, strlen(xml), on_entry, on_bad, &x) == VD_OK);
	int eq = 0;
	for (int i = 0; i < c.n; i++)
		eq += same(c.w[i], find(&x, c.w[i]->id));
	printf("# CWE view 1000 as XML: %d of %d entries equal to the CSV reading\n", eq, c.n);
	CHECK_INT(eq, c.n);
	CHECK_INT(x.n, c.n);
	/* the file reader streams XML too */
	char path[] = "/tmp/t_cwe_XXXXXX";
	int fd = mkstemp(path);
	REQUIRE(fd >= 0);
	CHECK(write(fd, xml, strlen(xml)) == (ssize_t)strlen(xml));
	close(fd);
	coll_free(&x);
	REQUIRE(vd_cwe_read_file(path, on_entry, on_bad, &x) == VD_OK);
	CHECK_INT(x.n, c.n);
	coll_free(&x);

	/* service: CSV import and XML import give the same stored catalogue */
	vd_service *a, *b;
	REQUIRE(vd_service_open(":memory:", true, &a) == VD_OK);
	REQUIRE(vd_service_open(":memory:", true, &b) == VD_OK);
	vd_cwe_import_stats st;
	CHECK(vd_service_cwe_import(a, p1, NULL, NULL, &st) == VD_OK);
	CHECK_INT(st.stored, 938);
	CHECK(vd_service_cwe_import(a, p2, NULL, NULL, &st) == VD_OK);
	CHECK_INT(st.stored, 108);
	CHECK(vd_service_cwe_import(b, path, NULL, NULL, &st) == VD_OK);
	CHECK_INT(st.stored, 938);
	unlink(path);
	int same_stored = 0;
	for (int i = 0; i < c.n; i++) {
		char id[24];
		snprintf(id, sizeof id, "CWE-%d", c.w[i]->id);
		vd_cwe_info *ia = NULL, *ib = NULL;
		if (vd_service_cwe_get(a, id, &ia) == VD_OK && vd_service_cwe_get(b, id, &ib) == VD_OK &&
		    same(ia->cwe, ib->cwe) && same(ia->cwe, c.w[i]) && ia->cls == ib->cls &&
		    ia->n_children == ib->n_children)
			same_stored++;
		vd_cwe_info_free(ia);
		vd_cwe_info_free(ib);
	}
	CHECK_INT(same_stored, c.n);
	vd_cwe_info *info;
	REQUIRE(vd_service_cwe_get(a, "CWE-79", &info) == VD_OK);
	CHECK(info->in_catalogue);
	CHECK_INT(info->n_parents, 1);
	CHECK_INT(info->parents[0]->id, 74);
	CHECK(info->n_children >= 5);
	CHECK_STR(info->cls->code, "1.2.2.4");
	CHECK_INT(info->class_via, 79);
	vd_cwe_info_free(info);
	REQUIRE(vd_service_cwe_get(a, "24", &info) == VD_OK);   /* not in the table: via CWE-23 */
	CHECK_STR(info->cls->code, "1.2.3");
	CHECK_INT(info->class_via, 23);
	vd_cwe_info_free(info);
	REQUIRE(vd_service_cwe_get(a, "CWE-264", &info) == VD_OK);   /* category: table only */
	CHECK(!info->in_catalogue);
	CHECK_STR(info->cls->code, "1.7.1");
	vd_cwe_info_free(info);
	CHECK_INT(vd_service_cwe_get(a, "CWE-3", &info), VD_ENOTFOUND);
	CHECK_INT(vd_service_cwe_get(a, "XSS", &info), VD_EINVAL);
	CHECK_STR(vd_service_cwe_class(a, "CWE-24", NULL)->code, "1.2.3");
	CHECK(vd_service_cwe_import(a, "/nonexistent/cwe.csv", NULL, NULL, &st) == VD_EIO);
	vd_service_close(a);
	vd_service_close(b);
	free(xml);
	coll_free(&c);
	coll_free(&h);
}

/* ---- the store's cwe ops ---- */
static int add_child(void *ctx, int child)
{
	int *n = ctx;
	n[++n[0]] = child;
	return VD_OK;
}

static void t_store_ops(void)
{
	vd_store *s;
	REQUIRE(vd_store_open(":memory:", &s) == VD_OK);
	REQUIRE(vd_store_migrate(s) == VD_OK);
	REQUIRE(s->ops->cwe_put && s->ops->cwe_get && s->ops->cwe_parents && s->ops->cwe_children &&
	        s->ops->cwe_count);
	vd_cwe a = {.id = 10, .name = "Ten", .abstraction = "Class", .status = "Draft",
	            .parents = (int[]){1, 2}, .n_parents = 2};
	vd_cwe b = {.id = 11, .name = "Eleven", .parents = (int[]){10}, .n_parents = 1};
	CHECK(s->ops->cwe_put(s, &a) == VD_OK);
	CHECK(s->ops->cwe_put(s, &b) == VD_OK);
	vd_cwe *g;
	REQUIRE(s->ops->cwe_get(s, 10, &g) == VD_OK);
	CHECK(same(g, &a));
	vd_cwe_free(g);
	int out[4];
	CHECK_INT(s->ops->cwe_parents(s, 10, out, 4), 2);
	CHECK(out[0] == 1 && out[1] == 2);
	CHECK_INT(s->ops->cwe_parents(s, 99, out, 4), 0);
	/* replace: new parents, description */
	a.parents = (int[]){3};
	a.n_parents = 1;
	a.description = "now described";
	CHECK(s->ops->cwe_put(s, &a) == VD_OK);
	REQUIRE(s->ops->cwe_get(s, 10, &g) == VD_OK);
	CHECK(same(g, &a));
	vd_cwe_free(g);
	CHECK_INT(s->ops->cwe_parents(s, 10, out, 4), 1);
	int kids[8] = {0};
	CHECK(s->ops->cwe_children(s, 10, add_child, kids) == VD_OK);
	CHECK(kids[0] == 1 && kids[1] == 11);
	uint64_t n;
	CHECK(s->ops->cwe_count(s, &n) == VD_OK && n == 2);
	CHECK_INT(s->ops->cwe_get(s, 12, &g), VD_ENOTFOUND);
	vd_cwe bad = {.id = 0, .name = "x"};
	CHECK_INT(s->ops->cwe_put(s, &bad), VD_EINVAL);
	vd_store_close(s);
}

int main(void)
{
	RUN(t_csv_small);
	RUN(t_xml_small_same_as_csv);
	RUN(t_xml_refused);
	RUN(t_shared_views);
	RUN(t_store_ops);
	return vt_done();
}
