/* input.c: gzip-transparent FILEs (input.h), a stdio cookie over zlib. */
#include "input.h"
#include "cli.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

static ssize_t gz_read(void *cookie, char *buf, size_t size)
{
	gzFile gz = cookie;
	int n = gzread(gz, buf, size > INT_MAX ? INT_MAX : (unsigned)size);
	int err = Z_OK;
	if (n <= 0)
		gzerror(gz, &err);
	if (n < 0 || (err != Z_OK && err != Z_STREAM_END)) {
		errno = EIO;   /* corrupt or truncated: never a short clean file */
		return -1;
	}
	return n;
}

static int gz_close(void *cookie)
{
	return gzclose_r(cookie) == Z_OK ? 0 : EOF;
}

/* Takes fd, which gzclose closes. */
static FILE *over(int fd, const char *name)
{
	gzFile gz = fd < 0 ? NULL : gzdopen(fd, "rb");
	if (!gz) {
		if (fd >= 0)
			close(fd);
		rs_die("%s: %s", name, fd < 0 ? strerror(errno) : "out of memory");
	}
	gzbuffer(gz, 1 << 17);
	FILE *f = fopencookie(gz, "r", (cookie_io_functions_t){gz_read, NULL, NULL, gz_close});
	if (!f) {
		gzclose_r(gz);
		rs_die("%s: out of memory", name);
	}
	return f;
}

FILE *rs_input_fdopen(int fd, const char *name)
{
	return over(dup(fd), name);
}

FILE *rs_input_open(const char *path)
{
	return over(open(path, O_RDONLY | O_CLOEXEC), path);
}
