#pragma once
// Turns __PRETTY_FUNCTION__ ("void ns::Solver::step(int) const", "T ns::get(T) [with T = int]") into the
// readable name a profile shows ("ns::Solver::step", "ns::get"), at compile time, so PROF_FUNCTION() costs
// nothing at run time for it.

#include <cstddef>

namespace prof::detail {

template <std::size_t N>
struct FunctionName {
  char text[N] = {};
};

// Index one past the last character that belongs to the signature (drops GCC's " [with T = int]" and clang's
// " [T = int]").
constexpr std::size_t signature_end(const char* pretty, std::size_t length) noexcept {
  if (length == 0 || pretty[length - 1] != ']') return length;
  int depth = 0;
  for (std::size_t i = length; i-- > 0;) {
    if (pretty[i] == ']') ++depth;
    if (pretty[i] == '[' && --depth == 0) return (i > 0 && pretty[i - 1] == ' ') ? i - 1 : i;
  }
  return length;
}

// Index of the '(' that opens the parameter list: the last top-level parenthesised group, after skipping
// trailing qualifiers such as " const", " &&" or " noexcept".
constexpr std::size_t parameters_begin(const char* pretty, std::size_t end) noexcept {
  std::size_t close = end;
  while (close > 0 && (pretty[close - 1] == ' ' || pretty[close - 1] == '&' ||
                       (pretty[close - 1] >= 'a' && pretty[close - 1] <= 'z')))
    --close;
  // GCC's lambdas ("main()::<lambda(int)>") end without a parameter list.
  if (close == 0 || pretty[close - 1] != ')') return end;
  int depth = 0;
  for (std::size_t i = close; i-- > 0;) {
    if (pretty[i] == ')') ++depth;
    if (pretty[i] == '(' && --depth == 0) return i;
  }
  return end;
}

// Index where the qualified name starts: after the return type, i.e. after the last space that is outside
// any (), <> or [] group.
constexpr std::size_t name_begin(const char* pretty, std::size_t name_end) noexcept {
  int depth = 0;
  for (std::size_t i = name_end; i-- > 0;) {
    char c = pretty[i];
    if (c == ')' || c == '>' || c == ']') ++depth;
    if ((c == '(' || c == '<' || c == '[') && depth > 0) --depth;
    if (c == ' ' && depth == 0) {
      // "operator delete", "operator new[]": the space belongs to the name.
      constexpr char kOperator[] = "operator";
      bool after_operator = i >= 8;
      for (std::size_t k = 0; after_operator && k < 8; ++k)
        after_operator = pretty[i - 8 + k] == kOperator[k];
      if (!after_operator) return i + 1;
    }
  }
  return 0;
}

// Length of an anonymous-namespace qualifier at `pretty + i` ("{anonymous}::" from GCC, "(anonymous
// namespace)::" from clang), else 0: it says nothing a reader needs and would push the name out of a column.
constexpr std::size_t anonymous_qualifier_at(const char* pretty, std::size_t i, std::size_t stop) noexcept {
  constexpr const char* kQualifiers[] = {"{anonymous}::", "(anonymous namespace)::"};
  for (const char* qualifier : kQualifiers) {
    std::size_t k = 0;
    while (qualifier[k] != '\0' && i + k < stop && pretty[i + k] == qualifier[k])
      ++k;
    if (qualifier[k] == '\0') return k;
  }
  return 0;
}

template <std::size_t N>
constexpr FunctionName<N> readable_function_name(const char (&pretty)[N]) noexcept {
  FunctionName<N> name;
  std::size_t end = signature_end(pretty, N - 1);
  std::size_t stop = parameters_begin(pretty, end);
  std::size_t start = name_begin(pretty, stop);
  // clang glues pointer and reference return types to the name: "std::size_t *ns::Box<int>::size()".
  while (start < stop && (pretty[start] == '*' || pretty[start] == '&'))
    ++start;
  for (std::size_t i = start, out = 0; i < stop;) {
    if (std::size_t skip = anonymous_qualifier_at(pretty, i, stop)) {
      i += skip;
      continue;
    }
    name.text[out++] = pretty[i++];
  }
  return name;
}

}  // namespace prof::detail
