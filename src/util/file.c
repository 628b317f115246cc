/* Whole-file reads with a size cap. */
#include "vulnd/util.h"
#include "vulnd/error.h"
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int vd_file_read(const char *path, size_t max, char **out, size_t *len)
{
	FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
	if (!f)
		return vd_error_set(VD_EIO, "%s: %s", path, strerror(errno));
	vd_buf b;
	vd_buf_init(&b, max);
	char chunk[65536];
	size_t n;
	int rc = VD_OK;
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
		if ((rc = vd_buf_add(&b, chunk, n)) != VD_OK) {
			vd_error_set(rc, "%s: larger than the limit of %zu bytes", path, max);
			break;
		}
	if (!rc && ferror(f))
		rc = vd_error_set(VD_EIO, "%s: read error: %s", path, strerror(errno));
	if (f != stdin)
		fclose(f);
	if (rc) {
		vd_buf_free(&b);
		return rc;
	}
	*len = b.len;
	*out = vd_buf_detach(&b);
	return *out ? VD_OK : vd_error_set(VD_ENOMEM, "out of memory");
}
