/* cli.h: conventions shared by every rspipe tool.
 * Exit codes: 0 success, 1 runtime or data error, 2 usage error.
 * Messages: "tool: input:record: message" on stderr, one line. */
#ifndef RS_CLI_H
#define RS_CLI_H

#include <stdio.h>
#include <stdnoreturn.h>

#define RS_VERSION "0.1.0"

extern const char *rs_prog;   /* the tool's name, set by rs_cli_init */
extern int rs_quiet;          /* -q: no summary line */

/* Name the tool; SIGPIPE is ignored so that a closed pipe shows up as EPIPE,
 * which every writer turns into a quiet exit 0. */
void rs_cli_init(const char *prog);

noreturn void rs_die(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
noreturn void rs_usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Where rs_die and rs_usage_error go instead of printing and exiting: a
 * handler that must not return (it longjmps), given the exit code and the
 * message without the tool's name. Unit tests and fuzz harnesses catch the
 * library's errors this way; NULL restores printing and exiting. */
typedef void (*rs_die_handler)(int code, const char *msg);
void rs_set_die_handler(rs_die_handler h);
/* What a caught error must release: a function holding memory across calls
 * that may die pushes its cleanup and pops it when done; rs_die runs the
 * pushed cleanups, newest first, before a handler or the exit. */
void rs_cleanup_push(void (*fn)(void *), void *arg);
void rs_cleanup_pop(void);
/* A line about the data that the user must see, -q or not. */
void rs_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* The summary line at the end of a run; silenced by -q. */
void rs_summary(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Print to stderr, as a progress line that redraws itself on a terminal. */
int rs_stderr_is_tty(void);

/* The one diagnostic for what getopt_long returned as ':' (a missing
 * value; optstrings start with ':') or '?' (an unknown option): getopt's
 * own messages are off (rs_cli_init sets opterr to 0). */
noreturn void rs_bad_option(int c, char **argv);

/* Option values: the whole argument must parse and lie in [lo, hi], else a
 * usage error naming the option and the range. */
double rs_opt_double(const char *opt, const char *arg, double lo, double hi);
long rs_opt_long(const char *opt, const char *arg, long lo, long hi);

/* The side-file options of the scoring tools (-u/--users, -i/--items)
 * against what the model's fields are built from: a usage error when one
 * is needed and missing, or given and unused. */
void rs_check_side_options(int need_users, int need_items, const char *users, const char *items);

void rs_print_version(void);
/* Binary output never goes to a terminal (like gzip). */
void rs_refuse_tty(int fd, const char *what);
/* Flush and close stdout for text tools; a write error is a runtime error,
 * a closed pipe a quiet success. */
void rs_close_stdout(void);
/* Check stdout after a record: stop quietly if the reader went away. */
void rs_check_stdout(void);

/* argv joined by spaces, for the stream's history (malloc'd). */
char *rs_join_argv(int argc, char **argv);

#endif
