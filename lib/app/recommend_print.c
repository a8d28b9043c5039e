/* recommend_print.c: rs-recommend's lists as TSV lines or JSON objects
 * (recommend.h). */
#include "recommend.h"
#include "json.h"
#include "jsonid.h"

#include <string.h>

void rs_recommend_print(rs_recommender *r, FILE *f, const rs_request *q, int n)
{
	const rs_header *h = r->h;
	if (r->o.json) {
		rs_answer_open(f, h, q, q->similar);
		fputs(", \"items\": [", f);
	} else if (!r->headed++) {   /* the columns, once: a similar item's list names its own */
		fprintf(f, q->similar ? "item\trank\tsimilar\tscore%s\n" : "user\trank\titem\tscore%s\n",
			r->title ? "\ttitle" : "");
	}
	const char *lead = q->user ? q->user : q->similar ? q->similar : "-";
	for (int j = 0; j < n; j++) {
		char b[RS_ID_TEXT];
		uint32_t i = r->top[j];
		const char *item = rs_item_text(h, i, b);
		const char *t = r->title && r->title[i] ? r->title[i] : "";
		if (r->o.json) {
			fprintf(f, "%s{\"item\": ", j ? ", " : "");
			rs_json_id(f, &h->item_names, item);
			fprintf(f, ", \"score\": %.9g", r->best[j]);
			if (r->title) {
				fputs(", \"title\": ", f);
				rs_json_string(f, t, strlen(t));
			}
			fputc('}', f);
			continue;
		}
		fprintf(f, "%s\t%d\t%s\t%.6g", lead, j + 1, item, r->best[j]);
		if (r->title)
			fprintf(f, "\t%s", t);
		fputc('\n', f);
	}
	if (r->o.json)
		fputs("]}\n", f);
}
