// Writing captured messages where any mail reader can open them: a Maildir (mutt, Dovecot) or an
// mbox file (mboxrd quoting). File names come from our own ids, never from message content.
// Line ends become LF, as both formats expect on Unix.
#pragma once

#include <cstdio>
#include <filesystem>
#include <string>
#include <string_view>

#include "base/result.hpp"
#include "base/time.hpp"

namespace spampot::capture {

class maildir_writer {
 public:
  static Result<maildir_writer> open(const std::filesystem::path& dir);
  Status write(std::string_view id, Micros received_at, std::string_view message);

 private:
  std::filesystem::path dir_;
};

class mbox_writer {
 public:
  static Result<mbox_writer> open(const std::filesystem::path& file);
  mbox_writer(mbox_writer&& o) noexcept : f_(o.f_) { o.f_ = nullptr; }
  mbox_writer(const mbox_writer&) = delete;
  ~mbox_writer();
  Status write(std::string_view sender, Micros received_at, std::string_view message);
  Status close();

 private:
  explicit mbox_writer(std::FILE* f) : f_(f) {}
  std::FILE* f_;
};

}  // namespace spampot::capture
