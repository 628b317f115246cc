/* vulnd serve [--listen ADDR:PORT] [--threads N] */
#include "cli_int.h"
#include "vulnd/http.h"
#include "vulnd/error.h"
#include <getopt.h>
#include <stdio.h>

static void ready(void *ctx, const char *addr, unsigned port)
{
	(void)ctx;
	fprintf(stderr, "vulnd serve: listening on http://%s:%u/\n", addr, port);
	fflush(stderr);
}

int vd_cmd_serve(vd_cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{"listen", required_argument, 0, 'l'}, {"threads", required_argument, 0, 't'}, {0, 0, 0, 0}};
	vd_http_config cfg = {.db = cli->db, .listen = "127.0.0.1:8080", .threads = 4, .ready = ready};
	int c;
	long v;
	optind = 1;
	while ((c = getopt_long(argc, argv, "l:t:", opts, NULL)) != -1) {
		switch (c) {
		case 'l': cfg.listen = optarg; break;
		case 't':
			if (vd_parse_long(optarg, 1, 256, &v))
				return vd_cli_fail("serve --threads", VD_EINVAL);
			cfg.threads = (int)v;
			break;
		default: return VD_EXIT_USAGE;
		}
	}
	if (optind != argc) {
		fprintf(stderr, "vulnd serve: unexpected argument '%s'\n", argv[optind]);
		return VD_EXIT_USAGE;
	}
	int rc = vd_http_serve(&cfg);
	if (rc)
		return vd_cli_fail("serve", rc);
	fprintf(stderr, "vulnd serve: stopped\n");
	return VD_EXIT_OK;
}
