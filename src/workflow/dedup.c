/* Duplicate / originality check: how similar a new report is to a record
 * of the catalogue or another case.  Pure: the service fetches candidates
 * (full-text index, CVE id, open cases) and ranks them with this.
 *
 * Features of a document:
 *  - Latin words (ASCII letters and digits), lower case, without stop words
 *    and without version-like tokens (pure numbers, "1.2.3" parts), so a
 *    changed version does not lower the figure;
 *  - CJK bigrams of every run of Han characters (Chinese has no spaces and
 *    key words are two characters: 溢出, 注入), minus a few stop bigrams;
 *  - concept tokens: a small vocabulary of vulnerability terms in both
 *    languages (缓冲区溢出 = buffer overflow, 跨站脚本 = cross-site
 *    scripting ...), so a translated report still shares features.
 * Text similarity is the cosine of the weighted feature sets (concepts
 * count 3, words 1, bigrams 1).  The figure adds the affected product
 * (same product, and whether the version is listed), shared CWE ids, and a
 * shared CVE id (which decides on its own):
 *     figure = 0.55 text + 0.30 product + 0.15 cwe   (CVE: at least 0.97)
 */
#include "vulnd/workflow.h"
#include "vulnd/error.h"
#include "vulnd/util.h"
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define MAX_FEAT 4096
#define TEXT_CAP (256u << 10)   /* bytes of text looked at per document */

typedef struct {
	uint64_t h;
	float w;
} feat;

struct vd_dedup_doc {
	feat *f;            /* sorted by hash once built */
	size_t n;
	double norm;
	float *idf;         /* per feature of a report, from vd_dedup_weigh (NULL: all 1) */
	char **words;       /* distinct Latin words (for keywords) */
	size_t n_words;
	char **products;    /* normalised product names */
	size_t n_products;
	char **ptoks;       /* product words */
	size_t n_ptoks;
	char **versions;
	size_t n_versions;
	int cwes[32];
	size_t n_cwes;
	char cves[8][32];
	size_t n_cves;
	char concept_kw[16][24];
	size_t n_concept_kw;
};

/* zh / en spellings of one concept; en phrases match lower-cased text with
 * punctuation as spaces.  The first en word is used as a search keyword. */
