/* POST /api/v1/sbom/match: {"sbom": <CycloneDX or SPDX JSON document>} →
 * the findings of `vulnd match`, over published records only. */
#include "http_int.h"
#include "vulnd/error.h"
#include "vulnd/sbom.h"
#include <stdlib.h>
#include <string.h>

static const char *sev_names[] = {"critical", "high", "medium", "low", "unknown"};

static int add_finding(void *ctx, const vd_finding *f)
{
	json_t *o = json_object();
	json_object_set_new(o, "component", json_integer((json_int_t)f->component));
	if (f->comp && f->comp->name)
		json_object_set_new(o, "name", json_string(f->comp->name));
	if (f->version)
		json_object_set_new(o, "version", json_string(f->version));
	if (f->purl)
		json_object_set_new(o, "purl", json_string(f->purl));
	json_object_set_new(o, "id", json_string(f->vuln_id));
	json_t *al = json_array();
	for (size_t i = 0; i < f->n_aliases; i++)
		json_array_append_new(al, json_string(f->aliases[i]));
	json_object_set_new(o, "aliases", al);
	if (f->grade)
		json_object_set_new(o, "grade", json_string(f->grade));
	if (f->fixed)
		json_object_set_new(o, "fixed", json_string(f->fixed));
	if (f->matched_by)
		json_object_set_new(o, "matched_by", json_string(f->matched_by));
	if (f->vex != VD_VEX_NONE)
		json_object_set_new(o, "vex", json_string(vd_vex_state_name(f->vex)));
	json_array_append_new(ctx, o);
	return 0;
}

void vd_h_sbom_match(vd_http_req *rq, vd_service *s)
{
	if (!vd_http_args_only(rq, NULL))
		return;
	json_t *j = vd_http_body_object(rq);
	if (!j)
		return;
	json_t *doc = json_object_get(j, "sbom");
	if (json_object_size(j) != 1 || !json_is_object(doc)) {
		vd_http_error(rq, 422, "bad_request_body",
		              "expected {\"sbom\": {...}} holding a CycloneDX or SPDX JSON document");
		json_decref(j);
		return;
	}
	char *text = json_dumps(doc, JSON_COMPACT);
	json_decref(j);
	if (!text) {
		vd_http_fail(rq, VD_ENOMEM);
		return;
	}
	vd_sbom *sb = NULL;
	int rc = vd_sbom_parse(text, strlen(text), "sbom", &sb);
	free(text);
	if (rc) {
		vd_http_error(rq, rc == VD_EUNSUPPORTED ? 415 : rc == VD_ETOOBIG ? 413 : 422,
		              rc == VD_EUNSUPPORTED ? "unsupported_sbom" : "bad_sbom", "%s", vd_error_msg());
		return;
	}
	json_t *findings = json_array();
	vd_match_stats st;
	vd_match_opts opts = {0};
	rc = vd_service_match(s, VD_VIEW_PUBLIC, sb, &opts, add_finding, findings, &st);
	vd_sbom_free(sb);
	if (rc) {
		json_decref(findings);
		vd_http_fail(rq, rc);
		return;
	}
	json_t *sev = json_object();
	for (int i = 0; i < 5; i++)
		json_object_set_new(sev, sev_names[i], json_integer((json_int_t)st.by_severity[i]));
	json_t *stats = json_pack("{s:I,s:I,s:I,s:I,s:I,s:o}", "components", (json_int_t)st.components,
	                          "matchable", (json_int_t)st.matchable, "with_findings",
	                          (json_int_t)st.with_findings, "findings", (json_int_t)st.findings,
	                          "suppressed", (json_int_t)st.suppressed, "by_severity", sev);
	rq->no_cache = true;
	vd_http_json(rq, 200, json_pack("{s:o,s:o}", "findings", findings, "stats", stats));
}
