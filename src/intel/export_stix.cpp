#include "base/ascii.hpp"
#include "base/digest.hpp"
#include "intel/export_format.hpp"

namespace spampot::intel {
namespace {

// A name-based UUID (RFC 9562 version 5, SHA-1) under a namespace of spampot's own, so the same
// entry keeps the same indicator id from one export to the next and platforms update it.
std::string uuid5(std::string_view name) {
  static constexpr unsigned char kNamespace[16] = {0x6b, 0x1c, 0x2e, 0x0f, 0x52, 0x8a, 0x4d, 0x3e,
                                                   0x9b, 0x70, 0x1e, 0x5a, 0x7c, 0x33, 0x90, 0x41};
  std::string input(reinterpret_cast<const char*>(kNamespace), 16);
  input += name;
  std::string md = digest(input, digest_kind::sha1);
  md[6] = static_cast<char>((md[6] & 0x0f) | 0x50);
  md[8] = static_cast<char>((md[8] & 0x3f) | 0x80);
  const std::string h = hex_lower(reinterpret_cast<const unsigned char*>(md.data()), 16);
  return h.substr(0, 8) + "-" + h.substr(8, 4) + "-" + h.substr(12, 4) + "-" + h.substr(16, 4) +
         "-" + h.substr(20);
}

// STIX timestamps are RFC 3339 in UTC; millisecond precision for created/modified.
std::string stamp(Micros t) {
  const std::string s = format_rfc3339(t - t % 1000, true);  // ...SS.uuuuuuZ
  return s.substr(0, s.size() - 4) + "Z";
}

// A STIX pattern string. Entries with a quote are left out of the bundle (see export_stix), so
// there is nothing to escape.
std::string stix_string(std::string_view v) {
  return "'" + std::string(v) + "'";
}

std::string pattern(const listed_entry& e, listing_what w) {
  switch (w) {
    case listing_what::ips:
    case listing_what::harvesters: {
      const auto net = cidr::parse(e.entry);
      const bool v4 = net && net->first().is_v4();
      return std::string("[") + (v4 ? "ipv4-addr" : "ipv6-addr") +
             ":value = " + stix_string(e.entry) + "]";
    }
    case listing_what::senders:
      return "[email-addr:value = " + stix_string(e.entry) + "]";
    case listing_what::domains:
    case listing_what::url_domains:
      return "[domain-name:value = " + stix_string(e.entry) + "]";
  }
  return "";
}

}  // namespace

// A bundle with one identity (spampot, the producer) and an indicator per entry, valid from its
// first sighting until its last plus the expiry of the listing policy. Objects are written as
// text one by one: entries are printable ASCII without quotes or backslashes (map_safe), and the
// reasons are ours, so nothing needs JSON escaping, and a million indicators stream.
Status export_stix(entry_source& entries, const export_meta& m,
                   export_sink& out) {
  const std::string now = stamp(m.generated_at);
  const std::string identity = "identity--" + uuid5("identity:spampot");
  const std::string what(to_string(m.what));
  out += "{\n  \"type\": \"bundle\",\n  \"id\": \"bundle--" +
         uuid5("bundle:" + m.list + ":" + now) + "\",\n  \"objects\": [\n";
  out += "    {\"type\": \"identity\", \"spec_version\": \"2.1\", \"id\": \"" + identity +
         "\", \"created\": \"" + stamp(0) + "\", \"modified\": \"" + stamp(0) +
         "\", \"name\": \"spampot\", \"identity_class\": \"system\"}";
  for (const auto& e : entries) {
    if (!map_safe(e.entry) || e.entry.find('\'') != std::string::npos) continue;
    std::string o =
        ",\n    {\"type\": \"indicator\", \"spec_version\": \"2.1\", \"id\": \"indicator--" +
        uuid5(what + ":" + e.entry) + "\", \"created_by_ref\": \"" + identity +
        "\", \"created\": \"" + now + "\", \"modified\": \"" + now + "\", \"name\": \"spampot " +
        m.list + ": " + e.entry + "\", \"description\": \"Spam trap sightings: " + e.reason +
        "\", \"indicator_types\": [\"malicious-activity\"], \"pattern\": \"" + pattern(e, m.what) +
        "\", \"pattern_type\": \"stix\", \"valid_from\": \"" + stamp(e.first_seen) + "\"";
    if (m.expire_after > 0)
      o += ", \"valid_until\": \"" +
           stamp(std::max(e.last_seen + m.expire_after, e.first_seen + 1000)) + "\"";
    out += o + ", \"labels\": [\"spam\"]}";
  }
  out += "\n  ]\n}\n";
  return {};
}

}  // namespace spampot::intel
