/* rng.c: xoshiro256** (Blackman and Vigna), seeded by splitmix64. */
#include "rng.h"

#include <math.h>

static uint64_t splitmix64(uint64_t *x)
{
	uint64_t z = (*x += 0x9e3779b97f4a7c15ULL);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

void rs_rng_seed(rs_rng *r, uint64_t seed)
{
	for (int i = 0; i < 4; i++)
		r->s[i] = splitmix64(&seed);
}

static inline uint64_t rotl(uint64_t x, int k)
{
	return (x << k) | (x >> (64 - k));
}

uint64_t rs_rng_u64(rs_rng *r)
{
	uint64_t *s = r->s;
	uint64_t result = rotl(s[1] * 5, 7) * 9;
	uint64_t t = s[1] << 17;
	s[2] ^= s[0];
	s[3] ^= s[1];
	s[1] ^= s[2];
	s[0] ^= s[3];
	s[2] ^= t;
	s[3] = rotl(s[3], 45);
	return result;
}

double rs_rng_uniform(rs_rng *r)
{
	return (double)(rs_rng_u64(r) >> 11) * 0x1.0p-53;
}

uint32_t rs_rng_below(rs_rng *r, uint32_t n)
{
	/* Lemire's multiply-shift with rejection of the biased low range. */
	uint64_t m = (uint64_t)(uint32_t)(rs_rng_u64(r) >> 32) * n;
	uint32_t low = (uint32_t)m;
	if (low < n) {
		uint32_t floor = (uint32_t)(-n) % n;
		while (low < floor) {
			m = (uint64_t)(uint32_t)(rs_rng_u64(r) >> 32) * n;
			low = (uint32_t)m;
		}
	}
	return (uint32_t)(m >> 32);
}

double rs_rng_normal(rs_rng *r)
{
	double u1 = 1.0 - rs_rng_uniform(r);   /* (0, 1]: log is finite */
	double u2 = rs_rng_uniform(r);
	return sqrt(-2.0 * log(u1)) * cos(2.0 * M_PI * u2);
}

void rs_rng_normals(rs_rng *r, double *out, int n)
{
	for (int i = 0; i < n; i += 2) {
		double u1 = 1.0 - rs_rng_uniform(r), u2 = rs_rng_uniform(r);
		double rad = sqrt(-2.0 * log(u1)), a = 2.0 * M_PI * u2;
		out[i] = rad * cos(a);
		if (i + 1 < n)
			out[i + 1] = rad * sin(a);
	}
}

/* Marsaglia and Tsang (2000): for shape >= 1, d = shape - 1/3, draw
 * v = (1 + x / sqrt(9d))^3 for a normal x, accept d v with probability
 * exp(x^2/2 + d - d v + d log v); below 1, boost by U^(1/shape). */
double rs_rng_gamma(rs_rng *r, double shape, double rate)
{
	double boost = 1.0;
	if (shape < 1.0) {
		boost = pow(1.0 - rs_rng_uniform(r), 1.0 / shape);
		shape += 1.0;
	}
	double d = shape - 1.0 / 3.0, c = 1.0 / sqrt(9.0 * d);
	for (;;) {
		double x = rs_rng_normal(r), v = 1.0 + c * x;
		if (v <= 0.0)
			continue;
		v = v * v * v;
		double u = 1.0 - rs_rng_uniform(r);
		if (log(u) < 0.5 * x * x + d - d * v + d * log(v))
			return boost * d * v / rate;
	}
}

/* Robert (1995): above a <= 0, plain draws until one lands (at least half
 * do); above a > 0, a + Exp(l) with the optimal rate l, kept with
 * probability exp(-(z - l)^2 / 2). */
double rs_rng_normal_above(rs_rng *r, double a)
{
	if (a <= 0.0) {
		double z;
		while ((z = rs_rng_normal(r)) <= a)
			;
		return z;
	}
	double l = 0.5 * (a + sqrt(a * a + 4.0));
	for (;;) {
		double z = a - log(1.0 - rs_rng_uniform(r)) / l;
		if (rs_rng_uniform(r) < exp(-0.5 * (z - l) * (z - l)))
			return z;
	}
}

int rs_rng_select(rs_rng *r, size_t *need, size_t left)
{
	int take = (double)*need > rs_rng_uniform(r) * (double)left;
	*need -= (size_t)take;
	return take;
}

size_t rs_share(size_t n, double ratio)
{
	return (size_t)llround((double)n * ratio);
}

void rs_rng_shuffle(rs_rng *r, uint32_t *a, size_t n)
{
	for (size_t i = n; i > 1; i--) {
		size_t j = rs_rng_below(r, (uint32_t)i);
		uint32_t t = a[i - 1];
		a[i - 1] = a[j];
		a[j] = t;
	}
}
