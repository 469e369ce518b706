#pragma once
// FNV-1a over the facts that say which file, and which version of it, something was made from: cache entries
// (debug_cache.hpp, symbol_cache.hpp) are named by it, so a changed file never meets an old entry.
#include <sys/stat.h>

#include <cstddef>
#include <cstdint>
#include <string>

namespace prof::viewer {

class IdentityHash {
 public:
  void add(const void* data, std::size_t length) {
    for (std::size_t i = 0; i < length; ++i) {
      hash_ ^= static_cast<const unsigned char*>(data)[i];
      hash_ *= 0x100000001b3ull;
    }
  }
  void add(std::uint64_t value) {
    for (int byte = 0; byte < 8; ++byte) {
      hash_ ^= (value >> (8 * byte)) & 0xFF;
      hash_ *= 0x100000001b3ull;
    }
  }
  void add(const std::string& text) {
    add(static_cast<std::uint64_t>(text.size()));
    add(text.data(), text.size());
  }
  // Device, inode, size and modification time.
  void add(const struct stat& file) {
    for (auto value :
         {static_cast<std::uint64_t>(file.st_dev), static_cast<std::uint64_t>(file.st_ino),
          static_cast<std::uint64_t>(file.st_size), static_cast<std::uint64_t>(file.st_mtim.tv_sec),
          static_cast<std::uint64_t>(file.st_mtim.tv_nsec)})
      add(value);
  }
  std::uint64_t value() const { return hash_; }

 private:
  std::uint64_t hash_ = 0xcbf29ce484222325ull;
};

}  // namespace prof::viewer
