// Fuzzes the maillog line parsers: syslog framing, each MTA's parser, and the correlator over
// the lines of one input. Every line is also given to each parser directly, whatever its program.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "importer/importer.hpp"
#include "importer/parsers.hpp"
#include "importer/record_text.hpp"
#include "importer/syslog_line.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace spampot::importer;
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  std::size_t records = 0;
  line_importer imp(log_format::automatic, "fuzz", 1795737600LL * 1000000, [&](import_record&& r) {
    records += to_text(r).size() > 0;
  });
  std::size_t pos = 0;
  while (pos <= input.size()) {
    auto end = input.find('\n', pos);
    if (end == std::string_view::npos) end = input.size();
    const std::string_view line = input.substr(pos, end - pos);
    imp.line(line);
    (void)parse_postfix(line);
    (void)parse_sendmail(line);
    (void)parse_exim(line);
    (void)parse_syslog(line, [](int, int) { return 2026; });
    pos = end + 1;
  }
  imp.finish();
  return 0;
}
