/* fuzz_model: the model loader, then the scorer on a few pairs, known and
 * cold, as rs-predict and rs-recommend use it. */
#include "compute.h"
#include "fuzz.h"
#include "model.h"
#include "modelfile.h"
#include "modelmap.h"
#include "scorer.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	int fd = fuzz_fd(data, size);
	char path[64];
	snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
	static rs_model m;   /* static: still valid after a caught error */
	static rs_scorer s;
	memset(&m, 0, sizeof m);
	memset(&s, 0, sizeof s);
	rs_compute_init();
	FUZZ_GUARD({
		rs_model_load(&m, path);
		if (!rs_onehot_side_needed(&m.hdr) && m.hdr.nusers && m.hdr.nitems) {
			rs_scorer_init(&s, &m, NULL, NULL);
			rs_scorer_add(&s, 0, m.hdr.nitems - 1);
			rs_scorer_add(&s, m.hdr.nusers - 1, 0);
			rs_scorer_add(&s, RS_NONE, 0);
			rs_scorer_add(&s, 0, RS_NONE);
			rs_scorer_run(&s);
			rs_scorer_user_row(&s, 0);
		}
	});
	rs_scorer_free(&s);
	rs_model_free(&m);
	close(fd);
	return 0;
}
