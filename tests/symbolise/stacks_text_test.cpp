// The stacks table rewritten as text (viewer/symbolise/stacks_text.*): outer frames inserted after the frames
// whose code was inlined, every other byte as written; any other spelling is refused.
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