static const struct {
	const char *zh[4];
	const char *en[4];
} concepts[] = {
	{{"缓冲区溢出", "缓冲区错误", NULL}, {"buffer overflow", "buffer overrun", "buffer errors", NULL}},
	{{"堆溢出", NULL}, {"heap overflow", "heap based buffer overflow", NULL}},
	{{"栈溢出", NULL}, {"stack overflow", "stack based buffer overflow", NULL}},
	{{"整数溢出", NULL}, {"integer overflow", NULL}},
	{{"跨站脚本", NULL}, {"cross site scripting", "xss", NULL}},
	{{"跨站请求伪造", NULL}, {"cross site request forgery", "csrf", NULL}},
	{{"服务端请求伪造", "服务器端请求伪造", NULL}, {"server side request forgery", "ssrf", NULL}},
	{{"sql注入", "sql 注入", NULL}, {"sql injection", NULL}},
	{{"命令注入", "命令执行", NULL}, {"command injection", "os command", "command execution", NULL}},
	{{"代码注入", NULL}, {"code injection", NULL}},
	{{"代码执行", NULL}, {"code execution", "execute arbitrary code", NULL}},
	{{"拒绝服务", NULL}, {"denial of service", NULL}},
	{{"路径遍历", "目录遍历", NULL}, {"path traversal", "directory traversal", NULL}},
	{{"权限提升", "提升权限", "提权", NULL}, {"privilege escalation", "escalate privileges", "elevation of privilege", "gain privileges"}},
	{{"信息泄露", "信息泄漏", "敏感信息", NULL}, {"information disclosure", "sensitive information", "information exposure", NULL}},
	{{"认证绕过", "身份验证绕过", "绕过认证", NULL}, {"authentication bypass", "bypass authentication", NULL}},
	{{"授权问题", "访问控制", NULL}, {"authorization", "access control", NULL}},
	{{"文件上传", NULL}, {"file upload", "upload arbitrary files", NULL}},
	{{"文件读取", "读取任意文件", NULL}, {"read arbitrary files", "arbitrary file read", "file read", NULL}},
	{{"反序列化", NULL}, {"deserialization", "deserialize", NULL}},
	{{"释放后重用", "释放后使用", "重用释放", NULL}, {"use after free", NULL}},
	{{"空指针", NULL}, {"null pointer", NULL}},
	{{"内存泄漏", "内存泄露", NULL}, {"memory leak", NULL}},
	{{"越界读", NULL}, {"out of bounds read", NULL}},
	{{"越界写", NULL}, {"out of bounds write", NULL}},
	{{"格式化字符串", NULL}, {"format string", NULL}},
	{{"重定向", NULL}, {"open redirect", "redirect", NULL}},
	{{"外部实体", NULL}, {"xml external entity", "xxe", NULL}},
	{{"竞争条件", "条件竞争", NULL}, {"race condition", NULL}},
	{{"硬编码", NULL}, {"hard coded", "hardcoded", NULL}},
	{{"密码", "口令", NULL}, {"password", NULL}},
	{{"内核", NULL}, {"kernel", NULL}},
	{{"浏览器", NULL}, {"browser", NULL}},
	{{"路由器", NULL}, {"router", NULL}},
	{{"固件", NULL}, {"firmware", NULL}},
	{{"插件", NULL}, {"plugin", NULL}},
	{{"管理员", NULL}, {"administrator", NULL}},
	{{"会话", NULL}, {"session", NULL}},
	{{"证书", NULL}, {"certificate", NULL}},
	{{"签名", NULL}, {"signature", NULL}},
	{{"模板", NULL}, {"template", NULL}},
	{{"数据库", NULL}, {"database", NULL}},
	{{"配置文件", NULL}, {"configuration file", NULL}},
	{{"正则表达式", NULL}, {"regular expression", "regex", "redos", NULL}},
	{{"无限循环", "死循环", NULL}, {"infinite loop", NULL}},
	{{"资源耗尽", "资源消耗", NULL}, {"resource exhaustion", "resource consumption", "memory exhaustion", NULL}},
	{{"输入验证", NULL}, {"input validation", "improper validation", NULL}},
	{{"令牌", NULL}, {"token", NULL}},
	{{"网页", "页面", NULL}, {"web page", NULL}},
	{{"蓝牙", NULL}, {"bluetooth", NULL}},
	{{"车载", "车辆", NULL}, {"vehicle", NULL}},
	{{"应用程序", NULL}, {"application", NULL}},
	{{"解析", NULL}, {"parsing", "parser", "parse", NULL}},
	{{"压缩", "解压", NULL}, {"compress", "decompress", "archive", NULL}},
	{{"加密", "解密", NULL}, {"encrypt", "decrypt", "cryptographic", NULL}},
	{{"签名验证", "验证签名", NULL}, {"signature verification", "verify signatures", NULL}},
	{{"请求走私", NULL}, {"request smuggling", NULL}},
	{{"原型污染", NULL}, {"prototype pollution", NULL}},
	{{"符号链接", NULL}, {"symlink", "symbolic link", NULL}},
	{{"标头", "头部", NULL}, {"header", NULL}},
	{{"恶意", "特制", NULL}, {"crafted", "malicious", NULL}},
};

