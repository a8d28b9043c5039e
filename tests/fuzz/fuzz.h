/* fuzz.h: what every harness shares. A harness is a libFuzzer target,
 * LLVMFuzzerTestOneInput, built by `make fuzz` with clang's libFuzzer and
 * ASan+UBSan, and by `make test` with driver.c, which replays the committed
 * corpus and regressions through it with any compiler.
 *
 * Bad input is expected: the library then dies with one message, which the
 * harness catches (rs_set_die_handler) and checks is one non-empty line.
 * A crash, a sanitizer report, a hang or a huge allocation is a finding.
 * Memory held when the library dies is not freed (the tools exit there), so
 * leak detection is off in these runs; valgrind checks the tools' leaks. */
#ifndef RS_FUZZ_H
#define RS_FUZZ_H

#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "cli.h"

static jmp_buf fuzz_jmp;

static inline void fuzz_on_die(int code, const char *msg)
{
	if ((code != 1 && code != 2) || !msg[0] || strchr(msg, '\n')) {
		fprintf(stderr, "finding: exit %d with a message that is not one line: '%s'\n", code, msg);
		abort();
	}
	longjmp(fuzz_jmp, 1);
}

/* Run the statement; a die of the library returns to the caller. */
#define FUZZ_GUARD(stmt)                                   \
	do {                                               \
		rs_set_die_handler(fuzz_on_die);           \
		if (!setjmp(fuzz_jmp)) {                   \
			stmt;                              \
		}                                          \
		rs_set_die_handler(NULL);                  \
	} while (0)

/* The input as a file descriptor at offset 0 (a memfd: no disk). */
static inline int fuzz_fd(const uint8_t *data, size_t size)
{
	int fd = memfd_create("fuzz", 0);
	if (fd < 0 || (size && write(fd, data, size) != (ssize_t)size) || lseek(fd, 0, SEEK_SET))
		abort();
	return fd;
}

/* Close a reader that rs_reader_start may or may not have set up. */
#include "stream.h"
static inline void fuzz_close_reader(rs_reader *r)
{
	if (r->up.buffer)
		rs_reader_close(r);
	else
		rs_header_free(&r->hdr);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#endif
