#include "intel/export_format.hpp"

namespace spampot::intel {

const std::vector<export_format>& export_formats() {
  static const std::vector<export_format> all{
      {"plain", export_plain, "one entry per line"},
      {"csv", export_csv, "entry, first/last seen, counts and reason"},
      {"json", export_json, "the same as an object with metadata"},
      {"postfix", export_postfix, "access map: cidr table (ips) or hash map (senders, domains)"},
      {"sendmail", export_sendmail, "access database lines: Connect: and From:"},
      {"spamassassin", export_spamassassin, "blocklist_from rules (senders, domains)"},
      {"rbldnsd", export_rbldnsd, "ip4set zone (ips) or dnset zone (domains)"},
      {"nft", export_nft, "nftables sets spampot_v4 and spampot_v6 in table inet spampot (ips)"},
      {"ipset", export_ipset, "ipset restore input for sets spampot_v4 and spampot_v6 (ips)"},
      {"stix", export_stix, "STIX 2.1 bundle of indicators"},
  };
  return all;
}

Status write_export(std::string_view format, entry_source& entries, const export_meta& m,
                    export_sink& out) {
  for (const auto& f : export_formats())
    if (format == f.name) return f.write(entries, m, out);
  std::string known;
  for (const auto& f : export_formats()) known += (known.empty() ? "" : ", ") + std::string(f.name);
  return Error{"unknown export format '" + std::string(format) + "' (one of: " + known + ")"};
}

Result<std::string> render_export(std::string_view format, const std::vector<listed_entry>& entries,
                                  const export_meta& m) {
  std::string text;
  {
    export_sink out([&](std::string_view s) { text += s; });
    vector_source source(entries);
    if (auto s = write_export(format, source, m, out); !s) return Error{s.error()};
  }
  return text;
}

std::string header_comment(const export_meta& m, std::string_view usage, std::string_view comment) {
  const std::string c(comment);
  std::string out = c + " spampot " + std::string(to_string(m.what)) + " listing '" + m.list +
                    "', generated " + format_rfc3339(m.generated_at, false) + "\n";
  if (!usage.empty()) out += c + " " + std::string(usage) + "\n";
  return out;
}

bool map_safe(std::string_view entry) {
  if (entry.empty()) return false;
  for (unsigned char c : entry)
    if (c <= 0x20 || c >= 0x7f || c == '"' || c == '\\' || c == '#') return false;
  return true;
}

}  // namespace spampot::intel
