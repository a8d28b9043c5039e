/* hparams.c: the table of hyperparameters and everything read off it. */
#include "hparams.h"
#include "cli.h"
#include "dsv.h"
#include "mem.h"
#include "stream.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *const rs_init_names[2] = {"normal", "xavier"};
const char *const rs_loss_names[RS_LOSS_COUNT] = {"pointwise", "bpr", "softmax", "sampled-softmax", "bce", "gbce"};
const char *const rs_sampler_names[2] = {"uniform", "popularity"};
const char *const rs_solver_names[2] = {"cg", "cholesky"};
const char *const rs_confidence_names[2] = {"count", "binary"};

#define F(field) offsetof(rs_hparams, field)
const rs_hparam rs_hparam_table[] = {
	{"factors", RS_HP_INT, F(factors), 0, RS_MAX_FACTORS, 0, 0, 0, "K", "latent factors (0: biases only)", 0, "16"},
	{"epochs", RS_HP_INT, F(epochs), 1, 1e6, 0, 0, 0, "N", "passes over the train records", RS_CAP_STEPS, "20"},
	{"lr", RS_HP_REAL, F(lr), 0, 1e9, 1, 0, 0, "R", "learning rate", RS_CAP_STEPS, "0.001"},
	{"weight-decay", RS_HP_REAL, F(weight_decay), 0, 1e3, 0, 0, 0, "W",
	 "added to the gradient of each updated row (Adam, SGD); taken off its weights, w *= 1 - lr W "
	 "(adamw)", RS_CAP_STEPS, "0"},
	{"l2", RS_HP_REAL, F(l2), 0, 1e3, 0, 0, 0, "L", "L2 penalty per rating on the rows it uses", RS_CAP_SGD, "0"},
	{"batch-size", RS_HP_INT, F(batch), 1, 1 << 20, 0, 0, 0, "B", "ratings per step", RS_CAP_STEPS, "512"},
	{"optimizer", RS_HP_ENUM, F(optimizer), 0, 0, 0, rs_optimizer_names, 6, "O",
	 "adam (lazy on embedding rows), adam-dense (PyTorch's Adam: every row, every step), sgd, "
	 "adagrad (one accumulator a row; under the pointwise loss the fused solvers: mf-train's, each "
	 "rating updating its two rows in place, on every --threads with the same model; fm-train's, "
	 "each record its features' rows, on one thread; ffm-train's, each record its pairs' blocks, "
	 "lock-free on --threads), adam-row (lazy Adam with one second moment a row: one square "
	 "root a row, not a float), or adamw (lazy Adam with --weight-decay taken off the weights, "
	 "apart from the gradient)", RS_CAP_STEPS, "adam"},
	{"init", RS_HP_ENUM, F(init), 0, 0, 0, rs_init_names, 2, "I", "normal (with --init-std) or xavier", RS_CAP_SGD, "normal"},
	{"init-std", RS_HP_REAL, F(init_std), 0, 10, 0, 0, 0, "S", "standard deviation of the normal init",
	 0, "0.01"},
	{"seed", RS_HP_U64, F(seed), 0, (double)INT64_MAX, 0, 0, 0, "N",
	 "seed of every random draw of the training (the same seed, the same model)", 0, "1"},
	{"valid-ratio", RS_HP_REAL, F(valid_ratio), 0, 0.9, 0, 0, 0, "R",
	 "share of train records held out for model selection", RS_CAP_STEPS, "0"},
	{"early-stop", RS_HP_INT, F(early_stop), 0, 1e6, 0, 0, 0, "N",
	 "stop after N epochs without validation gain and keep the best epoch (0: off)", RS_CAP_STEPS, "0"},
	{"global-mean", RS_HP_FLAG, F(global_mean), 0, 1, 0, 0, 0, NULL,
	 "add the train records' mean as a fixed offset (--no-global-mean: do not)", RS_CAP_SGD, "0"},
	{"mlp", RS_HP_LIST, F(mlp), 1, 4096, 0, 0, 0, "A,B,...", "hidden layer sizes of the deep part",
	 RS_CAP_MLP, "50,40,25,10"},
	{"dropout", RS_HP_REAL, F(dropout), 0, 0.95, 0, 0, 0, "P", "dropout after each hidden layer",
	 RS_CAP_DEEP, "0"},
	{"loss", RS_HP_ENUM, F(loss), 0, 0, 0, rs_loss_names, RS_LOSS_COUNT, "L",
	 "pointwise (squared on ratings, logistic on clicks), or a ranking of each train record's item "
	 "(early stopping on valid HR@10): bpr, above --negatives items its user did not rate; softmax, "
	 "cross-entropy among every item; sampled-softmax, among --negatives items drawn for the batch; "
	 "bce, logistic against --negatives items drawn per position that its user did not rate; gbce, "
	 "the same with the positive's term raised to a power (--gbce-t)",
	 RS_CAP_STEPS, "pointwise"},
	{"negatives", RS_HP_INT, F(negatives), 1, 1e5, 0, 0, 0, "N",
	 "bpr: negatives per positive; sampled-softmax: per batch; bce, gbce: per position", RS_CAP_STEPS, "1"},
	{"sampler", RS_HP_ENUM, F(sampler), 0, 0, 0, rs_sampler_names, 2, "S",
	 "bpr, sampled-softmax: negatives drawn uniformly, or by popularity (as often as items occur in train)",
	 RS_CAP_STEPS, "uniform"},
	{"iters", RS_HP_INT, F(iters), 1, 1e4, 0, 0, 0, "N",
	 "sweeps over the model, each updating every parameter once",
	 RS_CAP_ITERS, "15"},
	{"reg", RS_HP_REAL, F(reg), 0, 1e9, 0, 0, 0, "L", "L2 penalty on each row of factors", RS_CAP_ALS,
	 "1"},
	{"alpha", RS_HP_REAL, F(alpha), 0, 1e9, 0, 0, 0, "A",
	 "confidence of an observed pair is 1 + A (an unobserved pair's is 1)", RS_CAP_ALS, "1"},
	{"solver", RS_HP_ENUM, F(solver), 0, 0, 0, rs_solver_names, 2, "S",
	 "cg (conjugate gradient from the last sweep's row) or cholesky (exact)", RS_CAP_ALS, "cg"},
	{"cg-steps", RS_HP_INT, F(cg_steps), 1, 1000, 0, 0, 0, "N", "cg: steps per row and sweep",
	 RS_CAP_ALS, "2"},
	{"confidence", RS_HP_ENUM, F(confidence), 0, 0, 0, rs_confidence_names, 2, "C",
	 "a pair's confidence: 1 + alpha times its train events (count: repeated events weigh "
	 "more) or 1 + alpha however often it occurs (binary)", RS_CAP_ALS, "count"},
	{"burn-in", RS_HP_INT, F(burn_in), 0, 1e4, 0, 0, 0, "N",
	 "iterations whose samples are left out of the averaged prediction", RS_CAP_MCMC, "0"},
	{"thin", RS_HP_INT, F(thin), 1, 1e4, 0, 0, 0, "T",
	 "average (and keep in the model) every T-th sample after the burn-in, counted back from the last", RS_CAP_MCMC, "1"},
	{"blocks", RS_HP_INT, F(blocks), 1, 16, 0, 0, 0, "N", "self-attention blocks", RS_CAP_ATTN, "2"},
	{"heads", RS_HP_INT, F(heads), 1, 64, 0, 0, 0, "H", "attention heads a block (dividing --factors)",
	 RS_CAP_ATTN, "1"},
	{"maxlen", RS_HP_INT, F(maxlen), 1, 4096, 0, 0, 0, "N", "a user's latest train items read", RS_CAP_ATTN,
	 "50"},
	{"gbce-t", RS_HP_REAL, F(gbce_t), 0, 1, 0, 0, 0, "T",
	 "gbce: calibration of the positive's power beta = a (t (1 - 1/a) + 1/a), a the share of "
	 "negatives drawn (--negatives over the items less one); 0 is bce, 1 is calibrated to the full "
	 "softmax's probabilities", RS_CAP_ATTN, "0.75"},
	{"refit", RS_HP_FLAG, F(refit), 0, 1, 0, 0, 0, NULL,
	 "once early stopping has chosen the epochs, train again from the start on the train and "
	 "validation records for that many (--no-refit: keep the epoch chosen)", RS_CAP_ATTN, "0"},
};
#undef F
const int rs_nhparams = sizeof rs_hparam_table / sizeof *rs_hparam_table;

