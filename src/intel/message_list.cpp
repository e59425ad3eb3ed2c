#include "intel/message_list.hpp"

#include <algorithm>

#include <nlohmann/json.hpp>

#include "base/escape.hpp"
#include "base/text_list.hpp"
#include "intel/table.hpp"
#include "intel/terminal_text.hpp"

namespace spampot::intel {

using json = nlohmann::ordered_json;

namespace {

json listings_json(const std::vector<store::dnsbl_state_row>& listings) {
  json arr = json::array();
  for (const auto& l : listings) {
    json x{{"list", l.list},
           {"status", l.last_answer.empty() ? "unanswered" : l.last_answer},
           {"last_checked_at", format_rfc3339(l.last_checked_at)}};
    if (l.first_listed_at > 0) {
      x["first_listed_at"] = format_rfc3339(l.first_listed_at);
      x["codes"] = l.codes;
      x["meaning"] = l.meaning;
      x["txt"] = l.txt;
    }
    if (!l.last_error.empty()) x["last_error"] = l.last_error;
    arr.push_back(std::move(x));
  }
  return arr;
}

json reputation_json(const client_reputation& r) {
  return json{{"ptr", r.ptr},
              {"fcrdns", r.fcrdns},
              {"dns_error", r.dns_error},
              {"listings", listings_json(r.listings)}};
}

// The DKIM signatures a row keeps as JSON; a list cut to fit its column reads as none (the row's
// problems say it was cut).
json signatures_of(const std::string& text) {
  json a = json::parse(text, nullptr, false);
  return a.is_array() ? a : json::array();
}

// Country and AS of an address ([geoip]); null where the databases did not say (or none was given).
json network_json(const std::string& country, std::uint32_t asn, const std::string& as_org) {
  return json{{"country", country.empty() ? json(nullptr) : json(country)},
              {"asn", asn == 0 ? json(nullptr) : json(asn)},
              {"as_org", asn == 0 ? json(nullptr) : json(as_org)}};
}

// What forensics found, over the raw header values the row carries.
void add_details(json& j, const store::message_row& m, const store::message_details& d) {
  j["message_id"] = d.message_id;
  j["message_id_raw"] = m.message_id;
  j["message_id_problem"] = d.message_id_problem;
  j["date_utc"] = d.has_date() ? json(format_rfc3339(d.date_utc, false)) : json(nullptr);
  j["date_problems"] = split_list(d.date_problems, ',');
  j["from"] = {{"name", d.from_name}, {"address", d.from_address}, {"raw", m.from}};
  j["reply_to"] = {{"name", d.reply_to_name}, {"address", d.reply_to_address}};
  j["subject"] = d.subject;
  j["subject_raw"] = m.subject;
  j["received"] = json::array();
  for (const auto& h : d.received)
    j["received"].push_back({{"from_name", h.from_name},
                             {"from_ip", h.from_ip},
                             {"by_name", h.by_name},
                             {"protocol", h.protocol},
                             {"id", h.id},
                             {"at", h.at ? json(format_rfc3339(h.at, false)) : json(nullptr)}});
  j["first_external_ip"] = d.first_external_ip;
  j["first_external_network"] = network_json(d.origin_country, d.origin_asn, d.origin_as_org);
  j["urls"] = json::array();
  for (const auto& u : d.urls)
    j["urls"].push_back({{"url", u.url}, {"host", u.host}, {"domain", u.domain}, {"source", u.source}});
  j["attachments"] = json::array();
  for (const auto& a : d.attachments)
    j["attachments"].push_back({{"name", a.name},
                                {"type", a.declared_type},
                                {"sniffed_type", a.sniffed_type},
                                {"disposition", a.disposition},
                                {"size", a.size},
                                {"md5", a.md5},
                                {"sha1", a.sha1},
                                {"sha256", a.sha256}});
  j["body_sha256"] = d.body_sha256;
  j["body_fuzzy"] = d.body_fuzzy;
  j["campaign"] = d.campaign;
  // The parser's problems, then what the store did to fit the message row's values.
  auto problems = split_list(d.problems, ',');
  for (auto& p : split_list(m.problems, ','))
    if (std::find(problems.begin(), problems.end(), p) == problems.end()) problems.push_back(std::move(p));
  j["problems"] = problems;
}

// How a message came, in one look: the session's greeting, TLS, AUTH tried and reverse DNS.
json session_summary(const session_record& s) {
  json auth = json::array();
  for (const auto& a : s.auth_attempts)
    auth.push_back({{"mechanism", a.mechanism}, {"username", a.username}, {"password", a.password}});
  json j{{"id", s.id},
         {"helo_verb", s.helo_verb},
         {"helo", s.helo},
         {"tls", nullptr},
         {"auth_attempts", auth},
         {"ptr", s.ptr},
         {"fcrdns", s.fcrdns},
         {"end_reason", s.end_reason},
         {"fingerprint", s.fingerprint.empty() ? json(nullptr) : json(s.fingerprint)},
         {"violations", s.violations.size()}};
  if (!s.tls_version.empty())
    j["tls"] = {{"version", s.tls_version}, {"cipher", s.tls_cipher}, {"sni", s.tls_sni}, {"ja3", s.ja3}, {"ja4", s.ja4}};
  return j;
}

json to_object(const store::message_row& m, const message_extras* extras = nullptr) {
  json j{{"id", m.id},
              {"received_at", format_rfc3339(m.received_at)},
              {"sensor", m.sensor},
              {"session_id", m.session_id},
              {"client_ip", m.client_ip},
              {"client_port", m.client_port},
              {"client_network", network_json(m.country, m.asn, m.as_org)},
              // null: not evaluated (no [dns], an imported record, or not yet)
              {"spf", m.spf.empty() ? json(nullptr)
                                    : json{{"result", m.spf}, {"domain", m.spf_domain}, {"helo", m.spf_helo}}},
              {"dkim", m.dkim.empty() ? json(nullptr)
                                      : json{{"result", m.dkim}, {"signatures", signatures_of(m.dkim_signatures)}}},
              {"dmarc", m.dmarc.empty() ? json(nullptr)
                                        : json{{"result", m.dmarc},
                                               {"policy", m.dmarc_policy},
                                               {"from_domain", m.dmarc_domain},
                                               {"aligned", split_list(m.dmarc_alignment, ',')}}},
              {"helo", m.helo},
              {"mail_from", m.mail_from},
              {"rcpt_to", m.rcpt_to},
              {"message_id", m.message_id},
              {"date", m.date},
              {"from", m.from},
              {"subject", m.subject},
              {"size", m.size},
              {"sha256", m.sha256},
              {"relay_attempt", m.relay_attempt},
              {"flags", m.flags},
              {"imported", m.imported},
              {"source", m.source},
              {"problems", split_list(m.problems, ',')}};
  if (extras) {
    if (extras->details) add_details(j, m, *extras->details);
    j["client_dns"] = reputation_json(extras->dns);
    if (extras->session) j["session"] = session_summary(*extras->session);
    if (extras->raw_expired)
      j["raw_expired"] = {{"expired_at", format_rfc3339(extras->raw_expired->expired_at, false)},
                          {"reason", extras->raw_expired->reason},
                          {"spool_segment", extras->raw_expired->segment}};
  }
  return j;
}

// The Subject a person reads: decoded when forensics ran, else as written.
const std::string& subject_of(const store::message_row& m, const std::vector<message_extras>* extras,
                              std::size_t i) {
  if (extras && i < extras->size() && (*extras)[i].details) return (*extras)[i].details->subject;
  return m.subject;
}

std::string dump(const json& j, int indent) {
  return j.dump(indent, ' ', false, json::error_handler_t::replace);
}

}  // namespace

Result<list_format> parse_list_format(std::string_view name) {
  if (name == "table") return list_format::table;
  if (name == "csv") return list_format::csv;
  if (name == "json") return list_format::json;
  return Error{"unknown format '" + std::string(name) + "' (use table, csv or json)"};
}

Result<message_extras> message_extras_of(store::store& st, const store::message_row& m,
                                         extras_scope scope) {
  message_extras x;
  if (!m.imported) {
    auto d = st.find_details(m.id);
    if (!d) return Error{d.error()};
    x.details = std::move(*d);
  }
  if (scope == extras_scope::details) return x;
  client_reputation& r = x.dns;
  if (scope == extras_scope::everything && !m.imported) {
    auto e = st.expired_segment(m.sensor, m.spool_segment);
    if (!e) return e.failure();
    x.raw_expired = std::move(*e);
  }
  if (scope == extras_scope::everything && !m.session_id.empty()) {
    // The whole session, which carries its reverse DNS too.
    auto s = st.find_session(m.session_id);
    if (!s) return s.failure();
    x.session = std::move(*s);
    if (x.session) {
      r.ptr = x.session->ptr;
      r.fcrdns = x.session->fcrdns;
      r.dns_error = x.session->dns_error;
    }
  } else if (!m.session_id.empty()) {
    auto d = st.session_dns(m.session_id);
    if (!d) return Error{d.error()};
    if (d->size() == 3) {
      r.ptr = (*d)[0];
      r.fcrdns = (*d)[1] == "1";
      r.dns_error = (*d)[2];
    }
  }
  auto l = st.dnsbl_entry(m.client_ip);
  if (!l) return Error{l.error()};
  r.listings = std::move(*l);
  return x;
}

std::string message_json(const store::message_row& m, const message_extras* extras) {
  json j = to_object(m, extras);
  if (extras && extras->details) {
    const json headers = json::parse(extras->details->headers, nullptr, false);
    j["headers"] = headers.is_array() ? headers : json::array();
  }
  return dump(j, 2) + "\n";
}

std::string session_json(const session_record& s,
                         const std::vector<store::dnsbl_state_row>& listings) {
  json j{{"id", s.id},
         {"sensor", s.sensor},
         {"started_at", format_rfc3339(s.started_at)},
         {"ended_at", format_rfc3339(s.ended_at)},
         {"client_ip", s.client_ip},
         {"client_port", s.client_port},
         {"client_network", network_json(s.country, s.asn, s.as_org)},
         {"server_ip", s.server_ip},
         {"server_port", s.server_port},
         {"helo", s.helo},
         {"helo_verb", s.helo_verb},
         {"end_reason", s.end_reason},
         {"commands", s.commands},
         {"messages", s.messages},
         {"errors", s.errors},
         {"imported", s.imported},
         {"source", s.source}};
  if (!s.tls_version.empty())
    j["tls"] = {{"version", s.tls_version},
                {"cipher", s.tls_cipher},
                {"sni", s.tls_sni},
                {"ja3", s.ja3},
                {"ja4", s.ja4}};
  j["client_dns"] = reputation_json({s.ptr, s.fcrdns, s.dns_error, listings});
  // The behavioural fingerprint and its features by name (null: not recorded, as for imports).
  j["behaviour"] = nullptr;
  if (!s.fingerprint.empty()) {
    json features = json::object();
    for (const auto& [name, value] : behaviour_features(s.behaviour)) features[std::string(name)] = std::string(value);
    j["behaviour"] = {{"fingerprint", s.fingerprint}, {"features", std::move(features)}};
  }
  j["tarpit"] = s.tarpit.empty() ? json(nullptr)
                                 : json{{"by", s.tarpit}, {"seconds", static_cast<double>(s.tarpit_micros) / 1e6}};
  j["recipients"] = json::array();
  for (const auto& r : s.recipients) {
    json rj{{"address", r.address}, {"accepted", r.accepted}, {"relay", r.relay}, {"reply", r.reply}};
    if (!r.greylist.empty())
      rj["greylist"] = {{"verdict", r.greylist}, {"sender", r.sender}, {"held_since", format_rfc3339(r.held_since)}};
    j["recipients"].push_back(std::move(rj));
  }
  j["auth_attempts"] = json::array();
  for (const auto& a : s.auth_attempts)
    j["auth_attempts"].push_back({{"at", format_rfc3339(a.at)},
                                  {"mechanism", a.mechanism},
                                  {"username", a.username},
                                  {"password", a.password}});
  j["violations"] = json::array();
  for (const auto& v : s.violations)
    j["violations"].push_back({{"at", format_rfc3339(v.at)}, {"kind", v.kind}, {"detail", v.detail}});
  return dump(j, 2) + "\n";
}

std::string render_messages(const std::vector<store::message_row>& rows, list_format f,
                            const std::vector<message_extras>* extras) {
  std::string out;
  switch (f) {
    case list_format::json: {
      json arr = json::array();
      for (std::size_t i = 0; i < rows.size(); ++i)
        arr.push_back(to_object(rows[i], extras && i < extras->size() ? &(*extras)[i] : nullptr));
      return dump(arr, 2) + "\n";
    }
    case list_format::csv:
      out =
          "id,received_at,sensor,client_ip,client_port,helo,mail_from,rcpt_to,message_id,subject,"
          "size,sha256,"
          "relay_attempt,country,asn\r\n";
      for (std::size_t i = 0; i < rows.size(); ++i) {
        const auto& m = rows[i];
        out += csv_field(m.id) + "," + format_rfc3339(m.received_at) + "," + csv_field(m.sensor) +
               "," + m.client_ip + "," + std::to_string(m.client_port) + "," + csv_field(m.helo) +
               "," + csv_field(m.mail_from) + "," + csv_field(join_list(m.rcpt_to, ' ')) + "," +
               csv_field(m.message_id) + "," + csv_field(subject_of(m, extras, i)) + "," + std::to_string(m.size) +
               "," + m.sha256 + "," + (m.relay_attempt ? "1" : "0") + "," + csv_field(m.country) + "," +
               (m.asn ? std::to_string(m.asn) : "") + "\r\n";
      }
      return out;
    case list_format::table:
      out = table_cell("ID", 19) + "  " + table_cell("RECEIVED (UTC)", 20) + "  " +
            table_cell("CLIENT", 15) + "  " + table_cell("MAIL FROM", 28) + "  " +
            table_cell("RCPT TO", 28) + "  SUBJECT\n";
      for (std::size_t i = 0; i < rows.size(); ++i) {
        const auto& m = rows[i];
        std::string rcpt = m.rcpt_to.empty() ? "" : m.rcpt_to.front();
        if (m.rcpt_to.size() > 1) rcpt += " +" + std::to_string(m.rcpt_to.size() - 1);
        out += table_cell(m.id, 19) + "  " + table_cell(format_rfc3339(m.received_at, false), 20) +
               "  " + table_cell(m.client_ip, 15) + "  " +
               table_cell(m.mail_from.empty() ? "<>" : m.mail_from, 28) + "  " +
               table_cell(rcpt, 28) + "  " + fit_columns(printable(subject_of(m, extras, i)), 60, false) + "\n";
      }
      out += std::to_string(rows.size()) + (rows.size() == 1 ? " message\n" : " messages\n");
      return out;
  }
  return out;
}

}  // namespace spampot::intel
