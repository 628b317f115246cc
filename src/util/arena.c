/* Arena: a chain of blocks; allocations are never freed one by one. */
#include "vulnd/util.h"
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct block {
	struct block *next;
	size_t size, used;
	_Alignas(16) unsigned char mem[];
};

struct vd_arena {
	struct block *head;
	size_t block_size;
	size_t total;
};

vd_arena *vd_arena_new(size_t block_size)
{
	vd_arena *a = calloc(1, sizeof *a);
	if (a)
		a->block_size = block_size ? block_size : 8192;
	return a;
}

void vd_arena_free(vd_arena *a)
{
	if (!a)
		return;
	for (struct block *b = a->head, *n; b; b = n) {
		n = b->next;
		free(b);
	}
	free(a);
}

void *vd_arena_alloc(vd_arena *a, size_t n)
{
	n = (n + 15) & ~(size_t)15;
	if (n == 0)
		n = 16;
	struct block *b = a->head;
	if (!b || b->size - b->used < n) {
		size_t sz = n > a->block_size / 2 ? n : a->block_size;
		struct block *nb = malloc(sizeof *nb + sz);
		if (!nb)
			return NULL;
		nb->size = sz;
		nb->used = 0;
		if (b && sz == n && b->size - b->used >= 256) {
			/* big one-off allocation: keep filling the current block */
			nb->next = b->next;
			b->next = nb;
		} else {
			nb->next = b;
			a->head = nb;
		}
		b = nb;
	}
	void *p = b->mem + b->used;
	b->used += n;
	a->total += n;
	memset(p, 0, n);
	return p;
}

char *vd_arena_strndup(vd_arena *a, const char *s, size_t n)
{
	if (!s)
		return NULL;
	char *p = vd_arena_alloc(a, n + 1);
	if (p) {
		memcpy(p, s, n);
		p[n] = 0;
	}
	return p;
}

char *vd_arena_strdup(vd_arena *a, const char *s)
{
	return s ? vd_arena_strndup(a, s, strlen(s)) : NULL;
}

char *vd_arena_printf(vd_arena *a, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		return NULL;
	char *p = vd_arena_alloc(a, (size_t)n + 1);
	if (!p)
		return NULL;
	va_start(ap, fmt);
	vsnprintf(p, (size_t)n + 1, fmt, ap);
	va_end(ap);
	return p;
}

size_t vd_arena_used(const vd_arena *a) { return a->total; }
