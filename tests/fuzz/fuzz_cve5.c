/* libFuzzer target: bytes → jansson value → vd_cve5_to_record → canonical
 * JSON.  Must never crash or leak, whatever the input. */
#include <jansson.h>
#include <stdint.h>
#include <stdlib.h>
#include "vulnd/formats.h"
#include "vulnd/error.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	json_error_t err;
	json_t *doc = json_loadb((const char *)data, size, JSON_REJECT_DUPLICATES | JSON_DECODE_ANY, &err);
	if (!doc)
		return 0;
	vd_record *r = NULL;
	if (vd_cve5_to_record(doc, &r) == VD_OK && r) {
		char *js = NULL;
		if (vd_record_to_json(r, &js) == VD_OK)
			free(js);
		vd_record_free(r);
	}
	json_decref(doc);
	return 0;
}
