#!/usr/bin/env bats
# One question, one answer: the same pair scored alike by every tool and
# model kind; ids of one JSON type per id space; one name for a score; the
# TSV header; unknown ids under --unknown; no part of an answer written
# before a failure; a log of repeated events named as such.

setup() {
	load helper
	need_ml100k
	cd "$BATS_TEST_TMPDIR"
}

# five MODEL STREAM USER ITEM [SIDE OPTIONS]: the pair's score by rs-eval
# --predict (the test record), rs-predict, rs-predict --serve, rs-recommend
# and rs-recommend --serve (among every item, the test item included), on
# one line
five() {
	local m=$1 s=$2 u=$3 i=$4
	shift 4
	local a b c d e
	a=$(rs-eval -q -m "$m" --predict "$s" | rs-show -j |
		jq -r "select(.split == 1 and .user == $u and .item == $i) | .score")
	b=$(printf '%s\t%s\n' "$u" "$i" | rs-predict -q -m "$m" "$@" --stream "$s" --json | jq -r .score)
	c=$(printf '%s %s\n' "$u" "$i" | rs-predict --serve -m "$m" "$@" --stream "$s" | jq -r .score)
	d=$(rs-recommend -q -m "$m" "$@" -U "$u" -k 100000 --exclude train --json "$s" 2> /dev/null |
		jq -r ".items[] | select(.item == $i) | .score")
	e=$(printf '{"user": %s, "k": 100000}\n' "$u" | rs-recommend --serve -m "$m" "$@" --exclude train "$s" 2> /dev/null |
		jq -r ".items[] | select(.item == $i) | .score")
	echo "$a $b $c $d $e"
}

# the five agree to 1e-6, and there are five
agree() {
	echo "$1" | awk -v what="$2" '{ if (NF != 5) { print what ": " NF " scores: " $0; exit 1 }
		for (j = 2; j <= 5; j++) if ($j - $1 > 1e-6 || $1 - $j > 1e-6) { print what ": " $0; exit 1 } }'
}

@test "one pair, one score: rs-predict, rs-recommend, rs-eval --predict and both --serve agree for every model kind" {
	ml-split -q --split seq-aware < "$UDATA" > ids.mp
	ml-onehot -q -u "$ML100K_DIR/u.user" -i "$ML100K_DIR/u.item" < ids.mp > side.mp
	ml-onehot -q --seq < ids.mp > seq.mp
	side=(-u "$ML100K_DIR/u.user" -i "$ML100K_DIR/u.item")
	# user 196's test record
	item=$(rs-show ids.mp | awk -F'\t' '$1 == 1 && $2 == 196 { print $3 }')
	assert_equal "$item" 110
	mf-train -q --epochs 2 -o mf.bin ids.mp
	fm-train -q --epochs 2 -o fm.bin side.mp
	deepfm-train -q --epochs 1 -o deepfm.bin side.mp
	als-train -q --iters 3 -o als.bin ids.mp
	mf-train -q --loss bpr --epochs 1 -o bpr.bin ids.mp
	fm-train -q --preset seq --epochs 1 -o seqfm.bin seq.mp
	fm-train -q --method mcmc --iters 25 -o mcmc.bin ids.mp
	sasrec-train -q --epochs 1 --factors 16 --maxlen 10 --no-refit -o sasrec.bin ids.mp
	for m in mf als bpr mcmc sasrec; do
		got=$(five "$m.bin" ids.mp 196 "$item")
		agree "$got" "$m"
		echo "$m: $got" >&3
	done
	for m in fm deepfm; do
		got=$(five "$m.bin" side.mp 196 "$item" "${side[@]}")
		agree "$got" "$m"
		echo "$m: $got" >&3
	done
	got=$(five seqfm.bin seq.mp 196 "$item")
	agree "$got" seqfm
	echo "seqfm: $got" >&3
	# without the stream, a model of previous items has no history to
	# score a known user from: refused, where it used to score none
	run --separate-stderr rs-predict -m seqfm.bin <<< $'196\t110'
	assert_failure 1
	assert_equal "$stderr" "rs-predict: stdin:1: the model seqfm.bin scores user 196 from their previous items: --stream FILE gives them (the user's train records, as rs-recommend takes them), or --liked names them"
	assert_output ''
	run rs-predict --serve -m seqfm.bin <<< '196 110'
	assert_success
	assert_output '{"error": "the model scores a user from their previous items: rs-predict --stream FILE gives them, or the request'"'"'s \"liked\" names them", "line": 1}'
}

