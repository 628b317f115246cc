/* bench/match.c — `make bench-match`: SBOM matching speed (issue 8).  Not a
 * test: it prints figures and fails only when it cannot run.
 *
 *  1. Imports the real OSV records of ../shared/data/osv (Go, PyPI) into a
 *     database in a temporary directory.
 *  2. Scales the catalogue to RECORDS (default 300,000) with copies of those
 *     records: copy k gets the id "<id>-S<k>", suffixed aliases, and its
 *     packages renamed "<package>-s<k>" (purls likewise), so each package
 *     keeps its real number of advisories and the catalogue has k times the
 *     packages — synthetic data made from the real records, never invented.
 *  3. Writes a CycloneDX SBOM of COMPONENTS (default 10,000) components:
 *     real package names and real version strings taken from the records'
 *     affected entries (listed versions and range events), spread over the
 *     copies.
 *  4. Matches it: wall time of the library call (read + match) and of the
 *     `vulnd match --json` command when VULND names the binary, and the
 *     number of findings.  Target: < 1 s.
 * Everything lives in the temporary directory, removed at the end (set
 * KEEP=1 to keep it).
 *
 * Usage: bench-match SHARED_DIR [RECORDS [COMPONENTS]]
 */
#include "vulnd/service.h"
#include "vulnd/store.h"
#include "vulnd/error.h"
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/wait.h>
#include <unistd.h>

