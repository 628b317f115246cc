/* vulnd org add|list|show|member|product|contact — organisations: vendors
 * (with the products they own and security contacts), support units,
 * reporter teams, alliance members. */
#include "cli_int.h"
#include "vulnd/error.h"
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int usage(const char *msg)
{
	if (msg)
		fprintf(stderr, "vulnd org: %s\n", msg);
	vd_command_usage(vd_command_find("org"), true);
	return VD_EXIT_USAGE;
}

static json_t *org_json(const vd_org_info *o)
{
	return json_pack("{s:I,s:s,s:s,s:s,s:i,s:i,s:i}", "id", (json_int_t)o->id, "name", o->name, "type",
	                 vd_org_type_name(o->type), "created", o->created, "members", (int)o->n_members,
	                 "products", (int)o->n_products, "contacts", (int)o->n_contacts);
}

static void print_json(json_t *o)
{
	char *s = o ? json_dumps(o, JSON_SORT_KEYS | JSON_COMPACT) : NULL;
	printf("%s\n", s ? s : "{}");
	free(s);
	json_decref(o);
}

static int list_cb(void *ctx, const vd_org_info *o)
{
	if (*(bool *)ctx)
		print_json(org_json(o));
	else
		printf("%-32s %-14s members %u, products %u, contacts %u\n", o->name, vd_org_type_name(o->type),
		       o->n_members, o->n_products, o->n_contacts);
	return 0;
}

typedef struct {
	const char *label;
	json_t *arr;
} items_ctx;

static int item_cb(void *ctx, const char *a, const char *b)
{
	items_ctx *c = ctx;
	if (c->arr)
		json_array_append_new(c->arr, b ? json_pack("[s,s]", a, b) : json_string(a));
	else
		printf("  %-9s %s%s%s%s\n", c->label, a, b ? " (" : "", b ? b : "", b ? ")" : "");
	return 0;
}

int vd_cmd_org(vd_cli *cli, int argc, char **argv)
{
	if (argc < 2)
		return usage(NULL);
	const char *sub = argv[1], *type = NULL, *cname = NULL;
	const char *pos[3] = {NULL, NULL, NULL};
	int npos = 0;
	bool json = false, remove = false;
	for (int i = 2; i < argc; i++) {
		if (strcmp(argv[i], "--type") == 0 && i + 1 < argc)
			type = argv[++i];
		else if (strcmp(argv[i], "--name") == 0 && i + 1 < argc)
			cname = argv[++i];
		else if (strcmp(argv[i], "--json") == 0)
			json = true;
		else if (strcmp(argv[i], "--remove") == 0)
			remove = true;
		else if (strcmp(argv[i], "--") == 0 && i + 1 < argc && npos < 3)
			pos[npos++] = argv[++i];
		else if (argv[i][0] == '-' && argv[i][1])
			return usage("unknown option");
		else if (npos < 3)
			pos[npos++] = argv[i];
		else
			return usage("too many arguments");
	}
	int want = !strcmp(sub, "list") ? 0 : !strcmp(sub, "add") || !strcmp(sub, "show") ? 1 :
	           !strcmp(sub, "member") || !strcmp(sub, "product") || !strcmp(sub, "contact") ? 2 : -1;
	if (want < 0)
		return usage("unknown subcommand (add, list, show, member, product, contact)");
	if (npos != want)
		return usage("wrong number of arguments");
	vd_org_type t = VD_ORG_VENDOR;
	if (!strcmp(sub, "add")) {
		if (!type)
			return usage("add needs --type vendor|support-unit|reporter-team|alliance");
		if (vd_org_type_parse(type, &t))
			return vd_cli_fail("org", VD_EINVAL);
	}
	vd_service *svc;
	int ex = vd_cli_open(cli, "org", false, &svc);
	if (ex)
		return ex;
	vd_principal me = vd_principal_local("cli");
	int rc = VD_OK;
	if (!strcmp(sub, "add")) {
		int64_t id = 0;
		rc = vd_service_org_add(svc, &me, pos[0], t, &id);
		if (!rc && !cli->quiet)
			printf("organisation %s added (id %lld, %s)\n", pos[0], (long long)id, vd_org_type_name(t));
	} else if (!strcmp(sub, "list")) {
		rc = vd_service_org_list(svc, &me, list_cb, &json);
	} else if (!strcmp(sub, "show")) {
		vd_org_info o;
		rc = vd_service_org_get(svc, &me, pos[0], &o);
		if (!rc && json) {
			json_t *j = org_json(&o);
			items_ctx m = {"member", json_array()}, p = {"product", json_array()}, c = {"contact", json_array()};
			if (!(rc = vd_service_org_items(svc, &me, pos[0], VD_ORG_ITEM_MEMBERS, item_cb, &m)) &&
			    !(rc = vd_service_org_items(svc, &me, pos[0], VD_ORG_ITEM_PRODUCTS, item_cb, &p)))
				rc = vd_service_org_items(svc, &me, pos[0], VD_ORG_ITEM_CONTACTS, item_cb, &c);
			json_object_set_new(j, "member_list", m.arr);
			json_object_set_new(j, "product_list", p.arr);
			json_object_set_new(j, "contact_list", c.arr);
			if (!rc)
				print_json(j);
			else
				json_decref(j);
		} else if (!rc) {
			printf("%s (%s), id %lld, created %s\n", o.name, vd_org_type_name(o.type), (long long)o.id, o.created);
			items_ctx m = {"member", NULL}, p = {"product", NULL}, c = {"contact", NULL};
			if (!(rc = vd_service_org_items(svc, &me, pos[0], VD_ORG_ITEM_MEMBERS, item_cb, &m)) &&
			    !(rc = vd_service_org_items(svc, &me, pos[0], VD_ORG_ITEM_PRODUCTS, item_cb, &p)))
				rc = vd_service_org_items(svc, &me, pos[0], VD_ORG_ITEM_CONTACTS, item_cb, &c);
		}
	} else if (!strcmp(sub, "member")) {
		rc = vd_service_org_member(svc, &me, pos[0], pos[1], !remove);
		if (!rc && !cli->quiet)
			printf("%s %s %s\n", pos[1], remove ? "left" : "is a member of", pos[0]);
	} else if (!strcmp(sub, "product")) {
		rc = vd_service_org_product_add(svc, &me, pos[0], pos[1]);
		if (!rc && !cli->quiet)
			printf("%s owns product %s\n", pos[0], pos[1]);
	} else {
		rc = vd_service_org_contact_add(svc, &me, pos[0], pos[1], cname);
		if (!rc && !cli->quiet)
			printf("%s: security contact %s\n", pos[0], pos[1]);
	}
	vd_service_close(svc);
	return rc ? vd_cli_fail("org", rc) : VD_EXIT_OK;
}