@test "rs-predict --json: one object a pair, --serve's; ids numbers where the model's ids are, strings where they are names" {
	ml-split -q < "$UDATA" > s.mp
	mf-train -q --epochs 1 -o mf.bin s.mp
	head -n 50 "$UDATA" | rs-predict -q -m mf.bin --json > pairs.json
	assert_equal "$(jq -c . pairs.json | wc -l)" 50
	assert_equal "$(jq -r '[(.user | type), (.item | type), (.score | type)] | join(" ")' pairs.json | sort -u)" "number number number"
	# the same scores as the TSV lines
	assert_equal "$(jq -r '"\(.user)\t\(.item)"' pairs.json)" "$(head -n 50 "$UDATA" | cut -f1,2)"
	assert_equal "$(head -n 1 pairs.json)" "$(head -n 1 "$UDATA" | cut -f1,2 | tr '\t' ' ' | rs-predict --serve -m mf.bin)"
	# every JSON writer gives a space of numbers numbers...
	assert_equal "$(rs-show -j -n 1 s.mp | jq -r '[(.user | type), (.item | type)] | join(" ")')" "number number"
	assert_equal "$(rs-recommend -q -m mf.bin -U 196 -k 1 --json s.mp | jq -r '[(.user | type), (.items[0].item | type)] | join(" ")')" "number number"
	assert_equal "$(echo '{"user": "196", "k": 1}' | rs-recommend --serve -m mf.bin s.mp | jq -r '[(.user | type), (.items[0].item | type)] | join(" ")')" "number number"
	assert_equal "$(rs-recommend -m mf.bin --liked 50,181 -k 1 --json | jq -r '[(.liked[0] | type), (.items[0].item | type)] | join(" ")')" "number number"
	# ... and a space of names strings, whatever the name looks like
	printf 'u1\ti1\t1\nu1\t7\t2\nu2\ti1\t3\nu2\ti3\t4\nu3\t7\t5\nu3\ti3\t6\n' | ml-split -q --test-ratio 0 > named.mp
	als-train -q --iters 2 -o named.bin named.mp
	assert_equal "$(rs-show -j named.mp | jq -r '[(.user | type), (.item | type)] | join(" ")' | sort -u)" "string string"
	assert_equal "$(printf 'u1\t7\n' | rs-predict -q -m named.bin --json | jq -r '[(.user | type), (.item | type)] | join(" ")')" "string string"
	assert_equal "$(rs-recommend -q -m named.bin -U u1 -k 1 --exclude none --json named.mp | jq -r '.items[0].item | type')" "string"
	assert_equal "$(echo '{"similar": "7", "k": 1}' | rs-recommend --serve -m named.bin named.mp | jq -r '[(.item | type), (.items[0].item | type)] | join(" ")')" "string string"
}

@test "one name for a score: --similar's TSV and JSON say score; the header line has no '#', pandas and sort take it" {
	ml-split -q < "$UDATA" > s.mp
	mf-train -q --epochs 1 -o mf.bin s.mp
	run rs-recommend -m mf.bin --similar 50 -k 2
	assert_success
	assert_line --index 0 "item	rank	similar	score"
	assert_equal "$(rs-recommend -m mf.bin --similar 50 -k 2 --json | jq -r '.items[0] | keys | join(" ")')" "item score"
	rs-recommend -q -m mf.bin -U 196 -U 186 -k 3 s.mp > rec.tsv
	assert_equal "$(head -n 1 rec.tsv)" "user	rank	item	score"
	# the idiom of --help: the header first, the lines below it sorted
	(sed -u 1q; sort -t "$(printf '\t')" -k4,4gr) < rec.tsv > sorted.tsv
	assert_equal "$(head -n 1 sorted.tsv)" "user	rank	item	score"
	assert_equal "$(sed 1d sorted.tsv | cut -f4)" "$(sed 1d rec.tsv | cut -f4 | sort -gr)"
	if python3 -c 'import pandas' 2> /dev/null; then
		assert_equal "$(python3 -c 'import pandas, sys; print(" ".join(pandas.read_csv(sys.argv[1], sep="\t").columns))' rec.tsv)" "user rank item score"
	fi
}

