#pragma once
// The vDSO (linux-vdso.so.1: clock_gettime, gettimeofday, getcpu) is mapped by the kernel and has no file, so
// its frames cannot be named from a path as other modules' are. The viewer names them from its own process's
// vDSO when its build id is the recorded one: the same kernel build maps the same image into every process.
// Chosen over the shim saving the vDSO's symbol table in the snapshot: no cost and no new field in the
// profiled process, and `prof run` symbolises on the machine of the run, so the build ids match there; a
// snapshot read under another kernel keeps its vDSO frames raw (said once).
#include <string>

namespace prof::viewer {

// True for the name the loader gives the vDSO (linux-vdso.so.1 on x86-64, linux-gate.so.1 on i386, ...).
bool is_vdso_path(const std::string& path);

// This process's vDSO image, copied to a private temporary file for libdwfl (which reads files), removed
// when the object goes.
class OwnVdso {
 public:
  OwnVdso();
  ~OwnVdso();
  OwnVdso(const OwnVdso&) = delete;
  OwnVdso& operator=(const OwnVdso&) = delete;

  // The file holding the image; "" when this process has no vDSO or the copy failed (error() says why).
  const std::string& path() const { return path_; }
  const std::string& error() const { return error_; }

 private:
  std::string path_;
  std::string error_;
};

}  // namespace prof::viewer
