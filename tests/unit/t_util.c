/* util: capped buffers, arena, UTF-8, time parsing, errors. */
#include "harness.h"
#include "vulnd/util.h"
#include "vulnd/error.h"

static void t_buf_cap(void)
{
	vd_buf b;
	vd_buf_init(&b, 10);
	CHECK_INT(vd_buf_adds(&b, "hello"), VD_OK);
	CHECK_INT(vd_buf_adds(&b, "world"), VD_OK);
	CHECK_INT(vd_buf_adds(&b, "!"), VD_ETOOBIG);     /* 11 > 10 */
	CHECK_STR(vd_buf_str(&b), "helloworld");
	CHECK_INT(b.len, 10);
	vd_buf_reset(&b);
	CHECK_INT(vd_buf_printf(&b, "%d-%s", 42, "x"), VD_OK);
	CHECK_STR(vd_buf_str(&b), "42-x");
	CHECK_INT(vd_buf_printf(&b, "%0300d", 1), VD_ETOOBIG);
	vd_buf_free(&b);
	vd_buf_init(&b, 0);
	for (int i = 0; i < 1000; i++)
		vd_buf_printf(&b, "%04d", i);
	CHECK_INT(b.len, 4000);
	CHECK(memcmp(b.data + 3996, "0999", 4) == 0);
	char *d = vd_buf_detach(&b);
	CHECK(d && strlen(d) == 4000);
	free(d);
	CHECK(b.data == NULL);
}

static void t_arena(void)
{
	vd_arena *a = vd_arena_new(64);
	char *s = vd_arena_strdup(a, "abc");
	char *big = vd_arena_alloc(a, 10000);   /* larger than a block */
	char *p = vd_arena_printf(a, "%s-%d", "x", 7);
	CHECK_STR(s, "abc");
	CHECK_STR(p, "x-7");
	CHECK(big && big[9999] == 0);
	CHECK(((uintptr_t)big & 15) == 0);
	CHECK(vd_arena_strdup(a, NULL) == NULL);
	for (int i = 0; i < 1000; i++)
		CHECK(vd_arena_alloc(a, 24) != NULL);
	CHECK(vd_arena_used(a) >= 10000 + 1000 * 32);
	vd_arena_free(a);
}

static void t_utf8(void)
{
	CHECK(vd_utf8_valid("abc", 3));
	CHECK(vd_utf8_valid("缓冲区溢出", strlen("缓冲区溢出")));
	CHECK(!vd_utf8_valid("\xC0\xAF", 2));            /* overlong */
	CHECK(!vd_utf8_valid("\xED\xA0\x80", 3));        /* surrogate */
	CHECK(!vd_utf8_valid("\xE6\xBA", 2));            /* truncated */
	CHECK(!vd_utf8_valid("\xF4\x90\x80\x80", 4));    /* > U+10FFFF */
	CHECK_INT(vd_utf8_check("ab\xFF" "c", 4), 2);
}

static void t_time(void)
{
	int64_t t;
	char out[32];
	CHECK_INT(vd_time_parse("2021-12-10T00:00:00Z", &t), VD_OK);
	CHECK_INT(t, 1639094400);
	CHECK_INT(vd_time_parse("2021-12-10T08:00:00+08:00", &t), VD_OK);
	CHECK_INT(t, 1639094400);
	CHECK_INT(vd_time_parse("2023-07-25T16:31:58.309647Z", &t), VD_OK);
	vd_time_format(t, out, sizeof out);
	CHECK_STR(out, "2023-07-25T16:31:58Z");
	CHECK_INT(vd_time_parse("2021-11-16T00:00:00", &t), VD_OK);   /* no zone: UTC */
	CHECK_INT(vd_time_parse("2021-11-16", &t), VD_OK);
	vd_time_format(t, out, sizeof out);
	CHECK_STR(out, "2021-11-16T00:00:00Z");
	CHECK_INT(vd_time_parse("1969-12-31T23:59:59Z", &t), VD_OK);
	CHECK_INT(t, -1);
	vd_time_format(t, out, sizeof out);
	CHECK_STR(out, "1969-12-31T23:59:59Z");
	CHECK_INT(vd_time_parse("2024-02-29T00:00:00Z", &t), VD_OK);
	CHECK_INT(vd_time_parse("2023-02-29T00:00:00Z", &t), VD_EINVAL);
	CHECK(strstr(vd_error_msg(), "no such day") != NULL);
	CHECK_INT(vd_time_parse("yesterday", &t), VD_EINVAL);
	CHECK(strstr(vd_error_msg(), "yesterday") != NULL);
	CHECK_INT(vd_time_parse("2021-12-10T25:00:00Z", &t), VD_EINVAL);
	CHECK_INT(vd_time_parse("2021-12-10T10:00:00Zjunk", &t), VD_EINVAL);
	/* round trip over a range of days */
	for (int64_t x = -86400LL * 365 * 80; x < 86400LL * 365 * 100; x += 86400 * 7 + 3661) {
		vd_time_format(x, out, sizeof out);
		int64_t y;
		if (vd_time_parse(out, &y) || y != x) {
			CHECK(!"time round trip");
			break;
		}
	}
}

static void t_errors(void)
{
	CHECK_INT(vd_error_set(VD_EINVAL, "bad %s", "thing"), VD_EINVAL);
	CHECK_STR(vd_error_msg(), "bad thing");
	vd_error_prefix("%s: ", "file.json");
	CHECK_STR(vd_error_msg(), "file.json: bad thing");
	CHECK_INT(vd_error_code(), VD_EINVAL);
	CHECK_STR(vd_strerror(VD_ENOTFOUND), "ENOTFOUND");
	long v;
	CHECK_INT(vd_parse_long("42", 0, 100, &v), VD_OK);
	CHECK_INT(v, 42);
	CHECK_INT(vd_parse_long("4x2", 0, 100, &v), VD_EINVAL);
	CHECK_INT(vd_parse_long("101", 0, 100, &v), VD_EINVAL);
	CHECK_INT(vd_parse_long("", 0, 100, &v), VD_EINVAL);
	char small[4];
	CHECK_INT(vd_strlcpy(small, "abcdef", sizeof small), 6);
	CHECK_STR(small, "abc");
}

int main(void)
{
	RUN(t_buf_cap);
	RUN(t_arena);
	RUN(t_utf8);
	RUN(t_time);
	RUN(t_errors);
	return vt_done();
}
