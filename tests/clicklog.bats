#!/usr/bin/env bats
# Click logs with any columns: ml-split --format click, ml-onehot's fields of
# their feature columns (rare, hashed and numeric features), the trainers on
# them, and bad input.

setup() {
	load helper
	T=$BATS_TEST_TMPDIR
	# five events: -1/1 labels, a multi-valued column, a missing number
	printf 'click,user,item,site,tags,price\n1,u1,i1,a,x|y,1.5\n-1,u2,i1,b,,\n1,u1,i2,a,y,8\n-1,u3,i2,c,x|z,0.25\n1,u2,i1,a,q,-3\n' > "$T/h.csv"
	ml-split -q --format click --split fold --fold 5 "$T/h.csv" > "$T/h.mp"
}

# fnv KEY...: each value's 64-bit key (FNV-1a, top bit cleared) mod 16
fnv16() {
	python3 -c 'import sys
def k(s):
    h = 0xcbf29ce484222325
    for b in s.encode(): h = ((h ^ b) * 0x100000001b3) % 2**64
    return (h % 2**63) % 16
print(" ".join(str(k(v)) for v in sys.argv[1:]))' "$@"
}

@test "ml-split --format click: labels, ids, categorical values by id and numbers as written" {
	run --separate-stderr ml-split --format click --split fold --fold 5 "$T/h.csv"
	assert_success
	assert_equal "$stderr" "ml-split: $T/h.csv: a click label; categorical site,tags; numeric price (--categorical and --numeric COL override)
ml-split: 5 records, 3 users, 2 items, 3 feature columns: 4 train, 1 test"
	run rs-show --json "$T/h.mp"
	assert_output '{"split": 0, "user": "u1", "item": "i1", "click": 1, "ts": 0, "c:site": [0], "c:tags": [0, 1], "c:price": 1.5}
{"split": 0, "user": "u2", "item": "i1", "click": 0, "ts": 1, "c:site": [1], "c:tags": [], "c:price": null}
{"split": 0, "user": "u1", "item": "i2", "click": 1, "ts": 2, "c:site": [0], "c:tags": [1], "c:price": 8}
{"split": 0, "user": "u3", "item": "i2", "click": 0, "ts": 3, "c:site": [2], "c:tags": [0, 2], "c:price": 0.25}
{"split": 1, "user": "u2", "item": "i1", "click": 1, "ts": 4, "c:site": [0], "c:tags": [3], "c:price": -3}'
	run rs-show --header "$T/h.mp"
	assert_output --partial '"attributes": [{"column": "c:site", "type": "categorical", "values": ["a", "b", "c"]}, {"column": "c:tags", "type": "categorical", "values": ["x", "y", "z", "q"]}, {"column": "c:price", "type": "numeric"}]}'
}

@test "ml-split --format click: tab, CRLF and gzip read as the CSV" {
	tr , '\t' < "$T/h.csv" > "$T/h.tsv"
	sed 's/$/\r/' "$T/h.csv" > "$T/crlf.csv"
	gzip -c "$T/h.csv" > "$T/h.csv.gz"
	rs-show "$T/h.mp" > "$T/want"
	for f in h.tsv crlf.csv h.csv.gz; do
		ml-split -q --format click --split fold --fold 5 "$T/$f" | rs-show | cmp - "$T/want"
	done
}

@test "ml-split --format click: --categorical, --numeric, --label none and rating labels" {
	pipe "ml-split -q --format click --categorical price '$T/h.csv' | rs-show --json -n 1"
	assert_output '{"split": 0, "user": "u1", "item": "i1", "click": 1, "ts": 0, "c:site": [0], "c:tags": [0, 1], "c:price": [0]}'
	pipe "ml-split -q --format click --label none '$T/h.csv' | rs-show --header"
	assert_output --partial '"columns": ["split", "user", "item", "ts", "c:click", "c:site", "c:tags", "c:price"], "target": "implicit"'
	printf 'rating,user,site\n4.5,a,x\n2,b,y\n' > "$T/r.csv"
	pipe "ml-split -q --format click '$T/r.csv' | rs-show --json -n 1"
	assert_output '{"split": 0, "user": "a", "item": 0, "rating": 4.5, "ts": 0, "c:site": [0]}'
}

