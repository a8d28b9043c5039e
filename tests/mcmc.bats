#!/usr/bin/env bats
# fm-train --method mcmc (issue 11): Bayesian FMs by Gibbs sampling, on the
# real MovieLens-100K, against libFM's figures (../shared/peers/README.md:
# RMSE 0.8815 and click AUC 0.7996 with side features, means of three
# random 90/10 splits); and ml-onehot --implicit.

setup() {
	load helper
	need_ml100k
}

@test "mcmc ratings with side features, libFM's 100 iterations: test RMSE at libFM's or better, and rs-eval gives the logged RMSE" {
	s=$(side_ratings_stream)
	fm-train -q --method mcmc --iters 100 --burn-in 5 --thin 1 --log "$BATS_TEST_TMPDIR/log.tsv" -o "$BATS_TEST_TMPDIR/b.bin" < "$s"
	logged=$(awk -F'\t' 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == "test_rmse") c = i } END { print $c }' "$BATS_TEST_TMPDIR/log.tsv")
	assert_equal "$(wc -l < "$BATS_TEST_TMPDIR/log.tsv")" 101
	got=$(rs-eval -m "$BATS_TEST_TMPDIR/b.bin" < "$s" | awk '$1 == "rmse" { print $2 }')
	echo "mcmc + side: logged $logged, rs-eval $got" >&3
	assert awk -v a="$logged" -v b="$got" 'BEGIN { exit !(a - b < 1e-4 && b - a < 1e-4) }'
	assert awk -v a="$got" 'BEGIN { exit !(a <= 0.8815) }'
	run rs-show "$BATS_TEST_TMPDIR/b.bin"
	assert_line --index 0 "kind	fm-mcmc"
	# 95 samples after a burn-in of 5, 8 factors each: an FM of 760
	assert_line --partial "V [2697, 761]"
}

# The bounds below are the peer's own figures on the same features and
# split protocol (libFM 1.4.4 MCMC, ../shared/peers/README.md and
# docs/tuning.md): rspipe's sampler must do at least as well as libFM's.
@test "mcmc clicks with side features, 100 iterations: probit AUC at least libFM's 0.7996" {
	s=$(side_stream)
	fm-train -q --method mcmc --iters 100 -o "$BATS_TEST_TMPDIR/c.bin" < "$s"
	run rs-eval -m "$BATS_TEST_TMPDIR/c.bin" < "$s"
	assert_success
	auc=$(echo "$output" | awk '$1 == "auc" { print $2 }')
	echo "mcmc clicks + side: AUC $auc" >&3
	assert awk -v a="$auc" 'BEGIN { exit !(a >= 0.7996) }'
	# probabilities are the normal CDF of the averaged score: inside (0, 1)
	run bash -c "rs-eval -p -m '$BATS_TEST_TMPDIR/c.bin' < '$s' | rs-show | awk -F'\t' 'NR > 1 && (\$NF <= 0 || \$NF >= 1)' | wc -l"
	assert_output 0
}

@test "mcmc with --implicit, defaults, seed-1 split: test RMSE at most libFM's 0.877, and as a click classifier AUC at least libFM's 0.806" {
	ml-onehot -q -u "$ML100K_DIR/u.user" -i "$ML100K_DIR/u.item" --implicit < "$(split_stream)" > "$BATS_TEST_TMPDIR/i.mp"
	fm-train -q --method mcmc -o "$BATS_TEST_TMPDIR/i.bin" < "$BATS_TEST_TMPDIR/i.mp"
	rmse=$(rs-eval -m "$BATS_TEST_TMPDIR/i.bin" < "$BATS_TEST_TMPDIR/i.mp" | awk '$1 == "rmse" { print $2 }')
	auc=$(rs-eval --threshold 3 -m "$BATS_TEST_TMPDIR/i.bin" < "$BATS_TEST_TMPDIR/i.mp" | awk '$1 == "auc" { print $2 }')
	echo "mcmc + side + implicit: RMSE $rmse, AUC of rating > 3 $auc" >&3
	assert awk -v a="$rmse" 'BEGIN { exit !(a <= 0.877) }'
	assert awk -v a="$auc" 'BEGIN { exit !(a >= 0.806) }'
	# 140 samples of 8 factors: (300 - 20) / 2
	run rs-show "$BATS_TEST_TMPDIR/i.bin"
	assert_line --partial "V [5322, 1121]"
}

