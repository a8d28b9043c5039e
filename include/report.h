/* report.h: metrics printed as 'name<TAB>value' lines, or with json set as
 * one JSON object; a metric that does not exist (AUC over one class) is
 * nan or null, with the reason on stderr. */
#ifndef RS_REPORT_H
#define RS_REPORT_H

#include <stddef.h>

typedef struct rs_report {
	int json;
	int first;               /* 1 before the first metric */
} rs_report;

/* A block labelled by what was scored, first: 'model<TAB>PATH', or
 * 'baseline<TAB>NAME' when mp is NULL, so that blocks of several runs
 * read apart. */
void rs_report_begin(rs_report *rp, int json, const char *mp, const char *baseline);
void rs_report_metric(rs_report *rp, const char *name, double v);
/* The count of records or users the metrics averaged over, last. */
void rs_report_end(rs_report *rp, size_t n);

#endif
