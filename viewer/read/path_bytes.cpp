#include "read/path_bytes.hpp"

namespace prof::viewer {

namespace {

int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// The code unit of the escape \uXXXX at json[at] (at points at the backslash), or -1.
long code_unit_at(std::string_view json, std::size_t at) {
  if (at + 6 > json.size() || json[at] != '\\' || json[at + 1] != 'u') return -1;
  long unit = 0;
  for (std::size_t k = 2; k < 6; ++k) {
    int digit = hex_digit(json[at + k]);
    if (digit < 0) return -1;
    unit = unit * 16 + digit;
  }
  return unit;
}

bool may_hold_byte_escape(std::string_view json) {
  for (auto at = json.find("\\u"); at != std::string_view::npos; at = json.find("\\u", at + 2))
    if (at + 3 < json.size() && (json[at + 2] | 0x20) == 'd' && (json[at + 3] | 0x20) == 'c') return true;
  return false;
}

void restore_all(std::vector<std::string>& texts) {
  for (auto& text : texts)
    restore_bytes(text);
}

}  // namespace

std::optional<std::string> with_byte_escapes_rewritten(std::string_view json) {
  if (!may_hold_byte_escape(json)) return std::nullopt;
  std::string out;
  out.reserve(json.size() + json.size() / 8);
  bool in_string = false;
  std::size_t i = 0;
  while (i < json.size()) {
    char c = json[i];
    if (c == '"') in_string = !in_string;
    if (!in_string || c != '\\') {
      out += c;
      ++i;
      continue;
    }
    long unit = code_unit_at(json, i);
    if (unit <
        0) {  // another escape (\n, \", \\...): copied whole, so its second character is not seen alone
      out.append(json.substr(i, 2));
      i += 2;
      continue;
    }
    if (unit >= 0xD800 && unit <= 0xDBFF && (code_unit_at(json, i + 6) & 0xFC00) == 0xDC00) {
      out.append(json.substr(i, 12));  // a surrogate pair: a real character, left alone
      i += 12;
      continue;
    }
    if (unit >= 0xDC80 && unit <= 0xDCFF) {
      // U+10FFXX as UTF-16: \udbff\udfXX.
      out += "\\udbff\\udf";
      out.append(json.substr(i + 4, 2));
    } else {
      out.append(json.substr(i, 6));
    }
    i += 6;
  }
  return out;
}

void restore_bytes(std::string& text) {
  if (text.find("\xF4\x8F") == std::string::npos) return;
  std::size_t write = 0;
  for (std::size_t read = 0; read < text.size();) {
    auto byte = [&](std::size_t k) { return static_cast<unsigned char>(text[read + k]); };
    if (read + 3 < text.size() && byte(0) == 0xF4 && byte(1) == 0x8F &&
        (byte(2) == 0xBE || byte(2) == 0xBF) && (byte(3) & 0xC0) == 0x80) {
      text[write++] = static_cast<char>(0x80 | ((byte(2) & 1) << 6) | (byte(3) & 0x3F));
      read += 4;
    } else {
      text[write++] = text[read++];
    }
  }
  text.resize(write);
}

void restore_bytes(Meta& meta) {
  restore_bytes(meta.program);
  restore_bytes(meta.exe);
  restore_all(meta.argv);
  if (meta.label) restore_bytes(*meta.label);
}

void restore_bytes(Snapshot& snapshot) {
  restore_bytes(snapshot.meta);
  restore_all(snapshot.strings);
  for (auto& module : snapshot.modules)
    restore_bytes(module.path);
  if (snapshot.scopes)
    for (auto& thread : snapshot.scopes->threads)
      restore_bytes(thread.name);
  if (snapshot.timers)
    for (auto& timing : snapshot.timers->timings)
      restore_bytes(timing.name);
}

}  // namespace prof::viewer
