/* src/store/store.c — vd_store_open: pick the backend from the location. */
#include "vulnd/store.h"
#include "vulnd/error.h"
#include <strings.h>

static bool has_scheme(const char *s, const char *scheme)
{
	size_t n = 0;
	while (scheme[n])
		n++;
	return strncasecmp(s, scheme, n) == 0;
}

int vd_store_open(const char *location, vd_store **out)
{
	if (!out)
		return vd_error_set(VD_EINVAL, "store: vd_store_open without an out pointer");
	*out = NULL;
	if (vd_str_empty(location))
		return vd_error_set(VD_EINVAL, "store: empty database location");
	/* The location may carry a password: never echo it. */
	if (has_scheme(location, "postgresql://") || has_scheme(location, "postgres://"))
		return vd_error_set(VD_EUNSUPPORTED, "store: PostgreSQL is not supported by this build of "
		                    "vulnd yet; use a SQLite file path (or :memory:)");
	return vd_store_sqlite_open(location, out);
}
