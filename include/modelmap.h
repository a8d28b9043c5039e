/* modelmap.h: a stream's records in a model's ids. */
#ifndef RS_MODELMAP_H
#define RS_MODELMAP_H

#include "model.h"

/* Refuse (die) a dataset whose target is not the model's. */
void rs_model_check_target(const rs_model *m, const rs_dataset *d, const char *model_path);
/* Put d in the model's ids, matched by raw id: users, items and the
 * features of the user, item and history fields. An id the model never saw
 * becomes RS_NONE (its feature left out) and the records with one are
 * counted in one line on stderr. Dies when the other fields differ. */
void rs_model_map_ids(const rs_model *m, rs_dataset *d, const char *model_path);
/* How many of d's test records are pairs the model was trained on; warns
 * on stderr when there are any (their metric is not a test), or, when d's
 * own train records have test pairs (a log of repeated events), says that
 * instead, unless repeats (rs-eval --rank --repeats: they are asked for).
 * d's ids are the model's (after rs_model_map_ids). */
size_t rs_model_count_trained(const rs_model *m, const rs_dataset *d, const char *model_path,
			      int repeats);
/* The same over test pairs' keys (rs_pair_key of raw ids; reordered). */
size_t rs_model_warn_trained(const rs_model *m, uint64_t *keys, size_t n, const char *src,
			     const char *model_path);
/* The same a record at a time (rs-eval --predict): a stream's ids to the
 * model's. */
typedef struct rs_id_map {
	const rs_header *from, *to;   /* the stream's and the model's */
	uint32_t *user, *item;        /* NULL when the ids are the same */
	size_t new_users, new_items;
	int kind[RS_MAX_FIELDS];      /* each field's kind (fields.h), found once */
} rs_id_map;
/* Dies when the fields differ, as rs_model_map_ids. */
void rs_id_map_init(rs_id_map *im, const rs_model *m, const rs_dataset *d, const char *model_path);
/* Record r of d to the model's ids, its features moved to start at *o
 * (advanced past them; xoff[r + 1] is the caller's to set after the last
 * record, since it is where the next one starts). Returns 1 when its user or
 * item is unseen. */
int rs_id_map_record(const rs_id_map *im, rs_dataset *d, size_t r, size_t *o);
/* The stderr line for `records` records with an unseen id. */
void rs_id_map_warn(const rs_id_map *im, const char *src, size_t records, const char *model_path);
void rs_id_map_free(rs_id_map *im);
/* Read a whole stream the model is applied to, in the model's ids. */
void rs_model_read_data(const rs_model *m, const char *model_path, rs_reader *in, rs_dataset *d);

#endif
