// The shim reads its PROF_* settings through secure_environment: the value from envp, refused in a process
// that runs with privileges its invoker lacks.
#include <catch2/catch.hpp>

#include <cstdlib>

#include "process/secure_environment.hpp"

namespace senv = prof::preload::secure_environment;

namespace {

char g_output[] = "PROF_OUTPUT=/tmp/out";
char g_output_longer[] = "PROF_OUTPUT_X=wrong";
char g_follow[] = "PROF_FOLLOW=0";
char g_empty[] = "PROF_DEPTH=";
char* g_envp[] = {g_output_longer, g_output, g_follow, g_empty, nullptr};

}  // namespace

TEST_CASE("settings are read from envp by exact name", "[secure_environment]") {
  CHECK(std::string(senv::find(g_envp, "PROF_OUTPUT", false)) == "/tmp/out");
  CHECK(std::string(senv::find(g_envp, "PROF_FOLLOW", false)) == "0");
  CHECK(std::string(senv::find(g_envp, "PROF_DEPTH", false)).empty());
  CHECK(senv::find(g_envp, "PROF_OUT", false) == nullptr);  // a prefix of a name is not the name
  CHECK(senv::find(g_envp, "PROF_ROOT_PID", false) == nullptr);
  CHECK(senv::find(nullptr, "PROF_OUTPUT", false) == nullptr);
}

TEST_CASE("a privileged process refuses every setting", "[secure_environment]") {
  CHECK(senv::find(g_envp, "PROF_OUTPUT", true) == nullptr);
  CHECK(senv::find(g_envp, "PROF_FOLLOW", true) == nullptr);
}

TEST_CASE("lookup agrees with secure_getenv in this process", "[secure_environment]") {
  // The test runs unprivileged: AT_SECURE is clear, as secure_getenv sees it.
  REQUIRE(::setenv("PROF_SECURE_ENVIRONMENT_TEST", "planted", 1) == 0);
  CHECK(senv::is_secure() == (::secure_getenv("HOME") == nullptr && ::getenv("HOME") != nullptr));
  CHECK(std::string(senv::lookup(environ, "PROF_SECURE_ENVIRONMENT_TEST")) == "planted");
  CHECK(senv::lookup(environ, "PROF_SECURE_ENVIRONMENT_TEST") ==
        ::secure_getenv("PROF_SECURE_ENVIRONMENT_TEST"));
  ::unsetenv("PROF_SECURE_ENVIRONMENT_TEST");
}
