/* src/store/fts_tokenizer.c — the "vd" FTS5 tokenizer: one index for
 * Chinese and English text (docs/search.md has the design and its limits).
 *
 * Characters fall in four classes:
 *   word  ASCII letters and digits, Latin-1/Latin Extended letters, and the
 *         letters of other alphabetic scripts (Greek, Cyrillic, ...).  A run
 *         of them is one token, case-folded, with diacritics folded for Latin
 *         (é → e, ß → ss, Œ → oe) and case folded for Greek and Cyrillic.
 *   cjk   Han, kana, Hangul, Yi, Bopomofo.  A run is cut into overlapping
 *         bigrams: c[i]c[i+1] at position i.  The run's last character is
 *         also indexed alone, colocated with the last bigram; a run of one
 *         character is that character.  So a run of n > 1 characters takes
 *         n - 1 positions, as many as its bigrams in a query: in queries a run
 *         of two or more characters gives its bigrams (a phrase: positions
 *         follow each other), and a phrase mixing CJK and Latin (通达OA) lines
 *         up.  A run of one character gives that character, which the query
 *         builder makes a prefix token (洞*): every occurrence of a character
 *         starts a bigram or ends a run, so one-character queries find all.
 *         Single characters are not indexed inside runs: that halves the
 *         index size for Chinese text.
 *   mark  combining marks (U+0300.., variation selectors): dropped, they
 *         neither end a word nor appear in it (decomposed é folds like é).
 *   sep   everything else: ASCII punctuation, spaces, symbols, emoji,
 *         CJK punctuation, invalid UTF-8 bytes.
 * Full-width ASCII (U+FF01..U+FF5E) is folded to ASCII first, U+3000 is a
 * space.  Identifiers and versions (CVE-2021-44228, CNNVD-202112-799,
 * 1.0.2k) become several tokens (cve 2021 44228); a query word gives the
 * same tokens as a phrase, so they are found exactly.  Tokens are cut at
 * VD_TOK_MAX bytes.  Offsets are byte offsets into the caller's text.
 */
#include "search_int.h"
#include "vulnd/error.h"
#include <sqlite3.h>
#include <math.h>
#include <string.h>

_Static_assert(VD_TOK_COLOCATED == FTS5_TOKEN_COLOCATED, "colocated flag must match FTS5's");

enum { C_SEP, C_WORD, C_CJK, C_MARK };

/* Decode one code point from p (n > 0 bytes); returns bytes used, *cp = -1
 * for an invalid byte (one byte used). */
static int utf8_next(const unsigned char *p, int n, int32_t *cp)
{
	unsigned c = p[0];
	int len;
	int32_t v, min;
	if (c < 0x80) {
		*cp = (int32_t)c;
		return 1;
	}
	if (c >= 0xc2 && c <= 0xdf) { len = 2; v = c & 0x1f; min = 0x80; }
	else if (c >= 0xe0 && c <= 0xef) { len = 3; v = c & 0x0f; min = 0x800; }
	else if (c >= 0xf0 && c <= 0xf4) { len = 4; v = c & 0x07; min = 0x10000; }
	else { *cp = -1; return 1; }
	if (n < len) {
		*cp = -1;
		return 1;
	}
	for (int i = 1; i < len; i++) {
		if ((p[i] & 0xc0) != 0x80) {
			*cp = -1;
			return 1;
		}
		v = (v << 6) | (p[i] & 0x3f);
	}
	if (v < min || v > 0x10ffff || (v >= 0xd800 && v <= 0xdfff)) {
		*cp = -1;
		return 1;
	}
	*cp = v;
	return len;
}

