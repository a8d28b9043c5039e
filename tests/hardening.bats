#!/usr/bin/env bats
# Bad and odd input through the tools: every fuzz finding (tests/fuzz/regress)
# gives one line, exit 1, and no model; limits; errors that cannot be lost;
# options and paths no other suite reaches.

setup() {
	load helper
}

@test "stream findings: every trainer and rs-eval refuse them with one line" {
	cap="not in [1, 65536] (a field holds at most the larger of users.count, items.count and 65536 features)"
	while IFS='|' read -r file msg; do
		for tool in mf-train fm-train deepfm-train "rs-eval -m $CORPUS/model/mf.bin"; do
			refused "$tool" "$R/stream/$file" "${tool%% *}: stdin:$msg"
		done
	done <<EOF
field-ends-at-2p32.mp|header: header field 'a' has size 4294967295, $cap
field-of-2p28.mp|header: header field 'a' has size 268435456, $cap
fields-65.mp|header: header has 65 fields, more than 64
map-claims-1e9.mp|header: truncated input (stream ends inside a header)
array-claims-2p32.mp|record 1: truncated input (stream ends inside a record)
time-field-of-2p32.mp|header: header field 'day' has size 4294967295, not in [1, 16777216] (a time field holds at most 256 times the larger of users.count, items.count and 65536 features)
time-bin-without-origin.mp|header: header field 'day' has no bin in [1, 36500] and integer origin together
time-bin-0.mp|header: header field 'day' has no bin in [1, 36500] and integer origin together
id-with-tab.mp|header: header key 'users.ids': entry 3 is not an id's name (1 to 255 bytes, no NUL, tab or line break)
id-with-newline.mp|header: header key 'users.ids': entry 3 is not an id's name (1 to 255 bytes, no NUL, tab or line break)
EOF
	refused mf-train "$R/stream/fields-without-x.mp" "mf-train: stdin:header: the stream has 'fields' but no column 'x'"
	refused fm-train "$R/stream/rating-1e300.mp" "fm-train: stdin:record 1: column 'rating' is out of float range"
}

@test "model findings: rs-eval, rs-predict and rs-recommend refuse them with one line" {
	s="$CORPUS/stream/split.mp"
	while IFS='|' read -r file msg; do
		for tool in rs-eval rs-recommend; do
			refused "$tool -m $R/model/$file" "$s" "$tool: $R/model/$file: bad model file: $msg"
		done
		refused "rs-predict -m $R/model/$file" /dev/null "rs-predict: $R/model/$file: bad model file: $msg"
	done <<EOF
factors-4096-one-tensor.bin|expected 2 tensors for a mf model
field-of-2p32.bin|header: header field 'user' has size 4294967295, not in [1, 65536] (a field holds at most the larger of users.count, items.count and 65536 features)
log-epoch-2p32.bin|log row 0 is not epoch 1
version-1.bin|version 1 is not supported (this build reads version 3)
pairs-claimed.bin|'train_pairs' does not hold 608 coded pairs
pairs-flipped.bin|'train_pairs' does not hold 28 coded pairs
kind-unknown.bin|unknown model kind
tensor-renamed.bin|tensor 0 is not 'P'
shape-swapped.bin|tensor 'P' should have shape (5, 3)
tensor-short.bin|tensor 'Q' should hold 72 bytes
weight-nan.bin|a weight is not finite
trailing-data.bin|unexpected data after the model
EOF
}

@test "ratings findings: 4E50 and a line of 3 million tabs are refused with one line" {
	printf '1\t2\t4E50\t5\n' > "$BATS_TEST_TMPDIR/4e50"
	refused ml-split "$BATS_TEST_TMPDIR/4e50" "ml-split: stdin:1: rating '4E50' is out of float range"
	{ printf 1; head -c 3000000 /dev/zero | tr '\0' '\t'; echo 2; } > "$BATS_TEST_TMPDIR/tabs"
	refused ml-split "$BATS_TEST_TMPDIR/tabs" "ml-split: stdin:1: expected 2 to 4 fields (user, item[, rating][, timestamp]), found 3000001; use --columns"
	# tabs in a '|'-separated file are bytes of one field, which none may hold
	refused "ml-onehot -u $BATS_TEST_TMPDIR/tabs" "$CORPUS/stream/split.mp" \
		"ml-onehot: $BATS_TEST_TMPDIR/tabs:1: field 1 holds a tab"
	tr '\t' '|' < "$BATS_TEST_TMPDIR/tabs" > "$BATS_TEST_TMPDIR/bars"
	refused "ml-onehot -u $BATS_TEST_TMPDIR/bars" "$CORPUS/stream/split.mp" \
		"ml-onehot: $BATS_TEST_TMPDIR/bars:1: expected 5 '|'-separated fields (id|age|gender|occupation|zip), found 3000001"
}

