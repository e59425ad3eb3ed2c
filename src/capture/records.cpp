#include "capture/records.hpp"

#include <nlohmann/json.hpp>

#include "base/utf8.hpp"

namespace spampot::capture {

using nlohmann::json;

namespace {

void put_peer(json& j, const peer& p) {
  j["client_ip"] = p.client_ip;
  j["client_port"] = p.client_port;
  j["server_ip"] = p.server_ip;
  j["server_port"] = p.server_port;
}

void get_peer(const json& j, peer& p) {
  p.client_ip = j.value("client_ip", "");
  p.client_port = j.value("client_port", std::uint16_t{0});
  p.server_ip = j.value("server_ip", "");
  p.server_port = j.value("server_port", std::uint16_t{0});
}

// Peer text (HELO, envelope addresses) is kept byte for byte: as a JSON string when it is UTF-8,
// else as {"hex": "..."}, which JSON can carry whatever the bytes.
json bytes_value(std::string_view s) {
  if (is_utf8(s)) return std::string(s);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string hex;
  for (unsigned char c : s) {
    hex += kHex[c >> 4];
    hex += kHex[c & 15];
  }
  return json{{"hex", hex}};
}

std::string bytes_of(const json& v) {
  if (v.is_string()) return v.get<std::string>();
  if (!v.is_object() || !v.contains("hex")) return "";
  const std::string hex = v.at("hex").get<std::string>();
  std::string out;
  for (std::size_t i = 0; i + 1 < hex.size(); i += 2)
    out += static_cast<char>(std::stoi(hex.substr(i, 2), nullptr, 16));
  return out;
}

std::string bytes_at(const json& j, const char* key) {
  return j.contains(key) ? bytes_of(j.at(key)) : "";
}

// Peer bytes are not always UTF-8; the journal must keep them anyway. nlohmann::json refuses
// invalid UTF-8 on dump, so dump with replacement only as a last resort: the raw message is
// the evidence, and it is in the record's body, untouched.
std::string dump(const json& j) {
  return j.dump(-1, ' ', false, json::error_handler_t::replace);
}

}  // namespace

std::string to_json(const message_envelope& e) {
  json j;
  j["id"] = e.id;
  j["session_id"] = e.session_id;
  j["sensor"] = e.sensor;
  j["server_name"] = e.server_name;
  j["received_at"] = e.received_at;
  put_peer(j, e.conn);
  j["helo"] = bytes_value(e.helo);
  j["helo_verb"] = e.helo_verb;
  j["mail_from"] = bytes_value(e.mail_from);
  j["mail_params"] = json::array();
  for (const auto& [k, v] : e.mail_params)
    j["mail_params"].push_back({bytes_value(k), bytes_value(v)});
  j["rcpt_to"] = json::array();
  for (const auto& r : e.rcpt_to) j["rcpt_to"].push_back(bytes_value(r));
  j["relay_attempt"] = e.relay_attempt;
  j["bare_lf"] = e.bare_lf;
  j["long_lines"] = e.long_lines;
  j["nul_bytes"] = e.nul_bytes;
  j["eight_bit"] = e.eight_bit;
  j["chunked"] = e.chunked;
  return dump(j);
}

std::string to_json(const session_record& s) {
  json j;
  j["id"] = s.id;
  j["sensor"] = s.sensor;
  j["started_at"] = s.started_at;
  j["ended_at"] = s.ended_at;
  put_peer(j, {s.client_ip, s.client_port, s.server_ip, s.server_port});
  j["helo"] = bytes_value(s.helo);
  j["helo_verb"] = s.helo_verb;
  j["end_reason"] = s.end_reason;
  j["commands"] = s.commands;
  j["messages"] = s.messages;
  j["errors"] = s.errors;
  j["recipients"] = json::array();
  for (const auto& r : s.recipients) {
    json rj = {{"address", bytes_value(r.address)},
               {"accepted", r.accepted},
               {"relay", r.relay},
               {"reply", r.reply}};
    if (!r.greylist.empty()) {
      rj["greylist"] = r.greylist;
      rj["sender"] = bytes_value(r.sender);
      rj["held_since"] = r.held_since;
    }
    j["recipients"].push_back(std::move(rj));
  }
  j["violations"] = json::array();
  for (const auto& v : s.violations)
    j["violations"].push_back({{"at", v.at}, {"kind", v.kind}, {"detail", v.detail}});
  j["auth_attempts"] = json::array();
  for (const auto& a : s.auth_attempts)
    j["auth_attempts"].push_back({{"at", a.at},
                                  {"mechanism", bytes_value(a.mechanism)},
                                  {"username", bytes_value(a.username)},
                                  {"password", bytes_value(a.password)}});
  j["senders"] = json::array();
  for (const auto& a : s.senders) j["senders"].push_back(bytes_value(a));
  if (!s.tls_version.empty()) {
    j["tls"] = {{"version", s.tls_version},
                {"cipher", s.tls_cipher},
                {"sni", bytes_value(s.tls_sni)},
                {"ja3", s.ja3},
                {"ja4", s.ja4}};
  }
  if (!s.ptr.empty() || !s.dns_error.empty())
    j["rdns"] = {{"ptr", bytes_value(s.ptr)}, {"fcrdns", s.fcrdns}, {"error", s.dns_error}};
  if (!s.fingerprint.empty()) j["behaviour"] = {{"fingerprint", s.fingerprint}, {"features", s.behaviour}};
  if (!s.tarpit.empty()) j["tarpit"] = {{"by", s.tarpit}, {"micros", s.tarpit_micros}};
  j["transcript"] = s.transcript;
  j["transcript_dropped"] = s.transcript_dropped;
  j["recipients_dropped"] = s.recipients_dropped;
  return dump(j);
}

std::string to_json(const http_log& h) {
  json j;
  j["id"] = h.id;
  j["sensor"] = h.sensor;
  j["at"] = h.at;
  put_peer(j, h.conn);
  j["method"] = bytes_value(h.method);
  j["target"] = bytes_value(h.target);
  j["version"] = h.version;
  j["host"] = bytes_value(h.host);
  j["user_agent"] = bytes_value(h.user_agent);
  j["referer"] = bytes_value(h.referer);
  j["status"] = h.status;
  j["problem"] = h.problem;
  if (!h.seed.empty()) j["seed"] = {{"address", h.seed}, {"domain", h.seed_domain}, {"label", h.seed_label}};
  return dump(j);
}

Result<http_log> parse_http(std::string_view text) {
  const json j = json::parse(text, nullptr, false);
  if (j.is_discarded() || !j.is_object()) return Error{"HTTP request log is not a JSON object"};
  try {
    http_log h;
    h.id = j.at("id").get<std::string>();
    h.sensor = j.value("sensor", "");
    h.at = j.at("at").get<Micros>();
    get_peer(j, h.conn);
    h.method = bytes_at(j, "method");
    h.target = bytes_at(j, "target");
    h.version = j.value("version", "");
    h.host = bytes_at(j, "host");
    h.user_agent = bytes_at(j, "user_agent");
    h.referer = bytes_at(j, "referer");
    h.status = j.value("status", 0);
    h.problem = j.value("problem", "");
    if (const auto s = j.find("seed"); s != j.end() && s->is_object()) {
      h.seed = s->value("address", "");
      h.seed_domain = s->value("domain", "");
      h.seed_label = s->value("label", "");
    }
    return h;
  } catch (const json::exception& ex) {
    return Error{std::string("bad HTTP request log: ") + ex.what()};
  }
}

Result<message_envelope> parse_envelope(std::string_view text) {
  const json j = json::parse(text, nullptr, false);
  if (j.is_discarded() || !j.is_object()) return Error{"envelope is not a JSON object"};
  try {
    message_envelope e;
    e.id = j.at("id").get<std::string>();
    e.session_id = j.value("session_id", "");
    e.sensor = j.value("sensor", "");
    e.server_name = j.value("server_name", "");
    e.received_at = j.at("received_at").get<Micros>();
    get_peer(j, e.conn);
    e.helo = bytes_at(j, "helo");
    e.helo_verb = j.value("helo_verb", "");
    e.mail_from = bytes_at(j, "mail_from");
    for (const auto& p : j.value("mail_params", json::array()))
      e.mail_params.emplace_back(bytes_of(p.at(0)), bytes_of(p.at(1)));
    for (const auto& r : j.value("rcpt_to", json::array())) e.rcpt_to.push_back(bytes_of(r));
    e.relay_attempt = j.value("relay_attempt", false);
    e.bare_lf = j.value("bare_lf", false);
    e.long_lines = j.value("long_lines", false);
    e.nul_bytes = j.value("nul_bytes", false);
    e.eight_bit = j.value("eight_bit", false);
    e.chunked = j.value("chunked", false);
    return e;
  } catch (const json::exception& ex) {
    return Error{std::string("bad envelope: ") + ex.what()};
  }
}

Result<session_record> parse_session(std::string_view text) {
  const json j = json::parse(text, nullptr, false);
  if (j.is_discarded() || !j.is_object()) return Error{"session log is not a JSON object"};
  try {
    session_record s;
    s.id = j.at("id").get<std::string>();
    s.sensor = j.value("sensor", "");
    s.started_at = j.at("started_at").get<Micros>();
    s.ended_at = j.value("ended_at", s.started_at);
    peer conn;
    get_peer(j, conn);
    s.client_ip = conn.client_ip;
    s.client_port = conn.client_port;
    s.server_ip = conn.server_ip;
    s.server_port = conn.server_port;
    s.helo = bytes_at(j, "helo");
    s.helo_verb = j.value("helo_verb", "");
    s.end_reason = j.value("end_reason", "");
    s.commands = j.value("commands", 0u);
    s.messages = j.value("messages", 0u);
    s.errors = j.value("errors", 0u);
    for (const auto& r : j.value("recipients", json::array()))
      s.recipients.push_back({bytes_at(r, "address"), "", r.value("accepted", false),
                              r.value("relay", false), r.value("reply", ""),
                              r.value("greylist", ""), bytes_at(r, "sender"),
                              r.value("held_since", Micros{0})});
    if (const auto b = j.find("behaviour"); b != j.end() && b->is_object()) {
      s.fingerprint = b->value("fingerprint", "");
      s.behaviour = b->value("features", "");
    }
    if (const auto t = j.find("tarpit"); t != j.end() && t->is_object()) {
      s.tarpit = t->value("by", "");
      s.tarpit_micros = t->value("micros", Micros{0});
    }
    for (const auto& v : j.value("violations", json::array()))
      s.violations.push_back(
          {v.value("at", Micros{0}), v.value("kind", ""), v.value("detail", "")});
    for (const auto& a : j.value("auth_attempts", json::array()))
      s.auth_attempts.push_back({a.value("at", Micros{0}), bytes_at(a, "mechanism"),
                                 bytes_at(a, "username"), bytes_at(a, "password")});
    for (const auto& a : j.value("senders", json::array())) s.senders.push_back(bytes_of(a));
    if (const auto t = j.find("tls"); t != j.end() && t->is_object()) {
      s.tls_version = t->value("version", "");
      s.tls_cipher = t->value("cipher", "");
      s.tls_sni = bytes_at(*t, "sni");
      s.ja3 = t->value("ja3", "");
      s.ja4 = t->value("ja4", "");
    }
    if (const auto d = j.find("rdns"); d != j.end() && d->is_object()) {
      s.ptr = bytes_at(*d, "ptr");
      s.fcrdns = d->value("fcrdns", false);
      s.dns_error = d->value("error", "");
    }
    s.transcript = j.value("transcript", "");
    s.transcript_dropped = j.value("transcript_dropped", std::uint64_t{0});
    s.recipients_dropped = j.value("recipients_dropped", std::uint32_t{0});
    return s;
  } catch (const json::exception& ex) {
    return Error{std::string("bad session log: ") + ex.what()};
  }
}

}  // namespace spampot::capture
