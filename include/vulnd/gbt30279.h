/* vulnd/gbt30279.h — GB/T 30279-2020 vulnerability classification tree and
 * grading (module: score; owner: src/score/gbt30279.c).  docs/gbt30279.md
 * describes the tree, the vector syntax and the default table.
 *
 * Classification: a fixed tree of classes with stable dotted codes
 * ("1.2.2.4" = 跨站脚本 cross-site scripting), zh and en names, and a
 * CWE → class table.  A CWE that is not in the table falls to its nearest
 * ancestor (breadth-first over the CWE ChildOf hierarchy, supplied by the
 * caller through a callback) that is; failing that to 其他 (code "4").
 *
 * Grading: a GB/T 30279 metric vector (syntax below) is graded with a
 * lookup table: metric points → exploitability level and impact level →
 * technical grade (matrix) → overall grade (technical grade moved by the
 * environment metrics).  The table is data ("vulnd default, GB/T 30279
 * metric set", data/gbt30279-grading.tsv; the same text is compiled in) and
 * can be replaced: vd_gbt_load_table().  The table also holds the CVSS →
 * grade mapping (default 9.0–10 超危, 7.0–8.9 高危, 4.0–6.9 中危,
 * 0.1–3.9 低危).  Every grade comes with a basis string naming the vector
 * and the table version.
 *
 * Vector syntax:  GBT30279:2020/AP:N/TR:L/PR:N/UI:N/C:S/I:S/A:S[/EC:L/FD:H/SC:H]
 *   prefix "GBT30279:2020/" (case-sensitive), then "/"-separated NAME:VALUE:
 *   AP access path 访问路径      N 网络, A 邻接, L 本地, P 物理
 *   TR trigger requirement 触发要求   L 低, H 高
 *   PR privileges needed 权限需求     N 无, L 低, H 高
 *   UI user interaction 交互条件      N 不需要, R 需要
 *   C/I/A confidentiality/integrity/availability impact  S 严重, M 一般, N 无
 *   EC cost of exploitation 被利用成本  L 低, M 中, H 高        (optional)
 *   FD fix difficulty 修复难度          H 高, M 中, L 低        (optional)
 *   SC scope of impact 影响范围         H 高, M 中, L 低, N 无  (optional)
 *   AP..A are mandatory; any order; each at most once; no empty parts or
 *   trailing "/"; at most VD_GBT_VECTOR_MAX bytes; surrounding ASCII
 *   whitespace ignored.  Normalised form: prefix + metrics in the order above.
 *
 * Thread safety: no mutable global state except the default table, which is
 * built once (pthread_once) on first use.  Strings returned are static
 * unless said otherwise.
 */
#ifndef VULND_GBT30279_H
#define VULND_GBT30279_H
#include <stdbool.h>
#include <stddef.h>

/* ---- classification tree ---- */
typedef struct vd_gbt_class {
	const char *code;      /* stable dotted code: "1", "1.2", "1.2.2.4" */
	const char *parent;    /* parent code; NULL for a top-level class */
	const char *zh;        /* 跨站脚本 */
	const char *en;        /* Cross-site scripting */
} vd_gbt_class;

#define VD_GBT_CLASS_OTHER "4"    /* 其他 */

size_t vd_gbt_class_count(void);
const vd_gbt_class *vd_gbt_class_at(size_t i);          /* tree order; NULL past the end */
const vd_gbt_class *vd_gbt_class_get(const char *code);  /* NULL when unknown */
const vd_gbt_class *vd_gbt_class_parent(const vd_gbt_class *c);  /* NULL for top level */
const vd_gbt_class *vd_gbt_class_other(void);
/* By name as sources write it: the zh or en name of a class, or a known
 * variant spelling (CNNVD vuln-type values such as 缓冲区溢出, 竞争条件,
 * 格式化字符串, 未声明问题).  Surrounding whitespace ignored; en names
 * compared ASCII case-insensitively.  NULL when not recognised. */
const vd_gbt_class *vd_gbt_class_by_name(const char *name);

/* ---- CWE → class ---- */
/* Number of CWE ids in the mapping table and entry i (ascending ids). */
size_t vd_gbt_cwe_map_count(void);
int vd_gbt_cwe_map_at(size_t i, int *cwe, const vd_gbt_class **cls);
/* Class of a CWE id in the table itself (no hierarchy); NULL when absent. */
const vd_gbt_class *vd_gbt_cwe_class_direct(int cwe);

/* Parents of a CWE (ChildOf, nearest first): writes up to max ids to out and
 * returns how many there are (>= 0), or a negative VD_E* code. */
typedef int (*vd_cwe_parents_fn)(void *ctx, int cwe, int *out, size_t max);

/* Class of a CWE: the table entry of the id, else of its nearest ancestor
 * (breadth-first, at most 512 ids visited), else 其他.  parents may be NULL
 * (no hierarchy).  *via (may be NULL) gets the CWE id whose table entry
 * decided, or 0 when the result is 其他 by default.  Never NULL. */
