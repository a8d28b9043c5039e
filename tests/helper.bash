# Shared set-up of the BATS suites: tools from BINDIR, data from ML100K_DIR.
bats_require_minimum_version 1.5.0
bats_load_library bats-support
bats_load_library bats-assert
bats_load_library bats-file

: "${BINDIR:=$BATS_TEST_DIRNAME/../bin}"
: "${ML100K_DIR:=$BATS_TEST_DIRNAME/../../shared/data/ml-100k}"
PATH="$BINDIR:$PATH"
UDATA="$ML100K_DIR/u.data"
# the fuzz harnesses' findings (tests/fuzz/regress) and seeds (corpus)
R="$BATS_TEST_DIRNAME/fuzz/regress"
CORPUS="$BATS_TEST_DIRNAME/fuzz/corpus"

need_ml100k() {
	[ -f "$UDATA" ] || fail "MovieLens-100K not found in ML100K_DIR=$ML100K_DIR"
}

# Run a pipeline with pipefail; its stdout is text.
pipe() {
	run bash -o pipefail -c "$1"
}

# The stream of MovieLens-100K with a seed-1 random split, made once per file.
split_stream() {
	local f="$BATS_FILE_TMPDIR/split.mp"
	[ -s "$f" ] || ml-split -q < "$UDATA" > "$f"
	echo "$f"
}

# The seq-aware split (each user's latest rating is test), made once per file.
seq_stream() {
	local f="$BATS_FILE_TMPDIR/seq.mp"
	[ -s "$f" ] || ml-split -q --split seq-aware < "$UDATA" > "$f"
	echo "$f"
}

# The same with clicks, and with side features from u.user and u.item.
ctr_stream() {
	local f="$BATS_FILE_TMPDIR/ctr.mp"
	[ -s "$f" ] || ml-ctr -q < "$(split_stream)" > "$f"
	echo "$f"
}

side_stream() {
	local f="$BATS_FILE_TMPDIR/side.mp"
	[ -s "$f" ] || ml-onehot -q -u "$ML100K_DIR/u.user" -i "$ML100K_DIR/u.item" < "$(ctr_stream)" > "$f"
	echo "$f"
}

# In the current folder: s.mp, users 1 and 2 rating items 1 and 2, and
# users.txt and items.txt, their rows of u.user and u.item, each opened by
# a '#' line and with a blank line between its two rows: lines a reader
# skips and counts.
skipped_side_files() {
	printf '1\t1\t4\t10\n1\t2\t3\t20\n2\t1\t5\t30\n2\t2\t2\t40\n' | ml-split -q > s.mp
	{ echo '# two users'; grep '^1|' "$ML100K_DIR/u.user"; echo; grep '^2|' "$ML100K_DIR/u.user"; } > users.txt
	{ echo '# two items'; grep '^1|' "$ML100K_DIR/u.item"; echo; grep '^2|' "$ML100K_DIR/u.item"; } > items.txt
}

# The ratings stream with side features (no ml-ctr).
side_ratings_stream() {
	local f="$BATS_FILE_TMPDIR/side-ratings.mp"
	[ -s "$f" ] || ml-onehot -q -u "$ML100K_DIR/u.user" -i "$ML100K_DIR/u.item" < "$(split_stream)" > "$f"
	echo "$f"
}

# 40 users each rate 5 consecutive items of a cycle of 10, in order: the
# next item follows from the last one. A model of the user and item alone
# cannot tell the next item of the run from the one before it.
cycle_stream() {
	awk 'BEGIN { for (u = 1; u <= 40; u++) for (j = 0; j < 5; j++)
		printf "%d\t%d\t5\t%d\n", u, (u - 1 + j) % 10 + 1, 1000 * u + j }' |
		ml-split -q --split seq-aware
}

# Two groups: users 1-8 rate items 1-3, users 9-30 the more popular items
# 4-6, each user all three; the latest rating is the test item.
cluster_stream() {
	awk 'BEGIN { for (u = 1; u <= 30; u++) for (j = 0; j < 3; j++)
		printf "%d\t%d\t4\t%d\n", u, (u <= 8 ? 0 : 3) + (u + j) % 3 + 1, 1000 * u + j }' |
		ml-split -q --split seq-aware
}

