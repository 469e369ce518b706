// The stacks table rewritten as text (viewer/symbolise/stacks_text.*): outer frames inserted after the frames
// whose code was inlined, every other byte as written; any other spelling is refused.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <catch2/catch.hpp>

#include "symbolise/stacks_text.hpp"

using namespace prof::viewer;

namespace {

// Frames 0-3; frame 1 was inlined into two functions (rows 4 and 5), frame 3 into one (row 6).
const std::vector<OuterFrames> kOuter{{4, 0}, {4, 2}, {6, 0}, {6, 1}};

std::string rewritten(std::string_view stacks, const std::vector<OuterFrames>& outer = kOuter) {
  auto insertions = outer_insertions(stacks, outer);
  if (!insertions) return "refused";
  std::string out;
  std::size_t copied = 0;
  for (const auto& insertion : *insertions) {
    out.append(stacks.substr(copied, insertion.at - copied));
    out += outer_text(outer[insertion.frame]);
    copied = insertion.at;
  }
  return out.append(stacks.substr(copied));
}

}  // namespace

TEST_CASE("each frame is followed by the functions it was inlined into, the rest as written") {
  CHECK(rewritten("[[0,1,2],[3],[1,1],[]]") == "[[0,1,4,5,2],[3,6],[1,4,5,1,4,5],[]]");
  CHECK(rewritten("[[0,2],[2,0]]") == "[[0,2],[2,0]]");
  CHECK(outer_insertions("[[0,2],[2,0]]", kOuter)->empty());
  CHECK(rewritten("[]") == "[]");
  const std::vector<OuterFrames> none(12);
  CHECK(rewritten("[[11,10,0]]", none) == "[[11,10,0]]");
  CHECK(outer_text({1000000, 3}) == ",1000000,1000001,1000002");
}

TEST_CASE("stacks spelt otherwise than the shim writes them are left to the reader") {
  for (std::string_view odd :
       {"",       "[",          "[[0,1]", "[[0,1]]]", "[[0, 1]]",        " [[0]]",   "[[0]] ",
        "[[0],]", "[[0,]]",     "[[,0]]", "[[01]]",   "[[-1]]",          "[[1.0]]",  "[[\"1\"]]",
        "[0,1]",  "[[0]][[1]]", "{}",     "[[4]]",    "[[99999999999]]", "[[0][1]]", "[[0]],[[1]]"})
    CHECK(rewritten(odd) == "refused");
}

namespace {

// The scan as first written, a digit at a time: what the faster one must agree with.
std::optional<std::vector<OuterInsertion>> reference_insertions(std::string_view text,
                                                                const std::vector<OuterFrames>& outer) {
  std::vector<OuterInsertion> insertions;
  if (text.size() < 2 || text.front() != '[' || text.back() != ']') return std::nullopt;
  if (text.size() == 2) return insertions;
  std::size_t at = 1;
  while (true) {
    if (at >= text.size() || text[at] != '[') return std::nullopt;
    ++at;
    if (at < text.size() && text[at] == ']') {
      ++at;
    } else {
      while (true) {
        const std::size_t start = at;
        std::uint64_t frame = 0;
        while (at < text.size() && text[at] >= '0' && text[at] <= '9' && at - start < 10)
          frame = frame * 10 + static_cast<std::uint64_t>(text[at++] - '0');
        if (at == start || (text[start] == '0' && at - start > 1) || frame >= outer.size())
          return std::nullopt;
        if (outer[frame].count) insertions.push_back({at, static_cast<std::uint32_t>(frame)});
        if (at >= text.size()) return std::nullopt;
        const char next = text[at++];
        if (next == ']') break;
        if (next != ',') return std::nullopt;
      }
    }
    if (at >= text.size()) return std::nullopt;
    const char next = text[at++];
    if (next == ']') return at == text.size() ? std::optional(insertions) : std::nullopt;
    if (next != ',') return std::nullopt;
  }
}

}  // namespace

TEST_CASE("the scan agrees with a digit-at-a-time scan on numbers of every length, whole and damaged") {
  std::uint64_t seed = 88172645463325252ull;
  auto next = [&] {
    seed ^= seed << 13;
    seed ^= seed >> 7;
    seed ^= seed << 17;
    return seed;
  };
  // 1 200 frames (numbers of up to four digits in range); every seventh has outer frames.
  std::vector<OuterFrames> outer(1200);
  for (std::size_t f = 0; f < outer.size(); f += 7)
    outer[f] = {static_cast<std::uint32_t>(f), 1};
  int taken = 0;
  for (int round = 0; round < 4000; ++round) {
    std::string text = "[";
    const auto stacks = next() % 6;
    for (std::uint64_t s = 0; s < stacks; ++s) {
      text += s ? ",[" : "[";
      const auto frames = next() % 9;
      for (std::uint64_t f = 0; f < frames; ++f) {
        if (f) text += ',';
        const auto digits = 1 + next() % (round % 5 ? 4 : 12);  // now and then longer than the table
        std::string number = std::to_string(next() % 10);
        for (std::uint64_t d = 1; d < digits; ++d)
          number += static_cast<char>('0' + next() % 10);
        if (number.size() > 1 && number[0] == '0' && next() % 4) number[0] = '1';
        text += number;
      }
      text += ']';
    }
    text += ']';
    if (round % 3 == 0) {
      const std::size_t at = next() % text.size();
      const char kBytes[] = "[],0912 a";
      text[at] = kBytes[next() % (sizeof kBytes - 1)];
    }
    INFO(text);
    const auto expected = reference_insertions(text, outer);
    const auto found = outer_insertions(text, outer);
    REQUIRE(found.has_value() == expected.has_value());
    if (!found) continue;
    ++taken;
    REQUIRE(found->size() == expected->size());
    for (std::size_t k = 0; k < found->size(); ++k) {
      CHECK((*found)[k].at == (*expected)[k].at);
      CHECK((*found)[k].frame == (*expected)[k].frame);
    }
  }
  CHECK(taken > 500);
}
