/* vulnd/formats.h — readers for external formats.
 *
 * Reading is split in two so that memory stays bounded whatever the input:
 *  1. vd_input_walk() turns a path (file, directory tree, .zip/.tar.gz/.tgz
 *     bundle, or "-" for stdin) into a stream of *documents*: each file or
 *     archive entry, cut by vd_doc_split() into one JSON value per record
 *     (a top-level array yields one value per element; a YAML stream one per
 *     document).  No value may exceed VD_DOC_MAX bytes of input or
 *     VD_DOC_DEPTH levels of nesting; such values are reported and skipped.
 *  2. a per-format converter turns one JSON value into a vd_record.
 * Readers never touch the store: records go to a callback.
 */
#ifndef VULND_FORMATS_H
#define VULND_FORMATS_H
#include <stdint.h>
#include <stddef.h>
#include "vulnd/record.h"

struct json_t;

#define VD_DOC_MAX   (32u << 20)   /* bytes of input for one record */
#define VD_DOC_DEPTH 64            /* nesting depth */

typedef enum {
	VD_FMT_AUTO = 0, VD_FMT_CVE5, VD_FMT_OSV,
	VD_FMT_NVD2, VD_FMT_CNNVD, VD_FMT_CNVD, VD_FMT_CSAF,   /* later issues */
	VD_FMT_UNKNOWN
} vd_format;
const char *vd_format_name(vd_format f);            /* "cve5", "osv", ... */
int vd_format_parse(const char *s, vd_format *out); /* VD_EINVAL lists the names */
/* Recognise a record's format by content (not file name); VD_FMT_UNKNOWN if none. */
vd_format vd_format_detect(struct json_t *doc);

/* One value handed to a document callback.  `where` names it for messages:
 * "path/file.json", "bundle.zip:cves/x.json", "page.json[12]" (element 12),
 * "file.yaml#2" (YAML document 2).  doc is borrowed: valid during the call. */
typedef struct {
	const char *where;
	struct json_t *doc;
} vd_doc;

typedef struct vd_input_sink {
	/* A parsed value; return VD_OK to go on, anything else stops the walk. */
	int  (*doc)(void *ctx, const vd_doc *d);
	/* A value or file that could not be read: where + reason (already
	 * includes line/column or byte offset when known). Reading goes on. */
	void (*bad)(void *ctx, const char *where, const char *reason);
	/* Progress: input bytes consumed so far, and the total when known (0 if not). */
	void (*progress)(void *ctx, uint64_t done, uint64_t total);
	void *ctx;
} vd_input_sink;

/* Walk path and feed every value to the sink.  Files are read as JSON unless
 * their content starts like YAML (or name ends .yaml/.yml).  Returns VD_OK
 * when the walk finished (even with bad values), VD_EIO if path can't be
 * opened, or what the doc callback returned. */
int vd_input_walk(const char *path, const vd_input_sink *sink);

/* Parse one in-memory buffer (JSON or YAML) into values for the sink; name
 * is used in messages. Same limits as above. */
int vd_doc_split(const char *name, const char *buf, size_t len, const vd_input_sink *sink);

/* Push-style JSON splitter for streams: feed chunks as they arrive; values
 * go to the sink as they complete; parse errors are reported through
 * sink->bad with line and column, after which the rest is ignored.
 * vd_jsplit_end() finishes (reporting truncation) and frees. name is
 * borrowed and must outlive the splitter. */
typedef struct vd_jsplit vd_jsplit;
vd_jsplit *vd_jsplit_new(const char *name, const vd_input_sink *sink);  /* NULL on ENOMEM */
int vd_jsplit_feed(vd_jsplit *j, const char *buf, size_t len);  /* sink's stop code or VD_OK */
int vd_jsplit_end(vd_jsplit *j);

