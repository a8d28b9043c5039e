/* out.h: buffered binary output with a sticky error, the sink of every
 * msgpack packer in rspipe. To a file path it writes atomically: an unnamed
 * file (O_TMPFILE) in the target's folder, or where the filesystem has none
 * a temp file beside it, given the path only by rs_out_commit. A path that
 * exists and is not a regular file (a device, a FIFO, a socket) is opened
 * and written in place, never replaced. */
#ifndef RS_OUT_H
#define RS_OUT_H

#include <msgpack.h>
#include <stddef.h>

typedef struct rs_out {
	int fd;
	const char *name;     /* for messages: a path or "stdout" */
	char *tmp;            /* temp path while writing atomically, else NULL */
	int unnamed;          /* fd is an O_TMPFILE file, named by rs_out_commit */
	char *buf;            /* (cap) */
	size_t len, cap;
	int err;              /* first errno seen, 0 if none */
	msgpack_packer pk;    /* packs into this buffer */
} rs_out;

/* An open fd written as it is (rs_out_commit closes it): the fuzz
 * harnesses' memfd, where no path could be replaced. */
void rs_out_fd(rs_out *o, int fd, const char *name);
/* stdout, refused when it is a terminal. */
void rs_out_stdout(rs_out *o);
/* Nothing appears at path before rs_out_commit; mode 0666 less the umask
 * (a device or FIFO: written in place as the bytes come). */
void rs_out_path(rs_out *o, const char *path);
/* "-" or NULL means stdout. */
void rs_out_open(rs_out *o, const char *path);
/* Dies, before anything is written, when path (an output named by option
 * opt) is the regular file open as in_fd, the input named in_name: the
 * output would replace the input it is made from. */
void rs_out_not_input(const char *path, const char *opt, int in_fd, const char *in_name);
/* msgpack_packer write callback. */
int rs_out_write(void *o, const char *data, size_t len);
/* Flush, name (or rename) into place, close; dies on any write error
 * (SIGPIPE's quiet end on a closed stdout). */
void rs_out_commit(rs_out *o);

#endif
