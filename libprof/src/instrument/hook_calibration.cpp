#include "instrument/hook_calibration.hpp"

#include "instrument/function_sites.hpp"
#include "scopes/calibration.hpp"
#include "scopes/site_table.hpp"

#define PROF_NO_INSTRUMENT __attribute__((no_instrument_function))

extern "C" {
void __cyg_profile_func_enter(void* function, void* call_site) noexcept;
void __cyg_profile_func_exit(void* function, void* call_site) noexcept;
}

namespace prof::instrument {

namespace {

// Two functions whose addresses stand for a caller and its callee; never called. Their sites are made in the
// function table but only recorded in the calibration's private tree, so no snapshot names them.
PROF_NO_INSTRUMENT __attribute__((noinline)) void calibration_caller() noexcept {
  asm volatile("");
}
PROF_NO_INSTRUMENT __attribute__((noinline)) void calibration_callee() noexcept {
  asm volatile("");
}

void* caller() noexcept {
  return reinterpret_cast<void*>(&calibration_caller);
}
void* callee() noexcept {
  return reinterpret_cast<void*>(&calibration_callee);
}

// What a compiled-in hook pair costs: the calls as the compiler emits them, around an empty body.
PROF_NO_INSTRUMENT __attribute__((noinline)) void caller_with_callees() noexcept {
  __cyg_profile_func_enter(caller(), nullptr);
  for (int i = 0; i < scopes::kCalibrationChildren; ++i) {
    __cyg_profile_func_enter(callee(), nullptr);
    asm volatile("");
    __cyg_profile_func_exit(callee(), nullptr);
  }
  __cyg_profile_func_exit(caller(), nullptr);
}

PROF_NO_INSTRUMENT __attribute__((noinline)) void caller_alone() noexcept {
  __cyg_profile_func_enter(caller(), nullptr);
  for (int i = 0; i < scopes::kCalibrationChildren; ++i)
    asm volatile("");
  __cyg_profile_func_exit(caller(), nullptr);
}

PROF_NO_INSTRUMENT void measure_hooks(scopes::ThreadTree& tree, double out[2]) noexcept {
  FunctionSite* parent = find_or_add_site(caller());
  FunctionSite* child = find_or_add_site(callee());
  if (!parent || !child) return;
  scopes::measure_scope_pair(tree, &parent->site, &child->site, caller_with_callees, caller_alone, out);
}

bool is_hook_site(const detail::ScopeSite* site) noexcept {
  return is_function_site(site);
}

}  // namespace

void install_hook_calibration() noexcept {
  scopes::set_function_site_test(is_hook_site);
  scopes::set_function_calibration(measure_hooks);
}

}  // namespace prof::instrument
