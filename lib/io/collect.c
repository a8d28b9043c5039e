/* collect.c: answers held in memory until whole (collect.h). */
#include "collect.h"
#include "cli.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

void rs_collect_open(rs_collect *c)
{
	memset(c, 0, sizeof *c);
	if (!(c->f = open_memstream(&c->buf, &c->len)))
		rs_die("cannot hold the output: %s", strerror(errno));
}

void rs_collect_write(rs_collect *c, FILE *out)
{
	if (fclose(c->f) != 0)
		rs_die("cannot hold the output: %s", strerror(errno));
	fwrite(c->buf, 1, c->len, out);
	free(c->buf);
	memset(c, 0, sizeof *c);
	if (out == stdout)
		rs_check_stdout();
	else
		fflush(out);
}
