/* vulnd/workflow.h — the coordinated-disclosure case: its state machine
 * (one declared table, src/workflow/case.c), the publication gate
 * (src/workflow/gate.c, Art. 9), the clocks (src/workflow/clock.c: vendor
 * deadlines, reminders, escalation, the Art. 7 late-report flag) and the
 * duplicate/originality check (src/workflow/dedup.c).  docs/workflow.md is
 * generated from the table (`vulnd case states --markdown`).
 *
 * These are pure decisions over plain data: no I/O, no store.  The service
 * layer (vulnd/service.h, src/service/case.c) loads and stores cases,
 * checks permissions with the table's actions, and audits every step.
 *
 * Ownership: a vd_case owns an arena (c->arena); every string in it lives
 * there and is freed by vd_case_free().  Strings are UTF-8, NULL when
 * absent.  Times are canonical UTC strings "YYYY-MM-DDTHH:MM:SSZ".
 */
#ifndef VULND_WORKFLOW_H
#define VULND_WORKFLOW_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "vulnd/auth.h"
#include "vulnd/util.h"

/* ---- limits (bytes) of report input ---- */
#define VD_CASE_TITLE_MAX    500
#define VD_CASE_TEXT_MAX     65536   /* description, steps, solution, comments */
#define VD_CASE_SHORT_MAX    200     /* product, vendor, version, cwe, cve, grade */
#define VD_CASE_VECTOR_MAX   256
#define VD_CASE_PARTIES      8       /* experts, vendors per case */
#define VD_CASE_REFS         32
#define VD_CASE_FIELDS       16      /* sector extra fields */
#define VD_CASE_DUPS         16      /* duplicates listed on an original */
#define VD_ATTACH_NAME_MAX   200
#define VD_ATTACH_PER_CASE   16
#define VD_ATTACH_MAX_DEFAULT (10u << 20)   /* 10 MiB per file */

/* ---- states and events ---- */
typedef enum {
	VD_CS_RECEIVED = 0,   /* the pseudo state before a report is stored */
	VD_CS_TRIAGE,         /* stored, duplicate check done: waiting for an analyst */
	VD_CS_VERIFYING,      /* assigned to an analyst (may be referred to experts) */
	VD_CS_REJECTED,       /* not a vulnerability / out of scope (final) */
	VD_CS_DUPLICATE,      /* linked to an original (final) */
	VD_CS_VERIFIED,       /* graded, classified, library id, unpublished record */
	VD_CS_NOTIFIED,       /* vendor contacts notified */
	VD_CS_ACKNOWLEDGED,   /* vendor acknowledged */
	VD_CS_FIXING,         /* fix in progress (also after a failed retest) */
	VD_CS_FIXED,          /* fix released: waiting for a retest */
	VD_CS_RETESTED,       /* retest passed: publication pending */
	VD_CS_PUBLISHED,      /* the record is public (final) */
	VD_CS_COUNT_
} vd_case_state;
#define VD_CS_SAME (-1)   /* "to" of a row that does not change the state */

typedef enum {
	VD_CE_SUBMIT = 0,     /* report intake (with the duplicate check) */
	VD_CE_ASSIGN,         /* assign an analyst */
	VD_CE_REFER,          /* refer to experts of the working group */
	VD_CE_OPINION,        /* an expert gives an opinion */
	VD_CE_VERIFY,         /* verdict: verified (grade, class, library id, record) */
	VD_CE_REJECT,         /* verdict: rejected */
	VD_CE_DUPLICATE,      /* verdict: duplicate of an original */
	VD_CE_NOTIFY,         /* notify vendor contacts (more vendors later: multi-vendor) */
	VD_CE_ACK,            /* vendor acknowledges */
	VD_CE_FIX_PROGRESS,   /* vendor: fix in progress */
	VD_CE_FIX_RELEASE,    /* vendor: fix released (version, patch reference) */
	VD_CE_RETEST_PASS,    /* retest passed */
	VD_CE_RETEST_FAIL,    /* retest failed: back to fixing */
	VD_CE_APPROVE,        /* record approval to publish without a fix / early */
	VD_CE_UPDATE,         /* analyst edits case fields (solution, grade, flags ...) */
	VD_CE_COMMENT,        /* a message in the case thread */
	VD_CE_PUBLISH,        /* publish: the gate decides */
	VD_CE_PROMOTE,        /* side effect of rejecting an original: its earliest
	                         still-valid duplicate is reopened and credited
	                         (not a step a caller takes, like submit) */
	VD_CE_COUNT_
} vd_case_event;

