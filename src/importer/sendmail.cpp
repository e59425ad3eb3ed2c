// sendmail: "QID: from=<a@b>, size=N, class=0, nrcpts=N, msgid=<id>, proto=ESMTP, daemon=MTA,
// relay=name [ip] (may be forged)", "QID: to=<x>,<y>, ctladdr=..., stat=Sent", ruleset rejects
// ("ruleset=check_rcpt, arg1=<x>, relay=..., reject=550 ..."), "lost input channel from ..." and
// "... did not issue MAIL/EXPN/VRFY/ETRN during connection to MTA".
#include "importer/fields.hpp"
#include "importer/parsers.hpp"

namespace spampot::importer {
namespace {

// sendmail's relay= value runs to the next ", " and may hold spaces ("name [ip] (may be forged)").
void take_relay(std::string_view msg, log_event& e) {
  const auto at = msg.find("relay=");
  if (at == std::string_view::npos) return;
  std::string_view v = msg.substr(at + 6);
  v = v.substr(0, v.find(", "));
  if (auto c = parse_client(v)) {
    e.client_name = c->name;
    e.client_ip = c->ip;
  }
}

}  // namespace

log_event parse_sendmail(std::string_view msg) {
  log_event e;
  auto qid = take_queue_id(msg);
  if (!qid) return e;
  e.queue_id = std::string(*qid);
  if (msg.starts_with("from=")) {
    e.kind = event_kind::from;
    std::string_view v = msg.substr(5);
    e.sender = strip_brackets(v.substr(0, v.find(", ")));
    e.has_sender = true;
    if (auto s = field(msg, "size=")) e.size = std::strtoull(s->c_str(), nullptr, 10);
    if (auto m = field(msg, "msgid=")) e.message_id = "<" + *m + ">";
    take_relay(msg, e);
  } else if (msg.starts_with("to=")) {
    e.kind = event_kind::to;
    std::string_view list = msg.substr(3);
    list = list.substr(0, list.find(", "));
    while (!list.empty()) {
      const auto comma = list.find(',');
      const std::string one = strip_brackets(list.substr(0, comma));
      if (!one.empty()) e.recipients.push_back(one);
      list.remove_prefix(comma == std::string_view::npos ? list.size() : comma + 1);
    }
  } else if (msg.starts_with("ruleset=") && msg.find("reject=") != std::string_view::npos) {
    e.kind = event_kind::reject;
    take_relay(msg, e);
    const auto arg = field(msg, "arg1=").value_or("");
    if (msg.starts_with("ruleset=check_mail")) {
      e.sender = arg;
      e.has_sender = true;
    } else if (msg.starts_with("ruleset=check_rcpt")) {
      e.recipients.push_back(arg);
    }
    e.reply = std::string(msg.substr(msg.find("reject=") + 7));
  } else if (msg.starts_with("lost input channel from ")) {
    e.kind = event_kind::lost;
    std::string_view v = msg.substr(24);
    if (auto c = parse_client(v.substr(0, v.find(" to ")))) {
      e.client_name = c->name;
      e.client_ip = c->ip;
    }
    e.reply = std::string(msg);
  } else if (const auto did = msg.find(" did not issue "); did != std::string_view::npos) {
    e.kind = event_kind::lost;
    if (auto c = parse_client(msg.substr(0, did))) {
      e.client_name = c->name;
      e.client_ip = c->ip;
    }
    e.reply = std::string(msg);
  }
  return e;
}

}  // namespace spampot::importer
