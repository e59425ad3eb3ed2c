// What an analyst pastes into a malware database about an attachment: its digests, and its type
// as libmagic reads it from the bytes (a ".pdf" that is an executable says so).
#pragma once

#include <string_view>

#include "message/message.hpp"

namespace spampot::message {

// Fills size, md5, sha1, sha256 and sniffed_type of `a` from the decoded content. `a.declared_type`
// is read: a part declared text/* whose bytes are text keeps that type without libmagic.
void describe_content(std::string_view bytes, attachment& a);

}  // namespace spampot::message
