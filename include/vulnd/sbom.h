/* vulnd/sbom.h — software bills of materials and VEX documents.
 *
 * Readers (no I/O besides vd_sbom_read_file; no store access):
 *   CycloneDX 1.0–1.6 JSON and XML   (src/formats/sbom_cdx.c)
 *   SPDX 2.2 / 2.3 JSON and tag-value (src/formats/sbom_spdx.c)
 *   CSAF 2.0 VEX (product_status)      (src/formats/vex.c)
 * SPDX 3.0 (JSON-LD), SPDX RDF/XML, XML and YAML serialisations are
 * refused with VD_EUNSUPPORTED and a message saying what to convert to.
 *
 * One parsed document is a vd_sbom: its components (flattened: nested
 * CycloneDX components are listed after their parent) and, for a VEX
 * document (a CycloneDX BOM with vulnerabilities[].analysis, or CSAF), its
 * VEX statements.  Everything hangs off sbom->arena and is freed by
 * vd_sbom_free().  Strings are UTF-8; absent values are NULL (never "").
 *
 * Limits: VD_SBOM_MAX bytes of input, VD_SBOM_COMPONENTS_MAX components,
 * VD_SBOM_VEX_MAX statements, nesting VD_SBOM_DEPTH levels; over a limit
 * → VD_ETOOBIG.  Malformed input → VD_EINVAL with the file name and what is
 * wrong (line for tag-value, line/column for JSON and XML).
 * Thread-safe (errors go to the per-thread message of vulnd/error.h).
 */
#ifndef VULND_SBOM_H
#define VULND_SBOM_H
#include <stdbool.h>
#include <stddef.h>
#include "vulnd/util.h"

#define VD_SBOM_MAX            (64u << 20)
#define VD_SBOM_COMPONENTS_MAX 200000
#define VD_SBOM_VEX_MAX        200000
#define VD_SBOM_DEPTH          32

typedef enum {
	VD_SBOM_CDX_JSON = 0, VD_SBOM_CDX_XML, VD_SBOM_SPDX_JSON, VD_SBOM_SPDX_TV, VD_SBOM_CSAF
} vd_sbom_format;
const char *vd_sbom_format_name(vd_sbom_format f);  /* "cyclonedx-json", ... */

typedef struct {
	char *ref;         /* bom-ref / SPDXID */
	char *type;        /* CycloneDX type / SPDX primaryPackagePurpose (as given) */
	char *group;       /* CycloneDX group (Maven groupId, ...) */
	char *name;
	char *version;
	char *purl;        /* as given */
	char **cpes; size_t n_cpes;   /* as given (2.3 formatted strings or URIs) */
} vd_sbom_component;

/* VEX analysis states.  CycloneDX names map as: not_affected, false_positive
 * → NOT_AFFECTED; exploitable → AFFECTED; resolved, resolved_with_pedigree
 * → FIXED; in_triage → UNDER_INVESTIGATION.  CSAF product_status lists
 * known_not_affected / known_affected (first_, last_) / fixed (first_) /
 * under_investigation map likewise, as do the OpenVEX names. */
typedef enum {
	VD_VEX_NONE = 0, VD_VEX_NOT_AFFECTED, VD_VEX_AFFECTED, VD_VEX_FIXED, VD_VEX_UNDER_INVESTIGATION
} vd_vex_state;
const char *vd_vex_state_name(vd_vex_state s);   /* "not_affected", ...; "" for NONE */
/* Any of the names above (case-insensitive); VD_EINVAL for others. */
int vd_vex_state_parse(const char *s, vd_vex_state *out);
/* The CycloneDX analysis.state written for a state ("not_affected",
 * "exploitable", "resolved", "in_triage"). */
const char *vd_vex_state_cdx(vd_vex_state s);
/* Does a finding with this state stay reported?  NOT_AFFECTED and FIXED
 * suppress; AFFECTED, UNDER_INVESTIGATION and NONE keep it. */
static inline bool vd_vex_keeps(vd_vex_state s) { return s != VD_VEX_NOT_AFFECTED && s != VD_VEX_FIXED; }

