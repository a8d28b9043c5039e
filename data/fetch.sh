#!/bin/sh
# fetch.sh URL MD5 DIR: download a MovieLens zip into DIR, check its MD5
# against the sum GroupLens publishes, unpack it. A file:// URL or a local
# path is copied instead of downloaded (how the tests exercise this path).
# On any failure nothing is left behind: no partial zip, no folder.
set -eu
url=$1 md5=$2 dir=$3
zip=$dir/$(basename "$url")
tmp=$zip.part
trap 'rm -f "$tmp"' EXIT
fetched=1
case $url in
	file://*) cp "${url#file://}" "$tmp" 2>/dev/null || fetched=0 ;;
	/*|./*)   cp "$url" "$tmp" 2>/dev/null || fetched=0 ;;
	*)        if command -v curl >/dev/null; then
			  curl -fsSL -o "$tmp" "$url" 2>/dev/null || fetched=0
		  else
			  wget -q -O "$tmp" "$url" || fetched=0
		  fi ;;
esac
if [ $fetched = 0 ]; then
	echo "fetch: cannot get $url (no network?); with a copy of MovieLens-100K unpacked elsewhere, run: make run ML100K_DIR=/path/to/ml-100k" >&2
	exit 1
fi
got=$(md5sum "$tmp" | cut -d' ' -f1)
if [ "$got" != "$md5" ]; then
	echo "fetch: $url: MD5 $got does not match the published $md5" >&2
	exit 1
fi
mv "$tmp" "$zip"
unzip -q -o "$zip" -d "$dir"
# the unpacked files are newer than the zip, so make does not fetch again
name=$(basename "$zip" .zip)
find "$dir/$name" -type f -exec touch {} +
echo "fetch: $zip checked and unpacked into $dir/$name" >&2
