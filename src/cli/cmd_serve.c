/* vulnd serve [--config FILE] [--listen ADDR:PORT] [--threads N] [--access-log PATH|-|off] */
#include "cli_int.h"
#include "vulnd/http.h"
#include "vulnd/error.h"
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void ready(void *ctx, const char *addr, unsigned port)
{
	(void)ctx;
	fprintf(stderr, "vulnd serve: listening on http://%s:%u/\n", addr, port);
	fflush(stderr);
}

int vd_cmd_serve(vd_cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{"listen", required_argument, 0, 'l'}, {"threads", required_argument, 0, 't'},
		{"config", required_argument, 0, 'c'}, {"access-log", required_argument, 0, 'a'},
		{0, 0, 0, 0}};
	const char *config = NULL, *listen = NULL, *threads = NULL, *alog = NULL;
	int c;
	optind = 1;
	while ((c = getopt_long(argc, argv, "l:t:c:a:", opts, NULL)) != -1) {
		switch (c) {
		case 'l': listen = optarg; break;
		case 't': threads = optarg; break;
		case 'c': config = optarg; break;
		case 'a': alog = optarg; break;
		default: return VD_EXIT_USAGE;
		}
	}
	if (optind != argc) {
		fprintf(stderr, "vulnd serve: unexpected argument '%s'\n", argv[optind]);
		return VD_EXIT_USAGE;
	}
	vd_http_config cfg;
	vd_http_config_init(&cfg);
	vd_arena *a = vd_arena_new(0);
	if (!a)
		return vd_cli_fail("serve", VD_ENOMEM);
	int rc = VD_OK;
	if (config)
		rc = vd_http_config_load(&cfg, config, a);
	/* command-line options win over the file */
	if (!rc && listen)
		rc = vd_http_config_set(&cfg, "listen", listen, a);
	if (!rc && threads)
		rc = vd_http_config_set(&cfg, "threads", threads, a);
	if (!rc && alog)
		rc = vd_http_config_set(&cfg, "access_log", alog, a);
	if (rc) {
		vd_arena_free(a);
		fprintf(stderr, "vulnd serve: %s\n", vd_error_msg());
		return VD_EXIT_USAGE;
	}
	/* --db / VULND_DB win over `database =` of the file */
	const char *env = getenv("VULND_DB");
	bool explicit_db = (env && *env) || strcmp(cli->db, "./vulnd.db") != 0;
	if (explicit_db || !cfg.db)
		cfg.db = cli->db;
	cfg.ready = ready;
	rc = vd_http_serve(&cfg);
	vd_arena_free(a);
	if (rc)
		return vd_cli_fail("serve", rc);
	fprintf(stderr, "vulnd serve: stopped\n");
	return VD_EXIT_OK;
}
