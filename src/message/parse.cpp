// message::parse: GMime 3 reads the MIME tree and decodes headers (RFC 2047, RFC 2231, legacy
// charsets); the rest of the message layer works on the plain text it yields.
#include <gmime/gmime.h>

#include <algorithm>
#include <memory>

#include "base/ascii.hpp"
#include "base/limits.hpp"
#include "base/utf8.hpp"
#include "message/charset.hpp"
#include "message/content.hpp"
#include "message/encoded_words.hpp"
#include "message/fingerprint.hpp"
#include "message/framing.hpp"
#include "message/message.hpp"
#include "message/received.hpp"
#include "message/urls.hpp"

namespace spampot::message {
namespace {

struct gobject_unref {
  void operator()(void* p) const {
    if (p) g_object_unref(p);
  }
};
template <class T>
using gobject_ptr = std::unique_ptr<T, gobject_unref>;

struct gfree {
  void operator()(void* p) const { g_free(p); }
};
using gchar_ptr = std::unique_ptr<char, gfree>;

std::string text_of(const char* s) { return s ? std::string(s) : std::string(); }
std::string_view text_view(const char* s) { return s ? std::string_view(s) : std::string_view(); }
std::string owned_text(char* s) { return text_of(gchar_ptr(s).get()); }

std::string bounded(std::string s) {
  if (s.size() > kIndexedHeaderBytes) s.resize(kIndexedHeaderBytes);
  return s;
}

// Folding removed (RFC 5322 §2.2.3: the CRLF goes, the white space stays), ends trimmed.
std::string unfold(std::string_view raw) {
  std::string out;
  out.reserve(raw.size());
  for (char c : raw)
    if (c != '\r' && c != '\n') out += c;
  const auto b = out.find_first_not_of(" \t");
  if (b == std::string::npos) return "";
  return out.substr(b, out.find_last_not_of(" \t") - b + 1);
}

// Everything a stream holds, from its start.
std::string stream_bytes(GMimeStream* stream) {
  std::string out;
  if (!stream) return out;
  g_mime_stream_reset(stream);
  if (const gint64 length = g_mime_stream_length(stream); length > 0)
    out.reserve(static_cast<std::size_t>(length));
  char buf[16384];
  for (;;) {
    const gssize n = g_mime_stream_read(stream, buf, sizeof buf);
    if (n <= 0) break;
    out.append(buf, static_cast<std::size_t>(n));
  }
  return out;
}

void add_problem(std::vector<std::string>& problems, std::string p) {
  if (std::find(problems.begin(), problems.end(), p) == problems.end())
    problems.push_back(std::move(p));
}

const char* warning_name(GMimeParserWarning w) {
  switch (w) {
    case GMIME_WARN_DUPLICATED_HEADER: return "duplicated_header";
    case GMIME_WARN_DUPLICATED_PARAMETER: return "duplicated_parameter";
    case GMIME_WARN_UNENCODED_8BIT_HEADER: return "unencoded_8bit_header";
    case GMIME_WARN_INVALID_CONTENT_TYPE: return "invalid_content_type";
    case GMIME_WARN_INVALID_RFC2047_HEADER_VALUE: return "invalid_rfc2047_header";
    case GMIME_WARN_INVALID_PARAMETER: return "invalid_parameter";
    case GMIME_WARN_MALFORMED_MULTIPART: return "malformed_multipart";
    case GMIME_WARN_TRUNCATED_MESSAGE: return "truncated_message";
    case GMIME_WARN_MALFORMED_MESSAGE: return "malformed_message";
    case GMIME_WARN_INVALID_ADDRESS_LIST: return "invalid_address_list";
    case GMIME_CRIT_INVALID_HEADER_NAME: return "invalid_header_name";
    case GMIME_CRIT_CONFLICTING_HEADER: return "conflicting_header";
    case GMIME_CRIT_CONFLICTING_PARAMETER: return "conflicting_parameter";
    case GMIME_CRIT_MULTIPART_WITHOUT_BOUNDARY: return "multipart_without_boundary";
    case GMIME_CRIT_NESTING_OVERFLOW: return "mime_nesting_overflow";
    case GMIME_WARN_PART_WITHOUT_CONTENT: return "part_without_content";
    case GMIME_CRIT_PART_WITHOUT_HEADERS_OR_CONTENT: return "part_without_headers_or_content";
  }
  return "parser_warning";
}

void on_warning(gint64, GMimeParserWarning code, const gchar*, gpointer user_data) {
  add_problem(*static_cast<std::vector<std::string>*>(user_data), warning_name(code));
}

// The header fields an analyst reads, each its first occurrence, in the message's order
// (Content-Type, which GMime keeps on the top MIME part, last).
constexpr const char* kFields[] = {"Subject",    "From",      "Reply-To",         "To",
                                   "Cc",         "Return-Path", "Message-ID",     "Date",
                                   "X-Mailer",   "User-Agent", "List-Unsubscribe", "Content-Type"};

// A part's content decoded from its transfer encoding, as GMime's data wrapper decodes it, but
// straight from one buffer into another: no stream or filter objects, no copies between them.
std::string decoded_content(GMimePart* part) {
  GMimeDataWrapper* content = g_mime_part_get_content(part);
  if (!content) return "";
  // GMime leaves the CR of the CRLF before a boundary in the part (it strips only the LF);
  // that line break belongs to the boundary (RFC 2046 §5.1.1), so it goes before decoding.
  std::string encoded = stream_bytes(g_mime_data_wrapper_get_stream(content));
  if (encoded.ends_with('\r')) encoded.pop_back();
  const GMimeContentEncoding encoding = g_mime_data_wrapper_get_encoding(content);
  if (encoding != GMIME_CONTENT_ENCODING_BASE64 && encoding != GMIME_CONTENT_ENCODING_QUOTEDPRINTABLE &&
      encoding != GMIME_CONTENT_ENCODING_UUENCODE)
    return encoded;
  GMimeEncoding state;
  g_mime_encoding_init_decode(&state, encoding);
  std::string out(g_mime_encoding_outlen(&state, encoded.size()), '\0');
  std::size_t n = g_mime_encoding_step(&state, encoded.data(), encoded.size(), out.data());
  n += g_mime_encoding_flush(&state, "", 0, out.data() + n);
  out.resize(n);
  return out;
}

// A parameter of a header as written (quotes removed, folding undone), "" when absent. Not
// for RFC 2231 "name*=" values, which GMime reads right.
std::string raw_parameter(const char* header, std::string_view name) {
  if (!header) return "";
  const std::string text = unfold(header);
  const std::string lower = ascii_lower(text);
  std::size_t at = 0;
  while ((at = lower.find(name, at)) != std::string::npos) {
    const bool starts = at == 0 || lower[at - 1] == ';' || lower[at - 1] == ' ' || lower[at - 1] == '\t';
    std::size_t i = at + name.size();
    at = i;
    while (i < text.size() && (text[i] == ' ' || text[i] == '\t')) ++i;
    if (!starts || i >= text.size() || text[i] != '=') continue;
    ++i;
    while (i < text.size() && (text[i] == ' ' || text[i] == '\t')) ++i;
    if (i < text.size() && text[i] == '"') {
      const auto close = text.find('"', i + 1);
      return text.substr(i + 1, close == std::string::npos ? std::string::npos : close - i - 1);
    }
    const auto end = text.find(';', i);
    std::string v = text.substr(i, end == std::string::npos ? std::string::npos : end - i);
    while (!v.empty() && (v.back() == ' ' || v.back() == '\t')) v.pop_back();
    return v;
  }
  return "";
}

// A header of a part as written (folded), or null.
const char* raw_header(GMimeObject* obj, const char* name) {
  GMimeHeader* h = g_mime_header_list_get_header(g_mime_object_get_header_list(obj), name);
  return h ? g_mime_header_get_raw_value(h) : nullptr;
}

// A header's value as written, unfolded and kept to kIndexedHeaderBytes.
std::string raw_value(GMimeHeader* h) {
  return bounded(unfold(text_of(g_mime_header_get_raw_value(h))));
}

// A part's file name, decoded. Clients put RFC 2047 encoded words in file names (not what RFC
// 2231 asks, but what is sent); GMime cuts a quoted value folded between two of them, so such
// a value is decoded here, as a Subject is. A name GMime lost to an invalid Content-Type
// ("BINARY;name=x") is taken from the header as written.
std::string file_name(GMimePart* part, const std::string& declared) {
  GMimeObject* obj = GMIME_OBJECT(part);
  for (const auto& [header, param] : {std::pair{"Content-Disposition", "filename"},
                                      std::pair{"Content-Type", "name"}}) {
    const std::string raw = raw_parameter(raw_header(obj, header), param);
    if (raw.find("=?") != std::string::npos) return bounded(decode_header_text(raw, declared));
  }
  std::string name = text_of(g_mime_part_get_filename(part));
  if (name.empty()) name = raw_parameter(raw_header(obj, "Content-Type"), "name");
  return bounded(is_utf8(name) ? name : header_text_8bit(name, declared));
}

struct walker {
  parsed& out;
  bool keep = false;          // keep bodies and attachment bytes (parse_options::keep_content)
  std::string plain;        // decoded text of the text/plain body parts
  std::string html;         // what the text/html body parts show (tags gone)
  std::size_t text_bytes = 0;  // of decoded body text read, against kTextBytes
  std::size_t leaves = 0;
  std::string message_charset;  // for unencoded 8-bit file names

