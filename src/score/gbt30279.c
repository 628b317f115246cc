/* GB/T 30279-2020: classification tree, CWE → class table, metric vectors
 * and table-driven grading.  See vulnd/gbt30279.h and docs/gbt30279.md. */
#include "vulnd/gbt30279.h"
#include "vulnd/error.h"
#include "vulnd/util.h"
#include "gbt30279_table.h"
#include <ctype.h>
#include <math.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* ---------------------------------------------------------------- tree */

static const vd_gbt_class classes[] = {
	{"1", NULL, "代码问题", "Code issues"},
	{"1.1", "1", "资源管理错误", "Resource management errors"},
	{"1.2", "1", "输入验证错误", "Input validation errors"},
	{"1.2.1", "1.2", "缓冲区错误", "Buffer errors"},
	{"1.2.2", "1.2", "注入", "Injection"},
	{"1.2.2.1", "1.2.2", "SQL注入", "SQL injection"},
	{"1.2.2.2", "1.2.2", "代码注入", "Code injection"},
	{"1.2.2.3", "1.2.2", "命令注入", "Command injection"},
	{"1.2.2.4", "1.2.2", "跨站脚本", "Cross-site scripting"},
	{"1.2.2.5", "1.2.2", "格式化字符串错误", "Format string errors"},
	{"1.2.3", "1.2", "路径遍历", "Path traversal"},
	{"1.2.4", "1.2", "后置链接", "Link following"},
	{"1.2.5", "1.2", "跨站请求伪造", "Cross-site request forgery"},
	{"1.3", "1", "数字错误", "Numeric errors"},
	{"1.4", "1", "竞争条件问题", "Race conditions"},
	{"1.5", "1", "处理逻辑错误", "Processing logic errors"},
	{"1.6", "1", "加密问题", "Cryptographic issues"},
	{"1.7", "1", "授权问题", "Authorization issues"},
	{"1.7.1", "1.7", "权限许可和访问控制问题", "Permissions, privileges and access control"},
	{"1.7.2", "1.7", "信任管理问题", "Trust management"},
	{"1.8", "1", "数据转换问题", "Data conversion issues"},
	{"1.9", "1", "未声明功能", "Undeclared functionality"},
	{"2", NULL, "配置错误", "Configuration errors"},
	{"3", NULL, "环境问题", "Environment issues"},
	{"3.1", "3", "信息泄露", "Information disclosure"},
	{"3.1.1", "3.1", "日志信息泄露", "Information disclosure through logs"},
	{"3.1.2", "3.1", "调试信息泄露", "Information disclosure through debug information"},
	{"3.1.3", "3.1", "侧信道信息泄露", "Side-channel information disclosure"},
	{"3.2", "3", "故障注入", "Fault injection"},
	{"4", NULL, "其他", "Other"},
};
#define NCLASSES (sizeof classes / sizeof *classes)

size_t vd_gbt_class_count(void) { return NCLASSES; }
const vd_gbt_class *vd_gbt_class_at(size_t i) { return i < NCLASSES ? &classes[i] : NULL; }

const vd_gbt_class *vd_gbt_class_get(const char *code)
{
	if (!code)
		return NULL;
	for (size_t i = 0; i < NCLASSES; i++)
		if (strcmp(classes[i].code, code) == 0)
			return &classes[i];
	return NULL;
}

const vd_gbt_class *vd_gbt_class_parent(const vd_gbt_class *c)
{
	return c && c->parent ? vd_gbt_class_get(c->parent) : NULL;
}

const vd_gbt_class *vd_gbt_class_other(void) { return vd_gbt_class_get(VD_GBT_CLASS_OTHER); }

/* Other spellings sources use for the classes (CNNVD vuln-type values). */
static const struct { const char *name, *code; } synonyms[] = {
	{"缓冲区溢出", "1.2.1"}, {"边界条件错误", "1.2.1"}, {"输入验证", "1.2"},
	{"格式化字符串", "1.2.2.5"}, {"操作系统命令注入", "1.2.2.3"}, {"竞争条件", "1.4"},
	{"未声明问题", "1.9"}, {"权限许可和访问控制", "1.7.1"}, {"访问控制错误", "1.7.1"},
	{"信任管理", "1.7.2"}, {"访问验证错误", "1.7"}, {"环境条件错误", "3"},
	{"XSS", "1.2.2.4"}, {"CSRF", "1.2.5"}, {"Other", "4"},
};

const vd_gbt_class *vd_gbt_class_by_name(const char *name)
{
	if (!name)
		return NULL;
	while (*name == ' ' || *name == '\t' || *name == '\n' || *name == '\r')
		name++;
	size_t n = strlen(name);
	while (n && (name[n - 1] == ' ' || name[n - 1] == '\t' || name[n - 1] == '\n' || name[n - 1] == '\r'))
		n--;
	if (!n)
		return NULL;
	for (size_t i = 0; i < NCLASSES; i++)
		if ((strlen(classes[i].zh) == n && memcmp(classes[i].zh, name, n) == 0) ||
		    (strlen(classes[i].en) == n && strncasecmp(classes[i].en, name, n) == 0))
			return &classes[i];
	for (size_t i = 0; i < sizeof synonyms / sizeof *synonyms; i++)
		if (strlen(synonyms[i].name) == n && strncasecmp(synonyms[i].name, name, n) == 0)
			return vd_gbt_class_get(synonyms[i].code);
	return NULL;
}

