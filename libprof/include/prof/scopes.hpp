#pragma once
// The scope profiler's macros (docs/SNAPSHOT.md, `scopes`):
//
//   void ns::Solver::step() {
//     PROF_FUNCTION();                 // site "ns::Solver::step", this file and line
//     ...
//     { PROF_SCOPE("assemble"); ... }  // any block; the name must be a string literal
//   }
//
// Compiled with PROF_ENABLED=0 both expand to nothing and the program references no libprof symbol.

#ifndef PROF_ENABLED
#define PROF_ENABLED 1
#endif

#if PROF_ENABLED

#include <prof/detail/function_name.hpp>
#include <prof/detail/scope_guard.hpp>
#include <prof/detail/scope_site.hpp>

#define PROF_DETAIL_CONCAT2(a, b) a##b
#define PROF_DETAIL_CONCAT(a, b) PROF_DETAIL_CONCAT2(a, b)
#define PROF_DETAIL_UNIQUE(stem) PROF_DETAIL_CONCAT(stem, __LINE__)

// "" name "" only compiles for a string literal.
#define PROF_SCOPE(name)                                                                                \
  static constinit ::prof::detail::ScopeSite PROF_DETAIL_UNIQUE(prof_scope_site_)("" name "", __FILE__, \
                                                                                  __LINE__);            \
  const ::prof::detail::ScopeGuard PROF_DETAIL_UNIQUE(prof_scope_guard_)(PROF_DETAIL_UNIQUE(prof_scope_site_))

#define PROF_FUNCTION()                                                            \
  static constexpr auto PROF_DETAIL_UNIQUE(prof_function_name_) =                  \
      ::prof::detail::readable_function_name(__PRETTY_FUNCTION__);                 \
  static constinit ::prof::detail::ScopeSite PROF_DETAIL_UNIQUE(prof_scope_site_)( \
      PROF_DETAIL_UNIQUE(prof_function_name_).text, __FILE__, __LINE__);           \
  const ::prof::detail::ScopeGuard PROF_DETAIL_UNIQUE(prof_scope_guard_)(PROF_DETAIL_UNIQUE(prof_scope_site_))

#else

#define PROF_SCOPE(name)
#define PROF_FUNCTION()

#endif
