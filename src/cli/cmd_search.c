/* vulnd search [options] QUERY
 *
 * Full-text search (docs/search.md) with filters, cursor paging, facets.
 * Text output: one line a hit, then the best-matching fragment with the
 * matched words highlighted when standard output is a terminal.  --json:
 * one JSON object a hit; with --facets a last line {"total", "next_cursor",
 * "facets"}.  The cursor of the next page goes to standard error.
 */
#include "cli_int.h"
#include "vulnd/error.h"
#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

typedef struct { bool json, tty, snippets; unsigned n; } out_state;

/* The snippet without markers (and line breaks), for JSON and pipes, or
 * with terminal highlighting. */
static char *render_snippet(const char *s, bool tty)
{
	vd_buf b;
	vd_buf_init(&b, 1 << 16);
	for (const char *p = s; p && *p; p++) {
		int rc;
		if (*p == VD_HL_START[0])
			rc = tty ? vd_buf_adds(&b, "\033[1;31m") : 0;
		else if (*p == VD_HL_END[0])
			rc = tty ? vd_buf_adds(&b, "\033[0m") : 0;
		else if (*p == '\n' || *p == '\r' || *p == '\t')
			rc = vd_buf_addc(&b, ' ');
		else if ((unsigned char)*p < 0x20 || *p == 0x7f)
			rc = 0;   /* never write control characters from data to a terminal */
		else
			rc = vd_buf_addc(&b, *p);
		if (rc)
			break;
	}
	return vd_buf_detach(&b);
}

static int print_hit(void *ctx, const vd_search_hit *h)
{
	out_state *o = ctx;
	o->n++;
	char *snip = h->snippet ? render_snippet(h->snippet, o->tty && !o->json) : NULL;
	if (o->json) {
		json_t *j = json_object();
		json_object_set_new(j, "id", json_string(h->id));
		if (h->title_en) json_object_set_new(j, "title_en", json_string(h->title_en));
		if (h->title_zh) json_object_set_new(j, "title_zh", json_string(h->title_zh));
		if (h->published) json_object_set_new(j, "published", json_string(h->published));
		if (h->modified) json_object_set_new(j, "modified", json_string(h->modified));
		if (h->grade) json_object_set_new(j, "grade", json_string(h->grade));
		if (h->state) json_object_set_new(j, "state", json_string(h->state));
		if (h->score >= 0) json_object_set_new(j, "score", json_real(h->score));
		if (snip && *snip) json_object_set_new(j, "snippet", json_string(snip));
		char *s = json_dumps(j, JSON_COMPACT | JSON_SORT_KEYS | JSON_REAL_PRECISION(6));
		if (s)
			printf("%s\n", s);
		free(s);
		json_decref(j);
	} else {
		/* NVD records carry no title: say so rather than print nothing */
		const char *t = h->title_zh ? h->title_zh : (h->title_en ? h->title_en : "(no title)");
		char *tt = render_snippet(t, false);   /* titles come from data: no control bytes */
		printf("%-20s %-10.10s %-8s %s\n", h->id, h->published ? h->published : "",
		       h->grade ? h->grade : "-", tt ? tt : "");
		free(tt);
		if (snip && *snip)
			printf("    %s\n", snip);
	}
	free(snip);
	return 0;
}

static const char *const facet_names[VD_FACET_COUNT_] = {"grade", "year", "vendor", "cwe"};

static void print_meta(const out_state *o, const vd_search_result *res, bool facets)
{
	if (o->json) {
		json_t *j = json_object();
		json_object_set_new(j, "total", json_integer((json_int_t)res->total));
		json_object_set_new(j, "next_cursor", res->next_cursor[0] ? json_string(res->next_cursor)
		                                                          : json_null());
		json_t *f = json_object();
		for (int k = 0; k < VD_FACET_COUNT_; k++) {
			json_t *a = json_array();
			for (size_t i = 0; i < res->facets[k].n; i++) {
				json_t *e = json_object();
				json_object_set_new(e, "value", json_string(res->facets[k].v[i].value));
				json_object_set_new(e, "count", json_integer((json_int_t)res->facets[k].v[i].count));
				json_array_append_new(a, e);
			}
			json_object_set_new(f, facet_names[k], a);
		}
		json_object_set_new(j, "facets", f);
		char *s = json_dumps(j, JSON_COMPACT | JSON_SORT_KEYS | JSON_REAL_PRECISION(6));
		if (s)
			printf("%s\n", s);
		free(s);
		json_decref(j);
		return;
	}
	if (!facets)
		return;
	for (int k = 0; k < VD_FACET_COUNT_; k++) {
		printf("%-7s", facet_names[k]);
		for (size_t i = 0; i < res->facets[k].n; i++)
			printf(" %s (%llu)%s", res->facets[k].v[i].value, (unsigned long long)res->facets[k].v[i].count,
			       i + 1 < res->facets[k].n ? "," : "");
		printf("\n");
	}
}

