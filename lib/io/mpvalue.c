/* mpvalue.c: typed access to msgpack-c objects, and packing a C string. */
#include "mpvalue.h"
#include "mem.h"

#include <math.h>
#include <string.h>

const msgpack_object *rs_map_get(const msgpack_object *map, const char *key)
{
	if (map->type != MSGPACK_OBJECT_MAP)
		return NULL;
	size_t n = strlen(key);
	for (uint32_t i = 0; i < map->via.map.size; i++) {
		const msgpack_object *k = &map->via.map.ptr[i].key;
		if (k->type == MSGPACK_OBJECT_STR && k->via.str.size == n &&
		    !memcmp(k->via.str.ptr, key, n))
			return &map->via.map.ptr[i].val;
	}
	return NULL;
}

int rs_obj_is(const msgpack_object *o, const char *s)
{
	return o && o->type == MSGPACK_OBJECT_STR && o->via.str.size == strlen(s) &&
	       !memcmp(o->via.str.ptr, s, o->via.str.size);
}

char *rs_obj_strdup(const msgpack_object *o)
{
	if (o->type != MSGPACK_OBJECT_STR)
		return NULL;
	if (memchr(o->via.str.ptr, 0, o->via.str.size))
		return NULL;   /* an embedded NUL would silently truncate the name */
	return rs_strndup(o->via.str.ptr, o->via.str.size);
}

void rs_pack_cstr(msgpack_packer *pk, const char *s)
{
	size_t n = strlen(s);
	msgpack_pack_str(pk, n);
	msgpack_pack_str_body(pk, s, n);
}

