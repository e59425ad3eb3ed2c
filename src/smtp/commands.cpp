#include "smtp/commands.hpp"

#include <array>

#include "base/ascii.hpp"
#include "smtp/address.hpp"

namespace spampot::smtp {
namespace {

struct entry {
  std::string_view name;
  verb v;
};

constexpr std::array<entry, 14> kVerbs{{
    {"HELO", verb::helo},
    {"EHLO", verb::ehlo},
    {"MAIL", verb::mail},
    {"RCPT", verb::rcpt},
    {"DATA", verb::data},
    {"BDAT", verb::bdat},
    {"RSET", verb::rset},
    {"NOOP", verb::noop},
    {"QUIT", verb::quit},
    {"HELP", verb::help},
    {"VRFY", verb::vrfy},
    {"EXPN", verb::expn},
    {"STARTTLS", verb::starttls},
    {"AUTH", verb::auth},
}};

}  // namespace

std::string_view to_string(verb v) {
  for (const auto& e : kVerbs) {
    if (e.v == v) return e.name;
  }
  return "UNKNOWN";
}

parsed_command parse_command(std::string_view line) {
  const auto end = line.find_first_of(" \t");
  parsed_command out;
  out.word = line.substr(0, end);
  out.args = end == std::string_view::npos ? std::string_view() : line.substr(end);
  for (const auto& e : kVerbs) {
    if (iequals(out.word, e.name)) {
      out.v = e.v;
      break;
    }
  }
  return out;
}

}  // namespace spampot::smtp
