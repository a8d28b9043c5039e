/* input.h: text inputs that may be gzip-compressed. zlib reads a plain
 * file through as it is, so every reader of text (ratings, side files,
 * pairs) takes either without being told; the stream reader does the same
 * with its own gzip handle (stream.h). */
#ifndef RS_INPUT_H
#define RS_INPUT_H

#include <stdio.h>

/* A FILE over fd (which stays open), or over the file at path; dies naming
 * the input when it cannot be opened. A corrupt or truncated gzip input
 * reads as a read error (ferror). */
FILE *rs_input_fdopen(int fd, const char *name);
FILE *rs_input_open(const char *path);

#endif
