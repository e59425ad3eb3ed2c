#include "intel/export_format.hpp"
#include "intel/table.hpp"

namespace spampot::intel {

Status export_csv(entry_source& entries, const export_meta&, export_sink& out) {
  out += "entry,network,first_seen,last_seen,messages,sessions,days,addresses,reason\r\n";
  for (const auto& e : entries) {
    out += csv_field(e.entry) + "," + (e.network ? "1" : "0") + "," +
           format_rfc3339(e.first_seen, false) + "," + format_rfc3339(e.last_seen, false) + "," +
           std::to_string(e.messages) + "," + std::to_string(e.sessions) + "," +
           std::to_string(e.days) + "," + std::to_string(e.members) + "," + csv_field(e.reason) +
           "\r\n";
  }
  return {};
}

}  // namespace spampot::intel