static int parse_score(const char *s, double *out)
{
	char *end;
	double v = strtod(s, &end);
	if (end == s || *end || !(v >= 0 && v <= 10))
		return vd_error_set(VD_EINVAL, "a score is a number from 0 to 10, not '%s'", s);
	*out = v;
	return VD_OK;
}

int vd_cmd_search(vd_cli *cli, int argc, char **argv)
{
	enum { O_CURSOR = 256, O_STATE, O_SMIN, O_SMAX, O_CWE, O_CLASS, O_VENDOR, O_PRODUCT, O_LIBRARY,
	       O_SOURCE, O_PFROM, O_PTO, O_MFROM, O_MTO, O_FACETS, O_NOSNIP };
	static const struct option opts[] = {
		{"json", no_argument, 0, 'j'}, {"severity", required_argument, 0, 's'},
		{"limit", required_argument, 0, 'l'}, {"offset", required_argument, 0, 'o'},
		{"all", no_argument, 0, 'a'}, {"cursor", required_argument, 0, O_CURSOR},
		{"state", required_argument, 0, O_STATE}, {"score-min", required_argument, 0, O_SMIN},
		{"score-max", required_argument, 0, O_SMAX}, {"cwe", required_argument, 0, O_CWE},
		{"class", required_argument, 0, O_CLASS}, {"vendor", required_argument, 0, O_VENDOR},
		{"product", required_argument, 0, O_PRODUCT}, {"library", required_argument, 0, O_LIBRARY},
		{"source", required_argument, 0, O_SOURCE}, {"published-from", required_argument, 0, O_PFROM},
		{"published-to", required_argument, 0, O_PTO}, {"modified-from", required_argument, 0, O_MFROM},
		{"modified-to", required_argument, 0, O_MTO}, {"facets", no_argument, 0, O_FACETS},
		{"no-snippets", no_argument, 0, O_NOSNIP}, {0, 0, 0, 0}};
	out_state o = {.snippets = true};
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
		case O_CURSOR: p.cursor = optarg; break;
		case O_STATE: p.state = optarg; break;
		case O_SMIN:
			if (parse_score(optarg, &p.score_min))
				return vd_cli_fail("search --score-min", VD_EINVAL);
			break;
		case O_SMAX:
			if (parse_score(optarg, &p.score_max))
				return vd_cli_fail("search --score-max", VD_EINVAL);
			break;
		case O_CWE: p.cwe = optarg; break;
		case O_CLASS: p.class_code = optarg; break;
		case O_VENDOR: p.vendor = optarg; break;
		case O_PRODUCT: p.product = optarg; break;
		case O_LIBRARY: p.library = optarg; break;
		case O_SOURCE: p.source = optarg; break;
		case O_PFROM: p.published_from = optarg; break;
		case O_PTO: p.published_to = optarg; break;
		case O_MFROM: p.modified_from = optarg; break;
		case O_MTO: p.modified_to = optarg; break;
		case O_FACETS: p.facets = true; break;
		case O_NOSNIP: o.snippets = false; break;
		default: return VD_EXIT_USAGE;
		}
	}
	/* QUERY may be left out when filters say what to list. */
	bool filtered = p.severity || p.state || p.score_min > 0 || p.score_max > 0 || p.cwe ||
	                p.class_code || p.vendor || p.product || p.library || p.source ||
	                p.published_from || p.published_to || p.modified_from || p.modified_to || p.cursor;
	if (optind == argc - 1)
		p.text = argv[optind];
	else if (!(optind == argc && filtered)) {
		fprintf(stderr, "vulnd search: expected one QUERY (quote it if it has spaces)\n");
		vd_command_usage(vd_command_find("search"), false);
		return VD_EXIT_USAGE;
	}
	o.tty = isatty(STDOUT_FILENO) == 1;
	p.snippets = o.snippets;
	vd_service *svc;
	int ex = vd_cli_open(cli, "search", false, &svc);
	if (ex)
		return ex;
	vd_search_result res;
	int rc = vd_service_search_ex(svc, view, &p, print_hit, &o, &res);
	vd_service_close(svc);
	if (rc)
		return vd_cli_fail("search", rc);
	if (o.json ? p.facets : true)
		print_meta(&o, &res, p.facets);
	if (!cli->quiet) {
		if (!o.json)
			fprintf(stderr, "%u of %llu matching records shown\n", o.n, (unsigned long long)res.total);
		if (res.next_cursor[0])
			fprintf(stderr, "next page: --cursor %s\n", res.next_cursor);
	}
	return res.total ? VD_EXIT_OK : VD_EXIT_PARTIAL;
}
