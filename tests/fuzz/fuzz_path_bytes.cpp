// Strings are bytes (docs/SNAPSHOT.md): any string of bytes the writers escape must parse as JSON and read
// back unchanged through the reader's escape rewriting, and the rewriting must accept any document.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include <simdjson.h>

#include "core/json_writer.hpp"
#include "read/path_bytes.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace prof::viewer;
  const std::string bytes(reinterpret_cast<const char*>(data), size);
  // Arbitrary input as a document: the rewriting never reads out of bounds.
  (void)with_byte_escapes_rewritten(bytes);

  std::string json = "[\"";
  prof::core::put_json_string_body(bytes, [&](std::string_view piece) { json += piece; });
  json += "\"]";
  auto rewritten = with_byte_escapes_rewritten(json);
  simdjson::padded_string padded(rewritten ? *rewritten : json);
  simdjson::dom::parser parser;
  simdjson::dom::element document;
  if (parser.parse(padded).get(document) != simdjson::SUCCESS) std::abort();  // the writer wrote bad JSON
  std::string_view parsed;
  if (document.at(0).get(parsed) != simdjson::SUCCESS) std::abort();
  std::string back(parsed);
  restore_bytes(back);
  if (back != bytes) std::abort();  // a byte lost or changed on the way
  return 0;
}
