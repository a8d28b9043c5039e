/* rs-show: an rs-stream (or an rs-model) as text for people and tests. */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "opts.h"
#include "input.h"
#include "json.h"
#include "stream.h"

static const rs_opt opts[] = {
	RS_LONG('H', "header", NULL, "print the stream's header as JSON and stop"),
	RS_LONG('F', "full", NULL, "a model: its whole map as JSON (tensors as byte counts)"),
	RS_OPT('d', "dense", NULL, "users and items by the stream's dense ids (0..n-1)"),
	RS_OPT('j', "json", NULL, "one JSON object per record, keyed by column name"),
	RS_OPT('n', "records", "N", "only the first N records"),
	{0},
};

static const rs_tool tool = {
	.name = "rs-show",
	.summary = "print an rs-stream or a model as text",
	.usage = "[OPTION]... [FILE]",
	.about = "Print an rs-stream (FILE or stdin) as text: by default TSV with a line of\n"
		 "column names, then one line per record, users and items by their raw\n"
		 "ids (the MovieLens ids of the input). A model (a trainer's output)\n"
		 "prints as a summary, 'key<TAB>value' lines: kind, task, hyperparameters,\n"
		 "ids, fields, epochs, the kept epoch's validation and test metrics ('kept')\n"
		 "and tensor shapes.",
	.opts = opts,
	.examples = "ml-split < u.data | rs-show -n 5\n"
		    "ml-split < u.data | ml-ctr | rs-show --header\n"
		    "ml-split < u.data | rs-show -j | jq 'select(.split == 1) | .rating'",
};

/* A value for people: floats as %g (the file keeps every digit). */
static void human(const msgpack_object *o)
{
	if (o->type == MSGPACK_OBJECT_FLOAT32 || o->type == MSGPACK_OBJECT_FLOAT64)
		printf("%g", o->via.f64);
	else
		rs_tsv_print(stdout, o);
}

/* "k1 v1, k2 v2" of a map's entries */
static void pairs(const msgpack_object *map)
{
	for (uint32_t i = 0; map && map->type == MSGPACK_OBJECT_MAP && i < map->via.map.size; i++) {
		if (i)
			fputs(", ", stdout);
		rs_tsv_print(stdout, &map->via.map.ptr[i].key);
		putchar(' ');
		human(&map->via.map.ptr[i].val);
	}
	putchar('\n');
}

/* "name value, ..." of an array of maps with a name (fields, tensors) */
static void named(const msgpack_object *a, const char *key)
{
	for (uint32_t i = 0; a && a->type == MSGPACK_OBJECT_ARRAY && i < a->via.array.size; i++) {
		const msgpack_object *nm = rs_map_get(&a->via.array.ptr[i], "name");
		const msgpack_object *v = rs_map_get(&a->via.array.ptr[i], key);
		printf("%s", i ? ", " : "");
		if (nm && v) {
			rs_tsv_print(stdout, nm);
			putchar(' ');
			rs_json_print(stdout, v);
		}
	}
	putchar('\n');
}

/* "kept\tvalid_rmse 0.9211, test_rmse 0.9345": the validation and test
 * metrics of the epoch kept, as its log row has them (NaN ones left out:
 * a metric the epoch did not compute). */
static void kept(const msgpack_object *cols, const msgpack_object *log, const msgpack_object *best)
{
	if (!cols || cols->type != MSGPACK_OBJECT_ARRAY || !log || log->type != MSGPACK_OBJECT_ARRAY ||
	    !best || best->type != MSGPACK_OBJECT_POSITIVE_INTEGER || !best->via.u64 ||
	    best->via.u64 > log->via.array.size)
		return;
	const msgpack_object *row = &log->via.array.ptr[best->via.u64 - 1];
	if (row->type != MSGPACK_OBJECT_ARRAY)
		return;
	const char *lead = "kept\t";
	for (uint32_t c = 0; c < cols->via.array.size && c < row->via.array.size; c++) {
		const msgpack_object *name = &cols->via.array.ptr[c], *v = &row->via.array.ptr[c];
		if (name->type != MSGPACK_OBJECT_STR ||
		    (v->type != MSGPACK_OBJECT_FLOAT64 && v->type != MSGPACK_OBJECT_FLOAT32) || isnan(v->via.f64))
			continue;
		const char *n = name->via.str.ptr;
		size_t len = name->via.str.size;
		if ((len > 6 && !strncmp(n, "valid_", 6)) || (len > 5 && !strncmp(n, "test_", 5))) {
			printf("%s%.*s %.4f", lead, (int)len, n, v->via.f64);
			lead = ", ";
		}
	}
	if (*lead == ',')
		putchar('\n');
}

/* A model in a few lines: what it is, how it was trained, what it holds.
 * The file was written by a trainer; keys it lacks print empty. */
