#include "importer/syslog_line.hpp"

#include <ctime>

#include "base/digits.hpp"

namespace spampot::importer {
namespace {

std::string_view take_word(std::string_view& s) {
  const auto sp = s.find(' ');
  std::string_view w = s.substr(0, sp);
  s.remove_prefix(sp == std::string_view::npos ? s.size() : sp + 1);
  while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
  return w;
}

// "prog[pid]: msg" or "prog: msg" -> program and message.
bool take_tag(std::string_view rest, syslog_line& out) {
  const auto colon = rest.find(": ");
  if (colon == std::string_view::npos || colon == 0 || colon > 64) return false;
  std::string_view tag = rest.substr(0, colon);
  if (tag.find(' ') != std::string_view::npos) return false;
  const auto bracket = tag.find('[');
  out.program = tag.substr(0, bracket);
  out.message = rest.substr(colon + 2);
  return !out.program.empty();
}

// ISO 8601 with 'T' or ' ', optional fraction, offset as Z, +HH:MM or +HHMM (journalctl).
std::optional<Micros> iso_time(std::string_view t) {
  std::string s(t);
  if (s.size() >= 5) {
    const std::size_t n = s.size();
    // "+0000" -> "+00:00"
    if ((s[n - 5] == '+' || s[n - 5] == '-') && all_digits(std::string_view(s).substr(n - 4)))
      s.insert(n - 2, ":");
  }
  return parse_time_point(s, 0);
}

constexpr std::string_view kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                        "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

}  // namespace

int year_for(int month, int day, Micros mtime) {
  std::time_t t = static_cast<std::time_t>(mtime / kMicrosPerSecond);
  std::tm tm{};
  gmtime_r(&t, &tm);
  const int year = tm.tm_year + 1900;
  // Compare (month, day) with the mtime's, allowing a day of slack for clocks and time zones.
  const int line_key = month * 32 + day;
  const int file_key = (tm.tm_mon + 1) * 32 + tm.tm_mday + 1;
  return line_key > file_key ? year - 1 : year;
}

std::optional<syslog_line> parse_syslog(std::string_view line, const year_resolver& year) {
  syslog_line out;
  std::string_view rest = line;
  // RFC 5424: "<PRI>1 TIMESTAMP HOST APP PROCID MSGID SD MSG"
  if (!rest.empty() && rest.front() == '<') {
    const auto gt = rest.find('>');
    if (gt == std::string_view::npos || gt > 4 || !all_digits(rest.substr(1, gt - 1))) return std::nullopt;
    rest.remove_prefix(gt + 1);
    if (!rest.starts_with("1 ")) return std::nullopt;
    rest.remove_prefix(2);
    const auto t = iso_time(take_word(rest));
    if (!t) return std::nullopt;
    out.time = *t;
    out.host = take_word(rest);
    out.program = take_word(rest);
    take_word(rest);  // procid
    take_word(rest);  // msgid
    if (rest.starts_with("- ")) {
      rest.remove_prefix(2);
    } else if (rest.starts_with("[")) {
      // Structured data: [id k="v" ...]... ; a ']' inside quotes is escaped as \].
      while (rest.starts_with("[")) {
        std::size_t i = 1;
        bool quoted = false;
        for (; i < rest.size(); ++i) {
          if (rest[i] == '\\') {
            ++i;
          } else if (rest[i] == '"') {
            quoted = !quoted;
          } else if (rest[i] == ']' && !quoted) {
            break;
          }
        }
        if (i >= rest.size()) return std::nullopt;
        rest.remove_prefix(i + 1);
      }
      if (rest.starts_with(" ")) rest.remove_prefix(1);
    } else if (rest == "-") {
      rest = {};
    }
    if (rest.starts_with("\xEF\xBB\xBF")) rest.remove_prefix(3);  // the BOM RFC 5424 allows
    // rsyslog's RFC 5424 templates put the message's own leading space after the SD field.
    while (!rest.empty() && rest.front() == ' ') rest.remove_prefix(1);
    out.message = rest;
    return out.program.empty() || out.program == "-" ? std::nullopt : std::optional(out);
  }
  // ISO time first: rsyslog, journalctl short-iso, or exim's mainlog ("YYYY-MM-DD HH:MM:SS").
  if (rest.size() >= 19 && all_digits(rest.substr(0, 4)) && rest[4] == '-' && rest[7] == '-') {
    std::optional<Micros> t;
    if (rest[10] == 'T') {
      t = iso_time(take_word(rest));
    } else if (rest[10] == ' ') {
      // exim: date and time are two words, and optionally a zone ("+0100") follows.
      std::string stamp(rest.substr(0, 19));
      rest.remove_prefix(19);
      while (!rest.empty() && rest.front() == ' ') rest.remove_prefix(1);
      if (rest.size() > 5 && (rest[0] == '+' || rest[0] == '-') && all_digits(rest.substr(1, 4)) && rest[5] == ' ') {
        stamp += std::string(rest.substr(0, 3)) + ":" + std::string(rest.substr(3, 2));
        rest.remove_prefix(6);
      }
      t = parse_time_point(stamp, 0);
      if (!t) return std::nullopt;
      out.time = *t;
      // "host exim[pid]: msg" (exim through syslog) or the bare mainlog "[pid] msg" / "msg".
      std::string_view probe = rest;
      std::string_view host = take_word(probe);
      syslog_line tagged;
      if (take_tag(probe, tagged) && tagged.program.starts_with("exim")) {
        out.host = host;
        out.program = tagged.program;
        out.message = tagged.message;
        return out;
      }
      if (rest.starts_with("[")) {
        const auto close = rest.find("] ");
        if (close != std::string_view::npos && all_digits(rest.substr(1, close - 1))) rest.remove_prefix(close + 2);
      }
      out.program = "exim";
      out.message = rest;
      return out;
    }
    if (!t) return std::nullopt;
    out.time = *t;
  } else if (rest.size() >= 15 && rest[3] == ' ') {
    // "Mon dd HH:MM:SS", the day space-padded ("Jan  4") or, from some relays, not ("Mar 7").
    int month = 0;
    for (int i = 0; i < 12; ++i) {
      if (rest.substr(0, 3) == kMonths[i]) month = i + 1;
    }
    std::string_view r = rest.substr(4);
    while (!r.empty() && r.front() == ' ') r.remove_prefix(1);
    const auto sp = r.find(' ');
    const std::string_view day = r.substr(0, sp);
    if (month == 0 || sp == std::string_view::npos || day.size() > 2 || !all_digits(day)) return std::nullopt;
    r.remove_prefix(sp + 1);
    if (r.size() < 8 || r[2] != ':' || r[5] != ':' || !all_digits(r.substr(0, 2)) || !all_digits(r.substr(3, 2)) ||
        !all_digits(r.substr(6, 2)))
      return std::nullopt;
    const int d = to_int(day);
    char stamp[32];
    std::snprintf(stamp, sizeof stamp, "%04d-%02d-%02dT%.8sZ", year(month, d), month, d, r.substr(0, 8).data());
    const auto t = parse_time_point(stamp, 0);
    if (!t) return std::nullopt;
    out.time = *t;
    rest = r.substr(8);
    while (!rest.empty() && rest.front() == ' ') rest.remove_prefix(1);
  } else {
    return std::nullopt;
  }
  // syslog-ng may write "<mail.notice>" before the host.
  if (rest.starts_with("<")) {
    const auto gt = rest.find("> ");
    if (gt != std::string_view::npos && gt < 32) rest.remove_prefix(gt + 2);
  }
  out.host = take_word(rest);
  if (out.host.empty() || !take_tag(rest, out)) return std::nullopt;
  return out;
}

}  // namespace spampot::importer