  void text_part(GMimePart* part, std::string_view subtype) {
    // Decoded from its transfer encoding and converted from its charset to UTF-8; read as
    // bytes, since a NUL in spam text would end a C string.
    const char* charset = g_mime_object_get_content_type_parameter(GMIME_OBJECT(part), "charset");
    std::string text = to_utf8(decoded_content(part), charset ? charset : "");
    const std::size_t room = kTextBytes - std::min(kTextBytes, text_bytes);
    if (text.size() > room) {
      add_problem(out.problems, "text_limit");
      text.resize(room);
    }
    text_bytes += text.size() + 1;
    if (subtype == "html") {
      if (keep) out.html_body += text;
      const std::string visible = html_text(text);
      extract_html_urls(text, visible, out.urls);
      html += visible;
      html += '\n';
    } else {
      extract_urls(text, out.urls);
      if (keep) out.text_body += text;
      plain += text;
      plain += '\n';
    }
  }

  void attachment_part(GMimePart* part, std::string name, std::string disposition) {
    attachment a;
    a.name = std::move(name);
    a.disposition = std::move(disposition);
    GMimeContentType* ct = g_mime_object_get_content_type(GMIME_OBJECT(part));
    if (ct) a.declared_type = ascii_lower(owned_text(g_mime_content_type_get_mime_type(ct)));
    const std::string bytes = decoded_content(part);
    describe_content(bytes, a);
    if (keep) a.content = bytes;
    out.attachments.push_back(std::move(a));
  }

