#include "export/gzip_stream.hpp"

#include <libdeflate.h>

#include "error.hpp"

namespace prof::viewer {

namespace {
constexpr std::size_t kQueued = 4;  // pieces waiting at most (a snapshot's samples are ~0.5 MB)
}

GzipStream::GzipStream(Sink sink) : sink_(std::move(sink)) {
  // Level 1: a merged run's profile is hundreds of MB before compression (its samples are varints, which
  // compress to three quarters whatever the level), and zlib's level 6 took three times as long as level 1
  // for a file a fifth smaller.
  compressor_ = libdeflate_alloc_compressor(1);
  if (!compressor_) throw UserError("pprof", "libdeflate could not start compressing");
  worker_ = std::thread([this] { compress_pieces(); });
}

GzipStream::~GzipStream() {
  stop();
  libdeflate_free_compressor(compressor_);
}

void GzipStream::stop() {
  {
    std::lock_guard lock(mutex_);
    ending_ = true;
  }
  changed_.notify_all();
  if (worker_.joinable()) worker_.join();
}

void GzipStream::compress(std::string_view piece) {
  compressed_.resize(libdeflate_gzip_compress_bound(compressor_, piece.size()));
  auto size = libdeflate_gzip_compress(compressor_, piece.data(), piece.size(), compressed_.data(),
                                       compressed_.size());
  if (size == 0) throw UserError("pprof", "libdeflate could not compress the profile");
  written_ = true;
  sink_(std::string_view(compressed_.data(), size));
}

void GzipStream::compress_pieces() {
  for (;;) {
    Piece piece;
    bool last = false;
    {
      std::unique_lock lock(mutex_);
      changed_.wait(lock, [this] { return !pieces_.empty() || ending_; });
      if (pieces_.empty()) {
        last = true;
      } else {
        piece = std::move(pieces_.front());
        pieces_.pop_front();
      }
    }
    changed_.notify_all();
    try {
      if (last) {
        if (!error_ && finished_ && !written_) compress({});
        return;
      }
      if (!error_ && piece.make) piece.data = piece.make();
      if (!error_ && !piece.data.empty()) compress(piece.data);
    } catch (...) {
      std::lock_guard lock(mutex_);
      error_ = std::current_exception();
    }
  }
}

void GzipStream::write(std::string_view data) {
  if (data.empty()) return;  // an empty member would only add a header
  queue({std::string(data), {}});
}

void GzipStream::write_made(std::function<std::string()> make) {
  queue({{}, std::move(make)});
}

void GzipStream::queue(Piece piece) {
  std::unique_lock lock(mutex_);
  changed_.wait(lock, [this] { return pieces_.size() < kQueued || error_; });
  if (error_) std::rethrow_exception(error_);
  pieces_.push_back(std::move(piece));
  lock.unlock();
  changed_.notify_all();
}

void GzipStream::finish() {
  {
    std::lock_guard lock(mutex_);
    finished_ = true;
  }
  stop();
  if (error_) std::rethrow_exception(error_);
}

}  // namespace prof::viewer
