/* collect.h: a tool's text answer held whole until it is complete, then
 * written at once: a tool that fails part way (an unknown id on line
 * 9,000) has written nothing, never part of its answer. */
#ifndef RS_COLLECT_H
#define RS_COLLECT_H

#include <stddef.h>
#include <stdio.h>

typedef struct rs_collect {
	FILE *f;             /* where the answer is printed meanwhile */
	char *buf;
	size_t len;
} rs_collect;

/* An in-memory FILE; dies when none can be made. */
void rs_collect_open(rs_collect *c);
/* Everything printed to c->f, written to out and flushed (a write error
 * dies as rs_check_stdout does); c is closed and freed. */
void rs_collect_write(rs_collect *c, FILE *out);

#endif
