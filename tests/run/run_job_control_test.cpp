// prof run behaves like the program it runs, as a shell's `exec` would: it stops when the program stops, it
// continues the program when continued, and once the program ended, signals end prof itself.
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <string>

#include "run_test_support.hpp"

using namespace prof::test;

namespace {

// The state letter of /proc/PID/stat ('T' stopped, 'S' sleeping...); 0 when the process is gone.
char process_state(pid_t pid) {
  std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
  std::string line;
  std::getline(stat, line);
  const auto paren = line.rfind(')');
  return paren != std::string::npos && paren + 2 < line.size() ? line[paren + 2] : '\0';
}

pid_t program_pid(Process& prof) {
  const std::string out = prof.read_stdout_until("\n");
  REQUIRE(out.starts_with("pid "));
  return std::stoi(out.substr(4));
}

}  // namespace

TEST_CASE("prof run stops when the program stops and continues it when continued", "[run][signal]") {
  TempDir tmp;
  Process prof({kProf, "run", "-o", tmp.path().string(), "--", kProbe, "stop-self", "7"}, with_empty_shim());
  const pid_t program = program_pid(prof);
  // Waits until prof stops (a shell would get its prompt back here) or ends (it must not).
  siginfo_t info{};
  REQUIRE(::waitid(P_PID, static_cast<id_t>(prof.pid()), &info, WSTOPPED | WEXITED | WNOWAIT) == 0);
  CHECK(info.si_code == CLD_STOPPED);
  CHECK(info.si_status == SIGSTOP);  // the program's stop signal: a shell says 147 for both
  CHECK(process_state(prof.pid()) == 'T');
  CHECK(process_state(program) == 'T');
  // `kill -CONT` to prof alone, as `fg` sends it to the group: the program must run on.
  REQUIRE(::kill(prof.pid(), SIGCONT) == 0);
  const auto result = prof.finish();
  CHECK(result.exit_code == 7);
  CHECK(result.err == "prof: no snapshot written in " + tmp.path().string() +
                          ": the program did not load the shim (a static or setuid program, or one that "
                          "removed LD_PRELOAD)\n");
}

TEST_CASE("prof run ends on SIGTERM once the program ended", "[run][signal]") {
  // The program fills prof's stderr pipe before it exits: prof then blocks writing its closing line until
  // the test reads the pipe, a stand-in for a symbolisation that takes long. SIGTERM must end it there (143)
  // instead of waiting blocked for the read (7).
  TempDir tmp;
  Process prof({kProf, "run", "-o", tmp.path().string(), "--", kProbe, "fill-stderr", "7"},
               with_empty_shim());
  const pid_t program = program_pid(prof);
  prof.write_stdin("go\n");
  // Gone from /proc once prof reaped it: prof is past waiting for the program.
  while (process_state(program) != '\0')
    ::usleep(1000);
  REQUIRE(::kill(prof.pid(), SIGTERM) == 0);
  CHECK(prof.finish().exit_code == 143);
}

TEST_CASE("prof run gives an interactive shell its prompt back on Ctrl-Z and fg resumes both",
          "[run][signal][tty]") {
  if (run_process({"sh", "-c", "command -v bash"}).exit_code != 0) {
    WARN("no bash for an interactive shell with job control: not tested");
    return;
  }
  TempDir tmp;
  // script gives the shell a pseudo-terminal, so it runs prof as a job in the terminal's foreground.
  Process script({"script", "-qc", "bash --norc --noprofile -i", "/dev/null"}, with_empty_shim());
  script.write_stdin("'" + kProf + "' run -o '" + tmp.path().string() + "' '" + kProbe + "' trap 42\n");
  script.read_stdout_until("ready");
  script.write_stdin("\x1a");  // Ctrl-Z: SIGTSTP from the terminal to prof and the program
  script.read_stdout_until("Stopped");
  // Before the fix the terminal hung here: prof kept waiting and the shell for prof.
  // `e""nd`: the terminal echoes the line as typed, so only the shell's output holds "end".
  script.write_stdin("echo status=$? job=$(jobs -p) e\"\"nd\n");
  const std::string out = script.read_stdout_until(" end");
  CHECK(out.find("status=148") != std::string::npos);  // 128+SIGTSTP, as for the program alone
  const auto at = out.rfind("job=");
  REQUIRE(at != std::string::npos);
  const pid_t prof = std::stoi(out.substr(at + 4));
  script.write_stdin("fg\n");
  // Held by prof while the job is stopped, forwarded once fg continued both: the probe's trap exits 42.
  REQUIRE(::kill(prof, SIGTERM) == 0);
  script.write_stdin("echo after=$?\nexit\n");
  const auto result = script.finish();
  CHECK(result.out.find("after=42") != std::string::npos);
}
