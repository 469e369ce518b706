#!/bin/sh
# Installs the build tree into a fresh prefix, then builds a consumer against the *installed* tree twice:
# with find_package(libprof) and with pkg-config. Also checks the layout and that none of our build flags
# (warnings as errors, sanitizers) leak into what consumers get.
# Usage: check_install.sh BUILD_DIR SOURCE_DIR
set -eu
build=$1
src=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
prefix=$work/prefix

fail() { echo "check_install: $*" >&2; exit 1; }

cmake --install "$build" --prefix "$prefix" >/dev/null

for f in bin/prof lib/libprof_preload.so include/prof/prof.hpp include/prof/version.hpp \
         lib/cmake/libprof/libprofConfig.cmake lib/cmake/libprof/libprofConfigVersion.cmake \
         lib/cmake/libprof/libprofTargets.cmake lib/pkgconfig/libprof.pc; do
  [ -e "$prefix/$f" ] || fail "missing $f in the installed tree"
done
ls "$prefix"/lib/libprof.so* >/dev/null 2>&1 || fail "missing lib/libprof.so"

if grep -Eq -- '-Werror|-fsanitize|-Wall' "$prefix"/lib/cmake/libprof/*.cmake "$prefix/lib/pkgconfig/libprof.pc"; then
  fail "our build flags leak into the installed package"
fi

# 1. CMake: find_package(libprof) + target_link_libraries(... libprof::prof)
cmake -S "$src/tests/install/consumer" -B "$work/cmake-build" -DCMAKE_PREFIX_PATH="$prefix" \
      -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build "$work/cmake-build" >/dev/null
out=$("$work/cmake-build/consumer") || fail "the find_package consumer failed: $out"
echo "find_package consumer: $out"
# prof_instrument() from the package: work() recorded without a macro, named by the installed prof.
PROF_OUTPUT="$work/instrumented" "$work/cmake-build/consumer_instrumented" >/dev/null ||
  fail "the prof_instrument consumer failed"
"$prefix/bin/prof" report "$work/instrumented" --scopes --format csv | grep -q '^work,' ||
  fail "prof_instrument: work() is not in the report of the instrumented consumer"
echo "prof_instrument consumer: work() recorded"

# 2. pkg-config
export PKG_CONFIG_PATH="$prefix/lib/pkgconfig"
flags=$(pkg-config --cflags --libs libprof)
# shellcheck disable=SC2086
c++ -std=c++20 -o "$work/pc-consumer" "$src/tests/install/consumer/main.cpp" $flags \
    -Wl,-rpath,"$(pkg-config --variable=libdir libprof)"
out=$("$work/pc-consumer") || fail "the pkg-config consumer failed: $out"
echo "pkg-config consumer: $out"
[ "$(realpath "$(pkg-config --variable=preload libprof)")" = "$(realpath "$prefix/lib/libprof_preload.so")" ] || fail "pkg-config preload variable"

# 3. The installed prof finds the installed shim and records a run.
"$prefix/bin/prof" --version >/dev/null || fail "installed prof --version"
"$prefix/bin/prof" run -o "$work/run" -- true 2>/dev/null || fail "installed prof run -- true"
ls "$work"/run/*.prof.json >/dev/null 2>&1 || fail "installed prof run left no snapshot"
echo "installed prof run: $(ls "$work/run" | wc -l) snapshot(s)"
