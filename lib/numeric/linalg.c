/* linalg.c: Cholesky factors, their solves and the Gram matrix (linalg.h).
 * Each function is written once over its form and built once per form
 * (a constant `recip`), so neither form's loops test the other's. */
#include "linalg.h"
#include "compute.h"

#include <math.h>

#define ALWAYS_INLINE static inline __attribute__((always_inline))

/* Row by row, left to right: L_ij = (A_ij - sum_{t<j} L_it L_jt) / L_jj,
 * L_ii = sqrt(A_ii - sum_{t<i} L_it^2). */
ALWAYS_INLINE int factor(double *A, int n, int recip)
{
	for (int i = 0; i < n; i++)
		for (int j = 0; j <= i; j++) {
			double s = A[(size_t)i * n + j];
			for (int t = 0; t < j; t++)
				s -= A[(size_t)i * n + t] * A[(size_t)j * n + t];
			if (i != j)
				A[(size_t)i * n + j] = recip ? s * A[(size_t)j * n + j] : s / A[(size_t)j * n + j];
			else if (recip && !(s > 0))
				return 0;
			else
				A[(size_t)i * n + i] = recip ? 1.0 / sqrt(s) : sqrt(s > 1e-300 ? s : 1e-300);
		}
	return 1;
}

int rs_chol_factor(double *A, int n, rs_chol_form form)
{
	return form == RS_CHOL_RECIP ? factor(A, n, 1) : factor(A, n, 0);
}

ALWAYS_INLINE void forward(const double *L, int n, int recip, double *x)
{
	for (int i = 0; i < n; i++) {
		double s = x[i];
		for (int t = 0; t < i; t++)
			s -= L[(size_t)i * n + t] * x[t];
		x[i] = recip ? s * L[(size_t)i * n + i] : s / L[(size_t)i * n + i];
	}
}

void rs_chol_forward(const double *L, int n, rs_chol_form form, double *x)
{
	if (form == RS_CHOL_RECIP)
		forward(L, n, 1, x);
	else
		forward(L, n, 0, x);
}

/* L^T's rows are L's columns: x_i = (x_i - sum_{t>i} L_ti x_t) / L_ii,
 * from the last */
ALWAYS_INLINE void back(const double *L, int n, int recip, double *x)
{
	for (int i = n - 1; i >= 0; i--) {
		double s = x[i];
		for (int t = i + 1; t < n; t++)
			s -= L[(size_t)t * n + i] * x[t];
		x[i] = recip ? s * L[(size_t)i * n + i] : s / L[(size_t)i * n + i];
	}
}

void rs_chol_back(const double *L, int n, rs_chol_form form, double *x)
{
	if (form == RS_CHOL_RECIP)
		back(L, n, 1, x);
	else
		back(L, n, 0, x);
}

RS_SIMD_BODY void gram_lower_body(double *G, const float *Y, size_t rows, int k)
{
	for (size_t r = 0; r < rows; r++) {
		const float *y = Y + r * (size_t)k;
		for (int a = 0; a < k; a++)
			for (int c = 0; c <= a; c++)
				G[(size_t)a * k + c] += (double)y[a] * y[c];
	}
}

RS_SIMD_VOID(gram_lower, (double *G, const float *Y, size_t rows, int k), (G, Y, rows, k))

void rs_gram_lower(double *G, const float *Y, size_t rows, int k)
{
	gram_lower(G, Y, rows, k);
}
