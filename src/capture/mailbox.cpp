#include "capture/mailbox.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <ctime>

namespace spampot::capture {

namespace fs = std::filesystem;

namespace {

std::string to_lf(std::string_view m) {
  std::string out;
  out.reserve(m.size());
  for (std::size_t i = 0; i < m.size(); ++i) {
    if (m[i] == '\r' && i + 1 < m.size() && m[i + 1] == '\n') continue;
    out += m[i];
  }
  if (!out.empty() && out.back() != '\n') out += '\n';
  return out;
}

}  // namespace

Result<maildir_writer> maildir_writer::open(const fs::path& dir) {
  std::error_code ec;
  for (const char* sub : {"tmp", "new", "cur"}) {
    fs::create_directories(dir / sub, ec);
    if (ec) return Error{"cannot create maildir " + (dir / sub).string() + ": " + ec.message()};
  }
  maildir_writer w;
  w.dir_ = dir;
  return w;
}

Status maildir_writer::write(std::string_view id, Micros received_at, std::string_view message) {
  // Maildir names: time.unique.host; ours is unique by id across sensors.
  const std::string name =
      std::to_string(received_at / kMicrosPerSecond) + "." + std::string(id) + ".spampot";
  const fs::path tmp = dir_ / "tmp" / name;
  const fs::path dst = dir_ / "new" / name;
  const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) return Error{"cannot create " + tmp.string() + ": " + std::strerror(errno)};
  const std::string data = to_lf(message);
  std::size_t off = 0;
  while (off < data.size()) {
    const ssize_t n = ::write(fd, data.data() + off, data.size() - off);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      const std::string err = std::strerror(errno);
      ::close(fd);
      return Error{"cannot write " + tmp.string() + ": " + err};
    }
    off += static_cast<std::size_t>(n);
  }
  ::close(fd);
  std::error_code ec;
  fs::rename(tmp, dst, ec);
  if (ec) return Error{"cannot move " + tmp.string() + " to new/: " + ec.message()};
  return {};
}

Result<mbox_writer> mbox_writer::open(const fs::path& file) {
  std::FILE* f = std::fopen(file.c_str(), "ab");
  if (!f) return Error{"cannot open mbox " + file.string() + ": " + std::strerror(errno)};
  return mbox_writer(f);
}

mbox_writer::~mbox_writer() {
  if (f_) std::fclose(f_);
}

Status mbox_writer::write(std::string_view sender, Micros received_at, std::string_view message) {
  // "From sender asctime" separator; the sender must be one word.
  std::string from;
  for (char c : sender)
    from += (c == ' ' || c == '\t' || static_cast<unsigned char>(c) < 0x20) ? '_' : c;
  if (from.empty()) from = "MAILER-DAEMON";
  std::time_t t = static_cast<std::time_t>(received_at / kMicrosPerSecond);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char when[64];
  std::strftime(when, sizeof when, "%a %b %e %H:%M:%S %Y", &tm);
  std::string out = "From " + from + " " + when + "\n";
  // mboxrd: every line that matches ^>*From gets one more '>', so reading reverses it exactly.
  const std::string body = to_lf(message);
  std::size_t pos = 0;
  while (pos < body.size()) {
    auto end = body.find('\n', pos);
    end = end == std::string::npos ? body.size() : end + 1;
    const std::string_view line(body.data() + pos, end - pos);
    std::size_t gt = 0;
    while (gt < line.size() && line[gt] == '>') ++gt;
    if (line.substr(gt).starts_with("From ")) out += '>';
    out += line;
    pos = end;
  }
  out += "\n";
  if (std::fwrite(out.data(), 1, out.size(), f_) != out.size())
    return Error{std::string("cannot write mbox: ") + std::strerror(errno)};
  return {};
}

Status mbox_writer::close() {
  if (!f_) return {};
  const int rc = std::fclose(f_);
  f_ = nullptr;
  if (rc != 0) return Error{std::string("cannot close mbox: ") + std::strerror(errno)};
  return {};
}

}  // namespace spampot::capture