@test "mcmc: the same seed gives the same model bytes, another seed another model, and any --threads the same scores" {
	s=$(split_stream)
	fm-train -q --method mcmc --iters 4 --burn-in 1 < "$s" > "$BATS_TEST_TMPDIR/a.bin"
	fm-train -q --method mcmc --iters 4 --burn-in 1 < "$s" > "$BATS_TEST_TMPDIR/b.bin"
	fm-train -q --method mcmc --iters 4 --burn-in 1 --seed 2 < "$s" > "$BATS_TEST_TMPDIR/c.bin"
	cmp "$BATS_TEST_TMPDIR/a.bin" "$BATS_TEST_TMPDIR/b.bin"
	run cmp -s "$BATS_TEST_TMPDIR/a.bin" "$BATS_TEST_TMPDIR/c.bin"
	assert_failure
	# a field's features drawn on threads draw from their own streams: one
	# thread and two give the same chain, so the same scores
	for t in 1 2; do
		fm-train -q --method mcmc --iters 4 --burn-in 1 --threads $t < "$s" > "$BATS_TEST_TMPDIR/t$t.bin"
		rs-eval -q --predict -m "$BATS_TEST_TMPDIR/t$t.bin" < "$s" | rs-show > "$BATS_TEST_TMPDIR/t$t.tsv"
	done
	assert_equal "$(wc -l < "$BATS_TEST_TMPDIR/t1.tsv")" 100001
	cmp "$BATS_TEST_TMPDIR/t1.tsv" "$BATS_TEST_TMPDIR/t2.tsv"
	# --thin 2 keeps samples 2 and 4 after the burn-in: V holds 2 x 8 factors
	fm-train -q --method mcmc --iters 5 --burn-in 1 --thin 2 -o "$BATS_TEST_TMPDIR/t.bin" < "$s"
	run rs-show "$BATS_TEST_TMPDIR/t.bin"
	assert_line --partial "V [2625, 17]"
	# samples are counted back from the last: a --thin past the iterations
	# after the burn-in keeps the last one (counted forward it kept none,
	# and the model's weights were 0/0)
	for a in "1 0 2" "3 0 5"; do
		set -- $a
		fm-train -q --method mcmc --iters $1 --burn-in $2 --thin $3 -o "$BATS_TEST_TMPDIR/l.bin" < "$s"
		run rs-show "$BATS_TEST_TMPDIR/l.bin"
		assert_line --partial "V [2625, 9]"
		assert_regex "$(metric rmse "$BATS_TEST_TMPDIR/l.bin" "$s")" '^[01]\.[0-9]+$'
	done
}

@test "mcmc: options of the other method are refused, and so is a burn-in past the iterations" {
	s=$(split_stream)
	run --separate-stderr fm-train --method mcmc --lr 0.1 < "$s"
	assert_failure 2
	assert_equal "${stderr%%$'\n'*}" "fm-train: option --lr does not apply to fm-train"
	run --separate-stderr fm-train --method gibbs < "$s"
	assert_failure 2
	assert_equal "${stderr%%$'\n'*}" "fm-train: option --method: 'gibbs' is neither sgd nor mcmc"
	run --separate-stderr mf-train --method mcmc < "$s"
	assert_failure 2
	assert_equal "${stderr%%$'\n'*}" "mf-train: option --method does not apply to mf-train"
	# refused before any input is read: /dev/zero is never read to its end
	run --separate-stderr timeout 5 fm-train --method mcmc --iters 5 --burn-in 5 -o "$BATS_TEST_TMPDIR/x.bin" < /dev/zero
	assert_failure 2
	assert_equal "${stderr%%$'\n'*}" "fm-train: --burn-in 5 leaves no sample of --iters 5"
	assert [ ! -e "$BATS_TEST_TMPDIR/x.bin" ]
}

@test "ml-onehot --implicit: the item's train users and the user's train items at 1/sqrt(n), never a test record's" {
	# user 1: train items 10, 11, 12 (12 twice), test 13; user 2: train 10, test 11
	printf '1\t10\t5\t100\n1\t11\t4\t200\n1\t12\t3\t300\n1\t12\t3\t350\n1\t13\t5\t400\n2\t10\t4\t50\n2\t11\t3\t60\n' |
		ml-split -q --split seq-aware | ml-onehot -q --implicit > "$BATS_TEST_TMPDIR/i.mp"
	run rs-show --dense "$BATS_TEST_TMPDIR/i.mp"
	# features: user 0-1, item 2-5, raters 6-7, implicit 8-11;
	# 1/sqrt(2) = 0.707106769, 1/sqrt(3) = 0.577350259; item 13 (3) has no
	# train users, item 11 (1) only user 1 (user 2's is a test record)
	assert_output "split	user	item	rating	ts	x	xv
0	0	0	5	100	0,2,6,7,8,9,10	1,1,0.707106769,0.707106769,0.577350259,0.577350259,0.577350259
0	0	1	4	200	0,3,6,8,9,10	1,1,1,0.577350259,0.577350259,0.577350259
0	0	2	3	300	0,4,6,8,9,10	1,1,1,0.577350259,0.577350259,0.577350259
0	0	2	3	350	0,4,6,8,9,10	1,1,1,0.577350259,0.577350259,0.577350259
1	0	3	5	400	0,5,8,9,10	1,1,0.577350259,0.577350259,0.577350259
0	1	0	4	50	1,2,6,7,8	1,1,0.707106769,0.707106769,1
1	1	1	3	60	1,3,6,8	1,1,1,1"
	run rs-show --header "$BATS_TEST_TMPDIR/i.mp"
	assert_output --partial '{"name": "raters", "offset": 6, "size": 2}, {"name": "implicit", "offset": 8, "size": 4}'
	run --separate-stderr ml-onehot --fields user,implicit,item < /dev/null
	assert_failure 2
	assert_equal "${stderr%%$'\n'*}" "ml-onehot: fields 'raters' and 'implicit' come after every other"
	run --separate-stderr ml-onehot --implicit --fields user,item < /dev/null
	assert_failure 2
	assert_equal "${stderr%%$'\n'*}" "ml-onehot: --implicit with --fields: name raters and/or implicit in the list"
}

