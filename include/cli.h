/* cli.h: conventions shared by every rspipe tool.
 * Exit codes: 0 success, 1 runtime or data error, 2 usage error.
 * Messages: "tool: input:record: message" on stderr, one line. */
#ifndef RS_CLI_H
#define RS_CLI_H

#include <stdio.h>
#include <stdnoreturn.h>

#include "diag.h"

#define RS_VERSION "0.1.0"

/* Name the tool; SIGPIPE is ignored so that a closed pipe shows up as EPIPE
 * where the tool writes, which ends it with SIGPIPE's status all the same
 * (rs_exit_closed_pipe), once any temp file is gone. */
void rs_cli_init(const char *prog);

/* The one diagnostic for what getopt_long returned as ':' (a missing
 * value; optstrings start with ':') or '?' (an unknown option): getopt's
 * own messages are off (rs_cli_init sets opterr to 0). */
noreturn void rs_bad_option(int c, char **argv);

/* Option values: the whole argument must parse and lie in [lo, hi], else a
 * usage error naming the option and the range. */
double rs_opt_double(const char *opt, const char *arg, double lo, double hi);
long rs_opt_long(const char *opt, const char *arg, long lo, long hi);
/* A comma-separated list of at most max such integers, into out; returns
 * how many. */
int rs_opt_ints(const char *opt, const char *arg, int lo, int hi, int *out, int max);
/* The index of arg among names[0..n), else a usage error listing them. */
int rs_opt_enum(const char *opt, const char *arg, const char *const *names, int n);

/* The side-file options of the scoring tools (-u/--users, -i/--items)
 * against what the model's fields are built from: a usage error when one
 * is needed and missing, or given and unused. */
void rs_check_side_options(int need_users, int need_items, const char *users, const char *items);

noreturn void rs_print_version(void);
/* Binary output never goes to a terminal (like gzip). */
void rs_refuse_tty(int fd, const char *what);
/* Flush and close stdout for text tools; a write error is a runtime error,
 * a closed pipe SIGPIPE's quiet end. */
void rs_close_stdout(void);
/* Check stdout after a record: stop quietly if the reader went away. */
void rs_check_stdout(void);

/* argv joined by spaces, for the stream's history (malloc'd). */
char *rs_join_argv(int argc, char **argv);

#endif
