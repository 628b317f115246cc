/* vulnd report submit — intake of a vulnerability report (issue 7): prints
 * the new case id; the duplicate candidates go to standard error. */
#include "cli_int.h"
#include "vulnd/error.h"
#include "vulnd/util.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int usage(const char *msg)
{
	if (msg)
		fprintf(stderr, "vulnd report: %s\n", msg);
	vd_command_usage(vd_command_find("report"), true);
	return VD_EXIT_USAGE;
}

/* Mail and attachment settings of the command line: <db>.attachments,
 * VULND_ATTACHMENTS, VULND_SMTP_URL, VULND_MAIL_FROM. */
void vd_cli_case_config(vd_cli *cli, vd_service *s)
{
	vd_case_config cfg;
	vd_case_config_defaults(&cfg, cli->db);
	const char *v = getenv("VULND_ATTACHMENTS");
	if (v && *v)
		vd_strlcpy(cfg.attach_dir, v, sizeof cfg.attach_dir);
	if ((v = getenv("VULND_SMTP_URL")) && *v)
		vd_strlcpy(cfg.smtp_url, v, sizeof cfg.smtp_url);
	if ((v = getenv("VULND_MAIL_FROM")) && *v)
		vd_strlcpy(cfg.mail_from, v, sizeof cfg.mail_from);
	vd_service_case_configure(s, &cfg);
}

#define MAX_ATT VD_ATTACH_PER_CASE

int vd_cmd_report(vd_cli *cli, int argc, char **argv)
{
	if (argc < 2 || strcmp(argv[1], "submit") != 0)
		return usage("expected `report submit`");
	vd_report_in in;
	memset(&in, 0, sizeof in);
	const char *fnames[VD_CASE_FIELDS], *fvalues[VD_CASE_FIELDS];
	char *fbuf[VD_CASE_FIELDS];
	vd_attachment_in att[MAX_ATT];
	char *adata[MAX_ATT];
	size_t nf = 0, na = 0;
	int ret = VD_EXIT_USAGE;
	for (int i = 2; i < argc; i++) {
		const char *o = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
#define OPT(name, field) if (strcmp(o, name) == 0) { if (!v) { usage(name " needs a value"); goto out; } in.field = v; i++; continue; }
		OPT("--title", title)
		OPT("--description", description)
		OPT("--product", product)
		OPT("--vendor", vendor)
		OPT("--version", version)
		OPT("--library", library)
		OPT("--cwe", cwe)
		OPT("--cve", cve)
		OPT("--vector", vector)
		OPT("--grade", grade)
		OPT("--steps", steps)
		OPT("--learned", learned_at)
#undef OPT
		if (strcmp(o, "--field") == 0 && v) {
			const char *eq = strchr(v, '=');
			if (!eq || nf >= VD_CASE_FIELDS) {
				usage("--field NAME=VALUE (at most 16)");
				goto out;
			}
			if (!(fbuf[nf] = strdup(v))) {
				ret = VD_EXIT_STORE;
				goto out;
			}
			fbuf[nf][eq - v] = '\0';
			fnames[nf] = fbuf[nf];
			fvalues[nf] = fbuf[nf] + (eq - v) + 1;
			nf++;
			i++;
			continue;
		}
		if (strcmp(o, "--attach") == 0 && v) {
			if (na >= MAX_ATT) {
				fprintf(stderr, "vulnd report: at most %d attachments\n", MAX_ATT);
				goto out;
			}
			/* FILE or FILE:KIND (poc, exploit, screenshot, document, patch) */
			char path[4096];
			vd_strlcpy(path, v, sizeof path);
			const char *kind = NULL;
			char *colon = strrchr(path, ':');
			if (colon && (!strcmp(colon + 1, "poc") || !strcmp(colon + 1, "exploit") ||
			              !strcmp(colon + 1, "screenshot") || !strcmp(colon + 1, "document") ||
			              !strcmp(colon + 1, "patch"))) {
				*colon = '\0';
				kind = v + (colon - path) + 1;
			}
			size_t len = 0;
			int rc = vd_file_read(path, (256u << 20), &adata[na], &len);
			if (rc) {
				fprintf(stderr, "vulnd report: --attach %s: %s\n", path, vd_error_msg());
				ret = rc == VD_ETOOBIG ? VD_EXIT_USAGE : VD_EXIT_USAGE;
				goto out;
			}
			const char *base = strrchr(v, '/');
			char *name = strdup(base ? base + 1 : v);
			if (!name) {
				free(adata[na]);
				ret = VD_EXIT_STORE;
				goto out;
			}
			if (kind)
				name[strlen(name) - strlen(kind) - 1] = '\0';
			att[na] = (vd_attachment_in){.name = name, .data = adata[na], .len = len, .kind = kind};
			na++;
			i++;
			continue;
		}
		usage(v ? "unknown option" : "option without a value");
		fprintf(stderr, "  (at '%s')\n", o);
		goto out;
	}
	in.field_names = fnames;
	in.field_values = fvalues;
	in.n_fields = nf;
	in.attachments = att;
	in.n_attachments = na;
	vd_service *s = NULL;
	if ((ret = vd_cli_open(cli, "report", false, &s)))
		goto out;
	vd_cli_case_config(cli, s);
	vd_principal me = vd_principal_local("cli");
	int64_t id = 0;
	vd_dedup_candidate top[VD_DEDUP_TOP];
	size_t nt = 0;
	int rc = vd_service_report_submit(s, &me, &in, &id, top, &nt);
	if (rc) {
		ret = vd_cli_fail("report submit", rc);
	} else {
		printf("%lld\n", (long long)id);
		if (!cli->quiet) {
			fprintf(stderr, "case %lld received (triage); duplicate check: %zu candidate(s)\n", (long long)id, nt);
			for (size_t k = 0; k < nt; k++)
				fprintf(stderr, "  %-22s %.2f  %s\n", top[k].id, top[k].score, top[k].why);
		}
		ret = VD_EXIT_OK;
	}
	vd_service_close(s);
out:
	for (size_t k = 0; k < nf; k++)
		free(fbuf[k]);
	for (size_t k = 0; k < na; k++) {
		free(adata[k]);
		free((char *)att[k].name);
	}
	return ret;
}
