/* Stored documents compressed with zstd (records.doc, sources.doc).
 *
 * A document is written as a zstd frame (a BLOB); documents written before
 * compression existed are JSON text and are read as they are, so no
 * migration rewrites them.  Small JSON documents compress about 2.5× on
 * their own and about 5× with a dictionary trained on documents of the
 * same database, so each database trains one: the first VD_ZIP_SAMPLES
 * documents a connection writes (at most VD_ZIP_SAMPLE_BYTES) are kept as
 * samples and compressed without a dictionary; then a dictionary is trained
 * from them (ZDICT_trainFromBuffer, a fraction of a second), stored in the
 * zdicts table under the id zstd gives it, and used for what follows.  A
 * connection that finds a dictionary in the table uses the newest one.
 *
 * Every frame names its dictionary, so reading needs no other state:
 * decompression looks the id up in a small per-connection cache, loading
 * it from zdicts on a miss.  A dictionary row is written in the caller's
 * transaction; if that transaction rolls back, the connection forgets the
 * dictionary too (the rollback hook), so no kept document ever names a
 * dictionary that is not stored.
 *
 * SQL sees documents through vd_doc(doc), a function registered on every
 * connection that returns the JSON text of either form.
 */
#include "sqlite_int.h"
#include "vulnd/error.h"
#include <stdlib.h>
#include <string.h>
#include <zdict.h>
#include <zstd.h>

#define VD_ZIP_LEVEL        3
#define VD_ZIP_SAMPLES      2000          /* documents sampled before training */
#define VD_ZIP_SAMPLE_BYTES (8u << 20)
#define VD_ZIP_DICT_BYTES   (64u << 10)
#define VD_ZIP_MAX_DOC      ((size_t)1 << 30)   /* largest document decompressed */
#define VD_ZIP_DDICTS       8

struct vd_sq_zip {
	ZSTD_CCtx *cctx;
	ZSTD_DCtx *dctx;
	ZSTD_CDict *cdict;          /* the dictionary documents are written with */
	unsigned cdict_id;
	bool cdict_pending;         /* trained in the open transaction */
	bool looked;                /* zdicts read for a dictionary to write with */
	struct {
		unsigned id;
		ZSTD_DDict *dd;
	} dd[VD_ZIP_DDICTS];
	size_t n_dd, next_dd;
	/* training samples */
	char *sample;
	size_t sample_len, n_samples;
	size_t *sizes;
	bool trained;               /* training done or given up: no more sampling */
	/* output buffer of compress / decompress */
	char *buf;
	size_t cap;
};

static bool is_frame(const void *p, size_t n)
{
	const unsigned char *b = p;
	return n >= 4 && b[0] == 0x28 && b[1] == 0xb5 && b[2] == 0x2f && b[3] == 0xfd;
}

static int grow(vd_sq_zip *z, size_t need)
{
	if (need <= z->cap)
		return VD_OK;
	size_t cap = z->cap ? z->cap : 4096;
	while (cap < need)
		cap *= 2;
	char *b = realloc(z->buf, cap);
	if (!b)
		return vd_error_set(VD_ENOMEM, "store: out of memory for a %zu-byte document", need);
	z->buf = b;
	z->cap = cap;
	return VD_OK;
}

static void forget_cdict(vd_sq_zip *z)
{
	ZSTD_freeCDict(z->cdict);
	z->cdict = NULL;
	z->cdict_id = 0;
	z->cdict_pending = false;
	z->looked = false;
}

/* ---- dictionaries in the table ---- */

static const char SQL_DICT_NEWEST[] = "SELECT id, dict FROM zdicts ORDER BY rowid DESC LIMIT 1";
static const char SQL_DICT_GET[] = "SELECT id, dict FROM zdicts WHERE id = ?1";
static const char SQL_DICT_ADD[] = "INSERT OR IGNORE INTO zdicts(id, dict, created)"
                                   " VALUES(?1, ?2, strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))";

/* The dictionary stored under id (0: the newest one) made ready to
 * compress with (cd) or to decompress with (dd; one of the two is NULL);
 * *got its id, 0 when there is none. */
static int load_dict(vd_sqlite *s, unsigned id, ZSTD_CDict **cd, ZSTD_DDict **dd, unsigned *got)
{
	sqlite3_stmt *q;
	*got = 0;
	int rc = vd_sq_prep(s, id ? SQL_DICT_GET : SQL_DICT_NEWEST, &q);
	if (rc)
		return rc;
	if (id)
		sqlite3_bind_int64(q, 1, (sqlite3_int64)id);
	rc = sqlite3_step(q);
	if (rc == SQLITE_ROW) {
		const void *d = sqlite3_column_blob(q, 1);
		int n = sqlite3_column_bytes(q, 1);
		bool made = false;
		if (d && n > 0 && cd)
			made = (*cd = ZSTD_createCDict(d, (size_t)n, VD_ZIP_LEVEL)) != NULL;
		else if (d && n > 0 && dd)
			made = (*dd = ZSTD_createDDict(d, (size_t)n)) != NULL;
		if (made)
			*got = (unsigned)sqlite3_column_int64(q, 0);
		rc = SQLITE_DONE;
	}
	return vd_sq_done(s, q, rc, "reading a document dictionary");
}

