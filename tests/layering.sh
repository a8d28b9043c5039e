#!/bin/sh
# layering.sh OBJDIR [INCDIR]: fail when the library's modules depend on
# each other in a circle. A module is an object file of OBJDIR; it depends
# on the module that defines a symbol it leaves undefined (nm). INCDIR's
# headers are checked the same way through their #include lines. Prints
# each circle tsort finds, and exits 1 if there is one.
set -u
objdir=$1 incdir=${2:-}
edges=$(mktemp)
trap 'rm -f "$edges"' EXIT
for o in "$objdir"/*.o; do
	m=${o##*/}
	m=${m%.o}
	nm -g --defined-only "$o" | awk -v m="$m" 'NF == 3 { print "D", m, $3 }'
	nm -u "$o" | awk -v m="$m" '{ print "U", m, $NF }'
done | awk '$1 == "D" { def[$3] = $2; next }
	{ use[++n] = $2 " " $3 }
	END { for (i = 1; i <= n; i++) { split(use[i], u, " ")
		if ((u[2] in def) && def[u[2]] != u[1]) print u[1], def[u[2]] } }' > "$edges"
if [ -n "$incdir" ]; then
	for h in "$incdir"/*.h; do
		sed -n "s|^#include \"\\(.*\\)\".*|${h##*/} \\1|p" "$h"
	done >> "$edges"
fi
[ -s "$edges" ] || { echo "layering: no modules in $objdir" >&2; exit 1; }
sort -u "$edges" | tsort 2>&1 >/dev/null | sed 's/^tsort: -: input contains a loop:/layering: a circle of modules:/; s/^tsort: /  /' |
	awk '{ print } END { exit NR > 0 }' >&2
