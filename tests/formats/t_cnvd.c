/* CNVD XML reader: the XML splitter + vd_cnvd_to_record over the real
 * weekly files in ../shared/data/cnvd (counts, records field by field,
 * checked by reading the XML). */
#include "harness.h"
#include "vulnd/formats.h"
#include "vulnd/error.h"
#include <jansson.h>

#define COLLECT_FMT VD_FMT_CNVD
#define COLLECT_SRC "cnvd"
#include "formats/collect.h"

/* 31 files, 7,040 entries (SOURCES-cn.md); per-file counts for a few. */
static void t_counts(void)
{
	static const struct { const char *file; long n; } files[] = {
		{"921.xml", 9}, {"250.xml", 393}, {"595.xml", 507}, {"1436.xml", 88}, {"727.xml", 241},
	};
	for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
		coll c = walk(files[i].file, NULL);
		CHECK_INT(c.docs, files[i].n);
		CHECK_INT(c.records, files[i].n);
	}
	coll c = walk("", NULL);   /* the whole directory */
	CHECK_INT(c.docs, 7040);
	CHECK_INT(c.records, 7040);
	CHECK_INT(c.bad, 0);
	CHECK_INT(c.conv_bad, 0);
	CHECK_INT(c.detected_other, 0);
}

static void t_2021_totolink(void)
{
	const char *want[] = {"CNVD-2021-63686", "CNVD-2021-64035", NULL};
	coll c = walk("921.xml", want);
	vd_record *r = get(&c, "CNVD-2021-63686");
	REQUIRE(r);
	CHECK_INT(r->state, VD_STATE_PUBLISHED);
	CHECK_STR(r->title.zh, "吉翁电子（深圳）有限公司TOTOLINK  N600R存在逻辑缺陷漏洞");
	CHECK_STR(r->grade, "medium");         /* 中 */
	CHECK_STR(r->grade_basis, "cnvd");
	CHECK_STR(r->class_text, "通用软硬件漏洞");
	CHECK_STR(r->published, "2021-10-04T00:00:00Z");
	CHECK(r->modified == NULL);
	CHECK_STR(r->description.zh, "TOTOLINK N600R是一款无线路由器。\n\n吉翁电子（深圳）有限公司TOTOLINK  N600R存在逻辑缺陷漏洞，"
	          "攻击者可利用该漏洞获取敏感信息。");
	CHECK_STR(r->solution.zh, "厂商已提供漏洞修复方案，请关注厂商主页更新： \nhttps://www.totolink.net/");
	REQUIRE(r->n_affected == 1);
	CHECK_STR(r->affected[0].product, "吉翁电子（深圳）有限公司 TOTOLINK N600R V5.3c.2043");
	CHECK_STR(r->affected[0].source, "cnvd");
	REQUIRE(r->n_credits == 1);
	CHECK_STR(r->credits[0].name, "dota_st");
	CHECK_STR(r->credits[0].type, "finder");
	CHECK_INT(r->n_aliases, 1);
	CHECK(has_alias(r, "CNVD-2021-63686"));
	CHECK_INT(r->n_refs, 0);
	CHECK(has_prov(r, "grade"));
	CHECK(has_prov(r, "title.zh"));
	CHECK(has_prov(r, "published"));

	r = get(&c, "CNVD-2021-64035");
	REQUIRE(r);
	CHECK_STR(r->title.zh, "北京网御星云信息技术有限公司SSL VPN存在信息泄露漏洞");
	REQUIRE(r->n_affected == 1);
	CHECK_STR(r->affected[0].product, "北京网御星云信息技术有限公司 SSL VPN");   /* trailing blank trimmed */
	CHECK_STR(r->solution.zh, "厂商已提供漏洞修补方案，建议用户下载使用：\nhttps://www.leadsec.com.cn/");
	release(&c);
}

/* Two cve elements, one holding a BID number; '<' in the product version. */
static void t_chrome_two_cves(void)
{
	const char *want[] = {"CNVD-2019-03620", NULL};
	coll c = walk("521.xml", want);
	vd_record *r = get(&c, "CNVD-2019-03620");
	REQUIRE(r);
	CHECK_STR(r->title.zh, "Google Chrome内存错误引用漏洞（CNVD-2019-03620）");
	CHECK_INT(r->n_aliases, 2);
	CHECK(has_alias(r, "CVE-2018-16085"));
	CHECK(!has_alias(r, "105215"));
	REQUIRE(r->n_affected == 1);
	CHECK_STR(r->affected[0].product, "Google Chrome <69.0.3497.81");
	CHECK_STR(r->published, "2019-02-02T00:00:00Z");
	CHECK_INT(r->n_refs, 1);
	CHECK(has_ref(r, "http://www.securityfocus.com/bid/105215"));
	CHECK_STR(r->description.zh, "Google Chrome是美国谷歌（Google）公司开发的一款Web浏览器。\n\nGoogle Chrome "
	          "69.0.3497.81之前版本中ResourceCoordinator存在内存错误引用漏洞。远程攻击者可借助特制的HTML页面利用该漏洞破坏堆。");
	REQUIRE(r->n_credits == 1);
	CHECK(starts(r->credits[0].name, "Brendon Tiszka, cloudfuzzer"));
	release(&c);
}

