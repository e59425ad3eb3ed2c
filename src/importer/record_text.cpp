#include "importer/record_text.hpp"

#include "base/escape.hpp"

namespace spampot::importer {

std::string to_text(const import_record& r) {
  std::string out = r.reject ? "reject" : "message";
  out += " " + format_rfc3339(r.time, false);
  out += " " + std::string(to_string(r.from_mta));
  out += " host=" + escape_bytes(r.host);
  if (!r.queue_id.empty()) out += " qid=" + escape_bytes(r.queue_id);
  if (!r.client_ip.empty()) out += " client=" + escape_bytes(r.client_name) + "[" + r.client_ip + "]";
  if (!r.helo.empty()) out += " helo=" + escape_bytes(r.helo);
  if (!r.reject || !r.sender.empty()) out += " from=<" + escape_bytes(r.sender) + ">";
  if (!r.recipients.empty()) {
    out += " to=";
    for (std::size_t i = 0; i < r.recipients.size(); ++i) out += (i ? ",<" : "<") + escape_bytes(r.recipients[i]) + ">";
  }
  if (r.size > 0) out += " size=" + std::to_string(r.size);
  if (!r.message_id.empty()) out += " msgid=" + escape_bytes(r.message_id);
  if (!r.subject.empty()) out += " subject=\"" + escape_bytes(r.subject) + "\"";
  if (!r.reply.empty()) out += " reply=\"" + escape_bytes(r.reply) + "\"";
  out += " line=" + std::to_string(r.source_line);
  return out;
}

}  // namespace spampot::importer
