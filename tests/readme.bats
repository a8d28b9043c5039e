#!/usr/bin/env bats
# The README's command blocks run as written, from the build folder and from
# `make install`, on a small generated MovieLens-100K look-alike.

setup() {
	load helper
	: "${BUILDDIR:=$BATS_TEST_DIRNAME/../build}"
	cd "$BATS_TEST_TMPDIR"
	# 200 users, 300 items (196 and 242 among them) with side files, in the
	# names and formats the README uses
	awk 'BEGIN { srand(7); for (i = 0; i < 4000; i++)
		printf "%d\t%d\t%d\t%d\n", 1 + int(rand() * 200), 1 + int(rand() * 300), 1 + int(rand() * 5), 880000000 + i }' > u.data
	awk 'BEGIN { for (u = 1; u <= 200; u++) printf "%d|%d|%s|student|%05d\n", u, 15 + u % 50, u % 2 ? "M" : "F", u * 7 }' > u.user
	# an event log with string ids, as the README's log example reads it
	awk 'BEGIN { srand(3); for (e = 0; e < 3000; e++)
		printf "u%d\ti%d\t%d\n", 1 + e % 50, 1 + int(rand() * 40), 1500000000 + e }' > events.tsv
	# a click log of a few fields with a header, its clicks by item and hour
	awk 'BEGIN { srand(5); print "click,user,item,hour,site,price"; for (e = 0; e < 4000; e++) {
		u = 1 + int(rand() * 100); i = 1 + int(rand() * 60); h = int(rand() * 24)
		printf "%d,u%d,i%d,%d,s%d,%s\n", rand() < ((i % 4 == 0) == (h < 12) ? 0.7 : 0.2), u, i, h, i % 5,
			rand() < 0.1 ? "" : sprintf("%.2f", 1 + rand() * 50) } }' > clicks.csv
	awk 'BEGIN { for (i = 1; i <= 300; i++) { printf "%d|Film %d (1995)|01-Jan-1995||http://example.org/%d", i, i, i
		for (g = 0; g < 19; g++) printf "|%d", g == i % 19; print "" } }' > u.item
}

# every indented block of a Markdown file whose commands are not make's
blocks_of() {
	awk '/^    / { sub(/^    /, ""); b = b $0 "\n"; next }
		b != "" { if (b !~ /^make /) printf "%s%c", b, 0; b = "" }
		END { if (b != "" && b !~ /^make /) printf "%s%c", b, 0 }' "$1"
}

# the README's blocks, then the recipes of docs/tools.md
blocks() {
	blocks_of "$BATS_TEST_DIRNAME/../README.md"
	blocks_of "$BATS_TEST_DIRNAME/../docs/tools.md"
}

@test "README and docs/tools.md: every command block runs as written" {
	n=0
	while IFS= read -r -d '' block; do
		run bash -eo pipefail -c "$block"
		[ "$status" -eq 0 ] || fail "README block failed (exit $status): $block$output"
		n=$((n + 1))
	done < <(blocks)
	echo "$n README blocks ran" >&3
	assert [ "$n" -ge 10 ]
	# and did what they say
	assert [ -s fm.bin ]
	assert [ -s mf.bin ]
	assert [ -s deepfm.bin ]
	assert_equal "$(head -1 mf.tsv | cut -f1-2)" "epoch	train_loss"
	# the MovieLens click table: a row a rating, its fields, three models
	assert_equal "$(head -1 ml-clicks.csv)" "click,user,item,ts,hour,weekday,age,gender,occupation,genres"
	assert_equal "$(wc -l < ml-clicks.csv)" 4001
	for m in fm deepfm ffm; do
		assert_equal "$(rs-show mlc-$m.bin | awk -F'\t' '$1 == "fields" { gsub(/ [0-9]+/, ""); print $2 }')" \
			"user, item, c:hour, c:weekday, c:age, c:gender, c:occupation, c:genres"
	done
}

