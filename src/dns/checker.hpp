// Asking the configured lists about harvested keys, and the client's reverse DNS: the questions
// behind reputation, on top of dns::resolver. A list with a server of its own gets a resolver of
// its own. Callbacks run on the io_context's thread.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "base/result.hpp"
#include "dns/lists.hpp"
#include "dns/resolver.hpp"

namespace spampot::dns {

struct check_result {
  std::string list;  // the zone
  std::string key;   // what was asked about: an IP, a domain, a URL host
  Micros checked_at = 0;
  verdict v = verdict::error;
  std::vector<std::string> codes;
  std::string meaning;  // the codes' meaning; for an error, why
  std::string txt;      // the list's TXT reason, fetched for a listing
};

struct ptr_result {
  std::string ptr;         // the first PTR name, or empty
  bool confirmed = false;  // FCrDNS: the name resolves back to the address
  std::string error;       // a failed lookup (not "no PTR", which is an answer)
};

class checker {
 public:
  static Result<std::unique_ptr<checker>> make(asio::io_context& io, const resolver_options& base,
                                               std::vector<list_spec> lists);

  const std::vector<list_spec>& lists() const { return lists_; }
  // Asks `list` about `key` and, when listed, for its TXT reason. An ip list takes an address,
  // a domain list a domain, a url list a host (asked by its registrable domain, as SURBL and
  // URIBL list them). A key a list cannot take ends as an error without a question.
  void check(const list_spec& list, const std::string& key, std::function<void(check_result)> done);
  // PTR of `ip`, then the name's A or AAAA records: forward-confirmed when `ip` is among them.
  void reverse(const std::string& ip, std::function<void(ptr_result)> done);
  std::size_t pending() const;

 private:
  checker() = default;
  resolver& for_list(const list_spec& l);

  std::vector<list_spec> lists_;
  std::unique_ptr<resolver> default_;
  std::map<std::string, std::unique_ptr<resolver>> by_server_;
};

}  // namespace spampot::dns
