// Imported maillog records as store rows. A message becomes a message row (imported, no spool
// record); a refused attempt becomes a session row whose recipients carry the refusal, so both
// join the same de-duplication, reports and exports as what the trap captures itself.
//
// Ids are derived from the record's content (host, queue ID, time, first line), not from the file
// name or position: importing the same file twice, or a rotated copy that overlaps it, gives the
// same ids, and the store's insert-or-ignore adds nothing twice.
#pragma once

#include <string>
#include <string_view>

#include "importer/events.hpp"
#include "store/records.hpp"

namespace spampot::pipeline {

// The content-derived id: 11 characters of time (so it sorts with captured ids) and 8 of hash.
std::string import_id(const importer::import_record& r);

store::message_row imported_message(const importer::import_record& r, std::string_view sensor);
session_record imported_attempt(const importer::import_record& r, std::string_view sensor);

}  // namespace spampot::pipeline
