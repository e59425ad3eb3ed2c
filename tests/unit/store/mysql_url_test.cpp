#include "store/mysql/mysql_url.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

namespace spampot::store {
namespace {

TEST(MysqlUrl, Forms) {
  auto u = parse_mysql_url("mysql://spampot:s%40cret@db.example:3307/traps", "");
  ASSERT_TRUE(u.ok()) << u.error();
  EXPECT_EQ(u->user, "spampot");
  EXPECT_EQ(u->password, "s@cret");
  EXPECT_EQ(u->host, "db.example");
  EXPECT_EQ(u->port, 3307);
  EXPECT_EQ(u->database, "traps");
  u = parse_mysql_url("mysql://spampot@[::1]/traps?socket=/run/mysqld/mysqld.sock", "from-env");
  ASSERT_TRUE(u.ok()) << u.error();
  EXPECT_EQ(u->host, "::1");
  EXPECT_EQ(u->port, 3306);
  EXPECT_EQ(u->socket, "/run/mysqld/mysqld.sock");
  EXPECT_EQ(u->password, "from-env");
}

TEST(MysqlUrl, PasswordFile) {
  const auto f = std::filesystem::temp_directory_path() / ("spampot-pw-" + std::to_string(::getpid()));
  std::ofstream(f) << "hunter2\n";
  auto u = parse_mysql_url("mysql://u@h/d?password_file=" + f.string(), "ignored");
  ASSERT_TRUE(u.ok());
  EXPECT_EQ(u->password, "hunter2");
  std::filesystem::remove(f);
}

TEST(MysqlUrl, Errors) {
  for (const char* bad : {"mysql://h/d", "mysql://u@h", "mysql://u@h:99999/d", "mysql://u@h/d?bogus=1",
                          "mysql://u@h/d?password_file=/nonexistent", "mysql://u@[::1/d"})
    EXPECT_FALSE(parse_mysql_url(bad, "").ok()) << bad;
}

}  // namespace
}  // namespace spampot::store
