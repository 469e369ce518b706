#include "symbolise/frames.hpp"

#include <algorithm>
#include <cstdint>
#include <map>
#include <memory>
#include <unordered_map>
#include <utility>

#include <fmt/format.h>

#include "symbolise/module.hpp"
#include "symbolise/symbol_cache.hpp"
#include "symbolise/vdso.hpp"

namespace prof::viewer {

namespace {

// At most this many spans are learnt beyond the one asked for when a function is learnt whole: a bound on
// what learning a huge function costs (each span is a lookup).
constexpr int kSpansPerFunction = 4096;

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

  // Frame i stays frame i, now its innermost function (an inlined call's, when the code was inlined); the
  // functions it was inlined into are appended after the table (SymbolisationResult::outer). So a stack
  // changes only where such frames are, and the finish of `prof run` need not read 117 649 stacks that have
  // none. Stacks are rewritten here when `with_stacks`.
  SymbolisationResult run(bool with_stacks) {
    const auto raw_frames = static_cast<std::uint32_t>(snapshot_.frames.size());
    std::vector<Frame> frames(snapshot_.frames);
    std::vector<Frame> outer;
    std::vector<OuterFrames> outer_of(raw_frames);
    for (std::uint32_t raw = 0; raw < raw_frames; ++raw) {
      auto found = expand(raw);
      if (found.empty()) continue;
      frames[raw] = found.front();
      outer_of[raw] = {raw_frames + static_cast<std::uint32_t>(outer.size()),
                       static_cast<std::uint32_t>(found.size() - 1)};
      outer.insert(outer.end(), found.begin() + 1, found.end());
    }
    for (const auto& [path, file] : files_)
      file.cache.save();
    if (resolved_ == 0) return std::move(result_);  // nothing learnt: the model stays as it was
    frames.insert(frames.end(), outer.begin(), outer.end());
    snapshot_.frames = std::move(frames);
    if (!outer.empty()) {
      result_.outer = std::move(outer_of);
      if (with_stacks) snapshot_.stacks = with_outer_frames(snapshot_.stacks, result_.outer);
    }
    snapshot_.symbolised = true;
    result_.changed = true;
    return std::move(result_);
  }

 private:
  std::uint32_t intern(const std::string& text) {
    auto [it, added] = string_index_.emplace(text, static_cast<std::uint32_t>(snapshot_.strings.size()));
    if (added) snapshot_.strings.push_back(text);
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

  // The frames of raw frame `index`, innermost first; empty while it stays raw.
  std::vector<Frame> expand(std::uint32_t index) {
    const Frame raw = snapshot_.frames[index];
    if (!is_raw(raw)) return {};
    OpenedFile* file = module(raw.module);
    if (!file) return {};
    // Every recorded frame is a return address (the innermost one returns from the allocator into the
    // allocating line): it points after the call, maybe at the next line's code, so look just before it.
    // The address is taken at the base the file was opened at, which may be another entry's.
    auto base = static_cast<std::uint64_t>(file->base);
    auto address = base + static_cast<std::uint64_t>(raw.offset) - (raw.offset == 0 ? 0 : 1);
    std::vector<SourceFrame> found;
    if (auto known = file->cache.find(static_cast<std::uint64_t>(raw.offset))) {
      found = std::move(*known);
      ++result_.from_cache;
    } else if (raw.offset == 0) {
      found = file->symbols->lookup(address);
      ++result_.looked_up;
      file->cache.add(0, 1, found);  // offset 0 is looked up at the base itself: a span of its own
    } else {
      found = learn(*file, address);
      ++result_.looked_up;
    }
    std::vector<Frame> expanded;
    if (found.empty()) return expanded;
    ++resolved_;
    for (const auto& source : found) {
      Frame frame = raw;
      frame.function = intern(source.function);
      frame.file = intern(source.file);
      frame.line = source.line;
      frame.inlined = source.inlined;
      expanded.push_back(frame);
    }
    return expanded;
  }

  // The answer at `address`, kept in the cache with the span of addresses that share it. A function met in an
  // earlier run and asked again at another address is learnt whole: a sampled program's next run samples
  // other instructions of its hot functions, and one new address would open the module's DWARF again (libc's:
  // 20 ms of every `prof run`'s finish). Learning every function at its first meeting cost a DWARF-rich
  // program's first run seconds (python3.11 built with -g: 0.85 s to 2.0 s). Cache offsets are those of
  // return addresses, one above the address looked up.
  std::vector<SourceFrame> learn(OpenedFile& file, std::uint64_t address) {
    if (!file.cache.on()) return file.symbols->lookup(address);
    const auto base = static_cast<std::uint64_t>(file.base);
    auto offset = [&](std::uint64_t at) { return std::max(at, base) - base + 1; };
    auto keep = [&](const SymbolModule::Span& span) {
      file.cache.add(offset(span.first), span.end - base < UINT64_MAX ? offset(span.end) : UINT64_MAX,
                     span.frames);
    };
    if (file.cache.met(offset(address))) {
      auto spans = file.symbols->lookup_function(address, kSpansPerFunction);
      for (const auto& span : spans)
        keep(span);
      return spans.front().frames;
    }
    auto span = file.symbols->lookup_span(address);
    keep(span);
    if (span.function_first < span.first || span.end < span.function_end)
      file.cache.meet(offset(span.function_first), offset(span.function_end));
    return span.frames;
  }

  Snapshot& snapshot_;
  SymbolisationResult result_;
  std::size_t resolved_ = 0;
  std::unordered_map<std::string, std::uint32_t> string_index_;
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
  return Symboliser(snapshot).run(true);
}

SymbolisationResult symbolise_frames(Snapshot& snapshot) {
  if (!needs_symbolisation(snapshot)) return {};
  return Symboliser(snapshot).run(false);
}

StackTable with_outer_frames(const StackTable& stacks, const std::vector<OuterFrames>& outer) {
  StackTable result;
  result.reserve(stacks.size(), stacks.frame_count());  // more where calls were inlined
  for (std::size_t s = 0; s < stacks.size(); ++s) {
    for (std::uint32_t frame : stacks[s]) {
      result.add_frame(frame);
      if (frame < outer.size())
        for (std::uint32_t k = 0; k < outer[frame].count; ++k)
          result.add_frame(outer[frame].first + k);
    }
    result.end_stack();
  }
  return result;
}

}  // namespace prof::viewer
