/* CNNVD XML reader: the XML splitter + vd_cnnvd_to_record over the real
 * files in ../shared/data/cnnvd (counts per file, records field by field,
 * checked by reading the XML). */
#include "harness.h"
#include "vulnd/formats.h"
#include "vulnd/error.h"
#include <jansson.h>

#define COLLECT_FMT VD_FMT_CNNVD
#define COLLECT_SRC "cnnvd"
#include "formats/collect.h"

/* Counts per file as listed in SOURCES-cn.md; every entry converts. */
static void t_counts(void)
{
	static const struct { const char *file; long n; } files[] = {
		{"cnnvd-2000.xml", 1035}, {"cnnvd-2001.xml", 1701}, {"cnnvd-latest-2019-11-20.xml", 344},
		{"cnnvd-latest-2019-11-22.xml", 676}, {"cnnvd-2010-download-2023.xml", 4654},
	};
	long total = 0;
	for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
		coll c = walk(files[i].file, NULL);
		CHECK_INT(c.docs, files[i].n);
		CHECK_INT(c.records, files[i].n);
		CHECK_INT(c.bad, 0);
		CHECK_INT(c.conv_bad, 0);
		CHECK_INT(c.detected_other, 0);
		total += c.records;
	}
	CHECK_INT(total, 8410);
}

/* 2000.xml: namespaced root split by CRs, CPE 2.2, escaped markup in the solution. */
static void t_2000_phorum(void)
{
	const char *want[] = {"CNNVD-200012-204", NULL};
	coll c = walk("cnnvd-2000.xml", want);
	vd_record *r = get(&c, "CNNVD-200012-204");
	REQUIRE(r);
	CHECK_INT(r->state, VD_STATE_PUBLISHED);
	CHECK_STR(r->title.zh, "Phorum violation.php3转发任意邮件漏洞");
	CHECK(r->title.en == NULL);
	CHECK_STR(r->published, "2000-01-01T00:00:00Z");
	CHECK_STR(r->modified, "2005-10-20T00:00:00Z");
	CHECK_STR(r->grade, "medium");         /* 中危 */
	CHECK_STR(r->grade_basis, "cnnvd");
	CHECK_STR(r->class_text, "输入验证");
	CHECK(starts(r->description.zh, "Phorum是Phorum团队开发的一套基于PHP和MySQL的开源论坛应用程序。"));
	CHECK_STR(r->solution.zh, "厂商补丁： \nBrian Moon \n---------- \n目前厂商已经发布了升级补丁以修复这个安全问题，"
	          "请到厂商的主页下载： \nBrian Moon Upgrade Phorum 3.2.11 \n<a href=\" \n"
	          "http://phorum.sourceforge.net/downloads/phorum-3.2.11.tar.gz\" target=\"_blank\"> \n"
	          "http://phorum.sourceforge.net/downloads/phorum-3.2.11.tar.gz</a>");
	CHECK_INT(r->n_aliases, 2);
	CHECK(has_alias(r, "CNNVD-200012-204"));
	CHECK(has_alias(r, "CVE-2000-1234"));
	REQUIRE(r->n_affected == 1);
	CHECK_INT(r->affected[0].n_cpes, 1);
	CHECK_STR(r->affected[0].cpes[0], "CPE:/a:phorum:phorum:3.0.7:::");
	CHECK_STR(r->affected[0].vendor, "phorum");
	CHECK_STR(r->affected[0].product, "phorum");
	REQUIRE(r->affected[0].n_versions == 1);
	CHECK_STR(r->affected[0].versions[0], "3.0.7");
	CHECK_STR(r->affected[0].source, "cnnvd");
	CHECK_INT(r->n_refs, 2);
	CHECK(has_ref(r, "http://www.securityfocus.com/bid/2272"));
	CHECK(has_ref(r, "http://cert.uni-stuttgart.de/archive/bugtraq/2000/01/msg00215.html"));
	REQUIRE(r->n_credits == 1);
	CHECK_STR(r->credits[0].name, "JFS jfs@gibnet.gi");
	CHECK(has_prov(r, "title.zh"));
	CHECK(has_prov(r, "grade"));
	CHECK(has_prov(r, "solution.zh"));
	CHECK(vd_record_validate(r) == VD_OK);
	release(&c);
}

