#pragma once
// gzip (RFC 1952) written as it comes: pprof's files hold one sample per stack and process (ten million for
// 1024 ranks), so they are compressed in pieces and handed on instead of built whole in memory. The pieces
// are compressed on a thread of their own while the next snapshots are read (a third of the export's time
// was zlib's); at most a few pieces wait, so memory stays bounded.
#include <zlib.h>

#include <condition_variable>
#include <deque>
#include <exception>
#include <functional>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>

namespace prof::viewer {

class GzipStream {
 public:
  // Where the compressed bytes go; called on the compressing thread, one call at a time.
  using Sink = std::function<void(std::string_view bytes)>;
  explicit GzipStream(Sink sink);
  ~GzipStream();
  GzipStream(const GzipStream&) = delete;
  GzipStream& operator=(const GzipStream&) = delete;

  // Queues a copy of `data`; rethrows what the sink or zlib threw for an earlier piece.
  void write(std::string_view data);
  // Ends the stream (the trailer's CRC and size) and waits for the last byte to reach the sink.
  void finish();

 private:
  void compress_pieces();
  void deflate_all(std::string_view data, int flush);
  void stop();

  Sink sink_;
  z_stream stream_{};
  std::mutex mutex_;
  std::condition_variable changed_;
  std::deque<std::string> pieces_;
  bool ending_ = false, finished_ = false;
  std::exception_ptr error_;
  std::thread worker_;
};

}  // namespace prof::viewer