@test "--log /dev/full: every trainer exits 1 and writes no model" {
	need_ml100k
	for t in mf-train fm-train deepfm-train; do
		s=$(split_stream)
		[ "$t" = mf-train ] || s=$(ctr_stream)
		run --separate-stderr "$t" -q --epochs 1 --log /dev/full -o "$BATS_TEST_TMPDIR/m.bin" < "$s"
		assert_failure 1
		assert_equal "$stderr" "$t: /dev/full: write failed: No space left on device"
		assert [ ! -e "$BATS_TEST_TMPDIR/m.bin" ]
	done
}

@test "optimizers, initializers and the other options reach the model and change it" {
	need_ml100k
	s=$(split_stream)
	mf-train -q --preset d2l --epochs 3 --global-mean < "$s" > "$BATS_TEST_TMPDIR/base.bin"
	while IFS='|' read -r opt key; do
		mf-train -q --preset d2l --epochs 3 --global-mean $opt < "$s" > "$BATS_TEST_TMPDIR/o.bin"
		run rs-show --full "$BATS_TEST_TMPDIR/o.bin"
		assert_output --partial "$key"
		run cmp -s "$BATS_TEST_TMPDIR/base.bin" "$BATS_TEST_TMPDIR/o.bin"
		assert_failure
		# every variant learns in three epochs: well under the train mean's
		# 1.124 (the port's), under 1.0 (SGD on the batch's mean loss needs a
		# large rate)
		rmse=$(metric rmse "$BATS_TEST_TMPDIR/o.bin" "$s")
		echo "$opt: test RMSE $rmse" >&3
		assert [ "$(echo "$rmse < 1.0" | bc -l)" = 1 ]
	done <<EOF
--optimizer adam-dense|"optimizer": "adam-dense"
--optimizer sgd --lr 20|"optimizer": "sgd"
--optimizer adam-row|"optimizer": "adam-row"
--optimizer adamw|"optimizer": "adamw"
--init xavier|"init": "xavier"
--init-std 0.1|"init_std": 0.10000000000000001
--batch-size 64|"batch_size": 64
EOF
	mf-train -q --epochs 3 --no-global-mean < "$s" > "$BATS_TEST_TMPDIR/n.bin"
	run rs-show --full "$BATS_TEST_TMPDIR/n.bin"
	assert_output --partial '"global_mean": 0'
	assert_output --partial '"mu": 0,'
	c=$(ctr_stream)
	deepfm-train -q --epochs 1 --dropout 0.5 --mlp 8 < "$c" > "$BATS_TEST_TMPDIR/d.bin"
	run rs-show --full "$BATS_TEST_TMPDIR/d.bin"
	assert_output --partial '"mlp": [8], "dropout": 0.5'
}

@test "numeric options are checked against their ranges" {
	while IFS='|' read -r tool args msg; do
		run --separate-stderr "$tool" $args < /dev/null
		assert_failure 2
		assert_equal "${stderr%%$'\n'*}" "$tool: $msg"
	done <<EOF
mf-train|--lr 0|option --lr: 0 is out of range (0, 1e+09]
mf-train|--epochs 0|option --epochs: 0 is out of range [1, 1e+06]
fm-train|--factors -1|option --factors: -1 is out of range [0, 4096]
fm-train|--optimizer rmsprop|option --optimizer: 'rmsprop' is not one of adam, adam-dense, sgd, adagrad, adam-row, adamw
deepfm-train|--dropout 1|option --dropout: 1 is out of range [0, 0.95]
deepfm-train|--mlp 0|option --mlp: 0 is out of range [1, 4096]
fm-train|--dropout 0.1|option --dropout does not apply to fm-train
EOF
}