static double now(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static void die(const char *what)
{
	fprintf(stderr, "bench-match: %s: %s\n", what, vd_error_msg());
	exit(1);
}

typedef struct { char *eco, *pkg, *ver; } pv;

static int cmp_pv(const void *a, const void *b)
{
	const pv *x = a, *y = b;
	int c = strcmp(x->eco, y->eco);
	return c ? c : strcmp(x->pkg, y->pkg);
}

static int count_finding(void *ctx, const vd_finding *f)
{
	(void)f;
	(*(size_t *)ctx)++;
	return 0;
}

static char *suffixed(vd_record *r, const char *s, int k)
{
	if (!s)
		return NULL;
	char b[2048];
	snprintf(b, sizeof b, "%s-s%d", s, k);
	return vd_record_str(r, b);
}

/* A purl "pkg:t/name" (no version) with the suffix on the name. */
static char *suffixed_purl(vd_record *r, const char *s, int k)
{
	if (!s)
		return NULL;
	char b[2048];
	const char *at = strchr(s, '@');
	if (at)
		snprintf(b, sizeof b, "%.*s-s%d%s", (int)(at - s), s, k, at);
	else
		snprintf(b, sizeof b, "%s-s%d", s, k);
	return vd_record_str(r, b);
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: bench-match SHARED_DIR [RECORDS [COMPONENTS]]\n");
		return 2;
	}
	long target = argc > 2 ? strtol(argv[2], NULL, 10) : 300000;
	long ncomp = argc > 3 ? strtol(argv[3], NULL, 10) : 10000;
	char dir[] = "/tmp/vulnd-bench-match-XXXXXX";
	if (!mkdtemp(dir)) {
		perror("mkdtemp");
		return 1;
	}
	char db[256], osv[4096], sbom[256];
	snprintf(db, sizeof db, "%s/catalogue.db", dir);
	snprintf(osv, sizeof osv, "%s/data/osv", argv[1]);
	snprintf(sbom, sizeof sbom, "%s/sbom.cdx.json", dir);
	printf("bench-match: temporary directory %s\n", dir);

	/* 1. real records */
	vd_service *svc;
	if (vd_service_open(db, true, &svc))
		die("open");
	vd_import_stats ist;
	double t0 = now();
	if (vd_service_import(svc, VD_FMT_AUTO, osv, NULL, &ist))
		die("import");
	printf("1. imported %llu OSV records (%llu stored records) in %.1f s\n", (unsigned long long)ist.read,
	       (unsigned long long)(ist.added), now() - t0);

	/* the base records, and real (ecosystem, package, version) triples */
	sqlite3 *sq;
	if (sqlite3_open_v2(db, &sq, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK)
		die("sqlite open");
	sqlite3_stmt *st;
	sqlite3_prepare_v2(sq, "SELECT id FROM records ORDER BY id", -1, &st, NULL);
	size_t nids = 0, capids = 8192;
	char **ids = malloc(capids * sizeof *ids);
	while (sqlite3_step(st) == SQLITE_ROW) {
		if (nids == capids)
			ids = realloc(ids, (capids *= 2) * sizeof *ids);
		ids[nids++] = strdup((const char *)sqlite3_column_text(st, 0));
	}
	sqlite3_finalize(st);
	sqlite3_close(sq);
	size_t npv = 0, cappv = 1 << 16;
	pv *pvs = malloc(cappv * sizeof *pvs);
	vd_store *store;
	if (vd_store_open(db, &store))
		die("store open");
	for (size_t i = 0; i < nids; i++) {
		vd_record *r;
		if (vd_store_get(store, ids[i], &r))
			die("get");
		for (size_t a = 0; a < r->n_affected; a++) {
			vd_affected *af = &r->affected[a];
			if (!af->ecosystem || !af->package || (strcmp(af->ecosystem, "Go") && strcmp(af->ecosystem, "PyPI")))
				continue;
			const char *vals[64];
			size_t nv = 0;
			for (size_t v = 0; v < af->n_versions && nv < 32; v++)
				vals[nv++] = af->versions[v];
			for (size_t g = 0; g < af->n_ranges; g++)
				for (size_t e = 0; e < af->ranges[g].n_events && nv < 64; e++)
					if (strcmp(af->ranges[g].events[e].value, "0") && strcmp(af->ranges[g].type, "GIT"))
						vals[nv++] = af->ranges[g].events[e].value;
			for (size_t v = 0; v < nv; v++) {
				if (npv == cappv)
					pvs = realloc(pvs, (cappv *= 2) * sizeof *pvs);
				pvs[npv++] = (pv){strdup(af->ecosystem), strdup(af->package), strdup(vals[v])};
			}
		}
		vd_record_free(r);
	}
	printf("   %zu real (package, version) pairs from %zu records\n", npv, nids);

	/* 2. scale up */
	int copies = (int)((target + (long)nids - 1) / (long)nids);
	t0 = now();
	size_t total = nids, batch = 0;
	if (vd_store_begin(store))
		die("begin");
	for (int k = 1; k < copies && (long)total < target; k++) {
		for (size_t i = 0; i < nids && (long)total < target; i++) {
			vd_record *r;
			if (vd_store_get(store, ids[i], &r))
				die("get");
			char nid[512];
			snprintf(nid, sizeof nid, "%s-S%d", ids[i], k);
			r->id = vd_record_str(r, nid);
			for (size_t a = 0; a < r->n_aliases; a++) {
				snprintf(nid, sizeof nid, "%s-S%d", r->aliases[a].id, k);
				r->aliases[a].id = vd_record_str(r, nid);
			}
			for (size_t a = 0; a < r->n_affected; a++) {
				r->affected[a].package = suffixed(r, r->affected[a].package, k);
				r->affected[a].purl = suffixed_purl(r, r->affected[a].purl, k);
			}
			if (vd_store_put(store, r))
				die("put");
			vd_record_free(r);
			total++;
			if (++batch == 10000) {
				if (vd_store_commit(store) || vd_store_begin(store))
					die("commit");
				batch = 0;
			}
		}
	}
	if (vd_store_commit(store))
		die("commit");
	vd_store_close(store);
	printf("2. scaled catalogue: %zu records (%d renumbered copies with renamed packages) in %.1f s\n", total,
	       copies - 1, now() - t0);

	/* 3. the SBOM: packages in order, the first pair of each */
	qsort(pvs, npv, sizeof *pvs, cmp_pv);
	size_t nstarts = 0, *starts = malloc(npv * sizeof *starts);
	for (size_t i = 0; i < npv; i++)
		if (!i || strcmp(pvs[i].pkg, pvs[i - 1].pkg) || strcmp(pvs[i].eco, pvs[i - 1].eco))
			starts[nstarts++] = i;
	printf("   %zu distinct real packages\n", nstarts);
	FILE *f = fopen(sbom, "w");
	if (!f)
		die("sbom file");
	fprintf(f, "{\"bomFormat\":\"CycloneDX\",\"specVersion\":\"1.5\",\"metadata\":{\"component\":"
	           "{\"type\":\"application\",\"name\":\"bench\"}},\"components\":[\n");
	unsigned long long seed = 42;
	for (long c = 0; c < ncomp; c++) {
		/* a package uniformly (not weighted by how many versions it lists),
		 * then one of its real version strings */
		seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
		const pv *p = &pvs[starts[(seed >> 33) % nstarts]];
		size_t span = 1;
		while (p + span < pvs + npv && !strcmp(p[span].pkg, p->pkg) && !strcmp(p[span].eco, p->eco))
			span++;
		p += (seed >> 7) % span;
		int k = (int)((seed >> 17) % (unsigned long long)copies);
		char name[1200];
		if (k)
			snprintf(name, sizeof name, "%s-s%d", p->pkg, k);
		else
			snprintf(name, sizeof name, "%s", p->pkg);
		bool go = !strcmp(p->eco, "Go");
		fprintf(f, "%s{\"type\":\"library\",\"bom-ref\":\"c%ld\",\"name\":\"%s\",\"version\":\"%s%s\","
		           "\"purl\":\"pkg:%s/%s@%s%s\"}\n", c ? "," : "", c, name, go ? "v" : "", p->ver,
		        go ? "golang" : "pypi", name, go ? "v" : "", p->ver);
	}
	fprintf(f, "]}\n");
	fclose(f);
	printf("3. SBOM of %ld components (real names and versions, spread over the copies): %s\n", ncomp, sbom);

	/* 4. match */
	vd_service_close(svc);
	if (vd_service_open(db, false, &svc))
		die("reopen");
	double best = 1e9;
	size_t findings = 0;
	vd_match_stats ms;
	for (int run = 0; run < 3; run++) {
		t0 = now();
		vd_sbom *sb;
		if (vd_sbom_read_file(sbom, &sb))
			die("read sbom");
		findings = 0;
		if (vd_service_match(svc, VD_VIEW_PUBLIC, sb, NULL, count_finding, &findings, &ms))
			die("match");
		vd_sbom_free(sb);
		double t = now() - t0;
		if (t < best)
			best = t;
		printf("   run %d: %.3f s\n", run + 1, t);
	}
	printf("4. library (read + match), best of 3: %.3f s wall; %zu findings in %zu of %zu components;"
	       " %zu candidate entries looked at, %zu unevaluable\n", best, findings, ms.with_findings, ms.components,
	       ms.candidates, ms.unevaluable);
	vd_service_close(svc);
	const char *bin = getenv("VULND");
	if (bin && *bin) {
		char cmd[8192];
		snprintf(cmd, sizeof cmd, "'%s' --db '%s' -q match --json '%s' > '%s/out.json'", bin, db, sbom, dir);
		t0 = now();
		int rc = system(cmd);
		double t = now() - t0;
		printf("   vulnd match --json (whole process, JSON output): %.3f s wall, exit %d\n", t,
		       WIFEXITED(rc) ? WEXITSTATUS(rc) : -1);
	}
	printf("target < 1 s: %s\n", best < 1.0 ? "met" : "NOT met");
	if (!getenv("KEEP")) {
		char cmd[512];
		snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
		if (system(cmd) != 0)
			fprintf(stderr, "bench-match: could not remove %s\n", dir);
	}
	return 0;
}
