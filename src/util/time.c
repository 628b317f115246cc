/* UTC time parsing/formatting for feed timestamps. */
#include "vulnd/util.h"
#include "vulnd/error.h"
#include <ctype.h>
#include <stdio.h>
#include <string.h>

static int digits(const char *s, int n, int *out)
{
	int v = 0;
	for (int i = 0; i < n; i++) {
		if (!isdigit((unsigned char)s[i]))
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	*out = v;
	return 0;
}

/* days from 1970-01-01 to y-m-d (proleptic Gregorian), Howard Hinnant's method */
static int64_t days_from_civil(int y, int m, int d)
{
	y -= m <= 2;
	int64_t era = (y >= 0 ? y : y - 399) / 400;
	int64_t yoe = y - era * 400;
	int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static int mdays(int y, int m)
{
	static const int t[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		return 29;
	return t[m - 1];
}

int vd_time_parse(const char *s, int64_t *out)
{
	int y, mo, d, h = 0, mi = 0, se = 0;
	if (!s)
		return vd_error_set(VD_EINVAL, "missing date");
	while (isspace((unsigned char)*s))
		s++;
	const char *p = s;
	if (digits(p, 4, &y) || p[4] != '-' || digits(p + 5, 2, &mo) || p[7] != '-' ||
	    digits(p + 8, 2, &d))
		return vd_error_set(VD_EINVAL, "'%.40s' is not a date (want YYYY-MM-DD[THH:MM:SS][Z|±HH:MM])", s);
	p += 10;
	if (mo < 1 || mo > 12 || d < 1 || d > mdays(y, mo))
		return vd_error_set(VD_EINVAL, "'%.40s': no such day", s);
	int64_t off = 0;
	if (*p == 'T' || *p == 't' || *p == ' ') {
		p++;
		if (digits(p, 2, &h) || p[2] != ':' || digits(p + 3, 2, &mi))
			return vd_error_set(VD_EINVAL, "'%.40s': bad time of day", s);
		p += 5;
		if (*p == ':') {
			if (digits(p + 1, 2, &se))
				return vd_error_set(VD_EINVAL, "'%.40s': bad seconds", s);
			p += 3;
		}
		if (*p == '.' || *p == ',') {
			p++;
			if (!isdigit((unsigned char)*p))
				return vd_error_set(VD_EINVAL, "'%.40s': bad fraction", s);
			while (isdigit((unsigned char)*p))
				p++;
		}
		if (h > 23 || mi > 59 || se > 60)
			return vd_error_set(VD_EINVAL, "'%.40s': time out of range", s);
		if (*p == 'Z' || *p == 'z') {
			p++;
		} else if (*p == '+' || *p == '-') {
			int oh, om = 0, sign = *p == '-' ? -1 : 1;
			if (digits(p + 1, 2, &oh))
				return vd_error_set(VD_EINVAL, "'%.40s': bad zone offset", s);
			p += 3;
			if (*p == ':')
				p++;
			if (isdigit((unsigned char)*p)) {
				if (digits(p, 2, &om))
					return vd_error_set(VD_EINVAL, "'%.40s': bad zone offset", s);
				p += 2;
			}
			off = sign * (oh * 3600 + om * 60);
		}
	}
	while (isspace((unsigned char)*p))
		p++;
	if (*p)
		return vd_error_set(VD_EINVAL, "'%.40s': trailing characters after the date", s);
	*out = days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + (se == 60 ? 59 : se) - off;
	return VD_OK;
}

void vd_time_format(int64_t t, char *out, size_t n)
{
	int64_t days = t >= 0 ? t / 86400 : -((-t + 86399) / 86400);
	int64_t secs = t - days * 86400;
	/* civil_from_days */
	int64_t z = days + 719468;
	int64_t era = (z >= 0 ? z : z - 146096) / 146097;
	int64_t doe = z - era * 146097;
	int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int64_t y = yoe + era * 400;
	int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	int64_t mp = (5 * doy + 2) / 153;
	int64_t d = doy - (153 * mp + 2) / 5 + 1;
	int64_t m = mp + (mp < 10 ? 3 : -9);
	y += m <= 2;
	snprintf(out, n, "%04d-%02d-%02dT%02d:%02d:%02dZ", (int)y, (int)m, (int)d,
	         (int)(secs / 3600), (int)(secs / 60 % 60), (int)(secs % 60));
}

char *vd_time_normalize(vd_arena *a, const char *s)
{
	int64_t t;
	char out[32];
	if (vd_time_parse(s, &t))
		return NULL;
	vd_time_format(t, out, sizeof out);
	return vd_arena_strdup(a, out);
}

int64_t vd_time_now(void) { return (int64_t)time(NULL); }
