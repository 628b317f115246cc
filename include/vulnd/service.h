/* vulnd/service.h — the use cases the outside calls.  Both http/ and cli/
 * call only this layer; it validates input once and owns the rules that
 * span formats and store (import + merge, visibility of unpublished data).
 */
#ifndef VULND_SERVICE_H
#define VULND_SERVICE_H
#include <stdbool.h>
#include <stdint.h>
#include "vulnd/record.h"
#include "vulnd/formats.h"
#include "vulnd/store.h"

typedef struct vd_service vd_service;

/* Open the database at location (path, ":memory:" or postgresql://...).
 * create: run migrations (db init); otherwise a database with an old
 * schema is refused with a message saying to run `vulnd db migrate`.
 * *out closed with vd_service_close. */
int vd_service_open(const char *location, bool create, vd_service **out);
void vd_service_close(vd_service *s);

/* ---- database administration ---- */
int vd_service_db_migrate(vd_service *s, int *from, int *to);
int vd_service_db_stats(vd_service *s, vd_store_stats *out);
int vd_service_db_check(vd_service *s, vd_check_cb cb, void *ctx);

/* ---- import ---- */
typedef struct {
	uint64_t read;        /* values read from the input */
	uint64_t added;       /* new records */
	uint64_t changed;     /* existing records whose content changed */
	uint64_t unchanged;   /* source documents identical to what is stored */
	uint64_t joined;      /* source documents that joined an existing record by alias */
	uint64_t skipped;     /* bad values, reported through the skipped callback */
	uint64_t by_format[VD_FMT_UNKNOWN + 1];  /* detected format counts */
	uint64_t bytes_done, bytes_total;
} vd_import_stats;

typedef struct {
	void (*skipped)(void *ctx, const char *where, const char *reason);
	void (*progress)(void *ctx, const vd_import_stats *st);   /* throttled by the caller */
	void *ctx;
} vd_import_cb;

/* Import every record found under path.  Bad values are skipped and
 * reported; the rest is imported in batched transactions.  Returns VD_OK
 * when the walk finished (check st->skipped), VD_EIO / VD_EINVAL when the
 * input can't be opened, or a storage error (the current batch is rolled
 * back: nothing half-written). */
int vd_service_import(vd_service *s, vd_format fmt, const char *path, const vd_import_cb *cb,
                      vd_import_stats *st);

/* ---- reading ---- */
/* Who is asking: the public sees only published records. */
typedef enum { VD_VIEW_PUBLIC = 0, VD_VIEW_ALL } vd_view;

/* Fetch by id or any alias; ENOTFOUND also when the view may not see it. */
int vd_service_get(vd_service *s, vd_view view, const char *id, vd_record **out);

typedef struct {
	const char *text;
	const char *severity;
	int limit, offset;
} vd_search_params;
/* Search; hits go to cb (strings valid during the call). */
int vd_service_search(vd_service *s, vd_view view, const vd_search_params *p,
                      int (*cb)(void *ctx, const vd_search_hit *h), void *ctx, uint64_t *total);

/* Cheap liveness check of the database (for /healthz). */
int vd_service_ping(vd_service *s);

#endif
