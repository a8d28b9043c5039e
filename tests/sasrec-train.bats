#!/usr/bin/env bats
# sasrec-train (include/sasrec.h): a self-attention sequential recommender.

setup() {
	load helper
}

# five_back_log, ka_stream: helper.bash
KA_OPTS="--factors 64 --maxlen 10 --epochs 150 --early-stop 0 --valid-ratio 0 --lr 0.005 --batch-size 32 --loss softmax --dropout 0"

@test "sasrec-train: the item five steps back, which a window of three cannot see: HR@1 at least 0.95, the sequential FM's far below" {
	s=$(ka_stream)
	sasrec-train -q $KA_OPTS -o "$BATS_TEST_TMPDIR/sr.bin" "$s"
	hr=$(rs-eval --rank --at 1 -m "$BATS_TEST_TMPDIR/sr.bin" "$s" | awk '$1 == "hr@1" { print $2 }')
	ml-onehot -q --seq < "$s" > "$BATS_TEST_TMPDIR/fm.mp"
	fm-train -q --preset seq -o "$BATS_TEST_TMPDIR/fm.bin" "$BATS_TEST_TMPDIR/fm.mp"
	fm=$(rs-eval --rank --at 1 -m "$BATS_TEST_TMPDIR/fm.bin" "$BATS_TEST_TMPDIR/fm.mp" | awk '$1 == "hr@1" { print $2 }')
	echo "five back: sasrec HR@1 $hr, sequential FM $fm" >&3
	assert [ "$(echo "$hr >= 0.95 && $fm < 0.5" | bc -l)" = 1 ]
}

@test "sasrec-train: the same seed gives the same model bytes, another seed another model; every loss" {
	s=$(ka_stream)
	cd "$BATS_TEST_TMPDIR"
	mkdir a b c   # one name for each model: the command line is in its header
	for loss in softmax sampled-softmax bce gbce; do
		o="-q --factors 16 --maxlen 8 --epochs 3 --loss $loss --negatives 20"
		(cd a && sasrec-train $o -o m.bin "$s")
		(cd b && sasrec-train $o -o m.bin "$s")
		(cd c && sasrec-train $o -o m.bin --seed 2 "$s")
		cmp a/m.bin b/m.bin
		run cmp -s a/m.bin c/m.bin
		assert_failure
	done
}

@test "sasrec-train: any --threads trains the same model, under every loss" {
	s=$(ka_stream)
	cd "$BATS_TEST_TMPDIR"
	for loss in softmax sampled-softmax bce gbce; do
		for t in 1 2 3; do
			sasrec-train -q --factors 16 --maxlen 8 --epochs 2 --batch-size 64 --loss $loss --negatives 20 --threads $t -o $t.bin "$s"
		done
		run /usr/bin/python3 "$BATS_TEST_DIRNAME/model-tensors.py" 1.bin 2.bin 3.bin
		assert_success
		assert_output same
	done
}

@test "sasrec-train: a known user and a new user who names the same items get the same list; rs-eval ranks every user as the log did" {
	s=$(ka_stream)
	cd "$BATS_TEST_TMPDIR"
	sasrec-train -q --factors 16 --maxlen 10 --epochs 5 --no-refit --log log.tsv -o m.bin "$s"
	# u7's train and validation items, oldest first, are their sequence
	items=$(rs-show "$s" | awk -F'\t' '$2 == "u7" && $1 != 1 { printf "%s%s", n++ ? "," : "", $3 }')
	rs-recommend -m m.bin -U u7 "$s" | cut -f2- > known.tsv
	rs-recommend -m m.bin --liked "$items" "$s" | cut -f2- > new.tsv
	assert_equal "$(wc -l < known.tsv)" 11
	cmp known.tsv new.tsv
	# 400 users, all ranked by the trainer's log and by rs-eval alike
	logged=$(logged_metric log.tsv m.bin test_hr@10)
	hr=$(rs-eval --rank -m m.bin "$s" | awk '$1 == "hr@10" { print $2 }')
	assert_equal "$(printf '%.4f' "$hr")" "$(printf '%.4f' "$logged")"
}