static const char *const stop_en[] = {
	"a", "an", "the", "and", "or", "of", "in", "on", "to", "for", "with", "by", "via", "from", "is", "are",
	"was", "were", "be", "been", "this", "that", "which", "could", "can", "may", "might", "allow", "allows",
	"allowed", "allowing", "attacker", "attackers", "remote", "remotely", "user", "users", "vulnerability",
	"vulnerabilities", "vulnerable", "issue", "version", "versions", "before", "after", "prior", "through",
	"when", "due", "as", "it", "its", "not", "has", "have", "had", "affected", "affects", "exists", "exist",
	"found", "use", "used", "using", "other", "unspecified", "vectors", "related", "specially", "an", "if",
	"than", "there", "these", "those", "their", "they", "does", "do", "did", "no", "into", "also", "such",
	"some", "any", "all", "will", "would", "should", "cause", "causes", "leads", "lead", "result", "results",
	"resulting", "unauthenticated", "authenticated", "properly", "correctly", "does", "fixed", "fix",
	"patched", "upgrade", "update", "contains", "contain", "component", "product", "package", "library",
	"software", "only", "same", "without", "within", "where", "while", "because", "both", "each", "who",
	"what", "how", "our", "your", "you", "we", "he", "she", "his", "her", "them", "then", "so", "but", "at",
	"up", "out", "about", "over", "under", "more", "most", "less", "very", "being", "able", "earlier",
	"later", "including", "include", "includes", "certain", "specific", "possible", "potentially", "potential",
	"successful", "successfully", "exploit", "exploitation", "exploited", "exploiting", "impact", "attack",
	"attacks", "via", "given", "new", "get", "gets", "set", "sets", "one", "two", "first", "second", NULL,
};

static const char *const stop_zh[] = {
	"漏洞", "攻击", "击者", "利用", "存在", "版本", "可能", "导致", "允许", "用户", "之前", "通过", "该漏", "洞源",
	"源于", "程序", "一个", "以及", "或者", "进行", "使用", "中的", "问题", "受影", "影响", "安全", "由于", "造成",
	"可以", "能够", "此漏", "这个", "远程", "远程攻", "产品", "组件", "软件", "系统", "其他", "相关", "之间",
	"以前", "早期", "更早", "及更", "者利", "成功", "未经", "经授", "特定", "某些", "方面", NULL,
};

static bool in_list(const char *const *l, const char *w)
{
	for (size_t i = 0; l[i]; i++)
		if (strcmp(l[i], w) == 0)
			return true;
	return false;
}

static uint64_t fnv(const char *s, size_t n, uint64_t seed)
{
	uint64_t h = 1469598103934665603ull ^ seed;
	for (size_t i = 0; i < n; i++) {
		h ^= (unsigned char)s[i];
		h *= 1099511628211ull;
	}
	return h;
}

/* Decode one UTF-8 code point (input known valid or replaced); returns length. */
static size_t cp_at(const unsigned char *s, size_t n, uint32_t *cp)
{
	if (s[0] < 0x80) { *cp = s[0]; return 1; }
	if ((s[0] & 0xE0) == 0xC0 && n >= 2) { *cp = ((uint32_t)(s[0] & 0x1F) << 6) | (s[1] & 0x3F); return 2; }
	if ((s[0] & 0xF0) == 0xE0 && n >= 3) {
		*cp = ((uint32_t)(s[0] & 0x0F) << 12) | ((uint32_t)(s[1] & 0x3F) << 6) | (s[2] & 0x3F);
		return 3;
	}
	if ((s[0] & 0xF8) == 0xF0 && n >= 4) {
		*cp = ((uint32_t)(s[0] & 0x07) << 18) | ((uint32_t)(s[1] & 0x3F) << 12) | ((uint32_t)(s[2] & 0x3F) << 6) |
		      (s[3] & 0x3F);
		return 4;
	}
	*cp = 0xFFFD;
	return 1;
}

static bool is_han(uint32_t c)
{
	return (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0x3400 && c <= 0x4DBF) || (c >= 0xF900 && c <= 0xFAFF);
}

static int cmp_feat(const void *a, const void *b)
{
	uint64_t x = ((const feat *)a)->h, y = ((const feat *)b)->h;
	return x < y ? -1 : x > y;
}

typedef struct {
	vd_dedup_doc *d;
	size_t cap_words;
	int err;
} builder;

static void add_feat(builder *b, uint64_t h, float w)
{
	vd_dedup_doc *d = b->d;
	for (size_t i = 0; i < d->n; i++)
		if (d->f[i].h == h) {
			if (w > d->f[i].w)
				d->f[i].w = w;
			return;
		}
	if (d->n < MAX_FEAT) {
		d->f[d->n].h = h;
		d->f[d->n++].w = w;
	}
}