/* The newest stored dictionary becomes the one to write with (none: none). */
static int look_for_cdict(vd_sqlite *s)
{
	vd_sq_zip *z = s->zip;
	z->looked = true;
	int rc = load_dict(s, 0, &z->cdict, NULL, &z->cdict_id);
	z->trained = z->cdict != NULL;
	return rc;
}

static void drop_samples(vd_sq_zip *z)
{
	free(z->sample);
	free(z->sizes);
	z->sample = NULL;
	z->sizes = NULL;
	z->sample_len = z->n_samples = 0;
}

/* Train on the samples, store the dictionary, write with it from now on.
 * A failed training only means documents go on without a dictionary. */
static int train(vd_sqlite *s)
{
	vd_sq_zip *z = s->zip;
	z->trained = true;
	char *dict = malloc(VD_ZIP_DICT_BYTES);
	size_t n = dict ? ZDICT_trainFromBuffer(dict, VD_ZIP_DICT_BYTES, z->sample, z->sizes, (unsigned)z->n_samples)
	                : 0;
	drop_samples(z);
	unsigned id = dict && !ZDICT_isError(n) ? ZDICT_getDictID(dict, n) : 0;
	if (!id) {
		free(dict);
		return VD_OK;
	}
	sqlite3_stmt *q;
	int rc = vd_sq_prep(s, SQL_DICT_ADD, &q);
	if (!rc) {
		sqlite3_bind_int64(q, 1, (sqlite3_int64)id);
		sqlite3_bind_blob(q, 2, dict, (int)n, SQLITE_STATIC);
		rc = vd_sq_done(s, q, sqlite3_step(q), "storing the document dictionary");
	}
	free(dict);
	if (rc)
		return rc;
	/* Use what the table holds under that id (another process may have
	 * stored a different dictionary under the same id first). */
	rc = load_dict(s, id, &z->cdict, NULL, &z->cdict_id);
	z->cdict_pending = z->cdict != NULL;
	return rc;
}

static void add_sample(vd_sq_zip *z, const char *doc, size_t n)
{
	if (n == 0 || z->sample_len + n > VD_ZIP_SAMPLE_BYTES)
		return;
	if (!z->sample) {
		z->sample = malloc(VD_ZIP_SAMPLE_BYTES);
		z->sizes = malloc(VD_ZIP_SAMPLES * sizeof *z->sizes);
		if (!z->sample || !z->sizes) {
			drop_samples(z);
			z->trained = true;      /* no memory to spare: no dictionary */
			return;
		}
	}
	memcpy(z->sample + z->sample_len, doc, n);
	z->sample_len += n;
	z->sizes[z->n_samples++] = n;
}

/* ---- compress ---- */

int vd_sq_zip_compress(vd_sqlite *s, const char *doc, size_t n, const void **out, size_t *out_n)
{
	vd_sq_zip *z = s->zip;
	int rc;
	if (!z->looked && !z->cdict && (rc = look_for_cdict(s)))
		return rc;
	if (!z->cdict && !z->trained) {
		add_sample(z, doc, n);
		if ((z->n_samples >= VD_ZIP_SAMPLES || z->sample_len + n > VD_ZIP_SAMPLE_BYTES) && (rc = train(s)))
			return rc;
	}
	if ((rc = grow(z, ZSTD_compressBound(n))))
		return rc;
	size_t r = z->cdict ? ZSTD_compress_usingCDict(z->cctx, z->buf, z->cap, doc, n, z->cdict)
	                    : ZSTD_compressCCtx(z->cctx, z->buf, z->cap, doc, n, VD_ZIP_LEVEL);
	if (ZSTD_isError(r))
		return vd_error_set(VD_EIO, "store: compressing a %zu-byte document: %s", n, ZSTD_getErrorName(r));
	*out = z->buf;
	*out_n = r;
	return VD_OK;
}

/* ---- decompress ---- */