@test "--unknown fail|skip: an unknown item of --liked fails with nothing written, or is left out and counted" {
	ml-split -q < "$UDATA" > s.mp
	mf-train -q --epochs 1 -o mf.bin s.mp
	run --separate-stderr rs-recommend -m mf.bin --liked 50,nope -k 2
	assert_failure 1
	assert_equal "$stderr" "rs-recommend: item nope is not in the model mf.bin"
	assert_output ''
	run --separate-stderr rs-recommend -m mf.bin --liked 50,nope -k 2 --unknown fail
	assert_failure 1
	assert_equal "$stderr" "rs-recommend: item nope is not in the model mf.bin"
	run --separate-stderr rs-recommend -m mf.bin --liked 50,nope,99999 -k 2 --unknown skip
	assert_success
	assert_equal "$stderr" "rs-recommend: 2 liked items skipped: not in the model mf.bin; 0 users left with none, not listed"
	# the list of the known item alone
	assert_equal "$output" "$(rs-recommend -m mf.bin --liked 50 -k 2)"
	run --separate-stderr rs-recommend -m mf.bin -U 196 --unknown skip s.mp
	assert_failure 2
	assert_equal "${stderr%%$'\n'*}" "rs-recommend: --unknown says what an unknown item of --liked or --liked-file does: it takes one of them"
	run --separate-stderr rs-recommend -m mf.bin --liked 50 --unknown cold
	assert_failure 2
}

@test "--liked-file: a bad line mid-file writes nothing; under skip the unknown items are left out and counted" {
	ml-split -q < "$UDATA" > s.mp
	mf-train -q --epochs 1 -o mf.bin s.mp
	printf 'a 50\na 172\nb 181\nc nope\nd 1\n' > liked.txt
	run --separate-stderr rs-recommend -m mf.bin --liked-file liked.txt -k 1
	assert_failure 1
	assert_equal "$stderr" "rs-recommend: liked.txt: user c: item nope is not in the model mf.bin"
	assert_output ''
	run --separate-stderr rs-recommend -m mf.bin --liked-file liked.txt -k 1 --json
	assert_failure 1
	assert_output ''
	# a line that does not parse, after users who would have had lists
	printf 'a 50\nb 181\nc\nd 1\n' > broken.txt
	run --separate-stderr rs-recommend -m mf.bin --liked-file broken.txt -k 1
	assert_failure 1
	assert_output ''
	run --separate-stderr rs-recommend -m mf.bin --liked-file liked.txt -k 1 --unknown skip
	assert_success
	assert_equal "$stderr" "rs-recommend: 1 liked items skipped: not in the model mf.bin; 1 users left with none, not listed"
	assert_equal "$(echo "$output" | cut -f1 | tr '\n' ' ')" "user a b d "
	assert_equal "$(echo "$output" | sed -n 2p)" "$(rs-recommend -m mf.bin --liked 50,172 -U a -k 1 | sed -n 2p)"
	# -U with an unknown user last: none of the lists before it
	run --separate-stderr rs-recommend -m mf.bin -U 196 -U 186 -U 99999 -k 1 s.mp
	assert_failure 1
	assert_equal "$stderr" "rs-recommend: user 99999 is not in the model mf.bin"
	assert_output ''
}

@test "rs-predict: a bad line after thousands of good ones writes nothing" {
	ml-split -q < "$UDATA" > s.mp
	mf-train -q --epochs 1 -o mf.bin s.mp
	{ head -n 9000 "$UDATA"; printf '99999\t1\t3\t881250949\n'; head -n 5 "$UDATA"; } > pairs.tsv
	run --separate-stderr rs-predict -m mf.bin pairs.tsv
	assert_failure 1
	assert_equal "$stderr" "rs-predict: pairs.tsv:9001: user 99999 is not in the model (--unknown skip leaves it out, --unknown cold scores it from the other side alone)"
	assert_output ''
	run --separate-stderr rs-predict -m mf.bin --unknown skip pairs.tsv
	assert_success
	assert_equal "${#lines[@]}" 9005
}

