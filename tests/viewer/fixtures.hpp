#pragma once
// Where the planted snapshots live; their values are listed in the tests that check them.
#include <string>

namespace prof::test {

inline std::string fixture(const std::string& name) {
  return std::string(PROF_TEST_SOURCE_DIR) + "/tests/viewer/data/" + name;
}

}  // namespace prof::test
