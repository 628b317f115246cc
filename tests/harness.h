/* tests/harness.h — the smallest test harness that does the job.
 *
 * A test file defines `static void t_name(void)` functions and a main() that
 * calls RUN(t_name) for each and returns vt_done().  Every CHECK that fails
 * marks the current test failed and prints file:line and the expression.
 * The last line a test binary prints is "# N passed, N failed, N skipped";
 * tests/run.sh adds those up over all binaries.
 */
#ifndef VD_TEST_HARNESS_H
#define VD_TEST_HARNESS_H
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int vt_passed, vt_failed, vt_skipped, vt_cur_failed, vt_cur_skipped;
static const char *vt_cur;

#define CHECK(c) do { if (!(c)) { vt_cur_failed = 1; \
    fprintf(stderr, "  %s:%d: %s: CHECK(%s) failed\n", __FILE__, __LINE__, vt_cur, #c); } } while (0)
#define CHECK_STR(a, b) do { const char *vt_a = (a), *vt_b = (b); \
    if (!vt_a || !vt_b || strcmp(vt_a, vt_b) != 0) { vt_cur_failed = 1; \
    fprintf(stderr, "  %s:%d: %s: %s == \"%s\", expected \"%s\"\n", __FILE__, __LINE__, vt_cur, \
            #a, vt_a ? vt_a : "(null)", vt_b ? vt_b : "(null)"); } } while (0)
#define CHECK_INT(a, b) do { long long vt_a = (long long)(a), vt_b = (long long)(b); \
    if (vt_a != vt_b) { vt_cur_failed = 1; \
    fprintf(stderr, "  %s:%d: %s: %s == %lld, expected %lld\n", __FILE__, __LINE__, vt_cur, \
            #a, vt_a, vt_b); } } while (0)
/* Stop the current test (after a failed precondition). */
#define REQUIRE(c) do { CHECK(c); if (vt_cur_failed) return; } while (0)
#define SKIP(why) do { vt_cur_skipped = 1; printf("skip - %s: %s\n", vt_cur, why); return; } while (0)

#define RUN(fn) do { vt_cur = #fn; vt_cur_failed = 0; vt_cur_skipped = 0; fn(); \
    if (vt_cur_skipped) vt_skipped++; \
    else if (vt_cur_failed) { vt_failed++; printf("not ok - %s\n", #fn); } \
    else { vt_passed++; printf("ok - %s\n", #fn); } fflush(stdout); } while (0)

static inline int vt_done(void)
{
	printf("# %d passed, %d failed, %d skipped\n", vt_passed, vt_failed, vt_skipped);
	return vt_failed ? 1 : 0;
}

/* ../shared next to the repository (or $SHARED). NULL when missing: tests
 * that need it fail with a message that says where it was looked for. */
static inline const char *vt_shared(void)
{
	static char path[4096];
	const char *s = getenv("SHARED");
	snprintf(path, sizeof path, "%s", s && *s ? s : "../shared");
	char probe[4200];
	snprintf(probe, sizeof probe, "%s/data/SOURCES.md", path);
	FILE *f = fopen(probe, "r");
	if (!f) {
		fprintf(stderr, "  shared data not found: %s is missing (set SHARED=/path/to/shared)\n", probe);
		return NULL;
	}
	fclose(f);
	return path;
}
#endif