const char *vd_case_state_name(vd_case_state s);   /* "triage"; "?" out of range */
int vd_case_state_parse(const char *name, vd_case_state *out);
const char *vd_case_event_name(vd_case_event e);   /* "verify", "fix-release" */
int vd_case_event_parse(const char *name, vd_case_event *out);
bool vd_case_state_final(vd_case_state s);         /* rejected, duplicate, published */

/* ---- the case ---- */
typedef struct {
	char *url, *type;     /* type: advisory, patch, report, exploit, web ... */
} vd_case_ref;

typedef struct {
	char sha256[VD_HASH_HEX];
	char *name;           /* sanitised file name */
	int64_t size;
	char *kind;           /* poc, exploit, screenshot, document, patch */
	bool publish;         /* the analyst marked it for publication */
	char *at;
} vd_case_attachment;

/* Per vendor organisation of a case (parallel to vendor_ids / vendors):
 * each vendor acknowledges and reports its own fix.  Case-level
 * acked_at / fix_status are rolled up from these (vd_case_vendor_rollup). */
typedef struct {
	char *notified_at;    /* when this vendor was notified (NULL: not yet) */
	char *acked_at;       /* when this vendor acknowledged */
	char *fix_status;     /* NULL, "in-progress" or "released" */
	char *fix_version, *fix_patch, *fixed_at;
} vd_case_vendor;

/* A report marked duplicate of this case (listed on the original). */
typedef struct {
	int64_t case_id;
	char *reporter;       /* user name of the duplicate's reporter */
	int64_t reporter_id;
	char *submitted;      /* when the duplicate was submitted */
} vd_case_dup;

