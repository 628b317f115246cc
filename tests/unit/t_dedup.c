/* The duplicate / originality check on real records: the catalogue is the
 * CVE JSON 5 slice plus one CNNVD daily file from ../shared/data; each
 * report below was written by hand from one of those records — reworded,
 * or translated zh↔en, with the product version changed and no CVE id
 * given.  The original must be among the top 3 candidates for at least
 * 90 % of the reports; the figure is printed. */
#include "harness.h"
#include "vulnd/service.h"
#include "vulnd/workflow.h"
#include "vulnd/error.h"
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

typedef struct {
	const char *original;   /* id or alias of the record the report was written from */
	const char *title, *description, *product, *version, *cwe;
} report;

static const report reports[] = {
	/* from English CVE records, reworded in English */
	{"CVE-2024-34066", "Leaked Wings token lets an attacker read and write any file on the node",
	 "Pterodactyl Wings, the daemon behind Pterodactyl Panel, trusts anyone holding the node token. Once the "
	 "token leaks (for example from the node configuration page) it can be used to read and write arbitrary "
	 "files on the machine running Wings.", "wings", "1.11.9", "CWE-552"},
	{"CVE-2024-2147", "Login page of Online Mobile Management Store is open to SQL injection",
	 "The username field of /admin/login.php in the SourceCodester Online Mobile Management Store is put into "
	 "a database query unescaped, so a remote visitor can inject SQL.", "Online Mobile Management Store", "1.1",
	 "CWE-89"},
	{"CVE-2023-43644", "sing-box SOCKS5 inbound user authentication can be skipped",
	 "In the sing-box proxy, SOCKS5 inbounds configured with username/password authentication accept specially "
	 "formed requests without checking the credentials, so authentication is bypassed.", "sing-box", "1.4.2",
	 "CWE-306"},
	{"CVE-2024-3767", "edit-post.php in PHPGurukul News Portal allows SQL injection via posttitle",
	 "An authenticated request to /admin/edit-post.php of PHPGurukul News Portal can inject SQL through the "
	 "posttitle parameter.", "News Portal", "4.0", "CWE-89"},
	{"CVE-2024-32473", "Moby leaves IPv6 enabled on interfaces of IPv4-only networks",
	 "With Moby (Docker Engine) 26.0.1, network interfaces of containers attached to networks created as "
	 "IPv4-only still get IPv6 enabled, including the ones of the default bridge, exposing containers over IPv6.",
	 "moby", "26.0.1", NULL},
	{"CVE-2023-20897", "Salt master stops answering minion returns after malformed packets",
	 "Sending a number of broken packets to the request server of a Salt master, as many as it has worker "
	 "threads, makes the master unresponsive to return requests until it is restarted: a denial of service.",
	 "Salt", "3005.1", NULL},
	/* from English CVE records, translated into Chinese */
	{"CVE-2024-34443", "WordPress 插件 Slider Revolution 存储型跨站脚本漏洞",
	 "ThemePunch OHG 开发的 Slider Revolution 插件在生成网页时未正确过滤用户输入，攻击者可注入脚本，形成存储型跨站脚本（XSS）。",
	 "Slider Revolution", "6.7.9", "CWE-79"},
	{"CVE-2024-4071", "Kashipara Online Furniture Shopping Ecommerce Website prodInfo.php SQL注入漏洞",
	 "Kashipara Online Furniture Shopping Ecommerce Website 的 prodInfo.php 文件对参数 prodId 处理不当，远程攻击者可借此实施SQL注入。",
	 "Online Furniture Shopping Ecommerce Website", "1.2", "CWE-89"},
	{"CVE-2024-3766", "OwlAdmin 图片上传接口跨站脚本漏洞",
	 "slowlyo OwlAdmin 的图片文件上传组件（/admin-api/upload_image）存在跨站脚本问题，可通过上传的文件触发。",
	 "OwlAdmin", "3.5.8", "CWE-79"},
	{"CVE-2023-32740", "WordPress Custom 404 Pro 插件反射型跨站脚本漏洞",
	 "Kunal Nagar 的 Custom 404 Pro 插件存在未经身份验证的反射型跨站脚本（XSS）漏洞。", "Custom 404 Pro", "3.8.0",
	 "CWE-79"},
	{"CVE-2024-30464", "Social Icons Widget & Block by WPZOOM 缺少授权检查",
	 "WPZOOM 的 Social Icons Widget & Block 插件缺少授权检查（访问控制失效），低权限用户可执行本不应允许的操作。",
	 "Social Icons Widget & Block by WPZOOM", "4.2.10", "CWE-862"},
	{"CVE-2024-21409", ".NET 与 Visual Studio 远程代码执行漏洞",
	 "Microsoft .NET、.NET Framework 以及 Visual Studio 2022 中存在释放后重用问题，可导致远程代码执行。",
	 "Microsoft Visual Studio 2022", "17.8", "CWE-416"},
	/* from Chinese CNNVD records, reworded in Chinese */
	{"CNNVD-201911-429", "Shibboleth SP keygen.sh 生成的私钥文件所有人可读",
	 "Shibboleth SP 的 keygen.sh 脚本调用 OpenSSL 生成 DES 私钥时没有限制文件权限，本地任何用户都能读取私钥，造成信息泄露。",
	 "Shibboleth", "2.1", NULL},
	{"CNNVD-201908-931", "HTTP/2 实现中的资源管理错误可被用来拒绝服务",
	 "多个 HTTP/2 实现对资源的管理有缺陷，远程攻击者发送特制的帧序列即可耗尽服务器资源，使其拒绝服务。", "HTTP/2", NULL,
	 NULL},
	{"CNNVD-201911-1150", "Facebook HHVM serialize_memoize_param 函数资源管理问题",
	 "HipHop Virtual Machine（HHVM）3.12 系列中 serialize_memoize_param() 与 ResourceBundle::__construct() "
	 "对内存等资源的使用缺乏限制，攻击者可借此耗尽资源。", "HHVM", "3.12.5", NULL},
	{"CNNVD-201911-983", "Blade Shadow 云游戏客户端网络协议缺陷可致远程代码执行",
	 "法国 Blade 公司的 Blade Shadow 云游戏平台客户端所用网络协议存在问题，远程攻击者知道用户 IP 地址后即可接管 Shadow "
	 "实例并执行任意代码。", "Blade Shadow", "2.13.1", NULL},
	/* from Chinese CNNVD records, translated into English */
	{"CNNVD-201908-299", "IBM SDK Java Technology Edition on AIX lets local users inject code",
	 "In IBM SDK, Java Technology Edition running on AIX, a local attacker can inject code and escalate "
	 "privileges (a permissions and access control problem).", "IBM SDK, Java Technology Edition", "7.1", NULL},
	{"CNNVD-201910-943", "Oracle Java SE Scripting component flaw allows unauthorised data changes",
	 "The Scripting component of Oracle Java SE and Java SE Embedded lets an attacker update, insert or delete "
	 "data without authorisation and cause a denial of service.", "Oracle Java SE", "8u211", NULL},
	{"CNNVD-201310-526", "CloudBees Jenkins input validation flaw before 1.480",
	 "CloudBees Jenkins (the continuous integration server, also its LTS line) does not validate input properly, "
	 "so an attacker can act on the Jenkins host.", "Jenkins", "1.470", NULL},
	{"CNNVD-201911-653", "Buffer error in Cisco Firepower Threat Defense and ASA software",
	 "Cisco Firepower Threat Defense (FTD) and Cisco Adaptive Security Appliances (ASA) software contain a "
	 "buffer error (buffer overflow) that a remote attacker can trigger.", "Cisco Adaptive Security Appliances Software",
	 "9.8", NULL},
};

