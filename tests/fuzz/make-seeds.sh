#!/bin/sh
# make-seeds.sh BINDIR: write the seed corpora of tests/fuzz/corpus from a
# few synthetic ratings and side files, through the tools themselves, so
# each seed is what the tools really exchange (no MovieLens data: its
# licence forbids copies). Run by hand after a format changes; the output
# is committed.
set -eu
B=$1
C=tests/fuzz/corpus
t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT
rm -rf "$C"
mkdir -p "$C/ratings" "$C/side" "$C/pairs" "$C/stream" "$C/model" "$C/show" "$C/itemlist" "$C/request" \
	"$C/clicklog" "$C/colenc" "$C/libfm" "$C/rowreq"

# 40 ratings of 5 users and 6 items, timestamps increasing
awk 'BEGIN { for (i = 0; i < 40; i++) printf "%d\t%d\t%d\t%d\n", 1 + i % 5, 1 + (i * 7) % 6, 1 + (i * 3) % 5, 880000000 + i }' > "$t/r.tsv"
awk -F'\t' '{ print $1 "::" $2 "::" $3 "::" $4 }' "$t/r.tsv" > "$t/r.dat"
{ echo userId,movieId,rating,timestamp; awk -F'\t' '{ print $1 "," $2 "," $3 ".5," $4 }' "$t/r.tsv"; } > "$t/r.csv"
printf '\000' | cat - "$t/r.tsv" > "$C/ratings/auto-tab"
printf '\001' | cat - "$t/r.tsv" > "$C/ratings/tab"
printf '\002' | cat - "$t/r.dat" > "$C/ratings/dat"
printf '\003' | cat - "$t/r.csv" > "$C/ratings/csv"
printf '\001' > "$C/ratings/crlf"; sed 's/$/\r/' "$t/r.tsv" >> "$C/ratings/crlf"

cat > "$t/u.user" <<'U'
1|24|M|technician|85711
2|53|F|other|94043
3|23|M|writer|32067
4|24|M|technician|43537
5|33|F|other|L1G5R
U
g='0|0|0|1|1|1|0|0|0|0|0|0|0|0|0|0|0|0|0'
{ for i in 1 2 3 4 5 6; do echo "$i|Film $i (1995)|01-Jan-199$i||http://example.org/$i|$g"; done
  echo "7|unknown||||1|0|0|0|0|0|0|0|0|0|0|0|0|0|0|0|0|0|0"; } > "$t/u.item"
printf '\000' | cat - "$t/u.user" > "$C/side/users"
printf '\001' | cat - "$t/u.item" > "$C/side/items"
printf '\002' | cat - "$t/u.item" > "$C/side/titles"
printf '\003' | cat - "$t/u.user" > "$C/side/users-every"
# ML-1M's users.dat and movies.dat, ML-25M's movies.csv
printf '\0001::F::1::10::48067\n2::M::56::16::70072\n3::M::25::15::K1A0B\n4::F::18::0::1\n5::M::45::7::9\n' > "$C/side/users-dat"
printf '\0011::Toy Story (1995)::Animation|Children'"'"'s|Comedy\n2::Star Wars: IV (1977)::Action|Sci-Fi\n3::Caf\351 (1975)::Drama\n4::X (2000)::Drama|IMAX\n5::Y::Film-Noir\n' > "$C/side/movies-dat"
printf '\001movieId,title,genres\n1,Toy Story (1995),Animation|Children\n2,"Star Wars, IV (1977)",Action\n3,Z (1975),(no genres listed)\n4,X (2000),Drama|IMAX\n5,Y,Western\n' > "$C/side/movies-csv"
printf '\002movieId,title,genres\n1,"T\303\251 (1995)",Comedy\n' > "$C/side/titles-csv"

