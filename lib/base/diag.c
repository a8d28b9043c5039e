/* diag.c: the one-line diagnostics, the fatal exit and its cleanups. Below
 * every other module, the allocator included, so that anything may die. */
#include "diag.h"

#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

const char *rs_prog = "rspipe";
int rs_quiet = 0;

static void vsay(const char *fmt, va_list ap)
{
	fprintf(stderr, "%s: ", rs_prog);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

static rs_die_handler die_handler;

void rs_set_die_handler(rs_die_handler h)
{
	die_handler = h;
}

static struct {
	void (*fn)(void *);
	void *arg;
} cleanups[16];
static int ncleanups;

void rs_cleanup_push(void (*fn)(void *), void *arg)
{
	if (ncleanups == (int)(sizeof cleanups / sizeof *cleanups))
		abort();   /* nesting this deep is a bug */
	cleanups[ncleanups].fn = fn;
	cleanups[ncleanups++].arg = arg;
}

void rs_cleanup_pop(void)
{
	ncleanups--;
}

/* Messages quote input (ids, fields of a line), which may hold a newline
 * or any other byte: control characters print escaped, so a message is
 * always one line. */
static void escape(char *out, size_t len, const char *in)
{
	size_t o = 0;
	for (; *in && o + 5 < len; in++) {
		unsigned char c = (unsigned char)*in;
		if (c >= 0x20 && c != 0x7f)
			out[o++] = (char)c;
		else
			o += (size_t)snprintf(out + o, len - o, "\\x%02x", c);
	}
	out[o] = 0;
}

static noreturn void vdie(int code, const char *fmt, va_list ap)
{
	char raw[1024], msg[1024];
	vsnprintf(raw, sizeof raw, fmt, ap);
	escape(msg, sizeof msg, raw);
	/* also before exit: a gzip input's FILE is libc's, where LeakSanitizer
	 * does not look, so what zlib holds for it would read as leaked */
	while (ncleanups > 0) {
		ncleanups--;
		cleanups[ncleanups].fn(cleanups[ncleanups].arg);
	}
	if (die_handler)
		die_handler(code, msg);
	fprintf(stderr, "%s: %s\n", rs_prog, msg);
	if (code == 2)
		fprintf(stderr, "Try '%s --help' for more information.\n", rs_prog);
	exit(code);
}

void rs_die(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vdie(1, fmt, ap);
}

void rs_usage_error(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vdie(2, fmt, ap);
}

void rs_exit_closed_pipe(void)
{
	signal(SIGPIPE, SIG_DFL);
	sigset_t s;
	sigemptyset(&s);
	sigaddset(&s, SIGPIPE);
	sigprocmask(SIG_UNBLOCK, &s, NULL);
	raise(SIGPIPE);
	_exit(128 + SIGPIPE);   /* not reached */
}

void rs_warn(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsay(fmt, ap);
	va_end(ap);
}

void rs_summary(const char *fmt, ...)
{
	if (rs_quiet)
		return;
	va_list ap;
	va_start(ap, fmt);
	vsay(fmt, ap);
	va_end(ap);
}

int rs_stderr_is_tty(void)
{
	return isatty(STDERR_FILENO);
}

