/* Libraries: the national library and sector libraries (APP, VEH, ...),
 * each with its id prefix (its code), per-month numbering
 * CODE-YYYYMM-NNNN, policy settings, blackout windows and a built-in set
 * of extra fields.  docs/security.md describes them. */
#include "vulnd/service.h"
#include "vulnd/error.h"
#include "vulnd/util.h"
#include "auth_int.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* ---- field sets ---- */

static const char *const platforms[] = {
	"android", "ios", "harmonyos", "wechat-mini-program", "alipay-mini-program", "baidu-smart-program",
	"bytedance-mini-program", "quick-app", "web", "other", NULL,
};
static const char *const interfaces[] = {
	"CAN", "Bluetooth", "cellular", "V2X", "OTA", "Wi-Fi", "USB", "OBD", "other", NULL,
};

static const vd_field_def mobile_app[] = {
	{"app_name", "App name", "应用名称", NULL, true},
	{"package", "Package / bundle id / mini-program AppID", "包名", NULL, true},
	{"platform", "Platform", "平台", platforms, true},
	{"app_version", "App version", "应用版本", NULL, true},
	{"store", "App store", "应用商店", NULL, false},
};
static const vd_field_def vehicle[] = {
	{"make", "Make", "品牌", NULL, true},
	{"model", "Model", "车型", NULL, true},
	{"component", "Component / ECU", "部件/ECU", NULL, true},
	{"interface", "Attack interface", "攻击接口", interfaces, true},
	{"model_year", "Model year", "年款", NULL, false},
};

int vd_library_fields(const char *set, const vd_field_def **defs, size_t *n)
{
	if (set && strcmp(set, "none") == 0) {
		*defs = NULL;
		*n = 0;
	} else if (set && strcmp(set, "mobile-app") == 0) {
		*defs = mobile_app;
		*n = sizeof mobile_app / sizeof mobile_app[0];
	} else if (set && strcmp(set, "vehicle") == 0) {
		*defs = vehicle;
		*n = sizeof vehicle / sizeof vehicle[0];
	} else {
		*defs = NULL;
		*n = 0;
		return vd_error_set(VD_EINVAL, "unknown field set (field sets: none, mobile-app, vehicle)");
	}
	return VD_OK;
}

/* ---- validation ---- */

static int check_code(const char *code)
{
	if (!code || !*code)
		return vd_error_set(VD_EINVAL, "a library code is required");
	size_t n = strlen(code);
	if (n < 2 || n > VD_LIB_CODE_MAX)
		return vd_error_set(VD_EINVAL, "library code: 2 to %d characters", VD_LIB_CODE_MAX);
	for (size_t i = 0; i < n; i++)
		if (!((code[i] >= 'A' && code[i] <= 'Z') || (i > 0 && code[i] >= '0' && code[i] <= '9')))
			return vd_error_set(VD_EINVAL, "library code: upper-case letters and digits, starting with a "
			                    "letter (it is the id prefix, e.g. APP)");
	return VD_OK;
}

static int check_days(const char *what, int *v, int def)
{
	if (*v == 0)
		*v = def;
	if (*v < 1 || *v > 3650)
		return vd_error_set(VD_EINVAL, "%s: 1 to 3650 days", what);
	return VD_OK;
}

/* Validate and fill defaults of a spec into l. */
static int prepare(const vd_library_info *spec, vd_library_info *l)
{
	*l = *spec;
	int rc;
	if ((rc = check_code(l->code)) || (rc = vd_svc_check_text("library name", l->name, VD_LIB_NAME_MAX, true)))
		return rc;
	if (!l->field_set[0])
		vd_strlcpy(l->field_set, "none", sizeof l->field_set);
	const vd_field_def *d;
	size_t n;
	if ((rc = vd_library_fields(l->field_set, &d, &n)) ||
	    (rc = check_days("fix deadline", &l->fix_days, VD_DEFAULT_FIX_DAYS)) ||
	    (rc = check_days("acknowledgement deadline", &l->ack_days, VD_DEFAULT_ACK_DAYS)) ||
	    (rc = check_days("vendor report deadline", &l->report_days, VD_DEFAULT_REPORT_DAYS)))
		return rc;
	if (l->n_blackouts > VD_BLACKOUT_MAX)
		return vd_error_set(VD_EINVAL, "at most %d blackout windows", VD_BLACKOUT_MAX);
	for (size_t i = 0; i < l->n_blackouts; i++) {
		const vd_blackout *b = &l->blackouts[i];
		if (b->ends <= b->starts)
			return vd_error_set(VD_EINVAL, "blackout window %zu ends before it starts", i + 1);
		if ((rc = vd_svc_check_text("blackout reason", b->reason, VD_REASON_MAX, true)))
			return rc;
	}
	return VD_OK;
}