/* ------------------------------------------------------- CWE → class */

/* Ascending CWE ids.  Every CWE id found in ../shared/data records is here
 * (tests/unit/t_gbt30279.c checks), plus the CWE pillars and the old NVD
 * category ids, so that every weakness of the research view reaches a
 * class through its ancestors. */
static const struct { int cwe; const char *code; } cwe_map[] = {
	{11, "2"}, {15, "2"}, {16, "2"}, {20, "1.2"}, {22, "1.2.3"}, {23, "1.2.3"}, {29, "1.2.3"},
	{35, "1.2.3"}, {36, "1.2.3"}, {41, "1.2.3"}, {59, "1.2.4"}, {61, "1.2.4"}, {62, "1.2.4"},
	{64, "1.2.4"}, {65, "1.2.4"}, {73, "1.2.3"}, {74, "1.2.2"}, {75, "1.2.2"}, {76, "1.2.2"},
	{77, "1.2.2.3"}, {78, "1.2.2.3"}, {79, "1.2.2.4"}, {80, "1.2.2.4"}, {81, "1.2.2.4"},
	{83, "1.2.2.4"}, {84, "1.2.2.4"}, {85, "1.2.2.4"}, {86, "1.2.2.4"}, {87, "1.2.2.4"},
	{88, "1.2.2.3"}, {89, "1.2.2.1"}, {90, "1.2.2"}, {91, "1.2.2"}, {92, "1.2.2"}, {93, "1.2.2"},
	{94, "1.2.2.2"}, {95, "1.2.2.2"}, {96, "1.2.2.2"}, {97, "1.2.2.2"}, {98, "1.2.2.2"},
	{99, "1.2.2"}, {112, "1.2"}, {113, "1.2.2"}, {114, "1.2.2.2"}, {116, "1.2.2"}, {117, "1.2.2"},
	{118, "1.2.1"}, {119, "1.2.1"}, {120, "1.2.1"}, {121, "1.2.1"}, {122, "1.2.1"},
	{123, "1.2.1"}, {124, "1.2.1"}, {125, "1.2.1"}, {126, "1.2.1"}, {127, "1.2.1"},
	{129, "1.2.1"}, {130, "1.2.1"}, {131, "1.2.1"}, {134, "1.2.2.5"}, {138, "1.2.2"},
	{140, "1.2.2"}, {146, "1.2.2"}, {150, "1.2.2"}, {155, "1.2.2"}, {172, "1.8"}, {183, "1.2"},
	{184, "1.2"}, {185, "1.2"}, {186, "1.2"}, {189, "1.3"}, {190, "1.3"}, {191, "1.3"},
	{193, "1.3"}, {197, "1.3"}, {200, "3.1"}, {201, "3.1"}, {203, "3.1.3"}, {204, "3.1.3"},
	{208, "3.1.3"}, {209, "3.1.2"}, {212, "3.1"}, {213, "3.1"}, {215, "3.1.2"}, {219, "3.1"},
	{228, "1.2"}, {231, "1.2"}, {248, "1.5"}, {250, "1.7.1"}, {252, "1.5"}, {253, "1.5"},
	{255, "1.7.2"}, {256, "1.7.2"}, {257, "1.7.2"}, {259, "1.7.2"}, {260, "1.7.2"},
	{261, "1.7.2"}, {264, "1.7.1"}, {265, "1.7.1"}, {266, "1.7.1"}, {269, "1.7.1"},
	{271, "1.7.1"}, {276, "1.7.1"}, {277, "1.7.1"}, {281, "1.7.1"}, {284, "1.7.1"},
	{285, "1.7.1"}, {286, "1.7.1"}, {287, "1.7"}, {288, "1.7"}, {289, "1.7"}, {290, "1.7"},
	{295, "1.7.2"}, {297, "1.7.2"}, {305, "1.7"}, {306, "1.7"}, {307, "1.7"}, {310, "1.6"},
	{311, "1.6"}, {312, "1.6"}, {313, "1.6"}, {315, "1.6"}, {317, "1.6"}, {319, "1.6"},
	{320, "1.6"}, {321, "1.6"}, {323, "1.6"}, {324, "1.6"}, {326, "1.6"}, {327, "1.6"},
	{328, "1.6"}, {330, "1.6"}, {331, "1.6"}, {337, "1.6"}, {338, "1.6"}, {340, "1.6"},
	{345, "1.7.2"}, {347, "1.7.2"}, {350, "1.7.2"}, {352, "1.2.5"}, {353, "1.7.2"},
	{354, "1.7.2"}, {356, "1.5"}, {358, "1.5"}, {359, "3.1"}, {362, "1.4"}, {364, "1.4"},
	{366, "1.4"}, {367, "1.4"}, {368, "1.4"}, {369, "1.3"}, {378, "1.7.1"}, {384, "1.7"},
	{385, "3.1.3"}, {399, "1.1"}, {400, "1.1"}, {401, "1.1"}, {402, "3.1"}, {404, "1.1"},
	{405, "1.1"}, {407, "1.1"}, {409, "1.1"}, {410, "1.1"}, {413, "1.4"}, {415, "1.1"},
	{416, "1.1"}, {421, "1.4"}, {425, "1.7.1"}, {426, "1.1"}, {427, "1.1"}, {428, "1.1"},
	{434, "1.2"}, {435, "1.5"}, {436, "1.5"}, {444, "1.5"}, {453, "2"}, {457, "1.1"},
	{470, "1.2.2.2"}, {471, "1.5"}, {476, "1.1"}, {477, "1"}, {489, "3.1.2"}, {494, "1.7.2"},
	{497, "3.1"}, {501, "1.7.2"}, {502, "1.8"}, {506, "1.9"}, {507, "1.9"}, {508, "1.9"},
	{510, "1.9"}, {511, "1.9"}, {512, "1.9"}, {514, "3.1.3"}, {521, "1.7.2"}, {522, "1.7.2"},
	{523, "1.7.2"}, {525, "3.1"}, {532, "3.1.1"}, {533, "3.1.1"}, {534, "3.1.1"},
	{538, "3.1"}, {542, "3.1.1"}, {552, "3.1"}, {564, "1.2.2.1"}, {565, "1.7.2"},
	{566, "1.7.1"}, {591, "3.1"}, {598, "3.1"}, {599, "1.7.2"}, {601, "1.2"}, {610, "1.1"},
	{611, "1.2.2"}, {613, "1.7"}, {614, "2"}, {617, "1.5"}, {624, "1.2.2.3"}, {639, "1.7.1"},
	{643, "1.2.2"}, {648, "1.7.1"}, {653, "1.7.1"}, {662, "1.4"}, {664, "1.1"}, {665, "1.1"},
	{666, "1.1"}, {667, "1.4"}, {668, "1.7.1"}, {670, "1.5"}, {672, "1.1"}, {674, "1.1"},
	{680, "1.3"}, {681, "1.8"}, {682, "1.3"}, {689, "1.4"}, {691, "1.5"}, {693, "1.7"},
	{697, "1.5"}, {698, "1.5"}, {703, "1.5"}, {704, "1.8"}, {706, "1.2.3"}, {707, "1.2"},
	{708, "1.7.1"}, {710, "1"}, {732, "1.7.1"}, {749, "1.7.1"}, {754, "1.5"}, {755, "1.5"},
	{763, "1.1"}, {770, "1.1"}, {772, "1.1"}, {776, "1.1"}, {778, "1.5"}, {786, "1.2.1"},
	{787, "1.2.1"}, {788, "1.2.1"}, {789, "1.1"}, {798, "1.7.2"}, {799, "1.5"}, {805, "1.2.1"},
	{806, "1.2.1"}, {807, "1.7.2"}, {820, "1.4"}, {821, "1.4"}, {822, "1.1"}, {823, "1.2.1"},
	{824, "1.1"}, {825, "1.1"}, {829, "1.2.2.2"}, {833, "1.4"}, {834, "1.1"}, {835, "1.1"},
	{843, "1.8"}, {862, "1.7.1"}, {863, "1.7.1"}, {908, "1.1"}, {912, "1.9"}, {915, "1.2"},
	{917, "1.2.2.2"}, {918, "1.2"}, {922, "3.1"}, {927, "1.7.1"}, {942, "2"}, {943, "1.2.2"},
	{1004, "2"}, {1021, "1.5"}, {1056, "1"}, {1188, "2"}, {1189, "1.7.1"}, {1191, "1.7.1"},
	{1220, "1.7.1"}, {1223, "1.4"}, {1236, "1.2.2"}, {1242, "1.9"}, {1247, "3.2"},
	{1248, "3.2"}, {1251, "1.5"}, {1254, "3.1.3"}, {1255, "3.1.3"}, {1256, "3.2"},
	{1258, "3.1.2"}, {1259, "1.7.1"}, {1283, "1.7.2"}, {1284, "1.2"}, {1285, "1.2"},
	{1286, "1.2"}, {1287, "1.2"}, {1295, "3.1.2"}, {1298, "1.4"}, {1300, "3.1.3"},
	{1303, "3.1.3"}, {1319, "3.2"}, {1321, "1.2"}, {1332, "3.2"}, {1333, "1.1"},
	{1336, "1.2.2.2"}, {1338, "3.2"}, {1351, "3.2"}, {1386, "1.2.4"}, {1390, "1.7"},
	{1391, "1.7.2"}, {1392, "1.7.2"}, {1395, "4"},
};
#define NMAP (sizeof cwe_map / sizeof *cwe_map)