static char *xstrndup(const char *s, size_t n)
{
	char *p = malloc(n + 1);
	if (p) {
		memcpy(p, s, n);
		p[n] = '\0';
	}
	return p;
}

static void add_word(builder *b, const char *w, size_t n)
{
	if (n < 2 || n > 40)
		return;
	char buf[48];
	memcpy(buf, w, n);
	buf[n] = '\0';
	size_t digits = 0;
	for (size_t i = 0; i < n; i++)
		digits += isdigit((unsigned char)buf[i]) != 0;
	if (digits == n || (digits && n - digits < 2) || in_list(stop_en, buf))
		return;   /* numbers and version parts ("2k", "rc1") say nothing */
	/* light stemming: plural s */
	if (n > 4 && buf[n - 1] == 's' && buf[n - 2] != 's')
		buf[--n] = '\0';
	add_feat(b, fnv(buf, n, 1), 1.0f);
	vd_dedup_doc *d = b->d;
	for (size_t i = 0; i < d->n_words; i++)
		if (strcmp(d->words[i], buf) == 0)
			return;
	if (d->n_words == b->cap_words) {
		size_t nc = b->cap_words ? b->cap_words * 2 : 64;
		if (nc > 2048)
			return;
		char **nw = realloc(d->words, nc * sizeof *nw);
		if (!nw) {
			b->err = VD_ENOMEM;
			return;
		}
		d->words = nw;
		b->cap_words = nc;
	}
	if ((d->words[d->n_words] = xstrndup(buf, n)) != NULL)
		d->n_words++;
}

static void add_concepts(builder *b, const char *lower, const char *spaced)
{
	for (size_t k = 0; k < sizeof concepts / sizeof concepts[0]; k++) {
		bool hit = false;
		for (int i = 0; i < 4 && concepts[k].zh[i] && !hit; i++)
			hit = strstr(lower, concepts[k].zh[i]) != NULL;
		for (int i = 0; i < 4 && concepts[k].en[i] && !hit; i++) {
			/* whole words: " phrase " in the spaced text */
			char pat[64];
			snprintf(pat, sizeof pat, " %s", concepts[k].en[i]);
			const char *p = strstr(spaced, pat);
			while (p && !hit) {
				char after = p[strlen(pat)];
				hit = after == ' ' || after == '\0' || (after == 's' && (p[strlen(pat) + 1] == ' ' ||
				                                                     p[strlen(pat) + 1] == '\0'));
				p = strstr(p + 1, pat);
			}
		}
		if (!hit)
			continue;
		add_feat(b, fnv((const char *)&k, sizeof k, 7), 3.0f);
		vd_dedup_doc *d = b->d;
		if (d->n_concept_kw < 16) {
			const char *en = concepts[k].en[0];
			size_t w = strcspn(en, " ");
			/* the longest word of the first en phrase */
			const char *best = en;
			size_t bl = w;
			for (const char *q = en; *q;) {
				size_t l = strcspn(q, " ");
				if (l > bl) {
					best = q;
					bl = l;
				}
				q += l;
				while (*q == ' ')
					q++;
			}
			if (bl < sizeof d->concept_kw[0]) {
				memcpy(d->concept_kw[d->n_concept_kw], best, bl);
				d->concept_kw[d->n_concept_kw++][bl] = '\0';
			}
		}
	}
}