static void t_dedup_real(void)
{
	const char *shared = vt_shared();
	REQUIRE(shared != NULL);
	char dir[256], db[300], cve5[4200], cnnvd[4200];
	snprintf(dir, sizeof dir, "/tmp/vd_t_dedup.XXXXXX");
	REQUIRE(mkdtemp(dir) != NULL);
	snprintf(db, sizeof db, "%s/d.db", dir);
	vd_service *s = NULL;
	REQUIRE(vd_service_open(db, true, &s) == VD_OK);
	vd_service_library_ensure_default(s);
	snprintf(cve5, sizeof cve5, "%s/data/cve5", shared);
	snprintf(cnnvd, sizeof cnnvd, "%s/data/cnnvd/cnnvd-latest-2019-11-20.xml", shared);
	vd_import_stats st;
	memset(&st, 0, sizeof st);
	CHECK(vd_service_import(s, VD_FMT_AUTO, cve5, NULL, &st) == VD_OK);
	memset(&st, 0, sizeof st);
	CHECK(vd_service_import(s, VD_FMT_CNNVD, cnnvd, NULL, &st) == VD_OK);
	vd_store_stats ss;
	REQUIRE(vd_service_db_stats(s, &ss) == VD_OK);
	printf("# catalogue: %llu records\n", (unsigned long long)ss.records);
	CHECK(ss.records > 1500);
	vd_principal admin = vd_principal_local("cli");
	size_t n = sizeof reports / sizeof reports[0], top1 = 0, top3 = 0;
	for (size_t i = 0; i < n; i++) {
		const report *r = &reports[i];
		vd_record *orig = NULL;
		if (vd_service_get(s, VD_VIEW_ALL, r->original, &orig) != VD_OK) {
			fprintf(stderr, "  original %s is not in the catalogue\n", r->original);
			CHECK(0);
			continue;
		}
		vd_report_in in;
		memset(&in, 0, sizeof in);
		in.title = r->title;
		in.description = r->description;
		in.product = r->product;
		in.version = r->version;
		in.cwe = r->cwe;
		int64_t id = 0;
		vd_dedup_candidate top[VD_DEDUP_TOP];
		size_t nt = 0;
		CHECK(vd_service_report_submit(s, &admin, &in, &id, top, &nt) == VD_OK);
		int rank = 0;
		for (size_t k = 0; k < nt && !rank; k++)
			if (strcmp(top[k].id, orig->id) == 0)
				rank = (int)k + 1;
		if (rank == 1)
			top1++;
		if (rank && rank <= 3)
			top3++;
		printf("  %-18s rank %d  %s\n", r->original, rank, nt ? top[rank ? rank - 1 : 0].why : "-");
		if (!rank || rank > 3)
			for (size_t k = 0; k < nt; k++)
				printf("      got %-20s %.2f %s\n", top[k].id, top[k].score, top[k].why);
		vd_record_free(orig);
	}
	double fig = 100.0 * (double)top3 / (double)n;
	printf("# duplicate check: original in the top 3 for %zu of %zu reports (%.0f %%), first for %zu\n", top3, n, fig,
	       top1);
	CHECK(fig >= 90.0);
	vd_service_close(s);
	char cmd[600];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		fprintf(stderr, "could not remove %s\n", dir);
}