  void leaf(GMimePart* part) {
    if (++leaves > kMimeParts) {
      add_problem(out.problems, "part_limit");
      return;
    }
    GMimeContentType* ct = g_mime_object_get_content_type(GMIME_OBJECT(part));
    std::string type = ct ? ascii_lower(text_of(g_mime_content_type_get_media_type(ct))) : "";
    std::string subtype = ct ? ascii_lower(text_of(g_mime_content_type_get_media_subtype(ct))) : "";
    // An invalid Content-Type ("text plain") is taken as text/plain, as RFC 2045 §5.2 advises;
    // GMime would make it application/octet-stream.
    // Raw: decoding it (RFC 2047, a charset converter opened) only to look for a '/' cost 8%.
    const char* declared = raw_header(GMIME_OBJECT(part), "Content-Type");
    if (declared && std::string_view(declared).find('/') == std::string_view::npos) {
      add_problem(out.problems, "invalid_content_type");
      type = "text";
      subtype = "plain";
    }
    // Delivery and disposition reports are the bounce's text, not files (an encoded
    // message/rfc822 is a file, though: GMime gives it as a part).
    if (type == "message" && subtype != "rfc822") return;
    std::string disposition = ascii_lower(text_of(g_mime_object_get_disposition(GMIME_OBJECT(part))));
    std::string name = file_name(part, message_charset);
    // A part is body text when it is text a reader is shown; anything named, marked as an
    // attachment or of another type is an attachment (inline images included).
    if (type == "text" && (subtype == "plain" || subtype == "html") && name.empty() &&
        disposition != "attachment")
      text_part(part, subtype);
    else
      attachment_part(part, std::move(name), std::move(disposition));
  }

