/* `vulnd version`: the program version, and `version compare|match` for the
 * version schemes of src/match/. */
#include "cli_int.h"
#include "vulnd/error.h"
#include "vulnd/match.h"
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>


static void print_json(json_t *j)
{
	char *s = json_dumps(j, JSON_COMPACT | JSON_SORT_KEYS);
	if (s)
		puts(s);
	free(s);
	json_decref(j);
}

/* One comparison; prints the result line.  Returns 0 ok, 2 invalid. */
static int do_compare(vd_scheme s, const char *a, const char *b, bool json)
{
	int c = 0, rc = vd_version_compare(s, a, b, &c);
	if (json) {
		json_t *j = json_pack("{s:s, s:s, s:s}", "scheme", vd_scheme_name(s), "a", a, "b", b);
		if (rc)
			json_object_set_new(j, "error", json_string(vd_error_msg()));
		else
			json_object_set_new(j, "result", json_integer(c));
		print_json(j);
	} else if (rc) {
		printf("error: %s\n", vd_error_msg());
	} else {
		printf("%d\n", c);
	}
	return rc ? VD_EXIT_USAGE : VD_EXIT_OK;
}

/* Returns 0 in range, 1 not, 2 invalid. */
static int do_match(vd_scheme s, const char *v, const char *range, bool json, bool quiet)
{
	bool in = false;
	int rc = vd_version_match(s, v, range, &in);
	if (json) {
		json_t *j = json_pack("{s:s, s:s, s:s}", "scheme", vd_scheme_name(s), "version", v,
		                      "range", range);
		if (rc)
			json_object_set_new(j, "error", json_string(vd_error_msg()));
		else
			json_object_set_new(j, "match", json_boolean(in));
		print_json(j);
	} else if (rc) {
		printf("error: %s\n", vd_error_msg());
	} else if (!quiet) {
		puts(in ? "match" : "no match");
	}
	return rc ? VD_EXIT_USAGE : in ? VD_EXIT_OK : VD_EXIT_PARTIAL;
}

/* Batch mode: lines "A B" (compare) or "VERSION RANGE..." (match) on stdin. */
static int batch(vd_scheme s, bool match, bool json)
{
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	int worst = VD_EXIT_OK;
	while ((n = getline(&line, &cap, stdin)) >= 0) {
		while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
			line[--n] = '\0';
		char *p = line;
		while (*p == ' ' || *p == '\t') p++;
		if (!*p || *p == '#')
			continue;
		char *a = p;
		while (*p && *p != ' ' && *p != '\t') p++;
		if (*p) *p++ = '\0';
		while (*p == ' ' || *p == '\t') p++;
		char *b = p;
		if (!match) {
			while (*p && *p != ' ' && *p != '\t') p++;
			*p = '\0';
		}
		int r = match ? do_match(s, a, b, json, false) : do_compare(s, a, b, json);
		if (r == VD_EXIT_USAGE || (r == VD_EXIT_PARTIAL && worst == VD_EXIT_OK))
			worst = r;
	}
	free(line);
	fflush(stdout);
	return match && worst == VD_EXIT_PARTIAL ? VD_EXIT_OK : worst;
}

int vd_cmd_version(vd_cli *cli, int argc, char **argv)
{
	if (argc <= 1) {
		printf("vulnd " VULND_VERSION "\n");
		return VD_EXIT_OK;
	}
	const char *sub = argv[1];
	bool compare = strcmp(sub, "compare") == 0, match = strcmp(sub, "match") == 0;
	if (!compare && !match) {
		fprintf(stderr, "vulnd version: unknown subcommand '%s' (compare or match)\n", sub);
		return VD_EXIT_USAGE;
	}
	bool json = false;
	char *pos[4];
	int np = 0;
	for (int i = 2; i < argc; i++) {
		if (strcmp(argv[i], "--json") == 0)
			json = true;
		else if (np < 4)
			pos[np++] = argv[i];
		else
			np = 5;
	}
	vd_scheme s;
	if (np < 1 || vd_scheme_parse(pos[0], &s) != VD_OK) {
		fprintf(stderr, "vulnd version %s: %s\n", sub,
		        np < 1 ? "missing SCHEME" : vd_error_msg());
		return VD_EXIT_USAGE;
	}
	if (np == 2 && strcmp(pos[1], "-") == 0)
		return batch(s, match, json);
	if (np != 3) {
		fprintf(stderr, "usage: vulnd version %s [--json] SCHEME %s | SCHEME -\n", sub,
		        compare ? "A B" : "VERSION RANGE");
		return VD_EXIT_USAGE;
	}
	int r;
	if (compare) {
		int c = 0, rc = vd_version_compare(s, pos[1], pos[2], &c);
		if (rc && !json) {
			fprintf(stderr, "vulnd version compare: %s\n", vd_error_msg());
			return VD_EXIT_USAGE;
		}
		r = do_compare(s, pos[1], pos[2], json);
	} else {
		bool in;
		int rc = vd_version_match(s, pos[1], pos[2], &in);
		if (rc && !json) {
			fprintf(stderr, "vulnd version match: %s\n", vd_error_msg());
			return VD_EXIT_USAGE;
		}
		r = do_match(s, pos[1], pos[2], json, cli && cli->quiet);
	}
	return r;
}
