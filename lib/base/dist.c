/* dist.c: MPI's collectives behind dist.h. Compiled twice: into the
 * library as a run of one process, and with -DRS_MPI for the trainers
 * where Open MPI is installed (Makefile). */
#include "dist.h"
#include "cli.h"

#ifdef RS_MPI
#include <errno.h>
#include <mpi.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "mem.h"

static int joined, rank, size = 1;

void rs_dist_init(void)
{
	/* only under mpirun: a plain run never touches MPI */
	if (!getenv("OMPI_COMM_WORLD_SIZE") && !getenv("PMI_SIZE"))
		return;
	if (MPI_Init(NULL, NULL) != MPI_SUCCESS)
		rs_die("MPI_Init failed");
	joined = 1;
	MPI_Comm_rank(MPI_COMM_WORLD, &rank);
	MPI_Comm_size(MPI_COMM_WORLD, &size);
}

void rs_dist_finalize(void)
{
	if (joined)
		MPI_Finalize();
	joined = 0;
}

int rs_dist_rank(void) { return rank; }
int rs_dist_size(void) { return size; }

int rs_dist_stdin(void)
{
	if (size == 1)
		return 0;
	char *buf = NULL;
	uint64_t n = 0, cap = 0;
	if (rank == 0) {   /* all of it, whatever its length */
		for (;;) {
			if (n == cap)
				buf = rs_realloc(buf, cap = cap ? 2 * cap : 1 << 20);
			ssize_t got = read(0, buf + n, cap - n);
			if (got < 0 && errno == EINTR)
				continue;
			if (got < 0)
				rs_die("stdin: %s", strerror(errno));
			if (!got)
				break;
			n += (uint64_t)got;
		}
	}
	MPI_Bcast(&n, 1, MPI_UINT64_T, 0, MPI_COMM_WORLD);
	if (rank)
		buf = rs_malloc(n + 1);
	for (uint64_t off = 0; off < n; off += 1 << 30) {   /* counts are ints */
		int len = (int)(n - off < (1u << 30) ? n - off : 1u << 30);
		MPI_Bcast(buf + off, len, MPI_BYTE, 0, MPI_COMM_WORLD);
	}
	int fd = memfd_create("stdin", 0);
	if (fd < 0)
		rs_die("memfd_create: %s", strerror(errno));
	for (uint64_t off = 0; off < n;) {
		ssize_t put = write(fd, buf + off, n - off);
		if (put < 0 && errno != EINTR)
			rs_die("memfd: %s", strerror(errno));
		off += put > 0 ? (uint64_t)put : 0;
	}
	free(buf);
	if (lseek(fd, 0, SEEK_SET) != 0)
		rs_die("memfd: %s", strerror(errno));
	return fd;
}

void rs_dist_average(float *w, size_t n)
{
	if (size == 1)
		return;
	for (size_t off = 0; off < n; off += 1 << 28) {
		int len = (int)(n - off < (1u << 28) ? n - off : 1u << 28);
		MPI_Allreduce(MPI_IN_PLACE, w + off, len, MPI_FLOAT, MPI_SUM, MPI_COMM_WORLD);
	}
	float inv = 1.0f / (float)size;
	for (size_t i = 0; i < n; i++)
		w[i] *= inv;
}

double rs_dist_sum(double v)
{
	if (size > 1)
		MPI_Allreduce(MPI_IN_PLACE, &v, 1, MPI_DOUBLE, MPI_SUM, MPI_COMM_WORLD);
	return v;
}

void rs_dist_sum_array(double *v, size_t n)
{
	if (size == 1)
		return;
	for (size_t off = 0; off < n; off += 1 << 27) {
		int len = (int)(n - off < (1u << 27) ? n - off : 1u << 27);
		MPI_Allreduce(MPI_IN_PLACE, v + off, len, MPI_DOUBLE, MPI_SUM, MPI_COMM_WORLD);
	}
}

void rs_dist_gather_rows(float *X, size_t rows, size_t width)
{
	if (size == 1)
		return;
	int *count = rs_malloc((size_t)size * sizeof *count), *at = rs_malloc((size_t)size * sizeof *at);
	for (int r = 0; r < size; r++) {
		size_t lo = rows * (size_t)r / (size_t)size, hi = rows * (size_t)(r + 1) / (size_t)size;
		if ((hi - lo) * width > INT32_MAX || hi * width > INT32_MAX)
			rs_die("%zu rows of %zu floats: too many for one MPI gather", rows, width);
		count[r] = (int)((hi - lo) * width);
		at[r] = (int)(lo * width);
	}
	MPI_Allgatherv(MPI_IN_PLACE, 0, MPI_DATATYPE_NULL, X, count, at, MPI_FLOAT, MPI_COMM_WORLD);
	free(count);
	free(at);
}

#else   /* one process */

void rs_dist_init(void) {}
void rs_dist_finalize(void) {}
int rs_dist_rank(void) { return 0; }
int rs_dist_size(void) { return 1; }
int rs_dist_stdin(void) { return 0; }
void rs_dist_average(float *w, size_t n) { (void)w, (void)n; }
double rs_dist_sum(double v) { return v; }
void rs_dist_sum_array(double *v, size_t n) { (void)v, (void)n; }
void rs_dist_gather_rows(float *X, size_t rows, size_t width) { (void)X, (void)rows, (void)width; }

#endif

void rs_dist_share(size_t n, size_t *lo, size_t *hi)
{
	size_t K = (size_t)rs_dist_size(), r = (size_t)rs_dist_rank();
	*lo = n * r / K;
	*hi = n * (r + 1) / K;
}
