/* vulnd/osv_write.h — write a record as an OSV 1.x document (the shape of
 * OSV.dev's GET /v1/vulns/{id}).
 *
 * Mapping: id = the record id; aliases = the other ids it is known by;
 * summary/details = English title/description (Chinese when no English);
 * severity = CVSS vectors (CVSS_V2/V3/V4); affected = entries with an OSV
 * package (ecosystem + name), their SEMVER/ECOSYSTEM/GIT ranges and
 * versions; references and credits with OSV type names.  What OSV has no
 * field for goes under database_specific: grade, CWE ids, vendor/product
 * entries without a package, the Chinese texts.
 */
#ifndef VULND_OSV_WRITE_H
#define VULND_OSV_WRITE_H
#include "vulnd/record.h"

#define VD_OSV_SCHEMA_VERSION "1.6.0"

struct json_t;
/* New jansson object (caller json_decref()s); NULL on ENOMEM. */
struct json_t *vd_osv_from_record(const vd_record *r);
/* Compact JSON text with sorted keys into *out (malloc'd, caller frees). */
int vd_osv_write(const vd_record *r, char **out);

#endif