@test "repeats: the warning says the log repeats pairs and names --dedupe; rs-eval --rank --repeats ranks every item" {
	# each user plays items 1-5 in turn, then item 1 again: the test record
	# repeats a train pair
	awk 'BEGIN { for (u = 1; u <= 30; u++) { for (j = 0; j < 5; j++) printf "u%d\ti%d\t%d\n", u, j + 1, 100 * u + j
		printf "u%d\ti1\t%d\n", u, 100 * u + 9 } }' > plays.tsv
	ml-split -q --split seq-aware plays.tsv > plays.mp
	als-train -q --iters 3 -o plays.bin plays.mp
	run --separate-stderr rs-eval -m plays.bin --rank plays.mp
	assert_success
	assert_equal "$stderr" "rs-eval: plays.mp: 30 of its test records repeat a (user, item) pair of its train records (the log repeats events): a ranking among the items a user has not had counts them as misses; ml-split --dedupe first|last keeps one event a pair, and rs-eval --rank --repeats ranks every item"
	# every test item was had before: no candidate without --repeats
	assert_line "hr@10	0.000000"
	run --separate-stderr rs-eval -m plays.bin --rank --repeats plays.mp
	assert_success
	assert_equal "$stderr" ""
	# five items in all: every test item is within the top 10
	assert_line "hr@10	1.000000"
	assert_line "n	30"
	run --separate-stderr rs-eval -m plays.bin --rank --repeats --negatives 3 plays.mp
	assert_failure 2
	assert_equal "${stderr%%$'\n'*}" "rs-eval: --repeats goes with --rank, and ranks every item: not with --negatives"
	# --dedupe keeps one event a pair: nothing repeated, no warning
	ml-split -q --split seq-aware --dedupe first plays.tsv > once.mp
	run --separate-stderr rs-eval -m plays.bin --rank once.mp
	assert_success
	refute_output --partial "repeat"
	# another split's test pairs are still named as such
	ml-split -q < "$UDATA" > s1.mp
	ml-split -q --seed 2 < "$UDATA" > s2.mp
	mf-train -q --epochs 1 -o mf.bin s1.mp
	run --separate-stderr rs-eval -m mf.bin s2.mp
	assert_success
	assert_equal "$stderr" "rs-eval: s2.mp: $(ml-split -q --seed 2 < "$UDATA" | rs-show | awk -F'\t' 'NR == FNR { if (FNR > 1 && $1 == 0) t[$2 " " $3]; next } FNR > 1 && $1 == 1 && ($2 " " $3) in t' <(rs-show s1.mp) - | wc -l) of its test records are (user, item) pairs the model mf.bin was trained on: a metric over them is not a test (split the same file the same way as for training)"
}

@test "a training's per-epoch ranking of sampled users says how many, once, and in the summary" {
	# 2,500 users, each with a test event: past the 2,000 an epoch ranks
	awk 'BEGIN { for (u = 1; u <= 2500; u++) for (j = 0; j < 3; j++) printf "u%d\ti%d\t%d\n", u, (u * 7 + j) % 50, 10 * u + j }' |
		ml-split -q --split seq-aware > many.mp
	run --separate-stderr als-train --iters 1 -o als.bin many.mp
	assert_success
	assert_equal "${stderr%%$'\n'*}" "als-train: each epoch's test_hr@10 ranks 2000 users drawn of the 2500 with test records (rs-eval --rank ranks them all)"
	assert_equal "${stderr##*$'\n'}" "$(echo "${stderr##*$'\n'}" | grep -x 'als-train: 5000 train, 2500 test records; kept epoch 1 of 1: test_hr@10 [0-9.]* (2000 of 2500 users)')"
	# 943 users: all ranked, the lines as they were
	run --separate-stderr als-train --iters 1 -o als.bin "$(seq_stream)"
	refute_output --partial "users drawn"
	assert_equal "$(echo "$stderr" | grep -c ' users)$')" 0
}
