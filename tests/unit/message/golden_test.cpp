// The parser's reading of every test message against Python's `email` package (policy=default):
// the references are written by tests/golden/message_reference.py, which states the per-field
// rules, and committed as text under tests/data/eml-expected/.
//
// SPAMPOT_GOLDEN_OUT=DIR writes this side's reading there too, for a diff when a reference
// changes.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "message/message.hpp"

namespace spampot::message {
namespace {

namespace fs = std::filesystem;

std::string read_file(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// As the reference script's escape(): one line per field.
std::string escape(std::string_view s) {
  std::string out;
  for (char c : s) {
    const auto u = static_cast<unsigned char>(c);
    if (c == '\\') out += "\\\\";
    else if (c == '\n') out += "\\n";
    else if (c == '\r') out += "\\r";
    else if (c == '\t') out += "\\t";
    else if (u < 0x20 || u == 0x7f) {
      static constexpr char kHex[] = "0123456789abcdef";
      out += "\\x";
      out += kHex[u >> 4];
      out += kHex[u & 15];
    } else {
      out += c;
    }
  }
  return out;
}

std::string reading(const parsed& p) {
  std::string out = "subject: " + escape(p.subject) + "\n";
  out += "from: " + escape(p.from.address) + "\n";
  out += "message-id: " + escape(p.message_id) + "\n";
  out += "date-utc: " + (p.date_utc ? format_rfc3339(*p.date_utc, false) : std::string("-")) + "\n";
  for (const auto& a : p.attachments) out += "attachment: " + a.sha256 + " " + escape(a.name) + "\n";
  return out;
}

TEST(Golden, EveryCorpusMessageReadsAsPythonReadsIt) {
  // SPAMPOT_GOLDEN_EML and SPAMPOT_GOLDEN_EXPECTED point it at another corpus and its
  // references (tests/golden/generated_test.py: messages Python's email package wrote).
  const char* eml_dir = std::getenv("SPAMPOT_GOLDEN_EML");
  const char* expected_dir = std::getenv("SPAMPOT_GOLDEN_EXPECTED");
  const fs::path data = eml_dir ? fs::path(eml_dir) : fs::path(SPAMPOT_TEST_DATA) / "eml";
  const fs::path expected =
      expected_dir ? fs::path(expected_dir) : fs::path(SPAMPOT_TEST_DATA) / "eml-expected";
  const char* out_dir = std::getenv("SPAMPOT_GOLDEN_OUT");
  std::size_t compared = 0;
  std::vector<std::string> differ;
  for (const auto& folder : fs::directory_iterator(data)) {
    if (!folder.is_directory()) continue;
    for (const auto& file : fs::directory_iterator(folder.path())) {
      const fs::path rel = fs::relative(file.path(), data);
      const std::string got = reading(parse(read_file(file.path()), 0));
      if (out_dir) {
        const fs::path o = fs::path(out_dir) / (rel.string() + ".txt");
        fs::create_directories(o.parent_path());
        std::ofstream(o, std::ios::binary) << got;
      }
      const fs::path want_path = expected / (rel.string() + ".txt");
      ASSERT_TRUE(fs::exists(want_path)) << "no reference for " << rel;
      ++compared;
      const std::string want = read_file(want_path);
      // The reference names messages whose MIME structure has no one right reading.
      if (const auto skip = want.find("attachments: not compared"); skip != std::string::npos) {
        const std::string headers_only = got.substr(0, got.find("attachment: "));
        if (headers_only != want.substr(0, skip))
          differ.push_back(rel.string() + "\n--- want\n" + want + "--- got\n" + got);
        continue;
      }
      if (got != want) differ.push_back(rel.string() + "\n--- want\n" + want + "--- got\n" + got);
    }
  }
  EXPECT_GT(compared, eml_dir ? 0u : 400u);
  EXPECT_TRUE(differ.empty()) << differ.size() << " of " << compared << " differ; the first:\n"
                              << (differ.empty() ? "" : differ.front());
}

}  // namespace
}  // namespace spampot::message
