// One function per MTA: the message part of a log line (after the syslog framing) to an event.
// Pure, bounded by the line, never throws; a line they do not understand is `ignored`.
#pragma once

#include <optional>
#include <string_view>

#include "importer/events.hpp"

namespace spampot::importer {

// Which MTA wrote a line, from the syslog program name: "postfix/smtpd", "postfix-out/qmgr" ->
// postfix; "sendmail", "sm-mta", "sm-acceptingconnections" -> sendmail; "exim", "exim4" -> exim.
std::optional<mta> mta_of(std::string_view program);

log_event parse_postfix(std::string_view msg);
log_event parse_sendmail(std::string_view msg);
log_event parse_exim(std::string_view msg);

}  // namespace spampot::importer
