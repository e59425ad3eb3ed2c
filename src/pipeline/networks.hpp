// Where a row's addresses are: the country and autonomous system of a session's or message's
// client and of a message's Received origin, from the [geoip] databases, set on the row just
// before the store takes it. With no databases (null) every row stays unknown.
#pragma once

#include "base/session_record.hpp"
#include "enrich/geoip.hpp"
#include "store/forensics.hpp"
#include "store/records.hpp"

namespace spampot::pipeline {

void locate(const enrich::geoip* g, store::message_row& m);
void locate(const enrich::geoip* g, session_record& s);
void locate(const enrich::geoip* g, store::message_details& d);

// For store::relocate (reindex): the same lookup for rows already stored.
store::locator locator_of(const enrich::geoip* g);

}  // namespace spampot::pipeline
