#include "error.hpp"

namespace prof::viewer {

UserError::UserError(std::string where, const std::string& what)
    : std::runtime_error(what), where_(std::move(where)) {}

}  // namespace prof::viewer
