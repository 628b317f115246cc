/* Internal to src/match/: helpers shared by the version schemes. */
#ifndef VULND_MATCH_INT_H
#define VULND_MATCH_INT_H
#include <stdbool.h>
#include <stddef.h>
#include "vulnd/match.h"

/* Compare two runs of decimal digits of any length: -1, 0, 1. */
int vm_numcmp(const char *a, size_t an, const char *b, size_t bn);
/* Byte compare of two runs, shorter-prefix first: -1, 0, 1. */
int vm_strcmp(const char *a, size_t an, const char *b, size_t bn);
int vm_sign(int x);
bool vm_isdigits(const char *s, size_t n);

/* Set "SCHEME version 'V': why" and return VD_EINVAL. */
int vm_bad(vd_scheme s, const char *v, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* Length check shared by every scheme entry point. */
int vm_check_len(vd_scheme s, const char *v);

/* Per-scheme comparison; each validates both arguments (VD_EINVAL). */
int vm_generic_cmp(const char *a, const char *b, int *out);
int vm_semver_cmp(const char *a, const char *b, int *out);
int vm_npm_cmp(const char *a, const char *b, int *out);
int vm_golang_cmp(const char *a, const char *b, int *out);
int vm_nuget_cmp(const char *a, const char *b, int *out);
int vm_pypi_cmp(const char *a, const char *b, int *out);
int vm_deb_cmp(const char *a, const char *b, int *out);
int vm_rpm_cmp(const char *a, const char *b, int *out);
int vm_apk_cmp(const char *a, const char *b, int *out);
int vm_maven_cmp(const char *a, const char *b, int *out);
int vm_gem_cmp(const char *a, const char *b, int *out);

/* Native range syntaxes. */
int vm_npm_range(const char *v, const char *range, bool *out);
int vm_pypi_range(const char *v, const char *range, bool *out);
int vm_interval_range(vd_scheme s, const char *v, const char *range, bool *out);
int vm_gem_range(const char *v, const char *range, bool *out);
/* Comparator lists "> 1.0, <= 2.0 || = 3" for every other scheme. */
int vm_oplist_range(vd_scheme s, const char *v, const char *range, bool *out);

#endif
