// The core under concurrency: threads are counted while other threads run and a snapshot is written, as
// happens in a real program whose main thread exits while workers still start. Run under ThreadSanitizer in
// CI.
#include <simdjson.h>
#include <catch2/catch.hpp>

#include <atomic>
#include <thread>
#include <vector>

#include "core/clock.hpp"
#include "core/output_dir.hpp"
#include "core/snapshot_writer.hpp"
#include "test_support.hpp"

using namespace prof::core;
using namespace prof::test;

namespace {

char g_argv0[] = "threaded_test";
char* g_argv[] = {g_argv0, nullptr};
char* g_env[] = {nullptr};

constexpr int kThreads = 4;
constexpr int kNotesPerThread = 1000;

}  // namespace

TEST_CASE("threads counted concurrently with snapshot writing are all in the final snapshot", "[threaded]") {
  TempDir dir;
  clock::init();
  meta::capture_start(1, g_argv, g_env);
  output_dir::resolve(dir.path().c_str());

  std::atomic<bool> go{false};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&go] {
      while (!go.load(std::memory_order_acquire)) {
      }
      for (int i = 0; i < kNotesPerThread; ++i) {
        meta::note_thread_created(false);
        (void)clock::now_ticks();
      }
    });
  }
  go.store(true, std::memory_order_release);
  MetaRequest running;  // a snapshot taken while the threads still count
  running.sequence = 1;
  REQUIRE(write_snapshot(running));
  for (auto& t : threads)
    t.join();

  MetaRequest done;
  done.exit.kind = ExitStatus::Kind::exited;
  REQUIRE(write_snapshot(done));
  CHECK(validate(dir.path()) == 0);

  simdjson::dom::parser parser;
  auto doc = parser.load((dir.path() / last_snapshot_name()).string());
  CHECK(int64_t(doc["meta"]["threads_seen"]) == 1 + kThreads * kNotesPerThread);
}
