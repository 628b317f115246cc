/* vulnd edit ID FIELD VALUE */
#include "cli_int.h"
#include "vulnd/error.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int vd_cmd_edit(vd_cli *cli, int argc, char **argv)
{
	if (argc != 4) {
		fprintf(stderr, "vulnd edit: expected ID FIELD VALUE\n");
		vd_command_usage(vd_command_find("edit"), true);
		return VD_EXIT_USAGE;
	}
	char *value = argv[3];
	char *buf = NULL;
	if (strcmp(value, "-") == 0) {   /* long text from standard input */
		size_t n;
		if (vd_file_read("-", 1u << 20, &buf, &n))
			return vd_cli_fail("edit", vd_error_code());
		while (n && (buf[n - 1] == '\n' || buf[n - 1] == '\r'))
			buf[--n] = 0;
		value = buf;
	}
	vd_service *svc;
	int ex = vd_cli_open(cli, "edit", false, &svc);
	if (ex) {
		free(buf);
		return ex;
	}
	int rc = vd_service_edit(svc, argv[1], argv[2], value);
	vd_service_close(svc);
	free(buf);
	if (rc)
		return vd_cli_fail("edit", rc);
	if (!cli->quiet)
		printf("%s: %s %s\n", argv[1], argv[2], *value ? "set by hand" : "manual edit removed");
	return VD_EXIT_OK;
}
