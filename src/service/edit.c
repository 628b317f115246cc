/* Manual edits: kept as the source document ("manual", record id), which
 * the merge rules put first for every field it names in its provenance. */
#include "vulnd/service.h"
#include "vulnd/error.h"
#include "service_int.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int check_value(const char *field, const char *value, bool is_grade, vd_record *m, char **norm)
{
	*norm = NULL;
	if (!*value)
		return VD_OK;
	if (!vd_utf8_valid(value, strlen(value)))
		return vd_error_set(VD_EINVAL, "%s: the value is not valid UTF-8", field);
	if (strlen(value) > (1u << 20))
		return vd_error_set(VD_EINVAL, "%s: the value is longer than 1 MiB", field);
	if (is_grade && strcmp(value, "critical") && strcmp(value, "high") && strcmp(value, "medium") &&
	    strcmp(value, "low"))
		return vd_error_set(VD_EINVAL, "grade must be critical, high, medium or low (超危/高危/中危/低危)");
	if (!strcmp(field, "published") || !strcmp(field, "withdrawn")) {
		*norm = vd_time_normalize(m->arena, value);
		if (!*norm)
			return vd_error_set(VD_EINVAL, "%s: '%s' is not a date (YYYY-MM-DD or RFC 3339)", field, value);
		return VD_OK;
	}
	*norm = vd_arena_strdup(m->arena, value);
	return *norm ? VD_OK : vd_error_set(VD_ENOMEM, "out of memory");
}

static void drop_prov(vd_record *m, const char *field)
{
	size_t k = 0;
	for (size_t i = 0; i < m->n_prov; i++)
		if (!m->prov[i].field || strcmp(m->prov[i].field, field) != 0)
			m->prov[k++] = m->prov[i];
	m->n_prov = k;
}

int vd_service_edit(vd_service *s, const char *id, const char *field, const char *value)
{
	if (vd_str_empty(id) || !field || !value)
		return vd_error_set(VD_EINVAL, "edit needs an id, a field and a value");
	bool is_grade = false, is_state = strcmp(field, "state") == 0;
	vd_record *probe = vd_record_new();
	if (!probe)
		return vd_error_set(VD_ENOMEM, "out of memory");
	bool known = is_state || vd_merge_field_slot(probe, field, &is_grade);
	vd_record_free(probe);
	if (!known)
		return vd_error_set(VD_EINVAL, "'%s' is not an editable field (%s)", field, vd_merge_field_names());
	vd_state state = VD_STATE_PUBLISHED;
	if (is_state && *value && vd_state_parse(value, &state))
		return VD_EINVAL;

	char *rid = NULL;
	int rc = vd_store_resolve(s->store, id, &rid);
	if (rc == VD_ENOTFOUND)
		return vd_error_set(VD_ENOTFOUND, "no record %s", id);
	if (rc)
		return rc;
	vd_record *m = NULL;
	char *json = NULL;
	if ((rc = vd_store_begin(s->store)))
		goto out;
	vd_source_doc cur;
	rc = s->store->ops->source_get(s->store, "manual", rid, &cur);
	if (rc == VD_OK)
		rc = vd_record_from_json(cur.json, strlen(cur.json), &m);
	else if (rc == VD_ENOTFOUND && (m = vd_record_new()) != NULL)
		rc = (m->id = vd_record_str(m, rid)) ? VD_OK : VD_ENOMEM;
	if (rc)
		goto fail;
	char *norm = NULL;
	if ((rc = check_value(field, value, is_grade, m, &norm)))
		goto fail;
	drop_prov(m, field);
	if (is_state) {
		m->state = state;
	} else {
		char **slot = vd_merge_field_slot(m, field, NULL);
		*slot = norm;
		if (is_grade)
			m->grade_basis = norm ? vd_record_str(m, "manual") : NULL;
	}
	if (*value) {
		char now[32];
		vd_time_format(vd_time_now(), now, sizeof now);
		vd_record_add_prov(m, field, "manual", rid, now);
	}
	/* the manual document's own modified time: its last edit */
	char now[32];
	vd_time_format(vd_time_now(), now, sizeof now);
	m->modified = vd_record_str(m, now);
	if ((rc = vd_record_to_json(m, &json)))
		goto fail;
	vd_source_doc nd = {"manual", rid, rid, "manual", json};
	if ((rc = s->store->ops->source_put(s->store, &nd)))
		goto fail;
	char outcome;
	if ((rc = vd_svc_rebuild(s, rid, NULL, NULL, &outcome)))
		goto fail;
	rc = vd_store_commit(s->store);
	goto out;
fail:
	vd_store_rollback(s->store);
out:
	vd_record_free(m);
	free(json);
	free(rid);
	return rc;
}