@test "make install: every tool and its man page; the README's first pipeline from that PATH; make uninstall" {
	prefix="$BATS_TEST_TMPDIR/prefix"
	make -C "$BATS_TEST_DIRNAME/.." --no-print-directory install PREFIX="$prefix" BINDIR="$BINDIR" BUILDDIR="$BUILDDIR" > /dev/null
	for t in ml-split ml-ctr ml-onehot mf-train fm-train deepfm-train rs-eval rs-predict rs-recommend rs-show; do
		assert [ -x "$prefix/bin/$t" ]
		grep -q "^\.TH \"\?${t^^}" "$prefix/share/man/man1/$t.1"
	done
	first=$(blocks | tr '\0' '\n' | head -1)
	PATH="$prefix/bin:/usr/bin:/bin" bash -eo pipefail -c "$first"
	assert [ -s fm.bin ]
	make -C "$BATS_TEST_DIRNAME/.." --no-print-directory uninstall PREFIX="$prefix" > /dev/null
	assert_equal "$(find "$prefix" -type f | wc -l)" 0
}

@test "docs/tuning.md: the defaults table is each trainer's --help, row by row" {
	n=0
	while IFS= read -r row; do
		cmd=$(echo "$row" | sed 's/^| `\([^`]*\)` | `.*/\1/')
		want=$(echo "$row" | sed 's/^| `[^`]*` | `\(.*\)` |$/\1/')
		set -- $cmd
		tool=$1
		case "$cmd" in
		*"--loss bpr") head="Defaults under --loss bpr:" help=$("$tool" --help) ;;
		*"--optimizer adagrad") head="Defaults under --optimizer adagrad:" help=$("$tool" --help) ;;
		*"--preset "*) head="Preset ${cmd##* }:" help=$("$tool" --help) ;;
		*"--method mcmc") head="Defaults:" help=$("$tool" --method mcmc --help) ;;
		*) head="Defaults:" help=$("$tool" --help) ;;
		esac
		got=$(echo "$help" | awk -v h="$head" 'f { sub(/^ +/, ""); print; exit } index($0, h) == 1 { f = 1 }')
		[ "$got" = "$want" ] || fail "docs/tuning.md's $cmd: '$want', --help: '$got'"
		n=$((n + 1))
	done < <(sed -n '/^| trainer | its defaults, as `--help` prints them |$/,/^$/p' "$BATS_TEST_DIRNAME/../docs/tuning.md" | grep '^| `')
	assert_equal "$n" 17
}

@test "README: under 200 lines, and no word of how it was made" {
	assert [ "$(wc -l < "$BATS_TEST_DIRNAME/../README.md")" -lt 200 ]
	run grep -i -l -E 'issue|session' "$BATS_TEST_DIRNAME/../README.md" "$BATS_TEST_DIRNAME"/../docs/*.md
	assert_failure 1
	assert_output ''
}

# The quick start of "Your own data" on a log that is not MovieLens:
# synthlog's events (string ids u17, i42, a time), under a header line.
@test "README: the quick start runs as written on a generated log with a BOM, a header and string ids" {
	peers=${PEERS_DIR:-$BATS_TEST_DIRNAME/../../shared/peers}
	[ -f "$peers/synthlog.c" ] || skip "no synthlog.c in $peers"
	cc -O2 -o synthlog "$peers/synthlog.c" -lm
	{ printf '\357\273\277user\titem\tts\n'; ./synthlog 20000 300 200 7; } > events.tsv   # a BOM, then a header
	quick=$(sed -n '/^## Your own data/,/^A click log of many fields/p' "$BATS_TEST_DIRNAME/../README.md" | sed -n 's/^    //p')
	assert_equal "$(echo "$quick" | wc -l)" 7
	run bash -eo pipefail -c "$quick"
	assert_success
	# the split read the header as names, not as a user "user"
	assert_equal "$(rs-show log.mp | head -1)" "split	user	item	ts"
	assert_equal "$(rs-show log.mp | awk -F'\t' 'NR > 1 && $2 !~ /^u[0-9]+$/' | wc -l)" 0
	# u17's five items, then the served list (k 10): string ids
	assert_equal "$(echo "$output" | grep -c '^u17	[1-5]	i[0-9]*	')" 5
	assert_equal "$(echo "$output" | tail -1 | jq -r '.user, (.items | length), (.items[0].item | type)' | tr '\n' ' ')" "u17 10 string "
	# popularity's and the model's metrics, each over every test user
	assert_equal "$(echo "$output" | grep -c '^hr@10	')" 2
}
