/* opts.h: a tool's command line from one table: getopt_long's options and
 * optstring, --help's rows, and the rows every tool shares (-q, --quiet;
 * -h, --help; --version), which rs_getopt_next answers itself. */
#ifndef RS_OPTS_H
#define RS_OPTS_H

typedef struct rs_opt {
	const char *name;        /* --name */
	int key;                 /* what rs_getopt_next returns for it */
	int has_short;           /* key is also the short option -key */
	const char *meta;        /* its argument in --help; NULL for a flag */
	const char *help;        /* one paragraph, wrapped by --help */
} rs_opt;

/* -k, --name META (short and long) or --name META (long only, any key) */
#define RS_OPT(key, name, meta, help) {name, key, 1, meta, help}
#define RS_LONG(key, name, meta, help) {name, key, 0, meta, help}

/* The rows of the tools that score a model: which trainers write one, and
 * the side files of a model trained with side features. */
#define RS_OPT_MODEL RS_OPT('m', "model", "FILE", "a model written by mf-train, fm-train, deepfm-train or als-train")
#define RS_OPT_USERS RS_OPT('u', "users", "FILE", "u.user, for models trained with user side features")
#define RS_OPT_ITEMS RS_OPT('i', "items", "FILE", "u.item, for models trained with item side features")
/* How the tools that take new users (--liked) fold them in (foldin.h). */
#define RS_OPT_FOLDIN RS_LONG('G', "fold-in", "HOW", "how a model of ids (ALS, MF, FM) takes a new user: mean (default), the mean of the named items' vectors; fit, their row solved exactly against the item factors for ALS (Hu et al.'s solve), fitted by 20 Adam steps on the softmax of the named items for MF and FM; a model of previous items takes them as its history either way, and a model with user side fields takes the user's from --users when the file has their id")

typedef struct rs_tool {
	const char *name;
	const char *usage;       /* after "Usage: NAME "; a '\n' starts an "or:" line */
	const char *summary;     /* one line, help's first after the usage and the
				    man page's NAME: what the tool is for */
	const char *about;       /* what the tool does, as printed */
	const rs_opt *opts;      /* ends with {0} */
	const char *quiet;       /* -q's help (NULL: "no summary line on stderr") */
	const char *examples;    /* one command a line */
} rs_tool;

/* Options one at a time, as getopt_long returns them: -q sets rs_quiet,
 * --help and --version print and exit 0, a bad option is a usage error;
 * -1 at the end, with optind at the first operand. */
typedef struct rs_getopt {
	const rs_tool *tool;
	int argc;
	char **argv;
} rs_getopt;
void rs_getopt_init(rs_getopt *g, const rs_tool *t, int argc, char **argv);
int rs_getopt_next(rs_getopt *g);

/* One row of --help: "  LEFT" then HELP wrapped at 79 columns under
 * column 25 (the trainers' table-made rows print with it too). */
void rs_help_row(const char *left, const char *help);
/* A paragraph reflowed at 79 columns (its newlines are spaces). */
void rs_help_para(const char *text);
/* The rows of -q (with that help), -h and --version. */
void rs_help_common(const char *quiet);

#endif
