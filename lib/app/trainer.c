/* trainer.c: options, input, training and output of every trainer. The
 * hyperparameters' options come from the table in hparams.c. */
#include "trainer.h"
#include "cli.h"
#include "input.h"
#include "compute.h"
#include "dataset.h"
#include "dist.h"
#include "fit.h"
#include "mcmc.h"
#include "modelfile.h"
#include "mem.h"
#include "opts.h"
#include "parallel.h"
#include "stream.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* getopt values: a row's option is ROW + its index, a flag's --no- form NO + index */
enum { OPT_LOG = 1000, OPT_PRESET, OPT_VERSION, OPT_THREADS, OPT_METHOD, ROW = 2000, NO = 3000 };

static const struct option fixed[] = {
	{"log", required_argument, 0, OPT_LOG},
	{"preset", required_argument, 0, OPT_PRESET},
	{"threads", required_argument, 0, OPT_THREADS},
	{"method", required_argument, 0, OPT_METHOD},
	{"output", required_argument, 0, 'o'},
	{"quiet", no_argument, 0, 'q'},
	{"help", no_argument, 0, 'h'},
	{"version", no_argument, 0, OPT_VERSION},
};
#define NFIXED (int)(sizeof fixed / sizeof *fixed)

/* The fixed options, then one per row (two for a flag): a row that does
 * not apply to the model is an option it refuses by name. Kept in a static
 * until freed, so a usage error's exit leaves nothing unreachable. */
static struct option *options;

static struct option *options_for(void)
{
	struct option *o = rs_calloc((size_t)NFIXED + 2 * (size_t)rs_nhparams + 1, sizeof *o);
	int n = 0;
	for (int i = 0; i < NFIXED; i++)
		o[n++] = fixed[i];
	for (int i = 0; i < rs_nhparams; i++) {
		const rs_hparam *r = &rs_hparam_table[i];
		int flag = r->type == RS_HP_FLAG;
		o[n++] = (struct option){r->name, flag ? no_argument : required_argument, 0, ROW + i};
		if (flag) {
			char *no = rs_malloc(strlen(r->name) + 4);
			sprintf(no, "no-%s", r->name);
			o[n++] = (struct option){no, no_argument, 0, NO + i};
		}
	}
	return options = o;
}

static void free_options(void)
{
	for (int i = NFIXED; options[i].name; i++)
		if (options[i].val >= NO)
			free((char *)options[i].name);
	free(options);
	options = NULL;
}

/* What a preset's rules depend on, once the stream is read */
typedef struct preset_shape {
	uint32_t items;
	size_t records;
} preset_shape;

static int rule_meets(const rs_preset_rule *r, const preset_shape *s)
{
	return s && r->options && (!r->items || s->items > r->items) &&
	       (!r->events || s->records >= (size_t)r->events * s->items);
}

/* A preset's options, then those of each rule the shape meets (none for
 * NULL): each string is options over the ones before, so a preset's is
 * whole. */
static const char *preset_options(const rs_preset *p, const preset_shape *s, char *buf, size_t len)
{
	size_t at = (size_t)snprintf(buf, len, "%s", p->options);
	for (int i = 0; i < RS_PRESET_RULES && p->rules[i].options; i++)
		if (rule_meets(&p->rules[i], s) && at < len)
			at += (size_t)snprintf(buf + at, len - at, " %s", p->rules[i].options);
	if (at >= len)
		rs_die("preset %s: its options pass %zu bytes", p->name, len - 1);
	return buf;
}

static void describe(const char *options, unsigned caps)
{
	rs_hparams hp;
	char buf[1024];
	rs_hparams_from(&hp, caps, options);
	rs_hparams_describe(&hp, caps, buf, sizeof buf);
	printf("  %s\n", buf);
}

/* Is the model its defaults fit the same for any --threads (fit.h)? Then
 * every core is the default. */
