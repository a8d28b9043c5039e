/* out.c: buffered output; atomic replacement of files; no partial models. */
#include "out.h"
#include "cli.h"
#include "mem.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <sys/stat.h>
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

void rs_out_fd(rs_out *o, int fd, const char *name)
{
	init(o, fd, name);
}

void rs_out_stdout(rs_out *o)
{
	rs_refuse_tty(STDOUT_FILENO, "binary output");
	init(o, STDOUT_FILENO, "stdout");
}

/* The mode a file created by open(2) gets: 0666 less the umask. */
static mode_t created_mode(void)
{
	mode_t mask = umask(0);
	umask(mask);
	return 0666 & ~mask;
}

/* An unnamed file in path's folder (O_TMPFILE), which nothing can leave
 * behind, not even SIGKILL; -1 where the filesystem lacks it. */
static int unnamed_beside(const char *path)
{
	const char *slash = strrchr(path, '/');
	char *dir = slash ? rs_strndup(path, slash == path ? 1 : (size_t)(slash - path)) : rs_strdup(".");
	/* named later through /proc, so only where /proc is there */
	int fd = access("/proc/self/fd", X_OK) ? -1 : open(dir, O_TMPFILE | O_WRONLY | O_CLOEXEC, created_mode());
	free(dir);
	return fd;
}

void rs_out_path(rs_out *o, const char *path)
{
	/* a device, a FIFO or a socket is written in place, as coreutils'
	 * tools write it: the atomic rename would replace it with a file (as
	 * root, -o /dev/null would leave the machine a regular /dev/null) */
	struct stat st;
	if (stat(path, &st) == 0 && !S_ISREG(st.st_mode) && !S_ISDIR(st.st_mode)) {
		int fd = open(path, O_WRONLY | O_CLOEXEC);
		if (fd < 0)
			rs_die("%s: cannot open: %s", path, strerror(errno));
		init(o, fd, path);
		return;
	}
	int fd = unnamed_beside(path);
	if (fd >= 0) {
		init(o, fd, path);
		o->unnamed = 1;
		return;
	}
	size_t n = strlen(path);
	char *tmp = rs_malloc(n + 16);
	memcpy(tmp, path, n);
	memcpy(tmp + n, ".tmp.XXXXXX", 12);
	fd = mkstemp(tmp);
	if (fd < 0) {
		free(tmp);
		rs_die("%s: cannot create: %s", path, strerror(errno));
	}
	fchmod(fd, created_mode());   /* mkstemp's is 0600 */
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

void rs_out_not_input(const char *path, const char *opt, int in_fd, const char *in_name)
{
	struct stat o, i;
	/* a device or a FIFO read and written is the caller's plan, not a loss */
	if (!path || !strcmp(path, "-") || stat(path, &o) || !S_ISREG(o.st_mode) || fstat(in_fd, &i))
		return;
	if (o.st_dev == i.st_dev && o.st_ino == i.st_ino)
		rs_die("%s: %s names the input %s; write it elsewhere", path, opt, in_name);
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
	if (o->err == EPIPE && o->fd == STDOUT_FILENO)
		rs_exit_closed_pipe();   /* the reader went away: `| head` is normal use */
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
			if (o->err == EPIPE && o->fd == STDOUT_FILENO)
				rs_exit_closed_pipe();
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

/* Give the unnamed file o->fd its name: linked straight at the path when
 * nothing is there, else linked beside it and renamed over it (a window of
 * two system calls, where a temp name may be left by SIGKILL). */
static void link_unnamed(rs_out *o)
{
	char proc[64];
	snprintf(proc, sizeof proc, "/proc/self/fd/%d", o->fd);
	if (linkat(AT_FDCWD, proc, AT_FDCWD, o->name, AT_SYMLINK_FOLLOW) == 0)
		return;
	if (errno != EEXIST)
		rs_die("%s: cannot create: %s", o->name, strerror(errno));
	size_t n = strlen(o->name);
	char *tmp = rs_malloc(n + 16);
	for (unsigned tries = 0;; tries++) {
		snprintf(tmp, n + 16, "%s.tmp.%06u", o->name, (unsigned)getpid() % 1000000 + tries);
		if (linkat(AT_FDCWD, proc, AT_FDCWD, tmp, AT_SYMLINK_FOLLOW) == 0)
			break;
		if (errno != EEXIST || tries > 100)
			rs_die("%s: cannot create: %s", o->name, strerror(errno));
	}
	pending_tmp = tmp;
	o->tmp = tmp;
}

void rs_out_commit(rs_out *o)
{
	flush(o);
	if (!o->err && o->unnamed)
		link_unnamed(o);
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
