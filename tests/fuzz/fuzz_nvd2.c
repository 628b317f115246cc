/* libFuzzer target: bytes → document splitter (which cuts NVD API pages)
 * → NVD 2.0 converter (single items and whole pages) → canonical JSON.
 * Must never crash or leak, whatever the input. */
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

static void part_bad(void *ctx, long index, const char *reason)
{
	(void)ctx;
	(void)index;
	(void)reason;
}

static int on_doc(void *ctx, const vd_doc *d)
{
	(void)ctx;
	vd_format_to_records(VD_FMT_NVD2, d->doc, NULL, take, part_bad, NULL);
	return VD_OK;
}

static void on_bad(void *ctx, const char *where, const char *reason)
{
	(void)ctx;
	(void)where;
	(void)reason;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	vd_input_sink s = {on_doc, on_bad, NULL, NULL};
	vd_doc_split("fuzz.json", (const char *)data, size, &s);
	return 0;
}