static void *field(rs_hparams *hp, const rs_hparam *r) { return (char *)hp + r->off; }
static const void *cfield(const rs_hparams *hp, const rs_hparam *r)
{
	return (const char *)hp + r->off;
}

static int in_range(const rs_hparam *r, double v)
{
	return (r->open_lo ? v > r->lo : v >= r->lo) && v <= r->hi;
}

static void range_error(const rs_hparam *r, const char *arg)
{
	rs_usage_error("option --%s: %s is out of range %c%g, %g]", r->name, arg,
		       r->open_lo ? '(' : '[', r->lo, r->hi);
}

static void set_list(rs_hparams *hp, const rs_hparam *r, const char *arg)
{
	int n = 0, *v = field(hp, r);
	const char *p = arg;
	for (;;) {
		const char *comma = strchr(p, ',');
		size_t len = comma ? (size_t)(comma - p) : strlen(p);
		char tok[32];
		int64_t x;
		if (!len || len >= sizeof tok)
			rs_usage_error("option --%s: '%s' is not a list of sizes like 50,40,25", r->name, arg);
		memcpy(tok, p, len);
		tok[len] = 0;
		if (rs_field_int(tok, &x))
			rs_usage_error("option --%s: '%s' is not an integer", r->name, tok);
		if (!in_range(r, (double)x))
			range_error(r, tok);
		if (n == RS_MAX_MLP)
			rs_usage_error("option --%s: at most %d layers", r->name, RS_MAX_MLP);
		v[n++] = (int)x;
		if (!comma)
			break;
		p = comma + 1;
	}
	hp->nmlp = n;
}

