#pragma once
// Reads `meta` (docs/SNAPSHOT.md "meta").
#include "model/snapshot.hpp"
#include "read/json_access.hpp"

namespace prof::viewer {

Meta read_meta(const json::element& value);

}  // namespace prof::viewer
