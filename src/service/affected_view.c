/* One affected entry decoded from its canonical JSON (as the store hands
 * it out) without building a record: strings are borrowed from the jansson
 * tree, the arrays live in one malloc'd block.  Used where many entries
 * are tested one at a time (SBOM matching, OSV queries). */
#include "service_int.h"
#include "vulnd/error.h"
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static char *jstr(const json_t *o, const char *k)
{
	return (char *)(uintptr_t)json_string_value(json_object_get(o, k));
}

void vd_affected_view_free(vd_affected_view *v)
{
	json_decref(v->j);
	free(v->block);
	memset(v, 0, sizeof *v);
}

int vd_affected_view_load(vd_affected_view *v, const char *json, size_t n, const vd_affected_limits *lim)
{
	memset(v, 0, sizeof *v);
	v->j = json ? json_loadb(json, n, 0, NULL) : NULL;
	if (!json_is_object(v->j)) {
		vd_affected_view_free(v);
		return vd_error_set(VD_EINVAL, "affected entry: not a JSON object");
	}
	const json_t *rs = json_object_get(v->j, "ranges"), *vs = json_object_get(v->j, "versions"),
	             *cs = json_object_get(v->j, "cpes");
	size_t nr = json_array_size(rs), nv = json_array_size(vs), nc = json_array_size(cs), ne = 0;
	size_t i;
	json_t *x;
	json_array_foreach(rs, i, x)
		ne += json_array_size(json_object_get(x, "events"));
	if (nr > lim->ranges || nv > lim->versions || nc > lim->cpes || ne > lim->events) {
		vd_affected_view_free(v);
		return vd_error_set(VD_ETOOBIG, "affected entry: too large");
	}
	v->block = calloc(1, nr * sizeof(vd_range) + ne * sizeof(vd_event) + (nv + nc + 1) * sizeof(char *));
	if (!v->block) {
		vd_affected_view_free(v);
		return vd_error_set(VD_ENOMEM, "out of memory");
	}
	vd_range *ranges = v->block;
	vd_event *events = (vd_event *)(ranges + nr);
	char **strs = (char **)(events + ne);
	vd_affected *a = &v->a;
	a->vendor = jstr(v->j, "vendor");
	a->product = jstr(v->j, "product");
	a->ecosystem = jstr(v->j, "ecosystem");
	a->package = jstr(v->j, "package");
	a->purl = jstr(v->j, "purl");
	a->vers = jstr(v->j, "vers");
	a->default_status = jstr(v->j, "default_status");
	a->ranges = ranges;
	json_array_foreach(rs, i, x) {
		vd_range *g = &ranges[a->n_ranges++];
		g->type = jstr(x, "type");
		g->repo = jstr(x, "repo");
		g->events = events;
		size_t k;
		json_t *e;
		json_array_foreach(json_object_get(x, "events"), k, e) {
			const char *key;
			json_t *val;
			json_object_foreach(e, key, val) {
				vd_event_kind kind;
				if (json_is_string(val) && vd_event_kind_parse(key, &kind) == VD_OK) {
					g->events[g->n_events].kind = kind;
					g->events[g->n_events++].value = (char *)(uintptr_t)json_string_value(val);
					break;
				}
			}
		}
		events += g->n_events;
	}
	a->versions = strs;
	json_array_foreach(vs, i, x)
		if (json_is_string(x))
			a->versions[a->n_versions++] = (char *)(uintptr_t)json_string_value(x);
	a->cpes = strs + a->n_versions;
	json_array_foreach(cs, i, x)
		if (json_is_string(x))
			a->cpes[a->n_cpes++] = (char *)(uintptr_t)json_string_value(x);
	return VD_OK;
}
