#include "call_sites.hpp"

namespace symtest {

__attribute__((noinline)) void* returns_its_return_address() {
  void* address = __builtin_return_address(0);
  asm volatile("nop" ::: "memory");
  return address;
}

namespace {

__attribute__((always_inline)) inline void* inlined_helper() {
  void* address = returns_its_return_address();  // kInlinedCallLine
  asm volatile("nop" ::: "memory");              // no tail call: the return address stays in the caller
  return address;
}

}  // namespace

const int kInlinedCallLine = 14;

__attribute__((noinline)) void* outer_with_inlined_call() {
  void* address = inlined_helper();  // kOuterCallLine
  asm volatile("nop" ::: "memory");
  return address;
}

const int kOuterCallLine = 24;

__attribute__((noinline)) void* plain_caller() {
  void* address = returns_its_return_address();  // kPlainCallLine
  asm volatile("nop" ::: "memory");
  return address;
}

const int kPlainCallLine = 32;

}  // namespace symtest
