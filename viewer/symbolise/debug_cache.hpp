#pragma once
// Separate debug files whose DWARF is compressed (Debian's and Fedora's debug packages: libc6-dbg's libc is
// 4 MB of zlib for 10 MB of DWARF) are decompressed whole by libdw each time it opens them: 60 ms of CPU for
// libc, in every `prof run` whose stacks pass through libc, i.e. all of them. The first symbolisation keeps a
// decompressed copy, named by the build id, in the user's cache; the next ones map that copy instead.
//
// Where: $PROF_DEBUG_CACHE, else $XDG_CACHE_HOME/prof/debug, else $HOME/.cache/prof/debug (absolute paths
// only; PROF_DEBUG_CACHE=0 turns the cache off). A folder not our own, or writable by others, is not used.
// Entries can be deleted at any time: a missing one is made again.
#include <string>

namespace prof::viewer {

// The cache folder, "" when there is none to use (turned off, no HOME, not ours).
std::string debug_cache_folder();

// A descriptor of the cached copy for `build_id` (raw bytes, `length` long), checked to carry that build id,
// with its path in `path`; -1 when there is none.
int open_cached_debug(const unsigned char* build_id, int length, std::string& path);

// `fd` is a debug file just found for `build_id`. When its DWARF is compressed, a decompressed copy is
// written into the cache and a descriptor of it returned (`fd` closed, `path` set to the copy); otherwise, or
// when the copy cannot be made, `fd` itself.
int decompressed_debug(int fd, const unsigned char* build_id, int length, std::string& path);

}  // namespace prof::viewer
