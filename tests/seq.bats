#!/usr/bin/env bats
# The sequential recipe on hand-made cases with known answers: the history
# and long fields of ml-onehot, and the sequential FM built on them (its
# losses, fm-train --preset seq), where MF cannot tell the next item.

setup() {
	load helper
}

@test "ml-onehot --history: each record's previous train items by ts then stream order, weighted to sum to 1" {
	# user 1's lines out of time order, user 2's first two at the same second
	printf '1\t10\t5\t300\n1\t11\t4\t100\n1\t12\t3\t200\n1\t13\t5\t400\n2\t10\t4\t50\n2\t11\t3\t50\n2\t12\t2\t60\n' |
		ml-split -q --split seq-aware | ml-onehot -q --history 2 > "$BATS_TEST_TMPDIR/h.mp"
	run rs-show --dense "$BATS_TEST_TMPDIR/h.mp"
	# features: user 0-1, item 2-5, history 6-9; a test record gets the
	# user's last two train items
	assert_output "split	user	item	rating	ts	x	xv
0	0	0	5	300	0,2,7,8	1,1,0.5,0.5
0	0	1	4	100	0,3	1,1
0	0	2	3	200	0,4,7	1,1,1
1	0	3	5	400	0,5,6,8	1,1,0.5,0.5
0	1	0	4	50	1,2	1,1
0	1	1	3	50	1,3,6	1,1,1
1	1	2	2	60	1,4,6,7	1,1,0.5,0.5"
	run rs-show --header "$BATS_TEST_TMPDIR/h.mp"
	assert_output --partial '{"name": "history", "offset": 6, "size": 4, "window": 2}'
}

@test "sequential FM on a cycle: the next item first for every user; BPR-MF cannot tell it from the previous one" {
	c="$BATS_TEST_TMPDIR/c.mp"
	cycle_stream > "$c"
	ml-onehot -q --history 1 < "$c" > "$BATS_TEST_TMPDIR/h.mp"
	# a fixture this small: every record trains, for as long as it takes
	opts="--loss bpr --valid-ratio 0 --early-stop 0 --epochs 300"
	for seed in 1 2 3; do
		fm-train -q $opts --seed $seed < "$BATS_TEST_TMPDIR/h.mp" > "$BATS_TEST_TMPDIR/seq.bin"
		assert_equal "$(hr_at 1 "$BATS_TEST_TMPDIR/seq.bin" "$BATS_TEST_TMPDIR/h.mp")" 1.000000
		mf-train -q $opts --seed $seed < "$c" > "$BATS_TEST_TMPDIR/mf.bin"
		h=$(hr_at 1 "$BATS_TEST_TMPDIR/mf.bin" "$c")
		echo "seed $seed: BPR-MF hr@1 $h, sequential FM 1" >&3
		assert [ "$(echo "$h <= 0.75" | bc -l)" = 1 ]
	done
}