static ZSTD_DDict *ddict(vd_sqlite *s, unsigned id)
{
	vd_sq_zip *z = s->zip;
	for (size_t i = 0; i < z->n_dd; i++)
		if (z->dd[i].id == id)
			return z->dd[i].dd;
	ZSTD_DDict *dd = NULL;
	unsigned got;
	load_dict(s, id, NULL, &dd, &got);
	if (!dd) {
		vd_error_set(VD_EIO, "store: a document was compressed with dictionary %u, which this database "
		             "does not hold (zdicts)", id);
		return NULL;
	}
	size_t slot = z->n_dd < VD_ZIP_DDICTS ? z->n_dd++ : (z->next_dd++ % VD_ZIP_DDICTS);
	if (z->dd[slot].dd)
		ZSTD_freeDDict(z->dd[slot].dd);
	z->dd[slot].id = id;
	z->dd[slot].dd = dd;
	return dd;
}

int vd_sq_zip_text(vd_sqlite *s, const void *blob, size_t n, const char **text, size_t *len)
{
	vd_sq_zip *z = s->zip;
	if (!is_frame(blob, n)) {       /* stored as text */
		*text = blob;
		*len = n;
		return VD_OK;
	}
	unsigned long long size = ZSTD_getFrameContentSize(blob, n);
	if (size == ZSTD_CONTENTSIZE_ERROR || size == ZSTD_CONTENTSIZE_UNKNOWN || size > VD_ZIP_MAX_DOC)
		return vd_error_set(VD_EIO, "store: a stored document is damaged (bad zstd frame header)");
	int rc = grow(z, (size_t)size + 1);
	if (rc)
		return rc;
	unsigned id = ZSTD_getDictID_fromFrame(blob, n);
	ZSTD_DDict *dd = NULL;
	if (id && !(dd = ddict(s, id)))
		return VD_EIO;
	size_t r = dd ? ZSTD_decompress_usingDDict(z->dctx, z->buf, z->cap, blob, n, dd)
	              : ZSTD_decompressDCtx(z->dctx, z->buf, z->cap, blob, n);
	if (ZSTD_isError(r) || r != size)
		return vd_error_set(VD_EIO, "store: a stored document is damaged: %s",
		                    ZSTD_isError(r) ? ZSTD_getErrorName(r) : "wrong size");
	z->buf[r] = 0;
	*text = z->buf;
	*len = r;
	return VD_OK;
}

/* vd_doc(doc): the JSON text of a stored document (NULL stays NULL). */
static void sql_doc(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	(void)argc;
	vd_sqlite *s = sqlite3_user_data(ctx);
	if (sqlite3_value_type(argv[0]) == SQLITE_NULL)
		return;
	const void *b = sqlite3_value_blob(argv[0]);
	int n = sqlite3_value_bytes(argv[0]);
	const char *t;
	size_t len;
	if (!is_frame(b, (size_t)(n > 0 ? n : 0))) {
		sqlite3_result_value(ctx, argv[0]);
		return;
	}
	if (vd_sq_zip_text(s, b, (size_t)n, &t, &len)) {
		sqlite3_result_error(ctx, vd_error_msg(), -1);
		return;
	}
	sqlite3_result_text(ctx, t, (int)len, SQLITE_TRANSIENT);
}

/* ---- transactions ---- */

void vd_sq_zip_committed(vd_sqlite *s)
{
	if (s->zip)
		s->zip->cdict_pending = false;
}

void vd_sq_zip_rolled_back(vd_sqlite *s)
{
	if (s->zip && s->zip->cdict_pending)
		forget_cdict(s->zip);   /* its row is gone: look again */
}

/* ---- open / close ---- */

int vd_sq_zip_open(vd_sqlite *s)
{
	vd_sq_zip *z = calloc(1, sizeof *z);
	if (z) {
		z->cctx = ZSTD_createCCtx();
		z->dctx = ZSTD_createDCtx();
	}
	if (!z || !z->cctx || !z->dctx) {
		if (z) {
			ZSTD_freeCCtx(z->cctx);
			ZSTD_freeDCtx(z->dctx);
		}
		free(z);
		return vd_error_set(VD_ENOMEM, "store: out of memory for the document compressor");
	}
	s->zip = z;
	if (sqlite3_create_function(s->db, "vd_doc", 1, SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS, s,
	                            sql_doc, NULL, NULL) != SQLITE_OK)
		return vd_error_set(VD_EIO, "store: cannot register vd_doc(): %s", sqlite3_errmsg(s->db));
	return VD_OK;
}

void vd_sq_zip_close(vd_sqlite *s)
{
	vd_sq_zip *z = s->zip;
	if (!z)
		return;
	ZSTD_freeCCtx(z->cctx);
	ZSTD_freeDCtx(z->dctx);
	ZSTD_freeCDict(z->cdict);
	for (size_t i = 0; i < z->n_dd; i++)
		ZSTD_freeDDict(z->dd[i].dd);
	drop_samples(z);
	free(z->buf);
	free(z);
	s->zip = NULL;
}
