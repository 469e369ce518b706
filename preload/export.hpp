#pragma once
// The shim is built with hidden visibility; only the functions it interposes are exported.
#define PROF_SHIM_EXPORT extern "C" __attribute__((visibility("default")))
