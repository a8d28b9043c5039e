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

/* A hot loop built twice, for AVX2 and for the baseline, and run at the
 * width in use (rs_compute_lanes, which RS_SIMD caps), as gemm and Adam
 * are: the loop is written once as NAME_body (RS_SIMD_BODY, inlined into
 * each build), and RS_SIMD_VOID / RS_SIMD_RET define NAME(params) that
 * calls the build for 8 lanes or more, or the baseline's. Without FMA
 * contraction and with every sum in a fixed order (rs_dot's lanes), both
 * give the same bits. */
#if defined(__x86_64__) && !defined(RS_NO_WIDE_SIMD)
#define RS_TARGET_AVX2 __attribute__((target("avx2")))
#define RS_TARGET_AVX512 __attribute__((target("avx512f")))
#else
#define RS_TARGET_AVX2
#define RS_TARGET_AVX512
#endif
#define RS_SIMD_BODY static inline __attribute__((always_inline))
#define RS_SIMD_VOID(name, params, args)                                               \
	RS_TARGET_AVX2 static void name##_avx2 params { name##_body args; }            \
	static void name##_base params { name##_body args; }                           \
	static void name params                                                        \
	{                                                                              \
		if (rs_compute_lanes() >= 8)                                           \
			name##_avx2 args;                                              \
		else                                                                   \
			name##_base args;                                              \
	}
#define RS_SIMD_RET(type, name, params, args)                                          \
	RS_TARGET_AVX2 static type name##_avx2 params { return name##_body args; }     \
	static type name##_base params { return name##_body args; }                    \
	static type name params                                                        \
	{                                                                              \
		return rs_compute_lanes() >= 8 ? name##_avx2 args : name##_base args;   \
	}
/* The width in use: 4, 8 or 16 lanes. */
int rs_compute_lanes(void);
/* Use this many lanes (4, 8 or 16; 0: the widest). Returns the lanes now in
 * use, or 0, changing nothing, when the CPU lacks that width. */
int rs_compute_set_lanes(int lanes);

#endif
