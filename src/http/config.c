/* Server settings: defaults, `key = value` config files (vulnd.conf), and
 * the help text listing every setting.  docs/config.md says the same. */
#include "vulnd/http.h"
#include "vulnd/error.h"
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void vd_http_config_init(vd_http_config *c)
{
	memset(c, 0, sizeof *c);
	c->listen = "127.0.0.1:8080";
	c->threads = 4;
	c->max_body = 1u << 20;
	c->max_body_batch = 4u << 20;
	c->max_url = 2048;
	c->rate_limit = 100;
	c->rate_burst = 200;
	c->connection_limit = 1000;
	c->per_ip_connection_limit = 200;
	c->timeout = 30;
	c->cache_max_age = 300;
	c->gzip_level = 5;
	c->record_cache = 64u << 20;
	c->access_log = "-";
	c->osv_page_size = 1000;
	c->stats_cache_seconds = 60;
	c->shutdown_grace = 10;
	c->metrics = true;
	c->max_report_body = 16u << 20;
}

const char *vd_http_config_help(void)
{
	return VD_HTTP_CONFIG_HELP;
}

/* "1M", "512K", "4096" → bytes. */
static int parse_size(const char *v, size_t *out)
{
	char *end;
	unsigned long long n = strtoull(v, &end, 10);
	if (end == v || *v == '-')
		return -1;
	unsigned long long mul = 1;
	if (*end == 'k' || *end == 'K')
		mul = 1024, end++;
	else if (*end == 'm' || *end == 'M')
		mul = 1024 * 1024, end++;
	else if (*end == 'g' || *end == 'G')
		mul = 1024ull * 1024 * 1024, end++;
	if (*end == 'B' || *end == 'b')
		end++;
	if (*end || n > (1ull << 40) / mul)
		return -1;
	*out = (size_t)(n * mul);
	return 0;
}

static int num(const char *key, const char *v, long min, long max, long *out)
{
	if (vd_parse_long(v, min, max, out))
		return vd_error_set(VD_EINVAL, "%s: expected a whole number from %ld to %ld, got '%.64s'", key, min, max, v);
	return VD_OK;
}

