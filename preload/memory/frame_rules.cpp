#include "memory/frame_rules.hpp"

#include <cstring>

namespace prof::preload::memory::frame_rules {

namespace {

struct EhBases {
  void* tbase;
  void* dbase;
  void* func;
};

}  // namespace

extern "C" const void* _Unwind_Find_FDE(void* pc, EhBases* bases);

namespace {

constexpr int kRbp = 6;
constexpr int kRsp = 7;
constexpr int kReturnAddress = 16;
constexpr int kMaxRemembered = 8;

class Reader {
 public:
  Reader(const std::uint8_t* at, const std::uint8_t* end) noexcept : at_(at), end_(end) {}
  bool done() const noexcept { return at_ >= end_; }
  bool ok() const noexcept { return !failed_; }
  const std::uint8_t* position() const noexcept { return at_; }

  std::uint8_t byte() noexcept {
    if (at_ >= end_) return fail();
    return *at_++;
  }
  std::uint64_t fixed(int bytes) noexcept {
    if (end_ - at_ < bytes) return fail();
    std::uint64_t value = 0;
    std::memcpy(&value, at_, static_cast<std::size_t>(bytes));
    at_ += bytes;
    return value;
  }
  std::uint64_t uleb() noexcept {
    std::uint64_t value = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      std::uint8_t b = byte();
      value |= std::uint64_t{b & 0x7Fu} << shift;
      if (!(b & 0x80)) return value;
    }
    return fail();
  }
  std::int64_t sleb() noexcept {
    std::int64_t value = 0;
    int shift = 0;
    std::uint8_t b = 0;
    do {
      b = byte();
      value |= static_cast<std::int64_t>(b & 0x7Fu) << shift;
      shift += 7;
    } while ((b & 0x80) && shift < 64);
    if (shift < 64 && (b & 0x40)) value |= -(std::int64_t{1} << shift);
    return value;
  }
  void skip(std::uint64_t bytes) noexcept {
    if (static_cast<std::uint64_t>(end_ - at_) < bytes) {
      fail();
      return;
    }
    at_ += bytes;
  }
  // Skips a pointer of DW_EH_PE encoding `encoding` (its value is not needed: the FDE's start comes from
  // _Unwind_Find_FDE).
  void skip_encoded(std::uint8_t encoding) noexcept {
    if ((encoding & 0x70) == 0x50) {  // aligned: never emitted for x86-64 FDEs, refused rather than guessed
      fail();
      return;
    }
    switch (encoding & 0x0F) {
      case 0x00:
        skip(8);
        break;  // absptr
      case 0x01:
        uleb();
        break;
      case 0x02:
      case 0x0A:
        skip(2);
        break;
      case 0x03:
      case 0x0B:
        skip(4);
        break;
      case 0x04:
      case 0x0C:
        skip(8);
        break;
      case 0x09:
        sleb();
        break;
      default:
        fail();
    }
  }

