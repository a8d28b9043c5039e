/* mpvalue.h: typed access to msgpack-c objects. */
#ifndef RS_MPVALUE_H
#define RS_MPVALUE_H

#include <msgpack.h>
#include <stdint.h>

/* Typed access to values; 0 on success, -1 on a wrong type. Both integer
 * kinds and both float kinds are accepted where they make sense. Inline:
 * every record's every value goes through them. */
static inline int rs_obj_u64(const msgpack_object *o, uint64_t *v)
{
	if (o->type != MSGPACK_OBJECT_POSITIVE_INTEGER)
		return -1;
	*v = o->via.u64;
	return 0;
}

static inline int rs_obj_i64(const msgpack_object *o, int64_t *v)
{
	if (o->type == MSGPACK_OBJECT_NEGATIVE_INTEGER) {
		*v = o->via.i64;
		return 0;
	}
	if (o->type == MSGPACK_OBJECT_POSITIVE_INTEGER && o->via.u64 <= INT64_MAX) {
		*v = (int64_t)o->via.u64;
		return 0;
	}
	return -1;
}

static inline int rs_obj_num(const msgpack_object *o, double *v)
{
	switch (o->type) {
	case MSGPACK_OBJECT_POSITIVE_INTEGER: *v = (double)o->via.u64; return 0;
	case MSGPACK_OBJECT_NEGATIVE_INTEGER: *v = (double)o->via.i64; return 0;
	case MSGPACK_OBJECT_FLOAT32:
	case MSGPACK_OBJECT_FLOAT64: *v = o->via.f64; return 0;
	default: return -1;
	}
}

/* Look a key up in a msgpack map; NULL if absent. */
const msgpack_object *rs_map_get(const msgpack_object *map, const char *key);
/* Whether o is the string s. */
int rs_obj_is(const msgpack_object *o, const char *s);
/* Copy a STR object into a new NUL-terminated string (NULL if not a STR). */
char *rs_obj_strdup(const msgpack_object *o);
void rs_pack_cstr(msgpack_packer *pk, const char *s);

#endif