@test "ml-onehot --long: each record's train items before its history window, weighted 1/n (mean) or 1/sqrt(n), a repeated item's weights summed" {
	# user 3 has item 20 twice before the window
	printf '1\t10\t5\t300\n1\t11\t4\t100\n1\t12\t3\t200\n1\t13\t5\t400\n2\t10\t4\t50\n2\t11\t3\t50\n2\t12\t2\t60\n3\t20\t4\t1\n3\t20\t4\t2\n3\t21\t4\t3\n3\t22\t4\t4\n3\t23\t4\t5\n' |
		ml-split -q --split seq-aware > "$BATS_TEST_TMPDIR/s.mp"
	ml-onehot -q --history 1 --long mean < "$BATS_TEST_TMPDIR/s.mp" > "$BATS_TEST_TMPDIR/h.mp"
	run rs-show --dense "$BATS_TEST_TMPDIR/h.mp"
	# features: user 0-2, item 3-10, history 11-18, long 19-26
	assert_output "split	user	item	rating	ts	x	xv
0	0	0	5	300	0,3,13,20	1,1,1,1
0	0	1	4	100	0,4	1,1
0	0	2	3	200	0,5,12	1,1,1
1	0	3	5	400	0,6,11,20,21	1,1,1,0.5,0.5
0	1	0	4	50	1,3	1,1
0	1	1	3	50	1,4,11	1,1,1
1	1	2	2	60	1,5,12,19	1,1,1,1
0	2	4	4	1	2,7	1,1
0	2	4	4	2	2,7,15	1,1,1
0	2	5	4	3	2,8,15,23	1,1,1,1
0	2	6	4	4	2,9,16,23	1,1,1,1
1	2	7	4	5	2,10,17,23,24	1,1,1,0.666666687,0.333333343"
	run rs-show --header "$BATS_TEST_TMPDIR/h.mp"
	assert_output --partial '{"name": "history", "offset": 11, "size": 8, "window": 1}, {"name": "long", "offset": 19, "size": 8}'
	# without a window: every earlier train item, at 1/sqrt(n) for its n events
	run bash -c "ml-onehot -q --long sqrt < '$BATS_TEST_TMPDIR/s.mp' | rs-show --dense | tail -1"
	assert_output "1	2	7	4	5	2,10,15,16,17	1,1,1,0.5,0.5"
	# --long-max 1: the latest item before the window alone, its cap in the header
	ml-onehot -q --history 1 --long mean --long-max 1 < "$BATS_TEST_TMPDIR/s.mp" > "$BATS_TEST_TMPDIR/m.mp"
	run bash -c "rs-show --dense '$BATS_TEST_TMPDIR/m.mp' | tail -1"
	assert_output "1	2	7	4	5	2,10,17,24	1,1,1,1"
	run rs-show --header "$BATS_TEST_TMPDIR/m.mp"
	assert_output --partial '{"name": "long", "offset": 19, "size": 8, "window": 1}'
	run --separate-stderr ml-onehot --long-max 5 < "$BATS_TEST_TMPDIR/s.mp"
	assert_failure 2
	assert_equal "${stderr%%$'\n'*}" "ml-onehot: --long-max needs --long"
	# --seq names the recommended window and long field
	run bash -c "ml-onehot -q --seq < '$BATS_TEST_TMPDIR/s.mp' | rs-show --header"
	assert_output --partial '"name": "history", "offset": 11, "size": 8, "window": '
	assert_output --partial '"name": "long'
	run --separate-stderr ml-onehot --long median < "$BATS_TEST_TMPDIR/s.mp"
	assert_failure 2
	assert_equal "${stderr%%$'\n'*}" "ml-onehot: option --long: 'median' is neither mean nor sqrt"
	run --separate-stderr ml-onehot --fields user,item,long-sqrt --long mean < "$BATS_TEST_TMPDIR/s.mp"
	assert_failure 2
	assert_equal "${stderr%%$'\n'*}" "ml-onehot: field 'long-sqrt' needs --long sqrt"
}

@test "softmax losses on the cycle: the sequential FM puts the next item first for every user; MF with the same loss cannot" {
	c="$BATS_TEST_TMPDIR/c.mp"
	cycle_stream > "$c"
	ml-onehot -q --history 1 < "$c" > "$BATS_TEST_TMPDIR/h.mp"
	opts="--valid-ratio 0 --early-stop 0 --epochs 300"
	for seed in 1 2 3; do
		for loss in softmax "sampled-softmax --negatives 4"; do
			fm-train -q $opts --loss $loss --seed $seed < "$BATS_TEST_TMPDIR/h.mp" > "$BATS_TEST_TMPDIR/seq.bin"
			assert_equal "$(hr_at 1 "$BATS_TEST_TMPDIR/seq.bin" "$BATS_TEST_TMPDIR/h.mp")" 1.000000
		done
		mf-train -q $opts --loss softmax --seed $seed < "$c" > "$BATS_TEST_TMPDIR/mf.bin"
		h=$(hr_at 1 "$BATS_TEST_TMPDIR/mf.bin" "$c")
		echo "seed $seed: MF softmax hr@1 $h, sequential FM 1" >&3
		assert [ "$(echo "$h <= 0.75" | bc -l)" = 1 ]
	done
	run --separate-stderr deepfm-train -q --loss softmax < "$BATS_TEST_TMPDIR/h.mp"
	assert_failure 1
	assert_equal "$stderr" "deepfm-train: --loss softmax scores every candidate against one context, which deepfm-train's model does not split into (its MLP reads the whole record): train it with mf-train or fm-train, or use --loss bpr"
}

@test "fm-train --preset seq: the full softmax up to 2,048 items, the sampled one past them; options given override either" {
	# 2,100 items, each in one event of one of 50 users
	awk 'BEGIN { for (i = 1; i <= 2100; i++) printf "u%d\ti%d\t%d\n", i % 50, i, i }' |
		ml-split -q --split seq-aware | ml-onehot -q --seq > "$BATS_TEST_TMPDIR/big.mp"
	hyper() { rs-show --full "$1" | jq -r ".hyper | \"\(.loss) \(.negatives) \(.lr)\""; }
	fm-train -q --preset seq --epochs 1 < "$BATS_TEST_TMPDIR/big.mp" > "$BATS_TEST_TMPDIR/a.bin"
	assert_equal "$(hyper "$BATS_TEST_TMPDIR/a.bin")" "sampled-softmax 256 0.001"
	fm-train -q --preset seq --epochs 1 --negatives 64 --lr 0.002 < "$BATS_TEST_TMPDIR/big.mp" > "$BATS_TEST_TMPDIR/b.bin"
	assert_equal "$(hyper "$BATS_TEST_TMPDIR/b.bin")" "sampled-softmax 64 0.002"
	fm-train -q --preset seq --epochs 1 --loss softmax < "$BATS_TEST_TMPDIR/big.mp" > "$BATS_TEST_TMPDIR/c.bin"
	assert_equal "$(hyper "$BATS_TEST_TMPDIR/c.bin")" "softmax 256 0.001"
	c="$BATS_TEST_TMPDIR/c.mp"
	cycle_stream | ml-onehot -q --seq > "$c"
	fm-train -q --preset seq --epochs 1 < "$c" > "$BATS_TEST_TMPDIR/d.bin"
	assert_equal "$(hyper "$BATS_TEST_TMPDIR/d.bin")" "softmax 1 0.001"
	run bash -c "fm-train --help | grep -A1 '^Preset seq over 2048 items:'"
	assert_output --partial "--loss sampled-softmax --negatives 256"
}

