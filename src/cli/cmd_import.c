/* vulnd import FORMAT PATH */
#include "cli_int.h"
#include "vulnd/error.h"
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

typedef struct {
	bool tty;
	bool quiet;
	double start, last;
	int shown;           /* a progress line is on screen */
} progress_state;

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void clear_line(progress_state *p)
{
	if (p->shown) {
		fputs("\r\033[K", stderr);
		p->shown = 0;
	}
}

static void on_skipped(void *ctx, const char *where, const char *reason)
{
	progress_state *p = ctx;
	clear_line(p);
	fprintf(stderr, "vulnd import: skipped %s: %s\n", where, reason);
}

static void on_progress(void *ctx, const vd_import_stats *st)
{
	progress_state *p = ctx;
	if (!p->tty || p->quiet)
		return;
	double t = now();
	if (t - p->last < 0.1 && st->bytes_done < st->bytes_total)
		return;
	p->last = t;
	double el = t - p->start;
	double rate = el > 0 ? st->read / el : 0;
	double frac = st->bytes_total ? (double)st->bytes_done / st->bytes_total : 0;
	if (frac > 1)
		frac = 1;
	char bar[31];
	int fill = (int)(frac * 30);
	for (int i = 0; i < 30; i++)
		bar[i] = i < fill ? '#' : '.';
	bar[30] = 0;
	double eta = frac > 0.001 ? el * (1 - frac) / frac : 0;
	fprintf(stderr, "\r[%s] %3d%% %llu records, %.0f/s, ETA %.0fs\033[K", bar, (int)(frac * 100),
	        (unsigned long long)st->read, rate, eta);
	p->shown = 1;
}

int vd_cmd_import(vd_cli *cli, int argc, char **argv)
{
	if (argc != 3) {
		fprintf(stderr, "vulnd import: expected FORMAT and PATH\n");
		vd_command_usage(vd_command_find("import"), false);
		return VD_EXIT_USAGE;
	}
	if (strcmp(argv[1], "cwe") == 0)     /* the CWE catalogue: cmd_cwe.c */
		return vd_cmd_import_cwe(cli, argv[2]);
	vd_format fmt;
	if (vd_format_parse(argv[1], &fmt))
		return vd_cli_fail("import", VD_EINVAL);
	if (fmt == VD_FMT_UNKNOWN) {
		fprintf(stderr, "vulnd import: format %s is not supported (auto, cve5, osv, nvd2, cnnvd, cnvd, csaf)\n",
		        argv[1]);
		return VD_EXIT_USAGE;
	}
	if (strcmp(argv[2], "-") != 0 && access(argv[2], R_OK) != 0) {
		fprintf(stderr, "vulnd import: %s: cannot read it\n", argv[2]);
		return VD_EXIT_USAGE;
	}
	vd_service *svc;
	int ex = vd_cli_open(cli, "import", true, &svc);
	if (ex)
		return ex;
	progress_state ps = {.tty = isatty(2), .quiet = cli->quiet, .start = now()};
	vd_import_cb cb = {on_skipped, on_progress, &ps};
	vd_import_stats st;
	int rc = vd_service_import(svc, fmt, argv[2], &cb, &st);
	clear_line(&ps);
	double el = now() - ps.start;
	if (rc == VD_EIO && st.read == 0) {
		vd_service_close(svc);
		fprintf(stderr, "vulnd import: %s\n", vd_error_msg());
		return VD_EXIT_USAGE;
	}
	char fmts[256] = "";
	size_t off = 0;
	for (int f = 1; f < VD_FMT_UNKNOWN; f++)
		if (st.by_format[f])
			off += (size_t)snprintf(fmts + off, sizeof fmts - off, "%s%s %llu", off ? ", " : "",
			                        vd_format_name((vd_format)f), (unsigned long long)st.by_format[f]);
	if (!cli->quiet || rc)
		fprintf(stderr, "%s: %llu read, %llu new, %llu changed, %llu unchanged, %llu joined by alias, "
		        "%llu skipped, %llu hand-edited fields kept%s%s%s in %.1fs\n",
		        argv[2], (unsigned long long)st.read, (unsigned long long)st.added,
		        (unsigned long long)st.changed, (unsigned long long)st.unchanged,
		        (unsigned long long)st.joined, (unsigned long long)st.skipped,
		        (unsigned long long)st.kept_manual,
		        off ? " (detected: " : "", fmts, off ? ")" : "", el);
	vd_service_close(svc);
	if (rc)
		return vd_cli_fail("import", rc);
	return st.skipped ? VD_EXIT_PARTIAL : VD_EXIT_OK;
}
