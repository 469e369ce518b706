#include "symbolise/frames.hpp"

#include <map>
#include <memory>
#include <tuple>
#include <unordered_map>

#include <fmt/format.h>

#include "symbolise/module.hpp"
#include "symbolise/symbol_cache.hpp"
#include "symbolise/vdso.hpp"

namespace prof::viewer {

namespace {

bool is_raw(const Frame& frame) {
  return frame.module >= 0 && frame.function == 0 && frame.file == 0 && frame.line == 0;
}

class Symboliser {
 public:
  explicit Symboliser(Snapshot& snapshot) : snapshot_(snapshot) {
    for (std::size_t i = 0; i < snapshot.strings.size(); ++i)
      string_index_.emplace(snapshot.strings[i], static_cast<std::uint32_t>(i));
    if (snapshot_.strings.empty()) intern("");
  }

  SymbolisationResult run() {
    // Raw frame -> its expanded frames, expanded[first[raw], first[raw] + count[raw]); a table indexed by
    // frame, not a map: 117 649 stacks look up 2.4 M frames.
    constexpr std::uint32_t kNotYet = 0xFFFFFFFFu;
    std::vector<std::uint32_t> first(snapshot_.frames.size(), kNotYet), count(snapshot_.frames.size(), 0);
    std::vector<std::uint32_t> expanded;
    StackTable stacks;
    stacks.reserve(snapshot_.stacks.size(), snapshot_.stacks.frame_count());  // more when calls were inlined
    for (std::size_t s = 0; s < snapshot_.stacks.size(); ++s) {
      auto stack = snapshot_.stacks[s];
      for (std::uint32_t raw : stack) {
        if (first[raw] == kNotYet) {
          auto frames = expand(raw);
          first[raw] = static_cast<std::uint32_t>(expanded.size());
          count[raw] = static_cast<std::uint32_t>(frames.size());
          expanded.insert(expanded.end(), frames.begin(), frames.end());
        }
        for (std::uint32_t k = 0; k < count[raw]; ++k)
          stacks.add_frame(expanded[first[raw] + k]);
      }
      stacks.end_stack();
    }
    for (const auto& [path, file] : files_)
      file.cache.save();
    if (resolved_ == 0) return std::move(result_);  // nothing learnt: the model stays as it was
    // Frames no stack refers to are kept, so any other reference to them stays valid.
    for (std::uint32_t i = 0; i < snapshot_.frames.size(); ++i)
      if (first[i] == kNotYet) add_frame(snapshot_.frames[i]);
    snapshot_.frames = std::move(frames_);
    snapshot_.stacks = std::move(stacks);
    snapshot_.symbolised = resolved_ > 0;
    result_.changed = resolved_ > 0;
    return std::move(result_);
  }

 private:
  std::uint32_t intern(const std::string& text) {
    auto [it, added] = string_index_.emplace(text, static_cast<std::uint32_t>(snapshot_.strings.size()));
    if (added) snapshot_.strings.push_back(text);
    return it->second;
  }

  std::uint32_t add_frame(const Frame& frame) {
    auto key =
        std::make_tuple(frame.function, frame.file, frame.line, frame.module, frame.offset, frame.inlined);
    auto [it, added] = frame_index_.emplace(key, static_cast<std::uint32_t>(frames_.size()));
    if (added) frames_.push_back(frame);
    return it->second;
  }

  // A module's file opened once, whatever number of module entries name it: a snapshot may list one binary
  // thousands of times (crafted, or a library mapped at many bases), and libdwfl's handles are large.
  struct OpenedFile {
    std::unique_ptr<SymbolModule> symbols;  // null when the file cannot be read
    std::int64_t base = 0;                  // where `symbols` believes the file is loaded
    std::string build_id;
    SymbolCache cache;  // what earlier runs learnt from this file; off for the vDSO
  };

