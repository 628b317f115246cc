/* Fuzz target: any bytes → JSON (duplicates refused) → OSV converter →
 * canonical JSON of the record; everything freed.  Must never crash or leak. */
#include "vulnd/formats.h"
#include "vulnd/record.h"
#include <jansson.h>
#include <stdint.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	json_error_t err;
	json_t *doc = json_loadb((const char *)data, size, JSON_REJECT_DUPLICATES | JSON_DECODE_ANY, &err);
	if (!doc)
		return 0;
	vd_record *r = NULL;
	if (vd_osv_to_record(doc, &r) == 0 && r) {
		char *js = NULL;
		if (vd_record_to_json(r, &js) == 0)
			free(js);
		vd_record_free(r);
	}
	json_decref(doc);
	return 0;
}