static void add_text(builder *b, const char *text)
{
	size_t n = strlen(text);
	if (n > TEXT_CAP)
		n = TEXT_CAP;
	char *lower = malloc(n + 1), *spaced = malloc(n + 2);
	if (!lower || !spaced) {
		free(lower);
		free(spaced);
		b->err = VD_ENOMEM;
		return;
	}
	size_t sp = 0;
	spaced[sp++] = ' ';
	for (size_t i = 0; i < n; i++) {
		unsigned char ch = (unsigned char)text[i];
		lower[i] = (char)tolower(ch);
		if (ch < 0x80) {
			char c = isalnum(ch) ? (char)tolower(ch) : ' ';
			if (c != ' ' || spaced[sp - 1] != ' ')
				spaced[sp++] = c;
		} else if (spaced[sp - 1] != ' ')
			spaced[sp++] = ' ';
	}
	lower[n] = '\0';
	spaced[sp] = '\0';
	add_concepts(b, lower, spaced);
	/* words and bigrams */
	const unsigned char *s = (const unsigned char *)lower;
	size_t i = 0, wstart = 0;
	bool inword = false;
	uint32_t prev = 0;
	size_t prev_at = 0, prev_len = 0;
	while (i < n) {
		uint32_t cp;
		size_t l = cp_at(s + i, n - i, &cp);
		bool alnum = cp < 0x80 && isalnum((int)cp);
		if (alnum && !inword) {
			inword = true;
			wstart = i;
		} else if (!alnum && inword) {
			add_word(b, lower + wstart, i - wstart);
			inword = false;
		}
		if (is_han(cp)) {
			if (prev && is_han(prev)) {
				char bg[8];
				memcpy(bg, lower + prev_at, prev_len);
				memcpy(bg + prev_len, lower + i, l);
				bg[prev_len + l] = '\0';
				if (!in_list(stop_zh, bg))
					add_feat(b, fnv(bg, prev_len + l, 3), 1.0f);
			}
		}
		prev = cp;
		prev_at = i;
		prev_len = l;
		i += l;
	}
	if (inword)
		add_word(b, lower + wstart, n - wstart);
	free(lower);
	free(spaced);
}

/* Lower case, alphanumerics only. */
static char *norm_name(const char *s)
{
	size_t n = strlen(s);
	if (n > 200)
		n = 200;
	char *o = malloc(n + 1);
	if (!o)
		return NULL;
	size_t k = 0;
	for (size_t i = 0; i < n; i++)
		if (isalnum((unsigned char)s[i]) || (unsigned char)s[i] >= 0x80)
			o[k++] = (char)tolower((unsigned char)s[i]);
	o[k] = '\0';
	return o;
}

static void push(char ***arr, size_t *n, char *v, size_t max)
{
	if (!v)
		return;
	if (*n >= max) {
		free(v);
		return;
	}
	char **na = realloc(*arr, (*n + 1) * sizeof *na);
	if (!na) {
		free(v);
		return;
	}
	*arr = na;
	(*arr)[(*n)++] = v;
}

static void add_product_words(vd_dedup_doc *d, const char *s)
{
	size_t n = strlen(s);
	for (size_t i = 0; i < n && i < 200;) {
		while (i < n && !isalnum((unsigned char)s[i]))
			i++;
		size_t st = i;
		while (i < n && isalnum((unsigned char)s[i]))
			i++;
		if (i - st >= 2 && i - st < 40) {
			char w[48];
			for (size_t k = st; k < i; k++)
				w[k - st] = (char)tolower((unsigned char)s[k]);
			w[i - st] = '\0';
			bool dup = false;
			for (size_t k = 0; k < d->n_ptoks && !dup; k++)
				dup = strcmp(d->ptoks[k], w) == 0;
			if (!dup && !in_list(stop_en, w))
				push(&d->ptoks, &d->n_ptoks, xstrndup(w, strlen(w)), 64);
		}
	}
}

void vd_dedup_free(vd_dedup_doc *d)
{
	if (!d)
		return;
	for (size_t i = 0; i < d->n_words; i++)
		free(d->words[i]);
	for (size_t i = 0; i < d->n_products; i++)
		free(d->products[i]);
	for (size_t i = 0; i < d->n_ptoks; i++)
		free(d->ptoks[i]);
	for (size_t i = 0; i < d->n_versions; i++)
		free(d->versions[i]);
	free(d->words);
	free(d->products);
	free(d->ptoks);
	free(d->versions);
	free(d->f);
	free(d->idf);
	free(d);
}

