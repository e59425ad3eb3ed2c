// Reading one Received: field (RFC 5321 §4.4) as MTAs really write it: Postfix, Sendmail, Exim,
// qmail and Exchange each put the sender's HELO, name and address in their own order inside
// comments. Pure text work: the date is returned as written for the caller to parse.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "message/message.hpp"

namespace spampot::message {

struct received_text {
  received_hop hop;  // `at` is left empty
  std::string date;  // the text after the last ';'
};

// `value` is the field's unfolded value.
received_text parse_received(std::string_view value);

// The earliest (lowest) hop's address that is globally routable: where the chain claims the
// message entered the Internet. Empty when no hop names one.
std::string first_external_ip(const std::vector<received_hop>& hops_latest_first);

// False for loopback, private, shared (CGNAT), link-local, documentation, multicast and other
// special-purpose ranges (RFC 6890), in both families.
bool is_public_ip(std::string_view text);

}  // namespace spampot::message
