// Text of a declared charset to UTF-8. Charset names go through GMime's table of aliases (so
// "iso-8859-8-i", "x-sjis" or "ks_c_5601-1987" find their converter); bytes that are not what
// they claim, or of an unknown charset, fall back the way mail clients do.
#pragma once

#include <string>
#include <string_view>

namespace spampot::message {

// `charset` empty: the bytes are kept when they are UTF-8, else read as Windows-1252.
std::string to_utf8(std::string_view bytes, std::string_view charset);

// GMime's one-time global set-up (its charset tables included), before any GMime call.
void init_gmime();

}  // namespace spampot::message
