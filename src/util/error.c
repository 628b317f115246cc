/* Per-thread last-error message. */
#include "vulnd/error.h"
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static _Thread_local char msg[1024];
static _Thread_local int last_code;

const char *vd_strerror(int code)
{
	switch (code) {
	case VD_OK: return "OK";
	case VD_ENOTFOUND: return "ENOTFOUND";
	case VD_EINVAL: return "EINVAL";
	case VD_ENOMEM: return "ENOMEM";
	case VD_EIO: return "EIO";
	case VD_ECONFLICT: return "ECONFLICT";
	case VD_EPERM: return "EPERM";
	case VD_ETOOBIG: return "ETOOBIG";
	case VD_EUNSUPPORTED: return "EUNSUPPORTED";
	case VD_EINTERNAL: return "EINTERNAL";
	}
	return "EUNKNOWN";
}

int vd_error_set(int code, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	last_code = code;
	return code;
}

void vd_error_prefix(const char *fmt, ...)
{
	char pre[512], old[sizeof msg];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(pre, sizeof pre, fmt, ap);
	va_end(ap);
	memcpy(old, msg, sizeof old);
	size_t np = strlen(pre), no = strlen(old);
	if (np > sizeof msg - 1)
		np = sizeof msg - 1;
	if (no > sizeof msg - 1 - np)
		no = sizeof msg - 1 - np;
	memcpy(msg, pre, np);
	memcpy(msg + np, old, no);
	msg[np + no] = 0;
}

const char *vd_error_msg(void) { return msg; }
int vd_error_code(void) { return last_code; }
void vd_error_clear(void) { msg[0] = 0; last_code = 0; }
