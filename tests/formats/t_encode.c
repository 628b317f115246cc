/* The direct canonical encoder gives exactly the bytes of the jansson
 * encoder, on every real CVE 5 and OSV record and on awkward strings. */
#include "harness.h"
#include "vulnd/formats.h"
#include "vulnd/error.h"
#include <dirent.h>
#include <jansson.h>
#include <sys/stat.h>

static int compared, differ;

static void compare(const vd_record *r)
{
	char *a = NULL, *b = NULL;
	if (vd_record_to_json(r, &a) || vd_record_to_json_jansson(r, &b)) {
		differ++;
	} else if (strcmp(a, b) != 0) {
		if (differ++ < 3) {
			size_t i = 0;
			while (a[i] && a[i] == b[i])
				i++;
			fprintf(stderr, "  %s differs at byte %zu:\n    direct : %.80s\n    jansson: %.80s\n", r->id, i,
			        a + (i > 20 ? i - 20 : 0), b + (i > 20 ? i - 20 : 0));
		}
	}
	compared++;
	free(a);
	free(b);
}

static void walk(const char *dir, vd_format fmt)
{
	DIR *d = opendir(dir);
	if (!d)
		return;
	struct dirent *e;
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		char p[4400];
		snprintf(p, sizeof p, "%.4000s/%.255s", dir, e->d_name);
		struct stat st;
		if (stat(p, &st))
			continue;
		if (S_ISDIR(st.st_mode)) {
			walk(p, fmt);
			continue;
		}
		if (!vd_str_has_suffix(p, ".json"))
			continue;
		json_t *j = json_load_file(p, 0, NULL);
		vd_record *r = NULL;
		if (j && vd_format_to_record(fmt, j, &r, NULL) == VD_OK) {
			compare(r);
			vd_record_free(r);
		}
		json_decref(j);
	}
	closedir(d);
}

static void t_real_records(void)
{
	const char *sh = vt_shared();
	REQUIRE(sh);
	char p[4200];
	compared = differ = 0;
	snprintf(p, sizeof p, "%.4000s/data/cve5", sh);
	walk(p, VD_FMT_CVE5);
	snprintf(p, sizeof p, "%.4000s/data/osv/go", sh);
	walk(p, VD_FMT_OSV);
	printf("# %d records encoded both ways, %d differ\n", compared, differ);
	CHECK(compared > 5000);
	CHECK_INT(differ, 0);
}

static void t_awkward_strings(void)
{
	vd_record *r = vd_record_new();
	r->id = vd_record_str(r, "X-1");
	vd_record_set_text(r, &r->title, "en", "quote \" backslash \\ slash / tab \t nl \n cr \r bell \a del \x7f");
	vd_record_set_text(r, &r->title, "zh", "缓冲区溢出 \x01\x1f end");
	vd_record_add_score(r, "3.1", "CVSS:3.1/AV:N", 10.0, NULL, "a");
	vd_record_add_score(r, "3.1", "CVSS:3.1/AV:L", 0.1, NULL, "b");
	vd_record_add_score(r, "2.0", "AV:N", 7.25, NULL, "c");
	vd_provenance *p = vd_record_add_prov(r, "title.en", "osv", "X-1", NULL);
	p->overridden = true;
	vd_affected *a = vd_record_add_affected(r);
	vd_range *g = vd_affected_add_range(r, a, "GIT", "https://x");
	vd_range_add_event(r, g, VD_EV_LAST_AFFECTED, "abc");
	compared = differ = 0;
	compare(r);
	CHECK_INT(differ, 0);
	vd_record_free(r);
}

int main(void)
{
	RUN(t_real_records);
	RUN(t_awkward_strings);
	return vt_done();
}
