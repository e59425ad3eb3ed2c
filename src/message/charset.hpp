// Text of a declared charset to UTF-8. Charset names go through GMime's table of aliases (so
// "iso-8859-8-i", "x-sjis" or "ks_c_5601-1987" find their converter); bytes that are not what
// they claim, or of an unknown charset, fall back the way mail clients do.
#pragma once

#include <string>
#include <string_view>

namespace spampot::message {

// `charset` empty: the bytes are kept when they are UTF-8, else read as Windows-1252.
std::string to_utf8(std::string_view bytes, std::string_view charset);

// Text of a declared charset, as mail readers decode it: legacy charsets as their supersets
// (GB2312 and GBK as GB18030, Shift_JIS as CP932, EUC-KR as CP949), ISO-2022-JP with Microsoft's
// CP5022x extensions; what cannot be converted becomes U+FFFD and `ok` false.
std::string decode_charset(std::string_view bytes, std::string_view charset, bool& ok);
std::string convert_replacing(std::string_view bytes, const char* from, bool& ok);

// Header text written without encoded words: ISO-2022-JP when it carries its escape sequences,
// else UTF-8 when it is, else in the charset the message declares (its own or its first text
// part's), else Windows-1252, as mail readers read it.
std::string header_text_8bit(std::string_view bytes, std::string_view declared);

// GMime's one-time global set-up (its charset tables included), before any GMime call.
void init_gmime();

}  // namespace spampot::message