# metric NAME MODEL STREAM: one metric of rs-eval on the stream's test records
# A log whose next item is fixed by the item five steps back: 400 users,
# 12 items each of 100, no item twice in a user's sequence; the first five
# random, then item t = f(item t-5) for one cycle f over the items. A window
# of the last three items (the sequential FM's) cannot see it.
five_back_log() {
	python3 - "$1" <<'PY'
import random, sys
random.seed(5)
I = 100
cyc = list(range(1, I + 1)); random.shuffle(cyc)
f = {cyc[i]: cyc[(i + 1) % I] for i in range(I)}
n = 0
with open(sys.argv[1], 'w') as out:
    while n < 400:
        s = random.sample(range(1, I + 1), 5)
        while len(s) < 12:
            s.append(f[s[-5]])
        if len(set(s)) < len(s):
            continue
        n += 1
        for it in s:
            out.write(f"u{n}\ti{it}\n")
PY
}

ka_stream() {
	local f="$BATS_FILE_TMPDIR/ka.mp"
	if [ ! -s "$f" ]; then
		five_back_log "$BATS_FILE_TMPDIR/ka.txt"
		ml-split -q --split seq-aware < "$BATS_FILE_TMPDIR/ka.txt" > "$f"
	fi
	echo "$f"
}

metric() {
	rs-eval -m "$2" < "$3" | awk -v k="$1" '$1 == k { print $2 }'
}

# hr_at K MODEL STREAM: rs-eval --rank's HR@K of MODEL on the stream
hr_at() { rs-eval --rank -k "$1" -m "$2" < "$3" | awk -v k="hr@$1" '$1 == k { print $2 }'; }

# refused TOOL FILE MESSAGE: TOOL < FILE exits 1 with exactly MESSAGE on
# stderr and writes nothing (FILE may be <(printf 'TEXT') for text at hand)
refused() {
	run --separate-stderr bash -c "$1 < '$2' > '$BATS_TEST_TMPDIR/out'"
	assert_failure 1
	assert_equal "$stderr" "$3"
	assert_equal "$(stat -c %s "$BATS_TEST_TMPDIR/out")" 0
}

# logged_metric LOG MODEL COLUMN: what the trainer's log said at the epoch kept
logged_metric() {
	local best
	best=$(rs-show "$2" | awk -F'\t' '$1 == "epochs" { split($2, w, " "); print w[3] }')
	awk -F'\t' -v e="$best" -v c="$3" 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == c) k = i }
		NR > 1 && $1 == e { print $k }' "$1"
}

# kept_metric TOOL METRIC STREAM: train TOOL's defaults on STREAM into
# $BATS_TEST_TMPDIR/model.bin with its log in log.tsv, set $kept to rs-eval's
# METRIC on the test records, and fail unless it equals the one logged for the
# epoch kept. (A variable, not output: a failed assert inside $(...) would not
# fail the test.)
kept_metric() {
	local m="$BATS_TEST_TMPDIR/model.bin" log="$BATS_TEST_TMPDIR/log.tsv" logged
	"$1" -q --log "$log" -o "$m" < "$3"
	kept=$(metric "$2" "$m" "$3")
	logged=$(logged_metric "$log" "$m" "test_$2")
	echo "$1 defaults test $2 $kept (logged $logged)" >&3
	assert_close "$kept" "$logged"
}

# assert_diverges TOOL STREAM: an absurd learning rate stops training with
# the divergence error, exit 1, and no model file
assert_diverges() {
	mkdir "$BATS_TEST_TMPDIR/out"
	run --separate-stderr "$1" -q --lr 1e6 --valid-ratio 0 --early-stop 0 -o "$BATS_TEST_TMPDIR/out/m.bin" < "$2"
	assert_failure 1
	assert_regex "$stderr" "^$1: epoch [0-9]+: training diverged \(loss is [-+.e0-9a-z]+\); try a lower --lr \(now 1e\+06\)\$"
	assert_equal "$(ls "$BATS_TEST_TMPDIR/out")" ""
}

assert_close() {   # assert_close A B: equal to 1e-6
	assert [ "$(echo "d = $1 - $2; d <= 0.000001 && d >= -0.000001" | bc -l)" = 1 ]
}

at_least() { assert [ "$(echo "$1 >= $2" | bc -l)" = 1 ]; }   # at_least A B: A >= B
