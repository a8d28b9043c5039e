/* cli.c: the conventions every tool shares (exit codes, messages, options). */
#include "cli.h"
#include "mem.h"

#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

void rs_cli_init(const char *prog)
{
	rs_prog = prog;
	opterr = 0;
	signal(SIGPIPE, SIG_IGN);
}

void rs_bad_option(int c, char **argv)
{
	const char *arg = argv[optind - 1];
	char shortopt[3] = {'-', (char)optopt, 0};
	if (optopt && strncmp(arg, "--", 2))
		arg = shortopt;   /* a short option, maybe inside a group like -qx */
	if (c == ':')
		rs_usage_error("option '%s' needs a value", arg);
	rs_usage_error("unknown option '%s'", arg);
}

double rs_opt_double(const char *opt, const char *arg, double lo, double hi)
{
	char *end;
	errno = 0;
	double v = strtod(arg, &end);
	if (end == arg || *end || errno == ERANGE || !isfinite(v))
		rs_usage_error("option %s: '%s' is not a number", opt, arg);
	if (v < lo || v > hi)
		rs_usage_error("option %s: %s is out of range [%g, %g]", opt, arg, lo, hi);
	return v;
}

long rs_opt_long(const char *opt, const char *arg, long lo, long hi)
{
	char *end;
	errno = 0;
	long v = strtol(arg, &end, 10);
	if (end == arg || *end || errno == ERANGE)
		rs_usage_error("option %s: '%s' is not an integer", opt, arg);
	if (v < lo || v > hi)
		rs_usage_error("option %s: %s is out of range [%ld, %ld]", opt, arg, lo, hi);
	return v;
}

int rs_opt_ints(const char *opt, const char *arg, int lo, int hi, int *out, int max)
{
	int n = 0;
	for (const char *p = arg;; p++) {
		char *end;
		errno = 0;
		long v = strtol(p, &end, 10);
		if (end == p || (*end && *end != ',') || errno == ERANGE)
			rs_usage_error("option %s: '%s' is not a comma-separated list of integers", opt, arg);
		if (v < lo || v > hi)
			rs_usage_error("option %s: %ld is out of range [%d, %d]", opt, v, lo, hi);
		if (n == max)
			rs_usage_error("option %s: more than %d values", opt, max);
		out[n++] = (int)v;
		if (!*end)
			return n;
		p = end;
	}
}

int rs_opt_enum(const char *opt, const char *arg, const char *const *names, int n)
{
	for (int i = 0; i < n; i++)
		if (!strcmp(arg, names[i]))
			return i;
	char list[256] = "";
	for (int i = 0; i < n; i++)
		snprintf(list + strlen(list), sizeof list - strlen(list), "%s%s", i ? ", " : "", names[i]);
	rs_usage_error("option %s: '%s' is not one of %s", opt, arg, list);
}

void rs_check_side_options(int need_users, int need_items, const char *users, const char *items)
{
	if (need_users && !users)
		rs_usage_error("the model uses user side features: give --users u.user");
	if (need_items && !items)
		rs_usage_error("the model uses item side features: give --items u.item");
	if (!need_users && users)
		rs_usage_error("option --users: the model has no user side features");
	if (!need_items && items)
		rs_usage_error("option --items: the model has no item side features");
}

void rs_print_version(void)
{
	printf("%s (rspipe) %s\n", rs_prog, RS_VERSION);
	rs_close_stdout();
	exit(0);
}

void rs_refuse_tty(int fd, const char *what)
{
	if (isatty(fd))
		rs_usage_error("refusing to write %s to a terminal; redirect it to a file or a pipe", what);
}

void rs_check_stdout(void)
{
	if (ferror(stdout)) {
		if (errno == EPIPE)
			rs_exit_closed_pipe();
		rs_die("writing output failed: %s", strerror(errno));
	}
}

void rs_close_stdout(void)
{
	errno = 0;
	int bad = fflush(stdout) != 0 || ferror(stdout);
	int e = errno;
	if (fclose(stdout) != 0 && !bad) {
		bad = 1;
		e = errno;
	}
	if (bad) {
		if (e == EPIPE)
			rs_exit_closed_pipe();
		rs_die("writing output failed: %s", strerror(e));
	}
}

char *rs_join_argv(int argc, char **argv)
{
	size_t n = 1;
	for (int i = 0; i < argc; i++)
		n += strlen(argv[i]) + 1;
	char *s = rs_malloc(n), *p = s;
	for (int i = 0; i < argc; i++) {
		const char *a = argv[i];
		if (i == 0 && strrchr(a, '/'))
			a = strrchr(a, '/') + 1;   /* history names the tool, not where it lives */
		p += sprintf(p, "%s%s", i ? " " : "", a);
	}
	*p = 0;
	return s;
}