/* ---- operations ---- */

static int add(vd_service *s, const vd_principal *who, const vd_library_info *spec, int64_t *id)
{
	vd_library_info *l = malloc(sizeof *l);
	if (!l)
		return vd_error_set(VD_ENOMEM, "out of memory");
	int rc = prepare(spec, l);
	if (rc)
		goto out;
	vd_svc_time(vd_service_now(s), l->created);
	int64_t lid = 0;
	if ((rc = vd_svc_tx_begin(s)))
		goto out;
	rc = s->store->ops->library_add(s->store, l, &lid);
	if (!rc)
		rc = vd_svc_audit(s, who, "library.add", l->code, "ok",
		                  "%s library '%s', fields %s, fix %d days, ack %d days, report %d days, %zu blackouts",
		                  l->national ? "national" : "sector", l->name, l->field_set, l->fix_days, l->ack_days,
		                  l->report_days, l->n_blackouts);
	rc = vd_svc_tx_end(s, rc);
	if (!rc && id)
		*id = lid;
out:
	free(l);
	return rc;
}

int vd_service_library_add(vd_service *s, const vd_principal *who, const vd_library_info *spec, int64_t *id)
{
	int rc = vd_svc_allow(s, who, VD_ACT_LIBRARY_ADMIN, NULL, "libraries");
	return rc ? rc : add(s, who, spec, id);
}

int vd_service_library_update(vd_service *s, const vd_principal *who, const vd_library_info *spec)
{
	int rc = vd_svc_allow(s, who, VD_ACT_LIBRARY_ADMIN, NULL, "libraries");
	if (rc)
		return rc;
	vd_library_info *l = malloc(sizeof *l);
	if (!l)
		return vd_error_set(VD_ENOMEM, "out of memory");
	if ((rc = prepare(spec, l)) || (rc = vd_svc_tx_begin(s)))
		goto out;
	rc = s->store->ops->library_update(s->store, l);
	if (!rc)
		rc = vd_svc_audit(s, who, "library.update", l->code, "ok",
		                  "name '%s', fields %s, fix %d days, ack %d days, report %d days, %zu blackouts", l->name,
		                  l->field_set, l->fix_days, l->ack_days, l->report_days, l->n_blackouts);
	rc = vd_svc_tx_end(s, rc);
out:
	free(l);
	return rc;
}

int vd_service_library_get(vd_service *s, const vd_principal *who, const char *code, vd_library_info *out)
{
	int rc = vd_svc_allow(s, who, VD_ACT_LIBRARY_READ, NULL, "libraries");
	if (rc || (rc = check_code(code)))
		return rc;
	rc = s->store->ops->library_get(s->store, code, out);
	return rc == VD_ENOTFOUND ? vd_error_set(VD_ENOTFOUND, "no library '%s'", code) : rc;
}

int vd_service_library_list(vd_service *s, const vd_principal *who,
                            int (*cb)(void *ctx, const vd_library_info *l), void *ctx)
{
	int rc = vd_svc_allow(s, who, VD_ACT_LIBRARY_READ, NULL, "libraries");
	return rc ? rc : s->store->ops->library_list(s->store, cb, ctx);
}

int vd_service_library_next_id(vd_service *s, const vd_principal *who, const char *code,
                               char out[VD_LIB_ID_BUF])
{
	out[0] = '\0';
	int rc = vd_svc_allow(s, who, VD_ACT_LIBRARY_ALLOCATE, NULL, "libraries");
	if (rc || (rc = check_code(code)))
		return rc;
	time_t t = (time_t)vd_service_now(s);
	struct tm tm;
	gmtime_r(&t, &tm);
	if (tm.tm_year + 1900 < 1970 || tm.tm_year + 1900 > 9999)
		return vd_error_set(VD_EINVAL, "the clock is outside the years 1970 to 9999");
	char month[32];
	snprintf(month, sizeof month, "%04d%02d", (tm.tm_year + 1900) % 10000, (tm.tm_mon + 1) % 100);
	int64_t n = 0;
	char id[VD_LIB_ID_BUF + 32];
	if ((rc = vd_svc_tx_begin(s)))
		return rc;
	rc = s->store->ops->library_next(s->store, code, month, &n);
	if (!rc) {
		snprintf(id, sizeof id, "%s-%s-%04lld", code, month, (long long)n);
		rc = vd_svc_audit(s, who, "library.id", code, "ok", "allocated %s", id);
	}
	if ((rc = vd_svc_tx_end(s, rc)))
		return rc;
	if (strlen(id) >= VD_LIB_ID_BUF)
		return vd_error_set(VD_EINTERNAL, "library id %s too long", id);
	memcpy(out, id, strlen(id) + 1);
	return VD_OK;
}

