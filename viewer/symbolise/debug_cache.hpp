#pragma once
// Separate debug files whose DWARF is compressed (Debian's and Fedora's debug packages: libc6-dbg's libc is
// 4 MB of zlib for 10 MB of DWARF) are decompressed whole by libdw each time it opens them: 60 ms of CPU for
// libc, in every `prof run` whose stacks pass through libc, i.e. all of them. The first symbolisation keeps a
// decompressed copy in the user's cache; the next ones map that copy instead.
//
// A copy is named by the build id and by the identity of the file it was made from (device, inode, size,
// modification time): the standard search runs each time, and a copy serves only the file it came from, so a
// crafted debug file claiming libc's build id (a snapshot names its modules, and may come with files of its
// own) cannot put its names on the real libc's frames in later reports.
//
// Where: $PROF_DEBUG_CACHE, else $XDG_CACHE_HOME/prof/debug, else $HOME/.cache/prof/debug (absolute paths
// only; PROF_DEBUG_CACHE=0 turns the cache off). A folder not our own, or writable by others, is not used.
// Entries can be deleted at any time: a missing one is made again.
#include <string>

namespace prof::viewer {

// The cache folder, "" when there is none to use (turned off, no HOME, not ours).
std::string debug_cache_folder();

// `fd` is a debug file just found for `build_id` (raw bytes, `length` long). When its DWARF is compressed,
// a descriptor of its decompressed copy in the cache, made now if there is none (`fd` closed, `path` set to
// the copy); otherwise, or when no copy can be used, `fd` itself.
int decompressed_debug(int fd, const unsigned char* build_id, int length, std::string& path);

}  // namespace prof::viewer
