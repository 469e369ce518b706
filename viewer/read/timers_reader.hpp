#pragma once
// Reads the `timers` section (docs/SNAPSHOT.md, "timers").
#include "model/snapshot.hpp"
#include "read/json_access.hpp"

namespace prof::viewer {

Timers read_timers(const json::element& value);

}  // namespace prof::viewer
