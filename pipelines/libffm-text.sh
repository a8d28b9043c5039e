#!/bin/sh
# libffm-text.sh STREAM PREFIX [VALID-PERCENT SEED]: an rs-stream with
# fields (ml-onehot's) as libffm's text, `label field:index:value` a line,
# for measuring ffm-train beside libffm on the same features (make bench,
# docs/tuning.md): PREFIX.train.ffm (split 0), PREFIX.test.ffm (split 1),
# and with VALID-PERCENT a seeded share of train as PREFIX.valid.ffm for
# libffm's -p/--auto-stop. The label is the target (a click 0/1, or a
# rating); a feature's field is the header field whose range holds its
# global index, which libffm takes as given.
set -eu
[ $# -eq 2 ] || [ $# -eq 4 ] || { echo "usage: libffm-text.sh STREAM PREFIX [VALID-PERCENT SEED]" >&2; exit 2; }
in=$1 out=$2 pct=${3:-0} seed=${4:-1}
offsets=$(rs-show --header "$in" | jq -r '[.fields[].offset] | map(tostring) | join(",")')
target=$(rs-show --header "$in" | jq -r '.target')
rs-show -d "$in" | awk -F '\t' -v offs="$offsets" -v target="$target" -v pct="$pct" -v seed="$seed" \
	-v tr="$out.train.ffm" -v te="$out.test.ffm" -v va="$out.valid.ffm" '
BEGIN { nf = split(offs, off, ","); srand(seed) }
NR == 1 { for (c = 1; c <= NF; c++) col[$c] = c; next }
{
	n = split($col["x"], x, ",")
	if ("xv" in col) split($col["xv"], v, ","); else for (j = 1; j <= n; j++) v[j] = 1
	line = $col[target]; f = 1
	for (j = 1; j <= n; j++) {
		while (f < nf && x[j] + 0 >= off[f + 1] + 0) f++
		line = line " " (f - 1) ":" x[j] ":" v[j]
	}
	if ($col["split"] == 1) print line > te
	else if (pct > 0 && rand() * 100 < pct) print line > va
	else print line > tr
}'
