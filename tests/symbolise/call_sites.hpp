#pragma once
// Functions at known lines, built -O2 -g without sanitizers, whose return addresses the tests symbolise.
namespace symtest {

// The address right after the call in a non-inlined function (outer_with_inlined_call, through the
// always-inline helper): a return address as an unwinder would record it.
void* outer_with_inlined_call();
void* returns_its_return_address();
void* plain_caller();

extern const int kInlinedCallLine;  // the call inside the inlined helper
extern const int kOuterCallLine;    // the call of the helper inside outer_with_inlined_call
extern const int kPlainCallLine;    // the call inside plain_caller

}  // namespace symtest
