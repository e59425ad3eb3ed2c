#include "pipeline/networks.hpp"

namespace spampot::pipeline {
namespace {

store::network_row lookup(const enrich::geoip* g, std::string_view ip) {
  if (!g) return {};
  auto n = g->lookup(ip);
  return {std::move(n.country), n.asn, std::move(n.as_org)};
}

}  // namespace

void locate(const enrich::geoip* g, store::message_row& m) {
  auto n = lookup(g, m.client_ip);
  m.country = std::move(n.country);
  m.asn = n.asn;
  m.as_org = std::move(n.as_org);
}

void locate(const enrich::geoip* g, session_record& s) {
  auto n = lookup(g, s.client_ip);
  s.country = std::move(n.country);
  s.asn = n.asn;
  s.as_org = std::move(n.as_org);
}

void locate(const enrich::geoip* g, store::message_details& d) {
  auto n = lookup(g, d.first_external_ip);
  d.origin_country = std::move(n.country);
  d.origin_asn = n.asn;
  d.origin_as_org = std::move(n.as_org);
}

store::locator locator_of(const enrich::geoip* g) {
  return [g](std::string_view ip) { return lookup(g, ip); };
}

}  // namespace spampot::pipeline
