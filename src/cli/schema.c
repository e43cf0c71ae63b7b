/*
 * schema.c: the JSON Schema (draft 2020-12) of every command's answer,
 * made from the command table (issue 12 item 4): `mmp --schema` writes
 * docs/schema.json, as `mmp --reference` writes docs/commands.md. The
 * envelope is the same for every command (src/cli/result.c); "result" is
 * made from the entry's struct res_field list: every field declared, no
 * other key allowed, the fields without RES_OPTIONAL required when the
 * command succeeded ("ok": true). A command with no list answers {}.
 */
#include <string.h>

#include "cli.h"

static json_t *fields_schema(const struct res_field *f, int required);

static json_t *type_schema(const struct res_field *f, int required)
{
	json_t *t;

	switch (f->type) {
	case RES_STR: t = json_pack("{s:s}", "type", "string"); break;
	case RES_INT: t = json_pack("{s:s}", "type", "integer"); break;
	case RES_BOOL: t = json_pack("{s:s}", "type", "boolean"); break;
	case RES_TIME:
		t = json_pack("{s:s, s:s, s:s}", "type", "string", "format", "date-time", "pattern",
			      "^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z$");
		break;
	case RES_LIST:
		t = json_pack("{s:s, s:o}", "type", "array", "items",
			      f->sub != NULL ? fields_schema(f->sub, required)
					     : json_pack("{s:s}", "type", f->flags & RES_INTS ? "integer" : "string"));
		break;
	case RES_OBJ:
	default:
		t = f->sub != NULL ? fields_schema(f->sub, required)
				   : json_pack("{s:s, s:{s:s}}", "type", "object",
					       "additionalProperties", "type", "string");
		break;
	}
	if (f->flags & RES_NULLABLE)
		t = json_pack("{s:[o, {s:s}]}", "anyOf", t, "type", "null");
	if (f->desc != NULL)
		json_object_set_new(t, "description", json_string(f->desc));
	return t;
}

/* An object with exactly the fields f (NULL: none); required: the fields
 * without RES_OPTIONAL must be there. */
static json_t *fields_schema(const struct res_field *f, int required)
{
	json_t *props = json_object(), *req = json_array();

	for (; f != NULL && f->name != NULL; f++) {
		json_object_set_new(props, f->name, type_schema(f, required));
		if (required && !(f->flags & RES_OPTIONAL))
			json_array_append_new(req, json_string(f->name));
	}
	return json_pack("{s:s, s:o, s:o, s:b}", "type", "object", "properties", props, "required",
			 req, "additionalProperties", 0);
}

/* The result of every entry on c's path (told apart by argument counts:
 * "hostname" shows, "hostname <name>" sets): one of them. */
static json_t *path_result(const struct mmp_cmd *c, int required)
{
	const struct mmp_cmd *t;
	json_t *any = json_array();

	for (t = cmd_all(); t->path != NULL; t++)
		if (strcmp(t->path, c->path) == 0)
			json_array_append_new(any, fields_schema(t->result, required));
	if (json_array_size(any) == 1) {
		json_t *one = json_incref(json_array_get(any, 0));
		json_decref(any);
		return one;
	}
	return json_pack("{s:o}", "anyOf", any);
}

static json_t *envelope(json_t *result_ok, json_t *result_failed)
{
	return json_pack(
	    "{s:s, s:{s:{s:[s,s]}, s:{s:s}, s:{s:s, s:i}, s:{s:b}, s:{}, s:{s:s, s:{s:s}}},"
	    " s:[s,s,s,s], s:b,"
	    " s:{s:{s:{s:b}}}, s:{s:{s:o}}, s:{s:{s:o}}}",
	    "type", "object", "properties",
	    "command", "type", "string", "null",
	    "ok", "type", "boolean",
	    "line", "type", "integer", "minimum", 1,
	    "dry_run", "const", 1,
	    "result",
	    "checks", "type", "array", "items", "$ref", "#/$defs/check",
	    "required", "command", "ok", "result", "checks",
	    "additionalProperties", 0,
	    "if", "properties", "ok", "const", 1,
	    "then", "properties", "result", result_ok,
	    "else", "properties", "result", result_failed);
}

static json_t *check_schema(void)
{
	return json_pack(
	    "{s:s, s:[s,s,s,s,s,s], s:b, s:{s:{s:s, s:s}, s:{s:[s,s,s]}, s:{s:[s,s]},"
	    " s:{s:[s,s], s:i}, s:{s:s}, s:{s:[s,s]}}}",
	    "type", "object",
	    "required", "code", "severity", "file", "certificate", "message", "remedy",
	    "additionalProperties", 0,
	    "properties",
	    "code", "type", "string", "pattern", "^[a-z0-9_]+(\\.[a-z0-9_]+)+$",
	    "severity", "enum", "success", "warning", "failure",
	    "file", "type", "string", "null",
	    "certificate", "type", "integer", "null", "minimum", 1,
	    "message", "type", "string",
	    "remedy", "type", "string", "null");
}

void cmd_write_schema(FILE *fp)
{
	const struct mmp_cmd *c;
	json_t *doc, *cmds = json_object();

	for (c = cmd_all(); c->path != NULL; c++)
		if (json_object_get(cmds, c->path) == NULL)
			json_object_set_new(cmds, c->path,
					    envelope(path_result(c, 1), path_result(c, 0)));
	/* a line that named no command, and the lines of script mode itself */
	json_object_set_new(cmds, "", envelope(fields_schema(NULL, 1), fields_schema(NULL, 0)));
	doc = json_pack("{s:s, s:s, s:s, s:{s:o}, s:o}", "$schema",
			"https://json-schema.org/draft/2020-12/schema", "title",
			"mmp command answers (one object per command; made by mmp --schema from the"
			" command table, do not edit)",
			"$comment",
			"commands maps each command path to the schema of its answer; \"\" is the answer"
			" to a line that named no command",
			"$defs", "check", check_schema(), "commands", cmds);
	json_dumpf(doc, fp, JSON_INDENT(1) | JSON_SORT_KEYS);
	fputc('\n', fp);
	json_decref(doc);
}
