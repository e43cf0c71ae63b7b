/*
 * tabdump.c: the command table as JSON, for tests/json/walk.py (issue 12):
 * each entry's path, usage, argument counts, roles, flags and what each
 * argument position takes, so the walk makes its invalid inputs from the
 * table itself instead of a copy that could drift from it.
 */
#include <stdio.h>

#include <jansson.h>

#include "mmp/cmd.h"

int main(void)
{
	const struct mmp_cmd *c;
	json_t *all = json_array(), *doc;
	int i;

	for (c = cmd_all(); c->path != NULL; c++) {
		json_t *kinds = json_array();
		for (i = 0; i < 3; i++)
			json_array_append_new(kinds, json_integer(c->complete[i]));
		json_array_append_new(
		    all, json_pack("{s:s, s:s, s:i, s:i, s:i, s:i, s:i, s:o}", "path", c->path, "usage",
				   c->usage, "min", c->min_args, "max", c->max_args, "roles", c->roles,
				   "flags", c->flags, "asks", CMD_ASKS_OF(c->flags), "complete", kinds));
	}
	doc = json_pack("{s:o, s:{s:i, s:i, s:i, s:i, s:i, s:i}}", "commands", all, "enums",
			"COMPLETE_FILE", COMPLETE_FILE, "COMPLETE_KEY", COMPLETE_KEY,
			"COMPLETE_CERT", COMPLETE_CERT, "COMPLETE_SECRET", COMPLETE_SECRET,
			"CMD_W_FILES", CMD_W_FILES, "CMD_W_SETTINGS", CMD_W_SETTINGS);
	json_dumpf(doc, stdout, JSON_INDENT(1));
	json_decref(doc);
	putchar('\n');
	return 0;
}
