// Golden tests: every maillog of the corpus, imported, must give exactly the records in its .ref
// file (reviewed text). SPAMPOT_UPDATE_GOLDEN=1 rewrites the .ref files; review the diff.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "importer/importer.hpp"
#include "importer/line_reader.hpp"
#include "importer/parsers.hpp"
#include "importer/record_text.hpp"

namespace spampot::importer {
namespace {

namespace fs = std::filesystem;

// The year for year-less lines comes from this fixed "mtime", so the references do not change
// with the checkout's file times.
constexpr Micros kReferenceMtime = 1795737600LL * kMicrosPerSecond;  // 2026-11-27T00:00:00Z

std::string import_text(const fs::path& log) {
  std::string out;
  line_importer imp(log_format::automatic, log.filename().string(), kReferenceMtime,
                    [&](import_record&& r) { out += to_text(r) + "\n"; });
  auto reader = line_reader::open(log.string());
  EXPECT_TRUE(reader.ok());
  std::string line;
  while ((*reader)->next(line)) imp.line(line);
  imp.finish();
  out += "# " + imp.stats().summary() + "\n";
  return out;
}

TEST(Golden, EveryCorpusMaillog) {
  const fs::path dir = fs::path(SPAMPOT_TEST_DATA) / "maillogs";
  const bool update = std::getenv("SPAMPOT_UPDATE_GOLDEN") != nullptr;
  int files = 0;
  for (const auto& e : fs::recursive_directory_iterator(dir)) {
    const auto ext = e.path().extension();
    if (!e.is_regular_file() || ext != ".log") continue;
    ++files;
    const std::string got = import_text(e.path());
    const fs::path ref = e.path().string() + ".ref";
    if (update) {
      std::ofstream(ref, std::ios::binary) << got;
      continue;
    }
    std::ifstream in(ref, std::ios::binary);
    ASSERT_TRUE(in) << "missing " << ref << " (run with SPAMPOT_UPDATE_GOLDEN=1, then review it)";
    std::stringstream want;
    want << in.rdbuf();
    EXPECT_EQ(got, want.str()) << e.path();
  }
  EXPECT_GE(files, 15);
}

// The same sessions in RFC 5424 framing, as rsyslog's RSYSLOG_SyslogProtocol23Format writes them
// ("<22>1 TIME HOST APP PROCID - - MSG", the message's own space kept): the records must be those
// of the rsyslog ISO framing, line for line.
TEST(Golden, Rfc5424FramingGivesTheSameRecords) {
  const fs::path iso = fs::path(SPAMPOT_TEST_DATA) / "maillogs" / "generated-postfix-3.7" / "rfc3339.log";
  const fs::path converted = fs::temp_directory_path() / "spampot-rfc5424.log";
  {
    std::ifstream in(iso, std::ios::binary);
    std::ofstream out(converted, std::ios::binary);
    std::string line;
    while (std::getline(in, line)) {
      // "TIME HOST PROG[PID]: MSG" -> "<22>1 TIME HOST PROG PID - -  MSG"
      const auto sp1 = line.find(' ');
      const auto sp2 = line.find(' ', sp1 + 1);
      const auto colon = line.find(": ", sp2);
      const std::string tag = line.substr(sp2 + 1, colon - sp2 - 1);
      const auto bracket = tag.find('[');
      const std::string app = tag.substr(0, bracket);
      const std::string pid = bracket == std::string::npos ? "-" : tag.substr(bracket + 1, tag.size() - bracket - 2);
      out << "<22>1 " << line.substr(0, sp1) << " " << line.substr(sp1 + 1, sp2 - sp1 - 1) << " " << app << " " << pid
          << " - -  " << line.substr(colon + 2) << "\n";
    }
  }
  std::string want = import_text(iso);
  std::string got = import_text(converted);
  fs::remove(converted);
  // Only the file name in the summary-free record lines differs: compare without it.
  auto strip = [](std::string t) {
    std::string out;
    std::stringstream ss(t);
    std::string line;
    while (std::getline(ss, line)) {
      if (!line.starts_with("#")) out += line + "\n";
    }
    return out;
  };
  EXPECT_EQ(strip(got), strip(want));
  EXPECT_GT(std::count(want.begin(), want.end(), '\n'), 40);
}

std::string event_text(const log_event& e) {
  static constexpr const char* kKinds[] = {"ignored", "client", "message_id", "from", "to", "done", "reject", "lost"};
  std::string out = kKinds[static_cast<int>(e.kind)];
  auto put = [&](const char* k, const std::string& v) {
    if (!v.empty()) out += std::string(" ") + k + "=" + v;
  };
  put("qid", e.queue_id);
  if (!e.client_ip.empty()) out += " client=" + e.client_name + "[" + e.client_ip + "]";
  put("helo", e.helo);
  if (e.has_sender) out += " from=<" + e.sender + ">";
  for (const auto& r : e.recipients) out += " to=<" + r + ">";
  put("msgid", e.message_id);
  put("subject", e.subject);
  if (e.size) out += " size=" + std::to_string(e.size);
  put("reply", e.reply);
  return out;
}

// postfix-grok-patterns holds message parts without syslog framing: the parser alone, line by
// line, against its reviewed event list.
TEST(Golden, PostfixMessageParts) {
  const fs::path txt = fs::path(SPAMPOT_TEST_DATA) / "maillogs" / "postfix-grok-patterns" / "postfix-messages.txt";
  std::ifstream in(txt, std::ios::binary);
  ASSERT_TRUE(in);
  std::string got, line;
  int kept = 0;
  while (std::getline(in, line)) {
    const log_event e = parse_postfix(line);
    if (e.kind != event_kind::ignored) ++kept;
    got += event_text(e) + "\n";
  }
  const fs::path ref = txt.string() + ".events.ref";
  if (std::getenv("SPAMPOT_UPDATE_GOLDEN")) {
    std::ofstream(ref, std::ios::binary) << got;
    return;
  }
  std::ifstream r(ref, std::ios::binary);
  ASSERT_TRUE(r) << "missing " << ref;
  std::stringstream want;
  want << r.rdbuf();
  EXPECT_EQ(got, want.str());
  EXPECT_GT(kept, 30);  // most grok samples are TLS, anvil, postscreen: no mail data
}

}  // namespace
}  // namespace spampot::importer
