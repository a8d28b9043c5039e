/* fields.h: the fields ml-onehot makes, each a kind with a name that
 * stream headers and models carry. */
#ifndef RS_FIELDS_H
#define RS_FIELDS_H

enum {
	RS_F_USER, RS_F_ITEM, RS_F_AGE, RS_F_GENDER, RS_F_OCCUPATION, RS_F_ZIP, RS_F_YEAR,
	RS_F_GENRE, RS_F_HISTORY, RS_F_LAST, RS_F_LONG, RS_F_LONG_SQRT, RS_F_USER_TIME, RS_F_ITEM_TIME,
	RS_F_DAY, RS_F_IMPLICIT, RS_F_RATERS, RS_F_COUNT,
	/* a column of a generic feature file (ml-onehot --user-features,
	 * --item-features): named "u:COLUMN" or "i:COLUMN" */
	RS_F_UFEAT = RS_F_COUNT, RS_F_IFEAT
};
#define RS_UFEAT_PREFIX "u:"
#define RS_IFEAT_PREFIX "i:"
static inline int rs_field_is_generic(int kind) { return kind == RS_F_UFEAT || kind == RS_F_IFEAT; }
/* The implicit-feedback fields: a user's train items (implicit), an
 * item's train users (raters). They end the layout, and their features are
 * the caller's to append (ml-onehot): they come from the stream's train
 * records, not from the pair. */
static inline int rs_field_is_feedback(int kind) { return kind == RS_F_IMPLICIT || kind == RS_F_RATERS; }

/* The last field (ml-onehot --last): a record's latest earlier train item,
 * apart from the history window's mean, so that a model can weigh the
 * transition from it (FPMC's) on its own. */
/* The long-term field (ml-onehot --long): a record's earlier train items
 * beyond the history window, each weighted 1/n ("long", their mean) or
 * 1/sqrt(n) ("long-sqrt") over the n of them. */
static inline int rs_field_is_long(int kind) { return kind == RS_F_LONG || kind == RS_F_LONG_SQRT; }

/* The time fields (ml-onehot --time), timeSVD++'s terms as FM features
 * (Koren, KDD 2009; Rendle et al. 2019 for Bayesian FMs): user-time, the
 * user in a bin of days (their drift), item-time, the item in a bin of
 * days (its popularity's drift), and day, the record's day. Built from a
 * record's 'ts'; a pair scored without one takes the stream's last day. */
static inline int rs_field_is_time(int kind)
{
	return kind == RS_F_USER_TIME || kind == RS_F_ITEM_TIME || kind == RS_F_DAY;
}

/* Which side file a field's features come from: u.user (age, gender,
 * occupation, zip) or u.item (year, genre). */
static inline int rs_field_from_users(int kind) { return kind >= RS_F_AGE && kind <= RS_F_ZIP; }
static inline int rs_field_from_items(int kind) { return kind == RS_F_YEAR || kind == RS_F_GENRE; }
/* Whether a field describes the item (and changes with it when the same
 * user is scored against another item), or the user and their context. */
static inline int rs_field_of_item(int kind)
{
	return kind == RS_F_ITEM || rs_field_from_items(kind) || kind == RS_F_RATERS || kind == RS_F_IFEAT ||
	       kind == RS_F_ITEM_TIME;
}
/* Whether a field's features are user ids (user, raters) or item ids
 * (item, history, implicit): its size follows the stream's id table, and a
 * model maps them by raw id. */
static inline int rs_field_is_user_ids(int kind) { return kind == RS_F_USER || kind == RS_F_RATERS; }
static inline int rs_field_is_item_ids(int kind)
{
	return kind == RS_F_ITEM || kind == RS_F_HISTORY || kind == RS_F_LAST || rs_field_is_long(kind) ||
	       kind == RS_F_IMPLICIT;
}

/* A built-in field's name (not the generic ones': theirs are their files'). */
const char *rs_field_name(int kind);
/* Field kind of a name, or -1. */
int rs_field_kind(const char *name);

#endif
