// dlclose, interposed so that the modules it unmaps stay in the snapshot (memory_unloaded_modules): the
// memory tracer's sites keep return addresses into them.

#include <dlfcn.h>
#include <atomic>
#include <cerrno>

#include "export.hpp"
#include "memory/tracer.hpp"
#include "memory/unloaded_modules.hpp"

namespace {

using CloseFn = prof::preload::memory::unloaded_modules::CloseFn;

std::atomic<CloseFn> g_real_dlclose{nullptr};

CloseFn real_dlclose() noexcept {
  CloseFn fn = g_real_dlclose.load(std::memory_order_acquire);
  if (!fn) {
    int saved = errno;
    fn = reinterpret_cast<CloseFn>(dlsym(RTLD_NEXT, "dlclose"));
    errno = saved;
    g_real_dlclose.store(fn, std::memory_order_release);
  }
  return fn;
}

}  // namespace

PROF_SHIM_EXPORT int dlclose(void* handle) noexcept {
  CloseFn real = real_dlclose();
  if (!real) return -1;
  if (!prof::preload::memory::active()) return real(handle);
  return prof::preload::memory::unloaded_modules::close(handle, real);
}
