/* Mail to vendor security contacts through an SMTP server (libcurl).  The
 * server comes from vd_case_config.smtp_url; without one nothing is sent and
 * the notifications log says so.  Addresses and subjects with CR/LF are
 * refused (header injection); the body's lines are sent as given (libcurl
 * escapes a leading '.'). */
#include "vulnd/service.h"
#include "vulnd/error.h"
#include "vulnd/util.h"
#include "service_int.h"
#include <curl/curl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static pthread_once_t curl_once = PTHREAD_ONCE_INIT;
static CURLcode curl_init_rc;
static void curl_start(void) { curl_init_rc = curl_global_init(CURL_GLOBAL_DEFAULT); }

typedef struct {
	const char *p;
	size_t left;
} payload;

static size_t read_cb(char *buf, size_t size, size_t nitems, void *ud)
{
	payload *pl = ud;
	size_t room = size * nitems, n = pl->left < room ? pl->left : room;
	memcpy(buf, pl->p, n);
	pl->p += n;
	pl->left -= n;
	return n;
}

static bool header_safe(const char *s)
{
	return s && !strpbrk(s, "\r\n") && vd_utf8_valid(s, strlen(s));
}

int vd_service_mail(vd_service *s, const char *to, const char *subject, const char *body)
{
	const vd_case_config *cfg = &s->cases;
	if (!cfg->smtp_url[0])
		return vd_error_set(VD_EUNSUPPORTED, "no SMTP server is configured");
	const char *from = cfg->mail_from[0] ? cfg->mail_from : "vulnd@localhost";
	if (!header_safe(to) || !header_safe(subject) || !header_safe(from) || strlen(to) > VD_EMAIL_MAX ||
	    strlen(subject) > 400 || !strchr(to, '@'))
		return vd_error_set(VD_EINVAL, "mail: bad recipient or subject");
	if (!body || strlen(body) > (1u << 20) || !vd_utf8_valid(body, strlen(body)))
		return vd_error_set(VD_EINVAL, "mail: bad body");
	pthread_once(&curl_once, curl_start);
	if (curl_init_rc != CURLE_OK)
		return vd_error_set(VD_EIO, "mail: libcurl did not initialise");
	char date[64];
	time_t now = (time_t)vd_service_now(s);
	struct tm tm;
	gmtime_r(&now, &tm);
	strftime(date, sizeof date, "%a, %d %b %Y %H:%M:%S +0000", &tm);
	vd_buf msg;
	vd_buf_init(&msg, (1u << 20) + 4096);
	vd_buf_printf(&msg, "Date: %s\r\nTo: <%s>\r\nFrom: <%s>\r\nSubject: %s\r\nMIME-Version: 1.0\r\n"
	              "Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n",
	              date, to, from, subject);
	for (const char *p = body; *p; p++) {   /* LF → CRLF */
		if (*p == '\n' && (p == body || p[-1] != '\r'))
			vd_buf_addc(&msg, '\r');
		vd_buf_addc(&msg, *p);
	}
	vd_buf_adds(&msg, "\r\n");
	CURL *c = curl_easy_init();
	if (!c) {
		vd_buf_free(&msg);
		return vd_error_set(VD_ENOMEM, "mail: curl_easy_init failed");
	}
	char fromb[VD_EMAIL_MAX + 3], tob[VD_EMAIL_MAX + 3], err[CURL_ERROR_SIZE] = "";
	snprintf(fromb, sizeof fromb, "<%s>", from);
	snprintf(tob, sizeof tob, "<%s>", to);
	struct curl_slist *rcpt = curl_slist_append(NULL, tob);
	payload pl = {vd_buf_str(&msg), msg.len};
	curl_easy_setopt(c, CURLOPT_URL, cfg->smtp_url);
	curl_easy_setopt(c, CURLOPT_MAIL_FROM, fromb);
	curl_easy_setopt(c, CURLOPT_MAIL_RCPT, rcpt);
	curl_easy_setopt(c, CURLOPT_READFUNCTION, read_cb);
	curl_easy_setopt(c, CURLOPT_READDATA, &pl);
	curl_easy_setopt(c, CURLOPT_UPLOAD, 1L);
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c, CURLOPT_ERRORBUFFER, err);
	curl_easy_setopt(c, CURLOPT_TIMEOUT, (long)(cfg->smtp_timeout_s > 0 ? cfg->smtp_timeout_s : 10));
	curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, 5L);
	CURLcode rc = rcpt ? curl_easy_perform(c) : CURLE_OUT_OF_MEMORY;
	curl_slist_free_all(rcpt);
	curl_easy_cleanup(c);
	vd_buf_free(&msg);
	if (rc != CURLE_OK)
		return vd_error_set(VD_EIO, "mail to %s via %s failed: %s", to, cfg->smtp_url,
		                    err[0] ? err : curl_easy_strerror(rc));
	return VD_OK;
}
