// Deep recursion (issue 13): a recursive-descent walk that allocates a node at every level of stacks 200 to
// 263 frames deep, beyond PROF_DEPTH's default 64, and frees them on the way back up. Every level has the
// same return address and a different stack pointer, so a stack cache keyed by caller sees hundreds of keys.
//
//   deep_recursion [ROUNDS]
#include <cstdio>
#include <cstdlib>
#include <cstring>

namespace {

struct Node {
  Node* parent;
  int depth;
  char label[20];
};

volatile long g_sink;

__attribute__((noinline)) long descend(Node* parent, int depth, int limit) {
  auto* node = static_cast<Node*>(std::malloc(sizeof(Node)));
  node->parent = parent;
  node->depth = depth;
  std::snprintf(node->label, sizeof node->label, "n%d", depth);
  // Every eighth level also allocates a buffer of its own size, as a parser would for a token.
  char* token =
      depth % 8 == 0 ? static_cast<char*>(std::malloc(16 + static_cast<std::size_t>(depth))) : nullptr;
  if (token) std::memset(token, 'x', 16);
  long sum = depth < limit ? descend(node, depth + 1, limit) : 0;
  sum += node->depth + (token ? token[3] : 0);
  std::free(token);
  std::free(node);
  return sum;
}

}  // namespace

int main(int argc, char** argv) {
  int rounds = argc > 1 ? std::atoi(argv[1]) : 4000;
  long total = 0;
  for (int r = 0; r < rounds; ++r)
    total += descend(nullptr, 0, 200 + r % 64);
  g_sink = total;
  std::printf("%ld\n", total);
  return 0;
}
