/*
 * cli.h: what the files of src/cli/ share: the command handlers the table
 * points to, and the attribute parser of pki csr / pki selfsigned.
 */
#ifndef MMP_CLI_H
#define MMP_CLI_H

#include "mmp/cmd.h"
#include "mmp/pki.h"
#include "mmp/text.h"

/* A buffer for a word the user typed, shown in a message through
 * SHOWN(word) (text_escape: never raw on a terminal, issue 10 item 6);
 * a word of more than TEXT_CUT_CHARS characters is cut and its length
 * said (text_cut, issue 11). */
#define CLI_SHOWN_MAX 1024
#define SHOWN(word) text_cut((word), shown, sizeof(shown))
/* fputs of SHOWN(word): a word the user typed, echoed in a message. */
void cli_fputs_word(const char *word, FILE *fp);

/* The running command's result (result.c): begin before a command line
 * runs (json: render it as JSON); end after it, with the line as the
 * audit log shows it (secrets as ***) and whether it succeeded. */
void cli_res_begin(struct mmp_session *ss, int json);
void cli_res_end(struct mmp_session *ss, const char *command, int ok);
/* Where a question is written: the terminal, even while JSON mode catches
 * ss->out. */
FILE *cli_res_terminal(struct mmp_session *ss);

int cmd_help(struct mmp_session *ss, int argc, char **argv);
/* The answer of help, and of a family's bare word that shows its usage
 * ("tls", "database"). */
extern const struct res_field cmd_help_result[];
int cmd_check(struct mmp_session *ss, int argc, char **argv);
int cmd_exit(struct mmp_session *ss, int argc, char **argv);
extern const struct mmp_cmd cmd_pki_table[];
extern const struct mmp_cmd cmd_callbridge_table[];
extern const struct mmp_cmd cmd_turn_table[];
extern const struct mmp_cmd cmd_tls_table[];
extern const struct mmp_cmd cmd_database_table[];
extern const struct mmp_cmd cmd_hostname_table[];
extern const struct mmp_cmd cmd_user_table[];
extern const struct mmp_cmd cmd_webbridge3_table[];
extern const struct mmp_cmd cmd_meetingapps_table[];
extern const struct mmp_cmd cmd_health_table[];

int cmd_pki(struct mmp_session *ss, int argc, char **argv);
int cmd_pki_list(struct mmp_session *ss, int argc, char **argv);
int cmd_pki_inspect(struct mmp_session *ss, int argc, char **argv);
int cmd_pki_checksum(struct mmp_session *ss, int argc, char **argv);
int cmd_pki_expiry(struct mmp_session *ss, int argc, char **argv);
int cmd_pki_metrics(struct mmp_session *ss, int argc, char **argv);
int cmd_pki_alarms(struct mmp_session *ss, int argc, char **argv);
/* The expiry alarms at login (cmd_expiry.c; issue 14). */
void cli_login_alarms(struct mmp_session *ss);
int cmd_pki_match(struct mmp_session *ss, int argc, char **argv);
int cmd_pki_verify(struct mmp_session *ss, int argc, char **argv);
int cmd_pki_unlock(struct mmp_session *ss, int argc, char **argv);
int cmd_pki_csr(struct mmp_session *ss, int argc, char **argv);
int cmd_pki_selfsigned(struct mmp_session *ss, int argc, char **argv);
int cmd_pki_sign(struct mmp_session *ss, int argc, char **argv);
int cmd_pki_pkcs12_to_ssh(struct mmp_session *ss, int argc, char **argv);
int cmd_pki_pkcs12_extract(struct mmp_session *ss, int argc, char **argv);
int cmd_callbridge(struct mmp_session *ss, int argc, char **argv);
int cmd_callbridge_listen(struct mmp_session *ss, int argc, char **argv);
int cmd_callbridge_prefer(struct mmp_session *ss, int argc, char **argv);
int cmd_callbridge_certs(struct mmp_session *ss, int argc, char **argv);
int cmd_callbridge_certs_none(struct mmp_session *ss, int argc, char **argv);
int cmd_callbridge_trust_c2w(struct mmp_session *ss, int argc, char **argv);
int cmd_callbridge_trust_cluster(struct mmp_session *ss, int argc, char **argv);
int cmd_callbridge_trust_edge(struct mmp_session *ss, int argc, char **argv);
int cmd_callbridge_add_edge(struct mmp_session *ss, int argc, char **argv);
int cmd_callbridge_del_edge(struct mmp_session *ss, int argc, char **argv);
int cmd_callbridge_restart(struct mmp_session *ss, int argc, char **argv);
int cmd_callbridge_trust_c2w_none(struct mmp_session *ss, int argc, char **argv);
int cmd_callbridge_trust_cluster_none(struct mmp_session *ss, int argc, char **argv);

