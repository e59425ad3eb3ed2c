// The process's metrics: one Prometheus registry (prometheus-cpp), counted into by every layer
// through the functions below, exposed by `serve` at /metrics when [metrics] listen is set.
//
// The functions hide the library: callers include this header only. Counting is a few atomic
// adds (a labelled metric also takes the family's lock once to find its child), so it is cheap
// enough for the SMTP and journal paths. Labels take values from small closed sets (reasons,
// kinds, statuses) only, never from what a client sent.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "base/session_record.hpp"

namespace spampot::metrics {

// SMTP side.
void connection_accepted();
void connection_refused(std::string_view reason);  // per_ip_limit, connection_limit, proxy_header
void message_accepted(std::uint64_t bytes);
void message_refused();  // the spool could not take it: 451
void session_ended(const session_record& s);

// The journal: from append() to durable, and each fdatasync.
void journal_appended(double seconds);
void journal_synced(double seconds);
void journal_failed();

// The indexer.
void records_indexed(std::string_view kind, std::uint64_t n);  // message, session, http
void store_failed();
void set_quarantined(std::uint64_t n);
void set_index_lag(std::uint64_t records, std::uint64_t bytes, double seconds);
void set_store_up(bool up);

// DNS (reverse DNS of clients and list checks).
void dns_query();
void dns_answer(std::string_view status);  // ok, nxdomain, nodata, servfail, refused, timeout, error
void dns_cache_hit();

// The seed page.
void seed_request(int status);

// Retention.
void retention_dropped(std::string_view reason, std::uint64_t bytes);
void retention_deleted(std::string_view table, std::uint64_t rows);
void set_spool(std::uint64_t bytes, std::uint64_t segments, std::uint64_t free_bytes);

// Everything, in the Prometheus text exposition format (version 0.0.4).
std::string exposition();

}  // namespace spampot::metrics
