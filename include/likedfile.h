/* likedfile.h: new users named by the items they liked, a file of 'user
 * item [ts]' lines (ratings.h's reader, the layout read off line 1), as
 * rs-recommend --liked-file reads it: each user's items oldest first (by
 * ts, else in file order), the users in the order they first appear. */
#ifndef RS_LIKEDFILE_H
#define RS_LIKEDFILE_H

#include "request.h"

/* Called for each user of the file named name (messages' name for it):
 * q's user and liked, the raw ids as written. */
typedef void (*rs_liked_fn)(void *ctx, const char *name, const rs_request *q);

/* Read path (NULL, "-": stdin) to its end, then call each for every user
 * in turn. Bad input dies with "name:line: message"; the lines passed over
 * (blank, '#', a header) are said on stderr. */
void rs_liked_file_read(const char *path, rs_liked_fn each, void *ctx);

#endif
