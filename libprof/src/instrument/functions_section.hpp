#pragma once
// The `functions` section (docs/SNAPSHOT.md): for each scope site that is an instrumented function, the
// module it lies in (path, build id, load base) and its offset there, so the viewer names it (function,
// file:line) from the module's symbols. Written after `scopes`, whose `sites` rows it refers to.

namespace prof::core {
class JsonWriter;
}

namespace prof::instrument {

void write_functions_section(core::JsonWriter& out, void* context) noexcept;

}  // namespace prof::instrument
