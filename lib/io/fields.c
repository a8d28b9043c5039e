/* fields.c: the fields ml-onehot makes, by name. */
#include "fields.h"

#include <string.h>

static const char *names[RS_F_COUNT] = {"user", "item", "age", "gender", "occupation",
					 "zip", "year", "genre", "history", "last", "long", "long-sqrt",
					 "user-time", "item-time", "day", "implicit", "raters"};

const char *rs_field_name(int kind) { return names[kind]; }

int rs_field_kind(const char *name)
{
	for (int i = 0; i < RS_F_COUNT; i++)
		if (!strcmp(name, names[i]))
			return i;
	if (!strncmp(name, RS_UFEAT_PREFIX, 2) && name[2])
		return RS_F_UFEAT;
	if (!strncmp(name, RS_IFEAT_PREFIX, 2) && name[2])
		return RS_F_IFEAT;
	return -1;
}

