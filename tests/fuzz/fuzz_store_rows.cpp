// Fuzzes the way from a captured message's bytes to the values the store writes: the envelope
// through the journal's codec, the message through forensics and row building (pipeline/rows),
// then fitting (store/columns). Whatever arrives, every text value the store would write is
// well-formed UTF-8 without NUL and fits its column: a hostile message can fail no statement.
//
// Input: "HELO\nMAIL FROM\nRCPT TO\n" then the message; each envelope line may hold any byte.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "base/utf8.hpp"
#include "capture/reader.hpp"
#include "capture/records.hpp"
#include "pipeline/rows.hpp"
#include "store/columns.hpp"
#include "store/forensics.hpp"
#include "store/records.hpp"

namespace {

using namespace spampot;

void check(std::string_view table, std::string_view column, const std::string& value) {
  if (!is_utf8(value) || value.find('\0') != std::string::npos) std::abort();
  if (value.size() > store::column_width(table, column)) std::abort();
}

std::string_view line(std::string_view& in) {
  const auto nl = in.find('\n');
  const std::string_view l = in.substr(0, nl);
  in.remove_prefix(nl == std::string_view::npos ? in.size() : nl + 1);
  return l;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view in(reinterpret_cast<const char*>(data), size);
  capture::message_envelope env;
  env.id = "1K1FUZZ0000000000000";
  env.session_id = "1K1FUZZ0000000000001";
  env.sensor = "fuzz";
  env.received_at = 1'700'000'000'000'000;
  env.conn.client_ip = "192.0.2.1";
  env.helo = line(in);
  env.mail_from = line(in);
  env.rcpt_to = {std::string(line(in))};
  capture::entry e;
  e.rec = {capture::record_type::message, capture::to_json(env), std::string(in)};
  auto got = pipeline::message_from(e);
  if (!got) return 0;  // an envelope the codec refuses is a damaged record, never a store error

  const store::message_row m = store::fitted(got->row);
  for (const auto& [column, value] :
       {std::pair{"helo", &m.helo}, {"mail_from", &m.mail_from}, {"mail_from_domain", &m.mail_from_domain},
        {"message_id", &m.message_id}, {"date", &m.date}, {"subject", &m.subject}, {"from_header", &m.from},
        {"flags", &m.flags}, {"problems", &m.problems}})
    check("messages", column, *value);
  for (const auto& r : m.rcpt_to) check("message_recipients", "address", r);

  const store::message_details d = store::fitted(got->details);
  for (const auto& [column, value] :
       {std::pair{"subject", &d.subject}, {"from_name", &d.from_name}, {"from_address", &d.from_address},
        {"reply_to_name", &d.reply_to_name}, {"reply_to_address", &d.reply_to_address},
        {"message_id", &d.message_id}, {"date_problems", &d.date_problems},
        {"first_external_ip", &d.first_external_ip}, {"body_fuzzy", &d.body_fuzzy}, {"problems", &d.problems},
        {"headers", &d.headers}})
    check("message_details", column, *value);
  for (const auto& u : d.urls) {
    check("message_urls", "url", u.url);
    check("message_urls", "host", u.host);
    check("message_urls", "domain", u.domain);
  }
  for (const auto& a : d.attachments) {
    check("message_attachments", "name", a.name);
    check("message_attachments", "declared_type", a.declared_type);
    check("message_attachments", "sniffed_type", a.sniffed_type);
    check("message_attachments", "disposition", a.disposition);
  }
  for (const auto& h : d.received) {
    check("received_hops", "from_name", h.from_name);
    check("received_hops", "by_name", h.by_name);
    check("received_hops", "protocol", h.protocol);
    check("received_hops", "hop_id", h.id);
    check("received_hops", "raw", h.raw);
  }
  return 0;
}
