/* vulnd/util.h — buffers with a hard cap, arenas, string and time helpers,
 * logging.  No dependencies beyond libc.
 */
#ifndef VULND_UTIL_H
#define VULND_UTIL_H
#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>
#include <time.h>

/* ---- capped growable buffer (always NUL-terminated when len > 0) ---- */
typedef struct vd_buf {
	char  *data;     /* owned; NULL until the first append */
	size_t len;
	size_t cap;      /* allocated bytes */
	size_t max;      /* hard limit on len; appends past it fail VD_ETOOBIG */
} vd_buf;

/* Initialise with a maximum size in bytes (0 = 64 MiB default). */
void vd_buf_init(vd_buf *b, size_t max);
int  vd_buf_add(vd_buf *b, const void *p, size_t n);
/* Make room for n more bytes (and the NUL) without appending. */
int  vd_buf_reserve(vd_buf *b, size_t n);
int  vd_buf_adds(vd_buf *b, const char *s);
int  vd_buf_addc(vd_buf *b, char c);
int  vd_buf_printf(vd_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void vd_buf_reset(vd_buf *b);          /* len = 0, keeps memory */
void vd_buf_free(vd_buf *b);           /* frees data, back to empty */
/* Take ownership of the data (caller frees with free()); buffer emptied.
 * Returns "" duplicated when empty, NULL only on ENOMEM. */
char *vd_buf_detach(vd_buf *b);
static inline const char *vd_buf_str(const vd_buf *b) { return b->data ? b->data : ""; }

/* ---- arena: many small allocations, one free ---- */
typedef struct vd_arena vd_arena;
vd_arena *vd_arena_new(size_t block_size);   /* 0 = 8 KiB blocks */
void  vd_arena_free(vd_arena *a);            /* frees everything at once */
void *vd_arena_alloc(vd_arena *a, size_t n); /* zeroed, 16-aligned; NULL on ENOMEM */
char *vd_arena_strdup(vd_arena *a, const char *s);            /* NULL in → NULL out */
char *vd_arena_strndup(vd_arena *a, const char *s, size_t n);
char *vd_arena_printf(vd_arena *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
size_t vd_arena_used(const vd_arena *a);

/* ---- strings ---- */
/* true when s is well-formed UTF-8 (no overlongs, no surrogates). */
bool vd_utf8_valid(const char *s, size_t n);
/* Length of the leading valid part; *bad_at gets the offset of the first
 * invalid byte (== n when all valid). */
size_t vd_utf8_check(const char *s, size_t n);
bool vd_str_empty(const char *s);                  /* NULL or only whitespace */
bool vd_str_has_prefix(const char *s, const char *prefix);
bool vd_str_has_suffix(const char *s, const char *suffix);
bool vd_str_casecontains(const char *hay, const char *needle); /* ASCII case-folded */
/* Parse a decimal integer with range check; VD_EINVAL when not all digits. */
int vd_parse_long(const char *s, long min, long max, long *out);
/* Copy at most size-1 bytes and NUL-terminate; returns strlen(src). */
size_t vd_strlcpy(char *dst, const char *src, size_t size);

/* FNV-1a 64 of n bytes: a change detector and hash-table key, not a
 * cryptographic digest. */
uint64_t vd_hash64(const void *p, size_t n);
/* The same as 16 lower-case hex digits + NUL (content hashes, ETags). */
void vd_hash64_hex(const void *p, size_t n, char out[17]);

/* ---- time (UTC only) ---- */
/* Parse RFC 3339 / ISO 8601 date-times as found in feeds: "2021-12-10T00:00:00Z",
 * "...00.123Z", "+08:00" offsets, no zone (taken as UTC), or a bare date.
 * Out: seconds since the epoch. */
int vd_time_parse(const char *s, int64_t *out);
/* Format as "YYYY-MM-DDTHH:MM:SSZ" into out (at least 21 bytes). */
void vd_time_format(int64_t t, char *out, size_t n);
/* Normalise any accepted form to the canonical one; NULL when unparseable.
 * Result allocated in the arena. */
char *vd_time_normalize(vd_arena *a, const char *s);
int64_t vd_time_now(void);

/* ---- logging (stderr) ---- */
enum { VD_LOG_ERROR, VD_LOG_WARN, VD_LOG_INFO, VD_LOG_DEBUG };
extern int vd_log_level;               /* default VD_LOG_INFO */
void vd_log(int level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* ---- files ---- */
/* Read a whole file into a NUL-terminated malloc'd buffer, at most max bytes
 * (VD_ETOOBIG past it). path "-" is standard input. Caller frees *out. */
int vd_file_read(const char *path, size_t max, char **out, size_t *len);

#endif
