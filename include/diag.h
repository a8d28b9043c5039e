/* diag.h: how every tool speaks on stderr and dies: one line, "tool:
 * input:record: message", and exit 1 (a data or runtime error) or 2 (a
 * usage error). Depends on nothing else of the library. */
#ifndef RS_DIAG_H
#define RS_DIAG_H

#include <stdnoreturn.h>

extern const char *rs_prog;   /* the tool's name, set by rs_cli_init */
extern int rs_quiet;          /* -q: no summary line */

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
/* The reader of stdout went away (EPIPE): end as SIGPIPE would have ended
 * the process (status 141 in a shell), quietly, as `yes | head` does. */
noreturn void rs_exit_closed_pipe(void);
/* A line about the data that the user must see, -q or not. */
void rs_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* The summary line at the end of a run; silenced by -q. */
void rs_summary(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Print to stderr, as a progress line that redraws itself on a terminal. */
int rs_stderr_is_tty(void);

#endif
