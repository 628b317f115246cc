/* vulnd/cwe.h — MITRE CWE catalogue entries and their readers (module:
 * formats; owner: src/formats/cwe.c).
 *
 * Two inputs give the same entries:
 *  - the CSV view downloads (e.g. 1000.csv "Research Concepts", 1194.csv
 *    "Hardware Design"): header row with at least "CWE-ID" and "Name"; used
 *    columns "CWE-ID" (bare integer), "Name", "Weakness Abstraction",
 *    "Status", "Description", "Related Weaknesses"
 *    ("::NATURE:ChildOf:CWE ID:319:VIEW ID:1000:ORDINAL:Primary::...");
 *  - the XML catalogue cwec_v4.*.xml: <Weakness ID Name Abstraction Status>
 *    with <Description> and <Related_Weaknesses><Related_Weakness Nature
 *    CWE_ID View_ID Ordinal/>, and <Category ID Name Status> with <Summary>
 *    (categories come only from the XML: abstraction "Category", no parents).
 *    Read with libxml2's xmlTextReader, XML_PARSE_NONET, no entity
 *    substitution, no DTD loading; a DOCTYPE is refused.
 *
 * Parents: the ChildOf relations of the Research Concepts view (View 1000),
 * primary first; an entry with none there gets the ChildOf relations of the
 * other views (in the order given).  Since both inputs carry the same
 * relations, both give the same parents.
 * Text: name and description have runs of whitespace collapsed to one
 * space and are trimmed; descriptions are cut at VD_CWE_DESC_MAX bytes (at a
 * UTF-8 boundary).
 */
#ifndef VULND_CWE_H
#define VULND_CWE_H
#include <stddef.h>
#include <stdint.h>

#define VD_CWE_MAX_PARENTS 32
#define VD_CWE_DESC_MAX    4096
#define VD_CWE_FILE_MAX    (256u << 20)   /* largest CSV read */

typedef struct vd_cwe {
	int id;                 /* 79 */
	char *name;             /* may be NULL only for an entry not in the catalogue */
	char *abstraction;      /* Pillar, Class, Base, Variant, Compound, Category; may be NULL */
	char *status;           /* Stable, Draft, Incomplete, Deprecated, ...; may be NULL */
	char *description;      /* may be NULL */
	int *parents;           /* ChildOf ids, see above */
	size_t n_parents;
} vd_cwe;

/* Free a heap vd_cwe made by vd_cwe_dup or a store's cwe_get, and its strings. */
void vd_cwe_free(vd_cwe *w);
/* Deep copy (*out freed with vd_cwe_free). */
int vd_cwe_dup(const vd_cwe *w, vd_cwe **out);

/* "CWE-79", "cwe-79" or "79" → 79.  VD_EINVAL otherwise (NVD-CWE-Other too). */
int vd_cwe_id_parse(const char *s, int *id);

/* Entry callback: w and its strings valid during the call only.
 * Return VD_OK to go on; anything else stops the reader and is returned. */
typedef int (*vd_cwe_cb)(void *ctx, const vd_cwe *w);
/* Bad entry: where ("file.csv:12", "file.xml:3456") and reason; reading goes on. */
typedef void (*vd_cwe_bad_cb)(void *ctx, const char *where, const char *reason);

/* CSV view from memory (name for messages).  VD_EINVAL when the header is
 * not a CWE CSV header; otherwise VD_OK (bad rows go to bad, may be NULL)
 * or what cb returned. */
int vd_cwe_read_csv(const char *name, const char *buf, size_t len, vd_cwe_cb cb, vd_cwe_bad_cb bad, void *ctx);
/* XML catalogue from memory. VD_EINVAL on malformed XML or a DOCTYPE
 * (entries before the error were delivered); VD_OK or what cb returned. */
int vd_cwe_read_xml(const char *name, const char *buf, size_t len, vd_cwe_cb cb, vd_cwe_bad_cb bad, void *ctx);
/* A file: XML when its first non-blank byte is '<', else CSV.  XML is
 * streamed (no size limit of its own); CSV is read whole (≤ VD_CWE_FILE_MAX).
 * VD_EIO when it cannot be read. */
int vd_cwe_read_file(const char *path, vd_cwe_cb cb, vd_cwe_bad_cb bad, void *ctx);

#endif
