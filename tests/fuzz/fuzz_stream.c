/* fuzz_stream: the stream reader and the dataset loader of the trainers and
 * rs-eval (a stream without 'x' gets the user and item fields). */
#include "dataset.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	int fd = fuzz_fd(data, size);
	static rs_reader r;   /* static: still valid after a caught error */
	static rs_dataset d;
	memset(&r, 0, sizeof r);
	memset(&d, 0, sizeof d);
	FUZZ_GUARD(if (rs_reader_open(&r, fd, "fuzz") == 0) rs_dataset_read(&d, &r));
	rs_dataset_free(&d);
	fuzz_close_reader(&r);
	close(fd);
	return 0;
}
