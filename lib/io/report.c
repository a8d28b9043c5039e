/* report.c: a tool's metrics on stdout, as 'name<TAB>value' lines or one
 * JSON object (report.h). */
#include "report.h"
#include "cli.h"
#include "json.h"

#include <string.h>

#include <math.h>
#include <stdio.h>

void rs_report_begin(rs_report *rp, int json, const char *mp, const char *baseline)
{
	const char *key = mp ? "model" : "baseline", *v = mp ? mp : baseline;
	rp->json = json;
	rp->first = 0;
	if (json) {
		printf("{\"%s\": ", key);
		rs_json_string(stdout, v, strlen(v));
	} else {
		printf("%s\t%s\n", key, v);
	}
}

/* A metric that does not exist for these records (AUC over one class)
 * prints as JSON's null or TSV's nan, with the reason on stderr. */
void rs_report_metric(rs_report *rp, const char *name, double v)
{
	if (!isfinite(v))
		fprintf(stderr, "%s: %s is undefined: the records scored are all of one class\n",
			rs_prog, name);
	if (rp->json && !isfinite(v))
		printf("%s\"%s\": null", rp->first ? "{" : ", ", name);
	else if (rp->json)
		printf("%s\"%s\": %.9g", rp->first ? "{" : ", ", name, v);
	else
		printf("%s\t%.6f\n", name, v);
	rp->first = 0;
}

/* The count of records or users the metrics averaged over, closing the
 * JSON object or the TSV lines. */
void rs_report_end(rs_report *rp, size_t n)
{
	if (rp->json)
		printf(", \"n\": %zu}\n", n);
	else
		printf("n\t%zu\n", n);
}

