#!/bin/sh
# Builds Google's pprof from Debian's Go sources (golang-go, golang-github-google-pprof-dev and its two
# dependencies: .ci/install-deps), offline, once, into $1. Without Go or those sources it builds nothing
# and says so: the pprof tests then skip themselves.
set -eu
out="$1"
[ -x "$out" ] && exit 0
if ! command -v go >/dev/null 2>&1 || [ ! -d /usr/share/gocode/src/github.com/google/pprof ]; then
  echo "build_pprof: no go or no pprof sources here: the pprof tests skip (.ci/install-deps installs them)"
  exit 0
fi
dir=$(dirname "$out")
mkdir -p "$dir"
GOPATH=/usr/share/gocode GO111MODULE=off GOCACHE="$dir/go-cache" \
  go build -o "$out.tmp" github.com/google/pprof
mv "$out.tmp" "$out"
