#!/bin/sh
# layering.sh OBJDIR [INCDIR [LIBDIR]]: fail when the library's modules
# depend on each other in a circle, or when one reaches a module of a higher
# layer. A module is an object file OBJDIR/LAYER/NAME.o; it depends on the
# module that defines a symbol it leaves undefined (nm). INCDIR's headers
# and LIBDIR's sources are checked the same way through their #include
# lines, a header standing for the module of its name. The layers, lowest
# first, are the words of $LAYERS (the Makefile's); a module may use its
# own layer's and lower ones'. Prints each circle and each upward arrow,
# and exits 1 if there is one.
set -u
objdir=$1 incdir=${2:-} libdir=${3:-}
edges=$(mktemp) where=$(mktemp)
trap 'rm -f "$edges" "$where"' EXIT
# module -> its layer's rank (by its source, or its object without one)
i=0
for l in ${LAYERS:-}; do
	i=$((i + 1))
	for f in ${libdir:+"$libdir/$l"/*.c} "$objdir/$l"/*.o; do
		[ -e "$f" ] || continue
		m=${f##*/}
		echo "${m%.*} $l $i"
	done
done | sort -u -k1,1 > "$where"
for o in "$objdir"/*/*.o "$objdir"/*.o; do
	[ -e "$o" ] || continue
	# an object left from a source since moved or deleted is no module
	rel=${o#"$objdir"/}
	[ -z "$libdir" ] || [ -e "$libdir/${rel%.o}.c" ] || continue
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
found=
for o in "$objdir"/*/*.o "$objdir"/*.o; do [ -e "$o" ] && found=1; done
[ -n "$found" ] || { echo "layering: no modules in $objdir" >&2; exit 1; }
if [ -n "$libdir" ]; then   # a source's includes: arrows for the layer check only
	for c in "$libdir"/*/*.c; do
		sed -n "s|^#include \"\\(.*\\)\\.h\".*|${c##*/} \\1|p" "$c"
	done | sed 's/\.c / /'
fi | cat "$edges" - | sed 's/\.h / /; s/\.h$//' | sort -u |
	awk -v where="$where" 'BEGIN { while ((getline l < where) > 0) { split(l, f, " "); layer[f[1]] = f[2]; rank[f[1]] = f[3] } }
	($1 in rank) && ($2 in rank) && rank[$2] > rank[$1] && $1 != $2 {
		printf "layering: %s (%s) reaches %s (%s), a higher layer\n", $1, layer[$1], $2, layer[$2]; bad = 1 }
	END { exit bad }' >&2
up=$?
sort -u "$edges" | tsort 2>&1 >/dev/null | sed 's/^tsort: -: input contains a loop:/layering: a circle of modules:/; s/^tsort: /  /' |
	awk '{ print } END { exit NR > 0 }' >&2 || exit 1
exit $up
