/* rs-predict: the score a model gives to user/item pairs read as text. */
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "compute.h"
#include "dsv.h"
#include "model.h"
#include "scorer.h"

static void usage(void)
{
	printf("Usage: rs-predict -m MODEL [OPTION]...\n"
	       "Read 'user item' pairs of raw MovieLens ids on stdin (tab- or space-\n"
	       "separated, one pair a line) and print 'user<TAB>item<TAB>score': the\n"
	       "predicted rating, or the click probability.\n\n"
	       "  -m, --model FILE   a model written by mf-train, fm-train or deepfm-train\n"
	       "  -u, --users FILE   u.user, for models trained with user side features\n"
	       "  -i, --items FILE   u.item, for models trained with item side features\n"
	       "      --cold         score an id the model never saw from the other side\n"
	       "                     alone (biases only for MF; the known features for FM\n"
	       "                     and DeepFM) instead of refusing it\n"
	       "  -h, --help         this help\n"
	       "      --version      version\n\n"
	       "Example:\n"
	       "  printf '196\\t242\\n' | rs-predict -m mf.bin\n");
	rs_close_stdout();
	exit(0);
}

typedef struct ctx {
	rs_scorer s;
	int cold;
	int64_t *raw;        /* (2 * cap) the pairs of the batch as read */
	size_t cap;
} ctx;

static void flush(ctx *c)
{
	const float *score = rs_scorer_run(&c->s);
	for (size_t i = 0; i < c->s.d.n; i++)
		printf("%lld\t%lld\t%.6g\n", (long long)c->raw[2 * i], (long long)c->raw[2 * i + 1],
		       score[i]);
	rs_check_stdout();
	rs_scorer_clear(&c->s);
}

static uint32_t lookup(ctx *c, const rs_idmap *ids, const char *field, const char *what,
		       unsigned long line, int64_t *raw)
{
	char *end;
	errno = 0;
	long long v = strtoll(field, &end, 10);
	if (end == field || *end || errno || v < 0)
		rs_die("stdin:%lu: %s id '%s' is not a non-negative integer", line, what, field);
	*raw = v;
	uint32_t d = rs_idmap_find(ids, v);
	if (d == UINT32_MAX && !c->cold)
		rs_die("stdin:%lu: %s %lld is not in the model (--cold scores it from the other side alone)",
		       line, what, v);
	return d == UINT32_MAX ? RS_NONE : d;
}

static int on_pair(void *p, char **f, int n, unsigned long line)
{
	ctx *c = p;
	if (n != 2)
		rs_die("stdin:%lu: expected 2 fields (user, item), found %d", line, n);
	size_t i = c->s.d.n;
	if (i == c->cap) {
		c->cap = c->cap ? 2 * c->cap : 4096;
		c->raw = realloc(c->raw, 2 * c->cap * sizeof *c->raw);
		if (!c->raw)
			rs_die("out of memory");
	}
	uint32_t u = lookup(c, &c->s.users, f[0], "user", line, &c->raw[2 * i]);
	uint32_t it = lookup(c, &c->s.items, f[1], "item", line, &c->raw[2 * i + 1]);
	rs_scorer_add(&c->s, u, it);
	if (c->s.d.n == 4096)
		flush(c);
	return 0;
}

int main(int argc, char **argv)
{
	rs_cli_init("rs-predict");
	rs_compute_init();
	static const struct option opts[] = {
		{"model", required_argument, 0, 'm'},
		{"users", required_argument, 0, 'u'},
		{"items", required_argument, 0, 'i'},
		{"cold", no_argument, 0, 'C'},
		{"help", no_argument, 0, 'h'},
		{"version", no_argument, 0, 'V'},
		{0, 0, 0, 0},
	};
	const char *mp = NULL, *users = NULL, *items = NULL;
	ctx c = {0};
	int opt;
	while ((opt = getopt_long(argc, argv, "m:u:i:h", opts, NULL)) != -1) {
		switch (opt) {
		case 'm': mp = optarg; break;
		case 'u': users = optarg; break;
		case 'i': items = optarg; break;
		case 'C': c.cold = 1; break;
		case 'h': usage(); break;
		case 'V': rs_print_version(); break;
		default: rs_usage_error("unknown option");
		}
	}
	if (!mp)
		rs_usage_error("a model is needed (-m MODEL)");
	if (optind < argc)
		rs_usage_error("unexpected operand '%s' (pairs come on stdin)", argv[optind]);
	rs_model m;
	rs_model_load(&m, mp);
	int need = rs_onehot_side_needed(&m.hdr);
	rs_check_side_options(need & RS_NEED_USERS, need & RS_NEED_ITEMS, users, items);
	rs_scorer_init(&c.s, &m, users, items);
	char *first = NULL;
	size_t cap = 0;
	if (getline(&first, &cap, stdin) > 0) {
		rs_dsv_read(stdin, "stdin", strchr(first, '\t') ? '\t' : ' ', first, on_pair, &c);
		flush(&c);
	}
	free(first);
	free(c.raw);
	rs_scorer_free(&c.s);
	rs_model_free(&m);
	rs_close_stdout();
	return 0;
}
