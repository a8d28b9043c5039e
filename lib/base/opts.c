/* opts.c: the command line of a tool from its table (opts.h). */
#include "opts.h"
#include "cli.h"

#include <getopt.h>
#include <stdnoreturn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { KEY_VERSION = -2, MAX_OPTS = 48, HELP_COL = 25, WIDTH = 79 };

void rs_help_row(const char *left, const char *help)
{
	int col = printf("  %s", left);
	if (col >= HELP_COL - 1) {   /* a long left side: the help on the next line */
		putchar('\n');
		col = 0;
	}
	printf("%*s", HELP_COL - 1 - col, "");
	col = HELP_COL - 1;
	for (const char *w = help; *w;) {
		size_t len = strcspn(w, " ");
		if (col + 1 + (int)len > WIDTH && col > HELP_COL - 1) {
			printf("\n%*s", HELP_COL - 1, "");
			col = HELP_COL - 1;
		}
		printf(" %.*s", (int)len, w);
		col += 1 + (int)len;
		w += len;
		w += strspn(w, " ");
	}
	putchar('\n');
}

void rs_help_para(const char *text)
{
	int col = 0;
	for (const char *w = text + strspn(text, " \n"); *w;) {
		size_t len = strcspn(w, " \n");
		if (col && col + 1 + (int)len > WIDTH) {
			putchar('\n');
			col = 0;
		}
		col += printf("%s%.*s", col ? " " : "", (int)len, w);
		w += len;
		w += strspn(w, " \n");
	}
	putchar('\n');
}

void rs_help_common(const char *quiet)
{
	rs_help_row("-q, --quiet", quiet ? quiet : "no summary line on stderr");
	rs_help_row("-h, --help", "this help");
	rs_help_row("    --version", "version");
}

static noreturn void usage(const rs_tool *t)
{
	const char *u = t->usage;
	for (int first = 1; first || *u; first = 0) {
		size_t len = strcspn(u, "\n");
		printf("%s %s %.*s\n", first ? "Usage:" : "  or: ", t->name, (int)len, u);
		u += len + (u[len] == '\n');
	}
	printf("%s: %s.\n\n", t->name, t->summary);
	rs_help_para(t->about);
	putchar('\n');
	for (const rs_opt *o = t->opts; o->name; o++) {
		char left[64];
		if (o->has_short)
			snprintf(left, sizeof left, "-%c, ", o->key);
		else
			snprintf(left, sizeof left, "    ");
		snprintf(left + 4, sizeof left - 4, "--%s%s%s", o->name, o->meta ? " " : "",
			 o->meta ? o->meta : "");
		rs_help_row(left, o->help);
	}
	rs_help_common(t->quiet);
	printf("\nExample%s:\n", strchr(t->examples, '\n') ? "s" : "");
	for (const char *e = t->examples; *e;) {
		size_t len = strcspn(e, "\n");
		printf("  %.*s\n", (int)len, e);
		e += len + (e[len] == '\n');
	}
	rs_close_stdout();
	exit(0);
}

void rs_getopt_init(rs_getopt *g, const rs_tool *t, int argc, char **argv)
{
	g->tool = t;
	g->argc = argc;
	g->argv = argv;
}

int rs_getopt_next(rs_getopt *g)
{
	const rs_tool *t = g->tool;
	struct option opts[MAX_OPTS + 4];
	char shorts[3 * MAX_OPTS + 8] = ":qh";
	size_t n = 0, s = strlen(shorts);
	for (const rs_opt *o = t->opts; o->name; o++) {
		if (n == MAX_OPTS)
			abort();   /* a table this long is a bug */
		opts[n++] = (struct option){o->name, o->meta ? required_argument : no_argument, 0, o->key};
		if (o->has_short) {
			shorts[s++] = (char)o->key;
			if (o->meta)
				shorts[s++] = ':';
		}
	}
	shorts[s] = 0;
	opts[n++] = (struct option){"quiet", no_argument, 0, 'q'};
	opts[n++] = (struct option){"help", no_argument, 0, 'h'};
	opts[n++] = (struct option){"version", no_argument, 0, KEY_VERSION};
	opts[n] = (struct option){0, 0, 0, 0};
	for (;;) {
		int c = getopt_long(g->argc, g->argv, shorts, opts, NULL);
		switch (c) {
		case 'q': rs_quiet = 1; continue;
		case 'h': usage(t);
		case KEY_VERSION: rs_print_version();
		case ':':
		case '?': rs_bad_option(c, g->argv);
		default: return c;
		}
	}
}
