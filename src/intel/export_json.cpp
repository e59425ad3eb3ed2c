#include <nlohmann/json.hpp>

#include "intel/export_format.hpp"

namespace spampot::intel {

Result<std::string> export_json(const std::vector<listed_entry>& entries, const export_meta& m) {
  using json = nlohmann::ordered_json;
  json arr = json::array();
  for (const auto& e : entries)
    arr.push_back({{"entry", e.entry},
                   {"network", e.network},
                   {"first_seen", format_rfc3339(e.first_seen, false)},
                   {"last_seen", format_rfc3339(e.last_seen, false)},
                   {"messages", e.messages},
                   {"sessions", e.sessions},
                   {"days", e.days},
                   {"addresses", e.members},
                   {"reason", e.reason}});
  json j{{"list", m.list},
         {"what", std::string(to_string(m.what))},
         {"generated_at", format_rfc3339(m.generated_at, false)},
         {"count", entries.size()},
         {"entries", std::move(arr)}};
  return j.dump(2, ' ', false, json::error_handler_t::replace) + "\n";
}

}  // namespace spampot::intel
