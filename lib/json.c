/* json.c: msgpack to JSON and TSV text. */
#include "json.h"

#include <string.h>

#include <math.h>

void rs_json_string(FILE *f, const char *s, size_t n)
{
	fputc('"', f);
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c == '"' || c == '\\')
			fprintf(f, "\\%c", c);
		else if (c == '\n')
			fputs("\\n", f);
		else if (c == '\t')
			fputs("\\t", f);
		else if (c < 0x20)
			fprintf(f, "\\u%04x", c);
		else
			fputc(c, f);
	}
	fputc('"', f);
}

static void number(FILE *f, const msgpack_object *o)
{
	double v = o->via.f64;
	if (!isfinite(v))
		fputs("null", f);   /* JSON has no NaN; rspipe never writes one */
	else
		fprintf(f, o->type == MSGPACK_OBJECT_FLOAT32 ? "%.9g" : "%.17g", v);
}

void rs_json_print(FILE *f, const msgpack_object *o)
{
	switch (o->type) {
	case MSGPACK_OBJECT_NIL: fputs("null", f); break;
	case MSGPACK_OBJECT_BOOLEAN: fputs(o->via.boolean ? "true" : "false", f); break;
	case MSGPACK_OBJECT_POSITIVE_INTEGER: fprintf(f, "%llu", (unsigned long long)o->via.u64); break;
	case MSGPACK_OBJECT_NEGATIVE_INTEGER: fprintf(f, "%lld", (long long)o->via.i64); break;
	case MSGPACK_OBJECT_FLOAT32:
	case MSGPACK_OBJECT_FLOAT64: number(f, o); break;
	case MSGPACK_OBJECT_STR: rs_json_string(f, o->via.str.ptr, o->via.str.size); break;
	case MSGPACK_OBJECT_BIN: fprintf(f, "{\"bytes\": %u}", o->via.bin.size); break;
	case MSGPACK_OBJECT_EXT: fprintf(f, "{\"ext\": %u}", o->via.ext.size); break;
	case MSGPACK_OBJECT_ARRAY:
		fputc('[', f);
		for (uint32_t i = 0; i < o->via.array.size; i++) {
			if (i)
				fputs(", ", f);
			rs_json_print(f, &o->via.array.ptr[i]);
		}
		fputc(']', f);
		break;
	case MSGPACK_OBJECT_MAP:
		fputc('{', f);
		for (uint32_t i = 0; i < o->via.map.size; i++) {
			if (i)
				fputs(", ", f);
			rs_json_print(f, &o->via.map.ptr[i].key);
			fputs(": ", f);
			rs_json_print(f, &o->via.map.ptr[i].val);
		}
		fputc('}', f);
		break;
	}
}

void rs_tsv_print(FILE *f, const msgpack_object *o)
{
	switch (o->type) {
	case MSGPACK_OBJECT_STR: fwrite(o->via.str.ptr, 1, o->via.str.size, f); break;
	case MSGPACK_OBJECT_ARRAY:
		for (uint32_t i = 0; i < o->via.array.size; i++) {
			if (i)
				fputc(',', f);
			rs_tsv_print(f, &o->via.array.ptr[i]);
		}
		break;
	default: rs_json_print(f, o);
	}
}

void rs_json_header(FILE *f, const rs_header *h)
{
	fprintf(f, "{\"format\": \"%s\", \"version\": %d, \"columns\": [", RS_STREAM_FORMAT,
	       RS_STREAM_VERSION);
	for (int i = 0; i < h->ncol; i++) {
		if (i)
			fputs(", ", f);
		rs_json_string(f, h->columns[i], strlen(h->columns[i]));
	}
	fprintf(f, "], \"target\": ");
	rs_json_string(f, h->target, strlen(h->target));
	const char *what[2] = {"users", "items"};
	for (int w = 0; w < 2; w++) {
		uint32_t n = w ? h->nitems : h->nusers;
		const int64_t *ids = w ? h->item_ids : h->user_ids;
		fprintf(f, ", \"%s\": {\"count\": %u, \"ids\": [", what[w], n);
		for (uint32_t i = 0; i < n; i++)
			fprintf(f, i ? ", %lld" : "%lld", (long long)ids[i]);
		fprintf(f, "]}");
	}
	fprintf(f, ", \"fields\": [");
	for (int i = 0; i < h->nfields; i++) {
		fprintf(f, "%s{\"name\": ", i ? ", " : "");
		rs_json_string(f, h->fields[i].name, strlen(h->fields[i].name));
		fprintf(f, ", \"offset\": %u, \"size\": %u}", h->fields[i].offset, h->fields[i].size);
	}
	fprintf(f, "], \"history\": [");
	for (int i = 0; i < h->nhistory; i++) {
		if (i)
			fputs(", ", f);
		rs_json_string(f, h->history[i], strlen(h->history[i]));
	}
	fprintf(f, "]}\n");
}