/* A tab before the CVE id; two links in one referenceLink (CR LF between). */
static void t_gcc_tab_and_links(void)
{
	const char *want[] = {"CNVD-2016-03013", NULL};
	coll c = walk("291.xml", want);
	vd_record *r = get(&c, "CNVD-2016-03013");
	REQUIRE(r);
	CHECK(has_alias(r, "CVE-2016-4492"));
	CHECK_INT(r->n_aliases, 2);
	CHECK_INT(r->n_refs, 2);
	CHECK(has_ref(r, "https://gcc.gnu.org/bugzilla/show_bug.cgi?id=70926"));
	CHECK(has_ref(r, "http://www.openwall.com/lists/oss-security/2016/05/05/5"));
	REQUIRE(r->n_affected == 1);
	CHECK_STR(r->affected[0].product, "GNU GCC");
	CHECK_STR(r->description.zh, "GNU gcc（GNU Compiler Collection，GNU编译器套装）是GNU计划开发的一款开源的编程语言编译器。\n\n"
	          "GNU gcc的libiberty demangler库中存在安全漏洞。攻击者可利用该漏洞使主机应用程序崩溃。");
	CHECK_STR(r->published, "2016-05-12T00:00:00Z");
	release(&c);
}

/* cveNumber holding a BID only; discoverer with a trailing blank. */
static void t_bid_as_cve(void)
{
	const char *want[] = {"CNVD-2015-05226", NULL};
	coll c = walk("330.xml", want);
	vd_record *r = get(&c, "CNVD-2015-05226");
	REQUIRE(r);
	CHECK_INT(r->n_aliases, 1);
	REQUIRE(r->n_credits == 1);
	CHECK_STR(r->credits[0].name, "Tom Adams");
	CHECK_STR(r->title.zh, "WordPress Flickr Justified Gallery插件'fjgwpp.php'跨站脚本漏洞");
	CHECK_STR(r->solution.zh, "用户可参考如下供应商提供的安全公告获得补丁信息：\n"
	          "https://wordpress.org/plugins/flickr-justified-gallery/changelog/");
	release(&c);
}

/* Links separated by "; ", cveUrl kept as an advisory reference, no patch. */
static void t_mitel_links(void)
{
	const char *want[] = {"CNVD-2020-73771", NULL};
	coll c = walk("727.xml", want);
	vd_record *r = get(&c, "CNVD-2020-73771");
	REQUIRE(r);
	CHECK(has_alias(r, "CVE-2020-28351"));
	CHECK_INT(r->n_refs, 2);
	CHECK(has_ref(r, "https://www.exploit-db.com/exploits/49026"));
	CHECK(has_ref(r, "https://nvd.nist.gov/vuln/detail/CVE-2020-28351"));
	CHECK_INT(r->n_credits, 0);
	CHECK_STR(r->grade, "medium");
	CHECK(starts(r->solution.zh, "目前厂商暂未发布修复措施解决此安全问题"));
	release(&c);
}

/* 2017 file: junk discoverer skipped; 高 → high; <= in product; event type. */
static void t_junk_and_event(void)
{
	const char *want[] = {"CNVD-2017-01756", "CNVD-2017-01579", NULL};
	coll c = walk("250.xml", want);
	vd_record *r = get(&c, "CNVD-2017-01756");
	REQUIRE(r);
	CHECK_STR(r->grade, "high");
	CHECK_INT(r->n_credits, 0);            /* "unknown" */
	REQUIRE(r->n_affected == 1);
	CHECK_STR(r->affected[0].product, "moodle Moodle <=3.0.20");
	CHECK(has_ref(r, "http://cve.mitre.org/cgi-bin/cvename.cgi?name=CVE-2017-5954"));
	CHECK(has_ref(r, "https://github.com/justinhunt/moodle-filter_poodll/issues/23"));
	r = get(&c, "CNVD-2017-01579");
	REQUIRE(r);
	CHECK_STR(r->title.zh, "ATutor LMS install_modules.php CSRF远程代码执行漏洞");
	CHECK(has_alias(r, "CVE-2016-2539"));
	CHECK_STR(r->published, "2017-02-20T00:00:00Z");
	release(&c);

	const char *want2[] = {"CNVD-2015-05335", NULL};
	c = walk("325.xml", want2);
	r = get(&c, "CNVD-2015-05335");
	REQUIRE(r);
	CHECK_STR(r->class_text, "事件型漏洞");
	CHECK_STR(r->solution.zh, "增加对配置文件的房屋权限控制。");
	CHECK_STR(r->credits[0].name, "张吉良、赵柏昌、王建勇、王延波、李山、李春鹏、李文轩、徐彬、徐文超。");
	release(&c);
}

static void t_bad_values(void)
{
	vd_record *r = NULL;
	json_t *j = json_pack("{s:s, s:s}", "number", "", "serverity", "高");
	CHECK_INT(vd_cnvd_to_record(j, &r), VD_EINVAL);
	CHECK(strstr(vd_error_msg(), "number") != NULL);
	json_decref(j);
	j = json_pack("{s:s, s:s}", "number", "CNNVD-2020-1", "openTime", "2020-01-01");
	CHECK_INT(vd_cnvd_to_record(j, &r), VD_EINVAL);
	json_decref(j);
	CHECK_INT(vd_cnvd_to_record(NULL, &r), VD_EINVAL);
	/* no severity at all (6 real entries lack it), odd date: record kept */
	j = json_pack("{s:s, s:s, s:s}", "number", "CNVD-2020-00001", "openTime", "not a date", "title", "标题");
	CHECK_INT(vd_format_detect(j), VD_FMT_CNVD);
	CHECK_INT(vd_cnvd_to_record(j, &r), VD_OK);
	REQUIRE(r);
	CHECK(r->grade == NULL);
	CHECK(r->published == NULL);
	CHECK_STR(r->title.zh, "标题");
	vd_record_free(r);
	json_decref(j);
}

int main(void)
{
	RUN(t_counts);
	RUN(t_2021_totolink);
	RUN(t_chrome_two_cves);
	RUN(t_gcc_tab_and_links);
	RUN(t_bid_as_cve);
	RUN(t_mitel_links);
	RUN(t_junk_and_event);
	RUN(t_bad_values);
	return vt_done();
}
