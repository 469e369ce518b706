#pragma once
// A symbolised snapshot as the pieces it is written from: text of its own (the new tables, the keys) and
// views of the raw snapshot's members, which are megabytes written as they are, without a copy (building the
// whole document in one string zeroed and filled 6 MB of fresh pages for a 6 MB snapshot).
#include <deque>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace prof::viewer {

class DocumentPieces {
 public:
  // Where small text goes (appended to the current piece of its own).
  std::string& text();
  // A part of the raw snapshot, which must outlive these pieces; a short one is copied into the text.
  void view(std::string_view part);
  // A whole document of its own.
  explicit DocumentPieces(std::string whole);
  DocumentPieces() = default;

  // The document, in order (views into this object and the raw snapshot).
  std::vector<std::string_view> pieces() const;

 private:
  std::deque<std::string> owned_;  // a deque: growing keeps the strings where they are
  std::vector<std::variant<std::size_t, std::string_view>> order_;  // an owned string's index, or a view
};

}  // namespace prof::viewer
