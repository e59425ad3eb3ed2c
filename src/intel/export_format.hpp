// Export formats: the listed entries written for the tools that read them. One file per format;
// the table in export_format.cpp names them all.
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.hpp"
#include "intel/listing.hpp"

namespace spampot::intel {

struct export_meta {
  Micros generated_at = 0;
  std::string list;  // the listing's name (its audit trail is kept under it)
  listing_what what = listing_what::ips;
  Micros expire_after = 0;  // for formats that carry a validity (STIX valid_until)
  std::uint64_t most = 0;   // no more entries than this (the keys read): what ipset sizes its sets by
};

// Where a format writes: text goes out in blocks as it is made, so a listing of a million
// entries never sits in memory whole.
class export_sink {
 public:
  explicit export_sink(std::function<void(std::string_view)> write) : write_(std::move(write)) {}
  ~export_sink() { flush(); }
  export_sink(const export_sink&) = delete;
  export_sink& operator=(const export_sink&) = delete;

  export_sink& operator+=(std::string_view text) {
    buf_ += text;
    if (buf_.size() >= 64 * 1024) flush();
    return *this;
  }
  void flush() {
    if (!buf_.empty()) write_(buf_);
    buf_.clear();
  }

 private:
  std::function<void(std::string_view)> write_;
  std::string buf_;
};

using export_fn = Status (*)(entry_source&, const export_meta&, export_sink&);

struct export_format {
  const char* name;
  export_fn write;
  const char* help;
};

const std::vector<export_format>& export_formats();

// An error for an unknown format, or one that cannot carry `what` (an rbldnsd zone of
// e-mail addresses); nothing is written then.
Status write_export(std::string_view format, entry_source& entries, const export_meta& m,
                    export_sink& out);
// The same into a string, for small listings and tests.
Result<std::string> render_export(std::string_view format, const std::vector<listed_entry>& entries,
                                  const export_meta& m);

Status export_plain(entry_source&, const export_meta&, export_sink&);
Status export_csv(entry_source&, const export_meta&, export_sink&);
Status export_json(entry_source&, const export_meta&, export_sink&);
Status export_postfix(entry_source&, const export_meta&, export_sink&);
Status export_sendmail(entry_source&, const export_meta&, export_sink&);
Status export_spamassassin(entry_source&, const export_meta&, export_sink&);
Status export_rbldnsd(entry_source&, const export_meta&, export_sink&);
Status export_nft(entry_source&, const export_meta&, export_sink&);
Status export_ipset(entry_source&, const export_meta&, export_sink&);
Status export_stix(entry_source&, const export_meta&, export_sink&);

// Shared by the formats: the comment header naming the list and time, and whether an entry is
// safe in a line-oriented map (printable ASCII, no spaces: a peer's bytes never break a file).
std::string header_comment(const export_meta& m, std::string_view usage,
                           std::string_view comment = "#");
bool map_safe(std::string_view entry);

}  // namespace spampot::intel
