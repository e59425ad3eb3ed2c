// URLs a spam message points at: href and src attributes of HTML and URLs written out in text,
// normalised so that one landing page counts once whatever case or script its host was written in.
// The text given is already decoded (transfer encoding and charset): this is text work only.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "message/message.hpp"

namespace spampot::message {

// "HTTP://Bücher.Example/x" -> "http://xn--bcher-kva.example/x", with host and registrable
// domain; nullopt-like empty text when it is no http, https or ftp URL with a host.
url normalise_url(std::string_view text, std::string_view source);

// Append to `out` the URLs of a part, skipping ones already there, up to kUrlsPerMessage:
// those written out in a text part; and of an HTML part its href and src attributes, then those
// written out in `visible`, what the page shows (message::html_text of it).
void extract_urls(std::string_view text, std::vector<url>& out);
void extract_html_urls(std::string_view html, std::string_view visible, std::vector<url>& out);

}  // namespace spampot::message