  void walk(GMimeObject* obj, std::size_t depth) {
    if (!obj) return;
    if (depth > kMimeDepth) {
      add_problem(out.problems, "depth_limit");
      return;
    }
    if (GMIME_IS_MULTIPART(obj)) {
      GMimeMultipart* mp = GMIME_MULTIPART(obj);
      const int n = g_mime_multipart_get_count(mp);
      for (int i = 0; i < n; ++i) walk(g_mime_multipart_get_part(mp, i), depth + 1);
    } else if (GMIME_IS_MESSAGE_PART(obj)) {
      // A forwarded or bounced message: its parts are this message's content too.
      GMimeMessage* inner = g_mime_message_part_get_message(GMIME_MESSAGE_PART(obj));
      if (inner) walk(g_mime_message_get_mime_part(inner), depth + 1);
    } else if (GMIME_IS_PART(obj)) {
      leaf(GMIME_PART(obj));
    }
  }
};

// The address as written where GMime finds none with '@': in angle brackets, what they hold
// ("Moderator <moderator>"); without them, the word with '@' ("Big Bug bb@bug.com"), else the
// text itself ("Whomever"), comments aside. A group without members has none.
std::string written_address(std::string_view raw) {
  std::string text;
  int depth = 0;
  for (char c : raw) {  // unfolded, comments removed
    if (c == '(') ++depth;
    else if (c == ')' && depth > 0) --depth;
    else if (depth == 0) text += (c == '\r' || c == '\n' || c == '\t') ? ' ' : c;
  }
  const auto trim = [](std::string s) {
    const auto a = s.find_first_not_of(' ');
    if (a == std::string::npos) return std::string();
    return s.substr(a, s.find_last_not_of(' ') - a + 1);
  };
  if (const auto open = text.rfind('<'); open != std::string::npos) {
    const auto close = text.find('>', open);
    std::string inside = trim(text.substr(open + 1, close == std::string::npos ? std::string::npos : close - open - 1));
    return inside.find_first_of("()<>[]:;\\,\"") == std::string::npos ? inside : "";
  }
  std::string last_at;
  for (std::size_t i = 0; i < text.size();) {
    const auto end = std::min(text.find_first_of(" ,;", i), text.size());
    std::string word = text.substr(i, end - i);
    if (word.find('@') != std::string::npos) last_at = word;
    i = end + 1;
  }
  if (!last_at.empty()) return last_at;
  // A local part alone, as written (encoded words decoded, quotes dropped); text with specials
  // ("[removed]", "list:;") is no address at all.
  text = trim(decode_header_text(text));
  if (text.size() >= 2 && text.front() == '"' && text.back() == '"') return text.substr(1, text.size() - 2);
  if (text.find_first_of("()<>[]:;@\\,\"") != std::string::npos) return "";
  return text;
}

// `raw` is the field as written: GMime gives a punycode domain back decoded ("xn--bcher-kva"
// as "bücher"), and the address is kept in the form the sender wrote it.
mailbox first_mailbox(InternetAddressList* list, std::string_view raw) {
  mailbox m;
  if (!list) {
    m.address = written_address(raw);
    return m;
  }
  const int n = internet_address_list_length(list);
  for (int i = 0; i < n; ++i) {
    InternetAddress* a = internet_address_list_get_address(list, i);
    if (INTERNET_ADDRESS_IS_GROUP(a)) {
      // "undisclosed-recipients: a@b;": the group's first member.
      mailbox inner =
          first_mailbox(internet_address_group_get_members(INTERNET_ADDRESS_GROUP(a)), raw);
      if (!inner.address.empty()) return inner;
      continue;
    }
    m.name = text_of(internet_address_get_name(a));
    InternetAddressMailbox* box = INTERNET_ADDRESS_MAILBOX(a);
    m.address = text_of(internet_address_mailbox_get_addr(box));
    const std::string idn = text_of(internet_address_mailbox_get_idn_addr(box));
    if (!idn.empty() && idn != m.address && ascii_lower(raw).find(ascii_lower(idn)) != std::string::npos)
      m.address = idn;
    if (!is_utf8(m.name)) m.name = to_utf8(m.name, "");
    if (!is_utf8(m.address)) m.address = to_utf8(m.address, "");
    // No address with '@', or a word with '@' outside brackets that GMime joined to others.
    if (m.address.find('@') == std::string::npos ||
        (raw.find('<') == std::string_view::npos && m.address.find(' ') != std::string::npos))
      m.address = written_address(raw);
    return m;
  }
  m.address = written_address(raw);  // nothing GMime reads as an address
  return m;
}

// Raw 8-bit text in the field is read as the message's charset says (message/charset.hpp)
// before GMime reads the addresses, which would take it as Windows-1252.
mailbox mailbox_of(GMimeParserOptions* options, const std::string& raw, const std::string& declared) {
  if (raw.empty()) return {};
  const std::string text =
      is_utf8(raw) && raw.find('\x1b') == std::string::npos ? raw : header_text_8bit(raw, declared);
  gobject_ptr<InternetAddressList> list(internet_address_list_parse(options, text.c_str()));
  return first_mailbox(list.get(), text);
}

std::string decode_text(const std::string& raw, const std::string& declared) {
  return bounded(decode_header_text(raw, declared));
}

// The charset a message declares for its text, which mail readers also read its unencoded 8-bit
// headers in: its own Content-Type's, else its first text part's.
std::string declared_charset(GMimeObject* obj, int depth = 0) {
  if (!obj || depth > 20) return "";
  if (GMIME_IS_MULTIPART(obj)) {
    const int n = g_mime_multipart_get_count(GMIME_MULTIPART(obj));
    for (int i = 0; i < n; ++i) {
      GMimeObject* child = g_mime_multipart_get_part(GMIME_MULTIPART(obj), i);
      GMimeContentType* type = g_mime_object_get_content_type(child);
      if (GMIME_IS_MULTIPART(child) || (type && g_mime_content_type_is_type(type, "text", "*"))) {
        std::string c = declared_charset(child, depth + 1);
        if (!c.empty()) return c;
      }
    }
    return "";
  }
  const char* c = g_mime_object_get_content_type_parameter(obj, "charset");
  return c ? c : "";
}

// Comments are white space in a date (RFC 5322 §3.3 CFWS): "00:19:00 (EDT) -0400" is -0400.
std::string without_comments(std::string_view s) {
  std::string out;
  int depth = 0;
  for (char c : s) {
    if (c == '(') ++depth;
    else if (c == ')' && depth > 0) --depth;
    else if (depth == 0) out += c;
    else continue;
    if (depth > 0 && c == '(' && (out.empty() || out.back() != ' ')) out += ' ';
  }
  return out;
}

std::optional<Micros> date_of(const std::string& raw) {
  const std::string text = without_comments(raw);
  if (text.find_first_not_of(" \t") == std::string::npos) return std::nullopt;
  GDateTime* dt = g_mime_utils_header_decode_date(text.c_str());
  if (!dt) return std::nullopt;
  const Micros t = static_cast<Micros>(g_date_time_to_unix(dt)) * kMicrosPerSecond;
  g_date_time_unref(dt);
  return t;
}

void judge_date(parsed& p, Micros received_at) {
  if (p.date.empty()) {
    p.date_problems.push_back("missing");
    return;
  }
  p.date_utc = date_of(p.date);
  if (!p.date_utc) {
    p.date_problems.push_back("unparseable");
    return;
  }
  // Spamware stamps dates from a template or a skewed clock: an hour ahead is more than
  // clock drift, a day either way more than a queue's delay.
  constexpr Micros kHour = 3600 * kMicrosPerSecond;
  if (*p.date_utc > received_at + kHour) p.date_problems.push_back("future");
  if (*p.date_utc > received_at + 24 * kHour || *p.date_utc < received_at - 24 * kHour)
    p.date_problems.push_back("far_from_receipt");
}

}  // namespace

std::string normalise_message_id(std::string_view value) {
  std::string v = unfold(value);
  std::string id;
  if (const auto open = v.find('<'); open != std::string::npos) {
    const auto close = v.find('>', open);
    id = v.substr(open + 1, close == std::string::npos ? std::string::npos : close - open - 1);
  } else {
    id = v.substr(0, v.find_first_of(" \t"));
  }
  if (id.empty()) return "";
  if (const auto at = id.rfind('@'); at != std::string::npos)
    id = id.substr(0, at + 1) + ascii_lower(id.substr(at + 1));
  return "<" + id + ">";
}

parsed parse(std::string_view raw, Micros received_at, parse_options opts) {
  init_gmime();
  parsed out;
  std::string framed;
  raw = frame(raw, framed, out.problems);
  std::unique_ptr<GMimeParserOptions, decltype(&g_mime_parser_options_free)> options(
      g_mime_parser_options_new(), &g_mime_parser_options_free);
  static const char* kFallback[] = {"utf-8", "windows-1252", nullptr};
  g_mime_parser_options_set_fallback_charsets(options.get(), kFallback);
  g_mime_parser_options_set_rfc2047_compliance_mode(options.get(), GMIME_RFC_COMPLIANCE_LOOSE);
  g_mime_parser_options_set_address_compliance_mode(options.get(), GMIME_RFC_COMPLIANCE_LOOSE);
  g_mime_parser_options_set_parameter_compliance_mode(options.get(), GMIME_RFC_COMPLIANCE_LOOSE);
  g_mime_parser_options_set_warning_callback(options.get(), on_warning, &out.problems);

  // GMime reads from a stream over our buffer, without copying it.
  gobject_ptr<GMimeStream> stream(g_mime_stream_mem_new());
  g_mime_stream_mem_set_owner(GMIME_STREAM_MEM(stream.get()), FALSE);
  GByteArray view{reinterpret_cast<guint8*>(const_cast<char*>(raw.data())),
                  static_cast<guint>(raw.size())};
  g_mime_stream_mem_set_byte_array(GMIME_STREAM_MEM(stream.get()), &view);
  gobject_ptr<GMimeParser> parser(g_mime_parser_new_with_stream(stream.get()));
  gobject_ptr<GMimeMessage> msg(g_mime_parser_construct_message(parser.get(), options.get()));
  if (!msg) {
    add_problem(out.problems, "unparseable_message");
    out.message_id_problem = "missing";
    out.date_problems.push_back("missing");
    return out;
  }

  GMimeObject* top = g_mime_message_get_mime_part(msg.get());
  const std::string declared = declared_charset(top);
  GMimeHeaderList* headers = g_mime_object_get_header_list(GMIME_OBJECT(msg.get()));
  const int count = g_mime_header_list_get_count(headers);
  std::string raw_of[std::size(kFields)];
  bool found[std::size(kFields)] = {};
  const auto keep = [&](std::size_t f, GMimeHeader* h) {
    found[f] = true;
    raw_of[f] = raw_value(h);
    header_field field{kFields[f], raw_of[f], decode_text(raw_of[f], declared)};
    if (!is_utf8(field.raw)) add_problem(out.problems, "unencoded_8bit_header");
    out.headers.push_back(std::move(field));
  };
  for (int i = 0; i < count; ++i) {
    GMimeHeader* h = g_mime_header_list_get_header_at(headers, i);
    const std::string_view name = text_view(g_mime_header_get_name(h));
    if (iequals(name, "Received")) {
      if (out.received.size() >= kReceivedHops) {
        add_problem(out.problems, "hop_limit");
        continue;
      }
      auto r = parse_received(raw_value(h));
      r.hop.at = date_of(r.date);
      out.received.push_back(std::move(r.hop));
      continue;
    }
    for (std::size_t f = 0; f < std::size(kFields); ++f)
      if (!found[f] && iequals(name, kFields[f])) keep(f, h);
  }
  // GMime moves a message's Content-* headers to its top MIME part: the message's own
  // Content-Type is read there, or the analyst's list would never show it.
  const std::size_t type_at = std::size(kFields) - 1;
  if (top && !found[type_at]) {
    GMimeHeaderList* list = g_mime_object_get_header_list(top);
    if (GMimeHeader* h = g_mime_header_list_get_header(list, "Content-Type")) keep(type_at, h);
  }
  const auto raw_field = [&](std::string_view name) -> const std::string& {
    for (std::size_t f = 0; f < std::size(kFields); ++f)
      if (kFields[f] == name) return raw_of[f];
    return raw_of[0];
  };
  for (const auto& f : out.headers)
    if (f.name == "Subject") out.subject = unfold(f.value);
  out.from = mailbox_of(options.get(), raw_field("From"), declared);
  out.reply_to = mailbox_of(options.get(), raw_field("Reply-To"), declared);

  out.message_id = normalise_message_id(raw_field("Message-ID"));
  if (out.message_id.empty()) {
    out.message_id_problem = "missing";
  } else {
    const std::string_view id(out.message_id);
    const auto at = id.rfind('@');
    const bool wellformed = raw_field("Message-ID").find('<') != std::string::npos &&
                            raw_field("Message-ID").find('>') != std::string::npos &&
                            at != std::string_view::npos && at > 1 && at + 2 < id.size() &&
                            id.find_first_of(" \t") == std::string_view::npos;
    if (!wellformed) out.message_id_problem = "malformed";
  }
  out.date = raw_field("Date");
  judge_date(out, received_at);
  out.first_external_ip = first_external_ip(out.received);

  walker w{out, opts.keep_content, {}, {}, 0, 0, declared};
  w.walk(top, 0);
  // The fingerprint reads the plain text when there is any, else what the HTML shows.
  out.body_text = normalise_text(w.plain.find_first_not_of(" \t\r\n") != std::string::npos ? w.plain : w.html);
  out.body_sha256 = fingerprint_of(out.body_text, false).sha256;
  return out;
}

}  // namespace spampot::message