@test "an implicit-field model ranks from a stream: the features rebuilt for a pair are ml-onehot's, and pairs alone are refused" {
	ml-split -q --split seq-aware < "$UDATA" | ml-onehot -q --implicit > "$BATS_TEST_TMPDIR/i.mp"
	fm-train -q --method mcmc --iters 3 --burn-in 1 -o "$BATS_TEST_TMPDIR/i.bin" < "$BATS_TEST_TMPDIR/i.mp"
	run rs-eval -m "$BATS_TEST_TMPDIR/i.bin" < "$BATS_TEST_TMPDIR/i.mp"
	assert_success
	assert_line "n	943"
	run rs-eval --rank -m "$BATS_TEST_TMPDIR/i.bin" < "$BATS_TEST_TMPDIR/i.mp"
	assert_success
	assert_line "n	943"
	# each user's test item scored from the stream's own features (ml-onehot's)
	# and from those the scorer rebuilds (rs-recommend over every item): equal
	rs-eval -q -p -m "$BATS_TEST_TMPDIR/i.bin" < "$BATS_TEST_TMPDIR/i.mp" |
		rs-show | awk -F'\t' 'NR > 1 && $1 == 1 { print $2 "\t" $3 "\t" $NF }' | sort > "$BATS_TEST_TMPDIR/stream"
	rs-recommend -q -k 1682 --exclude train -m "$BATS_TEST_TMPDIR/i.bin" < "$BATS_TEST_TMPDIR/i.mp" | cut -f1,3,4 | sort > "$BATS_TEST_TMPDIR/all"
	join -t "$(printf '\t')" <(awk -F'\t' '{ print $1 ":" $2 "\t" $3 }' "$BATS_TEST_TMPDIR/stream" | sort) \
		<(awk -F'\t' '{ print $1 ":" $2 "\t" $3 }' "$BATS_TEST_TMPDIR/all" | sort) > "$BATS_TEST_TMPDIR/both"
	assert_equal "$(wc -l < "$BATS_TEST_TMPDIR/both")" 943
	run awk -F'\t' '{ d = $2 - $3; if (d < 0) d = -d; if (d > 1e-4 * (1 + ($2 < 0 ? -$2 : $2))) bad++ } END { print bad + 0 }' "$BATS_TEST_TMPDIR/both"
	assert_output 0
	run --separate-stderr bash -c "printf '196\t242\n' | rs-predict -m '$BATS_TEST_TMPDIR/i.bin'"
	assert_failure 1
	assert_equal "$stderr" "rs-predict: $BATS_TEST_TMPDIR/i.bin: the model's field 'raters' is built by ml-onehot from a stream's train records; score such a model from a stream (rs-eval, rs-recommend), not from pairs"
}

@test "a time-field model: rs-predict scores a line at its timestamp as rs-eval scores the stream's record, and rs-recommend ranks from the stream" {
	ml-onehot -q --time < "$(split_stream)" > "$BATS_TEST_TMPDIR/t.mp"
	fm-train -q --method mcmc --iters 3 --burn-in 1 -o "$BATS_TEST_TMPDIR/t.bin" < "$BATS_TEST_TMPDIR/t.mp"
	rs-eval -q --predict -m "$BATS_TEST_TMPDIR/t.bin" < "$BATS_TEST_TMPDIR/t.mp" | rs-show |
		awk -F'\t' 'NR > 1 && $1 == 1 { print $2 "\t" $3 "\t" $4 "\t" $5 "\t" $7 }' > "$BATS_TEST_TMPDIR/want"
	cut -f1-4 "$BATS_TEST_TMPDIR/want" | rs-predict -q -m "$BATS_TEST_TMPDIR/t.bin" > "$BATS_TEST_TMPDIR/got"
	run bash -c "paste '$BATS_TEST_TMPDIR/want' '$BATS_TEST_TMPDIR/got' | awk -F'\t' '{ d = \$5 - \$8; if (d < 0) d = -d; if (\$1 != \$6 || \$2 != \$7 || d > 1e-4) bad++ } END { print NR, bad + 0 }'"
	assert_output "10000 0"
	# without a timestamp the time fields are left out: other scores
	cut -f1-2 "$BATS_TEST_TMPDIR/want" | rs-predict -q -m "$BATS_TEST_TMPDIR/t.bin" > "$BATS_TEST_TMPDIR/bare"
	run cmp -s "$BATS_TEST_TMPDIR/got" "$BATS_TEST_TMPDIR/bare"
	assert_failure
	run rs-recommend -q -k 3 -U 196 -m "$BATS_TEST_TMPDIR/t.bin" "$BATS_TEST_TMPDIR/t.mp"
	assert_success
	assert_equal "${#lines[@]}" 4
}
