#pragma once
// A block's books as a free or a realloc takes them (headers::take), with its site found first when it was
// still to be found (sites::record_later).

#include "memory/headers.hpp"
#include "memory/sites.hpp"

namespace prof::preload::memory {

// A block whose site was still to be found: found now, with every other such block's, and the books read
// again. Out of line (hooks.cpp): a few frees in a program of 100 000 stacks and more come here.
headers::Books matched(void* block, const headers::Books& taken) noexcept;

// The books of a block being freed or moved, its site found if it was not yet.
inline __attribute__((always_inline)) headers::Books take_books(void* block) noexcept {
  headers::Books books = headers::take(block);
  if (__builtin_expect(books.site == sites::kUnmatched, 0)) return matched(block, books);
  return books;
}

}  // namespace prof::preload::memory
