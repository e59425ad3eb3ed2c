// The SMTP verbs the trap knows, with the flags that decide where each may appear (Postfix's
// smtpd_cmd_table idea). The session's table maps each verb to its check and proceed steps.
#pragma once

#include <cstdint>
#include <string_view>

namespace spampot::smtp {

enum class verb : std::uint8_t {
  helo,
  ehlo,
  mail,
  rcpt,
  data,
  bdat,
  rset,
  noop,
  quit,
  help,
  vrfy,
  expn,
  starttls,
  auth,
  unknown
};

std::string_view to_string(verb v);

// Splits a command line into its verb and the rest ("MAIL FROM:<a>" -> mail, " FROM:<a>").
struct parsed_command {
  verb v = verb::unknown;
  std::string_view word;  // the verb as sent
  std::string_view args;  // everything after it, leading space kept
};
parsed_command parse_command(std::string_view line);

}  // namespace spampot::smtp
