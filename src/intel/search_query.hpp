// The filters of a message search, by name: `spampot search` takes them as options (--url-host)
// and the console's form and /api/v1/search as query parameters (url_host). One reading for both,
// so the CLI and the API answer the same question the same way.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/result.hpp"
#include "store/records.hpp"

namespace spampot::intel {

// since, until, ip, from, to, ja3, ja4, fingerprint, subject, url_host, attachment_hash, message_id, campaign,
// sensor, limit, before.
const std::vector<std::string_view>& search_param_names();

// Empty values are ignored (an untouched form field). An error names the parameter as
// `spelling` writes it ("--url-host" for the CLI, "url_host" for the API), and its value.
using search_params = std::vector<std::pair<std::string, std::string>>;
Result<store::search_filter> parse_search(const search_params& params, Micros now,
                                          std::string (*spelling)(std::string_view name));

// "since" -> "--since", "url_host" -> "--url-host"; and the API's own spelling.
std::string cli_spelling(std::string_view name);
std::string api_spelling(std::string_view name);

// A keyset page's position as one opaque-looking parameter: "MICROS.ID".
std::string before_param(const store::search_filter::position& p);

}  // namespace spampot::intel