# the rate's rule (cmd/fm-train.c): lr 0.004 and a patience of 6 on a
# catalogue past 2,048 items with 30 records an item or more, 0.001 and 10
# on a sparser one or on a dense one of fewer items (ML-100K's 1,682,
# whose NDCG@10 it lowers)
@test "fm-train --preset seq: lr 0.004 and early stop 6 past 2,048 items at 30 records an item or more, 0.001 and 10 otherwise; options given override" {
	cd "$BATS_TEST_TMPDIR"
	hyper() { rs-show --full "$1" | jq -r ".hyper | \"\(.loss) \(.lr) \(.early_stop)\""; }
	# N items, U users of E events each: 2,100 items at 31 an item, then 29.7;
	# 100 items at 40 an item
	for shape in "2100 700 93" "2100 700 89" "100 50 80"; do
		set -- $shape
		awk -v n=$1 -v U=$2 -v E=$3 'BEGIN { for (u = 1; u <= U; u++) for (t = 1; t <= E; t++) printf "u%d\ti%d\t%d\n", u, (u * 7 + t) % n + 1, t }' |
			ml-split -q --split seq-aware | ml-onehot -q --seq > $1-$3.mp
		fm-train -q --preset seq --epochs 1 -o $1-$3.bin $1-$3.mp
	done
	assert_equal "$(hyper 2100-93.bin)" "sampled-softmax 0.004 6"
	assert_equal "$(hyper 2100-89.bin)" "sampled-softmax 0.001 10"
	assert_equal "$(hyper 100-80.bin)" "softmax 0.001 10"
	fm-train -q --preset seq --epochs 1 --lr 0.002 --early-stop 3 -o given.bin 2100-93.mp
	assert_equal "$(hyper given.bin)" "sampled-softmax 0.002 3"
	run bash -c "fm-train --help | grep -A1 '^Preset seq over 2048 items and on at least 30 records an item:'"
	assert_output --partial "--lr 0.004"
	assert_output --partial "--early-stop 6"
}

# the sampler's rule (cmd/fm-train.c): popularity draws past 65,536 items,
# where 256 uniform negatives, under 0.4% of the catalogue, left synthlog
# 25M's HR@10 at 0.375 (docs/tuning.md); at 65,536 items or fewer, uniform
@test "fm-train --preset seq: negatives drawn by popularity past 65,536 items, uniformly at 65,536; --sampler given overrides" {
	cd "$BATS_TEST_TMPDIR"
	hyper() { rs-show --full "$1" | jq -r ".hyper | \"\(.loss) \(.negatives) \(.sampler)\""; }
	# U users of E events, each event an item of its own: 65,600 and 65,536 items
	for shape in "656 100" "512 128"; do
		set -- $shape
		awk -v U=$1 -v E=$2 'BEGIN { for (u = 1; u <= U; u++) for (t = 1; t <= E; t++) printf "u%d\ti%d\t%d\n", u, (u - 1) * E + t, t }' |
			ml-split -q --split seq-aware | ml-onehot -q --seq > $1.mp
		fm-train -q --preset seq --epochs 1 -o $1.bin $1.mp
	done
	assert_equal "$(hyper 656.bin)" "sampled-softmax 256 popularity"
	assert_equal "$(hyper 512.bin)" "sampled-softmax 256 uniform"
	fm-train -q --preset seq --epochs 1 --sampler uniform -o given.bin 656.mp
	assert_equal "$(hyper given.bin)" "sampled-softmax 256 uniform"
	run bash -c "fm-train --help | grep -A1 '^Preset seq over 65536 items:'"
	assert_output --partial "--lr 0.001"
	assert_output --partial "--sampler popularity"
	run bash -c "fm-train --help | grep -A1 '^Preset seq over 65536 items and on at least 30 records an item:'"
	assert_output --partial "--lr 0.004"
	assert_output --partial "--sampler popularity"
}
