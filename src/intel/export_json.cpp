#include <nlohmann/json.hpp>

#include "intel/export_format.hpp"

namespace spampot::intel {

// The metadata, then the entries one per line (each a JSON object), streamed; their count last.
Status export_json(entry_source& entries, const export_meta& m,
                   export_sink& out) {
  using json = nlohmann::ordered_json;
  const json head{{"list", m.list},
                  {"what", std::string(to_string(m.what))},
                  {"generated_at", format_rfc3339(m.generated_at, false)}};
  std::string h = head.dump(-1, ' ', false, json::error_handler_t::replace);
  h.pop_back();  // the closing brace: the entries follow
  out += h + ",\"entries\":[";
  bool first = true;
  std::size_t count = 0;
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
    out += (first ? "\n    " : ",\n    ") + o.dump(-1, ' ', false, json::error_handler_t::replace);
    first = false;
    ++count;
  }
  out += std::string(first ? "]" : "\n]") + ",\"count\":" + std::to_string(count) + "}\n";
  return {};
}

}  // namespace spampot::intel
