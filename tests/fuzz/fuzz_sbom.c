/* tests/fuzz/fuzz_sbom.c — SBOM / VEX readers (CycloneDX JSON and XML, SPDX
 * JSON and tag-value, CSAF VEX) and the VEX writer.
 * Invariants: no crash, no leak; every component has a name; a successful
 * parse with VEX statements writes a CycloneDX VEX document that parses
 * again with the same number of statements. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "vulnd/error.h"
#include "vulnd/sbom.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size > (1u << 20))
		return 0;
	vd_sbom *s = NULL;
	if (vd_sbom_parse((const char *)data, size, "fuzz", &s) != VD_OK)
		return 0;
	for (size_t i = 0; i < s->n_comps; i++)
		if (!s->comps[i].name)
			abort();
	size_t n = 0;
	vd_vex_out *o = calloc(s->n_vex + 1, sizeof *o);
	if (!o)
		abort();
	for (size_t i = 0; i < s->n_vex; i++)
		if (s->vex[i].vuln_id && s->vex[i].state != VD_VEX_NONE)
			o[n++] = (vd_vex_out){s->vex[i].vuln_id, NULL, s->vex[i].ref, s->vex[i].name, s->vex[i].version,
			                      s->vex[i].purl, s->vex[i].state, s->vex[i].justification, s->vex[i].detail, NULL};
	char *doc = NULL;
	if (vd_vex_write_cdx(o, n, s->name, s->version, "2024-01-01T00:00:00Z", &doc) == VD_OK) {
		vd_sbom *t = NULL;
		if (vd_sbom_parse(doc, strlen(doc), "fuzz-out", &t) != VD_OK || t->n_vex != n)
			abort();
		vd_sbom_free(t);
		free(doc);
	}
	free(o);
	vd_sbom_free(s);
	return 0;
}