 private:
  std::uint8_t fail() noexcept {
    failed_ = true;
    at_ = end_;
    return 0;
  }
  const std::uint8_t* at_;
  const std::uint8_t* end_;
  bool failed_ = false;
};

// A length-prefixed CIE or FDE record: [start of its body, end).
bool record_bounds(const std::uint8_t* record, const std::uint8_t*& body, const std::uint8_t*& end) noexcept {
  std::uint32_t length = 0;
  std::memcpy(&length, record, 4);
  if (length == 0 || length == 0xFFFFFFFFu) return false;  // terminator or 64-bit DWARF: not produced here
  body = record + 4;
  end = body + length;
  return true;
}

struct Cie {
  std::uint64_t code_align = 1;
  std::int64_t data_align = 1;
  std::uint8_t fde_encoding = 0;
  bool has_augmentation_data = false;
  const std::uint8_t* instructions = nullptr;
  const std::uint8_t* end = nullptr;
};

bool parse_cie(const std::uint8_t* record, Cie& cie) noexcept {
  const std::uint8_t* body = nullptr;
  if (!record_bounds(record, body, cie.end)) return false;
  Reader in(body, cie.end);
  if (in.fixed(4) != 0) return false;  // CIE id
  std::uint8_t version = in.byte();
  const char* augmentation = reinterpret_cast<const char*>(in.position());
  std::size_t length = ::strnlen(augmentation, static_cast<std::size_t>(cie.end - in.position()));
  in.skip(length + 1);
  if (version >= 4) in.skip(2);  // address and segment sizes
  cie.code_align = in.uleb();
  cie.data_align = in.sleb();
  std::uint64_t return_register = version == 1 ? in.byte() : in.uleb();
  if (return_register != kReturnAddress) return false;
  if (augmentation[0] == 'z') {
    cie.has_augmentation_data = true;
    std::uint64_t data_length = in.uleb();
    const std::uint8_t* data_end = in.position() + data_length;
    for (const char* c = augmentation + 1; *c && in.ok(); ++c) {
      if (*c == 'R') {
        cie.fde_encoding = in.byte();
      } else if (*c == 'L') {
        in.byte();
      } else if (*c == 'P') {
        std::uint8_t encoding = in.byte();
        in.skip_encoded(encoding);
      } else {
        return false;  // 'S' (signal frame) and anything unknown are never replayed
      }
    }
    if (!in.ok() || in.position() > data_end) return false;
    in = Reader(data_end, cie.end);
  } else if (augmentation[0] != '\0') {
    return false;
  }
  cie.instructions = in.position();
  return in.ok();
}

struct State {
  int cfa_register = kRsp;
  std::int64_t cfa_offset = 0;
  bool cfa_expression = false;
  // Where the return address lives: an offset from the CFA, undefined, or something else.
  enum class Return : std::uint8_t { kDefault, kOffset, kUndefined, kOther } ra = Return::kDefault;
  std::int64_t ra_offset = 0;
  // Where the caller's rbp lives: kDefault (the same value), an offset from the CFA, or something else.
  Return base = Return::kDefault;
  std::int64_t base_offset = 0;
};

// Runs the instructions in [in) and updates `state` up to the row containing `target`. False when an
// instruction is not understood. `location` is the address the row so far describes.
bool run(Reader in, const Cie& cie, std::uintptr_t target, std::uintptr_t& location, State& state,
         const State& initial) noexcept {
  State remembered[kMaxRemembered];
  int depth = 0;
  auto set_register_rule = [&](std::uint64_t reg, State::Return rule, std::int64_t offset) {
    if (reg == kReturnAddress) {
      state.ra = rule;
      state.ra_offset = offset;
    } else if (reg == kRbp) {
      state.base = rule;
      state.base_offset = offset;
    }
  };
  auto restore = [&](std::uint64_t reg) {
    if (reg == kReturnAddress) {
      state.ra = initial.ra;
      state.ra_offset = initial.ra_offset;
    } else if (reg == kRbp) {
      state.base = initial.base;
      state.base_offset = initial.base_offset;
    }
  };
  while (!in.done()) {
    std::uint8_t op = in.byte();
    std::uint8_t high = op & 0xC0;
    std::uint8_t low = op & 0x3F;
    std::uint64_t advance = 0;
    if (high == 0x40) {
      advance = low * cie.code_align;
    } else if (high == 0x80) {
      set_register_rule(low, State::Return::kOffset, static_cast<std::int64_t>(in.uleb()) * cie.data_align);
    } else if (high == 0xC0) {
      restore(low);
    } else {
      switch (op) {
        case 0x00:
          break;  // nop
        case 0x02:
          advance = in.fixed(1) * cie.code_align;
          break;
        case 0x03:
          advance = in.fixed(2) * cie.code_align;
          break;
        case 0x04:
          advance = in.fixed(4) * cie.code_align;
          break;
        case 0x05: {  // offset_extended
          std::uint64_t reg = in.uleb();
          set_register_rule(reg, State::Return::kOffset,
                            static_cast<std::int64_t>(in.uleb()) * cie.data_align);
          break;
        }
        case 0x06:  // restore_extended
          restore(in.uleb());
          break;
        case 0x07:
          set_register_rule(in.uleb(), State::Return::kUndefined, 0);
          break;
        case 0x08: {  // same_value: for rbp, as if never saved; the return address would be lost
          std::uint64_t reg = in.uleb();
          set_register_rule(reg, reg == kRbp ? State::Return::kDefault : State::Return::kOther, 0);
          break;
        }
        case 0x09: {  // register
          std::uint64_t reg = in.uleb();
          in.uleb();
          set_register_rule(reg, State::Return::kOther, 0);
          break;
        }
        case 0x0A:
          if (depth == kMaxRemembered) return false;
          remembered[depth++] = state;
          break;
        case 0x0B:
          if (depth == 0) return false;
          state = remembered[--depth];
          break;
        case 0x0C:
          state.cfa_register = static_cast<int>(in.uleb());
          state.cfa_offset = static_cast<std::int64_t>(in.uleb());
          state.cfa_expression = false;
          break;
        case 0x0D:
          state.cfa_register = static_cast<int>(in.uleb());
          state.cfa_expression = false;
          break;
        case 0x0E:
          state.cfa_offset = static_cast<std::int64_t>(in.uleb());
          break;
        case 0x0F:
          state.cfa_expression = true;
          in.skip(in.uleb());
          break;
        case 0x10: {  // expression
          std::uint64_t reg = in.uleb();
          in.skip(in.uleb());
          set_register_rule(reg, State::Return::kOther, 0);
          break;
        }
        case 0x11: {  // offset_extended_sf
          std::uint64_t reg = in.uleb();
          set_register_rule(reg, State::Return::kOffset, in.sleb() * cie.data_align);
          break;
        }
        case 0x12:
          state.cfa_register = static_cast<int>(in.uleb());
          state.cfa_offset = in.sleb() * cie.data_align;
          state.cfa_expression = false;
          break;
        case 0x13:
          state.cfa_offset = in.sleb() * cie.data_align;
          break;
        case 0x14:
        case 0x15: {  // val_offset(_sf)
          std::uint64_t reg = in.uleb();
          if (op == 0x14)
            in.uleb();
          else
            in.sleb();
          set_register_rule(reg, State::Return::kOther, 0);
          break;
        }
        case 0x16: {  // val_expression
          std::uint64_t reg = in.uleb();
          in.skip(in.uleb());
          set_register_rule(reg, State::Return::kOther, 0);
          break;
        }
        case 0x2E:
          in.uleb();
          break;      // GNU_args_size
        case 0x2F: {  // GNU_negative_offset_extended
          std::uint64_t reg = in.uleb();
          set_register_rule(reg, State::Return::kOffset,
                            -static_cast<std::int64_t>(in.uleb()) * cie.data_align);
          break;
        }
        default:
          return false;  // set_loc and vendor extensions: not replayed
      }
    }
    if (!in.ok()) return false;
    if (advance) {
      if (location + advance > target) return true;
      location += advance;
    }
  }
  return in.ok();
}

}  // namespace

