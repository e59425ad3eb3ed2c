// What message forensics found in a captured message, as the store keeps it beside the message
// row (store/forensics_store.cpp): decoded headers, the Received chain, URLs, attachments and
// the body fingerprint with its campaign. Imported maillog records have none.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "base/time.hpp"

namespace spampot::store {

struct url_row {
  std::string url, host, domain, source;
};

struct attachment_row {
  std::string name, declared_type, sniffed_type, disposition;
  std::uint64_t size = 0;
  std::string md5, sha1, sha256;
};

struct hop_row {
  std::string from_name, from_ip, by_name, protocol, id;
  Micros at = 0;  // 0: the hop's date was missing or unreadable
  std::string raw;
};

struct message_details {
  std::string id;  // the message's
  std::string subject;  // decoded
  std::string from_name, from_address, reply_to_name, reply_to_address;
  std::string message_id;          // normalised
  std::string message_id_problem;  // "", missing, malformed
  Micros date_utc = 0;             // meaningful when date_problems has neither missing nor unparseable
  std::string date_problems;       // comma-separated
  std::string first_external_ip;
  std::string origin_country;  // its network ([geoip]), like the client's
  std::uint32_t origin_asn = 0;
  std::string origin_as_org;
  std::string body_sha256, body_fuzzy;
  std::string campaign;  // the id of the campaign's first message; "" without a text body
  std::string problems;  // comma-separated
  std::string headers;   // JSON array of {name, raw, value}
  std::vector<url_row> urls;
  std::vector<attachment_row> attachments;
  std::vector<hop_row> received;  // topmost first

  bool has_date() const {
    return date_problems.find("missing") == std::string::npos &&
           date_problems.find("unparseable") == std::string::npos;
  }
};

// A campaign as `report campaigns` shows it.
struct campaign_stat {
  std::string id;
  std::uint64_t messages = 0;
  Micros first_seen = 0, last_seen = 0;
  std::string subject;  // of its first message
  std::uint64_t ips = 0, senders = 0;
};

struct campaign_candidate {
  std::string id, fuzzy;
};

}  // namespace spampot::store
