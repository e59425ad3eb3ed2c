#include <nlohmann/json.hpp>

#include "intel/export_format.hpp"

namespace spampot::intel {

Result<std::string> export_json(const std::vector<listed_entry>& entries, const export_meta& m) {
  using json = nlohmann::ordered_json;
  // Entry by entry, one per line: a tree of a million entries would cost gigabytes.
  std::string arr;
  for (const auto& e : entries) {
    const json o{{"entry", e.entry},
                 {"network", e.network},
                 {"first_seen", format_rfc3339(e.first_seen, false)},
                 {"last_seen", format_rfc3339(e.last_seen, false)},
                 {"messages", e.messages},
                 {"sessions", e.sessions},
                 {"days", e.days},
                 {"addresses", e.members},
                 {"reason", e.reason}};
    arr += (arr.empty() ? "\n    " : ",\n    ") +
           o.dump(-1, ' ', false, json::error_handler_t::replace);
  }
  const json head{{"list", m.list},
                  {"what", std::string(to_string(m.what))},
                  {"generated_at", format_rfc3339(m.generated_at, false)},
                  {"count", entries.size()}};
  std::string out = head.dump(-1, ' ', false, json::error_handler_t::replace);
  out.pop_back();  // the closing brace: the entries follow
  return out + ",\"entries\":[" + arr + (arr.empty() ? "" : "\n") + "]}\n";
}

}  // namespace spampot::intel