void rs_hparam_set(rs_hparams *hp, const rs_hparam *r, const char *arg)
{
	int64_t x;
	switch (r->type) {
	case RS_HP_INT:
	case RS_HP_U64:
		if (rs_field_int(arg, &x))
			rs_usage_error("option --%s: '%s' is not an integer", r->name, arg);
		if (!in_range(r, (double)x) || x < 0 || (r->type == RS_HP_INT && x > INT32_MAX))
			range_error(r, arg);
		if (r->type == RS_HP_INT)
			*(int *)field(hp, r) = (int)x;
		else
			*(uint64_t *)field(hp, r) = (uint64_t)x;
		break;
	case RS_HP_REAL: {
		double v;
		if (rs_field_num(arg, &v))
			rs_usage_error("option --%s: '%s' is not a number", r->name, arg);
		if (!in_range(r, v))
			range_error(r, arg);
		*(double *)field(hp, r) = v;
		break;
	}
	case RS_HP_ENUM: {
		char opt[64];
		snprintf(opt, sizeof opt, "--%s", r->name);
		*(int *)field(hp, r) = rs_opt_enum(opt, arg, r->names, r->nnames);
		break;
	}
	case RS_HP_FLAG:
		*(int *)field(hp, r) = !arg || strcmp(arg, "0") != 0;
		break;
	case RS_HP_LIST:
		set_list(hp, r, arg);
		break;
	}
}

static const rs_hparam *find(const char *name)
{
	for (int i = 0; i < rs_nhparams; i++)
		if (!strcmp(rs_hparam_table[i].name, name))
			return &rs_hparam_table[i];
	return NULL;
}

void rs_hparams_from(rs_hparams *hp, unsigned caps, const char *options)
{
	memset(hp, 0, sizeof *hp);
	for (int i = 0; i < rs_nhparams; i++)
		if (rs_hparam_applies(&rs_hparam_table[i], caps))
			rs_hparam_set(hp, &rs_hparam_table[i], rs_hparam_table[i].def);
	char *s = rs_strdup(options), *save = NULL;
	for (char *tok = strtok_r(s, " ", &save); tok; tok = strtok_r(NULL, " ", &save)) {
		int no = !strncmp(tok, "--no-", 5);
		const rs_hparam *r = find(tok + (no ? 5 : 2));
		if (strncmp(tok, "--", 2) || !r || !rs_hparam_applies(r, caps) ||
		    (no && r->type != RS_HP_FLAG))
			rs_die("built-in options: '%s' is not a hyperparameter of this model", tok);
		const char *arg = r->type == RS_HP_FLAG ? (no ? "0" : "1") : strtok_r(NULL, " ", &save);
		if (!arg)
			rs_die("built-in options: '%s' needs a value", tok);
		rs_hparam_set(hp, r, arg);
	}
	free(s);
}

/* The value of row r in hp as an option argument. */
static void format(const rs_hparams *hp, const rs_hparam *r, char *buf, size_t len)
{
	const void *v = cfield(hp, r);
	switch (r->type) {
	case RS_HP_INT: snprintf(buf, len, "%d", *(const int *)v); break;
	case RS_HP_U64: snprintf(buf, len, "%llu", (unsigned long long)*(const uint64_t *)v); break;
	case RS_HP_REAL: snprintf(buf, len, "%g", *(const double *)v); break;
	case RS_HP_ENUM: snprintf(buf, len, "%s", r->names[*(const int *)v]); break;
	case RS_HP_FLAG: snprintf(buf, len, "%d", *(const int *)v); break;
	case RS_HP_LIST:
		buf[0] = 0;
		for (int i = 0; i < hp->nmlp; i++)
			snprintf(buf + strlen(buf), len - strlen(buf), i ? ",%d" : "%d", ((const int *)v)[i]);
		break;
	}
}