/* 2001.xml: hardware CPE without version; empty severity and cve-id;
 * two vulnerable-configuration blocks; markup decoded in source/description;
 * empty vuln-type. */
static void t_2001_records(void)
{
	const char *want[] = {"CNNVD-200101-004", "CNNVD-201503-469", "CNNVD-200101-072", "CNNVD-200102-045", NULL};
	coll c = walk("cnnvd-2001.xml", want);
	vd_record *r = get(&c, "CNNVD-200101-004");
	REQUIRE(r);
	CHECK_STR(r->title.zh, "Cisco AP340基站漏洞");
	CHECK_STR(r->description.zh, "Cisco AP340基站产生可预测TCP初始序列号(ISNs)，远程攻击者可以哄骗或者劫持TCP连接。");
	CHECK_STR(r->published, "2001-01-01T00:00:00Z");
	CHECK_STR(r->grade, "medium");
	CHECK_STR(r->class_text, "未知");
	CHECK(r->solution.zh == NULL);         /* empty element → absent */
	CHECK_INT(r->n_credits, 0);            /* empty <source> */
	REQUIRE(r->n_affected == 1);
	CHECK_STR(r->affected[0].cpes[0], "CPE:/h:cisco:aironet_ap340::::");
	CHECK_STR(r->affected[0].vendor, "cisco");
	CHECK_STR(r->affected[0].product, "aironet_ap340");
	CHECK_INT(r->affected[0].n_versions, 0);
	CHECK(has_alias(r, "CVE-2001-0163"));
	CHECK_INT(r->n_refs, 1);
	CHECK(has_ref(r, "http://www.cs.jhu.edu/~seny/pubs/wince802.pdf"));

	r = get(&c, "CNNVD-201503-469");
	REQUIRE(r);
	CHECK_STR(r->title.zh, "phpPgAdmin 输入验证错误漏洞");
	CHECK_STR(r->published, "2001-07-02T00:00:00Z");
	CHECK_STR(r->modified, "2015-03-24T00:00:00Z");
	CHECK(r->grade == NULL && r->grade_basis == NULL);   /* empty severity */
	CHECK(!has_prov(r, "grade"));
	CHECK_INT(r->n_aliases, 1);            /* empty cve-id */
	CHECK_INT(r->n_affected, 0);
	CHECK_STR(r->solution.zh, "目前厂商已经发布了升级补丁以修复此安全问题，补丁获取链接： \n"
	          "http://ftp.greatbridge.org/pub/phppgadmin/stable/");
	REQUIRE(r->n_credits == 1);
	CHECK_STR(r->credits[0].name, "Published in a Secure Reality Security Advisory on July 2, 2001.");
	CHECK(has_ref(r, "http://www.securityfocus.com/bid/2967"));

	r = get(&c, "CNNVD-200101-072");
	REQUIRE(r);
	CHECK_STR(r->grade, "high");           /* 高危 */
	CHECK_STR(r->class_text, "竞争条件");
	CHECK_STR(r->description.zh, "多种Unix系统中的多个shell程序，包括：(1)tcsh，(2)csh，(3)sh，和(4)bash在处理<< "
	          "重新传送(又称为here-documents或者in-here documents)时后缀符号链接，本地用户借助一个符号链接攻击覆盖其他用户的文件。");
	REQUIRE(r->n_credits == 1);
	CHECK(strstr(r->credits[0].name, "Paul Szabo <psz@maths.usyd.edu.au>") != NULL);
	/* 44 CPE strings (2 configurations + the software list), 22 distinct,
	 * 9 vendor/product pairs: one affected entry each */
	REQUIRE(r->n_affected == 9);
	size_t ncpe = 0;
	for (size_t i = 0; i < r->n_affected; i++)
		ncpe += r->affected[i].n_cpes;
	CHECK_INT(ncpe, 22);
	CHECK_STR(r->affected[0].vendor, "conectiva");
	CHECK_STR(r->affected[0].product, "linux");
	CHECK_STR(r->affected[0].cpes[0], "CPE:/o:conectiva:linux:5.0:::");
	CHECK_INT(r->affected[0].n_cpes, 6);
	CHECK_INT(r->affected[0].n_versions, 6);
	CHECK_STR(r->affected[0].versions[4], "4.0es");
	const vd_affected *rh = NULL;
	for (size_t i = 0; i < r->n_affected; i++)
		if (strcmp(r->affected[i].vendor, "redhat") == 0)
			rh = &r->affected[i];
	REQUIRE(rh);
	CHECK_INT(rh->n_versions, 5);          /* 6.2e 6.2 6.1 5.2 6.0 */

	r = get(&c, "CNNVD-200102-045");
	REQUIRE(r);
	CHECK_STR(r->title.zh, "Lotus Domino Server远程目录遍历漏洞");
	CHECK(r->class_text == NULL);          /* empty vuln-type */
	CHECK_STR(r->published, "2001-01-05T00:00:00Z");
	REQUIRE(r->n_credits == 1);
	CHECK_STR(r->credits[0].name, "Georgi Guninski※ guninski@guninski.com");
	REQUIRE(r->n_affected == 1);           /* four versions of one product */
	CHECK_STR(r->affected[0].vendor, "lotus");
	CHECK_STR(r->affected[0].product, "domino_server");
	REQUIRE(r->affected[0].n_cpes == 4 && r->affected[0].n_versions == 4);
	CHECK_STR(r->affected[0].cpes[3], "CPE:/a:lotus:domino_server:5.0.6:::");
	CHECK_STR(r->affected[0].versions[0], "5.0.2");
	CHECK_STR(r->affected[0].versions[3], "5.0.6");
	CHECK_INT(r->n_refs, 5);
	CHECK(has_alias(r, "CVE-2001-0009"));
	CHECK(starts(r->description.zh, "Lotus Domino是一种跨平台的WEB服务器，集成了很多交互式WEB应用程序。 \nLotus Domino对用户请求"));
	release(&c);
}