@test "ml-onehot: --min-count 2's rare feature takes rare and unseen values, counted on stderr" {
	run --separate-stderr ml-onehot --min-count 2 "$T/h.mp"
	assert_success
	assert_equal "$stderr" "ml-onehot: 5 records, 5 fields, 76 features, 5.20 active per record
ml-onehot: 4 values took their field's rare feature (seen fewer than --min-count 2 times in train, or not in train)"
	ml-onehot -q --min-count 2 "$T/h.mp" > "$T/o.mp"
	# site: a (2 in train) 6, b and c rare 5; tags: x 8, y 9, z (1) and q
	# (test only) rare 7, parts at 1/2; price log2: 1.5 -> 10+2+32, 8 -> 10+2+35,
	# 0.25 -> 10+2+30, missing 10, -3 (not above 0) 11
	run bash -c "rs-show '$T/o.mp' | cut -f 9-"
	assert_output "x	xv
0,3,6,8,9,44	1,1,1,0.5,0.5,1
1,3,5,10	1,1,1,1
0,4,6,9,47	1,1,1,1,1
2,4,5,7,8,42	1,1,1,0.5,0.5,1
1,3,6,7,11	1,1,1,1,1"
	run rs-show --header "$T/o.mp"
	assert_output --partial '{"name": "c:site", "offset": 5, "size": 2, "encode": "onehot", "min_count": 2, "map": [1, 0, 0]}, {"name": "c:tags", "offset": 7, "size": 3, "encode": "onehot", "min_count": 2, "map": [1, 2, 0, 0]}, {"name": "c:price", "offset": 10, "size": 66, "encode": "log2"}'
}

@test "ml-onehot: --hash-bits 4 gives each value its key mod 16; quantile and scale numbers" {
	read -r a b c x y z q <<< "$(fnv16 a b c x y z q)"
	ml-onehot -q --hash-bits 4 "$T/h.mp" > "$T/o.mp"
	# site at 5, tags at 21 (16 each), price at 37
	run bash -c "rs-show '$T/o.mp' | cut -f 9 | tail -n +2"
	sorted() { tr ' ' '\n' | sort -n | paste -sd, -; }
	assert_output "$(echo 0 3 $((5 + a)) $((21 + x)) $((21 + y)) 71 | sorted)
$(echo 1 3 $((5 + b)) 37 | sorted)
$(echo 0 4 $((5 + a)) $((21 + y)) 74 | sorted)
$(echo 2 4 $((5 + c)) $((21 + x)) $((21 + z)) 69 | sorted)
$(echo 1 3 $((5 + a)) $((21 + q)) 38 | sorted)"
	# two quantiles of train's 0.25, 1.5, 8: one cut, 1.5; price at 13
	pipe "ml-onehot -q --numbers quantile --quantiles 2 '$T/h.mp' | rs-show | cut -f 9 | tail -n +2 | awk -F, '{ print \$NF }' | paste -sd' '"
	assert_output "15 13 15 14 14"
	run bash -c "ml-onehot -q --numbers quantile --quantiles 2 '$T/h.mp' | rs-show --header"
	assert_output --partial '"name": "c:price", "offset": 13, "size": 3, "encode": "quantile", "cuts": [1.5]}'
	# scale: (v - 0.25) / (8 - 0.25), clipped; missing at feature 0
	pipe "ml-onehot -q --numbers scale '$T/h.mp' | rs-show | cut -f 10 | tail -n +2 | awk -F, '{ print \$NF }' | paste -sd' '"
	assert_output "0.161290318 1 1 0 0"
}

@test "ml-onehot --fields: a click log's columns by name, after the others" {
	pipe "ml-onehot -q --fields c:price,user '$T/h.mp' | rs-show --header"
	assert_output --partial '"fields": [{"name": "user", "offset": 0, "size": 3}, {"name": "c:price", "offset": 3, "size": 66, "encode": "log2"}]'
	refused "ml-onehot --fields c:nope" "$T/h.mp" "ml-onehot: stdin:header: --fields names 'c:nope', which is not a feature column of the stream"
	run ml-onehot --hash-bits 4 --min-count 2 "$T/h.mp"
	assert_failure 2
	assert_line -n 0 "ml-onehot: --hash-bits hashes every value: not with --min-count"
}

