#pragma once
// gzip (RFC 1952) written as it comes: pprof's files hold one sample per stack and process (ten million for
// 1024 ranks), so they are compressed in pieces and handed on instead of built whole in memory. The pieces
// are compressed on a thread of their own while the next snapshots are read; at most a few pieces wait, so
// memory stays bounded. Each piece is a gzip member of its own (RFC 1952 allows a file of several; Go's
// gzip reader, which pprof uses, zcat and Python read them as one stream), compressed whole by libdeflate:
// 2.3 times zlib's speed at level 1 for the same size on pprof's varints (docs/PERFORMANCE.md).
#include <condition_variable>
#include <deque>
#include <exception>
#include <functional>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>

struct libdeflate_compressor;

namespace prof::viewer {

class GzipStream {
 public:
  // Where the compressed bytes go; called on the compressing thread, one call at a time.
  using Sink = std::function<void(std::string_view bytes)>;
  explicit GzipStream(Sink sink);
  ~GzipStream();
  GzipStream(const GzipStream&) = delete;
  GzipStream& operator=(const GzipStream&) = delete;

  // Queues a copy of `data`; rethrows what the sink or libdeflate threw for an earlier piece.
  void write(std::string_view data);
  // Queues a piece that `make` encodes on the compressing thread, before compressing it: work taken off the
  // caller's thread, which reads the next snapshot meanwhile. Pieces stay in the order they were queued.
  void write_made(std::function<std::string()> make);
  // Ends the stream (the trailer's CRC and size) and waits for the last byte to reach the sink.
  void finish();

 private:
  void compress_pieces();
  void compress(std::string_view piece);
  void stop();

  Sink sink_;
  libdeflate_compressor* compressor_ = nullptr;
  std::string compressed_;  // the worker's output buffer, reused
  bool written_ = false;    // a member was written: an empty stream still needs one
  std::mutex mutex_;
  std::condition_variable changed_;
  struct Piece {
    std::string data;
    std::function<std::string()> make;  // when set, makes `data` on the compressing thread
  };
  void queue(Piece piece);

  std::deque<Piece> pieces_;
  bool ending_ = false, finished_ = false;
  std::exception_ptr error_;
  std::thread worker_;
};

}  // namespace prof::viewer
