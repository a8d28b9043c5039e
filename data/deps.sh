#!/bin/sh
# Install the Debian packages rspipe needs, only those missing: the build's
# and tests', and those named as arguments (`make fuzz` adds clang and its
# libFuzzer runtime). Used by `make deps` (and so by `make run` and `make
# test`) and by CI.
set -e
need=""
for p in build-essential pkg-config libmsgpack-dev libcsv-dev bats bats-support \
         bats-assert bats-file gnuplot-nox time unzip curl ca-certificates python3 help2man \
         zlib1g-dev libjansson-dev jq bc openmpi-bin libopenmpi-dev python3-msgpack "$@"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || need="$need $p"
done
[ -z "$need" ] && exit 0
echo "deps: installing$need" >&2
if [ "$(id -u)" -eq 0 ]; then sudo=""; else sudo="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq $need >/dev/null
