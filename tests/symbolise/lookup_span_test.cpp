// SymbolModule::lookup_span's promise: every address of a span gets the answer of the address it was asked
// for, as a lookup of its own gives it. Checked over whole functions of this test program (built -O2 -g, with
// inlined calls), of prof's own symboliser and of libc and libstdc++ (their DWARF when the debug packages are
// installed, else their symbol tables), against a module opened apart that only looks up.
#include <dlfcn.h>

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "call_sites.hpp"
#include "symbolise/module.hpp"

using prof::viewer::SourceFrame;
using prof::viewer::SymbolModule;

namespace {

#if defined(__SANITIZE_ADDRESS__)
constexpr bool kAddressSanitizer = true;
#elif defined(__has_feature)
constexpr bool kAddressSanitizer = __has_feature(address_sanitizer);
#else
constexpr bool kAddressSanitizer = false;
#endif

struct Where {
  std::string path;
  std::int64_t base = 0;
  std::uint64_t address = 0;
};

Where where(const void* code) {
  Dl_info info{};
  REQUIRE(dladdr(code, &info) != 0);
  return {info.dli_fname[0] ? info.dli_fname : "/proc/self/exe",
          static_cast<std::int64_t>(reinterpret_cast<std::uintptr_t>(info.dli_fbase)),
          static_cast<std::uint64_t>(reinterpret_cast<std::uintptr_t>(code))};
}

bool same(const std::vector<SourceFrame>& a, const std::vector<SourceFrame>& b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (a[i].function != b[i].function || a[i].file != b[i].file || a[i].line != b[i].line ||
        a[i].inlined != b[i].inlined)
      return false;
  return true;
}

struct Walked {
  std::size_t spans = 0;
  std::uint64_t bytes = 0;
  int differing = 0;
};

// Walks the function holding `code` span by span from its start and compares each span's answer with the
// reference's at its first and last address and in its middle, or at every address when `every`.
Walked walk_function(const void* code, bool every) {
  const Where at = where(code);
  SymbolModule spans(at.path, at.base);
  SymbolModule reference(at.path, at.base);
  REQUIRE(spans.error().empty());
  const auto entry = spans.lookup_span(at.address);
  Walked walked;
  walked.bytes = entry.function_end - entry.function_first;
  for (std::uint64_t address = entry.function_first; address < entry.function_end;) {
    const auto span = spans.lookup_span(address);
    REQUIRE(span.first <= address);
    REQUIRE(address < span.end);
    ++walked.spans;
    auto compare = [&](std::uint64_t x) {
      if (same(reference.lookup(x), span.frames)) return;
      if (walked.differing++ < 5)
        UNSCOPED_INFO(at.path << " +" << std::hex << x - static_cast<std::uint64_t>(at.base) << " in span +"
                              << span.first - static_cast<std::uint64_t>(at.base) << "..+"
                              << span.end - static_cast<std::uint64_t>(at.base));
    };
    if (every) {
      for (std::uint64_t x = span.first; x < span.end; ++x)
        compare(x);
    } else {
      compare(span.first);
      compare(span.first + (span.end - span.first) / 2);
      compare(span.end - 1);
    }
    address = span.end;
  }
  return walked;
}

// lookup_function's spans, asked at `code` (walked from its function after the first), each compared with the
// reference at its first and last address and in its middle.
Walked learn_function(const void* code) {
  const Where at = where(code);
  SymbolModule spans(at.path, at.base);
  SymbolModule reference(at.path, at.base);
  Walked walked;
  for (const auto& span : spans.lookup_function(at.address, 100000)) {
    ++walked.spans;
    walked.bytes += span.end - span.first;
    for (std::uint64_t x : {span.first, span.first + (span.end - span.first) / 2, span.end - 1})
      if (!same(reference.lookup(x), span.frames) && walked.differing++ < 5)
        UNSCOPED_INFO(at.path << " +" << std::hex << x - static_cast<std::uint64_t>(at.base));
  }
  return walked;
}

}  // namespace

TEST_CASE("every address of a span answers as a lookup of its own: this program's inlined calls") {
  for (const void* code : {reinterpret_cast<const void*>(&symtest::outer_with_inlined_call),
                           reinterpret_cast<const void*>(&symtest::plain_caller),
                           reinterpret_cast<const void*>(&symtest::returns_its_return_address)}) {
    const auto walked = walk_function(code, true);
    CHECK(walked.differing == 0);
    CHECK(walked.bytes > 4);
    CHECK(walked.spans < walked.bytes);  // spans of more than one address
  }
  // prof's own symboliser, built as the project is (templates and inlined standard library).
  const auto walked = walk_function(reinterpret_cast<const void*>(&prof::viewer::demangle), false);
  CHECK(walked.differing == 0);
  CHECK(walked.spans < walked.bytes);
}

