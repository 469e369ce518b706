#include "symbolise/symbolised_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <optional>
#include <random>

#include <fmt/format.h>
#include <simdjson.h>

#include "core/json_writer.hpp"
#include "error.hpp"
#include "read/path_bytes.hpp"
#include "read/snapshot_reader.hpp"
#include "symbolise/document_pieces.hpp"
#include "symbolise/frames.hpp"
#include "symbolise/function_sites.hpp"
#include "symbolise/stacks_text.hpp"
#include "symbolise/top_level_members.hpp"

namespace prof::viewer {

namespace {

// Strings are bytes: what is not UTF-8 is escaped as the shim escapes it, so the file stays valid JSON and
// reads back to the same bytes (docs/SNAPSHOT.md, "Strings are bytes").
std::string json_quoted(std::string_view text) {
  std::string result = "\"";
  core::put_json_string_body(text, [&](std::string_view piece) { result += piece; });
  return result + "\"";
}

// The members copied from the parse carry the reader's U+10FFXX for escaped bytes (read/path_bytes.hpp); the
// file gets the format's spelling back, \udcXX. Only those members hold the code points: json_quoted never
// writes them literally.
void respell_byte_escapes(std::string& document) {
  if (document.find("\xF4\x8F") == std::string::npos) return;
  std::string out;
  out.reserve(document.size());
  for (std::size_t i = 0; i < document.size();) {
    auto byte = [&](std::size_t k) { return static_cast<unsigned char>(document[i + k]); };
    if (i + 3 < document.size() && byte(0) == 0xF4 && byte(1) == 0x8F &&
        (byte(2) == 0xBE || byte(2) == 0xBF) && (byte(3) & 0xC0) == 0x80) {
      out += fmt::format("\\udc{:02x}", 0x80 | ((byte(2) & 1) << 6) | (byte(3) & 0x3F));
      i += 4;
    } else {
      out += document[i++];
    }
  }
  document = std::move(out);
}

void append_number(std::string& out, std::int64_t value) {
  char digits[24];
  auto end = std::to_chars(digits, digits + sizeof digits, value).ptr;
  out.append(digits, end);
}

// The strings and frames of the model, through the frames' closing "]},\n".
void append_strings_and_frames(std::string& out, const Snapshot& snapshot) {
  out += "\"strings\":[";
  for (std::size_t i = 0; i < snapshot.strings.size(); ++i) {
    if (i) out += ',';  // not `"," + std::string`: a false -Wrestrict in libstdc++ under g++ 12 -O3
    out += json_quoted(snapshot.strings[i]);
  }
  out +=
      "],\n\"frames\":{\"columns\":[\"function\",\"file\",\"line\",\"module\",\"offset\",\"inlined\"],"
      "\"rows\":[";
  for (std::size_t i = 0; i < snapshot.frames.size(); ++i) {
    const auto& f = snapshot.frames[i];
    out += fmt::format("{}[{},{},{},{},{},{}]", i ? "," : "", f.function, f.file, f.line, f.module, f.offset,
                       f.inlined);
  }
  out += "]},\n";
}

// The model's stacks, written with to_chars, not a format call per row: 117 649 stacks took 30 ms through
// fmt.
void append_stacks(std::string& out, const StackTable& stacks) {
  out += "\"stacks\":[";
  for (std::size_t s = 0; s < stacks.size(); ++s) {
    out += s ? ",[" : "[";
    bool first = true;
    for (auto frame : stacks[s]) {
      if (!first) out += ',';
      first = false;
      append_number(out, frame);
    }
    out += ']';
  }
  out += ']';
}

void append_tables(std::string& out, const Snapshot& snapshot) {
  append_strings_and_frames(out, snapshot);
  append_stacks(out, snapshot.stacks);
  out += ",\n\"symbolised\":true";
}

// The stacks as the raw snapshot wrote them, the outer frames of inlined calls inserted (stacks_text.hpp).
struct RawStacks {
  std::string_view text;
  const std::vector<OuterFrames>* outer = nullptr;
  std::vector<OuterInsertion> insertions;
};

void append_raw_stacks(DocumentPieces& out, const RawStacks& stacks) {
  out.text() += "\"stacks\":";
  std::size_t copied = 0;
  for (const auto& insertion : stacks.insertions) {
    out.view(stacks.text.substr(copied, insertion.at - copied));
    out.text() += outer_text((*stacks.outer)[insertion.frame]);
    copied = insertion.at;
  }
  out.view(stacks.text.substr(copied));
}

// The scopes section with the model's sites: instrumented functions' sites carry their names (strings this
// document appends), so a report elsewhere, without the binaries, still names them. The rest is as read.
std::string scopes_with_sites(simdjson::dom::element scopes, const Scopes& model) {
  simdjson::dom::object object;
  if (scopes.get(object) != simdjson::SUCCESS) return std::string(simdjson::minify(scopes));
  std::string out = "{";
  for (auto [key, value] : object) {
    if (key == "sites") continue;
    out += json_quoted(key) + ":" + simdjson::minify(value) + ",";
  }
  out += "\"sites\":{\"columns\":[\"name\",\"file\",\"line\"],\"rows\":[";
  for (std::size_t i = 0; i < model.sites.size(); ++i)
    out += fmt::format("{}[{},{},{}]", i ? "," : "", model.sites[i].name, model.sites[i].file,
                       model.sites[i].line);
  return out + "]}}";
}

// The format's file rules: a new file no one else can have prepared (O_EXCL, O_NOFOLLOW) next to the
// target, renamed over it once complete, so a reader sees the old or the new file, never half of one. The
// new file gets the original's mode and group (`original`), so a 0600 snapshot does not become readable.
// No fsync before the rename: it kept `prof run` waiting 10-15 ms for the disk on a 6 MB snapshot, and it
// bought no durability the snapshot had: the shim wrote the file replaced without one, moments before. (ext4
// and XFS write a file renamed over another out before the rename itself is committed.)
bool replace_file(const std::string& path, const std::vector<std::string_view>& pieces,
                  const struct stat& original) {
  auto directory = std::filesystem::path(path).parent_path();
  if (directory.empty()) directory = ".";
  std::random_device random;
  std::string temp;
  int fd = -1;
  for (int attempt = 0; attempt < 16 && fd < 0; ++attempt) {
    temp =
        (directory / fmt::format(".{}.{:08x}.tmp", std::filesystem::path(path).filename().string(), random()))
            .string();
    fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
    if (fd < 0 && errno != EEXIST) return false;
  }
  if (fd < 0) return false;
  // The group first (it may clear set-id bits), then the mode exactly, whatever the umask; a group we may
  // not give the file means no replacement rather than a changed one.
  if (::fchown(fd, static_cast<uid_t>(-1), original.st_gid) != 0 ||
      ::fchmod(fd, original.st_mode & 07777) != 0) {
    ::close(fd);
    ::unlink(temp.c_str());
    return false;
  }
  bool ok = true;
  for (auto piece : pieces) {
    std::size_t done = 0;
    while (done < piece.size()) {
      auto wrote = ::write(fd, piece.data() + done, piece.size() - done);
      if (wrote < 0 && errno == EINTR) continue;
      if (wrote <= 0) break;
      done += static_cast<std::size_t>(wrote);
    }
    ok = ok && done == piece.size();
  }
  ok = ::close(fd) == 0 && ok;
  if (ok && ::rename(temp.c_str(), path.c_str()) == 0) return true;
  ::unlink(temp.c_str());
  return false;
}

}  // namespace

namespace {

bool replaced_by_tables(std::string_view key) {
  return key == "strings" || key == "frames" || key == "stacks" || key == "symbolised";
}

// The scopes member with the model's sites, from its own parse (escaped bytes as the full parse handles
// them).
std::string scopes_member(std::string_view raw_scopes, const Scopes& model, const std::string& path) {
  auto rewritten = with_byte_escapes_rewritten(raw_scopes);
  simdjson::padded_string padded(rewritten ? std::string_view(*rewritten) : raw_scopes);
  simdjson::dom::parser parser;
  simdjson::dom::element scopes;
  if (parser.parse(padded).get(scopes) != simdjson::SUCCESS) throw UserError(path, "not a JSON object");
  std::string out = scopes_with_sites(scopes, model);
  respell_byte_escapes(out);
  return out;
}

// The full parse: for documents the raw scan does not take (escaped keys, odd structure).
std::string document_from_parse(std::string_view raw_json, const Snapshot& symbolised) {
  // The members kept are re-serialised from the parse: escaped bytes come out as U+10FFXX, which the reader
  // maps back to the same bytes.
  auto rewritten = with_byte_escapes_rewritten(raw_json);
  simdjson::padded_string padded(rewritten ? std::string_view(*rewritten) : raw_json);
  simdjson::dom::parser parser;
  simdjson::dom::object root;
  if (parser.parse(padded).get(root) != simdjson::SUCCESS)
    throw UserError(symbolised.path, "not a JSON object");
  std::string out = "{";
  for (auto [key, value] : root) {
    if (replaced_by_tables(key)) continue;
    if (key == "scopes" && symbolised.scopes) {
      out += "\"scopes\":" + scopes_with_sites(value, *symbolised.scopes) + ",\n";
      continue;
    }
    out += json_quoted(key) + ":" + simdjson::minify(value) + ",\n";
  }
  respell_byte_escapes(out);
  append_tables(out, symbolised);
  out += "}\n";
  return out;
}

}  // namespace

namespace {

// The document from its members as the raw scan found them: those kept are written as they are (the memory
// section of 117 649 sites is 2.7 MB), no parse of the whole document. `raw_stacks`: the stacks from the raw
// text, not from the model.
DocumentPieces document_from_members(const std::vector<RawMember>& members, const Snapshot& symbolised,
                                     const RawStacks* raw_stacks) {
  DocumentPieces out;
  out.text() += "{";
  for (const auto& [key, value] : members) {
    if (replaced_by_tables(key)) continue;
    out.text() += '"';
    out.text() += key;
    out.text() += "\":";
    if (key == "scopes" && symbolised.scopes)
      out.text() += scopes_member(value, *symbolised.scopes, symbolised.path);
    else
      out.view(value);
    out.text() += ",\n";
  }
  append_strings_and_frames(out.text(), symbolised);
  if (raw_stacks)
    append_raw_stacks(out, *raw_stacks);
  else
    append_stacks(out.text(), symbolised.stacks);
  out.text() += ",\n\"symbolised\":true}\n";
  return out;
}

}  // namespace

std::string symbolised_document(std::string_view raw_json, const Snapshot& symbolised) {
  auto members = top_level_members(raw_json);
  if (!members) return document_from_parse(raw_json, symbolised);
  const auto pieces = document_from_members(*members, symbolised, nullptr);
  std::string document;
  for (auto piece : pieces.pieces())
    document += piece;
  return document;
}

namespace {

// `document()` gives the new text; it runs only for a file that may be replaced.
template <typename Document>
bool save_document(const std::string& path, Document document) {
  // Only our own regular files are replaced: a symlink stays a symlink (its target is left alone), and a file
  // of another user (root reading someone's run) is never rewritten. Those are symbolised in memory on each
  // read instead (README, "Symbols").
  struct stat original {};
  if (::lstat(path.c_str(), &original) != 0 || !S_ISREG(original.st_mode) || original.st_uid != ::geteuid())
    return false;
  try {
    const DocumentPieces pieces = document();
    return replace_file(path, pieces.pieces(), original);
  } catch (const UserError&) {
    return false;
  }
}

// Members symbolisation neither reads nor changes: the saved file keeps them as written. The stacks are
// rewritten as text (stacks_text.hpp) unless `with_stacks`.
bool copied_as_written(std::string_view key, bool with_stacks) {
  return key == "memory" || key == "samples" || (key == "stacks" && !with_stacks);
}

std::optional<std::string_view> member(const std::vector<RawMember>& members, std::string_view key) {
  for (const auto& [name, value] : members)
    if (name == key) return value;
  return std::nullopt;
}

// The snapshot without the members the finish of `prof run` copies as written: their parse (117 649 memory
// sites, a DOM of 8 bytes a token) cost more than the symbolisation.
Snapshot read_tables(const std::vector<RawMember>& members, const std::string& path, bool with_stacks) {
  std::string tables = "{";
  for (const auto& [key, value] : members) {
    if (copied_as_written(key, with_stacks)) continue;
    if (tables.size() > 1) tables += ',';
    tables += '"';
    tables += key;
    tables += "\":";
    tables += value;
  }
  // Blanks after the object: the stacks' fast reader reads eight bytes at a time and leaves a table that ends
  // within eight bytes of the text to the slower DOM reader (this document may end with the stacks).
  tables += "}\n        ";
  return parse_snapshot(tables, path);
}

}  // namespace

bool save_symbolised(const std::string& path, const Snapshot& symbolised) {
  return save_document(path, [&] {
    auto raw = simdjson::padded_string::load(path);
    if (raw.error() != simdjson::SUCCESS) throw UserError(path, "cannot read");
    return DocumentPieces(symbolised_document(std::string_view(raw.value()), symbolised));
  });
}

bool symbolise_snapshot_file(const std::string& path) {
  try {
    // Only a regular file is read: a FIFO named like a snapshot would block.
    std::error_code error;
    if (!std::filesystem::is_regular_file(path, error)) return false;
    simdjson::padded_string raw;
    if (simdjson::padded_string::load(path).get(raw) != simdjson::SUCCESS) return false;
    // One scan for the members, used by the read and by the save; nullopt when the scan does not take the
    // document, which the full read and parse then do.
    const auto members = top_level_members(std::string_view(raw));
    Snapshot snapshot = members ? read_tables(*members, path, false) : read_snapshot_file(path);
    auto naming = name_function_sites(snapshot);
    for (const auto& warning : naming.warnings)
      std::fprintf(stderr, "prof: note: %s\n", warning.c_str());
    if (!needs_symbolisation(snapshot) && !naming.named) return true;
    auto result = members ? symbolise_frames(snapshot) : symbolise(snapshot);
    for (const auto& warning : result.warnings)
      std::fprintf(stderr, "prof: note: %s\n", warning.c_str());
    // Modules without a readable file ([vdso], deleted libraries) stay raw without a word: the run's
    // closing line stays the only one.
    if (!(result.changed || naming.named)) return true;
    // The stacks as written, with the functions of inlined calls inserted where there are any. Spelt
    // otherwise than the shim writes them, or missing, they are read the reader's way here, before the save,
    // so that a bad table is the reader's error (said by `prof report`), not a failed save.
    std::optional<RawStacks> stacks;
    if (members) {
      if (result.outer.empty()) result.outer.resize(snapshot.frames.size());  // none inlined: checked only
      stacks = RawStacks{
          .text = member(*members, "stacks").value_or(""), .outer = &result.outer, .insertions = {}};
      if (auto insertions = outer_insertions(stacks->text, result.outer))
        stacks->insertions = std::move(*insertions);
      else {
        snapshot.stacks = with_outer_frames(read_tables(*members, path, true).stacks, result.outer);
        stacks.reset();
      }
    }
    const auto document = [&] {
      if (!members) return DocumentPieces(symbolised_document(std::string_view(raw), snapshot));
      return document_from_members(*members, snapshot, stacks ? &*stacks : nullptr);
    };
    if (save_document(path, document)) return true;
    std::fprintf(stderr, "prof: note: %s: cannot save the symbolised snapshot: %s\n", path.c_str(),
                 std::strerror(errno));
  } catch (const UserError&) {
    // Not a snapshot prof can read: `prof report` will say what is wrong with it, once, when it is read.
  }
  return false;
}

}  // namespace prof::viewer