/* Daily file: a re-issued entry with the placeholder date 1900-01-01, kept. */
static void t_daily_1900(void)
{
	const char *want[] = {"CNNVD-201310-156", "CNNVD-201911-1124", NULL};
	coll c = walk("cnnvd-latest-2019-11-20.xml", want);
	vd_record *r = get(&c, "CNNVD-201310-156");
	REQUIRE(r);
	CHECK_STR(r->title.zh, "klibc 代码注入漏洞");
	CHECK_STR(r->published, "1900-01-01T00:00:00Z");
	CHECK_STR(r->modified, "2019-11-20T00:00:00Z");
	CHECK_STR(r->grade, "critical");       /* 超危 */
	CHECK_STR(r->class_text, "其他");
	CHECK(has_alias(r, "CVE-2011-1930"));
	CHECK_INT(r->n_refs, 6);
	CHECK(has_ref(r, "https://access.redhat.com/security/cve/cve-2011-1930"));
	REQUIRE(r->n_credits == 1);
	CHECK_STR(r->credits[0].name, "maximilian attems");
	CHECK_INT(r->n_affected, 0);

	r = get(&c, "CNNVD-201911-1124");
	REQUIRE(r);
	CHECK_STR(r->title.zh, "Micro Focus Operations Agent 代码问题漏洞");
	CHECK(r->grade == NULL);
	CHECK_STR(r->class_text, "代码问题");
	CHECK_STR(r->published, "2019-11-18T00:00:00Z");
	CHECK(has_alias(r, "CVE-2019-17085"));
	CHECK_INT(r->n_refs, 3);
	CHECK_STR(r->solution.zh, "目前厂商已发布升级补丁以修复漏洞，补丁获取链接： \n"
	          "https://softwaresupport.softwaregrp.com/doc/KM03556426");
	release(&c);
}