static int any_threads(const rs_trainer *t)
{
	rs_hparams hp;
	rs_hparams_from(&hp, t->ops->caps, t->defaults);
	const rs_fit_method *method = rs_fit_method_for(t->ops, &hp);
	return method && (method->flags & RS_FIT_ANY_THREADS);
}

static void usage(const rs_trainer *t)
{
	unsigned caps = t->ops->caps;
	printf("Usage: %s [OPTION]... [FILE]\n", t->tool);
	printf("%s: %s.\n\n", t->tool, t->summary);
	rs_help_para(t->about);
	putchar('\n');
	rs_help_row("-o, --output FILE", "write the model to FILE atomically (default stdout); a device or a FIFO is written in place, and FILE may not be the input");
	rs_help_row("    --log FILE", "per-epoch metrics as TSV");
	char text[160];
	if (t->mcmc) {
		snprintf(text, sizeof text, "sgd (below), or mcmc: Gibbs sampling of a Bayesian model ('%s --method mcmc --help')", t->tool);
		rs_help_row("    --method M", text);
	}
	if (t->npresets)
		rs_help_row("    --preset NAME", "start from a named configuration (below); later options override it");
	rs_hparams dhp;
	rs_hparams_from(&dhp, caps, t->defaults);
	const rs_fit_method *dm = rs_fit_method_for(t->ops, &dhp);
	if (dm && dm->threads_help) {
		rs_help_row("    --threads N", dm->threads_help);
	} else if (any_threads(t)) {
		snprintf(text, sizeof text, "worker threads (default: every core, here %d); the model is the same for any N", rs_ncores());
		rs_help_row("    --threads N", text);
	} else {
		rs_help_row("    --threads N", "threads (default 1), each training a copy of the parameters on an N-th of every epoch's records, the copies averaged when it ends: the same model for the same N; under a ranking loss the threads share the parameters (Hogwild-style): the same model for the same seed on one thread only");
	}
	for (int i = 0; i < rs_nhparams; i++) {
		const rs_hparam *r = &rs_hparam_table[i];
		if (!rs_hparam_applies(r, caps))
			continue;
		char opt[64];
		snprintf(opt, sizeof opt, "    --%s%s%s", r->name, r->meta ? " " : "", r->meta ? r->meta : "");
		rs_help_row(opt, r->help);
	}
	rs_help_common("no per-epoch lines or summary on stderr");
	putchar('\n');
	printf("Defaults:\n");
	describe(t->defaults, caps);
	if (t->bpr_defaults) {
		printf("Defaults under --loss bpr:\n");
		describe(t->bpr_defaults, caps);
	}
	if (t->adagrad_defaults) {
		printf("Defaults under --optimizer adagrad:\n");
		describe(t->adagrad_defaults, caps);
	}
	for (int i = 0; i < t->npresets; i++) {
		const rs_preset *p = &t->presets[i];
		printf("Preset %s: %s\n", p->name, p->about);
		describe(p->options, caps);
		/* the smallest shape past each rule's thresholds, and past each
		 * two rules' together, once each */
		preset_shape seen[RS_PRESET_RULES * RS_PRESET_RULES];
		int nseen = 0;
		for (int a = 0; a < RS_PRESET_RULES && p->rules[a].options; a++)
			for (int b = a; b < RS_PRESET_RULES && p->rules[b].options; b++) {
				const rs_preset_rule *ra = &p->rules[a], *rb = &p->rules[b];
				uint32_t items = ra->items > rb->items ? ra->items : rb->items;
				uint32_t events = ra->events > rb->events ? ra->events : rb->events;
				preset_shape sh = {items + 1, (size_t)events * (items + 1)};
				int dup = 0;
				for (int j = 0; j < nseen; j++)
					dup |= seen[j].items == sh.items && seen[j].records == sh.records;
				if (dup)
					continue;
				seen[nseen++] = sh;
				printf("Preset %s", p->name);
				if (items)
					printf(" over %u items", items);
				if (events)
					printf("%son at least %u records an item", items ? " and " : " ", events);
				printf(":\n");
				char opts[1024];
				describe(preset_options(p, &sh, opts, sizeof opts), caps);
			}
	}
	printf("\nExample:\n  %s\n", t->example);
	rs_close_stdout();
	exit(0);
}

