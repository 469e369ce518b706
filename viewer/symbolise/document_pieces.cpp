#include "symbolise/document_pieces.hpp"

namespace prof::viewer {

namespace {
// Below this a view is copied: one write per piece, and heavily inlined code inserts outer frames into
// most stacks.
constexpr std::size_t kSmallView = 4096;
}  // namespace

DocumentPieces::DocumentPieces(std::string whole) {
  owned_.push_back(std::move(whole));
  order_.emplace_back(std::size_t{0});
}

std::string& DocumentPieces::text() {
  if (order_.empty() || !std::holds_alternative<std::size_t>(order_.back())) {
    order_.emplace_back(owned_.size());
    owned_.emplace_back();
  }
  return owned_.back();
}

void DocumentPieces::view(std::string_view part) {
  if (part.size() < kSmallView) {
    text() += part;
    return;
  }
  order_.emplace_back(part);
}

std::vector<std::string_view> DocumentPieces::pieces() const {
  std::vector<std::string_view> result;
  result.reserve(order_.size());
  for (const auto& piece : order_) {
    if (const auto* index = std::get_if<std::size_t>(&piece))
      result.emplace_back(owned_[*index]);
    else
      result.push_back(std::get<std::string_view>(piece));
  }
  return result;
}

}  // namespace prof::viewer
