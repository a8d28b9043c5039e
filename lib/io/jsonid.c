/* jsonid.c: raw ids as JSON of their space's type (jsonid.h). */
#include "jsonid.h"
#include "json.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

void rs_json_id(FILE *f, const rs_names *names, const char *text)
{
	if (!rs_names_on(names)) {
		char *end;
		errno = 0;
		long long v = strtoll(text, &end, 10);
		/* as a number, "0196" and "+5" print as the id they name */
		if (*text && !errno && !*end && *text != ' ' && *text != '\t') {
			fprintf(f, "%lld", v);
			return;
		}
	}
	rs_json_string(f, text, strlen(text));
}