# --factors 0 is a model of biases alone (the option's range starts at 0):
# fm_init_part once drew its first table into a buffer of features x 0
# floats. A user's and an item's click rates rank ML-100K's clicks far
# above chance (AUC 0.5); each such model must train, load and score.
@test "--factors 0: every trainer and its optimizers and losses train a model of biases that scores above chance" {
	need_ml100k
	c=$(ctr_stream)
	while read -r tool args; do
		run --separate-stderr "$tool" -q --factors 0 --epochs 2 $args -o "$BATS_TEST_TMPDIR/b.bin" "$c"
		assert_success
		assert_equal "$stderr" ""
		auc=$(metric auc "$BATS_TEST_TMPDIR/b.bin" "$c")
		echo "$tool $args: AUC $auc" >&3
		assert [ "$(echo "$auc > 0.6" | bc -l)" = 1 ]
	done <<EOF
fm-train
fm-train --optimizer adagrad
fm-train --optimizer adam-row
deepfm-train --mlp 8
ffm-train
EOF
}

# RS_SIMD is a cap: on a CPU without AVX-512, 16 runs at 8 lanes, and this
# compares 4 against 8; on one with it, the AVX-512 paths against both.
@test "RS_SIMD runs the narrow paths: MF and FM give the same bytes at every width, DeepFM at 8 and 16" {
	c="$CORPUS/stream/ctr.mp"
	for w in 4 8 16; do
		RS_SIMD=$w mf-train -q --epochs 3 --factors 31 < "$CORPUS/stream/split.mp" > "$BATS_TEST_TMPDIR/mf$w"
		RS_SIMD=$w fm-train -q --epochs 3 --factors 33 < "$c" > "$BATS_TEST_TMPDIR/fm$w"
		RS_SIMD=$w deepfm-train -q --epochs 3 --mlp 20,17 < "$c" > "$BATS_TEST_TMPDIR/d$w"
	done
	cmp "$BATS_TEST_TMPDIR/mf4" "$BATS_TEST_TMPDIR/mf16"
	cmp "$BATS_TEST_TMPDIR/mf8" "$BATS_TEST_TMPDIR/mf16"
	cmp "$BATS_TEST_TMPDIR/fm4" "$BATS_TEST_TMPDIR/fm16"
	cmp "$BATS_TEST_TMPDIR/d8" "$BATS_TEST_TMPDIR/d16"
	run --separate-stderr env RS_SIMD=3 mf-train < /dev/null
	assert_failure 1
	assert_equal "$stderr" "mf-train: RS_SIMD is '3', not 4, 8 or 16"
}

@test "every tool: --version" {
	for t in ml-split ml-ctr ml-onehot mf-train fm-train deepfm-train rs-eval rs-predict rs-recommend rs-show; do
		run "$t" --version
		assert_success
		assert_output "$t (rspipe) 0.1.0"
	done
}

@test "every tool's --help opens with a whole sentence of its own, the man page's NAME line (Makefile: install)" {
	seen=""
	for t in ml-split ml-ctr ml-onehot mf-train fm-train deepfm-train als-train rs-eval rs-predict rs-recommend rs-show; do
		line=$("$t" --help | awk 'NR > 1 && !/^  or:/ { print; exit }')
		assert_regex "$line" "^$t: [a-z][^.]{15,75}\.\$"
		# the Makefile's extraction gives the sentence without the name and the full stop
		name=$(grep -o "awk 'NR > 1 && [^']*'" "$BATS_TEST_DIRNAME/../Makefile" | sed "s/^awk '//; s/'\$//; s/\\$\\$/\$/g")
		assert_equal "$("$t" --help | awk "$name")" "$(echo "${line#"$t: "}" | sed 's/\.$//')"
		case "$seen" in *"|${line#*: }|"*) fail "$t repeats another tool's summary";; esac
		seen="$seen|${line#*: }|"
	done
}

@test "JSON is valid UTF-8 whatever bytes a header holds: Latin-1 is escaped, UTF-8 kept" {
	need_ml100k
	latin=$(printf 'u\351.user') utf8=$(printf 'u\303\251.user')
	cp "$ML100K_DIR/u.user" "$BATS_TEST_TMPDIR/$latin"
	cp "$ML100K_DIR/u.user" "$BATS_TEST_TMPDIR/$utf8"
	for f in "$latin" "$utf8"; do
		ml-onehot -q -u "$BATS_TEST_TMPDIR/$f" < "$(split_stream)" > "$BATS_TEST_TMPDIR/o.mp"
		run bash -c "rs-show --header '$BATS_TEST_TMPDIR/o.mp' | python3 -c 'import json, sys; h = json.loads(sys.stdin.buffer.read().decode(\"utf-8\")); print(h[\"history\"][-1].split(\"/\")[-1])'"
		assert_success
		assert_output "u$(printf '\303\251').user"
	done
}

