/* Fuzz the document splitter (JSON and YAML) and the format converters
 * behind it: any bytes, never a crash, leak or unbounded allocation. */
#include "vulnd/formats.h"
#include <jansson.h>
#include <stdint.h>

static int on_doc(void *ctx, const vd_doc *d)
{
	(void)ctx;
	vd_record *r = NULL;
	if (vd_format_to_record(VD_FMT_AUTO, d->doc, &r, NULL) == 0) {
		char *s = NULL;
		if (vd_record_to_json(r, &s) == 0)
			free(s);
		vd_record_free(r);
	}
	return 0;
}

static void on_bad(void *ctx, const char *where, const char *reason)
{
	(void)ctx; (void)where; (void)reason;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	vd_input_sink sink = {on_doc, on_bad, NULL, NULL};
	/* first byte picks the name, so both the JSON and the YAML path run */
	const char *name = size && (data[0] & 1) ? "fuzz.yaml" : "fuzz.json";
	vd_doc_split(name, (const char *)data, size, &sink);
	return 0;
}
