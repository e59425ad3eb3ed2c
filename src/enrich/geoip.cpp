#include "enrich/geoip.hpp"

#include <maxminddb.h>

#include <cerrno>
#include <cstring>
#include <initializer_list>
#include <optional>
#include <vector>

#include "base/time.hpp"

namespace spampot::enrich {

struct geoip::database {
  MMDB_s mmdb{};
  std::string path;
  ~database() { MMDB_close(&mmdb); }
};

namespace {

// The value at a path of map keys ("country", "iso_code"), when the entry has one.
std::optional<MMDB_entry_data_s> value_at(MMDB_entry_s& entry, std::vector<const char*> path) {
  path.push_back(nullptr);
  MMDB_entry_data_s data{};
  if (MMDB_aget_value(&entry, &data, path.data()) != MMDB_SUCCESS || !data.has_data) return std::nullopt;
  return data;
}

std::string text_of(const MMDB_entry_data_s& d) {
  if (d.type != MMDB_DATA_TYPE_UTF8_STRING) return {};
  return std::string(d.utf8_string, d.data_size);
}

// A country code as ISO 3166-1 spells it; anything else a database holds is no country.
std::string country_code(std::string s) {
  if (s.size() != 2) return {};
  for (auto& c : s) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
    if (c < 'A' || c > 'Z') return {};
  }
  return s;
}

// "AS64501" (IPinfo), "64501", or a number.
std::uint32_t asn_of(const MMDB_entry_data_s& d) {
  switch (d.type) {
    case MMDB_DATA_TYPE_UINT16: return d.uint16;
    case MMDB_DATA_TYPE_UINT32: return d.uint32;
    case MMDB_DATA_TYPE_UTF8_STRING: {
      std::string_view s(d.utf8_string, d.data_size);
      if (s.size() > 2 && (s[0] == 'A' || s[0] == 'a') && (s[1] == 'S' || s[1] == 's')) s.remove_prefix(2);
      if (s.empty() || s.size() > 10) return 0;
      std::uint64_t n = 0;
      for (char c : s) {
        if (c < '0' || c > '9') return 0;
        n = n * 10 + static_cast<std::uint64_t>(c - '0');
      }
      return n > 0xffffffffULL ? 0 : static_cast<std::uint32_t>(n);
    }
    default: return 0;
  }
}

// The first of several spellings a database may use for one thing.
std::optional<MMDB_entry_data_s> first_of(MMDB_entry_s& entry, std::initializer_list<std::vector<const char*>> paths) {
  for (const auto& p : paths)
    if (auto v = value_at(entry, p)) return v;
  return std::nullopt;
}

std::optional<MMDB_entry_s> find(const MMDB_s& db, std::string_view ip) {
  // The text is copied to end it with a NUL; MMDB_lookup_string asks getaddrinfo with
  // AI_NUMERICHOST, so a name is never resolved.
  if (ip.empty() || ip.size() > 64) return std::nullopt;
  const std::string text(ip);
  int gai_error = 0, mmdb_error = 0;
  MMDB_lookup_result_s r = MMDB_lookup_string(const_cast<MMDB_s*>(&db), text.c_str(), &gai_error, &mmdb_error);
  if (gai_error != 0 || mmdb_error != MMDB_SUCCESS || !r.found_entry) return std::nullopt;
  return r.entry;
}

constexpr std::size_t kOrgBytes = 255;

}  // namespace

geoip::geoip() = default;
geoip::~geoip() = default;

Result<std::unique_ptr<geoip>> geoip::open(const std::filesystem::path& country_db, const std::filesystem::path& asn_db) {
  if (country_db.empty() && asn_db.empty()) return Error{"[geoip] names no database: give country_db, asn_db or both"};
  std::unique_ptr<geoip> g(new geoip());
  auto open_one = [](const std::filesystem::path& p, std::string_view key) -> Result<std::unique_ptr<database>> {
    auto db = std::make_unique<database>();
    db->path = p.string();
    errno = 0;
    const int status = MMDB_open(db->path.c_str(), MMDB_MODE_MMAP, &db->mmdb);
    if (status != MMDB_SUCCESS) {
      std::string why = MMDB_strerror(status);
      if (status == MMDB_IO_ERROR && errno != 0) why += std::string(": ") + std::strerror(errno);
      // MMDB_open leaves nothing to close on failure.
      db->mmdb = MMDB_s{};
      return Error{"[geoip] " + std::string(key) + " " + db->path + ": " + why};
    }
    return db;
  };
  if (!country_db.empty()) {
    auto db = open_one(country_db, "country_db");
    if (!db) return db.failure();
    g->country_ = std::move(*db);
  }
  if (!asn_db.empty()) {
    auto db = open_one(asn_db, "asn_db");
    if (!db) return db.failure();
    g->asn_ = std::move(*db);
  }
  return g;
}

network geoip::lookup(std::string_view ip) const {
  network n;
  if (country_) {
    if (auto e = find(country_->mmdb, ip)) {
      // GeoLite2 and DB-IP: where the address is used, else where its block is registered;
      // IPinfo: country_code.
      if (auto v = first_of(*e, {{"country", "iso_code"}, {"registered_country", "iso_code"}, {"country_code"}}))
        n.country = country_code(text_of(*v));
    }
  }
  if (asn_) {
    if (auto e = find(asn_->mmdb, ip)) {
      if (auto v = first_of(*e, {{"autonomous_system_number"}, {"asn"}})) n.asn = asn_of(*v);
      if (auto v = first_of(*e, {{"autonomous_system_organization"}, {"as_name"}})) n.as_org = text_of(*v);
      if (n.as_org.size() > kOrgBytes) n.as_org.resize(kOrgBytes);  // the store fits it to UTF-8
      if (n.asn == 0) n.as_org.clear();
    }
  }
  return n;
}

std::string geoip::describe() const {
  std::string out;
  for (const auto* db : {country_.get(), asn_.get()}) {
    if (!db) continue;
    if (!out.empty()) out += ", ";
    out += db->mmdb.metadata.database_type ? db->mmdb.metadata.database_type : "unnamed";
    out += " built " + format_rfc3339(static_cast<Micros>(db->mmdb.metadata.build_epoch) * kMicrosPerSecond, false).substr(0, 10);
    out += " (" + db->path + ")";
  }
  return out;
}

}  // namespace spampot::enrich
