/* compute.h: the process-wide numeric state, set in this one place.
 *
 * rs_compute_init() is called once by every tool that trains or scores a
 * model, before any model exists (rs_trainer_main, rs-eval, rs-predict,
 * rs-recommend). It sets:
 *   - flush-to-zero and denormals-are-zero on the calling thread: gradients
 *     deep in an MLP decay into denormal floats on long runs, and each
 *     multiply on one costs ~100 cycles (one DeepFM epoch over 10M ratings:
 *     188 s instead of 42). Parsers run without it.
 *   - the SIMD width of the dense products (gemm.c) and of Adam (optim.c):
 *     the widest the CPU runs (16 lanes with AVX-512, 8 with AVX2+FMA, else
 *     4), or at most RS_SIMD lanes when that is set in the environment to 4,
 *     8 or 16, so the narrow paths can be run, and their results compared,
 *     on any CPU. MF and FM give the same bits at every width; DeepFM's
 *     products use fused multiply-adds at 8 and 16 lanes only.
 * Code that never calls it (unit tests) computes at the widest width, with
 * denormals kept. */
#ifndef RS_COMPUTE_H
#define RS_COMPUTE_H

void rs_compute_init(void);

/* An AVX2 clone of a hot loop beside its default build, chosen at run time.
 * Without FMA contraction and with every sum in a fixed order (rs_dot's
 * lanes), both give the same bits. On static functions only: clang emits a
 * clone's dispatcher only where the function is called. */
#if defined(__x86_64__) && !defined(RS_NO_WIDE_SIMD)
#define RS_AVX2_CLONES __attribute__((target_clones("avx2", "default")))
#else
#define RS_AVX2_CLONES
#endif
/* The width in use: 4, 8 or 16 lanes. */
int rs_compute_lanes(void);
/* Use this many lanes (4, 8 or 16; 0: the widest). Returns the lanes now in
 * use, or 0, changing nothing, when the CPU lacks that width. */
int rs_compute_set_lanes(int lanes);

#endif