TEST_CASE("every address of a span answers as a lookup of its own: libc and libstdc++") {
  // std::string::_M_mutate (libstdc++, C++ with inlined templates) and __cxa_demangle (libstdc++, C).
  const void* mutate =
      dlsym(RTLD_DEFAULT, "_ZNSt7__cxx1112basic_stringIcSt11char_traitsIcESaIcEE9_M_mutateEmmPKcm");
  const void* demangler = dlsym(RTLD_DEFAULT, "__cxa_demangle");
  REQUIRE(mutate);
  REQUIRE(demangler);
  for (const void* code :
       {reinterpret_cast<const void*>(&qsort), reinterpret_cast<const void*>(&strtod),
        reinterpret_cast<const void*>(&fprintf), reinterpret_cast<const void*>(&getenv), mutate, demangler}) {
    // Under AddressSanitizer, libc's functions here are its interceptors in this program: spans of one
    // address there are right too, so only the answers are checked.
    CHECK(walk_function(code, false).differing == 0);
  }
}

TEST_CASE("the spans of a whole function, walked from the function, answer as lookups of their own") {
  const void* mutate =
      dlsym(RTLD_DEFAULT, "_ZNSt7__cxx1112basic_stringIcSt11char_traitsIcESaIcEE9_M_mutateEmmPKcm");
  REQUIRE(mutate);
  const void* in_libc[] = {reinterpret_cast<const void*>(&fprintf), reinterpret_cast<const void*>(&getenv),
                           reinterpret_cast<const void*>(&qsort)};
  for (const void* code :
       {reinterpret_cast<const void*>(&symtest::outer_with_inlined_call),
        reinterpret_cast<const void*>(&prof::viewer::demangle), mutate, in_libc[0], in_libc[1], in_libc[2]}) {
    // From the middle of the function: spans up and down.
    const auto entry = SymbolModule(where(code).path, where(code).base).lookup_span(where(code).address);
    const auto middle = reinterpret_cast<const void*>((entry.function_first + entry.function_end) / 2);
    for (const void* asked : {code, middle}) {
      const auto walked = learn_function(asked);
      CHECK(walked.differing == 0);
      CHECK(walked.bytes <= entry.function_end - entry.function_first);
      // The whole function, once: with clang 14's DWARF 5 too, which has no .debug_aranges (libdwfl finds no
      // unit: each lookup scans the units). Under AddressSanitizer libc's functions here are its
      // interceptors.
      if (!kAddressSanitizer || std::find(std::begin(in_libc), std::end(in_libc), code) == std::end(in_libc))
        CHECK(walked.bytes == entry.function_end - entry.function_first);
    }
  }
}

TEST_CASE("every address across functions and the padding between them answers as a lookup of its own") {
  // The three call sites lie together in this program (call_sites.cpp): from the first one's start to past
  // the last one's end, each address's span is asked and all of its addresses compared, where line-table
  // sequences end and the next function begins.
  std::vector<std::uint64_t> starts;
  for (const void* code : {reinterpret_cast<const void*>(&symtest::outer_with_inlined_call),
                           reinterpret_cast<const void*>(&symtest::plain_caller),
                           reinterpret_cast<const void*>(&symtest::returns_its_return_address)})
    starts.push_back(where(code).address);
  const Where at = where(reinterpret_cast<const void*>(&symtest::plain_caller));
  SymbolModule spans(at.path, at.base);
  SymbolModule reference(at.path, at.base);
  const auto low = *std::min_element(starts.begin(), starts.end());
  const auto high = *std::max_element(starts.begin(), starts.end()) + 64;
  REQUIRE(high - low < 4096);  // together, as the tests assume
  int differing = 0;
  for (std::uint64_t address = low; address < high; ++address) {
    const auto span = spans.lookup_span(address);
    REQUIRE(span.first <= address);
    REQUIRE(address < span.end);
    for (std::uint64_t x = std::max(span.first, low); x < std::min(span.end, high); ++x)
      if (!same(reference.lookup(x), span.frames) && differing++ < 5)
        UNSCOPED_INFO("+" << std::hex << x - static_cast<std::uint64_t>(at.base) << " in span asked at +"
                          << address - static_cast<std::uint64_t>(at.base));
  }
  CHECK(differing == 0);
}