typedef struct vd_case {
	vd_arena *arena;
	int64_t id;
	vd_case_state state;
	char *library;        /* library code (NVDB, APP, VEH) */
	char *record_id;      /* library id once verified (CODE-YYYYMM-NNNN) */
	char *title, *description, *steps;
	char *product, *vendor, *version;
	char *cwe, *cve;      /* suggestions (CWE-79, CVE-...) */
	char *vector;         /* CVSS or GB/T 30279 vector (suggested, then the analyst's) */
	char *grade;          /* critical/high/medium/low */
	char *grade_by;       /* "reporter", "analyst", "computed" */
	char *grade_basis;
	char *class_code;     /* GB/T 30279 class */
	char *solution;       /* solution / mitigation text */
	char *reporter;       /* user name (or "cli") */
	int64_t reporter_id;
	vd_role reporter_role;
	int64_t reporter_org; /* first organisation of the reporter, 0 if none */
	char *submitted;
	char *learned_at;     /* Art. 7: when a vendor learned of it (vendor-submitted) */
	bool art7_late;       /* submitted more than report_days after learned_at */
	char *duplicate_of;   /* original: "case:12" or a record id */
	int64_t analyst_id;
	char *analyst;
	size_t n_experts;
	int64_t expert_ids[VD_CASE_PARTIES];
	char *experts[VD_CASE_PARTIES];
	size_t n_vendors;
	int64_t vendor_ids[VD_CASE_PARTIES];   /* vendor organisations */
	char *vendors[VD_CASE_PARTIES];
	vd_case_vendor vstat[VD_CASE_PARTIES];  /* per vendor: ack, fix */
	/* credit: who is credited for finding it.  credit_case is the case
	 * whose reporter holds the credit (this case's own id normally; the
	 * original for a duplicate; the promoted duplicate for a rejected
	 * original).  credit is that reporter's name, set only when it is this
	 * case's own reporter or a duplicate listed here (so a case never
	 * carries the name of a reporter of a case its readers may not see). */
	char *credit;
	int64_t credit_id, credit_case;
	char *credit_note;    /* "promoted from case:N (rejected)" */
	size_t n_dups;
	vd_case_dup dups[VD_CASE_DUPS];  /* duplicates of this case, oldest first */
	bool operator_details;  /* may hold an operator's live-system details: the
	                           analyst must clear it before publication (true
	                           when the report arrives) */
	char *approved_by, *approved_at, *approval;
	bool approved_early;  /* approval also covers publishing before the deadline */
	char *override_by, *override_reason;   /* blackout override */
	/* notified_at: first notification; acked_at: when every notified
	 * vendor had acknowledged; fix_status "released" when every vendor
	 * released (rolled up from vstat); fix_version / fix_patch: the
	 * latest release of any vendor. */
	char *notified_at, *acked_at, *fix_status, *fix_version, *fix_patch, *fixed_at;
	int retests_failed, retests_passed;
	char *published_at;
	size_t n_fields;
	char *field_names[VD_CASE_FIELDS], *field_values[VD_CASE_FIELDS];
	size_t n_refs;
	vd_case_ref refs[VD_CASE_REFS];
	size_t n_att;           /* filled by the service from the store */
	vd_case_attachment att[VD_ATTACH_PER_CASE];
	char *updated;
} vd_case;

/* New empty case with its own arena (state RECEIVED, operator_details set);
 * NULL on ENOMEM. */
vd_case *vd_case_new(void);
void vd_case_free(vd_case *c);
/* Copy s into the case's arena (NULL and "" → NULL). */
char *vd_case_str(vd_case *c, const char *s);
/* Canonical JSON of the case (attachments excluded: they live in their own
 * table).  *out malloc'd, caller frees. */
int vd_case_to_json(const vd_case *c, char **out);
/* Decode; *out freed with vd_case_free.  Cases stored before per-vendor
 * acknowledgement (vendors without "notified_at") take the case-level
 * notified_at / acked_at / fix fields for every vendor. */
int vd_case_from_json(const char *json, size_t len, vd_case **out);

/* ---- per-vendor acknowledgement and fix ---- */
/* Recompute the case-level acked_at (set at `now` when every notified
 * vendor has acknowledged, NULL while one is pending), fix_status
 * ("released" when every vendor released, "in-progress" when all
 * acknowledged and any reported a fix) and fixed_at from vstat. */
void vd_case_vendor_rollup(vd_case *c, const char *now);
/* Vendors notified but not acknowledged: names joined by ", " into buf
 * (empty when none); returns their number. */
size_t vd_case_vendors_pending(const vd_case *c, char *buf, size_t n);
/* Vendors notified and without a released fix, as above. */
size_t vd_case_vendors_unfixed(const vd_case *c, char *buf, size_t n);
/* Index of the credited duplicate to promote when this original is
 * rejected: the earliest (by submitted time) listed duplicate for which
 * valid(ctx, case_id) says yes; -1 when none. */
int vd_case_dup_pick(const vd_case *c, bool (*valid)(void *ctx, int64_t case_id), void *ctx);

