// Country and autonomous system of an address, from MaxMind-format databases the operator gives
// (`[geoip] country_db`, `asn_db`): GeoLite2, DB-IP lite, IPinfo lite and the like. None is
// shipped or downloaded. Looked up at index time, so a row keeps what the database said then.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>

#include "base/result.hpp"

namespace spampot::enrich {

struct network {
  std::string country;  // ISO 3166-1 alpha-2, upper case; "" when unknown
  std::uint32_t asn = 0;  // 0 when unknown
  std::string as_org;

  bool known() const { return !country.empty() || asn != 0; }
};

class geoip {
 public:
  // Opens the databases; either path may be empty (that half stays unknown), not both. A file
  // that is missing, unreadable or not a MaxMind database is an error naming it.
  static Result<std::unique_ptr<geoip>> open(const std::filesystem::path& country_db,
                                             const std::filesystem::path& asn_db);
  ~geoip();
  geoip(const geoip&) = delete;
  geoip& operator=(const geoip&) = delete;

  // Safe from any thread (the databases are read-only maps). An address that is not one, or
  // that no database covers, is an unknown network.
  network lookup(std::string_view ip) const;

  // "GeoLite2-Country 2026-11-24, GeoLite2-ASN 2026-11-24": what `status` and logs say.
  std::string describe() const;

 private:
  struct database;
  geoip();
  std::unique_ptr<database> country_, asn_;
};

}  // namespace spampot::enrich
