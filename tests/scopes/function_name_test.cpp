// PROF_FUNCTION()'s names: qualified, without return type, parameters or template arguments' list.
#include <catch2/catch.hpp>

#include <prof/detail/function_name.hpp>

#include <string>

namespace {

template <std::size_t N>
std::string readable(const char (&pretty)[N]) {
  return prof::detail::readable_function_name(pretty).text;
}

}  // namespace

TEST_CASE("readable function names from GCC and clang signatures") {
  CHECK(readable("void ns::Solver::step(int) const") == "ns::Solver::step");
  CHECK(readable("bool {anonymous}::search_a(const std::vector<int>&, int)") == "search_a");
  CHECK(readable("bool (anonymous namespace)::search_a(const std::vector<int> &, int)") == "search_a");
  CHECK(readable("void ns::{anonymous}::Impl::run()") == "ns::Impl::run");
  CHECK(readable("ns::Solver::Solver()") == "ns::Solver::Solver");
  CHECK(readable("static T ns::Solver::get(T) [with T = int]") == "ns::Solver::get");
  CHECK(readable("static T ns::Solver::get(T) [T = int]") == "ns::Solver::get");
  CHECK(readable("std::size_t *ns::Box<int>::size() && [T = int]") == "ns::Box<int>::size");
  CHECK(readable("long long unsigned int free_fn(int (*)(int))") == "free_fn");
  CHECK(readable("bool ns::Solver::operator<(const ns::Solver&) const") == "ns::Solver::operator<");
  CHECK(readable("void ns::Solver::operator()()") == "ns::Solver::operator()");
  CHECK(readable("main()::<lambda(int)>") == "main()::<lambda(int)>");
  CHECK(readable("int main()") == "main");
}

namespace ns {
struct Probe {
  static const char* name() {
    static constexpr auto n = prof::detail::readable_function_name(__PRETTY_FUNCTION__);
    return n.text;
  }
};
}  // namespace ns

TEST_CASE("the name is computed by this compiler at compile time") {
  CHECK(std::string(ns::Probe::name()) == "ns::Probe::name");
}
