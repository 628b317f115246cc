/* tests/fuzz/fuzz_gbt30279.c — GB/T 30279 vector parser, grading and the
 * grading-table parser.  Invariants: no crash; a parsed vector grades to
 * low..critical with a basis naming the table; its normalised form parses
 * again to the same metrics; a table that parses grades every vector. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "vulnd/error.h"
#include "vulnd/gbt30279.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char buf[4096];
	if (size >= sizeof buf)
		size = sizeof buf - 1;
	memcpy(buf, data, size);
	buf[size] = '\0';

	vd_gbt_vector v, w;
	if (vd_gbt_vector_parse(buf, &v) == VD_OK) {
		vd_gbt_result r;
		if (vd_gbt_grade_vector(NULL, &v, &r) != VD_OK || r.overall < VD_GBT_LOW || r.overall > VD_GBT_CRITICAL ||
		    !strstr(r.basis, "; table "))
			abort();
		if (vd_gbt_vector_parse(v.normalized, &w) != VD_OK || memcmp(v.m, w.m, sizeof v.m) != 0)
			abort();
	}

	vd_gbt_table *t;
	if (vd_gbt_table_parse("fuzz", buf, size, &t) == VD_OK) {
		const char *vec = "GBT30279:2020/AP:N/TR:L/PR:N/UI:N/C:S/I:M/A:N/SC:N";
		vd_gbt_result r;
		if (vd_gbt_vector_parse(vec, &v) != VD_OK || vd_gbt_grade_vector(t, &v, &r) != VD_OK ||
		    r.overall < VD_GBT_LOW || r.overall > VD_GBT_CRITICAL)
			abort();
		char basis[200];
		vd_gbt_grade g = vd_gbt_grade_cvss(t, "3.1", 7.5, NULL, basis, sizeof basis);
		if (g > VD_GBT_CRITICAL)
			abort();
		vd_gbt_table_free(t);
	}
	return 0;
}
