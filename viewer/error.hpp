#pragma once
#include <stdexcept>
#include <string>

namespace prof::viewer {

// A problem with the user's input: main() prints it as one line, `prof: error: WHERE: WHAT`, and exits 2.
class UserError : public std::runtime_error {
 public:
  UserError(std::string where, const std::string& what);
  const std::string& where() const noexcept { return where_; }

 private:
  std::string where_;
};

inline constexpr int kExitUserError = 2;

}  // namespace prof::viewer
