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
		/* a failed read keeps its reason; a corrupt or truncated gzip
		 * is an I/O error, never a short clean file */
		if (err != Z_ERRNO)
			errno = EIO;
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

void rs_input_close(void *file)
{
	fclose(file);
}

void rs_input_read_error(const char *name)
{
	if (errno && errno != EIO)
		rs_die("%s: read error: %s", name, strerror(errno));
	rs_die("%s: read error (unreadable, or gzip that is corrupt or truncated)", name);
}

int rs_is_stdin(const char *path)
{
	return !path || !strcmp(path, "-");
}

const char *rs_operand_name(const char *path)
{
	return rs_is_stdin(path) ? "stdin" : path;
}

void rs_stdin_notice(const char *what)
{
	static int told;
	if (!told && !rs_quiet && isatty(STDIN_FILENO)) {
		fprintf(stderr, "%s: reading %s from the terminal (Ctrl-D ends it)\n", rs_prog, what);
		told = 1;
	}
}

int rs_operand_open(const char *path)
{
	if (rs_is_stdin(path)) {
		rs_stdin_notice("its input");
		return 0;
	}
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		rs_die("%s: %s", path, strerror(errno));
	return fd;
}

FILE *rs_input_operand(const char *path)
{
	if (rs_is_stdin(path))
		rs_stdin_notice("its input");
	return rs_is_stdin(path) ? rs_input_fdopen(0, "stdin") : rs_input_open(path);
}
