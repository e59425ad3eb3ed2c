#include "capture/retention_plan.hpp"

namespace spampot::capture {

std::string_view to_string(drop_reason r) {
  switch (r) {
    case drop_reason::max_age: return "max_age";
    case drop_reason::max_spool: return "max_spool";
    case drop_reason::min_free: return "min_free";
  }
  return "unknown";
}

namespace {

bool fully_indexed(const segment_info& s, position indexed) {
  return s.segment < indexed.segment || (s.segment == indexed.segment && indexed.offset >= s.bytes);
}

}  // namespace

retention_plan plan_retention(const std::vector<segment_info>& segments, position indexed,
                              const std::set<std::uint32_t>& held, std::uint64_t free_bytes,
                              const retention_budget& budget, Micros now) {
  retention_plan plan;
  std::uint64_t spool = 0;
  for (const auto& s : segments) spool += s.bytes;
  std::uint64_t freed = 0;
  // Every segment but the newest (the open one), oldest first, until the first one that may not
  // go: dropping past it would leave a hole that an older unindexed record still needs.
  for (std::size_t i = 0; i + 1 < segments.size(); ++i) {
    const auto& s = segments[i];
    if (!fully_indexed(s, indexed) || held.count(s.segment)) break;
    std::optional<drop_reason> why;
    if (budget.max_age > 0 && s.newest_at < now - budget.max_age) {
      why = drop_reason::max_age;
    } else if (budget.max_spool > 0 && spool - freed > budget.max_spool) {
      why = drop_reason::max_spool;
    } else if (budget.min_free > 0 && free_bytes + freed < budget.min_free) {
      why = drop_reason::min_free;
    }
    if (!why) break;
    plan.drops.push_back({s, *why});
    freed += s.bytes;
  }
  if (budget.max_spool > 0 && spool - freed > budget.max_spool) plan.spool_over = spool - freed - budget.max_spool;
  if (budget.min_free > 0 && free_bytes + freed < budget.min_free) plan.free_short = budget.min_free - free_bytes - freed;
  return plan;
}

}  // namespace spampot::capture
