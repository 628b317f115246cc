/* Capped growable buffer: no input can make it grow past b->max. */
#include "vulnd/util.h"
#include "vulnd/error.h"
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define VD_BUF_DEFAULT_MAX (64u << 20)

void vd_buf_init(vd_buf *b, size_t max)
{
	b->data = NULL;
	b->len = b->cap = 0;
	b->max = max ? max : VD_BUF_DEFAULT_MAX;
}

static int grow(vd_buf *b, size_t need)
{
	if (need > b->max)
		return vd_error_set(VD_ETOOBIG, "buffer limit of %zu bytes exceeded", b->max);
	if (need + 1 <= b->cap)
		return VD_OK;
	size_t cap = b->cap ? b->cap : 64;
	while (cap < need + 1)
		cap *= 2;
	if (cap > b->max + 1)
		cap = b->max + 1;
	char *p = realloc(b->data, cap);
	if (!p)
		return vd_error_set(VD_ENOMEM, "out of memory growing a buffer to %zu bytes", cap);
	b->data = p;
	b->cap = cap;
	return VD_OK;
}

int vd_buf_add(vd_buf *b, const void *p, size_t n)
{
	if (n > b->max - b->len)
		return vd_error_set(VD_ETOOBIG, "buffer limit of %zu bytes exceeded", b->max);
	int rc = grow(b, b->len + n);
	if (rc)
		return rc;
	if (n)
		memcpy(b->data + b->len, p, n);
	b->len += n;
	b->data[b->len] = 0;
	return VD_OK;
}

int vd_buf_reserve(vd_buf *b, size_t n)
{
	if (n > b->max - b->len)
		return vd_error_set(VD_ETOOBIG, "buffer limit of %zu bytes exceeded", b->max);
	return grow(b, b->len + n);
}

int vd_buf_adds(vd_buf *b, const char *s) { return vd_buf_add(b, s, strlen(s)); }
int vd_buf_addc(vd_buf *b, char c) { return vd_buf_add(b, &c, 1); }

int vd_buf_printf(vd_buf *b, const char *fmt, ...)
{
	char small[256];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(small, sizeof small, fmt, ap);
	va_end(ap);
	if (n < 0)
		return vd_error_set(VD_EINVAL, "bad format string");
	if ((size_t)n < sizeof small)
		return vd_buf_add(b, small, (size_t)n);
	if ((size_t)n > b->max - b->len)
		return vd_error_set(VD_ETOOBIG, "buffer limit of %zu bytes exceeded", b->max);
	int rc = grow(b, b->len + (size_t)n);
	if (rc)
		return rc;
	va_start(ap, fmt);
	vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
	return VD_OK;
}

void vd_buf_reset(vd_buf *b)
{
	b->len = 0;
	if (b->data)
		b->data[0] = 0;
}

void vd_buf_free(vd_buf *b)
{
	free(b->data);
	b->data = NULL;
	b->len = b->cap = 0;
}

char *vd_buf_detach(vd_buf *b)
{
	char *p = b->data;
	if (!p)
		p = strdup("");
	b->data = NULL;
	b->len = b->cap = 0;
	return p;
}