int vd_http_config_set(vd_http_config *c, const char *key, const char *v, vd_arena *a)
{
	long n;
	size_t sz;
	int rc = VD_OK;
	if (!strcmp(key, "listen")) {
		c->listen = vd_arena_strdup(a, v);
	} else if (!strcmp(key, "database")) {
		c->db = vd_arena_strdup(a, v);
	} else if (!strcmp(key, "threads")) {
		if (!(rc = num(key, v, 1, 256, &n)))
			c->threads = (int)n;
	} else if (!strcmp(key, "max_report_body") || !strcmp(key, "attach_max")) {
		if (parse_size(v, &sz) || sz < 1024 || sz > (1u << 30))
			return vd_error_set(VD_EINVAL, "%s: expected a size from 1K to 1G (e.g. 16M), got '%.64s'", key, v);
		*(!strcmp(key, "attach_max") ? &c->attach_max : &c->max_report_body) = sz;
	} else if (!strcmp(key, "smtp_url")) {
		if (strncmp(v, "smtp://", 7) && strncmp(v, "smtps://", 8))
			return vd_error_set(VD_EINVAL, "smtp_url: expected smtp://HOST:PORT or smtps://HOST:PORT, got '%.64s'", v);
		if (strlen(v) >= 512)
			return vd_error_set(VD_EINVAL, "smtp_url: longer than 511 bytes");
		c->smtp_url = vd_arena_strdup(a, v);
	} else if (!strcmp(key, "mail_from")) {
		if (!strchr(v, '@') || strlen(v) > 254 || strpbrk(v, " <>\r\n\t"))
			return vd_error_set(VD_EINVAL, "mail_from: expected an address like vulnd@example.org, got '%.64s'", v);
		c->mail_from = vd_arena_strdup(a, v);
	} else if (!strcmp(key, "attach_dir")) {
		if (!*v || strlen(v) >= 1024)
			return vd_error_set(VD_EINVAL, "attach_dir: expected a directory path (under 1024 bytes)");
		c->attach_dir = vd_arena_strdup(a, v);
	} else if (!strcmp(key, "smtp_timeout")) {
		if (!(rc = num(key, v, 1, 600, &n)))
			c->smtp_timeout = (int)n;
	} else if (!strcmp(key, "max_body") || !strcmp(key, "max_body_batch") || !strcmp(key, "max_url")) {
		if (parse_size(v, &sz) || sz < 64 || sz > (1u << 30))
			return vd_error_set(VD_EINVAL, "%s: expected a size from 64 to 1G (e.g. 1M, 512K), got '%.64s'", key, v);
		if (!strcmp(key, "max_url") && sz > 60000)
			return vd_error_set(VD_EINVAL, "max_url: at most 60000");
		*(!strcmp(key, "max_body") ? &c->max_body : !strcmp(key, "max_url") ? &c->max_url : &c->max_body_batch) = sz;
	} else if (!strcmp(key, "record_cache")) {
		if (!strcmp(v, "0") || !strcmp(v, "off"))
			sz = 0;
		else if (parse_size(v, &sz) || sz < 1024 * 1024 || sz > ((size_t)16 << 30))
			return vd_error_set(VD_EINVAL, "record_cache: expected 0/off or a size from 1M to 16G (e.g. 64M), "
			                    "got '%.64s'", v);
		c->record_cache = sz;
	} else if (!strcmp(key, "rate_limit") || !strcmp(key, "rate_burst")) {
		if (!(rc = num(key, v, 0, 1000000, &n)))
			*(!strcmp(key, "rate_limit") ? &c->rate_limit : &c->rate_burst) = (double)n;
	} else if (!strcmp(key, "connection_limit")) {
		if (!(rc = num(key, v, 1, 100000, &n)))
			c->connection_limit = (unsigned)n;
	} else if (!strcmp(key, "per_ip_connection_limit")) {
		if (!(rc = num(key, v, 1, 100000, &n)))
			c->per_ip_connection_limit = (unsigned)n;
	} else if (!strcmp(key, "timeout")) {
		if (!(rc = num(key, v, 1, 3600, &n)))
			c->timeout = (unsigned)n;
	} else if (!strcmp(key, "cache_max_age")) {
		if (!(rc = num(key, v, 0, 31536000, &n)))
			c->cache_max_age = (int)n;
	} else if (!strcmp(key, "gzip_level")) {
		if (!(rc = num(key, v, 0, 9, &n)))
			c->gzip_level = (int)n;
	} else if (!strcmp(key, "access_log")) {
		c->access_log = !strcmp(v, "off") ? NULL : vd_arena_strdup(a, v);
	} else if (!strcmp(key, "osv_page_size")) {
		if (!(rc = num(key, v, 1, 1000000, &n)))
			c->osv_page_size = (int)n;
	} else if (!strcmp(key, "stats_cache_seconds")) {
		if (!(rc = num(key, v, 0, 86400, &n)))
			c->stats_cache_seconds = (int)n;
	} else if (!strcmp(key, "shutdown_grace")) {
		if (!(rc = num(key, v, 0, 3600, &n)))
			c->shutdown_grace = (int)n;
	} else if (!strcmp(key, "metrics")) {
		if (!strcmp(v, "on") || !strcmp(v, "true") || !strcmp(v, "1"))
			c->metrics = true;
		else if (!strcmp(v, "off") || !strcmp(v, "false") || !strcmp(v, "0"))
			c->metrics = false;
		else
			return vd_error_set(VD_EINVAL, "metrics: on or off, got '%.64s'", v);
	} else {
		return vd_error_set(VD_EINVAL, "unknown setting '%.64s' (see `vulnd serve --help`)", key);
	}
	return rc;
}

static char *trim(char *s)
{
	while (isspace((unsigned char)*s))
		s++;
	size_t n = strlen(s);
	while (n && isspace((unsigned char)s[n - 1]))
		s[--n] = 0;
	return s;
}

int vd_http_config_load(vd_http_config *c, const char *path, vd_arena *a)
{
	char *text = NULL;
	size_t len = 0;
	int rc = vd_file_read(path, 1u << 20, &text, &len);
	if (rc) {
		vd_error_prefix("config %s: ", path);
		return rc;
	}
	int line = 0;
	for (char *p = text, *next; p && *p && !rc; p = next) {
		line++;
		next = strchr(p, '\n');
		if (next)
			*next++ = 0;
		char *hash = strchr(p, '#');
		if (hash)
			*hash = 0;
		char *l = trim(p);
		if (!*l)
			continue;
		char *eq = strchr(l, '=');
		if (!eq) {
			rc = vd_error_set(VD_EINVAL, "%s:%d: expected key = value", path, line);
			break;
		}
		*eq = 0;
		char *k = trim(l), *v = trim(eq + 1);
		if ((rc = vd_http_config_set(c, k, v, a)))
			vd_error_prefix("%s:%d: ", path, line);
	}
	free(text);
	return rc;
}
