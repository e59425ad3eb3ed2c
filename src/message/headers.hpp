// The header fields the index keeps for every message, as written (unfolded, not decoded): the
// raw text is what an analyst greps for and what spamware templates repeat byte for byte.
// A push-free, single-pass scan over the header block: it stops at the first empty line, takes the
// first occurrence of each field, and bounds each value (kIndexedHeaderBytes).
#pragma once

#include <string>
#include <string_view>

namespace spampot::message {

struct basic_headers {
  std::string message_id;
  std::string date;
  std::string subject;
  std::string from;
};

basic_headers extract_basic_headers(std::string_view raw);

}  // namespace spampot::message