/* One statement: vulnerability × product. */
typedef struct {
	char *vuln_id;            /* CVE-…, GHSA-…, as given */
	char **aliases; size_t n_aliases;   /* other ids of the vulnerability (CycloneDX references[].id, CSAF ids) */
	char *ref;                /* product as referenced (bom-ref, BOM-Link, purl, CSAF product id) */
	char *purl;               /* product purl when the reference resolves to one (or is one) */
	char *cpe;                /* product CPE when known */
	char *name, *version;     /* product name/version when known */
	vd_vex_state state;
	char *justification;      /* code_not_present, component_not_present, ... (CSAF flag label) */
	char *detail;
	char *response;           /* CycloneDX responses joined by ',' */
} vd_vex_stmt;

typedef struct vd_sbom {
	vd_sbom_format format;
	char *spec_version;       /* "1.4", "SPDX-2.3", "2.0" (CSAF) */
	char *serial;             /* serialNumber / documentNamespace / tracking id */
	char *name, *version;     /* the subject: metadata.component / document name */
	vd_sbom_component *comps; size_t n_comps;
	vd_vex_stmt *vex; size_t n_vex;
	size_t cap_comps, cap_vex;   /* internal */
	vd_arena *arena;          /* owns everything above */
} vd_sbom;

/* Parse a document whose format is recognised by content.  name is used in
 * messages.  *out owned by the caller: vd_sbom_free(). */
int vd_sbom_parse(const char *buf, size_t len, const char *name, vd_sbom **out);
/* Read and parse a file ("-": standard input), at most VD_SBOM_MAX bytes. */
int vd_sbom_read_file(const char *path, vd_sbom **out);
void vd_sbom_free(vd_sbom *s);

/* ---- CycloneDX VEX writer (vex.c) ---- */
/* One statement to write; strings borrowed. */
typedef struct {
	const char *vuln_id;
	const char *source;       /* source name of the vulnerability id (e.g. "vulnd"), may be NULL */
	const char *ref;          /* bom-ref of the component (NULL: made from purl or name) */
	const char *name, *version, *purl;   /* the component, written under components[] */
	vd_vex_state state;
	const char *justification, *detail;
	const char *grade;        /* critical/high/medium/low → ratings[].severity, may be NULL */
} vd_vex_out;
/* A CycloneDX 1.5 JSON VEX document: components (each distinct ref once)
 * and vulnerabilities[] with analysis and affects.  subject_name /
 * subject_version describe metadata.component (may be NULL); timestamp is a
 * canonical UTC time (NULL: now).  The serial number is derived from the
 * content (same input, same document).  *out malloc'd, caller frees. */
int vd_vex_write_cdx(const vd_vex_out *st, size_t n, const char *subject_name, const char *subject_version,
                     const char *timestamp, char **out);

/* ---- internal to the readers (sbom_cdx.c, sbom_spdx.c, vex.c) ---- */
struct json_t;
vd_sbom *vd_sbom_new_(vd_sbom_format f);
vd_sbom_component *vd_sbom_add_comp_(vd_sbom *s);        /* NULL: ETOOBIG/ENOMEM set */
vd_vex_stmt *vd_sbom_add_vex_(vd_sbom *s);
int vd_sbom_comp_add_cpe_(vd_sbom *s, vd_sbom_component *c, const char *cpe);
int vd_vex_stmt_add_alias_(vd_sbom *s, vd_vex_stmt *v, const char *id);
char *vd_sbom_str_(vd_sbom *s, const char *v);           /* NULL/blank → NULL */
int vd_sbom_cdx_json_(struct json_t *root, const char *name, vd_sbom **out);
int vd_sbom_cdx_xml_(const char *buf, size_t len, const char *name, vd_sbom **out);
int vd_sbom_spdx_json_(struct json_t *root, const char *name, vd_sbom **out);
int vd_sbom_spdx_tv_(const char *buf, size_t len, const char *name, vd_sbom **out);
int vd_sbom_csaf_(struct json_t *root, const char *name, vd_sbom **out);

#endif
