#include "importer/line_reader.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

namespace spampot::importer {
namespace {

namespace fs = std::filesystem;

std::vector<std::string> read_all(const fs::path& p, std::uint64_t* cut = nullptr) {
  auto r = line_reader::open(p.string());
  EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error());
  std::vector<std::string> lines;
  std::string line;
  while ((*r)->next(line)) lines.push_back(line);
  EXPECT_EQ((*r)->error(), "");
  if (cut) *cut = (*r)->cut_lines();
  return lines;
}

TEST(LineReader, PlainGzipAndZstdAlike) {
  const fs::path dir = fs::temp_directory_path() / ("spampot-lines-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  {
    std::ofstream(dir / "maillog") << "one\ntwo\r\n\nlast without newline";
  }
  const std::vector<std::string> want = {"one", "two\r", "", "last without newline"};
  EXPECT_EQ(read_all(dir / "maillog"), want);
  ASSERT_EQ(std::system(("gzip -k " + (dir / "maillog").string()).c_str()), 0);
  ASSERT_EQ(std::system(("zstd -q -k " + (dir / "maillog").string()).c_str()), 0);
  EXPECT_EQ(read_all(dir / "maillog.gz"), want);
  EXPECT_EQ(read_all(dir / "maillog.zst"), want);
  fs::remove_all(dir);
}

TEST(LineReader, OverlongLinesAreCutAndCounted) {
  const fs::path p = fs::temp_directory_path() / ("spampot-long-" + std::to_string(::getpid()));
  {
    std::ofstream(p) << std::string(200000, 'x') << "\nnext\n";
  }
  std::uint64_t cut = 0;
  const auto lines = read_all(p, &cut);
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_EQ(lines[0].size(), kMaxLine);
  EXPECT_EQ(lines[1], "next");
  EXPECT_EQ(cut, 1u);
  fs::remove(p);
}

TEST(LineReader, MissingFileIsAnError) { EXPECT_FALSE(line_reader::open("/nonexistent/maillog").ok()); }

}  // namespace
}  // namespace spampot::importer
