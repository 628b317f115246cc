/* tests/fuzz/fuzz_cwe.c — CWE CSV and XML catalogue readers.  Invariants:
 * no crash; every delivered entry has a positive id, a non-empty name and
 * at most VD_CWE_MAX_PARENTS positive parent ids. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "vulnd/cwe.h"
#include "vulnd/error.h"

static int check(void *ctx, const vd_cwe *w)
{
	(void)ctx;
	if (w->id <= 0 || !w->name || !*w->name || w->n_parents > VD_CWE_MAX_PARENTS)
		abort();
	for (size_t i = 0; i < w->n_parents; i++)
		if (w->parents[i] <= 0)
			abort();
	if (w->description && strlen(w->description) > VD_CWE_DESC_MAX)
		abort();
	return VD_OK;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size > (1u << 20))
		return 0;
	vd_cwe_read_csv("fuzz.csv", (const char *)data, size, check, NULL, NULL);
	vd_cwe_read_xml("fuzz.xml", (const char *)data, size, check, NULL, NULL);
	return 0;
}
