/* vulnd db init|migrate|check|stats */
#include "cli_int.h"
#include "vulnd/error.h"
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void print_problem(void *ctx, const char *problem)
{
	unsigned *n = ctx;
	(*n)++;
	printf("problem: %s\n", problem);
}

int vd_cmd_db(vd_cli *cli, int argc, char **argv)
{
	if (argc < 2) {
		vd_command_usage(vd_command_find("db"), true);
		return VD_EXIT_USAGE;
	}
	const char *sub = argv[1];
	bool json = argc > 2 && strcmp(argv[2], "--json") == 0;
	if (strcmp(sub, "init") && strcmp(sub, "migrate") && strcmp(sub, "check") && strcmp(sub, "stats") &&
	    strcmp(sub, "reindex")) {
		fprintf(stderr, "vulnd db: unknown subcommand '%s' (init, migrate, check, stats, reindex)\n", sub);
		return VD_EXIT_USAGE;
	}
	vd_service *svc;
	bool create = strcmp(sub, "init") == 0 || strcmp(sub, "migrate") == 0;
	int ex = vd_cli_open(cli, "db", create, &svc);
	if (ex)
		return ex;
	int rc = VD_OK;
	if (create) {
		int from = 0, to = 0;
		rc = vd_service_db_migrate(svc, &from, &to);
		if (!rc && !cli->quiet)
			printf("%s: schema version %d%s\n", cli->db, to, from == to ? " (up to date)" : "");
	} else if (strcmp(sub, "reindex") == 0) {
		rc = vd_service_db_reindex(svc);
		if (!rc && !cli->quiet)
			printf("%s: search index rebuilt\n", cli->db);
	} else if (strcmp(sub, "check") == 0) {
		unsigned n = 0;
		rc = vd_service_db_check(svc, print_problem, &n);
		if (rc == VD_ECONFLICT) {
			printf("%s: %u problem%s found\n", cli->db, n, n == 1 ? "" : "s");
			vd_service_close(svc);
			return VD_EXIT_STORE;
		}
		if (!rc)
			printf("%s: ok\n", cli->db);
	} else {
		vd_store_stats st;
		rc = vd_service_db_stats(svc, &st);
		if (!rc && json) {
			json_t *o = json_pack("{s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:i,s:I}",
			                      "records", (json_int_t)st.records, "published", (json_int_t)st.published,
			                      "unpublished", (json_int_t)st.unpublished, "rejected", (json_int_t)st.rejected,
			                      "withdrawn", (json_int_t)st.withdrawn, "aliases", (json_int_t)st.aliases,
			                      "sources", (json_int_t)st.sources, "affected", (json_int_t)st.affected,
			                      "schema_version", st.schema_version, "db_bytes", (json_int_t)st.db_bytes);
			char *s = json_dumps(o, JSON_SORT_KEYS);
			printf("%s\n", s ? s : "{}");
			free(s);
			json_decref(o);
		} else if (!rc) {
			printf("records      %llu (published %llu, unpublished %llu, rejected %llu, withdrawn %llu)\n"
			       "aliases      %llu\nsources      %llu\naffected     %llu\nschema       %d\n"
			       "size         %llu bytes\n",
			       (unsigned long long)st.records, (unsigned long long)st.published,
			       (unsigned long long)st.unpublished, (unsigned long long)st.rejected,
			       (unsigned long long)st.withdrawn, (unsigned long long)st.aliases,
			       (unsigned long long)st.sources, (unsigned long long)st.affected, st.schema_version,
			       (unsigned long long)st.db_bytes);
		}
	}
	vd_service_close(svc);
	return rc ? vd_cli_fail("db", rc) : VD_EXIT_OK;
}
