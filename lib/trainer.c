/* trainer.c: options, input, training and output of every trainer. */
#include "trainer.h"
#include "cli.h"
#include "compute.h"
#include "dataset.h"
#include "mem.h"
#include "stream.h"
#include "train.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum {
	OPT_FACTORS = 256, OPT_EPOCHS, OPT_LR, OPT_WD, OPT_L2, OPT_BATCH, OPT_OPTIMIZER,
	OPT_INIT, OPT_INIT_STD, OPT_SEED, OPT_LOG, OPT_PRESET, OPT_VALID, OPT_EARLY,
	OPT_GLOBAL_MEAN, OPT_NO_GLOBAL_MEAN, OPT_MLP, OPT_DROPOUT, OPT_VERSION
};

static const struct option opts[] = {
	{"factors", required_argument, 0, OPT_FACTORS},
	{"epochs", required_argument, 0, OPT_EPOCHS},
	{"lr", required_argument, 0, OPT_LR},
	{"weight-decay", required_argument, 0, OPT_WD},
	{"l2", required_argument, 0, OPT_L2},
	{"batch-size", required_argument, 0, OPT_BATCH},
	{"optimizer", required_argument, 0, OPT_OPTIMIZER},
	{"init", required_argument, 0, OPT_INIT},
	{"init-std", required_argument, 0, OPT_INIT_STD},
	{"seed", required_argument, 0, OPT_SEED},
	{"log", required_argument, 0, OPT_LOG},
	{"preset", required_argument, 0, OPT_PRESET},
	{"valid-ratio", required_argument, 0, OPT_VALID},
	{"early-stop", required_argument, 0, OPT_EARLY},
	{"global-mean", no_argument, 0, OPT_GLOBAL_MEAN},
	{"no-global-mean", no_argument, 0, OPT_NO_GLOBAL_MEAN},
	{"mlp", required_argument, 0, OPT_MLP},
	{"dropout", required_argument, 0, OPT_DROPOUT},
	{"output", required_argument, 0, 'o'},
	{"quiet", no_argument, 0, 'q'},
	{"help", no_argument, 0, 'h'},
	{"version", no_argument, 0, OPT_VERSION},
	{0, 0, 0, 0},
};


static void describe(const rs_hparams *hp, int deep)
{
	printf("--factors %d --epochs %d --lr %g --weight-decay %g --l2 %g --batch-size %d "
	       "--optimizer %s --init %s", hp->factors, hp->epochs, hp->lr, hp->weight_decay,
	       hp->l2, hp->batch, rs_optimizer_names[hp->optimizer], rs_init_names[hp->init]);
	if (hp->init == RS_INIT_NORMAL)
		printf(" --init-std %g", hp->init_std);
	printf(" --valid-ratio %g --early-stop %d%s", hp->valid_ratio, hp->early_stop,
	       hp->global_mean ? " --global-mean" : "");
	if (deep) {
		printf(" --mlp ");
		for (int i = 0; i < hp->nmlp; i++)
			printf(i ? ",%d" : "%d", hp->mlp[i]);
		printf(" --dropout %g", hp->dropout);
	}
	printf("\n");
}

static void usage(const rs_trainer *t)
{
	printf("Usage: %s [OPTION]...\n%s\n\n", t->tool, t->about);
	printf("  -o, --output FILE      write the model to FILE atomically (default stdout)\n"
	       "      --log FILE         per-epoch metrics as TSV\n"
	       "      --preset NAME      start from a named configuration (below); later\n"
	       "                         options override it\n"
	       "      --factors K        latent factors (0: biases only)\n"
	       "      --epochs N         passes over the train records\n"
	       "      --lr R             learning rate\n"
	       "      --weight-decay W   added to the gradient of each updated row (Adam, SGD)\n"
	       "      --l2 L             L2 penalty per rating on the rows it uses\n"
	       "      --batch-size B     ratings per step\n"
	       "      --optimizer O      adam (lazy on embedding rows), adam-dense (PyTorch's\n"
	       "                         Adam: every row, every step) or sgd\n"
	       "      --init I           normal (with --init-std) or xavier\n"
	       "      --seed N           seed of initialization, shuffling, validation, dropout\n"
	       "      --valid-ratio R    share of train records held out for model selection\n"
	       "      --early-stop N     stop after N epochs without validation gain and keep\n"
	       "                         the best epoch (0: off)\n"
	       "      --global-mean      add the train records' mean as a fixed offset\n"
	       "      --no-global-mean   do not\n");
	if (t->deep)
		printf("      --mlp A,B,...      hidden layer sizes of the deep part\n"
		       "      --dropout P        dropout after each hidden layer\n");
	printf("  -q, --quiet            no per-epoch lines or summary on stderr\n"
	       "  -h, --help             this help\n"
	       "      --version          version\n\n");
	printf("Defaults:\n  ");
	describe(&t->defaults, t->deep);
	for (int i = 0; i < t->npresets; i++) {
		printf("Preset %s: %s\n  ", t->presets[i].name, t->presets[i].about);
		describe(&t->presets[i].hp, t->deep);
	}
	printf("\nExample:\n  %s\n", t->example);
	rs_close_stdout();
	exit(0);
}

