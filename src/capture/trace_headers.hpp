// The headers an MTA's final delivery prepends (Return-Path, X-Original-To, Received), so that a
// captured message opened in a mail reader carries its envelope and where it came from.
#pragma once

#include <string>
#include <string_view>

#include "capture/records.hpp"

namespace spampot::capture {

// The header lines to put before the raw message, ending in the message's own line ending style
// (bare LF if it used bare LF) so the result stays consistent.
std::string trace_headers(const message_envelope& e, std::string_view body);

// trace_headers(e, body) + body.
std::string delivered_form(const message_envelope& e, std::string_view body);

}  // namespace spampot::capture