@test "ml-onehot: a long history and a column of many values in one record: every feature written (421 in the last record)" {
	# one user's 300 events, each with a value of 120 parts: the last record
	# holds the user, the item, 299 earlier items and the 120 parts, more than
	# the room of the fields alone (ASan saw the column's written past it)
	awk 'BEGIN { OFS = ","; print "click,user,item,tags"; t = "t1"; for (j = 2; j <= 120; j++) t = t "|t" j
		for (i = 0; i < 300; i++) print i % 2, "u1", "i" i, t }' > "$BATS_TEST_TMPDIR/tags.csv"
	ml-split -q --format click --split seq-aware "$BATS_TEST_TMPDIR/tags.csv" > "$BATS_TEST_TMPDIR/tags.mp"
	ml-onehot -q --long mean -f user,item,long,c:tags "$BATS_TEST_TMPDIR/tags.mp" > "$BATS_TEST_TMPDIR/tags1.mp"
	run sh -c "rs-show '$BATS_TEST_TMPDIR/tags1.mp' | awk -F'\t' 'NR > 1 { n = split(\$NF, a, \",\"); if (n > m) m = n } END { print NR - 1, m }'"
	assert_output "300 421"
}

# a click log whose click is its site's (s0, s1 click; s2, s3 do not)
separable() {
	awk 'BEGIN { OFS = ","; print "click,user,item,site,price"
		for (i = 0; i < 4000; i++) { s = (i * 13 + int(i / 7)) % 4; print (s < 2), "u" i % 50, "i" (i * 7) % 30, "s" s, i % 17 + 0.5 } }'
}

@test "fm-train, deepfm-train and fm-train --method mcmc learn a click that is a column's" {
	separable > "$T/sep.csv"
	ml-split -q --format click --split time "$T/sep.csv" > "$T/s.mp"
	ml-onehot -q "$T/s.mp" > "$T/all.mp"
	ml-onehot -q --fields user,item "$T/s.mp" > "$T/ids.mp"
	# the site alone separates the clicks: a model that has it ranks every
	# click first (AUC 1; 0.99 leaves room for a few ties), and user and item
	# alone do not (their AUC stays near chance, below 0.6)
	for t in fm-train deepfm-train "fm-train --method mcmc"; do
		$t -q < "$T/all.mp" > "$T/m.bin"
		at_least "$(rs-eval -q -m "$T/m.bin" "$T/all.mp" 2>/dev/null | awk '$1 == "auc" { print $2 }')" 0.99
	done
	fm-train -q < "$T/ids.mp" > "$T/m.bin"
	at_least 0.6 "$(rs-eval -q -m "$T/m.bin" "$T/ids.mp" 2>/dev/null | awk '$1 == "auc" { print $2 }')"
}

@test "click log findings: one line naming file, line and column, exit 1, nothing written" {
	refused "ml-split --format click" <(printf 'click,user,site\n1,a,x\n0,b\n') "ml-split: stdin:3: expected 3 fields (the header's), found 2"
	refused "ml-split --format click" <(printf 'click,user,site\n1,a,x\nyes,b,y\n') "ml-split: stdin:3: column 1 (click): 'yes' is not a label (0/1, -1/1 or a rating)"
	refused "ml-split --format click" <(printf 'click,user,site\n1,a,x\n,b,y\n') "ml-split: stdin:3: column 1 (click): '' is not a label (0/1, -1/1 or a rating)"
	refused "ml-split --format click --numeric price" <(printf 'click,user,price\n1,a,2\n0,b,\n1,c,abc\n') "ml-split: stdin:4: column 3 (price): 'abc' is not a number (--numeric price)"
	refused "ml-split --format click" <(printf 'click,user,site,site\n1,a,x,y\n') "ml-split: stdin:1: column 'site' is named twice (columns 3 and 4)"
	refused "ml-split --format click --numeric nope" <(printf 'click,user,site\n1,a,x\n') "ml-split: stdin:1: --numeric names 'nope', which is not a feature column of the header"
	refused "ml-split --format click" <(printf 'click,user,site\n') "ml-split: stdin: no records after the header"
	refused "ml-split --format click" /dev/null "ml-split: stdin: empty input (no header)"
	run ml-split --format click --min-user 2 /dev/null
	assert_failure 2
	assert_line -n 0 "ml-split: --format click, libfm and libffm read their columns off the input: not with --columns, --header, --dedupe, --min-user or --min-item"
}

