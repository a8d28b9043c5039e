/* json.c: msgpack to JSON and TSV text. */
#include "json.h"

#include <string.h>

#include <math.h>

/* Bytes of the UTF-8 sequence starting at s (at most n), or 0 when the
 * bytes there are not one well-formed sequence. */
static size_t utf8_len(const unsigned char *s, size_t n)
{
	/* 0xf5..0xff lead nothing: they would say past U+10FFFF */
	size_t len = s[0] >= 0xf5 ? 0 : s[0] >= 0xf0 ? 4 : s[0] >= 0xe0 ? 3 : s[0] >= 0xc2 ? 2 : 0;
	if (!len || len > n)
		return 0;
	for (size_t i = 1; i < len; i++)
		if ((s[i] & 0xc0) != 0x80)
			return 0;
	/* no overlong forms, no surrogates, nothing past U+10FFFF */
	if ((s[0] == 0xe0 && s[1] < 0xa0) || (s[0] == 0xed && s[1] > 0x9f) ||
	    (s[0] == 0xf0 && s[1] < 0x90) || (s[0] == 0xf4 && s[1] > 0x8f))
		return 0;
	return len;
}

/* JSON is UTF-8: well-formed UTF-8 passes as it is, and any other byte is
 * read as Latin-1 (MovieLens-100K's titles are) and escaped, so the output
 * is always valid JSON. */
void rs_json_string(FILE *f, const char *str, size_t n)
{
	const unsigned char *s = (const unsigned char *)str;
	fputc('"', f);
	for (size_t i = 0; i < n;) {
		unsigned char c = s[i];
		size_t len;
		if (c == '"' || c == '\\')
			fprintf(f, "\\%c", c);
		else if (c == '\n')
			fputs("\\n", f);
		else if (c == '\t')
			fputs("\\t", f);
		else if (c < 0x20 || c == 0x7f)
			fprintf(f, "\\u%04x", c);
		else if (c < 0x80)
			fputc(c, f);
		else if ((len = utf8_len(s + i, n - i))) {
			fwrite(s + i, 1, len, f);
			i += len;
			continue;
		} else
			fprintf(f, "\\u%04x", c);
		i++;
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

/* A field's encoding keys (attrs.h), as the header packs them. */
static void json_fenc(FILE *f, const rs_fenc *e)
{
	fprintf(f, ", \"encode\": \"%s\"", rs_enc_names[e->enc]);
	if (e->enc == RS_ENC_ONEHOT) {
		fprintf(f, ", \"min_count\": %u, \"map\": [", e->min_count);
		for (uint32_t i = 0; i < e->nmap; i++)
			fprintf(f, "%s%u", i ? ", " : "", e->map[i]);
		fputc(']', f);
	} else if (e->enc == RS_ENC_HASH) {
		fprintf(f, ", \"hash_bits\": %u", e->hash_bits);
	} else if (e->enc == RS_ENC_SCALE) {
		fprintf(f, ", \"min\": %.17g, \"max\": %.17g", e->min, e->max);
	} else if (e->enc == RS_ENC_QUANTILE) {
		fprintf(f, ", \"cuts\": [");
		for (uint32_t i = 0; i < e->ncuts; i++)
			fprintf(f, "%s%.17g", i ? ", " : "", e->cuts[i]);
		fputc(']', f);
	}
}

static void json_attrs(FILE *f, const rs_attr *a, int n)
{
	fprintf(f, ", \"attributes\": [");
	for (int i = 0; i < n; i++) {
		fprintf(f, "%s{\"column\": ", i ? ", " : "");
		rs_json_string(f, a[i].column, strlen(a[i].column));
		fprintf(f, ", \"type\": \"%s\"", rs_attr_type_names[a[i].type]);
		if (a[i].type == RS_ATTR_CATEGORICAL) {
			fprintf(f, ", \"values\": [");
			for (uint32_t v = 0; v < a[i].values.n; v++) {
				if (v)
					fputs(", ", f);
				rs_json_string(f, rs_names_at(&a[i].values, v), strlen(rs_names_at(&a[i].values, v)));
			}
			fputc(']', f);
		}
		fputc('}', f);
	}
	fputc(']', f);
}

void rs_json_header(FILE *f, const rs_header *h)
{
	fprintf(f, "{\"format\": \"%s\", \"version\": %d, \"columns\": [", RS_STREAM_FORMAT,
	       rs_header_version(h));
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
		const rs_names *nm = w ? &h->item_names : &h->user_names;
		fprintf(f, ", \"%s\": {\"count\": %u, \"ids\": [", what[w], n);
		for (uint32_t i = 0; i < n; i++) {
			if (i)
				fputs(", ", f);
			if (rs_names_on(nm))
				rs_json_string(f, rs_names_at(nm, i), strlen(rs_names_at(nm, i)));
			else
				fprintf(f, "%lld", (long long)ids[i]);
		}
		fprintf(f, "]}");
	}
	fprintf(f, ", \"fields\": [");
	for (int i = 0; i < h->nfields; i++) {
		fprintf(f, "%s{\"name\": ", i ? ", " : "");
		rs_json_string(f, h->fields[i].name, strlen(h->fields[i].name));
		fprintf(f, ", \"offset\": %u, \"size\": %u", h->fields[i].offset, h->fields[i].size);
		if (h->fields[i].window)
			fprintf(f, ", \"window\": %u", h->fields[i].window);
		if (h->fields[i].bin)
			fprintf(f, ", \"bin\": %u, \"origin\": %lld", h->fields[i].bin,
				(long long)h->fields[i].origin);
		if (h->fields[i].enc)
			json_fenc(f, h->fields[i].enc);
		fputc('}', f);
	}
	fprintf(f, "], \"history\": [");
	for (int i = 0; i < h->nhistory; i++) {
		if (i)
			fputs(", ", f);
		rs_json_string(f, h->history[i], strlen(h->history[i]));
	}
	fputc(']', f);
	if (h->nattrs)
		json_attrs(f, h->attrs, h->nattrs);
	fprintf(f, "}\n");
}