const vd_gbt_class *vd_gbt_classify_cwe(int cwe, vd_cwe_parents_fn parents, void *ctx, int *via);
/* Same for a CWE string as records carry it: "CWE-79" (or "79");
 * "NVD-CWE-Other" and "NVD-CWE-noinfo" and anything unparseable → 其他. */
const vd_gbt_class *vd_gbt_classify_cwe_str(const char *cwe, vd_cwe_parents_fn parents, void *ctx,
                                            int *via);

/* ---- grades ---- */
typedef enum {
	VD_GBT_GRADE_NONE = 0,      /* no grade (CVSS 0.0) */
	VD_GBT_LOW, VD_GBT_MEDIUM, VD_GBT_HIGH, VD_GBT_CRITICAL,
} vd_gbt_grade;
const char *vd_gbt_grade_key(vd_gbt_grade g);   /* "low" .. "critical"; NULL for NONE */
const char *vd_gbt_grade_zh(vd_gbt_grade g);    /* 低危 .. 超危; NULL for NONE */
/* "critical"/"high"/"medium"/"low" (ASCII case-insensitive) or 超危/高危/
 * 中危/低危. VD_EINVAL otherwise. */
int vd_gbt_grade_parse(const char *s, vd_gbt_grade *out);

/* ---- metric vectors ---- */
enum {
	VD_GBT_AP, VD_GBT_TR, VD_GBT_PR, VD_GBT_UI,        /* exploitability */
	VD_GBT_C, VD_GBT_I, VD_GBT_A,                      /* impact */
	VD_GBT_EC, VD_GBT_FD, VD_GBT_SC,                   /* environment (optional) */
	VD_GBT_NMETRICS
};
#define VD_GBT_PREFIX     "GBT30279:2020/"
#define VD_GBT_VECTOR_MAX 256

typedef struct {
	unsigned char m[VD_GBT_NMETRICS];   /* 0 absent, else 1 + value index */
	char normalized[96];
} vd_gbt_vector;

/* true when s starts with "GBT30279" (after blanks): a GB/T vector, valid or not. */
bool vd_gbt_is_vector(const char *s);
/* Parse and validate; *out zeroed first.  VD_OK, or VD_EINVAL/VD_ETOOBIG
 * with vd_error_set() naming the problem (missing/wrong prefix, empty
 * component, unknown metric, bad value, duplicate, missing mandatory). */
int vd_gbt_vector_parse(const char *s, vd_gbt_vector *out);
const char *vd_gbt_metric_name(int i);          /* "AP"; NULL out of range */
int vd_gbt_metric_nvalues(int i);               /* 0 out of range */
const char *vd_gbt_metric_value(int i, int j);  /* "N"; NULL out of range */
const char *vd_gbt_metric_value_zh(int i, int j);  /* 网络 */

/* ---- grading tables ---- */
typedef struct vd_gbt_table vd_gbt_table;

/* Parse a table from text (format in docs/gbt30279.md); name is used in
 * messages ("file:line: ...").  *out freed with vd_gbt_table_free. */
int vd_gbt_table_parse(const char *name, const char *text, size_t len, vd_gbt_table **out);
/* Read and parse a table file (at most 1 MiB). */
int vd_gbt_load_table(const char *path, vd_gbt_table **out);
void vd_gbt_table_free(vd_gbt_table *t);
/* The compiled-in default table (never freed; NULL only if it failed to
 * parse, which the unit tests rule out) and its source text. */
const vd_gbt_table *vd_gbt_table_default(void);
const char *vd_gbt_default_table_text(void);
const char *vd_gbt_table_version(const vd_gbt_table *t);   /* "vulnd-default-2020.1" */

typedef struct {
	vd_gbt_grade technical;     /* from exploitability × impact */
	vd_gbt_grade overall;       /* technical moved by the environment metrics */
	int exploit_points, impact_points, env_points;
	char exploit_level;         /* 'H', 'M' or 'L' */
	char impact_level;          /* 'H', 'M', 'L' or 'N' */
	int adjust;                 /* grade steps added by the environment (0 when none given) */
	char basis[200];            /* "gbt30279 GBT30279:2020/...; table vulnd-default-2020.1" */
} vd_gbt_result;

/* Grade a parsed vector with table t (NULL = default). VD_OK or VD_EINVAL. */
int vd_gbt_grade_vector(const vd_gbt_table *t, const vd_gbt_vector *v, vd_gbt_result *out);

/* CVSS score (v3.x/v4.0) → grade with t's cvss rows (NULL = default).
 * version ("3.1") and vector (may be NULL) only go into the basis:
 * "cvss:3.1 9.8 CVSS:3.1/AV:N/...; table vulnd-default-2020.1".
 * Returns the grade (VD_GBT_GRADE_NONE below every row, e.g. 0.0). */
vd_gbt_grade vd_gbt_grade_cvss(const vd_gbt_table *t, const char *version, double score,
                               const char *vector, char *basis, size_t basis_size);

#endif