void rs_hparams_describe(const rs_hparams *hp, unsigned caps, char *buf, size_t len)
{
	buf[0] = 0;
	for (int i = 0; i < rs_nhparams; i++) {
		const rs_hparam *r = &rs_hparam_table[i];
		if (!rs_hparam_applies(r, caps))
			continue;
		char v[128];
		format(hp, r, v, sizeof v);
		size_t at = strlen(buf);
		if (r->type == RS_HP_FLAG)
			snprintf(buf + at, len - at, "%s--%s%s", at ? " " : "", strcmp(v, "0") ? "" : "no-",
				 r->name);
		else
			snprintf(buf + at, len - at, "%s--%s %s", at ? " " : "", r->name, v);
	}
}

/* The model file's key of a row: its name with '-' as '_'. */
static void key_of(const rs_hparam *r, char *key, size_t len)
{
	snprintf(key, len, "%s", r->name);
	for (char *c = key; *c; c++)
		if (*c == '-')
			*c = '_';
}

void rs_hparams_pack(msgpack_packer *pk, const rs_hparams *hp, unsigned caps)
{
	int n = 0;
	for (int i = 0; i < rs_nhparams; i++)
		n += rs_hparam_applies(&rs_hparam_table[i], caps);
	msgpack_pack_map(pk, (size_t)n);
	for (int i = 0; i < rs_nhparams; i++) {
		const rs_hparam *r = &rs_hparam_table[i];
		if (!rs_hparam_applies(r, caps))
			continue;
		char key[32];
		key_of(r, key, sizeof key);
		rs_pack_cstr(pk, key);
		const void *v = cfield(hp, r);
		switch (r->type) {
		case RS_HP_INT:
		case RS_HP_FLAG: msgpack_pack_int(pk, *(const int *)v); break;
		case RS_HP_U64: msgpack_pack_uint64(pk, *(const uint64_t *)v); break;
		case RS_HP_REAL: msgpack_pack_double(pk, *(const double *)v); break;
		case RS_HP_ENUM: rs_pack_cstr(pk, r->names[*(const int *)v]); break;
		case RS_HP_LIST:
			msgpack_pack_array(pk, (size_t)hp->nmlp);
			for (int j = 0; j < hp->nmlp; j++)
				msgpack_pack_int(pk, ((const int *)v)[j]);
			break;
		}
	}
}

#define FAIL(...) do { snprintf(err, errlen, __VA_ARGS__); return -1; } while (0)

int rs_hparams_unpack(rs_hparams *hp, unsigned caps, const msgpack_object *map, char *err,
		      size_t errlen)
{
	/* a row the file lacks was added after the model was written: its
	 * default, which is how models behaved before the row (extending.md) */
	rs_hparams_from(hp, caps, "");
	if (map->type != MSGPACK_OBJECT_MAP)
		FAIL("'hyper' is not a map");
	for (int i = 0; i < rs_nhparams; i++) {
		const rs_hparam *r = &rs_hparam_table[i];
		if (!rs_hparam_applies(r, caps))
			continue;
		char key[32];
		key_of(r, key, sizeof key);
		const msgpack_object *o = rs_map_get(map, key);
		void *v = field(hp, r);
		int64_t x;
		double d;
		uint64_t u;
		if (!o)
			continue;
		switch (r->type) {
		case RS_HP_INT:
		case RS_HP_FLAG:
		case RS_HP_U64:
			if (rs_obj_i64(o, &x) || x < 0 || !in_range(r, (double)x))
				FAIL("hyperparameter '%s' is not an integer in [%g, %g]", key, r->lo, r->hi);
			if (r->type == RS_HP_U64)
				*(uint64_t *)v = (uint64_t)x;
			else
				*(int *)v = (int)x;
			break;
		case RS_HP_REAL:
			if (rs_obj_num(o, &d) || !isfinite(d) || !in_range(r, d))
				FAIL("hyperparameter '%s' is not a number in %c%g, %g]", key,
				     r->open_lo ? '(' : '[', r->lo, r->hi);
			*(double *)v = d;
			break;
		case RS_HP_ENUM:
			*(int *)v = -1;
			for (int j = 0; j < r->nnames; j++)
				if (rs_obj_is(o, r->names[j]))
					*(int *)v = j;
			if (*(int *)v < 0)
				FAIL("hyperparameter '%s' has an unknown value", key);
			break;
		case RS_HP_LIST:
			if (o->type != MSGPACK_OBJECT_ARRAY || o->via.array.size > RS_MAX_MLP)
				FAIL("hyperparameter '%s' is not a list of at most %d sizes", key, RS_MAX_MLP);
			hp->nmlp = (int)o->via.array.size;
			for (int j = 0; j < hp->nmlp; j++) {
				if (rs_obj_u64(&o->via.array.ptr[j], &u) || !in_range(r, (double)u))
					FAIL("hyperparameter '%s': size %d is not in [%g, %g]", key, j, r->lo, r->hi);
				((int *)v)[j] = (int)u;
			}
			break;
		}
	}
	return 0;
}
