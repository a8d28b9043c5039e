/* out.c: buffered output; atomic replacement of files; no partial models. */
#include "out.h"
#include "cli.h"
#include "mem.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define OUT_CAP (64 * 1024)

/* The temp file to remove if the process dies before committing it. One at a
 * time is all a tool needs. */
static char *pending_tmp;

static void remove_pending(void)
{
	if (pending_tmp)
		unlink(pending_tmp);
}

static void on_signal(int sig)
{
	if (pending_tmp)
		unlink(pending_tmp);
	signal(sig, SIG_DFL);
	raise(sig);
}

static void init(rs_out *o, int fd, const char *name)
{
	memset(o, 0, sizeof *o);
	o->fd = fd;
	o->name = name;
	o->cap = OUT_CAP;
	o->buf = rs_malloc(o->cap);
	msgpack_packer_init(&o->pk, o, rs_out_write);
}

void rs_out_stdout(rs_out *o)
{
	rs_refuse_tty(STDOUT_FILENO, "binary output");
	init(o, STDOUT_FILENO, "stdout");
}

void rs_out_path(rs_out *o, const char *path)
{
	size_t n = strlen(path);
	char *tmp = rs_malloc(n + 16);
	memcpy(tmp, path, n);
	memcpy(tmp + n, ".tmp.XXXXXX", 12);
	int fd = mkstemp(tmp);
	if (fd < 0)
		rs_die("%s: cannot create: %s", path, strerror(errno));
	pending_tmp = tmp;
	static int hooked;
	if (!hooked) {
		hooked = 1;
		atexit(remove_pending);
		signal(SIGINT, on_signal);
		signal(SIGTERM, on_signal);
		signal(SIGHUP, on_signal);
	}
	init(o, fd, path);
	o->tmp = tmp;
}

void rs_out_open(rs_out *o, const char *path)
{
	if (!path || !strcmp(path, "-"))
		rs_out_stdout(o);
	else
		rs_out_path(o, path);
}

static void flush(rs_out *o)
{
	size_t off = 0;
	while (!o->err && off < o->len) {
		ssize_t w = write(o->fd, o->buf + off, o->len - off);
		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0)
			o->err = errno;
		else
			off += (size_t)w;
	}
	o->len = 0;
	if (o->err == EPIPE && !o->tmp)
		exit(0);   /* the reader went away: `| head` is normal use */
}

int rs_out_write(void *data, const char *p, size_t len)
{
	rs_out *o = data;
	if (o->len + len > o->cap) {
		flush(o);
		if (len >= o->cap) {   /* large blobs go straight through */
			while (!o->err && len) {
				ssize_t w = write(o->fd, p, len);
				if (w < 0 && errno == EINTR)
					continue;
				if (w < 0)
					o->err = errno;
				else
					p += w, len -= (size_t)w;
			}
			if (o->err == EPIPE && !o->tmp)
				exit(0);
			return o->err ? -1 : 0;
		}
	}
	/* msgpack-c writes a value in pieces of 1 to 9 bytes: a call to memcpy
	 * for each cost more than the packing itself */
	char *d = o->buf + o->len;
	if (len <= 16)
		for (size_t i = 0; i < len; i++)
			d[i] = p[i];
	else
		memcpy(d, p, len);
	o->len += len;
	return o->err ? -1 : 0;
}

void rs_out_commit(rs_out *o)
{
	flush(o);
	if (!o->err && close(o->fd) != 0)
		o->err = errno;
	if (o->err)
		rs_die("%s: write failed: %s", o->name, strerror(o->err));
	if (o->tmp) {
		if (rename(o->tmp, o->name) != 0)
			rs_die("%s: cannot rename temp file into place: %s", o->name, strerror(errno));
		pending_tmp = NULL;
		free(o->tmp);
	}
	free(o->buf);
	memset(o, 0, sizeof *o);
}