@test "one diagnostic per bad option, in every tool" {
	for t in ml-split ml-ctr ml-onehot mf-train fm-train deepfm-train rs-eval rs-predict rs-recommend rs-show; do
		run --separate-stderr "$t" --nope < /dev/null
		assert_failure 2
		assert_equal "$stderr" "$t: unknown option '--nope'
Try '$t --help' for more information."
	done
	run --separate-stderr mf-train --epochs < /dev/null
	assert_equal "$stderr" "mf-train: option '--epochs' needs a value
Try 'mf-train --help' for more information."
	run --separate-stderr rs-eval -m < /dev/null
	assert_equal "${stderr%%$'\n'*}" "rs-eval: option '-m' needs a value"
	run --separate-stderr ml-split --fold 2 < /dev/null
	assert_equal "${stderr%%$'\n'*}" "ml-split: --fold and --folds go with --split fold"
	run --separate-stderr ml-split --test-ratio 0.2 --split seq-aware < /dev/null
	assert_equal "${stderr%%$'\n'*}" "ml-split: --test-ratio goes with --split random or time"
}

@test "-o and --log that cannot be written fail before any input is read" {
	mkdir "$BATS_TEST_TMPDIR/out"
	for t in mf-train fm-train deepfm-train; do
		# /dev/zero would be read as a bad stream, and never ends
		run --separate-stderr timeout 5 "$t" -o /missing/dir/m.bin < /dev/zero
		assert_failure 1
		assert_equal "$stderr" "$t: /missing/dir/m.bin: cannot create: No such file or directory"
		run --separate-stderr timeout 5 "$t" --log /missing/log.tsv -o "$BATS_TEST_TMPDIR/out/m.bin" < /dev/zero
		assert_failure 1
		assert_equal "$stderr" "$t: /missing/log.tsv: No such file or directory"
		assert_equal "$(ls "$BATS_TEST_TMPDIR/out")" ""   # nor its temp file
	done
}

@test "an input that cannot be read says why: a directory as a model or a stream" {
	run --separate-stderr rs-eval -m . < "$CORPUS/stream/split.mp"
	assert_failure 1
	assert_equal "$stderr" "rs-eval: .: Is a directory"
	for t in mf-train rs-show ml-ctr; do
		run --separate-stderr "$t" .
		assert_failure 1
		assert_equal "$stderr" "$t: .: Is a directory"
	done
	run --separate-stderr ml-split .
	assert_failure 1
	assert_equal "$stderr" "ml-split: .: read error: Is a directory"
}