/* 2023 web download: no namespace, fewer elements, double-escaped text. */
static void t_download_2023(void)
{
	const char *want[] = {"CNNVD-201008-302", "CNNVD-201002-169", "CNNVD-201001-307", NULL};
	coll c = walk("cnnvd-2010-download-2023.xml", want);
	vd_record *r = get(&c, "CNNVD-201008-302");
	REQUIRE(r);
	CHECK_STR(r->title.zh, "Apache OpenOffice 数字错误漏洞");
	CHECK_STR(r->published, "2010-01-01T00:00:00Z");
	CHECK_STR(r->modified, "2023-04-26T00:00:00Z");
	CHECK_STR(r->grade, "critical");
	CHECK_STR(r->class_text, "数字错误");
	CHECK(starts(r->description.zh, "Apache OpenOffice是美国阿帕奇（Apache）基金会的一款开源的办公软件套件。"));
	CHECK_INT(r->n_aliases, 2);
	CHECK(has_alias(r, "CVE-2010-2936"));
	CHECK(r->solution.zh == NULL);
	CHECK_INT(r->n_credits, 0);
	CHECK_INT(r->n_affected, 0);
	CHECK_INT(r->n_refs, 0);

	r = get(&c, "CNNVD-201002-169");
	REQUIRE(r);
	CHECK_STR(r->class_text, "代码注入");
	CHECK(strstr(r->description.zh, "可以通过&lt;ruby&gt;&gt;&lt;table&gt;&lt;rt&gt;序列验证。") != NULL);

	r = get(&c, "CNNVD-201001-307");
	REQUIRE(r);
	CHECK(r->grade == NULL);
	CHECK_STR(r->class_text, "授权问题");
	CHECK(has_alias(r, "CVE-2009-3734"));
	release(&c);
}

/* Converter on hand-made values: shapes the splitter produces, bad ids. */
static void t_bad_values(void)
{
	vd_record *r = NULL;
	json_t *j = json_pack("{s:s}", "vuln-id", "");
	CHECK_INT(vd_cnnvd_to_record(j, &r), VD_EINVAL);
	CHECK(strstr(vd_error_msg(), "vuln-id") != NULL);
	json_decref(j);
	j = json_pack("{s:s}", "vuln-id", "CVE-2020-0001");
	CHECK_INT(vd_cnnvd_to_record(j, &r), VD_EINVAL);
	json_decref(j);
	j = json_string("CNNVD-200001-001");
	CHECK_INT(vd_cnnvd_to_record(j, &r), VD_EINVAL);
	json_decref(j);
	CHECK_INT(vd_cnnvd_to_record(NULL, &r), VD_EINVAL);
	/* cve-id "null", unknown severity, repeated other-id: record kept */
	j = json_pack("{s:s, s:s, s:[{s:s},{s:s}], s:s}", "vuln-id", " CNNVD-202001-001 ", "severity", "严重",
	              "other-id", "cve-id", "null", "cve-id", "CVE-2020-1234, CVE-2020-5678", "name", "测试");
	CHECK_INT(vd_cnnvd_to_record(j, &r), VD_OK);
	REQUIRE(r);
	CHECK_STR(r->id, "CNNVD-202001-001");
	CHECK(r->grade == NULL);
	CHECK_INT(r->n_aliases, 3);
	CHECK(has_alias(r, "CVE-2020-5678"));
	CHECK_INT(vd_format_detect(j), VD_FMT_CNNVD);
	vd_record_free(r);
	json_decref(j);
}

int main(void)
{
	RUN(t_counts);
	RUN(t_2000_phorum);
	RUN(t_2001_records);
	RUN(t_daily_1900);
	RUN(t_download_2023);
	RUN(t_bad_values);
	return vt_done();
}
