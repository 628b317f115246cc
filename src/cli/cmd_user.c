/* vulnd user add|list|show|role|disable|enable|passwd — accounts.
 * Passwords are read from standard input (never from the command line),
 * without echo when it is a terminal; they are never printed. */
#include "cli_int.h"
#include "vulnd/error.h"
#include "vulnd/util.h"
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

/* Read one password line from stdin into buf (VD_PASSWORD_MAX + 2 bytes);
 * a trailing newline is dropped.  Exit code or VD_EXIT_OK. */
static int read_password(char *buf, size_t size)
{
	struct termios old, quiet;
	bool tty = isatty(STDIN_FILENO) && tcgetattr(STDIN_FILENO, &old) == 0;
	if (tty) {
		fprintf(stderr, "password: ");
		quiet = old;
		quiet.c_lflag &= ~(tcflag_t)ECHO;
		tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet);
	}
	size_t n = 0;
	int c;
	bool over = false;
	while ((c = getchar()) != EOF && c != '\n') {
		if (n + 1 < size)
			buf[n++] = (char)c;
		else
			over = true;
	}
	buf[n] = '\0';
	if (tty) {
		tcsetattr(STDIN_FILENO, TCSAFLUSH, &old);
		fputc('\n', stderr);
	}
	if (n && buf[n - 1] == '\r')
		buf[--n] = '\0';
	if (over || n > VD_PASSWORD_MAX) {
		fprintf(stderr, "vulnd user: the password is longer than %d bytes\n", VD_PASSWORD_MAX);
		return VD_EXIT_USAGE;
	}
	if (n == 0) {
		fprintf(stderr, "vulnd user: no password on standard input (e.g. `printf '%%s' \"$PW\" | vulnd user add ...`)\n");
		return VD_EXIT_USAGE;
	}
	return VD_EXIT_OK;
}

static json_t *user_json(const vd_user_info *u)
{
	return json_pack("{s:I,s:s,s:s,s:b,s:s,s:s}", "id", (json_int_t)u->id, "name", u->name, "role",
	                 vd_role_name(u->role), "disabled", u->disabled, "org", u->org, "created", u->created);
}

static void print_json(json_t *o)
{
	char *s = o ? json_dumps(o, JSON_SORT_KEYS | JSON_COMPACT) : NULL;
	printf("%s\n", s ? s : "{}");
	free(s);
	json_decref(o);
}

static int list_cb(void *ctx, const vd_user_info *u)
{
	if (*(bool *)ctx)
		print_json(user_json(u));
	else
		printf("%-24s %-13s %-9s %-20s %s\n", u->name, vd_role_name(u->role), u->disabled ? "disabled" : "active",
		       u->created, u->org);
	return 0;
}

static int usage(const char *msg)
{
	if (msg)
		fprintf(stderr, "vulnd user: %s\n", msg);
	vd_command_usage(vd_command_find("user"), true);
	return VD_EXIT_USAGE;
}

int vd_cmd_user(vd_cli *cli, int argc, char **argv)
{
	if (argc < 2)
		return usage(NULL);
	const char *sub = argv[1];
	const char *name = NULL, *role = NULL, *org = NULL;
	bool json = false;
	const char *extra = NULL;
	for (int i = 2; i < argc; i++) {
		if (strcmp(argv[i], "--role") == 0 && i + 1 < argc)
			role = argv[++i];
		else if (strcmp(argv[i], "--org") == 0 && i + 1 < argc)
			org = argv[++i];
		else if (strcmp(argv[i], "--json") == 0)
			json = true;
		else if (strcmp(argv[i], "--password") == 0 || strncmp(argv[i], "--password=", 11) == 0)
			return usage("passwords are read from standard input, never from the command line");
		else if (argv[i][0] == '-' && argv[i][1])
			return usage("unknown option");
		else if (!name)
			name = argv[i];
		else if (!extra)
			extra = argv[i];
		else
			return usage("too many arguments");
	}
	vd_role r = VD_ROLE_REPORTER;
	bool need_name = strcmp(sub, "list") != 0;
	if (strcmp(sub, "add") && strcmp(sub, "list") && strcmp(sub, "show") && strcmp(sub, "role") &&
	    strcmp(sub, "disable") && strcmp(sub, "enable") && strcmp(sub, "passwd"))
		return usage("unknown subcommand (add, list, show, role, disable, enable, passwd)");
	if (need_name && !name)
		return usage("a user name is required");
	if (strcmp(sub, "role") == 0)
		role = extra;
	else if (extra)
		return usage("too many arguments");
	if (strcmp(sub, "add") == 0 && !role)
		return usage("add needs --role ROLE");
	if (strcmp(sub, "role") == 0 && !role)
		return usage("role needs NAME ROLE");
	if (role && vd_role_parse(role, &r) != VD_OK)
		return vd_cli_fail("user", VD_EINVAL);

	char *pw = NULL;
	int ex;
	if (strcmp(sub, "add") == 0 || strcmp(sub, "passwd") == 0) {
		pw = malloc(VD_PASSWORD_MAX + 2);
		if (!pw)
			return vd_cli_fail("user", vd_error_set(VD_ENOMEM, "out of memory"));
		if ((ex = read_password(pw, VD_PASSWORD_MAX + 2))) {
			free(pw);
			return ex;
		}
	}
	vd_service *svc;
	if ((ex = vd_cli_open(cli, "user", false, &svc))) {
		if (pw)
			explicit_bzero(pw, VD_PASSWORD_MAX + 2);
		free(pw);
		return ex;
	}
	vd_principal me = vd_principal_local("cli");
	int rc = VD_OK;
	if (strcmp(sub, "add") == 0) {
		int64_t id = 0;
		rc = vd_service_user_add(svc, &me, name, r, org, pw, &id);
		if (!rc && !cli->quiet)
			printf("user %s added (id %lld, role %s%s%s)\n", name, (long long)id, vd_role_name(r),
			       org ? ", organisation " : "", org ? org : "");
	} else if (strcmp(sub, "passwd") == 0) {
		rc = vd_service_user_set_password(svc, &me, name, NULL, pw);
		if (!rc && !cli->quiet)
			printf("password of %s changed\n", name);
	} else if (strcmp(sub, "list") == 0) {
		rc = vd_service_user_list(svc, &me, list_cb, &json);
	} else if (strcmp(sub, "show") == 0) {
		vd_user_info u;
		rc = vd_service_user_get(svc, &me, name, &u);
		if (!rc)
			list_cb(&json, &u);
	} else if (strcmp(sub, "role") == 0) {
		rc = vd_service_user_set_role(svc, &me, name, r);
		if (!rc && !cli->quiet)
			printf("user %s: role %s\n", name, vd_role_name(r));
	} else {
		bool dis = strcmp(sub, "disable") == 0;
		rc = vd_service_user_set_disabled(svc, &me, name, dis);
		if (!rc && !cli->quiet)
			printf("user %s %s\n", name, dis ? "disabled (sessions ended, tokens refused)" : "enabled");
	}
	vd_service_close(svc);
	if (pw) {
		explicit_bzero(pw, VD_PASSWORD_MAX + 2);
		free(pw);
	}
	return rc ? vd_cli_fail("user", rc) : VD_EXIT_OK;
}