@test "click log fuzz findings: refused with one line" {
	for f in "$R"/clicklog/*; do
		run --separate-stderr bash -c "tail -c +2 '$f' | ml-split --format click"
		assert_failure 1
		assert_equal "$(printf '%s\n' "$stderr" | wc -l)" 1
	done
}

@test "click stream fuzz findings: ml-onehot refuses them with one line" {
	while IFS='|' read -r file msg; do
		refused ml-onehot <(tail -c +2 "$R/colenc/$file") "ml-onehot: stdin:record 1: $msg"
	done <<END
value-past-dictionary|column 'c:site' has a value id that is not below its 2 values
number-for-values|column 'c:site' is not an array of value ids
string-for-number|column 'c:price' is neither a finite number nor nil
END
}

@test "click stream fuzz finding: a header and no records gives ml-onehot's header and no record (quantiles of no value)" {
	run --separate-stderr bash -c "tail -c +2 '$R/colenc/header-no-records' | ml-onehot --numbers quantile --min-count 2 | rs-show"
	assert_success
	assert_output "$(printf 'split\tuser\titem\tclick\tts\tc:site\tc:tags\tc:price\tc:hour\tx\txv')"
	assert_equal "${stderr%%, 6 fields*}" "ml-onehot: 0 records"
}

# 10,000 events of varied columns: multi-valued tags, missing and negative prices
varied() {
	awk 'BEGIN { OFS = ","; print "click,user,item,site,tags,price"
		for (i = 0; i < 10000; i++) {
			s = (i * 7 + int(i / 13)) % 23
			print ((i * 31 + s) % 7 < 3), "u" (i * 17) % 301, "i" (i * 5) % 97, "s" s, \
			      (i % 9 ? "t" i % 4 : "") (i % 3 ? "" : "|t" i % 11) (i % 500 == 7 ? "|r" int(i / 500) : ""), (i % 10 == 3 ? "" : (i % 50) - 7.5)
		} }'
}

@test "rs-predict: rows of a click log score as rs-eval --predict scores their records; --serve the same" {
	varied > "$T/v.csv"
	ml-split -q --format click --split time "$T/v.csv" | ml-onehot -q --min-count 30 > "$T/v.mp"
	fm-train -q --epochs 3 < "$T/v.mp" > "$T/m.bin"
	rs-eval -q --predict -m "$T/m.bin" "$T/v.mp" | rs-show | awk -F'\t' 'NR > 1 { print $NF }' > "$T/want"
	run --separate-stderr rs-predict -m "$T/m.bin" "$T/v.csv"
	assert_success
	assert_equal "$(printf '%s\n' "$output" | wc -l)" 10000
	printf '%s\n' "$output" | cmp - "$T/want"
	# the test rows' AUC and logloss are rs-eval's over the test records
	tail -n 1000 "$T/v.csv" | sed 1i"$(head -n 1 "$T/v.csv")" > "$T/test.csv"
	run --separate-stderr rs-predict -m "$T/m.bin" "$T/test.csv"
	read -r auc ll <<< "$(rs-eval -q -m "$T/m.bin" "$T/v.mp" 2>/dev/null | awk '$1 == "auc" { a = $2 } $1 == "logloss" { l = $2 } END { print a, l }')"
	assert_equal "$stderr" "rs-predict: 1000 rows, 1000 labelled: auc $auc logloss $ll"
	# the first three rows as --serve's objects (tags an array, a missing price null)
	awk -F, 'NR > 1 && NR <= 4 { printf "{\"user\": \"%s\", \"item\": \"%s\", \"site\": \"%s\", \"tags\": [\"%s\"], \"price\": %s}\n", $2, $3, $4, $5, $6 == "" ? "null" : $6 }' "$T/v.csv" | sed 's/|/", "/' > "$T/req"
	run rs-predict -m "$T/m.bin" --serve < "$T/req"
	assert_output "$(head -n 3 "$T/want" | sed 's/.*/{"score": &}/')"
}

