#include "export/gzip_stream.hpp"

#include <array>

#include "error.hpp"

namespace prof::viewer {

namespace {
constexpr std::size_t kQueued = 4;  // pieces waiting at most (a snapshot's samples are ~0.5 MB)
}

GzipStream::GzipStream(Sink sink) : sink_(std::move(sink)) {
  // 15 window bits + 16: a gzip header and trailer rather than zlib's. Level 1: a merged run's profile is
  // hundreds of MB before compression, and level 6 took three times as long for a file a fifth smaller.
  if (deflateInit2(&stream_, Z_BEST_SPEED, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK)
    throw UserError("pprof", "zlib could not start compressing");
  worker_ = std::thread([this] { compress_pieces(); });
}

GzipStream::~GzipStream() {
  stop();
  deflateEnd(&stream_);
}

void GzipStream::stop() {
  {
    std::lock_guard lock(mutex_);
    ending_ = true;
  }
  changed_.notify_all();
  if (worker_.joinable()) worker_.join();
}

void GzipStream::deflate_all(std::string_view data, int flush) {
  std::array<char, 1 << 16> buffer;
  stream_.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  stream_.avail_in = static_cast<uInt>(data.size());
  int status = Z_OK;
  do {
    stream_.next_out = reinterpret_cast<Bytef*>(buffer.data());
    stream_.avail_out = static_cast<uInt>(buffer.size());
    status = deflate(&stream_, flush);
    if (status == Z_STREAM_ERROR) throw UserError("pprof", "zlib could not compress the profile");
    auto produced = buffer.size() - stream_.avail_out;
    if (produced > 0) sink_({buffer.data(), produced});
  } while (stream_.avail_out == 0 || (flush == Z_FINISH && status != Z_STREAM_END));
}

void GzipStream::compress_pieces() {
  for (;;) {
    std::string piece;
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
        if (!error_ && finished_) deflate_all({}, Z_FINISH);
        return;
      }
      if (!error_) deflate_all(piece, Z_NO_FLUSH);
    } catch (...) {
      std::lock_guard lock(mutex_);
      error_ = std::current_exception();
    }
  }
}

void GzipStream::write(std::string_view data) {
  std::unique_lock lock(mutex_);
  changed_.wait(lock, [this] { return pieces_.size() < kQueued || error_; });
  if (error_) std::rethrow_exception(error_);
  pieces_.emplace_back(data);  // zlib counts in 32 bits: pieces are one snapshot's samples, far below
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
