/* The published-record cache of one service handle (one database
 * connection, used by one thread at a time, so no locks).
 *
 * What it holds: for an id or alias as asked, the stored document of the
 * published record it names, as vd_service_get_doc(VD_VIEW_PUBLIC) would
 * return it.  Only published records are kept, so a cached answer never
 * shows anything the public view could not see.
 *
 * How fresh: writes made by this process (any of its connections) empty
 * the cache before the next lookup (vd_store_ops.write_epoch, an atomic
 * load).  Writes by other processes (an import or an edit from the command
 * line, another server) are seen through the store's data version, which a
 * lookup asks for when the last check is VD_CACHE_CHECK_MS old: such a
 * write reaches the cache within that time.  Asking on every lookup costs
 * three system calls (SQLite's file locks), more than the cache saves.
 *
 * Shape: a power-of-two slot array in buckets of WAYS slots (a key lives
 * in the bucket its hash names; a full bucket gives up a slot chosen by
 * the hash), and a byte budget kept by a clock hand that frees entries
 * until a new one fits.  Documents larger than an eighth of
 * the budget are not kept.
 */
#include "service_int.h"
#include "vulnd/error.h"
#include "vulnd/util.h"
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define VD_CACHE_CHECK_MS 250
#define WAYS 4

/* lookups answered and missed, all caches of the process (for /metrics) */
static atomic_uint_fast64_t n_hits, n_misses;

typedef struct {
	char *key;          /* id as asked; one block: key, id, json, modified */
	const char *id, *json, *modified;
	size_t len, bytes;
	char hash[17];
} centry;

struct vd_doc_cache {
	centry *slot;
	size_t mask;        /* slots - 1 */
	size_t bytes, budget, hand;
	uint64_t version, epoch;
	int64_t checked_ms;     /* monotonic time of the last data_version */
	bool have_version;
};

static void drop(vd_doc_cache *c, centry *e)
{
	if (!e->key)
		return;
	c->bytes -= e->bytes;
	free(e->key);
	memset(e, 0, sizeof *e);
}

static void clear(vd_doc_cache *c)
{
	for (size_t i = 0; i <= c->mask; i++)
		drop(c, &c->slot[i]);
}

int vd_doc_cache_new(size_t budget, vd_doc_cache **out)
{
	*out = NULL;
	if (budget == 0)
		return VD_OK;
	vd_doc_cache *c = calloc(1, sizeof *c);
	size_t slots = 64;
	while (slots < budget / 1024 && slots < ((size_t)1 << 24))   /* about one slot a kB */
		slots <<= 1;
	if (c)
		c->slot = calloc(slots, sizeof *c->slot);
	if (!c || !c->slot) {
		free(c);
		return vd_error_set(VD_ENOMEM, "out of memory for a %zu-byte record cache", budget);
	}
	c->mask = slots - 1;
	c->budget = budget;
	*out = c;
	return VD_OK;
}

void vd_doc_cache_free(vd_doc_cache *c)
{
	if (!c)
		return;
	clear(c);
	free(c->slot);
	free(c);
}

void vd_doc_cache_counts(uint64_t *hits, uint64_t *misses)
{
	*hits = atomic_load_explicit(&n_hits, memory_order_relaxed);
	*misses = atomic_load_explicit(&n_misses, memory_order_relaxed);
}

static uint64_t key_hash(const char *key)
{
	uint64_t h = vd_hash64(key, strlen(key));
	return h ^ (h >> 29);   /* the low bits pick the bucket */
}

/* The entry holding key, or NULL. */
static centry *find(vd_doc_cache *c, const char *key, uint64_t h)
{
	centry *b = &c->slot[(size_t)h & c->mask & ~(size_t)(WAYS - 1)];
	for (int i = 0; i < WAYS; i++)
		if (b[i].key && strcmp(b[i].key, key) == 0)
			return &b[i];
	return NULL;
}

static int64_t now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int vd_doc_cache_check(vd_doc_cache *c, vd_store *st)
{
	if (!st->ops->data_version || !st->ops->write_epoch) {
		clear(c);
		c->have_version = false;
		return vd_error_set(VD_EUNSUPPORTED, "the %s store cannot tell when its data changes",
		                    st->ops->name);
	}
	uint64_t epoch = st->ops->write_epoch();   /* before the version: a write */
	int64_t now = now_ms();                     /* between them empties it again */
	if (c->have_version && epoch == c->epoch && now - c->checked_ms < VD_CACHE_CHECK_MS)
		return VD_OK;
	uint64_t v = 0;
	int rc = st->ops->data_version(st, &v);
	if (rc || !c->have_version || v != c->version || epoch != c->epoch)
		clear(c);
	c->have_version = rc == VD_OK;
	c->version = v;
	c->epoch = epoch;
	c->checked_ms = now;
	return rc;
}

bool vd_doc_cache_get(vd_doc_cache *c, const char *key, vd_record_doc *out)
{
	memset(out, 0, sizeof *out);
	if (!c->have_version)
		return false;
	centry *e = find(c, key, key_hash(key));
	if (!e) {
		atomic_fetch_add_explicit(&n_misses, 1, memory_order_relaxed);
		return false;
	}
	out->id = strdup(e->id);
	out->json = malloc(e->len + 1);
	out->modified = e->modified ? strdup(e->modified) : NULL;
	if (!out->id || !out->json || (e->modified && !out->modified)) {
		vd_record_doc_free(out);
		return false;   /* the caller reads the database instead */
	}
	memcpy(out->json, e->json, e->len + 1);
	out->len = e->len;
	memcpy(out->hash, e->hash, sizeof out->hash);
	atomic_fetch_add_explicit(&n_hits, 1, memory_order_relaxed);
	return true;
}

void vd_doc_cache_put(vd_doc_cache *c, const char *key, const vd_record_doc *d)
{
	if (!c->have_version || !d->json)
		return;
	size_t kl = strlen(key) + 1, il = strlen(d->id) + 1, ml = d->modified ? strlen(d->modified) + 1 : 0;
	size_t bytes = kl + il + d->len + 1 + ml + sizeof(centry);
	if (bytes > c->budget / 8)
		return;
	uint64_t h = key_hash(key);
	centry *e = find(c, key, h);
	if (!e) {           /* an empty slot of the bucket, or one the hash picks */
		centry *b = &c->slot[(size_t)h & c->mask & ~(size_t)(WAYS - 1)];
		e = &b[(h >> 40) % WAYS];
		for (int i = 0; i < WAYS; i++)
			if (!b[i].key) {
				e = &b[i];
				break;
			}
	}
	drop(c, e);
	for (size_t guard = 0; c->bytes + bytes > c->budget && guard <= c->mask; guard++) {
		drop(c, &c->slot[c->hand]);
		c->hand = (c->hand + 1) & c->mask;
	}
	char *blk = malloc(bytes - sizeof(centry));
	if (!blk)
		return;
	char *p = blk;
	memcpy(p, key, kl);
	e->key = p;
	p += kl;
	memcpy(p, d->id, il);
	e->id = p;
	p += il;
	memcpy(p, d->json, d->len);
	p[d->len] = 0;
	e->json = p;
	p += d->len + 1;
	if (ml) {
		memcpy(p, d->modified, ml);
		e->modified = p;
	}
	e->len = d->len;
	e->bytes = bytes;
	memcpy(e->hash, d->hash, sizeof e->hash);
	c->bytes += bytes;
}
