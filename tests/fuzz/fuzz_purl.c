/* tests/fuzz/fuzz_purl.c — package URL parser.
 * Invariants: no crash; the canonical form parses again and is a fixed
 * point of normalisation. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "vulnd/error.h"
#include "vulnd/match.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char buf[4096];
	size_t n = size < sizeof buf - 1 ? size : sizeof buf - 1;
	memcpy(buf, data, n);
	buf[n] = '\0';
	char *a = NULL, *b = NULL;
	if (vd_purl_normalize(buf, &a) != VD_OK)
		return 0;
	if (vd_purl_normalize(a, &b) != VD_OK || strcmp(a, b) != 0)
		abort();
	vd_purl *p = NULL;
	if (vd_purl_parse(a, &p) == VD_OK) {
		const char *eco;
		char *pkg = NULL;
		if (vd_purl_to_osv(p, &eco, &pkg) == VD_OK)
			free(pkg);
		vd_purl_free(p);
	}
	free(a);
	free(b);
	return 0;
}
