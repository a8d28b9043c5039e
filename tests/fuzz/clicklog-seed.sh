#!/bin/sh
# clicklog-seed.sh: a small click log for the fuzz seeds and the tests: a
# label, user, item, two categorical columns (tags multi-valued), a numeric
# one with missing values and an hour, 24 lines.
awk 'BEGIN {
	OFS = "\t"
	print "click", "user", "item", "site", "tags", "price", "hour"
	for (i = 0; i < 24; i++)
		print (i * 7) % 3 == 0, "u" i % 5, "i" (i * 3) % 7, "s" (i % 4 ? i % 3 : 9), \
		      i % 6 == 0 ? "" : "t" i % 2 "|t" 2 + i % 3, i % 5 == 4 ? "" : (i * 37) % 100 / 4, i % 24
}'
