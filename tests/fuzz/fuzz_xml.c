/* libFuzzer target: bytes → XML splitter → every value through the CNNVD
 * and CNVD converters and auto detection → canonical JSON.  Covers the
 * encoding detection (GBK/GB18030 via iconv) and the hostile-input limits.
 * Must never crash or leak, whatever the input. */
#include <jansson.h>
#include <stdint.h>
#include <stdlib.h>
#include "vulnd/formats.h"
#include "vulnd/error.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void use(vd_record *r)
{
	char *js = NULL;
	if (vd_record_to_json(r, &js) == VD_OK)
		free(js);
	vd_record_free(r);
}

static int take(void *ctx, vd_record *r)
{
	(void)ctx;
	use(r);
	return VD_OK;
}

static int on_doc(void *ctx, const vd_doc *d)
{
	(void)ctx;
	vd_record *r = NULL;
	if (vd_cnnvd_to_record(d->doc, &r) == VD_OK)
		use(r);
	r = NULL;
	if (vd_cnvd_to_record(d->doc, &r) == VD_OK)
		use(r);
	vd_format_to_records(VD_FMT_AUTO, d->doc, NULL, take, NULL, NULL);
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
	vd_xml_split("fuzz.xml", (const char *)data, size, &s);
	return 0;
}
