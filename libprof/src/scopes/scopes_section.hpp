#pragma once
// Writes the `scopes` section and the `strings` table its sites refer to (docs/SNAPSHOT.md). Allocation-free
// (scratch space is mapped), so it can run at exit and in the shim's fatal-signal handler.

namespace prof::core {
class JsonWriter;
}

namespace prof::scopes {

// Registered before write_strings_section: it fixes the sites the strings table must hold.
void write_scopes_section(core::JsonWriter& out, void* context) noexcept;
void write_strings_section(core::JsonWriter& out, void* context) noexcept;

}  // namespace prof::scopes
