// RFC 2047 encoded words in unstructured header text (Subject, X-Mailer...), decoded to UTF-8.
// Ours rather than GMime's: GMime 3.2 joins the base64 of adjacent words before decoding, so a
// padded word ("TXlTdXJ2ZXk=") ends the text and the words after it are lost. Each word is
// decoded on its own here; adjacent words of one charset are joined as bytes before conversion,
// so a character split across two words comes out whole.
#pragma once

#include <string>
#include <string_view>

namespace spampot::message {

// `declared`: the charset the message declares, for text written without encoded words
// (message/charset.hpp, header_text_8bit). An encoded word is converted from its own charset,
// what cannot be converted becoming U+FFFD.
std::string decode_header_text(std::string_view raw, std::string_view declared = "");

}  // namespace spampot::message