@test "every tool that reads an input takes it as a FILE operand, '-' or stdin, with the same output" {
	s="$CORPUS/stream/split.mp" m="$CORPUS/model/mf.bin"
	awk 'BEGIN { for (i = 0; i < 300; i++) printf "%d\t%d\t%d\t%d\n", 1 + i % 17, 1 + i % 23, 1 + i % 5, 880000000 + i }' \
		> "$BATS_TEST_TMPDIR/u.data"
	u="$BATS_TEST_TMPDIR/u.data"
	# same CMD INPUT: CMD < INPUT, CMD INPUT and CMD - < INPUT give the same
	# output (a stream's records: its history names the command line)
	same() {
		local a b c show=cat
		case $1 in ml-*) show="rs-show --json" ;; esac
		a=$(bash -o pipefail -c "$1 < '$2' | $show | md5sum")
		b=$(bash -o pipefail -c "$1 '$2' | $show | md5sum")
		c=$(bash -o pipefail -c "$1 - < '$2' | $show | md5sum")
		[ "$a" = "$b" ] && [ "$a" = "$c" ] || fail "$1: stdin, FILE and - differ"
	}
	same "ml-split -q" "$u"
	same "ml-ctr -q" "$s"
	same "ml-onehot -q" "$s"
	same "rs-show" "$s"
	same "rs-eval -m $m" "$s"
	same "rs-eval -m $m --rank" "$s"
	same "rs-recommend -m $m -k 3" "$s"
	rs-show "$s" | awk -F'\t' 'NR == 2 { print $2 "\t" $3 }' > "$BATS_TEST_TMPDIR/pairs"
	same "rs-predict -q -m $m" "$BATS_TEST_TMPDIR/pairs"
	# '::' and runs of spaces read as a tab does (rs_dsv_fields, as ml-split's)
	sed 's/\t/::/' "$BATS_TEST_TMPDIR/pairs" > "$BATS_TEST_TMPDIR/pairs.dat"
	sed 's/\t/   /' "$BATS_TEST_TMPDIR/pairs" > "$BATS_TEST_TMPDIR/pairs.sp"
	assert_equal "$(rs-predict -q -m "$m" "$BATS_TEST_TMPDIR/pairs.dat")" "$(rs-predict -q -m "$m" "$BATS_TEST_TMPDIR/pairs")"
	assert_equal "$(rs-predict -q -m "$m" "$BATS_TEST_TMPDIR/pairs.sp")" "$(rs-predict -q -m "$m" "$BATS_TEST_TMPDIR/pairs")"
	mf-train -q --epochs 1 -o "$BATS_TEST_TMPDIR/a.bin" < "$s"
	mf-train -q --epochs 1 -o "$BATS_TEST_TMPDIR/b.bin" - < "$s"
	# the same model (its history names the operand): the same predictions
	assert_equal "$(rs-eval -q -m "$BATS_TEST_TMPDIR/a.bin" -p "$s" | rs-show)" \
		"$(rs-eval -q -m "$BATS_TEST_TMPDIR/b.bin" -p "$s" | rs-show)"
	# an operand is named in messages; a second is a usage error
	run --separate-stderr rs-eval -m "$m" "$u"
	assert_failure 1
	assert_regex "$stderr" "^rs-eval: $u:header: "
	run --separate-stderr rs-predict -m "$m" a b
	assert_failure 2
	assert_equal "${stderr%%$'\n'*}" "rs-predict: unexpected operand 'b' (one input file at most)"
}

@test "a model file appears whole or not at all: no temp file after SIGKILL, mode 0666 less the umask" {
	need_ml100k
	s=$(split_stream)
	mkdir "$BATS_TEST_TMPDIR/out"
	cd "$BATS_TEST_TMPDIR/out"
	# a run long enough to be killed while it trains
	mf-train -q --epochs 100000 --early-stop 0 --valid-ratio 0 -o m.bin < "$s" &
	pid=$!
	sleep 1
	kill -9 "$pid"
	wait "$pid" || true
	assert_equal "$(ls -A)" ""
	(umask 022 && mf-train -q --epochs 1 -o m.bin < "$s")
	assert_equal "$(stat -c %a m.bin)" 644
	# replacing a model in place: the new one, and nothing beside it
	(umask 077 && mf-train -q --epochs 2 -o m.bin < "$s")
	assert_equal "$(ls -A)" "m.bin"
	assert_equal "$(rs-show m.bin | awk -F'\t' '$1 == "epochs" { print $2 }' | cut -d' ' -f1)" 2
}

@test "a field of 6 million characters is read in linear time (libcsv's buffer grows geometrically)" {
	# a quoted field sends the line to libcsv, whose fixed 128-byte growth
	# copied the field n^2/256 times (92 s under ASan for this one)
	{ printf 'userId,movieId,rating,timestamp\n"'; head -c 6000000 /dev/zero | tr '\0' 7; printf '",2,3,4\n'; } > "$BATS_TEST_TMPDIR/long"
	run --separate-stderr timeout 60 ml-split --format csv "$BATS_TEST_TMPDIR/long"
	assert_failure 1
	assert_equal "$stderr" "ml-split: $BATS_TEST_TMPDIR/long:2: user id of 6000000 bytes, over the limit of 255"
}

@test "models and streams written by 6d6867d (model version 3) load and score as that build scored them" {
	F="$BATS_TEST_DIRNAME/fixtures/6d6867d"
	# the metrics that build printed, among today's (a label and more cut-off metrics)
	assert_equal "$(rs-eval -q -m "$F/mf.bin" "$F/s.mp" 2>/dev/null | grep -Fxf "$F/mf.eval")" "$(cat "$F/mf.eval")"
	assert_equal "$(ml-ctr -q "$F/s.mp" | rs-eval -q -m "$F/fm.bin" 2>/dev/null | grep -Fxf "$F/fm.eval")" "$(cat "$F/fm.eval")"
	assert_equal "$(rs-eval -q --rank -m "$F/als.bin" "$F/q.mp" 2>/dev/null | grep -Fxf "$F/als.eval")" "$(cat "$F/als.eval")"
}

