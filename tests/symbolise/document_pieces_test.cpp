// A symbolised snapshot's pieces (viewer/symbolise/document_pieces.*): text of its own and views of the raw
// snapshot, in order; big views are not copied, small ones are.
#include <catch2/catch.hpp>

#include "symbolise/document_pieces.hpp"

using namespace prof::viewer;

namespace {

std::string joined(const DocumentPieces& document) {
  std::string all;
  for (auto piece : document.pieces())
    all += piece;
  return all;
}

}  // namespace

TEST_CASE("the pieces give the text and the views in order; a big view is written from where it lies") {
  const std::string raw(100000, 'x');
  const std::string_view big(raw.data() + 10, 50000);
  DocumentPieces document;
  document.text() += "{\"a\":";
  document.view(std::string_view(raw.data(), 3));  // small: copied
  document.text() += ",\"b\":";
  document.view(big);
  document.text() += "}";
  CHECK(joined(document) == "{\"a\":xxx,\"b\":" + std::string(big) + "}");
  auto pieces = document.pieces();
  REQUIRE(pieces.size() == 3);
  CHECK(pieces[1].data() == big.data());  // not copied
  CHECK(pieces[0] == "{\"a\":xxx,\"b\":");

  // Moved (returned from a function), the pieces still read the same.
  DocumentPieces moved = std::move(document);
  CHECK(joined(moved) == "{\"a\":xxx,\"b\":" + std::string(big) + "}");
  CHECK(joined(DocumentPieces(std::string("whole"))) == "whole");
  CHECK(DocumentPieces().pieces().empty());
}