Rule at_return_address(std::uintptr_t return_address) noexcept {
  Rule rule;
  if (return_address < 2) return rule;
  std::uintptr_t target = return_address - 1;
  EhBases bases{};
  auto* fde = static_cast<const std::uint8_t*>(_Unwind_Find_FDE(reinterpret_cast<void*>(target), &bases));
  if (!fde || !bases.func) return rule;
  const std::uint8_t* body = nullptr;
  const std::uint8_t* end = nullptr;
  if (!record_bounds(fde, body, end)) return rule;
  std::uint32_t cie_pointer = 0;
  std::memcpy(&cie_pointer, body, 4);
  Cie cie;
  if (!parse_cie(body - cie_pointer, cie)) return rule;
  Reader in(body + 4, end);
  in.skip_encoded(cie.fde_encoding);         // pc_begin
  in.skip_encoded(cie.fde_encoding & 0x0F);  // pc_range: same size, never pc-relative
  if (cie.has_augmentation_data) in.skip(in.uleb());
  if (!in.ok()) return rule;

  State initial;
  std::uintptr_t location = reinterpret_cast<std::uintptr_t>(bases.func);
  if (!run(Reader(cie.instructions, cie.end), cie, ~std::uintptr_t{0}, location, initial, initial))
    return rule;
  State state = initial;
  location = reinterpret_cast<std::uintptr_t>(bases.func);
  if (!run(in, cie, target, location, state, initial)) return rule;

  if (state.ra == State::Return::kUndefined) {
    rule.kind = Kind::kOutermost;
    return rule;
  }
  if (state.cfa_expression || (state.cfa_register != kRsp && state.cfa_register != kRbp)) return rule;
  if (state.ra != State::Return::kOffset || state.ra_offset != -8) return rule;
  if (state.cfa_offset < 8 || state.cfa_offset > (std::int64_t{1} << 30)) return rule;
  if (state.base == State::Return::kDefault) {
    rule.base = SavedBase::kSame;
  } else if (state.base == State::Return::kOffset && state.base_offset < 0 &&
             state.base_offset >= -(std::int64_t{1} << 30) && state.base_offset % 8 == 0) {
    rule.base = SavedBase::kAt;
    rule.base_offset = static_cast<std::int32_t>(state.base_offset);
  }
  rule.kind = state.cfa_register == kRsp ? Kind::kStackPointer : Kind::kFramePointer;
  rule.cfa_offset = static_cast<std::int32_t>(state.cfa_offset);
  return rule;
}

}  // namespace prof::preload::memory::frame_rules
