#include "entry_word.hpp"

namespace prof::preload::entry_word {

// A line of its own: every malloc and free of the program reads it, and only rare events write it.
extern "C" {
alignas(64) std::atomic<std::uint32_t> prof_entry_word{0};
}

}  // namespace prof::preload::entry_word
