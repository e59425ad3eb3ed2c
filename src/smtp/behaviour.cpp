#include "smtp/behaviour.hpp"

#include <algorithm>
#include <array>

#include "base/ascii.hpp"
#include "base/digest.hpp"
#include "base/session_record.hpp"
#include "base/text_list.hpp"

namespace spampot::smtp {
namespace {

constexpr std::size_t kVerbTokens = 24;   // of the sequence up to the first message's end
constexpr std::size_t kHeaderNames = 40;  // of the first message's header block
constexpr std::size_t kNameBytes = 40;

bool is_alnum(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

// Printable ASCII as sent, anything else "?": a verb or header name as spelled, made safe.
std::string printable_name(std::string_view s, std::size_t max = kNameBytes) {
  std::string out;
  for (char c : s.substr(0, max)) out += (c > ' ' && c < 0x7f) ? c : '?';
  return out;
}

std::string run_class(std::string_view run) {
  bool digit = false, lower = false, upper = false, hex_lower = true, hex_upper = true;
  for (char c : run) {
    if (c >= '0' && c <= '9') {
      digit = true;
    } else if (c >= 'a' && c <= 'z') {
      lower = true;
      hex_upper = false;
      if (c > 'f') hex_lower = false;
    } else {
      upper = true;
      hex_lower = false;
      if (c > 'F') hex_upper = false;
    }
  }
  if (!digit) return lower && upper ? "Aa" : lower ? "a" : "A";
  // A number, decimal or hex: a random hex id is sometimes all digits, and must keep its shape.
  if (!lower && !upper) return "9";
  if (hex_lower || hex_upper) return "9";
  return "z";
}

// A list feature: its items joined, "-" for none.
std::string join(const std::vector<std::string>& v, char sep = ' ') {
  std::string out = join_list(v, sep);
  return out.empty() ? "-" : out;
}

// MAIL and RCPT arguments with the address and the parameter values reduced to their shape:
// " FROM:<A> SIZE=9 BODY=8BITMIME". Spacing, case and brackets stay as sent: they are the
// software's, the address is the campaign's.
std::string path_shape(std::string_view args) {
  std::string out;
  std::string_view rest;
  const auto lt = args.find('<');
  const auto gt = lt == std::string_view::npos ? lt : args.find('>', lt);
  if (gt != std::string_view::npos) {
    out = printable_name(args.substr(0, lt), 16);
    for (auto& c : out)
      if (c == '?') c = ' ';
    out += gt == lt + 1 ? "<>" : "<A>";
    rest = args.substr(gt + 1);
  } else {
    // No brackets ("MAIL FROM:a@b", "MAIL FROM: a@b"): the address is the first word after ':'.
    const auto colon = args.find(':');
    const std::size_t start =
        colon == std::string_view::npos ? 0 : args.find_first_not_of(' ', colon + 1);
    const std::size_t at = std::min(start, args.size());
    out = std::string(args.substr(0, std::min<std::size_t>(at, 16)));
    for (auto& c : out)
      if (!(c > ' ' && c < 0x7f)) c = ' ';
    const auto end = args.find(' ', at);
    out += at < args.size() ? "A" : "";
    rest = end == std::string_view::npos ? std::string_view() : args.substr(end);
  }
  // Parameters: names as sent, values as shapes, except the few whose values are keywords.
  std::size_t params = 0;
  while (!rest.empty() && params < 8) {
    std::size_t spaces = 0;
    while (spaces < rest.size() && rest[spaces] == ' ') ++spaces;
    if (spaces == rest.size()) {
      out += " ";  // trailing spaces are a habit too
      break;
    }
    out += spaces == 1 ? " " : "  ";
    rest.remove_prefix(spaces);
    const auto end = rest.find(' ');
    const std::string_view p = rest.substr(0, end);
    rest = end == std::string_view::npos ? std::string_view() : rest.substr(end);
    const auto eq = p.find('=');
    const std::string key = printable_name(p.substr(0, eq), 16);
    out += key;
    if (eq != std::string_view::npos) {
      const std::string_view value = p.substr(eq + 1);
      const bool keyword = iequals(key, "BODY") || iequals(key, "RET") || iequals(key, "NOTIFY");
      out += '=';
      out += keyword ? printable_name(value, 16) : text_shape(value, 16);
    }
    ++params;
  }
  return out;
}

// A header's value, unfolded, from the header block; empty when absent.
std::string header_value(std::string_view block, std::string_view name) {
  std::size_t pos = 0;
  while (pos < block.size()) {
    auto eol = block.find('\n', pos);
    if (eol == std::string_view::npos) eol = block.size();
    std::string_view line = block.substr(pos, eol - pos);
    pos = eol + 1;
    const auto colon = line.find(':');
    if (colon == std::string_view::npos || line.empty() || line[0] == ' ' || line[0] == '\t')
      continue;
    if (!iequals(line.substr(0, colon), name)) continue;
    std::string value(line.substr(colon + 1));
    // Continuation lines belong to this header.
    while (pos < block.size() && (block[pos] == ' ' || block[pos] == '\t')) {
      auto next = block.find('\n', pos);
      if (next == std::string_view::npos) next = block.size();
      value += block.substr(pos, next - pos);
      pos = next + 1;
    }
    for (auto& c : value)
      if (c == '\r' || c == '\t') c = ' ';
    const auto first = value.find_first_not_of(' ');
    if (first == std::string::npos) return "";
    const auto last = value.find_last_not_of(' ');
    return value.substr(first, last - first + 1);
  }
  return "";
}

std::string message_id_shape(std::string_view v) {
  if (v.empty()) return "-";
  const auto at = v.rfind('@');
  if (at == std::string_view::npos) return text_shape(v);
  // The right side is mostly a host name, the sending bot's or the forged sender's: a name is
  // "D" whatever its labels; anything else keeps its shape.
  std::string_view right = v.substr(at + 1);
  const bool bracket = !right.empty() && right.back() == '>';
  if (bracket) right.remove_suffix(1);
  const bool name = !right.empty() && right.find('.') != std::string_view::npos &&
                    std::all_of(right.begin(), right.end(),
                                [](char c) { return is_alnum(c) || c == '.' || c == '-'; });
  return text_shape(v.substr(0, at)) + "@" + (name ? "D" : text_shape(right)) +
         (bracket ? ">" : "");
}

std::string boundary_shape(std::string_view content_type) {
  const std::string lower = ascii_lower(content_type);
  const auto at = lower.find("boundary=");
  if (at == std::string::npos) return "-";
  std::string_view v = content_type.substr(at + 9);
  if (!v.empty() && v[0] == '"') {
    v.remove_prefix(1);
    v = v.substr(0, v.find('"'));
    return "\"" + text_shape(v) + "\"";
  }
  v = v.substr(0, v.find_first_of("; "));
  return text_shape(v);
}

// What kind of name a HELO gives, not the name: an address literal, a bare address (against RFC
// 5321), a dotted name, a single word.
std::string helo_kind(std::string_view args) {
  while (!args.empty() && args.front() == ' ') args.remove_prefix(1);
  while (!args.empty() && args.back() == ' ') args.remove_suffix(1);
  if (args.empty()) return "-";
  if (args.front() == '[') return "literal";
  // Unconfigured software says it is "localhost" (or localhost.localdomain): a classic tell.
  if (iequals(args.substr(0, 9), "localhost") && (args.size() == 9 || args[9] == '.')) return "localhost";
  const bool address = std::all_of(args.begin(), args.end(), [](char c) {
    return (c >= '0' && c <= '9') || c == '.' || c == ':' || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
  });
  const bool digits = std::any_of(args.begin(), args.end(), [](char c) { return c >= '0' && c <= '9'; });
  if (address && digits &&
      (args.find(':') != std::string_view::npos || std::count(args.begin(), args.end(), '.') == 3))
    return "address";
  return args.find('.') != std::string_view::npos ? "name" : "word";
}

}  // namespace

std::string text_shape(std::string_view s, std::size_t max) {
  std::string out;
  std::size_t i = 0;
  while (i < s.size() && out.size() < max) {
    const char c = s[i];
    if (is_alnum(c)) {
      std::size_t j = i;
      while (j < s.size() && is_alnum(s[j])) ++j;
      out += run_class(s.substr(i, j - i));
      i = j;
      continue;
    }
    const char shown = (c >= ' ' && c < 0x7f) ? c : '?';
    std::size_t j = i;
    while (j < s.size() && s[j] == c) ++j;
    out += shown;
    i = j;
  }
  return out.empty() ? "-" : out;
}

void behaviour::command(const parsed_command& pc, bool crlf, bool pipelined,
                        Micros since_greeting) {
  if (!any_command_) {
    any_command_ = true;
    first_delay_ = since_greeting;
  }
  ++(crlf ? crlf_lines_ : lf_lines_);
  const std::string word = pc.v == verb::unknown ? "?" : printable_name(pc.word, 10);
  if (messages_ == 0) {
    // Runs merge: a list of 1 or 50 RCPTs is the campaign's, the RCPT habit the software's.
    if ((verbs_.empty() || verbs_.back() != word) && verbs_.size() < kVerbTokens)
      verbs_.push_back(word);
  } else if (std::find(after_.begin(), after_.end(), word) == after_.end() &&
             after_.size() < kVerbTokens) {
    after_.push_back(word);
  }
  if (pipelined && pc.v != verb::unknown) {
    const std::string canonical(to_string(pc.v));
    if (std::find(pipelined_.begin(), pipelined_.end(), canonical) == pipelined_.end())
      pipelined_.push_back(canonical);
  }
  if ((pc.v == verb::helo || pc.v == verb::ehlo) && helo_.empty()) helo_ = helo_kind(pc.args);
  if (pc.v == verb::mail && mail_shape_.empty()) mail_shape_ = path_shape(pc.args);
  if (pc.v == verb::rcpt && rcpt_shape_.empty()) rcpt_shape_ = path_shape(pc.args);
}

void behaviour::message(std::string_view body, bool bare_lf) {
  if (messages_++ > 0) return;
  body_end_ = bare_lf ? "lf" : "crlf";
  // The header block: up to the first empty line.
  std::size_t end = body.size();
  for (std::size_t pos = 0; pos < body.size();) {
    auto eol = body.find('\n', pos);
    if (eol == std::string_view::npos) break;
    const std::string_view line = body.substr(pos, eol - pos);
    if (line.empty() || line == "\r") {
      end = pos;
      break;
    }
    pos = eol + 1;
  }
  const std::string_view block = body.substr(0, end);
  std::vector<std::string> names;
  for (std::size_t pos = 0; pos < block.size() && names.size() < kHeaderNames;) {
    auto eol = block.find('\n', pos);
    if (eol == std::string_view::npos) eol = block.size();
    const std::string_view line = block.substr(pos, eol - pos);
    pos = eol + 1;
    if (line.empty() || line[0] == ' ' || line[0] == '\t') continue;
    const auto colon = line.find(':');
    if (colon == std::string_view::npos || colon == 0) continue;
    std::string name = printable_name(line.substr(0, colon));
    // A chain of Received lines is the path's, not the sender's: repeats merge.
    if (names.empty() || names.back() != name) names.push_back(std::move(name));
  }
  headers_ = join(names, ',');
  message_id_ = message_id_shape(header_value(block, "Message-ID"));
  const std::string date = header_value(block, "Date");
  date_ = date.empty() ? "-" : text_shape(date);
  boundary_ = boundary_shape(header_value(block, "Content-Type"));
}

void behaviour::tls(std::string_view ja4, bool implicit) {
  tls_ = std::string(implicit ? "implicit:" : "starttls:") +
         (ja4.empty() ? std::string("-") : printable_name(ja4, 64));
}

std::string behaviour::features(std::string_view end_reason) const {
  const auto bucket = [](Micros d) {
    if (d < 2 * kMicrosPerSecond) return "<2s";
    if (d < 20 * kMicrosPerSecond) return "2-20s";
    return ">20s";
  };
  std::vector<std::string> pipelined = pipelined_;
  if (body_early_) pipelined.push_back("body");
  const std::array<std::pair<std::string_view, std::string>, 17> f{{
      {"greeting", early_ ? "early" : "waited"},
      {"first_command", any_command_ ? bucket(first_delay_) : "-"},
      {"verbs", join(verbs_)},
      {"helo", helo_.empty() ? "-" : helo_},
      {"after_message", messages_ == 0 ? "-" : join(after_)},
      {"line_end", crlf_lines_ && lf_lines_ ? "mixed" : lf_lines_ ? "lf" : crlf_lines_ ? "crlf" : "-"},
      {"pipelining", join(pipelined)},
      {"mail", mail_shape_.empty() ? "-" : mail_shape_},
      {"rcpt", rcpt_shape_.empty() ? "-" : rcpt_shape_},
      {"tls", tls_},
      {"end", printable_name(end_reason, 24)},
      {"headers", headers_},
      {"message_id", message_id_},
      {"date", date_},
      {"boundary", boundary_},
      {"body_line_end", body_end_},
      {"version", std::string(kFingerprintVersion)},
  }};
  std::string out;
  for (const auto& [name, value] : f) {
    out += name;
    out += '=';
    out += value;
    out += '\n';
  }
  return out;
}

std::string behaviour::fingerprint(std::string_view features) {
  // Pipelining is shown but not hashed: a client that writes each command on its own races our
  // replies, and whether its next command beats our answer is the scheduler's, not the client's.
  std::string hashed;
  for (const auto& [name, value] : behaviour_features(features)) {
    if (name == "pipelining") continue;
    hashed.append(name).append("=").append(value).append("\n");
  }
  return std::string(kFingerprintVersion) + "-" + sha256_hex(hashed).substr(0, 16);
}

}  // namespace spampot::smtp
