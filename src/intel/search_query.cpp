#include "intel/search_query.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>

#include "base/digits.hpp"

#include "base/time.hpp"
#include "message/message.hpp"

namespace spampot::intel {

const std::vector<std::string_view>& search_param_names() {
  static const std::vector<std::string_view> names{
      "since",           "until",      "ip",       "from",   "to",    "ja3",   "ja4",    "subject",
      "url_host",        "attachment_hash", "message_id", "campaign", "sensor", "asn", "country", "spf",
      "dkim",            "dmarc",      "fingerprint", "limit", "before"};
  return names;
}

std::string cli_spelling(std::string_view name) {
  std::string out = "--";
  for (char c : name) out += c == '_' ? '-' : c;
  return out;
}

std::string api_spelling(std::string_view name) { return std::string(name); }

std::string before_param(const store::search_filter::position& p) {
  return std::to_string(p.received_at) + "." + p.id;
}

namespace {

bool is_hex(std::string_view s) { return s.find_first_not_of("0123456789abcdefABCDEF") == std::string_view::npos; }

}  // namespace

Result<store::search_filter> parse_search(const search_params& params, Micros now,
                                          std::string (*spelling)(std::string_view name)) {
  store::search_filter f;
  for (const auto& [name, value] : params) {
    if (value.empty()) continue;
    auto bad = [&, n = name, v = value](std::string_view why) {
      return Error{spelling(n) + " " + v + ": " + std::string(why)};
    };
    if (name == "since" || name == "until") {
      auto t = parse_time_point(value, now);
      if (!t) return bad("not a time (2026-11-27, 2026-11-27T10:00:00Z, or 24h)");
      (name == "since" ? f.since : f.until) = t;
    } else if (name == "ip") {
      if (!(f.ip = cidr::parse(value))) return bad("not an address or CIDR range");
    } else if (name == "from") {
      f.from = value;
    } else if (name == "to") {
      f.to = value;
    } else if (name == "ja3") {
      f.ja3 = value;
    } else if (name == "ja4") {
      f.ja4 = value;
    } else if (name == "fingerprint") {
      // "fp1-" and 16 hex digits (smtp/behaviour.hpp); asked as shown, any case.
      std::string fp;
      for (char c : value) fp += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      if (fp.size() != 20 || !fp.starts_with("fp") || fp[3] != '-' || !is_hex(fp.substr(4)))
        return bad("not a behavioural fingerprint (fp1- and 16 hex digits, see report fingerprints)");
      f.fingerprint = fp;
    } else if (name == "subject") {
      f.subject = value;
    } else if (name == "url_host") {
      f.url_host = value;
    } else if (name == "attachment_hash") {
      if (!is_hex(value) || (value.size() != 32 && value.size() != 40 && value.size() != 64))
        return bad("not an MD5, SHA-1 or SHA-256 in hex");
      f.attachment_hash = value;
    } else if (name == "message_id") {
      f.message_id = message::normalise_message_id(value);
      if (f.message_id->empty()) return bad("empty");
    } else if (name == "campaign") {
      f.campaign = value;
    } else if (name == "sensor") {
      f.sensor = value;
    } else if (name == "asn") {
      std::string_view digits = value;
      if (digits.size() > 2 && (digits.starts_with("AS") || digits.starts_with("as"))) digits.remove_prefix(2);
      const auto n = parse_count(digits);
      if (!n || *n == 0 || *n > 0xffffffffULL) return bad("not an AS number (64501 or AS64501)");
      f.asn = static_cast<std::uint32_t>(*n);
    } else if (name == "spf" || name == "dkim" || name == "dmarc") {
      // Each mechanism's own words (RFC 7208, RFC 8601 for DKIM, RFC 7489).
      static const std::vector<std::string_view> kSpf{"pass", "fail", "softfail", "neutral", "none", "temperror", "permerror"};
      static const std::vector<std::string_view> kDkim{"pass", "fail", "neutral", "none", "temperror", "permerror"};
      static const std::vector<std::string_view> kDmarc{"pass", "fail", "none", "temperror", "permerror"};
      const auto& words = name == "spf" ? kSpf : name == "dkim" ? kDkim : kDmarc;
      if (std::find(words.begin(), words.end(), value) == words.end()) {
        std::string list;
        for (auto w : words) list += (list.empty() ? "" : ", ") + std::string(w);
        return bad("not a" + std::string(name == "spf" ? "n SPF" : name == "dkim" ? " DKIM" : " DMARC") + " result (" + list + ")");
      }
      (name == "spf" ? f.spf : name == "dkim" ? f.dkim : f.dmarc) = value;
    } else if (name == "country") {
      if (value.size() != 2 || !std::isalpha(static_cast<unsigned char>(value[0])) ||
          !std::isalpha(static_cast<unsigned char>(value[1])))
        return bad("not a two-letter country code (ISO 3166-1, such as DE)");
      f.country = std::string{static_cast<char>(std::toupper(static_cast<unsigned char>(value[0]))),
                              static_cast<char>(std::toupper(static_cast<unsigned char>(value[1])))};
    } else if (name == "limit") {
      const auto n = parse_count(value);
      if (!n) return bad("not a number");
      f.limit = *n;
    } else if (name == "before") {
      const auto dot = value.find('.');
      Micros at = 0;
      const auto r = std::from_chars(value.data(), value.data() + (dot == std::string::npos ? 0 : dot), at);
      if (dot == std::string::npos || r.ec != std::errc() || r.ptr != value.data() + dot || dot + 1 == value.size())
        return bad("not a page position (MICROS.ID)");
      f.before = store::search_filter::position{at, value.substr(dot + 1)};
    } else {
      return Error{spelling(name) + ": not a search filter"};
    }
  }
  return f;
}

}  // namespace spampot::intel