int vd_dedup_build(const vd_dedup_input *in, vd_dedup_doc **out)
{
	*out = NULL;
	vd_dedup_doc *d = calloc(1, sizeof *d);
	if (!d || !(d->f = malloc(MAX_FEAT * sizeof *d->f))) {
		free(d);
		return vd_error_set(VD_ENOMEM, "out of memory");
	}
	builder b = {.d = d};
	for (int i = 0; i < 6; i++)
		if (in->text[i] && vd_utf8_valid(in->text[i], strlen(in->text[i])))
			add_text(&b, in->text[i]);
	for (size_t i = 0; i < in->n_products && i < 32; i++)
		if (in->products[i] && *in->products[i]) {
			push(&d->products, &d->n_products, norm_name(in->products[i]), 32);
			add_product_words(d, in->products[i]);
		}
	for (size_t i = 0; i < in->n_versions && i < 64; i++)
		if (in->versions[i])
			push(&d->versions, &d->n_versions, norm_name(in->versions[i]), 64);
	for (size_t i = 0; i < in->n_cwes && d->n_cwes < 32; i++) {
		const char *c = in->cwes[i];
		if (!c)
			continue;
		if (strncasecmp(c, "CWE-", 4) == 0)
			c += 4;
		long v;
		if (vd_parse_long(c, 1, 100000, &v) == VD_OK)
			d->cwes[d->n_cwes++] = (int)v;
		vd_error_clear();
	}
	for (size_t i = 0; i < in->n_cves && d->n_cves < 8; i++)
		if (in->cves[i] && strncasecmp(in->cves[i], "CVE-", 4) == 0 && strlen(in->cves[i]) < 32) {
			size_t k = d->n_cves++;
			for (size_t j = 0; in->cves[i][j]; j++)
				d->cves[k][j] = (char)toupper((unsigned char)in->cves[i][j]);
			d->cves[k][strlen(in->cves[i])] = '\0';
		}
	qsort(d->f, d->n, sizeof *d->f, cmp_feat);
	double s = 0;
	for (size_t i = 0; i < d->n; i++)
		s += (double)d->f[i].w * d->f[i].w;
	d->norm = sqrt(s);
	if (b.err) {
		vd_dedup_free(d);
		return vd_error_set(VD_ENOMEM, "out of memory");
	}
	*out = d;
	return VD_OK;
}

static const feat *has_feat(const vd_dedup_doc *d, const feat *f)
{
	return d->n ? bsearch(f, d->f, d->n, sizeof *d->f, cmp_feat) : NULL;
}

/* Cosine of the feature sets; with idf weights from vd_dedup_weigh, blended
 * with how much of the report's (rare) content the candidate holds. */
static double text_sim(const vd_dedup_doc *a, const vd_dedup_doc *b)
{
	if (a->norm == 0 || b->norm == 0)
		return 0;
	double dot = 0, cov = 0, all = 0;
	for (size_t i = 0; i < a->n; i++) {
		const feat *hit = has_feat(b, &a->f[i]);
		double w = a->idf ? a->idf[i] : 1.0;
		all += w * a->f[i].w;
		if (hit) {
			dot += (double)a->f[i].w * hit->w;
			cov += w * a->f[i].w;
		}
	}
	double cos = dot / (a->norm * b->norm);
	if (!a->idf || all <= 0)
		return cos;
	return 0.6 * (cov / all) + 0.4 * cos;
}

void vd_dedup_weigh(vd_dedup_doc *report, const vd_dedup_doc *const *cands, size_t n)
{
	if (!report->n || !n)
		return;
	float *idf = realloc(report->idf, report->n * sizeof *idf);
	if (!idf)
		return;
	report->idf = idf;
	for (size_t i = 0; i < report->n; i++) {
		size_t df = 0;
		for (size_t k = 0; k < n; k++)
			df += cands[k] && has_feat(cands[k], &report->f[i]) != NULL;
		double v = log(((double)n + 1.0) / ((double)df + 0.5));
		idf[i] = (float)(v < 0.1 ? 0.1 : v);
	}
}

/* 1: same product name; 0.8: product words of the report all in the
 * candidate's names; partial overlap below. */
