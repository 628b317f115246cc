/* tests/fuzz/fuzz_version.c — version parsers, native ranges and vers:.
 * Input: first byte picks the scheme, the rest is "A\nB\nRANGE".
 * Invariants: no crash; compare(a,a) == 0; compare(a,b) == -compare(b,a);
 * a parsed vers formats to a string that parses again. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "vulnd/error.h"
#include "vulnd/match.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	vd_scheme s = (vd_scheme)(data[0] % VD_SCHEME_COUNT);
	char buf[4096];
	size_t n = size - 1 < sizeof buf - 1 ? size - 1 : sizeof buf - 1;
	memcpy(buf, data + 1, n);
	buf[n] = '\0';
	char *a = buf, *b = strchr(a, '\n'), *r = NULL;
	if (b) {
		*b++ = '\0';
		r = strchr(b, '\n');
		if (r)
			*r++ = '\0';
	} else {
		b = a;
	}
	int x, y;
	if (vd_version_compare(s, a, a, &x) == VD_OK && x != 0)
		abort();
	if (vd_version_compare(s, a, b, &x) == VD_OK) {
		if (vd_version_compare(s, b, a, &y) != VD_OK || x != -y)
			abort();
	}
	if (r) {
		bool in;
		vd_version_match(s, a, r, &in);
		vd_vers *v = NULL;
		if (vd_vers_parse(r, &v) == VD_OK) {
			char *f = NULL;
			if (vd_vers_format(v, &f) != VD_OK)
				abort();
			vd_vers *w = NULL;
			if (vd_vers_parse(f, &w) != VD_OK || w->n != v->n)
				abort();
			vd_vers_contains(v, a, &in);
			vd_vers_free(w);
			free(f);
		}
		vd_vers_free(v);
	}
	return 0;
}
