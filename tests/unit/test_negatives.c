/* The negative sampler (negatives.h) against its closed form, uniform and
 * by popularity, over a bit set and over marks; and the users the pairwise
 * losses' set-up (bpr.h) refuses. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "bpr.h"
#include "tap.h"

/* Users 0..2, items 0..5; user 0 rated items 0 and 1, user 1 item 2 (and
 * item 5 in test, which does not count), user 2 items 0..3 (and item 4 in
 * validation, which does not count either: it is drawn like a test item). */
static void dataset(rs_dataset *d)
{
	static const uint32_t user[] = {0, 0, 1, 2, 2, 2, 2, 2, 1};
	static const uint32_t item[] = {0, 1, 2, 0, 1, 2, 3, 4, 5};
	static const uint8_t split[] = {0, 0, 0, 0, 0, 0, 0, 2, 1};
	enum { N = 9 };
	memset(d, 0, sizeof *d);
	d->n = N;
	d->user = malloc(sizeof user), memcpy(d->user, user, sizeof user);
	d->item = malloc(sizeof item), memcpy(d->item, item, sizeof item);
	d->split = malloc(sizeof split), memcpy(d->split, split, sizeof split);
	d->y = calloc(N, sizeof *d->y);
	d->xoff = calloc(N + 1, sizeof *d->xoff);
	d->src = "test";
	rs_header_add_column(&d->hdr, "user");
	rs_header_set_target(&d->hdr, "rating");
	d->hdr.nusers = 3;
	d->hdr.nitems = 6;
	d->hdr.user_ids = calloc(3, sizeof(int64_t));
	d->hdr.item_ids = calloc(6, sizeof(int64_t));
	rs_header_add_field(&d->hdr, "user", 3);
	rs_header_add_field(&d->hdr, "item", 6);
	d->nfeatures = 9;
}

/* draws of user u's negatives against probabilities want[6] */
static int matches(rs_bpr *b, rs_model *m, uint32_t u, const double *want, const char *what)
{
	enum { DRAWS = 60000 };
	double seen[6] = {0};
	rs_rng rng;
	rs_rng_seed(&rng, 11);
	(void)m;
	rs_negs_user(&b->negs, u);
	for (int i = 0; i < DRAWS; i++)
		seen[rs_negs_unrated(&b->negs, &rng)]++;
	int bad = 0;
	for (int j = 0; j < 6; j++) {
		double p = seen[j] / DRAWS, sd = sqrt(want[j] * (1 - want[j]) / DRAWS);
		/* a rated item never; the others within 5 standard deviations */
		bad += want[j] == 0 ? seen[j] != 0 : fabs(p - want[j]) > 5 * sd;
	}
	ok(!bad, "%s sampler, user %u: frequencies of %d draws match the closed form", what, u, DRAWS);
	return bad;
}

int main(void)
{
	rs_dataset d;
	dataset(&d);
	rs_hparams hp = {.factors = 2, .batch = 4, .epochs = 1, .init = RS_INIT_NORMAL, .init_std = 0.1,
			 .seed = 1, .loss = RS_LOSS_BPR, .negatives = 2};
	rs_model m;
	rs_model_create(&m, &rs_mf_ops, &hp, &d);
	rs_bpr b;
	rs_bpr_init(&b, &m, &d);
	/* uniform: each unrated item alike (user 1's test item 5 is unrated) */
	matches(&b, &m, 0, (double[]){0, 0, 0.25, 0.25, 0.25, 0.25}, "uniform");
	matches(&b, &m, 1, (double[]){0.2, 0.2, 0, 0.2, 0.2, 0.2}, "uniform");
	matches(&b, &m, 2, (double[]){0, 0, 0, 0, 0.5, 0.5}, "uniform");
	/* the same draws where the users x items bits would be too many: marks */
	ok(b.negs.bits != NULL, "a small catalogue's users' items are one bit set");
	free(b.negs.bits);
	b.negs.bits = NULL, b.negs.cur = NULL;
	matches(&b, &m, 0, (double[]){0, 0, 0.25, 0.25, 0.25, 0.25}, "uniform (marks)");
	matches(&b, &m, 2, (double[]){0, 0, 0, 0, 0.5, 0.5}, "uniform (marks)");
	/* popularity: as the unrated items' train records, 2 of item 2, 1 of 3 */
	b.negs.popularity = 1;
	matches(&b, &m, 0, (double[]){0, 0, 2.0 / 3, 1.0 / 3, 0, 0}, "popularity");
	matches(&b, &m, 1, (double[]){0.4, 0.4, 0, 0.2, 0, 0}, "popularity");
	rs_bpr_free(&b);
	/* a user who rated every item leaves nothing to draw */
	d.item[8] = 5, d.split[8] = 0, d.user[8] = 2, d.split[7] = 0;
	tap_catch(rs_bpr_init(&b, &m, &d));
	ok(tap_code == 1 && !strcmp(tap_msg, "test: user 0 rated every item in train: no negative to draw"),
	   "a user with every item rated is refused: %s", tap_msg);
	/* the softmaxes draw no negative of a user's own: the same user trains */
	for (volatile int l = RS_LOSS_SOFTMAX; l <= RS_LOSS_SAMPLED_SOFTMAX; l++) {
		m.hp.loss = (rs_loss)l;
		tap_catch(rs_bpr_init(&b, &m, &d));
		ok(tap_code == 0, "--loss %s takes a user with every item rated (%s)", rs_loss_names[l],
		   tap_code ? tap_msg : "no error");
		if (!tap_code)
			rs_bpr_free(&b);
	}
	rs_model_free(&m);
	rs_dataset_free(&d);
	return tap_done();
}
