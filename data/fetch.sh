#!/bin/sh
# fetch.sh URL MD5 DIR: download a MovieLens zip into DIR, check its MD5
# against the sum GroupLens publishes, unpack it. A file:// URL or a local
# path is copied instead of downloaded (how the tests exercise this path).
set -eu
url=$1 md5=$2 dir=$3
zip=$dir/$(basename "$url")
tmp=$zip.part
case $url in
	file://*) cp "${url#file://}" "$tmp" ;;
	/*|./*)   cp "$url" "$tmp" ;;
	*)        curl -fsSL -o "$tmp" "$url" || wget -q -O "$tmp" "$url" ;;
esac
got=$(md5sum "$tmp" | cut -d' ' -f1)
if [ "$got" != "$md5" ]; then
	rm -f "$tmp"
	echo "fetch: $url: MD5 $got does not match the published $md5" >&2
	exit 1
fi
mv "$tmp" "$zip"
unzip -q -o "$zip" -d "$dir"
touch "$dir"/ml-100k/u.data
echo "fetch: $zip checked and unpacked into $dir/ml-100k" >&2
