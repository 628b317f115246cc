/* vulnd search [options] QUERY */
#include "cli_int.h"
#include "vulnd/error.h"
#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct { bool json; unsigned n; } out_state;

static int print_hit(void *ctx, const vd_search_hit *h)
{
	out_state *o = ctx;
	o->n++;
	if (o->json) {
		json_t *j = json_object();
		json_object_set_new(j, "id", json_string(h->id));
		if (h->title_en) json_object_set_new(j, "title_en", json_string(h->title_en));
		if (h->title_zh) json_object_set_new(j, "title_zh", json_string(h->title_zh));
		if (h->published) json_object_set_new(j, "published", json_string(h->published));
		if (h->grade) json_object_set_new(j, "grade", json_string(h->grade));
		if (h->state) json_object_set_new(j, "state", json_string(h->state));
		char *s = json_dumps(j, JSON_COMPACT | JSON_SORT_KEYS);
		if (s)
			printf("%s\n", s);
		free(s);
		json_decref(j);
	} else {
		const char *t = h->title_zh ? h->title_zh : (h->title_en ? h->title_en : "");
		printf("%-20s %-10.10s %-8s %s\n", h->id, h->published ? h->published : "",
		       h->grade ? h->grade : "-", t);
	}
	return 0;
}

int vd_cmd_search(vd_cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{"json", no_argument, 0, 'j'}, {"severity", required_argument, 0, 's'},
		{"limit", required_argument, 0, 'l'}, {"offset", required_argument, 0, 'o'},
		{"all", no_argument, 0, 'a'}, {0, 0, 0, 0}};
	out_state o = {0};
	vd_search_params p = {.limit = 20};
	vd_view view = VD_VIEW_PUBLIC;
	long v;
	int c;
	optind = 1;
	while ((c = getopt_long(argc, argv, "js:l:o:a", opts, NULL)) != -1) {
		switch (c) {
		case 'j': o.json = true; break;
		case 's': p.severity = optarg; break;
		case 'a': view = VD_VIEW_ALL; break;
		case 'l':
			if (vd_parse_long(optarg, 1, 1000, &v))
				return vd_cli_fail("search --limit", VD_EINVAL);
			p.limit = (int)v;
			break;
		case 'o':
			if (vd_parse_long(optarg, 0, 1000000000, &v))
				return vd_cli_fail("search --offset", VD_EINVAL);
			p.offset = (int)v;
			break;
		default: return VD_EXIT_USAGE;
		}
	}
	if (optind != argc - 1) {
		fprintf(stderr, "vulnd search: expected one QUERY (quote it if it has spaces)\n");
		vd_command_usage(vd_command_find("search"), false);
		return VD_EXIT_USAGE;
	}
	p.text = argv[optind];
	vd_service *svc;
	int ex = vd_cli_open(cli, "search", false, &svc);
	if (ex)
		return ex;
	uint64_t total = 0;
	int rc = vd_service_search(svc, view, &p, print_hit, &o, &total);
	vd_service_close(svc);
	if (rc)
		return vd_cli_fail("search", rc);
	if (!o.json && !cli->quiet)
		fprintf(stderr, "%u of %llu matching records shown\n", o.n, (unsigned long long)total);
	return total ? VD_EXIT_OK : VD_EXIT_PARTIAL;
}
