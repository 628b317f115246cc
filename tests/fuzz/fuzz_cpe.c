/* tests/fuzz/fuzz_cpe.c — CPE 2.3 formatted string / URI parser.
 * Invariants: no crash; a parsed name formats to a string that parses to
 * an EQUAL name (and the same string again); comparing with itself is
 * EQUAL unless it has wildcards. */
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
	vd_cpe *c = NULL;
	if (vd_cpe_parse(buf, &c) != VD_OK)
		return 0;
	char *f = NULL, *u = NULL, *f2 = NULL;
	if (vd_cpe_format(c, &f) != VD_OK)
		abort();
	vd_cpe *d = NULL;
	if (vd_cpe_parse(f, &d) != VD_OK)
		abort();
	if (vd_cpe_format(d, &f2) != VD_OK || strcmp(f, f2) != 0)
		abort();
	vd_cpe_rel r = vd_cpe_compare(c, d);
	if (r != VD_CPE_REL_EQUAL && r != VD_CPE_REL_UNDEFINED)
		abort();
	if (vd_cpe_format_uri(c, &u) == VD_OK) {
		vd_cpe *e = NULL;
		if (vd_cpe_parse(u, &e) == VD_OK)
			vd_cpe_compare(c, e);
		vd_cpe_free(e);
	}
	vd_cpe_match m = {buf, "1.0", NULL, NULL, "2.0"};
	bool out;
	vd_cpe_match_eval(&m, d, &out);
	free(f);
	free(f2);
	free(u);
	vd_cpe_free(c);
	vd_cpe_free(d);
	return 0;
}
