#include "core/process_meta.hpp"

#include <sched.h>
#include <simdjson.h>
#include <sys/mman.h>
#include <unistd.h>
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "core/json_writer.hpp"

using namespace prof::core;

namespace {

// A NULL-terminated envp built from strings that outlive it.
struct Env {
  std::vector<std::string> entries;
  std::vector<char*> pointers;
  explicit Env(std::vector<std::string> e) : entries(std::move(e)) {
    for (auto& s : entries)
      pointers.push_back(s.data());
    pointers.push_back(nullptr);
  }
  char** envp() { return pointers.data(); }
};

RankInfo rank_of(std::vector<std::string> entries) {
  Env env(std::move(entries));
  return meta::detect_rank(env.envp());
}

std::string meta_json(const MetaRequest& request) {
  int fd = memfd_create("meta", MFD_CLOEXEC);
  REQUIRE(fd >= 0);
  char buffer[512];
  JsonWriter out(fd, buffer, sizeof buffer);
  meta::write_json(out, request);
  REQUIRE(out.flush());
  off_t size = lseek(fd, 0, SEEK_END);
  std::string text(static_cast<std::size_t>(size), '\0');
  REQUIRE(pread(fd, text.data(), text.size(), 0) == size);
  close(fd);
  return text;
}

}  // namespace

TEST_CASE("the launcher's environment gives rank, size and source", "[meta]") {
  RankInfo ompi = rank_of({"HOME=/root", "OMPI_COMM_WORLD_RANK=3", "OMPI_COMM_WORLD_SIZE=8"});
  CHECK(ompi.rank == 3);
  CHECK(ompi.size == 8);
  CHECK(std::string(ompi.source) == "OMPI_COMM_WORLD_RANK");

  RankInfo pmix = rank_of({"PMIX_RANK=5", "OMPI_COMM_WORLD_SIZE=16"});
  CHECK(pmix.rank == 5);
  CHECK(pmix.size == 16);
  CHECK(std::string(pmix.source) == "PMIX_RANK");
  CHECK(rank_of({"PMIX_RANK=5", "PMIX_SIZE=6", "OMPI_COMM_WORLD_SIZE=16"}).size == 6);

  RankInfo pmi = rank_of({"PMI_RANK=0", "PMI_SIZE=2"});
  CHECK(pmi.rank == 0);
  CHECK(pmi.size == 2);
  CHECK(std::string(pmi.source) == "PMI_RANK");

  RankInfo mv2 = rank_of({"MV2_COMM_WORLD_RANK=7", "MV2_COMM_WORLD_SIZE=9"});
  CHECK(mv2.rank == 7);
  CHECK(mv2.size == 9);

  RankInfo alps = rank_of({"ALPS_APP_PE=11"});
  CHECK(alps.rank == 11);
  CHECK(alps.size == -1);
  CHECK(std::string(alps.source) == "ALPS_APP_PE");
  CHECK(std::string(rank_of({"PALS_RANKID=4"}).source) == "PALS_RANKID");

  // Open MPI's own variable wins over the generic PMI one.
  CHECK(std::string(rank_of({"PMI_RANK=1", "OMPI_COMM_WORLD_RANK=2"}).source) == "OMPI_COMM_WORLD_RANK");
}

TEST_CASE("no rank without a launcher variable, from SLURM_PROCID alone, or from garbage", "[meta]") {
  CHECK(rank_of({}).rank == -1);
  CHECK(rank_of({"SLURM_PROCID=2", "SLURM_NTASKS=4"}).rank == -1);
  CHECK(rank_of({"SLURM_PROCID=2", "SLURM_NTASKS=4", "SLURM_MPI_TYPE=none"}).rank == -1);
}

TEST_CASE("srun's MPI tasks: SLURM_PROCID under an MPI plugin, SLURM_NTASKS as the PMI/PMIx size", "[meta]") {
  RankInfo slurm = rank_of({"SLURM_PROCID=2", "SLURM_NTASKS=4", "SLURM_MPI_TYPE=pmi1"});
  CHECK(slurm.rank == 2);
  CHECK(slurm.size == 4);
  CHECK(std::string(slurm.source) == "SLURM_PROCID");
  RankInfo pmix = rank_of({"PMIX_RANK=3", "SLURM_PROCID=3", "SLURM_NTASKS=8", "SLURM_MPI_TYPE=pmix"});
  CHECK(pmix.size == 8);
  CHECK(std::string(pmix.source) == "PMIX_RANK");
  CHECK(rank_of({"PMI_RANK=1", "SLURM_NTASKS=6"}).size == 6);
  CHECK(rank_of({"OMPI_COMM_WORLD_RANK=abc"}).rank == -1);
  CHECK(rank_of({"OMPI_COMM_WORLD_RANK=-1"}).rank == -1);
  CHECK(rank_of({"OMPI_COMM_WORLD_RANK="}).rank == -1);
  CHECK(rank_of({"OMPI_COMM_WORLD_RANKX=1"}).rank == -1);
}

TEST_CASE("start times are formatted as ISO 8601 UTC with microseconds", "[meta]") {
  char text[32];
  meta::format_utc_time(0, 0, text);
  CHECK(std::string(text) == "1970-01-01T00:00:00.000000Z");
  meta::format_utc_time(951782400, 5, text);
  CHECK(std::string(text) == "2000-02-29T00:00:00.000005Z");
  meta::format_utc_time(1709210096, 123456, text);
  CHECK(std::string(text) == "2024-02-29T12:34:56.123456Z");
  meta::format_utc_time(4102444799, 999999, text);
  CHECK(std::string(text) == "2099-12-31T23:59:59.999999Z");
}