/* The hyperparameters: the defaults of the loss asked for, the preset
 * (with its rules for the stream's shape, or none before it is read),
 * then the command line's options, which also set the run's. */
static void hparams_of(rs_hparams *hp, const rs_trainer *t, const char *defaults, const rs_preset *p,
		       const preset_shape *shape, int argc, char **argv, const struct option *opts,
		       rs_train_opts *to, const char **output)
{
	unsigned caps = t->ops->caps;
	char opts_of[1024];
	rs_hparams_from(hp, caps, p ? preset_options(p, shape, opts_of, sizeof opts_of)
			    : defaults);
	optind = 0;
	int c;
	while ((c = getopt_long(argc, argv, ":o:qh", opts, NULL)) != -1) {
		int row = c >= NO ? c - NO : c >= ROW ? c - ROW : -1;
		if (row >= 0) {
			const rs_hparam *r = &rs_hparam_table[row];
			if (!rs_hparam_applies(r, caps))
				rs_usage_error("option --%s does not apply to %s", r->name, t->tool);
			rs_hparam_set(hp, r, c >= NO ? "0" : optarg);
			continue;
		}
		switch (c) {
		case OPT_LOG: to->log_path = optarg; break;
		case OPT_PRESET: break;
		case OPT_METHOD: break;
		case OPT_THREADS:
			to->threads = (int)rs_opt_long("--threads", optarg, 1, 256);
			break;
		case 'o': *output = optarg; break;
		case 'q': rs_quiet = to->quiet = 1; break;
		case 'h': usage(t); break;
		case OPT_VERSION: rs_print_version(); break;
		default: rs_bad_option(c, argv);
		}
	}
}

