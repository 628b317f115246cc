/* CWE catalogue use cases: import a CSV view or the XML catalogue, look an
 * entry up with its relations and GB/T 30279 class.  See vulnd/service.h. */
#include "vulnd/service.h"
#include "vulnd/cwe.h"
#include "vulnd/error.h"
#include "vulnd/gbt30279.h"
#include "service_int.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
	vd_service *svc;
	vd_cwe_import_stats *st;
	void (*bad)(void *ctx, const char *where, const char *reason);
	void *ctx;
} cwe_importer;

static int on_entry(void *ctx, const vd_cwe *w)
{
	cwe_importer *im = ctx;
	im->st->read++;
	int rc = im->svc->store->ops->cwe_put(im->svc->store, w);
	if (rc == VD_OK)
		im->st->stored++;
	return rc;
}

static void on_bad(void *ctx, const char *where, const char *reason)
{
	cwe_importer *im = ctx;
	im->st->read++;
	im->st->skipped++;
	if (im->bad)
		im->bad(im->ctx, where, reason);
}

int vd_service_cwe_import(vd_service *s, const char *path,
                          void (*bad)(void *ctx, const char *where, const char *reason), void *ctx,
                          vd_cwe_import_stats *st)
{
	memset(st, 0, sizeof *st);
	vd_store *store = s->store;
	if (!store->ops->cwe_put)
		return vd_error_set(VD_EUNSUPPORTED, "the %s store has no CWE catalogue", store->ops->name);
	cwe_importer im = {s, st, bad, ctx};
	int rc = vd_store_begin(store);
	if (rc)
		return rc;
	rc = vd_cwe_read_file(path, on_entry, on_bad, &im);
	if (rc == VD_OK || (rc == VD_EINVAL && st->stored > 0)) {
		/* a parse error after some entries: keep what was read, report the error */
		char keep[1024];
		vd_strlcpy(keep, vd_error_msg(), sizeof keep);
		int crc = vd_store_commit(store);
		if (crc)
			return crc;
		if (rc)
			vd_error_set(rc, "%s", keep);
		return rc;
	}
	char keep[1024];
	vd_strlcpy(keep, vd_error_msg(), sizeof keep);
	vd_store_rollback(store);
	vd_error_set(rc, "%s", keep);
	st->stored = 0;
	return rc;
}

static int store_parents(void *ctx, int cwe, int *out, size_t max)
{
	vd_store *st = ctx;
	return st->ops->cwe_parents ? st->ops->cwe_parents(st, cwe, out, max) : 0;
}

const vd_gbt_class *vd_service_cwe_class(vd_service *s, const char *cwe, int *via)
{
	const vd_gbt_class *c = vd_gbt_classify_cwe_str(cwe, store_parents, s->store, via);
	return c;
}

void vd_cwe_info_free(vd_cwe_info *info)
{
	if (!info)
		return;
	vd_cwe_free(info->cwe);
	for (size_t i = 0; i < info->n_parents; i++)
		vd_cwe_free(info->parents[i]);
	free(info->parents);
	free(info->children);
	free(info);
}

typedef struct {
	int *ids;
	size_t n, cap;
	int err;
} idlist;

static int add_child(void *ctx, int child)
{
	idlist *l = ctx;
	if (l->n == l->cap) {
		size_t nc = l->cap ? l->cap * 2 : 16;
		int *ni = realloc(l->ids, nc * sizeof *ni);
		if (!ni)
			return l->err = vd_error_set(VD_ENOMEM, "out of memory listing CWE children");
		l->ids = ni;
		l->cap = nc;
	}
	l->ids[l->n++] = child;
	return VD_OK;
}

int vd_service_cwe_get(vd_service *s, const char *id, vd_cwe_info **out)
{
	*out = NULL;
	int cid, rc;
	if ((rc = vd_cwe_id_parse(id, &cid)))
		return rc;
	vd_store *st = s->store;
	vd_cwe_info *info = calloc(1, sizeof *info);
	if (!info)
		return vd_error_set(VD_ENOMEM, "out of memory");
	rc = st->ops->cwe_get ? st->ops->cwe_get(st, cid, &info->cwe) : VD_ENOTFOUND;
	if (rc == VD_OK) {
		info->in_catalogue = true;
	} else if (rc == VD_ENOTFOUND && vd_gbt_cwe_class_direct(cid)) {
		info->cwe = calloc(1, sizeof *info->cwe);
		rc = info->cwe ? VD_OK : vd_error_set(VD_ENOMEM, "out of memory");
		if (info->cwe)
			info->cwe->id = cid;
	} else if (rc == VD_ENOTFOUND) {
		rc = vd_error_set(VD_ENOTFOUND, "CWE-%d is not in the catalogue (import one with `vulnd import cwe FILE`)",
		                  cid);
	}
	if (!rc && info->cwe->n_parents) {
		info->parents = calloc(info->cwe->n_parents, sizeof *info->parents);
		if (!info->parents)
			rc = vd_error_set(VD_ENOMEM, "out of memory");
		for (size_t i = 0; !rc && i < info->cwe->n_parents; i++) {
			vd_cwe *p;
			int prc = st->ops->cwe_get(st, info->cwe->parents[i], &p);
			if (prc == VD_OK)
				info->parents[info->n_parents++] = p;
			else if (prc != VD_ENOTFOUND)
				rc = prc;
		}
	}
	if (!rc && st->ops->cwe_children) {
		idlist l = {NULL, 0, 0, 0};
		rc = st->ops->cwe_children(st, cid, add_child, &l);
		info->children = l.ids;
		info->n_children = l.n;
	}
	if (rc) {
		vd_cwe_info_free(info);
		return rc;
	}
	info->cls = vd_gbt_classify_cwe(cid, store_parents, st, &info->class_via);
	vd_error_clear();
	*out = info;
	return VD_OK;
}
