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

// The cached decompressed copy of the debug file `fd` (for `build_id`, raw bytes, `length` long): a
// descriptor, with its path in `path`; -1 when there is none. `fd` stays open.
int cached_copy(int fd, const unsigned char* build_id, int length, std::string& path);

// Writes the copy when the debug file's DWARF is compressed; true when one was made.
bool make_copy(int fd, const unsigned char* build_id, int length);

// Both: the copy (made now if needed; `fd` closed, `path` set), or `fd` itself when there is none to use.
int decompressed_debug(int fd, const unsigned char* build_id, int length, std::string& path);

}  // namespace prof::viewer
