# table-rows.awk: each row of a Markdown file's tables as "header<TAB>labels":
# the table's header line, then the row's leading cells under the headers
# that name a row (model, task, features, configuration), so that two
# files' tables can be compared by their rows whatever their figures.
function trim(s) { gsub(/^ +| +$/, "", s); return s }
/^\|/ {
	if (!inside) { header = $0; inside = 1; nlabel = 0
		n = split($0, h, "|")
		for (i = 2; i < n && trim(h[i]) ~ /^(model|task|features|configuration)$/; i++)
			nlabel++
		next }
	if ($0 ~ /^\|---/) next
	split($0, c, "|")
	labels = ""
	for (i = 2; i < 2 + nlabel; i++) labels = labels (i > 2 ? " | " : "") trim(c[i])
	print header "\t" labels
	next
}
{ inside = 0 }
