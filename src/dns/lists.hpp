// DNS-based lists: what a list is (zone, what it lists, what its answers mean), the catalogue of
// well-known public lists, and reading one answer as listed, clean or an error. Pure.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "dns/lookup.hpp"

namespace spampot::dns {

struct list_spec {
  std::string zone;
  std::string kind = "ip";  // ip: client addresses; domain: sender and HELO domains; url: URL hosts
  std::string server;       // "127.0.0.1:5353" to ask this list's own server; empty: [dns] servers
  std::map<std::string, std::string> codes;  // return code -> meaning ("127.0.0.2" -> "SBL")
  // SURBL and URIBL: each bit of the last octet is a list of its own (codes then holds "2",
  // "4", ... -> meaning).
  bool bitmask = false;
  // Answers that are the operator refusing or failing, never a listing (Spamhaus 127.255.255.x).
  std::vector<std::string> error_codes;
};

// The well-known public lists with their codes; a [[dnsbl]] naming one of these zones gets its
// kind, codes and error codes unless it sets its own.
const std::vector<list_spec>& known_lists();
std::optional<list_spec> known_list(std::string_view zone);

enum class verdict { listed, clean, error };
std::string_view to_string(verdict v);

struct reading {
  verdict v = verdict::error;
  std::vector<std::string> codes;  // the A records
  std::string meaning;             // "SBL, XBL" for listed; why, for an error
};

// An A answer for a query name under the list's zone.
reading interpret(const list_spec& list, const lookup_result& a);

}  // namespace spampot::dns