  // The symbols of module `index` and the base they were opened at, or null (said once per module entry)
  // when its frames must stay raw.
  OpenedFile* module(std::int64_t index) {
    auto [it, added] = module_files_.try_emplace(index, nullptr);
    if (!added) return it->second;
    const auto& recorded = snapshot_.modules[static_cast<std::size_t>(index)];
    bool vdso = is_vdso_path(recorded.path);
    auto [file, first] = files_.try_emplace(recorded.path);
    if (first && vdso && !own_vdso_) own_vdso_ = std::make_unique<OwnVdso>();
    if (first && vdso && own_vdso_->path().empty()) {
      result_.unreadable.push_back(fmt::format("{}: cannot read symbols ({}); its frames stay raw",
                                               recorded.path, own_vdso_->error()));
      return nullptr;
    }
    if (first) {
      ++result_.files_opened;
      // The vDSO has no file: this process's own image stands for it when the build ids agree (vdso.hpp).
      auto opened = std::make_unique<SymbolModule>(vdso ? own_vdso_->path() : recorded.path, recorded.base);
      if (!opened->error().empty()) {
        result_.unreadable.push_back(
            fmt::format("{}: cannot read symbols ({}); its frames stay raw", recorded.path, opened->error()));
        return nullptr;
      }
      file->second.build_id = opened->build_id();
      file->second.base = recorded.base;
      if (!vdso) file->second.cache = SymbolCache(file->second.build_id, opened->cache_key());
      file->second.symbols = std::move(opened);
    }
    if (!file->second.symbols) return nullptr;
    const auto& actual = file->second.build_id;
    if (vdso && (recorded.build_id.empty() || actual != recorded.build_id)) {
      if (!vdso_said_) {
        result_.warnings.push_back(fmt::format(
            "{}: this kernel's vDSO (build id {}) is not the recorded one ({}): its frames stay raw",
            recorded.path, actual.empty() ? "none" : actual,
            recorded.build_id.empty() ? "none" : recorded.build_id));
      }
      vdso_said_ = true;
      return nullptr;
    }
    if (!recorded.build_id.empty() && !actual.empty() && actual != recorded.build_id) {
      result_.warnings.push_back(
          fmt::format("{}: build id {} differs from the recorded {} (the file changed since the run); its "
                      "frames stay raw",
                      recorded.path, actual, recorded.build_id));
      return nullptr;
    }
    it->second = &file->second;
    return it->second;
  }

  std::vector<std::uint32_t> expand(std::uint32_t index) {
    const Frame raw = snapshot_.frames[index];
    if (!is_raw(raw)) return {add_frame(raw)};
    OpenedFile* file = module(raw.module);
    if (!file) return {add_frame(raw)};
    // Every recorded frame is a return address (the innermost one returns from the allocator into the
    // allocating line): it points after the call, maybe at the next line's code, so look just before it.
    // The address is taken at the base the file was opened at, which may be another entry's.
    auto base = static_cast<std::uint64_t>(file->base);
    auto address = base + static_cast<std::uint64_t>(raw.offset) - (raw.offset == 0 ? 0 : 1);
    std::vector<SourceFrame> found;
    if (const auto* known = file->cache.find(static_cast<std::uint64_t>(raw.offset))) {
      found = *known;
      ++result_.from_cache;
    } else {
      found = file->symbols->lookup(address);
      ++result_.looked_up;
      file->cache.add(static_cast<std::uint64_t>(raw.offset), found);
    }
    if (found.empty()) return {add_frame(raw)};
    std::vector<std::uint32_t> expanded;
    ++resolved_;
    for (const auto& source : found) {
      Frame frame = raw;
      frame.function = intern(source.function);
      frame.file = intern(source.file);
      frame.line = source.line;
      frame.inlined = source.inlined;
      expanded.push_back(add_frame(frame));
    }
    return expanded;
  }

  Snapshot& snapshot_;
  SymbolisationResult result_;
  std::size_t resolved_ = 0;
  std::unordered_map<std::string, std::uint32_t> string_index_;
  std::map<std::tuple<std::uint32_t, std::uint32_t, std::int64_t, std::int64_t, std::int64_t, bool>,
           std::uint32_t>
      frame_index_;
  std::vector<Frame> frames_;
  std::map<std::string, OpenedFile> files_;                     // by path
  std::unordered_map<std::int64_t, OpenedFile*> module_files_;  // by module index
  std::unique_ptr<OwnVdso> own_vdso_;                           // made on the first vDSO module met
  bool vdso_said_ = false;
};

}  // namespace

bool needs_symbolisation(const Snapshot& snapshot) {
  if (snapshot.symbolised) return false;
  for (const auto& frame : snapshot.frames)
    if (is_raw(frame)) return true;
  return false;
}

SymbolisationResult symbolise(Snapshot& snapshot) {
  if (!needs_symbolisation(snapshot)) return {};
  return Symboliser(snapshot).run();
}

}  // namespace prof::viewer
