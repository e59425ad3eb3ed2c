// What one DNS question got: the vocabulary between the resolver and everything that reads it.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace spampot::dns {

enum class rr { a, aaaa, txt, ptr, mx };

struct lookup_result {
  // nxdomain and nodata are answers ("not there"); servfail, refused, timeout and error are not,
  // and nothing may read them as "not listed".
  enum class status { ok, nxdomain, nodata, servfail, refused, timeout, error };
  status st = status::error;
  std::vector<std::string> values;  // addresses, TXT strings or PTR names, as text
  std::uint32_t ttl = 0;            // seconds, the smallest of the answer's records
  std::string error;                // for error: what the resolver said

  bool answered() const {
    return st == status::ok || st == status::nxdomain || st == status::nodata;
  }
};

std::string_view to_string(lookup_result::status s);

}  // namespace spampot::dns
