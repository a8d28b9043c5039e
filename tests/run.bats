#!/usr/bin/env bats
# make run end to end on a 2,000-rating slice: the report, a learning curve
# per model, docs/benchmarks.md's tables against the report, and nothing redone.

setup() {
	load helper
	need_ml100k
	: "${BUILDDIR:=$BATS_TEST_DIRNAME/../build}"
}

run_slice() {   # the experiments on the first 2000 ratings, two seeds
	make -C "$BATS_TEST_DIRNAME/.." --no-print-directory run-all BINDIR="$BINDIR" \
		BUILDDIR="$BUILDDIR" ML100K_DIR="$ML100K_DIR" RUN="$1" RUN_RATINGS=2000 SEEDS="1 2"
}

@test "make run: report, one learning curve per model, and nothing redone the second time" {
	r=$BATS_TEST_TMPDIR/run
	run run_slice "$r"
	assert_success
	assert_output --partial "report: $r/report.md"
	# the first 2000 ratings less those of users with fewer than 3 of them
	few=$(head -n 2000 "$UDATA" | cut -f1 | sort | uniq -c | awk '$1 < 3 { s += $1 } END { print s }')
	assert [ "$few" -gt 0 ]
	assert_equal "$(wc -l < "$r/u.data")" $((2000 - few))
	assert_equal "$(cut -f1 "$r/u.data" | sort | uniq -c | awk '$1 < 3' | wc -l)" 0
	rows=$(grep -c '^| \(mf\|fm\|deepfm\) | \(rating\|click\) |' "$r/report.md")
	assert_equal "$rows" 16
	# the rating models scored against clicks: mf and the Bayesian FMs
	assert_equal "$(grep -c '^| \(mf\|fm --method mcmc\) | [a-z +]* | [0-9.]* ± [0-9.]* | [0-9.]* ± [0-9.]* |$' "$r/report.md")" 3
	# the ranking table: the baseline, then each ranking model over both seeds
	assert_equal "$(grep -c '^| popularity | [0-9.]* |' "$r/report.md")" 1
	assert_equal "$(grep -c '^| \(mf\|fm\|bpr-mf\|bpr-fm\|seq-fm\|seq\|als\) | [0-9.]* +- [0-9.]* |' "$r/report.md")" 7
	for m in mf-d2l mf fm-d2l fm fmside-d2l fmside deepfm-d2l deepfm deepfmside-d2l deepfmside \
		bfmr bfmrside bfmrimpl bfmrtime bfm bfmside; do
		assert_equal "$(head -c 8 "$r/$m-1.png" | od -An -tx1 | tr -d ' \n')" 89504e470d0a1a0a
		assert [ "$(stat -c %s "$r/$m-1.png")" -gt 5000 ]
		grep -q "^| .* \[png\]($m-1.png) |$" "$r/report.md"
	done
	# docs/benchmarks.md's results tables (all but the report's hyperparameters)
	# have the report's rows, in its order
	rows() { awk -f "$BATS_TEST_DIRNAME/table-rows.awk" "$1" | grep -v '^| model | configuration | hyperparameters |'; }
	rows "$r/report.md" > "$r/report.rows"
	rows "$BATS_TEST_DIRNAME/../docs/benchmarks.md" | awk -F'\t' 'NR == FNR { h[$1]; next } $1 in h' "$r/report.rows" - > "$r/readme.rows"
	assert_equal "$(cut -f1 "$r/report.rows" | sort -u | wc -l)" 3
	assert_equal "$(cat "$r/readme.rows")" "$(cat "$r/report.rows")"
	run run_slice "$r"
	assert_success
	refute_output --partial "train -q"
	refute_output --partial "rs-eval"
}

@test "make bench's writer (pipelines/bench-doc.sh): the table, dated and with the machine, between docs/benchmarks.md's markers by a rename, the rest byte for byte; a failed bench or no markers change nothing" {
	cd "$BATS_TEST_TMPDIR"
	w=$BATS_TEST_DIRNAME/../pipelines/bench-doc.sh
	mkdir docs
	cp "$BATS_TEST_DIRNAME/../docs/benchmarks.md" was.md
	cp was.md docs/b.md
	b=$(grep -nxF -e '<!-- make bench: begin -->' was.md | cut -d: -f1)
	e=$(grep -nxF -e '<!-- make bench: end -->' was.md | cut -d: -f1)
	assert [ "$b" -lt "$e" ]
	printf 'stage          input         records\nml-split       ml100k         100000\n' > table
	inode=$(stat -c %i docs/b.md)
	run --separate-stderr sh "$w" docs/b.md cat table
	assert_success
	assert_output "$(cat table)"
	assert_equal "$stderr" ""
	# renamed over it, nothing left beside it
	assert [ "$(stat -c %i docs/b.md)" != "$inode" ]
	assert_equal "$(ls -A docs)" b.md
	# outside the markers, the bytes of before: the first b lines, and the
	# last `after`, from the end marker on
	after=$(($(wc -l < was.md) - e + 1))
	cmp <(head -n "$b" was.md) <(head -n "$b" docs/b.md)
	cmp <(tail -n "$after" was.md) <(tail -n "$after" docs/b.md)
	# between them, exactly the section
	section=$(sed -n "$((b + 1)),$(($(wc -l < docs/b.md) - after))p" docs/b.md)
	assert_equal "$(echo "$section" | sed 3q)" "Measured $(date -u +%Y-%m-%d) (UTC) on:

- $(nproc) cores (\`nproc\`) of $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)"
	assert_regex "$(echo "$section" | sed -n 4p)" '^- [0-9]+\.[0-9] GiB of memory$'
	assert_equal "$(echo "$section" | sed -n '5,$p')" "- $(cc --version | head -n 1)
- Debian $(cat /etc/debian_version)

\`\`\`
$(cat table)
\`\`\`"
	# once more: the section replaced, not added to
	cp docs/b.md once.md
	run sh "$w" docs/b.md cat table
	assert_success
	cmp once.md docs/b.md
	# a failed bench: its output printed, the file untouched
	run --separate-stderr sh "$w" docs/b.md sh -c 'cat table; exit 3'
	assert_failure 3
	assert_output "$(cat table)"
	assert_equal "$stderr" "bench-doc.sh: the bench failed (exit 3): docs/b.md left as it was"
	cmp once.md docs/b.md
	assert_equal "$(ls -A docs)" b.md
	# no markers: refused before the bench runs
	grep -v '^<!-- make bench: ' was.md > docs/bare.md
	cp docs/bare.md bare.md
	run --separate-stderr sh "$w" docs/bare.md touch ran
	assert_failure 1
	assert_equal "$stderr" "bench-doc.sh: docs/bare.md: expected one line '<!-- make bench: begin -->', then one line '<!-- make bench: end -->'"
	assert [ ! -e ran ]
	cmp bare.md docs/bare.md
}