@test "sasrec-train --refit: the epochs early stopping kept, run again from the start on the train and validation records" {
	s=$(ka_stream)
	cd "$BATS_TEST_TMPDIR"
	o="--factors 16 --maxlen 8 --epochs 8 --early-stop 2"
	sasrec-train -q $o --no-refit -o kept.bin "$s"
	run --separate-stderr sasrec-train $o -o refit.bin "$s"
	assert_success
	kept=$(rs-show refit.bin | awk -F'\t' '$1 == "epochs" { split($2, w, " "); print w[3] }')
	assert_equal "$(echo "$stderr" | grep -c ': refit [0-9]*/')" "$kept"
	assert_regex "$(echo "$stderr" | tail -1)" "^sasrec-train: refit on 4400 train and validation records for the $kept epochs kept: test_hr@10 [0-9.]+\$"
	# the same log (the run that chose), other weights
	assert_equal "$(rs-show kept.bin | grep -v '^hyper')" "$(rs-show refit.bin | grep -v '^hyper')"
	run /usr/bin/python3 "$BATS_TEST_DIRNAME/model-tensors.py" --only tensors kept.bin refit.bin
	assert_failure
	assert_output "refit.bin: tensors differs"
}

@test "sasrec-train: a loss it has no method for is a usage error" {
	run --separate-stderr sasrec-train --loss bpr "$(ka_stream)"
	assert_failure 2
	assert_equal "$(echo "$stderr" | head -1)" "sasrec-train: no way to train a sasrec model with --loss bpr"
}

@test "sasrec: a model file whose record of a user names no item of the model is read without those entries" {
	s=$(ka_stream)
	cd "$BATS_TEST_TMPDIR"
	sasrec-train -q --factors 16 --maxlen 8 --epochs 1 --no-refit -o m.bin "$s"
	# user u1's row of seq: an id past the items, a fraction, a negative
	/usr/bin/python3 - m.bin bad.bin <<'PY'
import msgpack, struct, sys
m = msgpack.unpackb(open(sys.argv[1], 'rb').read(), raw=False, strict_map_key=False)
t = [x for x in m['tensors'] if x['name'] == 'seq'][0]
row = list(struct.unpack('<8f', t['data'][:32]))
row[0], row[1], row[2] = 1e9, 2.5, -3.0
t['data'] = struct.pack('<8f', *row) + t['data'][32:]
open(sys.argv[2], 'wb').write(msgpack.packb(m, use_bin_type=True))
PY
	run --separate-stderr rs-recommend -m bad.bin -U u1 "$s"
	assert_success
	assert_equal "$(echo "$output" | wc -l)" 11
}

@test "sasrec-train steps with AdamW: rs-show names it, and --weight-decay (off the weights) changes the model" {
	s=$(ka_stream)
	cd "$BATS_TEST_TMPDIR"
	o="-q --factors 16 --maxlen 8 --epochs 3"
	sasrec-train $o -o a.bin "$s"
	sasrec-train $o --weight-decay 0.1 -o b.bin "$s"
	run rs-show a.bin
	assert_output --partial "optimizer adamw,"
	run cmp -s a.bin b.bin
	assert_failure
}

# --preset seq's shape rules (cmd/sasrec-train.c): dropout 0.2 on a log of
# 30 records an item or more, 0.5 (the defaults') below; the command
# line's --dropout over either
@test "sasrec-train --preset seq: dropout 0.2 from 30 records an item, 0.5 below; --dropout given overrides either" {
	cd "$BATS_TEST_TMPDIR"
	# 50 users of 20 events each: over 40 items (25 an item), then over 33 (30.3)
	for n in 40 33; do
		awk -v n=$n 'BEGIN { for (u = 1; u <= 50; u++) for (t = 1; t <= 20; t++) printf "u%d\ti%d\t%d\n", u, (u * 7 + t) % n + 1, t }' |
			ml-split -q --split seq-aware > $n.mp
	done
	o="-q --preset seq --factors 8 --maxlen 5 --epochs 1 --early-stop 0 --no-refit"
	dropout() { rs-show --full "$1" | jq -r '.hyper.dropout'; }
	sasrec-train $o -o a.bin 40.mp
	assert_equal "$(dropout a.bin)" 0.5
	sasrec-train $o -o b.bin 33.mp
	assert_equal "$(dropout b.bin)" 0.2
	sasrec-train $o --dropout 0.3 -o c.bin 33.mp
	assert_equal "$(dropout c.bin)" 0.3
	run bash -c "sasrec-train --help | grep -A1 '^Preset seq on at least 30 records an item:'"
	assert_output --partial "--dropout 0.2 --loss softmax"
	# both rules on a large dense log: each over the preset, neither lost
	run bash -c "sasrec-train --help | grep -A1 '^Preset seq over 20000 items and on at least 30 records an item:'"
	assert_output --partial "--dropout 0.2 --loss sampled-softmax --negatives 256"
}
