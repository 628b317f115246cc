/* vulnd/error.h — one status enum for the whole program, plus a per-thread
 * "last error" message for the human detail.
 *
 * Every fallible function returns int: VD_OK (0) or a negative VD_E* code.
 * The function that detects a problem calls vd_error_set() with a message
 * that says what and where; callers pass the code up unchanged.
 * VD_ENOTFOUND is an answer, not a failure: don't log it.
 */
#ifndef VULND_ERROR_H
#define VULND_ERROR_H

enum {
	VD_OK        = 0,
	VD_ENOTFOUND = -1,   /* no such thing */
	VD_EINVAL    = -2,   /* bad input (malformed record, bad argument) */
	VD_ENOMEM    = -3,   /* allocation failed */
	VD_EIO       = -4,   /* file, socket or database I/O failed */
	VD_ECONFLICT = -5,   /* constraint or concurrent-update conflict */
	VD_EPERM     = -6,   /* refused by policy or permission */
	VD_ETOOBIG   = -7,   /* input over a configured size/depth limit */
	VD_EUNSUPPORTED = -8,/* known but not (yet) supported */
	VD_EINTERNAL = -9,   /* a bug: an invariant did not hold */
};

/* Static name of a code ("EINVAL", ...). */
const char *vd_strerror(int code);

/* Set this thread's last error message (printf format) and return code,
 * so callers can write `return vd_error_set(VD_EINVAL, "...", ...);`. */
int vd_error_set(int code, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Prefix the current message with more context ("file.json: " + old). */
void vd_error_prefix(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* This thread's last message; never NULL (empty when none). Owned by the
 * thread; valid until the next vd_error_set/vd_error_clear on it. */
const char *vd_error_msg(void);
int vd_error_code(void);
void vd_error_clear(void);

#endif