/* ---- reasons (guards and the gate list every failing reason) ---- */
#define VD_REASONS_MAX 16
typedef struct {
	size_t n;
	struct {
		char code[32];    /* stable: "no-fix", "blackout", ... */
		char text[320];
	} r[VD_REASONS_MAX];
} vd_reasons;
void vd_reasons_add(vd_reasons *rs, const char *code, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* "reason one; reason two" into buf. */
void vd_reasons_join(const vd_reasons *rs, char *buf, size_t n);
bool vd_reasons_has(const vd_reasons *rs, const char *code);

/* Arguments of a step (all optional; what each event reads is in the
 * table's doc string).  Strings borrowed for the call. */
typedef struct {
	const char *text;                /* reason, comment, opinion, approval */
	const char *users[VD_CASE_PARTIES];   /* assign: analyst; refer: experts */
	size_t n_users;
	const char *original;            /* duplicate: "case:N" or a record id */
	const char *verdict;             /* opinion: "verified" / "rejected" / free */
	const char *grade, *vector, *class_code, *cwe, *solution;   /* verify / update */
	const char *vendors[VD_CASE_PARTIES];  /* notify: vendor organisation names;
	                                          ack / fix-progress / fix-release:
	                                          the vendor acted for (one) */
	size_t n_vendors;
	const char *version, *patch;     /* fix-release */
	bool early;                      /* approve: also before the deadline */
	bool operator_set;               /* update: operator_details given ... */
	bool operator_details;           /* ... true: set the flag, false: clear it */
	const char *override_reason;     /* update: blackout override */
	const char *ref_url, *ref_type;  /* update: add a reference */
	const char *publish_attachment;  /* update: sha256 (prefix) to mark public */
} vd_case_args;

/* What guards may look at besides the case and the arguments. */
typedef struct {
	int64_t now;
	const vd_principal *who;         /* who takes the step (NULL: unknown) */
	const vd_library_info *lib;      /* the case's library (policy), may be NULL */
	bool in_blackout;
	const char *blackout_reason;
} vd_guard_env;

typedef void (*vd_case_guard)(const vd_case *c, const vd_case_args *a, const vd_guard_env *env,
                              vd_reasons *out);
/* A computed target: the state after the step's side effect was applied
 * to c (e.g. acknowledged only once every vendor has). */
typedef vd_case_state (*vd_case_target)(const vd_case *c_after, vd_case_state from);

/* One row of the table: in any state of from_mask (bit per state), event
 * goes to `to` (VD_CS_SAME: unchanged) if guard adds no reason and the
 * principal passes the permission table for `action` (or, when
 * reporter_may, is the case's reporter). */
typedef struct {
	uint32_t from_mask;
	vd_case_event event;
	int to;
	vd_action action;
	bool reporter_may;
	vd_case_guard guard;             /* NULL: none */
	const char *guard_doc;           /* what the guard requires */
	const char *doc;                 /* what the step does */
	vd_case_target target;           /* NULL: `to`; else computes the state
	                                    (`to` is then the state it leads to
	                                    once every vendor has acted) */
	const char *target_doc;          /* how target decides */
} vd_case_rule;

/* The table, in declaration order. */
const vd_case_rule *vd_case_rules(size_t *n);
/* The row for (state, event); NULL (VD_EPERM-worthy: "cannot EVENT a case
 * in state S") when the table has none. */
const vd_case_rule *vd_case_rule_find(vd_case_state from, vd_case_event ev);
/* The state a row leads to from `from` (ignores a computed target). */
vd_case_state vd_case_rule_to(const vd_case_rule *r, vd_case_state from);
/* The state a row leads to for c after its side effect was applied
 * (the computed target when the row has one). */
vd_case_state vd_case_rule_target(const vd_case_rule *r, const vd_case *c_after, vd_case_state from);
/* The vendor (index into c->vendors) a vendor step is taken for: a vendor
 * user's own organisation (it may not act for another: reason code
 * "permission"); anyone else must name it in a->vendors[0] unless the case
 * has exactly one vendor.  -1 with the reasons added when it cannot tell. */
int vd_case_vendor_actor(const vd_case *c, const vd_case_args *a, const vd_principal *who, vd_reasons *why);
/* Events allowed in a state (bit per event). */
uint32_t vd_case_events_in(vd_case_state s);
/* Documentation from the table: "dot" (Graphviz), "mermaid" or
 * "markdown" (docs/workflow.md with a mermaid diagram); caller frees. */
int vd_case_table_doc(const char *format, char **out);

/* ---- the publication gate (Art. 9) ---- */
/* Every failing reason at once (codes: no-fix, deadline, no-solution,
 * exploit, operator-details, blackout, grade).  refs/attachments are the
 * case's; now and the blackout come from env; fix deadline from
 * env->lib (default 45 days) counted from c->notified_at.  VD_OK: may
 * publish (out->n == 0). */
int vd_gate_check(const vd_case *c, const vd_guard_env *env, vd_reasons *out);

/* ---- clocks ---- */
typedef struct {
	int64_t notified;        /* 0 when not notified yet */
	int64_t ack_due, fix_due;/* deadlines (0 when not running) */
	bool acked, fixed;
} vd_case_clock;
/* Deadlines of a case under a library's policy (lib NULL: defaults). */
void vd_clock_of(const vd_case *c, const vd_library_info *lib, vd_case_clock *out);

/* A due item: a reminder (before the deadline) or an escalation (past it). */
typedef struct {
	char kind[32];           /* "ack-overdue", "fix-reminder-50", "fix-reminder-80", "fix-overdue" */
	int64_t due;             /* when it became due */
	int64_t deadline;        /* the deadline it is about */
	bool escalation;
} vd_clock_item;
#define VD_CLOCK_ITEMS 4
/* Items of c due at now (each fires once; the service records them). */
size_t vd_clock_due(const vd_case *c, const vd_library_info *lib, int64_t now, vd_clock_item out[VD_CLOCK_ITEMS]);
/* Art. 7: a vendor report filed more than report_days (lib, default 2)
 * after the vendor learned of it. */
bool vd_clock_art7_late(int64_t learned, int64_t submitted, const vd_library_info *lib);
/* Reminder fractions of the fix window (percent), for docs and tests. */
extern const int vd_clock_reminder_pct[2];

/* ---- duplicate / originality check ---- */
/* Text features of a report or record: Latin words (lower case, stop words
 * and version-like tokens dropped), CJK bigrams, and concept tokens for a
 * small zh↔en vocabulary of vulnerability terms (缓冲区溢出 = buffer
 * overflow ...), so a translation still matches. */
typedef struct vd_dedup_doc vd_dedup_doc;
typedef struct {
	const char *id;                  /* "case:12" or a record id */
	const char *text[6];             /* titles, descriptions (any language); NULL: none */
	const char *const *products;     /* product / vendor names */
	size_t n_products;
	const char *const *versions;     /* affected versions (as listed) */
	size_t n_versions;
	const char *const *cwes;
	size_t n_cwes;
	const char *const *cves;         /* CVE ids (own id or aliases) */
	size_t n_cves;
} vd_dedup_input;
/* Build; *out freed with vd_dedup_free. */
int vd_dedup_build(const vd_dedup_input *in, vd_dedup_doc **out);
void vd_dedup_free(vd_dedup_doc *d);
/* Similarity of a report to a candidate in [0, 1] and the reason
 * ("same CVE id CVE-…; same product openssl; text 0.42"). */
double vd_dedup_score(const vd_dedup_doc *report, const vd_dedup_doc *cand, char *why, size_t why_n);
/* Weigh the report's features by how rare they are among the candidates
 * (inverse document frequency), so that shared boilerplate ("denial of
 * service", "cross-site scripting") counts less than a rare word.  Then
 * score each candidate with vd_dedup_score. */
void vd_dedup_weigh(vd_dedup_doc *report, const vd_dedup_doc *const *cands, size_t n);
/* Salient search words of a document (for fetching candidates from the
 * full-text index): up to max words, rarest-looking first; borrowed from d. */
size_t vd_dedup_keywords(const vd_dedup_doc *d, const char **out, size_t max);

#endif
