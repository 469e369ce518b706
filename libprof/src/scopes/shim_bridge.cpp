#include "scopes/shim_bridge.hpp"

#include <dlfcn.h>
#include <cstring>

#include <prof/version.hpp>

#include "core/snapshot_writer.hpp"

namespace prof::scopes {

namespace {

using VersionFn = const char* (*)();
using RegisterFn = int (*)(const char* key, core::SectionWriter write, void* context);
using WriteFn = int (*)(const char* label, int sequence);

RegisterFn g_register = nullptr;
WriteFn g_write = nullptr;

bool forward_section(const char* key, core::SectionWriter write, void* context) {
  return g_register(key, write, context) != 0;
}

}  // namespace

bool connect_to_shim() noexcept {
  auto version = reinterpret_cast<VersionFn>(dlsym(RTLD_DEFAULT, "prof_preload_version"));
  auto register_section = reinterpret_cast<RegisterFn>(dlsym(RTLD_DEFAULT, "prof_preload_register_section"));
  auto write = reinterpret_cast<WriteFn>(dlsym(RTLD_DEFAULT, "prof_preload_write_snapshot"));
  // The sections are written with the shim's JsonWriter: only a shim of the same version shares its layout.
  if (!version || !register_section || !write || std::strcmp(version(), PROF_VERSION_STRING) != 0)
    return false;
  g_register = register_section;
  g_write = write;
  core::forward_sections_to(forward_section);
  return true;
}

bool shim_connected() noexcept {
  return g_write != nullptr;
}

bool shim_write_snapshot(const char* label, int sequence) noexcept {
  return g_write && g_write(label, sequence) != 0;
}

}  // namespace prof::scopes
