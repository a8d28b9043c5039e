/* dist.h: data-parallel training across processes, on MPI.
 *
 * Under `mpirun -np K` a trainer's K ranks read the same stream (rank 0's
 * standard input, broadcast to the others, or a file operand each opens),
 * each trains one K-th of every epoch's shuffled train records, and their
 * parameters are averaged after each epoch; rank 0 alone logs and writes
 * the model. Built without Open MPI, or run without mpirun, every call here
 * is that of one process of one: the trainers run unchanged. */
#ifndef RS_DIST_H
#define RS_DIST_H

#include <stddef.h>

/* Join the run when started by mpirun; a no-op otherwise. */
void rs_dist_init(void);
void rs_dist_finalize(void);
int rs_dist_rank(void);
int rs_dist_size(void);
/* A descriptor holding rank 0's standard input on every rank (standard
 * input itself in a run of one). */
int rs_dist_stdin(void);
/* w (n floats) to the mean of every rank's w. */
void rs_dist_average(float *w, size_t n);
/* The sum of every rank's v. */
double rs_dist_sum(double v);
/* v (n doubles) to the sum of every rank's v. */
void rs_dist_sum_array(double *v, size_t n);
/* This rank's share [lo, hi) of n rows: contiguous, in rank order. */
void rs_dist_share(size_t n, size_t *lo, size_t *hi);
/* X (rows, width): each rank's share of rows (rs_dist_share) to every rank. */
void rs_dist_gather_rows(float *X, size_t rows, size_t width);

#endif