static int utf8_put(char *out, int32_t cp)
{
	if (cp < 0x80) {
		out[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		out[0] = (char)(0xc0 | (cp >> 6));
		out[1] = (char)(0x80 | (cp & 0x3f));
		return 2;
	}
	if (cp < 0x10000) {
		out[0] = (char)(0xe0 | (cp >> 12));
		out[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
		out[2] = (char)(0x80 | (cp & 0x3f));
		return 3;
	}
	out[0] = (char)(0xf0 | (cp >> 18));
	out[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
	out[2] = (char)(0x80 | ((cp >> 6) & 0x3f));
	out[3] = (char)(0x80 | (cp & 0x3f));
	return 4;
}

/* Full-width ASCII and the ideographic space, before classification. */
static int32_t fold_width(int32_t cp)
{
	if (cp >= 0xff01 && cp <= 0xff5e)
		return cp - 0xfee0;
	if (cp == 0x3000)
		return ' ';
	return cp;
}

static int klass(int32_t cp)
{
	if (cp < 0)
		return C_SEP;
	if (cp < 0x80)
		return ((cp | 0x20) >= 'a' && (cp | 0x20) <= 'z') || (cp >= '0' && cp <= '9') ? C_WORD : C_SEP;
	if (cp < 0xc0)
		return C_SEP;
	if (cp < 0x250)
		return cp == 0xd7 || cp == 0xf7 ? C_SEP : C_WORD;
	if (cp < 0x2b0)
		return C_WORD;
	if (cp < 0x300)
		return C_SEP;
	if (cp < 0x370)
		return C_MARK;
	if (cp < 0x2000)
		return (cp >= 0x1ab0 && cp <= 0x1aff) || (cp >= 0x1dc0 && cp <= 0x1dff) ? C_MARK : C_WORD;
	if (cp < 0x2c00)
		return (cp >= 0x20d0 && cp <= 0x20ff) ? C_MARK : C_SEP;
	if (cp < 0x2e00)
		return C_WORD;
	if (cp < 0x2e80)
		return C_SEP;
	if (cp < 0x2fe0)
		return C_CJK;
	if (cp < 0x3000)
		return C_SEP;
	if (cp < 0x3040)
		return (cp >= 0x3005 && cp <= 0x3007) || (cp >= 0x3021 && cp <= 0x3029) ? C_CJK : C_SEP;
	if (cp < 0x3200)
		return cp == 0x30a0 || cp == 0x30fb ? C_SEP : C_CJK;
	if (cp < 0x3400)
		return C_SEP;
	if (cp < 0x4dc0)
		return C_CJK;
	if (cp < 0x4e00)
		return C_SEP;
	if (cp < 0xa4d0)
		return C_CJK;   /* CJK unified ideographs, Yi */
	if (cp < 0xac00)
		return C_WORD;
	if (cp < 0xd800)
		return C_CJK;   /* Hangul */
	if (cp < 0xf900)
		return C_SEP;   /* private use */
	if (cp < 0xfb00)
		return C_CJK;
	if (cp < 0xfe00)
		return C_WORD;
	if (cp < 0xfe10)
		return C_MARK;
	if (cp < 0xfe20)
		return C_SEP;
	if (cp < 0xfe30)
		return C_MARK;
	if (cp < 0xfe70)
		return C_SEP;
	if (cp < 0xff00)
		return cp == 0xfeff ? C_SEP : C_WORD;
	if (cp < 0xff66)
		return C_SEP;
	if (cp < 0xffe0)
		return C_CJK;   /* half-width katakana and Hangul */
	if (cp < 0x10000)
		return C_SEP;
	if (cp < 0x1d000)
		return C_WORD;
	if (cp < 0x20000)
		return C_SEP;   /* musical/maths symbols, emoji */
	if (cp < 0x40000)
		return C_CJK;
	if (cp >= 0xe0100 && cp <= 0xe01ef)
		return C_MARK;
	return C_SEP;
}

/* Base letters of U+00C0..U+00FF and U+0100..U+017F, lower case.  '1' is
 * "ae", '2' "oe", '3' "ij", '4' "th", '5' "ss", ' ' not a letter. */
static const char latin1[65] =
	"aaaaaa1ceeeeiiiidnooooo ouuuuy45aaaaaa1ceeeeiiiidnooooo ouuuuy4y";
static const char latin_ext_a[129] =
	"aaaaaaccccccccddddeeeeeeeeeegggggggghhhhiiiiiiiiii33jjkkkllllllllllnnnnnnnnnoooooo22rrrrrrsssssssstttttt"
	"uuuuuuuuuuuuwwyyyzzzzzzs";

/* Append the folded form of cp to out (room for 4 bytes); returns bytes. */
static int fold(char *out, int32_t cp)
{
	if (cp < 0x80) {
		out[0] = (char)(cp >= 'A' && cp <= 'Z' ? cp + 32 : cp);
		return 1;
	}
	char c = 0;
	if (cp >= 0xc0 && cp < 0x100)
		c = latin1[cp - 0xc0];
	else if (cp >= 0x100 && cp < 0x180)
		c = latin_ext_a[cp - 0x100];
	if (c) {
		static const char *const di[] = {"ae", "oe", "ij", "th", "ss"};
		if (c >= '1' && c <= '5') {
			memcpy(out, di[c - '1'], 2);
			return 2;
		}
		out[0] = c;
		return 1;
	}
	/* Greek: capitals and tonos forms to plain lower case, final sigma. */
	if (cp >= 0x391 && cp <= 0x3a9 && cp != 0x3a2)
		cp += 0x20;
	else if (cp >= 0x386 && cp <= 0x3ce) {
		switch (cp) {
		case 0x386: case 0x3ac: cp = 0x3b1; break;
		case 0x388: case 0x3ad: cp = 0x3b5; break;
		case 0x389: case 0x3ae: cp = 0x3b7; break;
		case 0x38a: case 0x3af: case 0x3ca: case 0x390: cp = 0x3b9; break;
		case 0x38c: case 0x3cc: cp = 0x3bf; break;
		case 0x38e: case 0x3cd: case 0x3cb: case 0x3b0: cp = 0x3c5; break;
		case 0x38f: case 0x3ce: cp = 0x3c9; break;
		case 0x3c2: cp = 0x3c3; break;
		default: break;
		}
	} else if (cp >= 0x410 && cp <= 0x42f)   /* Cyrillic */
		cp += 0x20;
	else if (cp >= 0x400 && cp <= 0x40f)
		cp += 0x50;
	if (cp == 0x451)
		cp = 0x435;   /* ё → е */
	return utf8_put(out, cp);
}

typedef struct {
	vd_fts_token_cb cb;
	void *ctx;
	bool query;
	/* the pending CJK character of the current run */
	char prev[4];
	int prev_len, prev_start, prev_end, run_len;
} walker;

/* End a CJK run: its last character on a position of its own (documents)
 * or a lone character (queries). */
static int cjk_flush(walker *w)
{
	int rc = 0;
	if (w->run_len > 0 && (!w->query || w->run_len == 1))
		rc = w->cb(w->ctx, !w->query && w->run_len > 1 ? VD_TOK_COLOCATED : 0, w->prev, w->prev_len,
		           w->prev_start, w->prev_end);
	w->run_len = 0;
	return rc;
}

/* One more CJK character c (folded, clen bytes) at [start, end). */
static int cjk_add(walker *w, const char *c, int clen, int start, int end)
{
	int rc = 0;
	if (w->run_len > 0) {
		char bi[8];
		memcpy(bi, w->prev, (size_t)w->prev_len);
		memcpy(bi + w->prev_len, c, (size_t)clen);
		rc = w->cb(w->ctx, 0, bi, w->prev_len + clen, w->prev_start, end);
	}
	memcpy(w->prev, c, (size_t)clen);
	w->prev_len = clen;
	w->prev_start = start;
	w->prev_end = end;
	w->run_len++;
	return rc;
}

int vd_fts_tokenize(const char *text, int n, bool query, vd_fts_token_cb cb, void *ctx)
{
	walker w = {.cb = cb, .ctx = ctx, .query = query};
	const unsigned char *p = (const unsigned char *)text;
	char tok[VD_TOK_MAX + 8];
	int tlen = 0, tstart = -1, tend = 0, rc = 0, i = 0;
	if (!text || n <= 0)
		return 0;
	while (i < n && !rc) {
		int32_t cp;
		int len = utf8_next(p + i, n - i, &cp);
		int k = klass(cp = fold_width(cp));
		if (k == C_MARK) {           /* inside a word: part of it; else nothing */
			if (tstart >= 0)
				tend = i + len;
			i += len;
			continue;
		}
		if (k != C_WORD && tstart >= 0) {   /* a word ends */
			rc = cb(ctx, 0, tok, tlen, tstart, tend);
			tstart = -1;
			tlen = 0;
			if (rc)
				break;
		}
		if (k != C_CJK && w.run_len > 0 && (rc = cjk_flush(&w)))
			break;
		if (k == C_WORD) {
			char f[8];
			int fl = fold(f, cp);
			if (tstart < 0)
				tstart = i;
			if (tlen + fl <= VD_TOK_MAX) {
				memcpy(tok + tlen, f, (size_t)fl);
				tlen += fl;
			}
			tend = i + len;
		} else if (k == C_CJK) {
			char f[4];
			int fl = utf8_put(f, cp);
			rc = cjk_add(&w, f, fl, i, i + len);
		}
		i += len;
	}
	if (!rc && tstart >= 0)
		rc = cb(ctx, 0, tok, tlen, tstart, tend);
	if (!rc)
		rc = cjk_flush(&w);
	return rc;
}

/* ---- FTS5 glue ---- */

static int tok_create(void *ctx, const char **argv, int argc, Fts5Tokenizer **out)
{
	static int dummy;
	(void)ctx;
	(void)argv;
	if (argc > 0)
		return SQLITE_ERROR;   /* the vd tokenizer takes no options */
	*out = (Fts5Tokenizer *)&dummy;
	return SQLITE_OK;
}

static void tok_delete(Fts5Tokenizer *t) { (void)t; }

static int tok_tokenize(Fts5Tokenizer *t, void *ctx, int flags, const char *text, int n,
                        int (*token)(void *, int, const char *, int, int, int))
{
	(void)t;
	return vd_fts_tokenize(text, n, (flags & FTS5_TOKENIZE_QUERY) != 0, token, ctx);
}

static fts5_api *fts5_api_of(sqlite3 *db)
{
	fts5_api *api = NULL;
	sqlite3_stmt *st = NULL;
	if (sqlite3_prepare_v2(db, "SELECT fts5(?1)", -1, &st, NULL) != SQLITE_OK)
		return NULL;
	sqlite3_bind_pointer(st, 1, (void *)&api, "fts5_api_ptr", NULL);
	sqlite3_step(st);
	sqlite3_finalize(st);
	return api;
}

/* ---- ranking: vd_rank(table, w0, w1, ...) ----
 *
 * BM25 with length normalisation per column (BM25F-like), where FTS5's own
 * bm25() normalises by the length of the whole row: there one long field
 * (a solution text with HTML lists of patches) buries a record whose title
 * holds the words.  For each phrase p and column c with tf occurrences:
 *   score += idf(p) * w[c] * tf * (k1 + 1) / (tf + k1 * (1 - b + b * len[c] / avg[c]))
 * idf(p) = ln((N - n(p) + 0.5) / (n(p) + 0.5)), at least 1e-6, with n(p) the
 * rows holding the phrase (counted once per query; 1 for a one-phrase query,
 * where it would not change the order).  Returns -score, so
 * ORDER BY ascending puts the best first, like bm25().  An argument after
 * the weights may give the column sizes (vd_rank_sizes, search_int.h). */
#define RANK_K1 1.2
#define RANK_B  0.75
#define RANK_MAX_COLS 16

typedef struct {
	int nphrase, ncol;
	double avg[RANK_MAX_COLS];
	double idf[];
} rank_data;

static int rank_count(const Fts5ExtensionApi *api, Fts5Context *fts, void *ud)
{
	(void)api;
	(void)fts;
	(*(sqlite3_int64 *)ud)++;
	return SQLITE_OK;
}

static int rank_setup(const Fts5ExtensionApi *api, Fts5Context *fts, rank_data **out)
{
	rank_data *d = api->xGetAuxdata(fts, 0);
	if (d) {
		*out = d;
		return SQLITE_OK;
	}
	int np = api->xPhraseCount(fts), nc = api->xColumnCount(fts);
	if (nc > RANK_MAX_COLS)
		nc = RANK_MAX_COLS;
	d = sqlite3_malloc64(sizeof *d + (size_t)(np > 0 ? np : 1) * sizeof(double));
	if (!d)
		return SQLITE_NOMEM;
	memset(d, 0, sizeof *d);
	d->nphrase = np;
	d->ncol = nc;
	sqlite3_int64 nrow = 0;
	int rc = api->xRowCount(fts, &nrow);
	for (int c = 0; rc == SQLITE_OK && c < nc; c++) {
		sqlite3_int64 tot = 0;
		rc = api->xColumnTotalSize(fts, c, &tot);
		d->avg[c] = nrow > 0 && tot > 0 ? (double)tot / (double)nrow : 1.0;
	}
	/* One phrase: idf scales every score alike, so skip the pass over its
	 * matches that counting them would cost. */
	for (int i = 0; np == 1 && i < np; i++)
		d->idf[i] = 1.0;
	for (int i = 0; rc == SQLITE_OK && np > 1 && i < np; i++) {
		sqlite3_int64 hits = 0;
		rc = api->xQueryPhrase(fts, i, &hits, rank_count);
		double idf = log(((double)nrow - (double)hits + 0.5) / ((double)hits + 0.5));
		d->idf[i] = idf > 1e-6 ? idf : 1e-6;
	}
	if (rc == SQLITE_OK)
		rc = api->xSetAuxdata(fts, d, sqlite3_free);   /* frees d itself on failure */
	else
		sqlite3_free(d);
	*out = rc == SQLITE_OK ? d : NULL;
	return rc;
}

static void vd_rank(const Fts5ExtensionApi *api, Fts5Context *fts, sqlite3_context *ctx, int nval,
                    sqlite3_value **val)
{
	rank_data *d = NULL;
	int rc = rank_setup(api, fts, &d);
	if (rc != SQLITE_OK) {
		sqlite3_result_error_code(ctx, rc);
		return;
	}
	enum { MAXTF = 64 * RANK_MAX_COLS };
	double tf[MAXTF];
	int np = d->nphrase < 64 ? d->nphrase : 64, nc = d->ncol;
	memset(tf, 0, sizeof tf);
	int ninst = 0;
	if ((rc = api->xInstCount(fts, &ninst)) != SQLITE_OK) {
		sqlite3_result_error_code(ctx, rc);
		return;
	}
	for (int i = 0; i < ninst; i++) {
		int ip, ic, io;
		if (api->xInst(fts, i, &ip, &ic, &io) == SQLITE_OK && ip >= 0 && ip < np && ic >= 0 && ic < nc)
			tf[ip * RANK_MAX_COLS + ic] += 1;
	}
	double score = 0, norm[RANK_MAX_COLS];
	/* column sizes: given in memory (a last argument, see vd_rank_sizes)
	 * or FTS5's docsize row */
	const vd_rank_sizes *given = nval > nc ? sqlite3_value_pointer(val[nval - 1], VD_RANK_SIZES_TYPE) : NULL;
	sqlite3_int64 rowid = given ? api->xRowid(fts) : -1;
	if (given && (rowid < 0 || rowid >= given->n || given->ncol != nc))
		given = NULL;
	for (int c = 0; c < nc; c++) {
		int len = 0;
		if (given)
			len = (int)given->sz[rowid * nc + c];
		else
			api->xColumnSize(fts, c, &len);
		norm[c] = RANK_K1 * (1 - RANK_B + RANK_B * (double)len / d->avg[c]);
	}
	for (int p = 0; p < np; p++)
		for (int c = 0; c < nc; c++) {
			double t = tf[p * RANK_MAX_COLS + c];
			if (t <= 0)
				continue;
			double w = c < nval ? sqlite3_value_double(val[c]) : 1.0;
			score += d->idf[p] * w * t * (RANK_K1 + 1) / (t + norm[c]);
		}
	sqlite3_result_double(ctx, -score);
}

int vd_fts_register(sqlite3 *db)
{
	static fts5_tokenizer tk = {tok_create, tok_delete, tok_tokenize};
	fts5_api *api = fts5_api_of(db);
	if (!api || api->iVersion < 2)
		return vd_error_set(VD_EUNSUPPORTED, "sqlite: this SQLite has no FTS5 (needed for search)");
	if (api->xCreateTokenizer(api, "vd", NULL, &tk, NULL) != SQLITE_OK)
		return vd_error_set(VD_EIO, "sqlite: cannot register the vd search tokenizer");
	if (api->xCreateFunction(api, "vd_rank", NULL, vd_rank, NULL) != SQLITE_OK)
		return vd_error_set(VD_EIO, "sqlite: cannot register the vd_rank function");
	return VD_OK;
}
