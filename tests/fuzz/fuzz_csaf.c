/* libFuzzer target: bytes → jansson value → vd_csaf_to_records (one record
 * per vulnerability, product tree lookups) → canonical JSON.  Must never
 * crash or leak, whatever the input. */
#include <jansson.h>
#include <stdint.h>
#include <stdlib.h>
#include "vulnd/formats.h"
#include "vulnd/error.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int take(void *ctx, vd_record *r)
{
	(void)ctx;
	char *js = NULL;
	if (vd_record_to_json(r, &js) == VD_OK)
		free(js);
	vd_record_free(r);
	return VD_OK;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	json_error_t err;
	json_t *doc = json_loadb((const char *)data, size, JSON_REJECT_DUPLICATES | JSON_DECODE_ANY, &err);
	if (!doc)
		return 0;
	vd_csaf_to_records(doc, take, NULL, NULL);
	json_decref(doc);
	return 0;
}
