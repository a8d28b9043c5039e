/* input.h: text inputs that may be gzip-compressed. zlib reads a plain
 * file through as it is, so every reader of text (ratings, side files,
 * pairs) takes either without being told; the stream reader does the same
 * with its own gzip handle (stream.h). */
#ifndef RS_INPUT_H
#define RS_INPUT_H

#include <stdio.h>
#include <stdnoreturn.h>

/* A FILE over fd (which stays open), or over the file at path; dies naming
 * the input when it cannot be opened. A corrupt or truncated gzip input
 * reads as a read error (ferror). */
FILE *rs_input_fdopen(int fd, const char *name);
FILE *rs_input_open(const char *path);

/* fclose as an rs_cleanup_push cleanup: an input is closed on an error too,
 * since zlib's state behind libc's FILE is where LeakSanitizer does not
 * look. */
void rs_input_close(void *file);

/* A text input that failed to read (ferror): dies with the system's
 * reason, or for a corrupt or truncated gzip (EIO) with that. */
noreturn void rs_input_read_error(const char *name);

/* A tool's input operand: NULL or "-" is stdin. The name messages give it
 * ("stdin" or path), and an fd of it the caller closes (0 is not dup'd:
 * leave it open); dies naming path when it cannot be opened. */
int rs_is_stdin(const char *path);
const char *rs_operand_name(const char *path);
int rs_operand_open(const char *path);
/* The same as a text input (rs_input_fdopen, rs_input_open). Both say
 * once on stderr (not under -q) when stdin is a terminal: a tool waiting
 * on the keyboard is not a tool that hangs. */
FILE *rs_input_operand(const char *path);
/* That line, what naming what is read ("its input", "requests"). */
void rs_stdin_notice(const char *what);

#endif
