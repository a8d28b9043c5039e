/* eval_predict.c: rs-eval --predict: the stream passed through with each
 * record's score (evaluate.h). */
#include "evaluate.h"
#include "cli.h"
#include "mem.h"
#include "modelmap.h"
#include "out.h"

#include <stdlib.h>

void rs_eval_predict(rs_model *m, rs_reader *in, const char *mp, const char *command)
{
	rs_out out;
	rs_out_stdout(&out);
	rs_dataset d;
	rs_dataset_begin(&d, in);
	rs_model_check_target(m, &d, mp);
	rs_id_map im;   /* the stream's ids to the model's, record by record */
	rs_id_map_init(&im, m, &d, mp);
	if (rs_header_col(&in->hdr, RS_COL_SCORE) >= 0)
		rs_die("%s:header: the stream already has a 'score' column", in->name);
	rs_header h;
	rs_header_copy(&h, &in->hdr);
	rs_header_add_column(&h, RS_COL_SCORE);
	rs_header_add_history(&h, command);
	rs_header_pack(&out.pk, &h);
	const msgpack_object *rec;
	uint32_t zero = 0;
	float score;
	size_t unseen = 0, ntest = 0, cap = 0;
	uint64_t *test = NULL;   /* the test records' pairs */
	while ((rec = rs_reader_next(in))) {
		rs_dataset_clear(&d);
		rs_dataset_add(&d, in, rec);
		size_t o = 0;
		unseen += rs_id_map_record(&im, &d, 0, &o);
		d.xoff[1] = d.nnz = o;
		if (d.split[0] == RS_SPLIT_TEST && d.user[0] != RS_NONE && d.item[0] != RS_NONE) {
			if (ntest == cap)
				test = rs_reallocarray(test, cap = 2 * cap + 1024, sizeof *test);
			test[ntest++] = rs_pair_key(m->hdr.user_ids[d.user[0]], m->hdr.item_ids[d.item[0]]);
		}
		rs_model_predict(m, &d, &zero, 1, &score, m->click);
		msgpack_pack_array(&out.pk, h.ncol);
		for (int i = 0; i < in->hdr.ncol; i++)
			msgpack_pack_object(&out.pk, rec[i]);
		msgpack_pack_float(&out.pk, score);
	}
	rs_id_map_warn(&im, in->name, unseen, mp);
	rs_model_warn_trained(m, test, ntest, in->name, mp);
	rs_out_commit(&out);
	free(test);
	rs_id_map_free(&im);
	rs_header_free(&h);
	rs_dataset_free(&d);
}