@test "rs-predict: a value the model never had scores at its field's rare feature, counted; bad rows refused" {
	varied > "$T/v.csv"
	ml-split -q --format click "$T/v.csv" | ml-onehot -q --min-count 30 > "$T/v.mp"
	fm-train -q --epochs 2 < "$T/v.mp" > "$T/m.bin"
	# r0 is seen once in train, fewer than 30 times: rare, as a value never seen
	printf 'user,item,site,tags,price\nu0,i0,s0,r0,1\nu0,i0,s0,never,1\nu0,i0,s0,,1\n' > "$T/r.csv"
	run --separate-stderr rs-predict -m "$T/m.bin" "$T/r.csv"
	assert_success
	assert_equal "${lines[0]}" "${lines[1]}"
	[ "${lines[1]}" != "${lines[2]}" ]
	assert_equal "$stderr" "rs-predict: 1 ids and values the model never had: scored without them (an id) or at their field's rare feature (a value)"
	refused "rs-predict -m $T/m.bin" <(printf 'user,item,tags,price\nu0,i0,t1,1\n') "rs-predict: stdin:1: no column 'site', which the model's field 'c:site' takes"
	refused "rs-predict -m $T/m.bin" <(printf 'user,item,site,tags,price\nu0,i0,s0,t1,cheap\n') "rs-predict: stdin:2: column 5 (price): 'cheap' is not a number"
	refused "rs-predict -m $T/m.bin" <(printf 'user,item,site,tags,price\nu0,i0,s0,t1\n') "rs-predict: stdin:2: expected 5 fields (the header's), found 4"
	run rs-predict -m "$T/m.bin" --serve <<< '{"user": "u0", "item": "i0", "site": "s0", "tags": null, "price": "cheap"}'
	assert_output '{"error": "column '"'"'price'"'"': '"'"'cheap'"'"' is not a number", "line": 1}'
}

@test "ml-split --format libfm and libffm: fields by place (one-hot ranges), one field, or libffm's own" {
	# each place of a line in a range of its own: the k-th feature is field k
	printf '1 0:1 5:1 9:1\n-1 1:1 6:1 8:1\n1 2:1 4:1 10:1\n' > "$T/oh.libfm"
	run bash -c "ml-split -q --format libfm --split fold --folds 3 --fold 3 '$T/oh.libfm' | rs-show --json"
	assert_output '{"split": 0, "user": 0, "item": 0, "click": 1, "ts": 0, "c:f0": [0], "c:f1": [0], "c:f2": [0]}
{"split": 0, "user": 0, "item": 0, "click": 0, "ts": 1, "c:f0": [1], "c:f1": [1], "c:f2": [1]}
{"split": 1, "user": 0, "item": 0, "click": 1, "ts": 2, "c:f0": [2], "c:f1": [2], "c:f2": [2]}'
	run bash -c "ml-split -q --format libfm '$T/oh.libfm' | rs-show --header"
	assert_output --partial '"attributes": [{"column": "c:f0", "type": "categorical", "values": ["0", "1", "2"]}, {"column": "c:f1", "type": "categorical", "values": ["5", "6", "4"]}, {"column": "c:f2", "type": "categorical", "values": ["9", "8", "10"]}]'
	# lines of other lengths: one field of every index
	printf '1 0:1 5:1\n0 3:1\n' > "$T/one.libfm"
	run bash -c "ml-split -q --format libfm '$T/one.libfm' | rs-show --json"
	assert_output '{"split": 0, "user": 0, "item": 0, "click": 1, "ts": 0, "c:f0": [0, 1]}
{"split": 0, "user": 0, "item": 0, "click": 0, "ts": 1, "c:f0": [2]}'
	# libffm: its fields, a field's indices on a line one value of parts
	printf '1 0:3:1 2:20:1\n0 0:4:1 2:21:1 2:22:1\r\n' > "$T/a.ffm"
	run bash -c "ml-split -q --format libffm '$T/a.ffm' | rs-show --json"
	assert_output '{"split": 0, "user": 0, "item": 0, "click": 1, "ts": 0, "c:f0": [0], "c:f2": [0]}
{"split": 0, "user": 0, "item": 0, "click": 0, "ts": 1, "c:f0": [1], "c:f2": [1, 2]}'
}

@test "libFM lines train, and rs-predict --format libfm scores them as rs-eval --predict" {
	# 3000 one-hot lines of three fields whose click is field 0's parity
	awk 'BEGIN { for (i = 0; i < 3000; i++) { a = (i * 7) % 20; print (a % 2 ? 1 : -1), a ":1", 20 + (i * 3) % 11 ":1", 40 + (i * 5) % 13 ":1" } }' > "$T/t.libfm"
	ml-split -q --format libfm --split time "$T/t.libfm" | ml-onehot -q > "$T/t.mp"
	fm-train -q < "$T/t.mp" > "$T/m.bin"
	# field 0 decides the click: AUC 1 (0.99: room for ties)
	at_least "$(rs-eval -q -m "$T/m.bin" "$T/t.mp" 2>/dev/null | awk '$1 == "auc" { print $2 }')" 0.99
	rs-eval -q --predict -m "$T/m.bin" "$T/t.mp" | rs-show | awk -F'\t' 'NR > 1 { print $NF }' > "$T/want"
	run --separate-stderr rs-predict -m "$T/m.bin" --format libfm "$T/t.libfm"
	printf '%s\n' "$output" | cmp - "$T/want"
}