@test "each trainer's --help lists the hyperparameters of the table rows its model applies, with each row's text, and no other" {
	cd "$BATS_TEST_TMPDIR"
	# lib/model/hparams.c's rows, read from the source: name, needed caps, text
	awk '/^const rs_hparam rs_hparam_table\[\] = \{/ { on = 1; next } on && /^};/ { exit }
		on { l = $0; sub(/^[ \t]+/, row == "" ? "" : " ", l); row = row l } on && /},$/ { print row; row = "" }' \
		"$BATS_TEST_DIRNAME/../lib/model/hparams.c" |
		sed 's/" *"//g; s/^{"\([a-z0-9-]*\)",.*, "\([^"]*\)", \([A-Z_ |0]*\), "[^"]*"},$/\1\t\3\t\2/' > rows
	assert_equal "$(wc -l < rows)" 31
	assert_equal "$(cut -f1 rows | grep -c -v '^[a-z0-9-]*$')" 0
	bits() { local b=0; for c in ${1//|/ }; do case $c in RS_CAP_DEEP) b=$((b | 1)) ;; RS_CAP_SGD) b=$((b | 2)) ;;
		RS_CAP_ALS) b=$((b | 4)) ;; RS_CAP_MCMC) b=$((b | 8)) ;; RS_CAP_ITERS) b=$((b | 16)) ;;
		RS_CAP_STEPS) b=$((b | 32)) ;; RS_CAP_MLP) b=$((b | 64)) ;; RS_CAP_ATTN) b=$((b | 128)) ;; esac; done; echo $b; }
	for t in "mf-train 34" "fm-train 34" "deepfm-train 99" "als-train 20" "fm-train --method mcmc 24" "sasrec-train 161"; do
		set -- $t
		have=${!#}
		help=$("${@:1:$#-1}" --help | awk '/^  -/ { on = 1 } on && /^$/ { exit } on' | awk '/^ *(-., )?--[a-z]/ { if (o != "") print o "\t" txt
				o = $0; sub(/^ *(-., )?--/, "", o); sub(/[ =].*/, "", o)
				txt = $0; sub(/^ *(-., )?--[^ ]*( [A-Z,.]+)? +/, "", txt); next }
			{ sub(/^ +/, ""); txt = txt " " $0 } END { if (o != "") print o "\t" txt }')
		n=0
		while IFS=$'\t' read -r name needs text; do
			need=$(bits "$needs")
			line=$(echo "$help" | awk -F'\t' -v o="$name" '$1 == o')
			if [ $((need & have)) -eq "$need" ]; then
				[ -n "$line" ] || fail "$*: no --$name in --help"
				[ "${line#*	}" = "$text" ] || fail "$*: --$name says '${line#*	}', the table '$text'"
				n=$((n + 1))
			else
				[ -z "$line" ] || fail "$*: --$name in --help, though the table's row needs $needs"
			fi
		done < rows
		echo "${*:1:$#-1}: $n rows" >&3
		assert [ "$n" -ge 5 ]
	done
}

# a log whose user is the bytes f5 bd 8a: no UTF-8 sequence starts with f5
f5_log() {
	printf 'a,x,1\na,y,2\nb,y,3\nb,z,4\nc,x,5\nc,z,6\n\365\275\212,x,7\n\365\275\212,y,8\n' |
		ml-split -q --split seq-aware > "$BATS_TEST_TMPDIR/f5.mp"
	als-train -q -o "$BATS_TEST_TMPDIR/als.bin" "$BATS_TEST_TMPDIR/f5.mp"
}

# every line of stdin is JSON that Python reads as strict UTF-8
json_lines() { python3 -c 'import json,sys; [json.loads(l) for l in sys.stdin.buffer.read().decode("utf-8").splitlines()]'; }

