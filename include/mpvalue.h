/* mpvalue.h: typed access to msgpack-c objects. */
#ifndef RS_MPVALUE_H
#define RS_MPVALUE_H

#include <msgpack.h>
#include <stdint.h>

/* Typed access to values; 0 on success, -1 on a wrong type. Both integer
 * kinds and both float kinds are accepted where they make sense. */
int rs_obj_u64(const msgpack_object *o, uint64_t *v);
int rs_obj_i64(const msgpack_object *o, int64_t *v);
int rs_obj_num(const msgpack_object *o, double *v);
/* Look a key up in a msgpack map; NULL if absent. */
const msgpack_object *rs_map_get(const msgpack_object *map, const char *key);
/* Whether o is the string s. */
int rs_obj_is(const msgpack_object *o, const char *s);
/* Copy a STR object into a new NUL-terminated string (NULL if not a STR). */
char *rs_obj_strdup(const msgpack_object *o);
void rs_pack_cstr(msgpack_packer *pk, const char *s);

#endif