printf '1\t2\n3\t4\n' > "$C/pairs/tab"
printf 'user item rating\n1  2 3.5\n3 4 1\n' > "$C/pairs/spaces-header"
cut -f1-4 "$t/r.tsv" | tr '\t' ',' > "$C/pairs/csv-4"
printf '\000318\n50\nzz\n\n' > "$C/itemlist/numbers"
printf '\001a\tmore\n"b"\nq\n' > "$C/itemlist/names"
printf '196\n 1 2 \r\n\n{"user": "196", "k": 3}\n' > "$C/request/bare"
printf '{"liked": ["50", 181], "k": 2}\n{"similar": 50}\n{"user": 1, "item": "x"}\n{"user": 1.5}\n{"k": 1' > "$C/request/json"
printf '{"user": "u1", "item": "i2", "hour": 10, "site": "s1", "tags": ["a", "b"], "price": null}\n{"age": 3.5}\n{"x": [1, "y"]}\n{"bad": {"k": 1}}\n[1]\nnot json\n' > "$C/rowreq/rows"

"$B/ml-split" -q < "$t/r.tsv" > "$t/split.mp"
"$B/ml-ctr" -q < "$t/split.mp" > "$t/ctr.mp"
"$B/ml-onehot" -q -u "$t/u.user" -i "$t/u.item" < "$t/ctr.mp" > "$t/side.mp"
"$B/ml-split" -q --split seq-aware < "$t/r.tsv" > "$C/stream/seq.mp"
cp "$t/split.mp" "$t/ctr.mp" "$t/side.mp" "$C/stream/"
gzip -cn "$t/split.mp" > "$C/stream/split.mp.gz"   # gzip input reads as the stream it holds
"$B/mf-train" -q --factors 2 --epochs 2 --valid-ratio 0.2 --early-stop 0 < "$t/split.mp" > "$C/model/mf.bin"
"$B/fm-train" -q --factors 2 --epochs 2 < "$t/ctr.mp" > "$C/model/fm.bin"
"$B/deepfm-train" -q --factors 2 --epochs 1 --mlp 3,2 < "$t/ctr.mp" > "$C/model/deepfm.bin"
"$B/deepfm-train" -q --factors 2 --epochs 1 --mlp 3 < "$t/side.mp" > "$C/model/deepfm-side.bin"
cp "$t/side.mp" "$C/model/mf.bin" "$C/show/"
# the sequential fields (history, last, long with its cap) and a model
# trained to rank (task ranking) on them
"$B/ml-onehot" -q --history 2 --last --long sqrt --long-max 2 < "$C/stream/seq.mp" > "$C/stream/seq-long.mp"
"$B/fm-train" -q --loss softmax --factors 2 --epochs 2 --valid-ratio 0 --early-stop 0 < "$C/stream/seq-long.mp" > "$C/model/fm-ranking-seq.bin"

# a click log: a label, user, item, categorical (one multi-valued) and
# numeric (one with missing values) columns (ml-split --format click)
sh tests/fuzz/clicklog-seed.sh > "$t/c.tsv"
printf '\000' | cat - "$t/c.tsv" > "$C/clicklog/tab"
printf '\002' | cat - "$t/c.tsv" > "$C/clicklog/numeric"
printf '\004' > "$C/clicklog/csv-crlf"; tr '\t' , < "$t/c.tsv" | sed 's/$/\r/' >> "$C/clicklog/csv-crlf"
"$B/ml-split" -q --format click "$t/c.tsv" > "$t/c.mp"
for p in 0 1 2; do printf "\\00$p" | cat - "$t/c.mp" > "$C/colenc/pick-$p"; done
# libFM lines of one-hot fields (each place a range of its own), of one
# field, and libffm's, a CRLF line among them
printf '\000''1 0:1 5:1 9:1\n-1 1:1 6:1 8:1\n1 2:1 4:1 10:1\n-1 0:1 5:1 10:1\n' > "$C/libfm/onehot"
printf '\000''1 0:1 5:1\n0 3:1\n1 1:1 2:1 7:1\n' > "$C/libfm/one-field"
printf '\001''1 0:3:1 1:10:1 2:20:1\n0 0:4:1 1:11:1 2:21:1 2:22:1\n1 0:3:1 2:20:1\r\n' > "$C/libfm/ffm"
