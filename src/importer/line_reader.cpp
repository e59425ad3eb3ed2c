#include "importer/line_reader.hpp"

#include <fcntl.h>
#include <unistd.h>
#include <zlib.h>
#include <zstd.h>

#include <cerrno>
#include <cstring>
#include <vector>

namespace spampot::importer {
namespace {

// Splits a byte stream into lines; subclasses supply decompressed bytes through fill().
class buffered_reader : public line_reader {
 public:
  bool next(std::string& line) override {
    line.clear();
    bool cut = false;
    for (;;) {
      if (pos_ == buf_.size()) {
        buf_.resize(1 << 16);
        const long n = fill(buf_.data(), buf_.size());
        if (n <= 0) {
          buf_.clear();
          pos_ = 0;
          if (cut) ++cut_;
          return !line.empty();
        }
        buf_.resize(static_cast<std::size_t>(n));
        pos_ = 0;
      }
      const char* start = buf_.data() + pos_;
      const void* nl = std::memchr(start, '\n', buf_.size() - pos_);
      const std::size_t n = nl ? static_cast<std::size_t>(static_cast<const char*>(nl) - start) : buf_.size() - pos_;
      const std::size_t room = kMaxLine - std::min(kMaxLine, line.size());
      if (n > room) cut = true;
      line.append(start, std::min(n, room));
      pos_ += n;
      if (nl) {
        ++pos_;
        if (cut) ++cut_;
        return true;
      }
    }
  }

 protected:
  virtual long fill(char* out, std::size_t size) = 0;

 private:
  std::vector<char> buf_;
  std::size_t pos_ = 0;
};

// gzread reads gzip members and, transparently, plain files.
class gz_reader final : public buffered_reader {
 public:
  explicit gz_reader(gzFile f, int fd) : f_(f), fd_(fd) {}
  ~gz_reader() override { gzclose(f_); }
  std::uint64_t compressed_bytes() const override {
    const off_t at = ::lseek(fd_, 0, SEEK_CUR);
    return at < 0 ? 0 : static_cast<std::uint64_t>(at);
  }

 protected:
  long fill(char* out, std::size_t size) override {
    const int n = gzread(f_, out, static_cast<unsigned>(size));
    if (n < 0) {
      int code = 0;
      error_ = std::string("cannot decompress: ") + gzerror(f_, &code);
    }
    return n;
  }

 private:
  gzFile f_;
  int fd_;
};

class zstd_reader final : public buffered_reader {
 public:
  explicit zstd_reader(int fd) : fd_(fd), in_(ZSTD_DStreamInSize()) {}
  ~zstd_reader() override {
    ZSTD_freeDStream(ds_);
    ::close(fd_);
  }
  std::uint64_t compressed_bytes() const override { return read_; }

 protected:
  long fill(char* out, std::size_t size) override {
    ZSTD_outBuffer ob{out, size, 0};
    while (ob.pos == 0) {
      if (ib_.pos == ib_.size) {
        const ssize_t n = ::read(fd_, in_.data(), in_.size());
        if (n < 0) {
          error_ = std::string("cannot read: ") + std::strerror(errno);
          return -1;
        }
        if (n == 0) return 0;
        read_ += static_cast<std::uint64_t>(n);
        ib_ = {in_.data(), static_cast<std::size_t>(n), 0};
      }
      const std::size_t rc = ZSTD_decompressStream(ds_, &ob, &ib_);
      if (ZSTD_isError(rc)) {
        error_ = std::string("cannot decompress: ") + ZSTD_getErrorName(rc);
        return -1;
      }
    }
    return static_cast<long>(ob.pos);
  }

 private:
  int fd_;
  ZSTD_DStream* ds_ = ZSTD_createDStream();
  std::vector<char> in_;
  ZSTD_inBuffer ib_{nullptr, 0, 0};
  std::uint64_t read_ = 0;
};

}  // namespace

Result<std::unique_ptr<line_reader>> line_reader::open(const std::string& path) {
  const int fd = path == "-" ? ::dup(STDIN_FILENO) : ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return Error{"cannot open " + path + ": " + std::strerror(errno)};
  unsigned char magic[4] = {};
  // Standard input cannot be rewound, so only files are sniffed for zstd; gzread handles gzip
  // and plain text on both.
  if (path != "-") {
    const ssize_t n = ::pread(fd, magic, sizeof magic, 0);
    if (n == 4 && magic[0] == 0x28 && magic[1] == 0xb5 && magic[2] == 0x2f && magic[3] == 0xfd)
      return std::unique_ptr<line_reader>(new zstd_reader(fd));
  }
  gzFile f = gzdopen(fd, "rb");
  if (!f) {
    ::close(fd);
    return Error{"cannot read " + path};
  }
  gzbuffer(f, 1 << 17);
  return std::unique_ptr<line_reader>(new gz_reader(f, fd));
}

}  // namespace spampot::importer