/* The index of arg among names, or a usage error listing them. */
static int pick(const char *opt, const char *arg, const char *const *names, int n)
{
	for (int i = 0; i < n; i++)
		if (!strcmp(arg, names[i]))
			return i;
	char list[128] = "";
	for (int i = 0; i < n; i++)
		snprintf(list + strlen(list), sizeof list - strlen(list), "%s%s", i ? ", " : "", names[i]);
	rs_usage_error("option %s: '%s' is not one of %s", opt, arg, list);
}

static void parse_mlp(rs_hparams *hp, const char *arg)
{
	char *s = rs_strdup(arg), *save = NULL;
	hp->nmlp = 0;
	for (char *tok = strtok_r(s, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		if (hp->nmlp == RS_MAX_MLP)
			rs_usage_error("option --mlp: at most %d layers", RS_MAX_MLP);
		hp->mlp[hp->nmlp++] = (int)rs_opt_long("--mlp", tok, 1, 4096);
	}
	free(s);
	if (!hp->nmlp)
		rs_usage_error("option --mlp: no layer size");
}

int rs_trainer_main(const rs_trainer *t, int argc, char **argv)
{
	rs_cli_init(t->tool);
	rs_compute_init();
	rs_hparams hp = t->defaults;
	/* the preset first, whatever its position, so that options override it */
	int c;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "o:qh", opts, NULL)) != -1) {
		if (c != OPT_PRESET)
			continue;
		int i = 0;
		while (i < t->npresets && strcmp(t->presets[i].name, optarg))
			i++;
		if (i == t->npresets)
			rs_usage_error("option --preset: unknown preset '%s'", optarg);
		hp = t->presets[i].hp;
	}
	opterr = 1;
	optind = 0;
	const char *output = NULL;
	rs_train_opts to = {0};
	while ((c = getopt_long(argc, argv, "o:qh", opts, NULL)) != -1) {
		switch (c) {
		case OPT_FACTORS: hp.factors = (int)rs_opt_long("--factors", optarg, 0, 4096); break;
		case OPT_EPOCHS: hp.epochs = (int)rs_opt_long("--epochs", optarg, 1, 1000000); break;
		case OPT_LR: hp.lr = rs_opt_double("--lr", optarg, 0, 1e9); break;
		case OPT_WD: hp.weight_decay = rs_opt_double("--weight-decay", optarg, 0, 1e3); break;
		case OPT_L2: hp.l2 = rs_opt_double("--l2", optarg, 0, 1e3); break;
		case OPT_BATCH: hp.batch = (int)rs_opt_long("--batch-size", optarg, 1, 1 << 20); break;
		case OPT_OPTIMIZER:
			hp.optimizer = (rs_optimizer)pick("--optimizer", optarg, rs_optimizer_names, 3);
			break;
		case OPT_INIT: hp.init = (rs_init)pick("--init", optarg, rs_init_names, 2); break;
		case OPT_INIT_STD: hp.init_std = rs_opt_double("--init-std", optarg, 0, 10); break;
		case OPT_SEED: hp.seed = (uint64_t)rs_opt_long("--seed", optarg, 0, INT64_MAX); break;
		case OPT_LOG: to.log_path = optarg; break;
		case OPT_PRESET: break;
		case OPT_VALID: hp.valid_ratio = rs_opt_double("--valid-ratio", optarg, 0, 0.9); break;
		case OPT_EARLY: hp.early_stop = (int)rs_opt_long("--early-stop", optarg, 0, 1000000); break;
		case OPT_GLOBAL_MEAN: hp.global_mean = 1; break;
		case OPT_NO_GLOBAL_MEAN: hp.global_mean = 0; break;
		case OPT_MLP:
		case OPT_DROPOUT:
			if (!t->deep)
				rs_usage_error("option --%s applies to deepfm-train only",
					       c == OPT_MLP ? "mlp" : "dropout");
			if (c == OPT_MLP)
				parse_mlp(&hp, optarg);
			else
				hp.dropout = rs_opt_double("--dropout", optarg, 0, 0.95);
			break;
		case 'o': output = optarg; break;
		case 'q': rs_quiet = to.quiet = 1; break;
		case 'h': usage(t); break;
		case OPT_VERSION: rs_print_version(); break;
		default: rs_usage_error("unknown option '%s'", argv[optind - 1]);
		}
	}
	if (optind < argc)
		rs_usage_error("unexpected operand '%s' (the stream comes on stdin)", argv[optind]);
	if (hp.early_stop && hp.valid_ratio == 0)
		rs_usage_error("--early-stop needs a validation set (--valid-ratio)");
	if (!output || !strcmp(output, "-"))
		rs_refuse_tty(1, "a model");

	rs_reader in;
	rs_reader_open_stdin(&in);
	if (t->ratings_only && !strcmp(in.hdr.target, "click"))
		rs_die("%s:header: the stream's target is 'click'; %s fits ratings (leave out ml-ctr)",
		       in.name, t->tool);
	rs_dataset d;
	rs_dataset_read(&d, &in);
	rs_reader_close(&in);
	char *cmd = rs_join_argv(argc, argv);
	rs_header_add_history(&d.hdr, cmd);
	free(cmd);

	rs_model m;
	rs_model_create(&m, t->ops, &hp, &d);
	rs_train(&m, &d, &to);
	rs_model_save(&m, output);
	rs_model_free(&m);
	rs_dataset_free(&d);
	return 0;
}