@test "libfm and libffm findings: one line naming file, line and token, exit 1, nothing written" {
	refused "ml-split --format libffm" <(printf '1 0:3:1\n1 0:3:1 7:1\n') "ml-split: stdin:2: token 2 ('7:1'): expected field:index:value (libffm)"
	refused "ml-split --format libfm" <(printf '1 0:1\n1 2147483648:1\n') "ml-split: stdin:2: token 1 ('2147483648:1'): the index is not an integer in [0, 2^31 - 1]"
	refused "ml-split --format libffm" <(printf '1 0:3:0.5\n') "ml-split: stdin:1: token 1 ('0:3:0.5'): the value is not 1 (one-hot features only are read)"
	refused "ml-split --format libfm" <(printf '1 0:1\nyes 1:1\n') "ml-split: stdin:2: column 1 (click): 'yes' is not a label (0/1, -1/1 or a rating)"
	refused "ml-split --format libfm" /dev/null "ml-split: stdin: empty input (no lines)"
	for f in "$R"/libfm/*; do
		run --separate-stderr bash -c "tail -c +2 '$f' | ml-split --format \$([ \"\$(head -c 1 '$f' | od -An -tu1 | tr -d ' ')\" = 1 ] && echo libffm || echo libfm)"
		assert_failure 1
		assert_equal "$(printf '%s\n' "$stderr" | wc -l)" 1
	done
}

@test "click logs and libFM lines count their skipped lines: ml-split's and rs-predict's summaries say them" {
	cd "$BATS_TEST_TMPDIR"
	printf 'click,user,item,site\n1,u1,i1,s1\n\n0,u2,i2,s2\n1,u1,i2,s1\n0,u2,i1,s2\n' > c.csv
	ml-split --format click c.csv > c.mp 2> err
	assert_equal "$(tail -n 1 err)" "ml-split: 4 records, 2 users, 2 items, 1 feature columns: 4 train, 0 test; 1 line skipped (1 blank)"
	printf '# exported\n1 0:1 3:1\n\n0 1:1 2:1\n1 0:1 2:1\n' > l.libfm
	ml-split --format libfm l.libfm > l.mp 2> err
	assert_equal "$(tail -n 1 err)" "ml-split: 3 records, 1 users, 1 items, 2 feature columns: 3 train, 0 test; 2 lines skipped (1 blank, 1 comment)"
	ml-onehot -q < c.mp > c1.mp
	fm-train -q --epochs 1 --valid-ratio 0 --early-stop 0 -o c.bin c1.mp
	run --separate-stderr rs-predict -m c.bin <(printf 'user,item,site\nu1,i1,s1\n\nu2,i2,s2\n')
	assert_success
	assert_equal "${#lines[@]}" 2
	assert_equal "$stderr" "rs-predict: 2 rows; 1 line skipped (1 blank)"
	ml-onehot -q < l.mp > l1.mp
	fm-train -q --epochs 1 --valid-ratio 0 --early-stop 0 -o l.bin l1.mp
	run --separate-stderr rs-predict -m l.bin --format libfm <(printf '1 0:1 3:1\n\n0 1:1 2:1\n')
	assert_success
	assert_regex "$stderr" '^rs-predict: 2 rows, 2 labelled: auc [0-9.]+ logloss [0-9.]+; 1 line skipped \(1 blank\)$'
	# a file with none skipped says what it said before
	run --separate-stderr rs-predict -m c.bin <(printf 'user,item,site\nu1,i1,s1\n')
	assert_equal "$stderr" ""
}

@test "ml-split --format click: --categorical and --numeric repeated name every column given, not the last alone" {
	cd "$BATS_TEST_TMPDIR"
	printf 'click,user,item,hour,day,price\n1,u1,i1,3,1,2.5\n0,u2,i2,4,2,3.5\n' > c.csv
	ml-split --format click --categorical hour --categorical day c.csv > c.mp 2> err
	assert_equal "$(head -n 1 err)" "ml-split: c.csv: a click label; categorical hour,day; numeric price (--categorical and --numeric COL override)"
	# the joined list is checked as one given once is
	run --separate-stderr ml-split --format click --categorical day --numeric price --numeric hour,day c.csv
	assert_failure 1
	assert_equal "$output" ""
	assert_equal "$stderr" "ml-split: c.csv:1: column 'day' is named by both --categorical and --numeric"
}
