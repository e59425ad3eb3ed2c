#include "dns/lists.hpp"

#include <algorithm>

#include "base/ip_address.hpp"

namespace spampot::dns {

std::string_view to_string(lookup_result::status s) {
  switch (s) {
    case lookup_result::status::ok:
      return "ok";
    case lookup_result::status::nxdomain:
      return "NXDOMAIN";
    case lookup_result::status::nodata:
      return "no data";
    case lookup_result::status::servfail:
      return "SERVFAIL";
    case lookup_result::status::refused:
      return "REFUSED";
    case lookup_result::status::timeout:
      return "timeout";
    case lookup_result::status::error:
      return "error";
  }
  return "error";
}

std::string_view to_string(verdict v) {
  switch (v) {
    case verdict::listed:
      return "listed";
    case verdict::clean:
      return "clean";
    case verdict::error:
      return "error";
  }
  return "error";
}

const std::vector<list_spec>& known_lists() {
  // Codes as the operators document them. Spamhaus answers 127.255.255.252 for a malformed
  // query, .254 for a query through a public resolver, .255 for too many queries; SURBL and
  // URIBL answer 127.0.0.1 when they refuse.
  static const std::vector<std::string> kSpamhausErrors = {"127.255.255.252", "127.255.255.254",
                                                           "127.255.255.255"};
  static const std::vector<list_spec> lists = {
      {"zen.spamhaus.org",
       "ip",
       "",
       {{"127.0.0.2", "SBL"},
        {"127.0.0.3", "SBL CSS"},
        {"127.0.0.4", "XBL"},
        {"127.0.0.5", "XBL"},
        {"127.0.0.6", "XBL"},
        {"127.0.0.7", "XBL"},
        {"127.0.0.9", "SBL DROP"},
        {"127.0.0.10", "PBL ISP"},
        {"127.0.0.11", "PBL Spamhaus"}},
       false,
       kSpamhausErrors},
      {"dbl.spamhaus.org",
       "domain",
       "",
       {{"127.0.1.2", "spam domain"},
        {"127.0.1.4", "phish domain"},
        {"127.0.1.5", "malware domain"},
        {"127.0.1.6", "botnet C&C domain"},
        {"127.0.1.102", "abused legit spam"},
        {"127.0.1.103", "abused spammed redirector"},
        {"127.0.1.104", "abused legit phish"},
        {"127.0.1.105", "abused legit malware"},
        {"127.0.1.106", "abused legit botnet C&C"}},
       false,
       kSpamhausErrors},
      {"bl.spamcop.net", "ip", "", {{"127.0.0.2", "SpamCop"}}, false, {}},
      {"b.barracudacentral.org", "ip", "", {{"127.0.0.2", "Barracuda BRBL"}}, false, {}},
      {"psbl.surriel.com", "ip", "", {{"127.0.0.2", "PSBL"}}, false, {}},
      {"multi.surbl.org",
       "url",
       "",
       {{"8", "PH"}, {"16", "MW"}, {"64", "ABUSE"}, {"128", "CR"}},
       true,
       {"127.0.0.1"}},
      {"multi.uribl.com", "url", "", {{"2", "black"}, {"4", "grey"}, {"8", "red"}}, true, {"127.0.0.1"}},
  };
  return lists;
}

std::optional<list_spec> known_list(std::string_view zone) {
  for (const auto& l : known_lists())
    if (l.zone == zone) return l;
  return std::nullopt;
}

reading interpret(const list_spec& list, const lookup_result& a) {
  using st = lookup_result::status;
  if (a.st == st::nxdomain || a.st == st::nodata) return {verdict::clean, {}, ""};
  if (a.st != st::ok) {
    std::string why(to_string(a.st));
    if (!a.error.empty()) why += ": " + a.error;
    return {verdict::error, {}, why};
  }
  reading r{verdict::listed, a.values, ""};
  std::sort(r.codes.begin(), r.codes.end());
  for (const auto& code : r.codes) {
    if (std::find(list.error_codes.begin(), list.error_codes.end(), code) != list.error_codes.end())
      return {verdict::error, r.codes, "the operator refused the query (" + code + ")"};
    // A list answers inside 127.0.0.0/8 (RFC 5782); anything else is a resolver that rewrites
    // NXDOMAIN into an advertising page, and proves nothing.
    const auto ip = ip_address::parse(code);
    if (!ip || !ip->is_v4() || ip->bytes()[12] != 127)
      return {verdict::error, r.codes, "answer " + code + " outside 127.0.0.0/8"};
  }
  std::vector<std::string> meanings;
  auto add = [&](const std::string& m) {
    if (std::find(meanings.begin(), meanings.end(), m) == meanings.end()) meanings.push_back(m);
  };
  for (const auto& code : r.codes) {
    if (list.bitmask) {
      const unsigned last = ip_address::parse(code)->bytes()[15];
      for (unsigned bit = 1; bit < 256; bit <<= 1) {
        if (!(last & bit)) continue;
        const auto it = list.codes.find(std::to_string(bit));
        add(it != list.codes.end() ? it->second : "bit " + std::to_string(bit));
      }
      continue;
    }
    const auto it = list.codes.find(code);
    add(it != list.codes.end() ? it->second : code);
  }
  for (const auto& m : meanings) r.meaning += (r.meaning.empty() ? "" : ", ") + m;
  return r;
}

}  // namespace spampot::dns