@test "the byte 0xf5 through every JSON writer: escaped as \\u00f5, every line valid UTF-8 JSON" {
	f5_log
	cd "$BATS_TEST_TMPDIR"
	u=$'\365\275\212'
	printf '%s\n' "$u" | rs-recommend -m als.bin --serve f5.mp -k 1 > serve.json
	printf '%s,x\n' "$u" > liked.csv
	rs-recommend -m als.bin --liked-file liked.csv --json -k 1 > liked.json
	rs-recommend -m als.bin --liked x -U "$u" --json -k 1 > likedu.json
	printf '%s x\n' "$u" | rs-predict -m als.bin --serve > predict.json
	rs-show -j f5.mp > show.json
	for f in serve likedu liked predict show; do
		run json_lines < $f.json
		assert_success
	done
	# each byte read as Latin-1: U+00F5 U+00BD U+008A
	assert_equal "$(jq -c '.user | explode' serve.json)" '[245,189,138]'
	assert_equal "$(jq -c '[(.user | explode), .liked]' liked.json)" '[[245,189,138],["x"]]'
	assert_equal "$(jq -c '.user | explode' likedu.json)" '[245,189,138]'
	assert_equal "$(jq -c '[(.user | explode), .item]' predict.json)" '[[245,189,138],"x"]'
	assert_equal "$(jq -c 'select(.ts == 6) | .user | explode' show.json)" '[245,189,138]'
	# the escape is in the bytes written, not jq's
	assert_equal "$(head -c 28 serve.json)" '{"user": "\u00f5\u00bd\u008a'
}

@test "-o or --log naming the trainer's input (or a hard link of it) is refused before anything is written" {
	f5_log
	cd "$BATS_TEST_TMPDIR"
	cp f5.mp in.mp
	sum=$(md5sum < in.mp)
	for t in mf-train fm-train deepfm-train "mf-train --loss bpr" als-train sasrec-train; do
		run --separate-stderr $t -o in.mp in.mp
		assert_failure 1
		assert_equal "$stderr" "${t%% *}: in.mp: -o names the input in.mp; write it elsewhere"
		assert_equal "$output" ""
		run --separate-stderr bash -c "$t -o in.mp < in.mp"
		assert_failure 1
		assert_equal "$stderr" "${t%% *}: in.mp: -o names the input stdin; write it elsewhere"
		run --separate-stderr $t --log in.mp -o m.bin in.mp
		assert_failure 1
		assert_equal "$stderr" "${t%% *}: in.mp: --log names the input in.mp; write it elsewhere"
		assert_equal "$(md5sum < in.mp)" "$sum"
		[ ! -e m.bin ]
	done
	# a hard link is the same file
	ln in.mp link.mp
	run --separate-stderr als-train -q -o link.mp in.mp
	assert_failure 1
	assert_equal "$stderr" "als-train: link.mp: -o names the input in.mp; write it elsewhere"
}

@test "text findings (tests/fuzz/regress): a NUL or a tab in a field refused with file and line; a mark and comments read" {
	refused ml-split <(tail -c +2 "$R/ratings/nul-in-rating") "ml-split: stdin:2: field 3 holds a NUL byte"
	refused ml-split <(tail -c +2 "$R/ratings/tab-in-comma-id") "ml-split: stdin:2: field 1 holds a tab"
	refused ml-split <(tail -c +2 "$R/ratings/bom-comment-header") \
		"ml-split: stdin:3: header column 'visitor' is none of user, item, rating, ts (or their usual names, as userId or timestamp); name the fields with --columns"
	refused "ml-split --columns user,item,ts" <(tail -c +2 "$R/ratings/iso-time-bad-day") \
		"ml-split: stdin:1: timestamp '2021-02-29' is neither an integer nor an ISO-8601 date and time"
	f5_log
	refused "rs-predict -m $BATS_TEST_TMPDIR/als.bin" "$R/pairs/nul-in-id" "rs-predict: stdin:1: the line holds a NUL byte"
	printf 'n1,x\na\tb,y\n' > "$BATS_TEST_TMPDIR/liked.csv"
	refused "rs-recommend -m $BATS_TEST_TMPDIR/als.bin --liked-file $BATS_TEST_TMPDIR/liked.csv" /dev/null \
		"rs-recommend: $BATS_TEST_TMPDIR/liked.csv:2: field 1 holds a tab"
	# an item list's mark and comment are not ids: z alone is a candidate
	printf '\357\273\277# items\nz\n' > "$BATS_TEST_TMPDIR/cand"
	run --separate-stderr bash -c "rs-recommend -m '$BATS_TEST_TMPDIR/als.bin' --candidates '$BATS_TEST_TMPDIR/cand' -k 3 '$BATS_TEST_TMPDIR/f5.mp' | sed 1d | cut -f3 | sort -u"
	assert_success
	assert_equal "$output" "z"
	assert_equal "$stderr" "rs-recommend: $BATS_TEST_TMPDIR/cand: 1 items; 1 line skipped (1 comment)"
}
