/* dsv's fast paths against what they stand in for: the plain-digit number
 * parsers against strtoll and strtod, bit for bit, and a plain line against
 * libcsv's fields of the same line. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "dsv.h"
#include "rng.h"
#include "tap.h"

static int rows_seen;
static char got[64][64];

static int keep(void *ctx, char **f, int n, unsigned long line)
{
	(void)ctx, (void)line;
	for (int i = 0; i < n && rows_seen * 8 + i < 64; i++)
		snprintf(got[rows_seen * 8 + i], sizeof got[0], "%s", f[i]);
	rows_seen++;
	return 0;
}

int main(void)
{
	rs_rng rng;
	rs_rng_seed(&rng, 5);
	int bad_int = 0, bad_num = 0;
	for (int t = 0; t < 200000; t++) {
		char s[32];
		int len = 1 + (int)rs_rng_below(&rng, 20), dot = (int)rs_rng_below(&rng, (uint32_t)len + 3);
		for (int i = 0; i < len; i++)
			s[i] = i == dot && i ? '.' : (char)('0' + rs_rng_below(&rng, 10));
		s[len] = 0;
		char *end;
		errno = 0;
		long long want = strtoll(s, &end, 10);
		int want_ok = !*end && !errno;
		int64_t v = -1;
		int ok_ = rs_field_int(s, &v) == 0;
		bad_int += ok_ != want_ok || (ok_ && v != want);
		errno = 0;
		double wd = strtod(s, &end);
		double d;
		int dok = rs_field_num(s, &d) == 0;
		bad_num += dok != (!*end && !errno) || (dok && memcmp(&d, &wd, sizeof d));
	}
	ok(bad_int == 0, "rs_field_int = strtoll on 200000 digit strings (%d differ)", bad_int);
	ok(bad_num == 0, "rs_field_num = strtod, bit for bit, on the same strings (%d differ)", bad_num);

	/* plain lines split here, the quoted one by libcsv, and after it all */
	const char *text = "1,2,3.5,100\r\n4,5,\"6\",7\n8,9,10,11\n";
	FILE *f = fmemopen((void *)text, strlen(text), "r");
	rows_seen = 0;
	rs_dsv_read(f, "t", ',', NULL, NULL, keep, NULL);
	fclose(f);
	ok(rows_seen == 3 && !strcmp(got[3], "100") && !strcmp(got[10], "6") && !strcmp(got[19], "11"),
	   "plain, quoted and later lines give libcsv's fields (%d rows)", rows_seen);

	/* ISO-8601 times against glibc's timegm over every day of 1600-2400
	 * at a time of day each, and in each offset form */
	int bad_time = 0, days = 0;
	for (int y = 1600; y <= 2400; y++)
		for (int m = 1; m <= 12; m++)
			for (int d = 1; d <= 31; d++) {
				struct tm tm = {.tm_year = y - 1900, .tm_mon = m - 1, .tm_mday = d,
						.tm_hour = (d * 7) % 24, .tm_min = (d * 13) % 60, .tm_sec = (d * 17) % 60};
				time_t want = timegm(&tm);
				char buf[64];
				int64_t v;
				int real = tm.tm_mday == d;   /* timegm moved Feb 30 to March */
				snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d", y, m, d, (d * 7) % 24,
					 (d * 13) % 60, (d * 17) % 60);
				if (rs_field_time(buf, &v) != (real ? 0 : -1) || (real && v != (int64_t)want))
					bad_time++;
				if (!real)
					continue;
				days++;
				snprintf(buf + 19, sizeof buf - 19, "+05:30");
				bad_time += rs_field_time(buf, &v) || v != (int64_t)want - 19800;
				snprintf(buf + 19, sizeof buf - 19, "-0100");
				bad_time += rs_field_time(buf, &v) || v != (int64_t)want + 3600;
				snprintf(buf + 19, sizeof buf - 19, "Z");
				bad_time += rs_field_time(buf, &v) || v != (int64_t)want;
				snprintf(buf + 10, sizeof buf - 10, "%s", "");
				bad_time += rs_field_time(buf, &v) || v != (int64_t)want - (want % 86400 + 86400) % 86400;
			}
	ok(bad_time == 0 && days == 292560, "rs_field_time = timegm on %d days, 4 forms each (%d differ)", days, bad_time);
	int64_t v;
	const char *refused[] = {"2020-1-01", "2020-01-01T", "2020-01-01T10", "2020-01-01T24:00",
				 "2020-01-01T10:00:00+2", "2020-01-01T10:00:00.", "2020-13-01", "2020-00-10",
				 "2020-01-01T10:00:00ZZ", "2020-01-01x", "1e9", "2020-01-01T10:00+",
				 "2020-01-01T10:00:00+1"};
	int taken = 0;
	for (size_t i = 0; i < sizeof refused / sizeof *refused; i++)
		taken += !rs_field_time(refused[i], &v);
	ok(taken == 0, "rs_field_time refuses %zu malformed times (%d taken)", sizeof refused / sizeof *refused, taken);
	return tap_done();
}
