#include "importer/syslog_line.hpp"

#include <gtest/gtest.h>

namespace spampot::importer {
namespace {

int year_2026(int, int) { return 2026; }

TEST(SyslogLine, Framings) {
  struct {
    const char* line;
    const char* time;
    const char* host;
    const char* program;
    const char* message;
  } cases[] = {
      {"Nov 27 06:48:42 vm postfix/smtpd[17169]: D4937A7618D: client=localhost[127.0.0.1]",
       "2026-11-27T06:48:42.000000Z", "vm", "postfix/smtpd", "D4937A7618D: client=localhost[127.0.0.1]"},
      {"Jan  4 20:47:07 Jupiter sendmail[405]: starting", "2026-01-04T20:47:07.000000Z", "Jupiter", "sendmail",
       "starting"},
      {"2026-11-27T06:46:39.998392+00:00 vm postfix/qmgr[1]: x: removed", "2026-11-27T06:46:39.998392Z", "vm",
       "postfix/qmgr", "x: removed"},
      {"2026-11-27T07:46:39+0100 vm postfix/qmgr[1]: x: removed", "2026-11-27T06:46:39.000000Z", "vm",
       "postfix/qmgr", "x: removed"},
      {"<22>1 2026-11-27T06:46:39.5Z mx postfix/smtpd 123 - - NOQUEUE: reject", "2026-11-27T06:46:39.500000Z", "mx",
       "postfix/smtpd", "NOQUEUE: reject"},
      {"<22>1 2026-11-27T06:46:39Z mx sm-mta 9 - [meta x=\"a]b\\\"\"] lost", "2026-11-27T06:46:39.000000Z", "mx",
       "sm-mta", "lost"},
      {"Jul 31 13:03:43 <mail.notice> alarmpi sm-mta[24291]: 56VFYCxS024291: lost input channel",
       "2026-07-31T13:03:43.000000Z", "alarmpi", "sm-mta", "56VFYCxS024291: lost input channel"},
      {"2013-01-04 17:03:46 login authenticator failed", "2013-01-04T17:03:46.000000Z", "", "exim",
       "login authenticator failed"},
      {"2013-01-04 17:03:46 [1234] 1abcDE-000123-xy Completed", "2013-01-04T17:03:46.000000Z", "", "exim",
       "1abcDE-000123-xy Completed"},
      {"2019-10-22 03:39:17 mx1.fqdn.local exim[29786]: dovecot_login authenticator failed",
       "2019-10-22T03:39:17.000000Z", "mx1.fqdn.local", "exim", "dovecot_login authenticator failed"},
  };
  for (const auto& c : cases) {
    auto got = parse_syslog(c.line, year_2026);
    ASSERT_TRUE(got) << c.line;
    EXPECT_EQ(format_rfc3339(got->time), c.time) << c.line;
    EXPECT_EQ(got->host, c.host) << c.line;
    EXPECT_EQ(got->program, c.program) << c.line;
    EXPECT_EQ(got->message, c.message) << c.line;
  }
}

TEST(SyslogLine, GarbageIsRefused) {
  for (const char* bad : {"", "hello world", "Foo 27 06:48:42 vm x: y", "Nov 27 06:48 vm x: y",
                          "Nov 27 06:48:42 vm", "Nov 27 06:48:42 vm no tag here",
                          "<22>2 2026-11-27T06:46:39Z mx x 1 - - m", "2026-13-45T99:00:00Z vm x: y",
                          "<999999>1 x", "Nov 27 06:48:42 vm x[1]:"})
    EXPECT_FALSE(parse_syslog(bad, year_2026)) << bad;
}

TEST(SyslogLine, YearFromTheFileTime) {
  const Micros jan3 = *parse_time_point("2027-01-03T10:00:00Z", 0);
  EXPECT_EQ(year_for(12, 30, jan3), 2026);  // last year's December in this January's file
  EXPECT_EQ(year_for(1, 2, jan3), 2027);
  EXPECT_EQ(year_for(1, 4, jan3), 2027);  // a day of slack for zones and clocks
  EXPECT_EQ(year_for(1, 5, jan3), 2026);
}

}  // namespace
}  // namespace spampot::importer