size_t vd_gbt_cwe_map_count(void) { return NMAP; }

int vd_gbt_cwe_map_at(size_t i, int *cwe, const vd_gbt_class **cls)
{
	if (i >= NMAP)
		return vd_error_set(VD_ENOTFOUND, "gbt30279: CWE map index %zu out of range", i);
	*cwe = cwe_map[i].cwe;
	*cls = vd_gbt_class_get(cwe_map[i].code);
	return VD_OK;
}

const vd_gbt_class *vd_gbt_cwe_class_direct(int cwe)
{
	size_t lo = 0, hi = NMAP;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (cwe_map[mid].cwe == cwe)
			return vd_gbt_class_get(cwe_map[mid].code);
		if (cwe_map[mid].cwe < cwe)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

#define BFS_MAX 512

const vd_gbt_class *vd_gbt_classify_cwe(int cwe, vd_cwe_parents_fn parents, void *ctx, int *via)
{
	int queue[BFS_MAX];
	size_t head = 0, tail = 0;
	if (via)
		*via = 0;
	if (cwe > 0)
		queue[tail++] = cwe;
	while (head < tail) {
		int id = queue[head++];
		const vd_gbt_class *c = vd_gbt_cwe_class_direct(id);
		if (c) {
			if (via)
				*via = id;
			return c;
		}
		if (!parents)
			continue;
		int ps[32];
		int n = parents(ctx, id, ps, sizeof ps / sizeof *ps);
		if (n < 0)
			break;
		if (n > (int)(sizeof ps / sizeof *ps))
			n = (int)(sizeof ps / sizeof *ps);
		for (int i = 0; i < n && tail < BFS_MAX; i++) {
			bool seen = ps[i] <= 0;
			for (size_t k = 0; k < tail && !seen; k++)
				seen = queue[k] == ps[i];
			if (!seen)
				queue[tail++] = ps[i];
		}
	}
	return vd_gbt_class_other();
}

const vd_gbt_class *vd_gbt_classify_cwe_str(const char *cwe, vd_cwe_parents_fn parents, void *ctx, int *via)
{
	if (via)
		*via = 0;
	if (!cwe)
		return vd_gbt_class_other();
	if (strncasecmp(cwe, "CWE-", 4) == 0)
		cwe += 4;
	long id;
	if (vd_parse_long(cwe, 1, 2000000, &id) != VD_OK) {
		vd_error_clear();
		return vd_gbt_class_other();
	}
	return vd_gbt_classify_cwe((int)id, parents, ctx, via);
}

/* -------------------------------------------------------------- grades */

static const char *const grade_keys[] = {NULL, "low", "medium", "high", "critical"};
static const char *const grade_zh[] = {NULL, "低危", "中危", "高危", "超危"};

const char *vd_gbt_grade_key(vd_gbt_grade g)
{
	return g >= VD_GBT_LOW && g <= VD_GBT_CRITICAL ? grade_keys[g] : NULL;
}

const char *vd_gbt_grade_zh(vd_gbt_grade g)
{
	return g >= VD_GBT_LOW && g <= VD_GBT_CRITICAL ? grade_zh[g] : NULL;
}

int vd_gbt_grade_parse(const char *s, vd_gbt_grade *out)
{
	for (int g = VD_GBT_LOW; s && g <= VD_GBT_CRITICAL; g++)
		if (strcasecmp(s, grade_keys[g]) == 0 || strcmp(s, grade_zh[g]) == 0) {
			*out = (vd_gbt_grade)g;
			return VD_OK;
		}
	return vd_error_set(VD_EINVAL, "unknown grade '%.40s' (critical, high, medium, low or 超危, 高危, 中危, 低危)",
	                    s ? s : "(null)");
}

/* ------------------------------------------------------------- vectors */

static const struct {
	const char *name, *zh;
	const char *values[4];
	const char *values_zh[4];
	bool mandatory;
} metrics[VD_GBT_NMETRICS] = {
	{"AP", "访问路径", {"N", "A", "L", "P"}, {"网络", "邻接", "本地", "物理"}, true},
	{"TR", "触发要求", {"L", "H"}, {"低", "高"}, true},
	{"PR", "权限需求", {"N", "L", "H"}, {"无", "低", "高"}, true},
	{"UI", "交互条件", {"N", "R"}, {"不需要", "需要"}, true},
	{"C", "机密性", {"S", "M", "N"}, {"严重", "一般", "无"}, true},
	{"I", "完整性", {"S", "M", "N"}, {"严重", "一般", "无"}, true},
	{"A", "可用性", {"S", "M", "N"}, {"严重", "一般", "无"}, true},
	{"EC", "被利用成本", {"L", "M", "H"}, {"低", "中", "高"}, false},
	{"FD", "修复难度", {"H", "M", "L"}, {"高", "中", "低"}, false},
	{"SC", "影响范围", {"H", "M", "L", "N"}, {"高", "中", "低", "无"}, false},
};

const char *vd_gbt_metric_name(int i) { return i >= 0 && i < VD_GBT_NMETRICS ? metrics[i].name : NULL; }

int vd_gbt_metric_nvalues(int i)
{
	if (i < 0 || i >= VD_GBT_NMETRICS)
		return 0;
	int n = 0;
	while (n < 4 && metrics[i].values[n])
		n++;
	return n;
}

const char *vd_gbt_metric_value(int i, int j)
{
	return j >= 0 && j < vd_gbt_metric_nvalues(i) ? metrics[i].values[j] : NULL;
}

const char *vd_gbt_metric_value_zh(int i, int j)
{
	return j >= 0 && j < vd_gbt_metric_nvalues(i) ? metrics[i].values_zh[j] : NULL;
}

static int metric_index(const char *name, size_t n)
{
	for (int i = 0; i < VD_GBT_NMETRICS; i++)
		if (strlen(metrics[i].name) == n && memcmp(metrics[i].name, name, n) == 0)
			return i;
	return -1;
}

static int value_index(int m, const char *v, size_t n)
{
	for (int j = 0; j < vd_gbt_metric_nvalues(m); j++)
		if (strlen(metrics[m].values[j]) == n && memcmp(metrics[m].values[j], v, n) == 0)
			return j;
	return -1;
}

bool vd_gbt_is_vector(const char *s)
{
	if (!s)
		return false;
	while (*s == ' ' || *s == '\t')
		s++;
	return strncmp(s, "GBT30279", 8) == 0;
}

static void normalize(vd_gbt_vector *v)
{
	size_t off = (size_t)snprintf(v->normalized, sizeof v->normalized, "%s", VD_GBT_PREFIX);
	bool first = true;
	for (int i = 0; i < VD_GBT_NMETRICS; i++) {
		if (!v->m[i])
			continue;
		off += (size_t)snprintf(v->normalized + off, sizeof v->normalized - off, "%s%s:%s", first ? "" : "/",
		                        metrics[i].name, metrics[i].values[v->m[i] - 1]);
		first = false;
	}
}

int vd_gbt_vector_parse(const char *s, vd_gbt_vector *out)
{
	memset(out, 0, sizeof *out);
	if (!s)
		return vd_error_set(VD_EINVAL, "GB/T 30279 vector: none given");
	while (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n')
		s++;
	size_t len = strnlen(s, VD_GBT_VECTOR_MAX + 1);
	if (len > VD_GBT_VECTOR_MAX)
		return vd_error_set(VD_ETOOBIG, "GB/T 30279 vector: longer than %d bytes", VD_GBT_VECTOR_MAX);
	while (len && (s[len - 1] == ' ' || s[len - 1] == '\t' || s[len - 1] == '\r' || s[len - 1] == '\n'))
		len--;
	size_t plen = strlen(VD_GBT_PREFIX);
	if (len < plen || memcmp(s, VD_GBT_PREFIX, plen) != 0) {
		if (len >= 9 && memcmp(s, "GBT30279:", 9) == 0)
			return vd_error_set(VD_EINVAL, "GB/T 30279 vector: unsupported version '%.*s' (expected prefix %s)",
			                    (int)strcspn(s + 9, "/") > 16 ? 16 : (int)strcspn(s + 9, "/"), s + 9,
			                    VD_GBT_PREFIX);
		return vd_error_set(VD_EINVAL, "GB/T 30279 vector: must start with %s", VD_GBT_PREFIX);
	}
	const char *p = s + plen, *end = s + len;
	if (p == end)
		return vd_error_set(VD_EINVAL, "GB/T 30279 vector: no metrics after %s", VD_GBT_PREFIX);
	int pos = 0;
	while (p <= end) {
		const char *slash = memchr(p, '/', (size_t)(end - p));
		const char *e = slash ? slash : end;
		pos++;
		if (e == p)
			return vd_error_set(VD_EINVAL, "GB/T 30279 vector: empty component %d%s", pos,
			                    p == end ? " (trailing '/')" : "");
		const char *colon = memchr(p, ':', (size_t)(e - p));
		if (!colon)
			return vd_error_set(VD_EINVAL, "GB/T 30279 vector: component '%.*s' is not NAME:VALUE",
			                    (int)(e - p) > 32 ? 32 : (int)(e - p), p);
		int m = metric_index(p, (size_t)(colon - p));
		if (m < 0)
			return vd_error_set(VD_EINVAL, "GB/T 30279 vector: unknown metric '%.*s'",
			                    (int)(colon - p) > 16 ? 16 : (int)(colon - p), p);
		if (out->m[m])
			return vd_error_set(VD_EINVAL, "GB/T 30279 vector: duplicate metric '%s'", metrics[m].name);
		int v = value_index(m, colon + 1, (size_t)(e - colon - 1));
		if (v < 0) {
			char allowed[32] = "";
			size_t off = 0;
			for (int j = 0; j < vd_gbt_metric_nvalues(m); j++)
				off += (size_t)snprintf(allowed + off, sizeof allowed - off, "%s%s", j ? ", " : "",
				                        metrics[m].values[j]);
			return vd_error_set(VD_EINVAL, "GB/T 30279 vector: bad value '%.*s' for '%s' (allowed: %s)",
			                    (int)(e - colon - 1) > 16 ? 16 : (int)(e - colon - 1), colon + 1,
			                    metrics[m].name, allowed);
		}
		out->m[m] = (unsigned char)(v + 1);
		if (!slash)
			break;
		p = slash + 1;
	}
	char missing[48] = "";
	size_t off = 0;
	for (int i = 0; i < VD_GBT_NMETRICS; i++)
		if (metrics[i].mandatory && !out->m[i])
			off += (size_t)snprintf(missing + off, sizeof missing - off, "%s%s", off ? ", " : "", metrics[i].name);
	if (off) {
		memset(out, 0, sizeof *out);
		return vd_error_set(VD_EINVAL, "GB/T 30279 vector: missing mandatory metric(s) %s", missing);
	}
	normalize(out);
	return VD_OK;
}

/* -------------------------------------------------------------- tables */

#define NO_POINTS INT32_MIN

struct vd_gbt_table {
	char version[64];
	int points[VD_GBT_NMETRICS][4];
	int elevel[3];                 /* minimum points for H, M, L */
	int ilevel[4];                 /* H, M, L, N */
	bool have_e[3], have_i[4];
	vd_gbt_grade matrix[3][4];     /* [E level][I level] */
	unsigned char env_default[VD_GBT_NMETRICS];   /* 1 + value index, env metrics only */
	struct { int min, steps; } adj[16];
	size_t n_adj;
	struct { int min10; vd_gbt_grade g; } cvss[8];
	size_t n_cvss;
};

static const char ELEVELS[] = "HML", ILEVELS[] = "HMLN";

static int level_index(const char *levels, const char *tok)
{
	const char *p = strchr(levels, tok[0]);
	return tok[0] && !tok[1] && p ? (int)(p - levels) : -1;
}

static int parse_int(const char *tok, long min, long max, long *out)
{
	if (*tok == '+')
		tok++;
	char *e;
	long v = strtol(tok, &e, 10);
	if (e == tok || *e || v < min || v > max)
		return VD_EINVAL;
	*out = v;
	return VD_OK;
}

/* "9.0", "10", "0.1" → tenths; -1 when malformed or out of 0..10. */
static int parse_tenths(const char *tok)
{
	int whole = 0, frac = 0, nd = 0;
	const char *p = tok;
	if (!isdigit((unsigned char)*p))
		return -1;
	while (isdigit((unsigned char)*p) && nd++ < 3)
		whole = whole * 10 + (*p++ - '0');
	if (*p == '.') {
		p++;
		if (!isdigit((unsigned char)*p))
			return -1;
		frac = *p++ - '0';
		if (*p)
			return -1;
	} else if (*p) {
		return -1;
	}
	int t = whole * 10 + frac;
	return t <= 100 ? t : -1;
}

#define TERR(...) do { rc = vd_error_set(VD_EINVAL, __VA_ARGS__); goto out; } while (0)

int vd_gbt_table_parse(const char *name, const char *text, size_t len, vd_gbt_table **out)
{
	*out = NULL;
	if (!name)
		name = "grading table";
	if (!vd_utf8_valid(text, len))
		return vd_error_set(VD_EINVAL, "%s: not valid UTF-8", name);
	vd_gbt_table *t = calloc(1, sizeof *t);
	if (!t)
		return vd_error_set(VD_ENOMEM, "%s: out of memory", name);
	for (int i = 0; i < VD_GBT_NMETRICS; i++)
		for (int j = 0; j < 4; j++)
			t->points[i][j] = NO_POINTS;
	bool have_grade[3][4] = {{false}};
	int rc = VD_OK, lineno = 0;
	const char *p = text, *end = text + len;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *le = nl ? nl : end;
		lineno++;
		char line[256];
		size_t ll = (size_t)(le - p);
		if (ll >= sizeof line)
			TERR("%s:%d: line longer than %zu bytes", name, lineno, sizeof line - 1);
		memcpy(line, p, ll);
		line[ll] = '\0';
		p = nl ? nl + 1 : end;
		char *hash = strchr(line, '#');
		if (hash)
			*hash = '\0';
		char *tok[6];
		int nt = 0;
		for (char *s = line; *s && nt < 6;) {
			while (*s == ' ' || *s == '\t' || *s == '\r')
				*s++ = '\0';
			if (!*s)
				break;
			tok[nt++] = s;
			while (*s && *s != ' ' && *s != '\t' && *s != '\r')
				s++;
		}
		if (nt == 0)
			continue;
		long v;
		const char *kind = tok[0];
		if (strcmp(kind, "table") == 0) {
			if (nt != 2 || strlen(tok[1]) >= sizeof t->version)
				TERR("%s:%d: expected: table VERSION (at most %zu bytes)", name, lineno, sizeof t->version - 1);
			if (t->version[0])
				TERR("%s:%d: second 'table' line", name, lineno);
			for (const char *c = tok[1]; *c; c++)
				if (!isalnum((unsigned char)*c) && !strchr("._-", *c))
					TERR("%s:%d: table version may hold only letters, digits, '.', '_' and '-'", name, lineno);
			vd_strlcpy(t->version, tok[1], sizeof t->version);
		} else if (strcmp(kind, "point") == 0 || strcmp(kind, "default") == 0) {
			bool pt = kind[0] == 'p';
			if (nt != (pt ? 4 : 3))
				TERR("%s:%d: expected: %s", name, lineno, pt ? "point METRIC VALUE POINTS" : "default METRIC VALUE");
			int m = metric_index(tok[1], strlen(tok[1]));
			if (m < 0)
				TERR("%s:%d: unknown metric '%.16s'", name, lineno, tok[1]);
			int j = value_index(m, tok[2], strlen(tok[2]));
			if (j < 0)
				TERR("%s:%d: bad value '%.16s' for metric %s", name, lineno, tok[2], metrics[m].name);
			if (pt) {
				if (parse_int(tok[3], -100, 100, &v))
					TERR("%s:%d: points must be an integer in -100..100, not '%.16s'", name, lineno, tok[3]);
				if (t->points[m][j] != NO_POINTS)
					TERR("%s:%d: second 'point' line for %s:%s", name, lineno, metrics[m].name, tok[2]);
				t->points[m][j] = (int)v;
			} else {
				if (m < VD_GBT_EC)
					TERR("%s:%d: 'default' is only for the environment metrics EC, FD, SC", name, lineno);
				t->env_default[m] = (unsigned char)(j + 1);
			}
		} else if (strcmp(kind, "elevel") == 0 || strcmp(kind, "ilevel") == 0) {
			bool e = kind[0] == 'e';
			int li = nt == 3 ? level_index(e ? ELEVELS : ILEVELS, tok[1]) : -1;
			if (li < 0)
				TERR("%s:%d: expected: %s LEVEL MIN with LEVEL one of %s", name, lineno, kind,
				     e ? "H, M, L" : "H, M, L, N");
			if (parse_int(tok[2], -1000, 1000, &v))
				TERR("%s:%d: bad minimum '%.16s'", name, lineno, tok[2]);
			if (e) {
				t->elevel[li] = (int)v;
				t->have_e[li] = true;
			} else {
				t->ilevel[li] = (int)v;
				t->have_i[li] = true;
			}
		} else if (strcmp(kind, "grade") == 0) {
			int ei = nt == 4 ? level_index(ELEVELS, tok[1]) : -1, ii = nt == 4 ? level_index(ILEVELS, tok[2]) : -1;
			vd_gbt_grade g;
			if (ei < 0 || ii < 0)
				TERR("%s:%d: expected: grade ELEVEL(H/M/L) ILEVEL(H/M/L/N) GRADE", name, lineno);
			if (vd_gbt_grade_parse(tok[3], &g))
				TERR("%s:%d: unknown grade '%.16s' (critical, high, medium, low or 超危, 高危, 中危, 低危)",
				     name, lineno, tok[3]);
			t->matrix[ei][ii] = g;
			have_grade[ei][ii] = true;
		} else if (strcmp(kind, "adjust") == 0) {
			long st;
			if (nt != 3 || parse_int(tok[1], -1000, 1000, &v) || parse_int(tok[2], -3, 3, &st))
				TERR("%s:%d: expected: adjust MIN STEPS (STEPS in -3..3)", name, lineno);
			if (t->n_adj == sizeof t->adj / sizeof *t->adj)
				TERR("%s:%d: too many 'adjust' lines", name, lineno);
			if (t->n_adj && v >= t->adj[t->n_adj - 1].min)
				TERR("%s:%d: 'adjust' minimums must decrease from line to line", name, lineno);
			t->adj[t->n_adj].min = (int)v;
			t->adj[t->n_adj++].steps = (int)st;
		} else if (strcmp(kind, "cvss") == 0) {
			vd_gbt_grade g;
			int tenths = nt == 3 ? parse_tenths(tok[1]) : -1;
			if (tenths < 0)
				TERR("%s:%d: expected: cvss MIN GRADE with MIN a score 0.0..10.0", name, lineno);
			if (vd_gbt_grade_parse(tok[2], &g))
				TERR("%s:%d: unknown grade '%.16s' (critical, high, medium, low or 超危, 高危, 中危, 低危)",
				     name, lineno, tok[2]);
			if (t->n_cvss == sizeof t->cvss / sizeof *t->cvss)
				TERR("%s:%d: too many 'cvss' lines", name, lineno);
			if (t->n_cvss && tenths >= t->cvss[t->n_cvss - 1].min10)
				TERR("%s:%d: 'cvss' minimums must decrease from line to line", name, lineno);
			t->cvss[t->n_cvss].min10 = tenths;
			t->cvss[t->n_cvss++].g = g;
		} else {
			TERR("%s:%d: unknown line kind '%.16s' (table, point, elevel, ilevel, grade, default, adjust, cvss)",
			     name, lineno, kind);
		}
	}
	/* completeness */
	if (!t->version[0])
		TERR("%s: no 'table VERSION' line", name);
	for (int i = 0; i < VD_GBT_NMETRICS; i++)
		for (int j = 0; j < vd_gbt_metric_nvalues(i); j++)
			if (t->points[i][j] == NO_POINTS)
				TERR("%s: no 'point' line for %s:%s", name, metrics[i].name, metrics[i].values[j]);
	for (int i = 0; i < 3; i++)
		if (!t->have_e[i])
			TERR("%s: no 'elevel %c' line", name, ELEVELS[i]);
	for (int i = 0; i < 4; i++)
		if (!t->have_i[i])
			TERR("%s: no 'ilevel %c' line", name, ILEVELS[i]);
	for (int i = 0; i < 3; i++)
		for (int j = 0; j < 4; j++)
			if (!have_grade[i][j])
				TERR("%s: no 'grade %c %c' line", name, ELEVELS[i], ILEVELS[j]);
	for (int i = VD_GBT_EC; i < VD_GBT_NMETRICS; i++)
		if (!t->env_default[i])
			TERR("%s: no 'default %s' line", name, metrics[i].name);
	if (!t->n_adj)
		TERR("%s: no 'adjust' lines", name);
	if (!t->n_cvss)
		TERR("%s: no 'cvss' lines", name);
	if (t->elevel[0] < t->elevel[1] || t->elevel[1] < t->elevel[2])
		TERR("%s: elevel minimums must not increase from H to M to L", name);
	if (t->ilevel[0] < t->ilevel[1] || t->ilevel[1] < t->ilevel[2] || t->ilevel[2] < t->ilevel[3])
		TERR("%s: ilevel minimums must not increase from H to M to L to N", name);
out:
	if (rc) {
		free(t);
		return rc;
	}
	*out = t;
	return VD_OK;
}

int vd_gbt_load_table(const char *path, vd_gbt_table **out)
{
	char *buf;
	size_t len;
	*out = NULL;
	int rc = vd_file_read(path, 1u << 20, &buf, &len);
	if (rc)
		return rc;
	rc = vd_gbt_table_parse(path, buf, len, out);
	free(buf);
	return rc;
}

void vd_gbt_table_free(vd_gbt_table *t) { free(t); }

static vd_gbt_table *default_table;
static pthread_once_t default_once = PTHREAD_ONCE_INIT;

static void build_default(void)
{
	if (vd_gbt_table_parse("default grading table", vd_gbt_default_tsv, sizeof vd_gbt_default_tsv - 1,
	                       &default_table))
		default_table = NULL;
}

const vd_gbt_table *vd_gbt_table_default(void)
{
	pthread_once(&default_once, build_default);
	return default_table;
}

const char *vd_gbt_default_table_text(void) { return vd_gbt_default_tsv; }
const char *vd_gbt_table_version(const vd_gbt_table *t) { return t ? t->version : NULL; }

static const vd_gbt_table *table_or_default(const vd_gbt_table *t)
{
	return t ? t : vd_gbt_table_default();
}

int vd_gbt_grade_vector(const vd_gbt_table *t, const vd_gbt_vector *v, vd_gbt_result *out)
{
	memset(out, 0, sizeof *out);
	if (!(t = table_or_default(t)))
		return vd_error_set(VD_EINTERNAL, "gbt30279: the default grading table does not parse");
	for (int i = 0; i < VD_GBT_NMETRICS; i++)
		if ((metrics[i].mandatory && !v->m[i]) || v->m[i] > vd_gbt_metric_nvalues(i))
			return vd_error_set(VD_EINVAL, "GB/T 30279 vector: metric %s missing or out of range",
			                    metrics[i].name);
	for (int i = VD_GBT_AP; i <= VD_GBT_UI; i++)
		out->exploit_points += t->points[i][v->m[i] - 1];
	for (int i = VD_GBT_C; i <= VD_GBT_A; i++)
		out->impact_points += t->points[i][v->m[i] - 1];
	int el = 2, il = 3;
	for (int i = 0; i < 3; i++)
		if (out->exploit_points >= t->elevel[i]) {
			el = i;
			break;
		}
	for (int i = 0; i < 4; i++)
		if (out->impact_points >= t->ilevel[i]) {
			il = i;
			break;
		}
	out->exploit_level = ELEVELS[el];
	out->impact_level = ILEVELS[il];
	out->technical = t->matrix[el][il];
	bool any_env = v->m[VD_GBT_EC] || v->m[VD_GBT_FD] || v->m[VD_GBT_SC];
	int g = (int)out->technical;
	if (any_env) {
		for (int i = VD_GBT_EC; i < VD_GBT_NMETRICS; i++)
			out->env_points += t->points[i][(v->m[i] ? v->m[i] : t->env_default[i]) - 1];
		for (size_t i = 0; i < t->n_adj; i++)
			if (out->env_points >= t->adj[i].min) {
				out->adjust = t->adj[i].steps;
				break;
			}
		g += out->adjust;
		if (g < VD_GBT_LOW)
			g = VD_GBT_LOW;
		if (g > VD_GBT_CRITICAL)
			g = VD_GBT_CRITICAL;
	}
	out->overall = (vd_gbt_grade)g;
	snprintf(out->basis, sizeof out->basis, "gbt30279 %s; table %s", v->normalized, t->version);
	return VD_OK;
}

vd_gbt_grade vd_gbt_grade_cvss(const vd_gbt_table *t, const char *version, double score, const char *vector,
                               char *basis, size_t basis_size)
{
	vd_gbt_grade g = VD_GBT_GRADE_NONE;
	t = table_or_default(t);
	if (basis && basis_size)
		basis[0] = '\0';
	if (!t || !(score >= 0.0 && score <= 10.0))
		return g;
	int tenths = (int)lround(score * 10.0);
	for (size_t i = 0; i < t->n_cvss; i++)
		if (tenths >= t->cvss[i].min10) {
			g = t->cvss[i].g;
			break;
		}
	if (basis && basis_size)
		snprintf(basis, basis_size, "cvss:%s %.1f%s%.120s; table %s", version ? version : "?", score,
		         vector ? " " : "", vector ? vector : "", t->version);
	return g;
}