static void summary(const msgpack_object *m)
{
	static const char *const scalars[] = {"kind", "task", "version", "mu"};
	for (size_t i = 0; i < sizeof scalars / sizeof *scalars; i++) {
		const msgpack_object *v = rs_map_get(m, scalars[i]);
		printf("%s\t", scalars[i]);
		if (v)
			human(v);
		putchar('\n');
	}
	printf("hyper\t");
	pairs(rs_map_get(m, "hyper"));
	const msgpack_object *h = rs_map_get(m, "header");
	const char *ids[2] = {"users", "items"};
	for (int w = 0; w < 2; w++) {
		const msgpack_object *c = h ? rs_map_get(h, ids[w]) : NULL;
		c = c ? rs_map_get(c, "count") : NULL;
		printf("%s\t", ids[w]);
		if (c)
			rs_tsv_print(stdout, c);
		putchar('\n');
	}
	printf("fields\t");
	named(h ? rs_map_get(h, "fields") : NULL, "size");
	const msgpack_object *log = rs_map_get(m, "log"), *best = rs_map_get(m, "best_epoch");
	printf("epochs\t%u run, ", log && log->type == MSGPACK_OBJECT_ARRAY ? log->via.array.size : 0);
	if (best)
		rs_tsv_print(stdout, best);
	printf(" kept\n");
	kept(rs_map_get(m, "log_columns"), log, best);
	printf("tensors\t");
	named(rs_map_get(m, "tensors"), "shape");
}

int main(int argc, char **argv)
{
	rs_cli_init("rs-show");
	int header = 0, json = 0, full = 0, dense = 0;
	long limit = LONG_MAX;
	int c;
	rs_getopt g;
	rs_getopt_init(&g, &tool, argc, argv);
	while ((c = rs_getopt_next(&g)) != -1) {
		switch (c) {
		case 'H': header = 1; break;
		case 'F': full = 1; break;
		case 'd': dense = 1; break;
		case 'j': json = 1; break;
		case 'n': limit = rs_opt_long("--records", optarg, 0, LONG_MAX); break;
		}
	}
	if (argc - optind > 1)
		rs_usage_error("at most one input file");
	const char *path = optind < argc ? argv[optind] : NULL, *name = rs_operand_name(path);
	int fd = rs_operand_open(path);
	rs_reader in;
	msgpack_object first;
	if (rs_reader_start(&in, fd, name, &first))
		rs_die("%s", in.err);
	if (rs_obj_is(rs_map_get(&first, "format"), RS_MODEL_FORMAT)) {
		if (full || json) {   /* blobs print as sizes */
			rs_json_print(stdout, &first);
			putchar('\n');
		} else {
			summary(&first);
		}
		rs_reader_close(&in);
		rs_close_stdout();
		return 0;
	}
	if (rs_reader_header(&in, &first))
		rs_die("%s", in.err);
	if (header) {
		rs_json_header(stdout, &in.hdr);
		rs_reader_close(&in);
		rs_close_stdout();
		return 0;
	}
	if (!json)
		for (int i = 0; i < in.hdr.ncol; i++)
			printf("%s%c", in.hdr.columns[i], i + 1 < in.hdr.ncol ? '\t' : '\n');
	/* The id columns print through the header's tables unless --dense. */
	int ucol = dense ? -1 : rs_header_col(&in.hdr, RS_COL_USER);
	int icol = dense ? -1 : rs_header_col(&in.hdr, RS_COL_ITEM);
	const msgpack_object *rec;
	for (long n = 0; n < limit && (rec = rs_reader_next(&in)); n++) {
		if (json)
			putchar('{');
		for (int i = 0; i < in.hdr.ncol; i++) {
			if (i)
				fputs(json ? ", " : "\t", stdout);
			if (json) {
				rs_json_string(stdout, in.hdr.columns[i], strlen(in.hdr.columns[i]));
				fputs(": ", stdout);
			}
			char text[RS_ID_TEXT];
			const char *id = i == ucol ? rs_user_text(&in.hdr, rs_rec_id(&in, rec, i, in.hdr.nusers), text)
				       : i == icol ? rs_item_text(&in.hdr, rs_rec_id(&in, rec, i, in.hdr.nitems), text)
						   : NULL;
			int named = (i == ucol && rs_names_on(&in.hdr.user_names)) ||
				    (i == icol && rs_names_on(&in.hdr.item_names));
			if (id && named && json)
				rs_json_string(stdout, id, strlen(id));
			else if (id)
				fputs(id, stdout);
			else if (json)
				rs_json_print(stdout, &rec[i]);
			else
				rs_tsv_print(stdout, &rec[i]);
		}
		puts(json ? "}" : "");
		rs_check_stdout();
	}
	rs_reader_close(&in);
	rs_close_stdout();
	return 0;
}