int rs_trainer_main(const rs_trainer *t, int argc, char **argv)
{
	rs_cli_init(t->tool);
	rs_compute_init();
	rs_dist_init();
	struct option *opts = options_for();
	rs_hparams hp;
	/* the method (which picks the model kind), the defaults of the loss
	 * or optimizer asked for (the last --loss, --optimizer wins), then the preset, whatever their
	 * positions, so that options override them */
	int c, bpr = 0, adagrad = 0;
	const char *preset = NULL, *method = NULL;
	while ((c = getopt_long(argc, argv, ":o:qh", opts, NULL)) != -1) {
		if (c == OPT_PRESET)
			preset = optarg;
		else if (c == OPT_METHOD)
			method = optarg;
		else if (c >= ROW && c < NO && !strcmp(rs_hparam_table[c - ROW].name, "loss"))
			bpr = strcmp(optarg, "pointwise") != 0;
		else if (c >= ROW && c < NO && !strcmp(rs_hparam_table[c - ROW].name, "optimizer"))
			adagrad = !strcmp(optarg, "adagrad");
	}
	if (method && !t->mcmc)
		rs_usage_error("option --method does not apply to %s", t->tool);
	if (method && !strcmp(method, "mcmc"))
		t = t->mcmc;
	else if (method && strcmp(method, "sgd"))
		rs_usage_error("option --method: '%s' is neither sgd nor mcmc", method);
	const rs_preset *p = NULL;
	if (preset) {
		int i = 0;
		while (i < t->npresets && strcmp(t->presets[i].name, preset))
			i++;
		if (i == t->npresets)
			rs_usage_error("option --preset: unknown preset '%s'", preset);
		p = &t->presets[i];
	}
	const char *output = NULL;
	/* threads that change the model are asked for */
	rs_train_opts to = {.threads = any_threads(t) ? rs_ncores() : 1};
	/* the defaults of the loss asked for, else of the optimizer */
	const char *defaults = bpr && t->bpr_defaults ? t->bpr_defaults
			     : adagrad && t->adagrad_defaults ? t->adagrad_defaults : t->defaults;
	hparams_of(&hp, t, defaults, p, NULL, argc, argv, opts, &to, &output);
	if (argc - optind > 1)
		rs_usage_error("unexpected operand '%s' (one input file at most)", argv[optind + 1]);
	const char *input = optind < argc ? argv[optind] : NULL;
	if (hp.early_stop && hp.valid_ratio == 0)
		rs_usage_error("--early-stop needs a validation set (--valid-ratio)");
	const rs_fit_method *fit = rs_fit_method_for(t->ops, &hp);
	if (!fit && hp.optimizer == RS_ADAGRAD)
		rs_usage_error("--optimizer adagrad is the fused solver of mf-train's, fm-train's and ffm-train's pointwise loss");
	if (!fit)
		rs_usage_error("no way to train a %s model with --loss %s", t->ops->kind, rs_loss_names[hp.loss]);
	if (t->ops->caps & RS_CAP_MCMC)
		rs_mcmc_check_options(&hp);
	if (rs_dist_size() > 1 && !(fit->flags & RS_FIT_MPI))
		rs_usage_error("%s%s trains in one process (mpirun trains the shared loop's models)",
			       t->tool, t->ops->caps & RS_CAP_MCMC ? " --method mcmc" : "");
	/* both outputs opened before any input is read: a path that cannot be
	 * written fails at once, not after the training; under mpirun rank 0
	 * writes them */
	int writer = rs_dist_rank() == 0;
	int fd = rs_is_stdin(input) ? rs_dist_stdin() : rs_operand_open(input);
	if (writer) {
		rs_out_not_input(output, "-o", fd, rs_operand_name(input));
		rs_out_not_input(to.log_path, "--log", fd, rs_operand_name(input));
	}
	rs_out out;
	if (writer)
		rs_out_open(&out, output);
	if (writer && to.log_path && !(to.log = fopen(to.log_path, "w")))
		rs_die("%s: %s", to.log_path, strerror(errno));
	if (!writer)
		rs_quiet = to.quiet = 1;

	rs_reader in;
	if (rs_reader_open(&in, fd, rs_operand_name(input)))
		rs_die("%s", in.err);
	if (t->ratings_only && !strcmp(in.hdr.target, RS_TARGET_CLICK))
		rs_die("%s:header: the stream's target is 'click'; %s fits ratings (leave out ml-ctr)",
		       in.name, t->tool);
	/* an event log has positives only: a model that fits a target learns a
	 * constant from it */
	int ranks = (t->ops->caps & (RS_CAP_ALS | RS_CAP_ATTN)) || ((t->ops->caps & RS_CAP_SGD) && rs_loss_ranks(hp.loss));
	if (rs_header_implicit(&in.hdr) && !ranks)
		rs_die("%s:header: the stream is an event log without ratings (every record a positive); "
		       "train a ranking model: als-train, or mf-train, fm-train or deepfm-train --loss bpr",
		       in.name);
	rs_dataset d;
	/* a pointwise model of the ids alone reads no features and no time */
	(t->ops->features || ranks ? rs_dataset_read : rs_dataset_read_ids)(&d, &in);
	preset_shape shape = {d.hdr.nitems, d.n};
	int shaped = 0;
	for (int i = 0; p && i < RS_PRESET_RULES; i++)
		shaped |= rule_meets(&p->rules[i], &shape);
	if (shaped)
		hparams_of(&hp, t, defaults, p, &shape, argc, argv, opts, &to, &output);
	free_options();
	rs_reader_close(&in);
	if (fd > 0)
		close(fd);
	char *cmd = rs_join_argv(argc, argv);
	rs_header_add_history(&d.hdr, cmd);
	free(cmd);

	rs_model m;
	rs_model_create(&m, t->ops, &hp, &d);
	rs_fit(&m, &d, &to);
	if (writer)
		rs_model_write(&m, &out);
	rs_model_free(&m);
	rs_dataset_free(&d);
	rs_dist_finalize();
	return 0;
}