/* A remedy that names a command names only what this session's user may
 * run (issue 11 class 1): cmd is the command as the user would type it
 * ("turn disable", "callbridge listen <interface>"), looked up in the
 * command table for the roles that may run it. cli_remedy_cmd() writes
 * "run <cmd> first" or, when the role may not, "ask an admin to run <cmd>
 * first"; cli_remedy_use() writes "use <cmd>" or "ask an admin to run
 * <cmd>". cli_remedy() is the general form: "<verb> <cmd><tail>" or
 * "ask an admin to run <cmd><tail>". Return buf; CLI_REMEDY_MAX holds any
 * command of the table with a short tail. */
const char *cli_remedy(struct mmp_session *ss, const char *verb, const char *cmd,
		       const char *tail, char *buf, size_t size);
const char *cli_remedy_cmd(struct mmp_session *ss, const char *cmd, char *buf, size_t size);
const char *cli_remedy_use(struct mmp_session *ss, const char *cmd, char *buf, size_t size);
#define CLI_REMEDY_MAX 192

/* Parse "NAME:VALUE" words into a subject (guide Table 4). Unknown names,
 * repeated names, empty values and a SAN list split by a blank are usage
 * errors that say what to type instead. */
enum mmp_rc cli_parse_subject(int argc, char **argv, struct pki_subject *subj,
			      struct mmp_err *err);

/* Open the file store and config store of root into a fresh session
 * (role admin, output stdout, hostname from the settings). */
enum mmp_rc cli_session_open(struct mmp_session *ss, const char *root, struct mmp_err *err);
void cli_session_close(struct mmp_session *ss);
/* The logged-in user's role, for the command table (the dispatcher) and
 * the access table (the store) alike: the one way to set it. */
void cli_session_set_role(struct mmp_session *ss, unsigned role);
/* 1 when the session's user (an SSH login) was deleted or has another role
 * since it logged in: its session must end (issue 10). 0 on the console. */
int cli_session_user_gone(struct mmp_session *ss);
/* Read the hostname setting into ss->hostname (the prompt). */
/* Read the node's name into ss->hostname (the prompt); unchanged on error. */
enum mmp_rc cli_load_hostname(struct mmp_session *ss, struct mmp_err *err);

/* Ask a new password with prompt, then again with retype, no echo (in
 * script mode: the next two lines). An empty one, or one shorter than
 * min_len, is refused before it is asked again. 0 with pw filled (the
 * caller wipes it), or 1 after a FAILURE that says nothing was changed
 * (pw wiped). */
int cli_ask_new_password(struct mmp_session *ss, const char *prompt, const char *retype,
			 size_t min_len, char *pw, size_t size);

/* The words of command paths (dispatch.c): how many a path has, and
 * word idx of path (*wstart, *wlen), 1 when it equals w (NULL: never). */
int cli_path_words(const char *path);
int cli_path_word(const char *path, int idx, const char *w, const char **wstart, size_t *wlen);
/* A line that names no command (unknown.c); each prints one FAILURE and
 * returns 1. argv: the words, command words written in full; depth: the
 * word that is unknown or ambiguous. cli_starts_paths: do the n words
 * start a longer command path ("user", "webbridge3 c2w")? */
int cli_fail_unknown(struct mmp_session *ss, char **argv, int depth);
int cli_fail_ambiguous(struct mmp_session *ss, char **argv, int depth);
int cli_starts_paths(char **argv, int n);

/* Output on a terminal (wrap.c): a stream in front of to that breaks
 * lines longer than the terminal's width (asked at each line, so a
 * resized window or an SSH window-change counts) at blanks, the pieces
 * after the first indented by cli_wrap_indent(). NULL when to is not a
 * terminal (then use to itself). fclose() it before to. */
FILE *cli_wrap_open(FILE *to);
/* The column where the pieces after the first of line s (n bytes) begin:
 * after "FAILURE: ", "WARNING: ", "SUCCESS: " (also after "line N: "),
 * else after a " : " in the first 48 columns, else 2 in from the line's
 * own indent. */
size_t cli_wrap_indent(const char *s, size_t n);
/* Write line s (n bytes, no newline) to to, broken to width columns at
 * blanks (a word wider than a line is cut), the pieces after the first
 * indented by cli_wrap_indent() (at most width / 2); no final newline. */
void cli_wrap_line(FILE *to, const char *s, size_t n, int width);

/* The REPL (libedit) and the script runner. Return the exit status. */
int cli_repl(struct mmp_session *ss);
int cli_script(struct mmp_session *ss, FILE *in, int stop_on_error);
/* Run one command given with -c: prompts read stdin as in script mode, or
 * the terminal (no echo for secrets) when stdin is one. */
int cli_script_line(struct mmp_session *ss, const char *line);
/* The terminal prompt of interactive mode (echo off for secrets). */
enum mmp_rc cli_tty_prompt(struct mmp_session *ss, const char *prompt, int secret, char *buf,
			   size_t size);

#endif