static double product_sim(const vd_dedup_doc *r, const vd_dedup_doc *c, const char **which)
{
	double best = 0;
	*which = NULL;
	for (size_t i = 0; i < r->n_products; i++)
		for (size_t j = 0; j < c->n_products; j++) {
			const char *a = r->products[i], *b = c->products[j];
			if (!*a || !*b)
				continue;
			if (strcmp(a, b) == 0) {
				*which = r->products[i];
				return 1.0;
			}
			if ((strlen(a) >= 4 && strstr(b, a)) || (strlen(b) >= 4 && strstr(a, b))) {
				if (best < 0.9) {
					best = 0.9;
					*which = r->products[i];
				}
			}
		}
	if (r->n_ptoks && c->n_ptoks) {
		size_t common = 0;
		for (size_t i = 0; i < r->n_ptoks; i++)
			for (size_t j = 0; j < c->n_ptoks; j++)
				if (strcmp(r->ptoks[i], c->ptoks[j]) == 0) {
					common++;
					break;
				}
		double f = 0.8 * (double)common / (double)r->n_ptoks;
		if (f > best) {
			best = f;
			if (!*which && r->n_products)
				*which = r->products[0];
		}
	}
	return best;
}

double vd_dedup_score(const vd_dedup_doc *r, const vd_dedup_doc *c, char *why, size_t why_n)
{
	vd_buf b;
	vd_buf_init(&b, 1024);
	double t = text_sim(r, c);
	const char *prod = NULL;
	double p = product_sim(r, c, &prod);
	bool ver = false;
	for (size_t i = 0; i < r->n_versions && p > 0; i++)
		for (size_t j = 0; j < c->n_versions && !ver; j++)
			ver = *r->versions[i] && strcmp(r->versions[i], c->versions[j]) == 0;
	int cwe = 0;
	for (size_t i = 0; i < r->n_cwes && !cwe; i++)
		for (size_t j = 0; j < c->n_cwes; j++)
			if (r->cwes[i] == c->cwes[j]) {
				cwe = r->cwes[i];
				break;
			}
	const char *cve = NULL;
	for (size_t i = 0; i < r->n_cves && !cve; i++)
		for (size_t j = 0; j < c->n_cves; j++)
			if (strcmp(r->cves[i], c->cves[j]) == 0) {
				cve = r->cves[i];
				break;
			}
	double pv = p > 0 ? (ver ? 1.0 : 0.85) * p : 0;
	double fig = 0.55 * t + 0.30 * pv + 0.15 * (cwe ? 1.0 : 0.0);
	if (cve) {
		vd_buf_printf(&b, "same CVE id %s; ", cve);
		if (fig < 0.97)
			fig = 0.97;
	}
	if (p > 0)
		vd_buf_printf(&b, "%s product %s%s; ", p >= 1.0 ? "same" : "similar", prod ? prod : "?",
		              ver ? " (same version)" : "");
	if (cwe)
		vd_buf_printf(&b, "same CWE-%d; ", cwe);
	vd_buf_printf(&b, "text %.2f", t);
	if (why && why_n)
		vd_strlcpy(why, vd_buf_str(&b), why_n);
	vd_buf_free(&b);
	return fig > 1.0 ? 1.0 : fig;
}

size_t vd_dedup_keywords(const vd_dedup_doc *d, const char **out, size_t max)
{
	size_t n = 0;
	for (size_t i = 0; i < d->n_ptoks && n < max; i++)
		if (strlen(d->ptoks[i]) >= 3)
			out[n++] = d->ptoks[i];
	for (size_t i = 0; i < d->n_concept_kw && n < max; i++)
		out[n++] = d->concept_kw[i];
	/* longest words first: a rough stand-in for rarity */
	size_t start = n;
	for (size_t i = 0; i < d->n_words; i++) {
		const char *w = d->words[i];
		if (strlen(w) < 5)
			continue;
		bool dup = false;
		for (size_t k = 0; k < n && !dup; k++)
			dup = strcmp(out[k], w) == 0;
		if (dup)
			continue;
		if (n < max) {
			out[n++] = w;
		} else {
			/* replace the shortest of the word part */
			size_t sh = start;
			for (size_t k = start; k < n; k++)
				if (strlen(out[k]) < strlen(out[sh]))
					sh = k;
			if (sh < n && strlen(out[sh]) < strlen(w))
				out[sh] = w;
		}
	}
	return n;
}
