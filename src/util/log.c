/* Logging to stderr, one line per message. */
#include "vulnd/util.h"
#include <stdarg.h>
#include <stdio.h>

int vd_log_level = VD_LOG_INFO;

void vd_log(int level, const char *fmt, ...)
{
	static const char *names[] = {"error", "warning", "info", "debug"};
	if (level > vd_log_level)
		return;
	char line[2048];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(line, sizeof line, fmt, ap);
	va_end(ap);
	fprintf(stderr, "vulnd: %s: %s\n", names[level], line);
}