namespace prof::viewer {

void symbolise_loaded(std::vector<Snapshot>& snapshots) {
  for (auto& snapshot : snapshots)
    symbolise_loaded(snapshot);
}

void symbolise_loaded(Snapshot& snapshot) {
  // Instrumented functions are named once; the names are saved with the frames' (scopes.sites).
  auto naming = name_function_sites(snapshot);
  for (const auto& warning : naming.warnings)
    std::fprintf(stderr, "prof: note: %s\n", warning.c_str());
  if (!needs_symbolisation(snapshot) && !naming.named) return;
  auto result = symbolise(snapshot);
  result.changed = result.changed || naming.named;
  for (const auto& warning : result.warnings)
    std::fprintf(stderr, "prof: note: %s\n", warning.c_str());
  // A read-only file (someone else's run) is symbolised again on each read: no error for that. Binaries
  // that are not on this machine are normal when reading another machine's run: nothing said either.
  if (result.changed && !snapshot.path.empty() && ::access(snapshot.path.c_str(), W_OK) == 0 &&
      ::access(std::filesystem::path(snapshot.path).parent_path().empty()
                   ? "."
                   : std::filesystem::path(snapshot.path).parent_path().c_str(),
               W_OK) == 0)
    save_symbolised(snapshot.path, snapshot);
}

}  // namespace prof::viewer
