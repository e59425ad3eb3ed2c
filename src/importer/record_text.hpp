// One import record as one line of text: what `spampot import --dry-run` prints and what the
// golden files hold. Stable field order; values as they appeared in the log.
#pragma once

#include <string>

#include "importer/events.hpp"

namespace spampot::importer {

std::string to_text(const import_record& r);

}  // namespace spampot::importer