int vd_service_library_blackout(vd_service *s, const char *code, int64_t t, bool *inside, vd_blackout *hit)
{
	*inside = false;
	int rc = check_code(code);
	if (rc)
		return rc;
	vd_library_info *l = malloc(sizeof *l);
	if (!l)
		return vd_error_set(VD_ENOMEM, "out of memory");
	rc = s->store->ops->library_get(s->store, code, l);
	if (rc == VD_ENOTFOUND)
		rc = vd_error_set(VD_ENOTFOUND, "no library '%s'", code);
	for (size_t i = 0; !rc && i < l->n_blackouts; i++)
		if (t >= l->blackouts[i].starts && t < l->blackouts[i].ends) {
			*inside = true;
			if (hit)
				*hit = l->blackouts[i];
			break;
		}
	free(l);
	return rc;
}

int vd_service_library_check_fields(vd_service *s, const char *code, const char *const *names,
                                    const char *const *values, size_t n)
{
	vd_library_info *l = malloc(sizeof *l);
	if (!l)
		return vd_error_set(VD_ENOMEM, "out of memory");
	int rc = check_code(code);
	if (!rc && (rc = s->store->ops->library_get(s->store, code, l)) == VD_ENOTFOUND)
		rc = vd_error_set(VD_ENOTFOUND, "no library '%s'", code);
	const vd_field_def *d = NULL;
	size_t nd = 0;
	if (!rc)
		rc = vd_library_fields(l->field_set, &d, &nd);
	for (size_t i = 0; !rc && i < n; i++) {
		size_t k = 0;
		while (k < nd && (!names[i] || strcmp(names[i], d[k].name) != 0))
			k++;
		if (k == nd) {
			rc = vd_error_set(VD_EINVAL, "library %s has no field '%.64s' (field set %s)", code,
			                  names[i] && vd_utf8_valid(names[i], strlen(names[i])) ? names[i] : "?",
			                  l->field_set);
			break;
		}
		char what[96];
		snprintf(what, sizeof what, "field %s", d[k].name);
		if ((rc = vd_svc_check_text(what, values[i], VD_PRODUCT_MAX, d[k].required)))
			break;
		if (d[k].values && values[i] && *values[i]) {
			const char *const *v = d[k].values;
			while (*v && strcmp(*v, values[i]) != 0)
				v++;
			if (!*v) {
				char allowed[512] = "";
				size_t off = 0;
				for (v = d[k].values; *v && off < sizeof allowed; v++)
					off += (size_t)snprintf(allowed + off, sizeof allowed - off, "%s%s",
					                        v == d[k].values ? "" : ", ", *v);
				rc = vd_error_set(VD_EINVAL, "field %s: '%s' is not one of %s", d[k].name, values[i], allowed);
			}
		}
	}
	for (size_t k = 0; !rc && k < nd; k++) {
		if (!d[k].required)
			continue;
		bool have = false;
		for (size_t i = 0; i < n && !have; i++)
			have = names[i] && strcmp(names[i], d[k].name) == 0 && values[i] && *values[i];
		if (!have)
			rc = vd_error_set(VD_EINVAL, "library %s needs field %s (%s)", code, d[k].name, d[k].label_en);
	}
	free(l);
	return rc;
}

typedef struct {
	bool national;
} any_national;

static int find_national(void *ctx, const vd_library_info *l)
{
	if (l->national)
		((any_national *)ctx)->national = true;
	return 0;
}

int vd_service_library_ensure_default(vd_service *s)
{
	if (!s->store->ops->library_list)
		return VD_OK;   /* a backend without libraries */
	any_national a = {false};
	int rc = s->store->ops->library_list(s->store, find_national, &a);
	if (rc || a.national)
		return rc;
	vd_library_info *l = calloc(1, sizeof *l);
	if (!l)
		return vd_error_set(VD_ENOMEM, "out of memory");
	vd_strlcpy(l->code, VD_NATIONAL_CODE, sizeof l->code);
	vd_strlcpy(l->name, "National vulnerability library", sizeof l->name);
	l->national = true;
	vd_strlcpy(l->field_set, "none", sizeof l->field_set);
	rc = add(s, NULL, l, NULL);
	free(l);
	return rc;
}
