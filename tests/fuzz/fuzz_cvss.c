/* tests/fuzz/fuzz_cvss.c — CVSS vector parser/scorer.
 * Invariants checked on every input: no crash; a parsed vector has scores
 * in [0, 10]; its normalised form parses again to the same scores. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "vulnd/cvss.h"
#include "vulnd/error.h"

static int in_range(double x) { return x >= 0.0 && x <= 10.0; }

static void check(const char *s, unsigned flags)
{
	vd_cvss a, b;
	if (vd_cvss_parse_ex(s, flags, &a) != VD_OK)
		return;
	if (!in_range(a.base) || !in_range(a.temporal) || !in_range(a.environmental) ||
	    !in_range(a.score))
		abort();
	if (vd_cvss_parse(a.normalized, &b) != VD_OK)
		abort();
	if (a.base != b.base || a.temporal != b.temporal || a.environmental != b.environmental ||
	    a.score != b.score || strcmp(a.normalized, b.normalized) != 0)
		abort();
	if (!vd_cvss_severity(a.version, a.score))
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char buf[2048];
	if (size >= sizeof buf)
		size = sizeof buf - 1;
	memcpy(buf, data, size);
	buf[size] = '\0';
	check(buf, 0);
	check(buf, VD_CVSS_ANY_ORDER);
	return 0;
}
