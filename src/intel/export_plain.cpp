#include "intel/export_format.hpp"

namespace spampot::intel {

// One entry per line and nothing else: for scripts, grep and xargs.
Status export_plain(entry_source& entries, const export_meta&,
                    export_sink& out) {
  for (const auto& e : entries)
    if (map_safe(e.entry)) out += e.entry + "\n";
  return {};
}

}  // namespace spampot::intel