/* The pieces alone: CJK bigrams, concepts across languages, versions ignored. */
static void t_dedup_pure(void)
{
	const char *p1[] = {"Apache Struts"}, *v1[] = {"2.3.1"}, *v2[] = {"2.5.0"};
	vd_dedup_input a = {.text = {"Apache Struts 远程代码执行漏洞：OGNL 表达式注入", NULL}, .products = p1, .n_products = 1,
	                    .versions = v1, .n_versions = 1};
	vd_dedup_input b = {.text = {"Remote code execution in Apache Struts through OGNL expression injection", NULL},
	                    .products = p1, .n_products = 1, .versions = v2, .n_versions = 1};
	vd_dedup_input c = {.text = {"Cross-site scripting in the search page of a blog engine", NULL}};
	vd_dedup_doc *da = NULL, *db = NULL, *dc = NULL;
	REQUIRE(vd_dedup_build(&a, &da) == VD_OK && vd_dedup_build(&b, &db) == VD_OK && vd_dedup_build(&c, &dc) == VD_OK);
	char why[256];
	double ab = vd_dedup_score(da, db, why, sizeof why), ac = vd_dedup_score(da, dc, NULL, 0);
	CHECK(ab > ac);
	CHECK(strstr(why, "same product") != NULL);
	const char *cv[] = {"CVE-2017-5638"};
	vd_dedup_input e = c;
	e.cves = cv;
	e.n_cves = 1;
	vd_dedup_input f = {.text = {"something else entirely", NULL}, .cves = cv, .n_cves = 1};
	vd_dedup_doc *de = NULL, *df = NULL;
	REQUIRE(vd_dedup_build(&e, &de) == VD_OK && vd_dedup_build(&f, &df) == VD_OK);
	CHECK(vd_dedup_score(de, df, why, sizeof why) >= 0.97);
	CHECK(strstr(why, "same CVE id CVE-2017-5638") != NULL);
	/* two Chinese texts share bigrams */
	vd_dedup_input g = {.text = {"路由器管理界面存在缓冲区溢出", NULL}}, h = {.text = {"该路由器的管理界面有缓冲区溢出问题", NULL}};
	vd_dedup_doc *dg = NULL, *dh = NULL;
	REQUIRE(vd_dedup_build(&g, &dg) == VD_OK && vd_dedup_build(&h, &dh) == VD_OK);
	CHECK(vd_dedup_score(dg, dh, NULL, 0) > 0.3);
	/* invalid UTF-8 is skipped, not a crash */
	vd_dedup_input bad = {.text = {"\xff\xfe\xfd", NULL}};
	vd_dedup_doc *dbad = NULL;
	CHECK(vd_dedup_build(&bad, &dbad) == VD_OK);
	vd_dedup_free(dbad);
	vd_dedup_free(da);
	vd_dedup_free(db);
	vd_dedup_free(dc);
	vd_dedup_free(de);
	vd_dedup_free(df);
	vd_dedup_free(dg);
	vd_dedup_free(dh);
}

int main(void)
{
	RUN(t_dedup_pure);
	RUN(t_dedup_real);
	return vt_done();
}