TEST_CASE("peak RSS comes from VmHWM in kB", "[meta]") {
  std::string status = "Name:\tx\nVmPeak:\t  9999 kB\nVmHWM:\t    2048 kB\nVmRSS:\t 1000 kB\n";
  CHECK(meta::parse_vm_hwm(status.data(), status.size()) == 2048 * 1024);
  std::string none = "Name:\tx\nVmRSS:\t 1000 kB\n";
  CHECK(meta::parse_vm_hwm(none.data(), none.size()) == -1);
}

TEST_CASE("meta records the planted argv, environment subset and exit", "[meta]") {
  std::vector<std::string> args = {"/opt/bin/my solver", "--n", "caf\xC3\xA9"};
  Env argv_holder(args);
  Env env({"HOME=/root", "OMP_NUM_THREADS=4", "PROF_OUTPUT=/tmp/x", "PROFX=no", "MKL_NUM_THREADS=2",
           "PMI_RANK=1", "PMI_SIZE=4"});
  meta::capture_start(3, argv_holder.envp(), env.envp());
  meta::note_thread_created(false);
  meta::note_thread_created(true);
  CHECK(std::string(meta::program_file_name()) == "my_solver");

  MetaRequest request;
  request.exit.kind = ExitStatus::Kind::signaled;
  request.exit.signal = 6;
  request.writer = "library";
  request.label = "after setup";
  request.sequence = 2;
  std::string json = meta_json(request);
  simdjson::dom::parser parser;
  simdjson::dom::object m = parser.parse(json);
  CHECK(std::string_view(m["program"]) == "my solver");
  std::vector<std::string> argv_seen;
  for (auto a : simdjson::dom::array(m["argv"]))
    argv_seen.emplace_back(std::string_view(a));
  CHECK(argv_seen == args);
  CHECK(int64_t(m["pid"]) == getpid());
  CHECK(int64_t(m["ppid"]) == getppid());
  CHECK(int64_t(m["threads_seen"]) == 3);
  CHECK(int64_t(m["runtime_threads"]) == 1);
  CHECK(int64_t(m["rank"]) == 1);
  CHECK(int64_t(m["size"]) == 4);
  CHECK(std::string_view(m["rank_source"]) == "PMI_RANK");
  CHECK(std::string_view(m["exit"]["status"]) == "signaled");
  CHECK(int64_t(m["exit"]["signal"]) == 6);
  CHECK(std::string_view(m["exit"]["signal_name"]) == "SIGABRT");
  CHECK(std::string_view(m["writer"]) == "library");
  CHECK(std::string_view(m["label"]) == "after setup");
  CHECK(int64_t(m["sequence"]) == 2);
  CHECK(int64_t(m["cores_online"]) == sysconf(_SC_NPROCESSORS_ONLN));
  CHECK(int64_t(m["max_rss_bytes"]) > 0);
  simdjson::dom::object e = m["env"];
  CHECK(e.size() == 3);
  CHECK(std::string_view(e["OMP_NUM_THREADS"]) == "4");
  CHECK(std::string_view(e["PROF_OUTPUT"]) == "/tmp/x");
  CHECK(std::string_view(e["MKL_NUM_THREADS"]) == "2");

  request = MetaRequest{};
  request.exit.kind = ExitStatus::Kind::exited;
  request.exit.code = 259;  // what a shell sees: the low 8 bits
  simdjson::dom::parser parser2;
  simdjson::dom::object m2 = parser2.parse(meta_json(request));
  CHECK(int64_t(m2["exit"]["code"]) == 3);
  CHECK(m2["label"].error() == simdjson::NO_SUCH_FIELD);
}

TEST_CASE("the affinity mask is recorded as a CPU list", "[meta]") {
  cpu_set_t original;
  REQUIRE(sched_getaffinity(0, sizeof original, &original) == 0);
  std::vector<int> allowed;
  for (int cpu = 0; cpu < CPU_SETSIZE; ++cpu)
    if (CPU_ISSET(cpu, &original)) allowed.push_back(cpu);
  auto cpu_list_with = [&](std::vector<int> cpus) {
    cpu_set_t set;
    CPU_ZERO(&set);
    for (int cpu : cpus)
      CPU_SET(cpu, &set);
    REQUIRE(sched_setaffinity(0, sizeof set, &set) == 0);
    Env env({"HOME=/root"});
    meta::capture_start(0, nullptr, env.envp());
    std::string json = meta_json(MetaRequest{});
    simdjson::dom::parser parser;
    simdjson::dom::object m = parser.parse(json);
    CHECK(int64_t(m["cpus_allowed"]) == static_cast<int64_t>(cpus.size()));
    return std::string(std::string_view(m["cpu_list"]));
  };
  CHECK(cpu_list_with({allowed[0]}) == std::to_string(allowed[0]));
  if (allowed.size() >= 2 && allowed[1] == allowed[0] + 1)
    CHECK(cpu_list_with({allowed[0], allowed[1]}) ==
          std::to_string(allowed[0]) + "-" + std::to_string(allowed[1]));
  REQUIRE(sched_setaffinity(0, sizeof original, &original) == 0);
}
