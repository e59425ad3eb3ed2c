// Export formats: the listed entries written for the tools that read them. One file per format;
// the table in export_format.cpp names them all.
#pragma once

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
};

using export_fn = Result<std::string> (*)(const std::vector<listed_entry>&, const export_meta&);

struct export_format {
  const char* name;
  export_fn write;
  const char* help;
};

const std::vector<export_format>& export_formats();

// An error for a format that cannot carry `what` (an rbldnsd zone of e-mail addresses).
Result<std::string> render_export(std::string_view format, const std::vector<listed_entry>& entries,
                                  const export_meta& m);

Result<std::string> export_plain(const std::vector<listed_entry>&, const export_meta&);
Result<std::string> export_csv(const std::vector<listed_entry>&, const export_meta&);
Result<std::string> export_json(const std::vector<listed_entry>&, const export_meta&);
Result<std::string> export_postfix(const std::vector<listed_entry>&, const export_meta&);
Result<std::string> export_sendmail(const std::vector<listed_entry>&, const export_meta&);
Result<std::string> export_spamassassin(const std::vector<listed_entry>&, const export_meta&);
Result<std::string> export_rbldnsd(const std::vector<listed_entry>&, const export_meta&);
Result<std::string> export_nft(const std::vector<listed_entry>&, const export_meta&);
Result<std::string> export_ipset(const std::vector<listed_entry>&, const export_meta&);
Result<std::string> export_stix(const std::vector<listed_entry>&, const export_meta&);

// Shared by the formats: the comment header naming the list and time, and whether an entry is
// safe in a line-oriented map (printable ASCII, no spaces: a peer's bytes never break a file).
std::string header_comment(const export_meta& m, std::string_view usage,
                           std::string_view comment = "#");
bool map_safe(std::string_view entry);

}  // namespace spampot::intel