/* ---- XML (CNNVD, CNVD): every child element of the root becomes one JSON
 * object for the sink.  Mapping: child element (local name, namespace
 * ignored) → member; text-only element → string ("" when empty); element
 * with children or attributes → object with "@attr" members and "#text"
 * for non-blank text; a repeated child name → array of its values.
 * Encodings: UTF-8, UTF-16 and what libxml2 knows natively; GBK, GB2312,
 * GB18030 (declared in the prolog, or undeclared and not valid UTF-8 in the
 * first chunk) are converted to UTF-8 with iconv.  Safety: no DTD accepted
 * (a DOCTYPE is an error: no entities, XXE or billion laughs), no network,
 * depth ≤ VD_DOC_DEPTH, ≤ VD_DOC_MAX bytes per element (larger ones are
 * reported and skipped), libxml2's own 10 MB text-node limit.  A parse
 * error is reported through sink->bad with the line number and ends that
 * input (values already emitted stay); where = "name[N]" (child N). */
typedef ptrdiff_t (*vd_read_fn)(void *src, char *buf, size_t n); /* bytes, 0 at end, -1 error (vd_error_set) */
/* Stream form: head/head_len are bytes already read from the input (may be
 * 0/NULL), then rd(src) supplies the rest.  Returns VD_OK or the sink's stop
 * code (VD_ENOMEM when out of memory). */
int vd_xml_split_stream(const char *name, const char *head, size_t head_len, vd_read_fn rd, void *src,
                        const vd_input_sink *sink);
int vd_xml_split(const char *name, const char *buf, size_t len, const vd_input_sink *sink);

/* ---- converters: one JSON value → one record (*out owned by the caller) ---- */
/* VD_EINVAL with a reason naming the field when the value isn't a usable record. */
int vd_cve5_to_record(struct json_t *doc, vd_record **out);
int vd_osv_to_record(struct json_t *doc, vd_record **out);
/* NVD API 2.0: a {"cve":{…}} item or a bare cve object (one record).  A
 * whole API page is handled by vd_format_to_records (several records). */
int vd_nvd2_to_record(struct json_t *doc, vd_record **out);
/* CNNVD XML <entry> / CNVD XML <vulnerability> as produced by the XML splitter. */
int vd_cnnvd_to_record(struct json_t *doc, vd_record **out);
int vd_cnvd_to_record(struct json_t *doc, vd_record **out);

/* Multi-record callback: takes ownership of r (must vd_record_free it);
 * return VD_OK to go on, anything else stops and is returned. */
typedef int (*vd_record_cb)(void *ctx, vd_record *r);
/* CSAF 2.0 (csaf_security_advisory, csaf_vex, any category): one record per
 * vulnerabilities[] element.  Returns VD_OK when the document was usable
 * (conversion errors of single vulnerabilities are reported through bad(),
 * which may be NULL, with the index, and skipped), VD_EINVAL when the
 * document as a whole is not CSAF, or what cb returned. */
int vd_csaf_to_records(struct json_t *doc, vd_record_cb cb, void *ctx,
                       void (*bad)(void *ctx, long index, const char *reason));
/* NVD API 2.0 page ({"vulnerabilities":[…]}) when it reached the converter
 * whole (the splitter normally cuts it): one record per item, like above. */
int vd_nvd2_page_to_records(struct json_t *doc, vd_record_cb cb, void *ctx,
                            void (*bad)(void *ctx, long index, const char *reason));

/* Convert with the format's converter (detects when fmt is AUTO). */
int vd_format_to_record(vd_format fmt, struct json_t *doc, vd_record **out, vd_format *detected);

/* The general path used by import: convert one value into zero or more
 * records (CSAF documents and unsplit NVD pages give several; every other
 * format one).  Each record goes to cb, which owns it.  A value that is
 * unusable as a whole → VD_EINVAL/VD_EUNSUPPORTED with the reason in
 * vd_error_msg() (nothing was sent to cb).  Single bad parts of a
 * multi-record value go to bad(ctx, index, reason) (may be NULL) and are
 * skipped.  *detected (may be NULL) gets the format used. */
int vd_format_to_records(vd_format fmt, struct json_t *doc, vd_format *detected, vd_record_cb cb,
                         void (*bad)(void *ctx, long index, const char *reason), void *ctx);

#endif
