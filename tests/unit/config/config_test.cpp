#include "config/config.hpp"

#include <gtest/gtest.h>

namespace spampot::config {
namespace {

TEST(Config, EmptyConfigIsAllDefaults) {
  auto c = parse("", "empty.toml");
  ASSERT_TRUE(c.ok()) << c.error();
  EXPECT_EQ(c->smtp.listen, (std::vector<std::string>{"0.0.0.0:25", "[::]:25"}));
  EXPECT_EQ(c->lim.message_bytes, 10u * 1024 * 1024);
  EXPECT_EQ(c->store.db, "sqlite:/var/lib/spampot/spampot.db");
  EXPECT_TRUE(c->traps.empty());
}

TEST(Config, TheExampleConfigParses) {
  auto c = load(std::string(SPAMPOT_TEST_DATA) + "/../../spampot.example.toml");
  ASSERT_TRUE(c.ok()) << c.error();
  ASSERT_EQ(c->traps.size(), 1u);
  EXPECT_EQ(c->traps[0].domain, "example.test");
  EXPECT_EQ(c->traps[0].registered, 1362096000LL * kMicrosPerSecond);  // 2013-03-01T00:00:00Z
  EXPECT_EQ(c->lim.idle_timeout, 300 * kMicrosPerSecond);
}

TEST(Config, EveryKey) {
  auto c = parse(R"(
sensor = "fra-2"
user = "nobody"
[smtp]
listen = ["127.0.0.1:2525", "[::1]:2525"]
hostname = "mx.trap.example"
banner = "ESMTP"
relay_bait = true
auth_capture = true
greeting_delay = "2s"
tls = false
auth_after_tls = true
tls_cert = "/etc/spampot/cert.pem"
tls_key = "/etc/spampot/key.pem"
[limits]
line_bytes = 2048
message_bytes = 1048576
recipients = 5
messages_per_session = 3
errors = 4
session_time = "10m"
idle_timeout = 30
connections = 50
connections_per_ip = 2
shutdown_grace = "1s"
[[listener]]
address = "127.0.0.1:2526"
proxy_protocol = true
stutter = "500ms"
greeting_delay = "3s"
implicit_tls = true
[[trap]]
domain = "trap.example"
registered = 2020-01-02
subdomains = true
[[trap]]
domain = "other.example"
[[rule]]
address = "abuse@trap.example"
action = "refuse"
[store]
db = "sqlite:/tmp/x.db"
spool = "/tmp/spool"
segment_bytes = 1048576
[export]
min_hits = 3
min_days = 2
expire_after = "7d"
exclude = "/etc/spampot/never.txt"
aggregate_v4 = 0
aggregate_v6 = 4
[log]
level = "debug"
)",
                 "full.toml");
  ASSERT_TRUE(c.ok()) << c.error();
  EXPECT_EQ(c->sensor, "fra-2");
  EXPECT_EQ(c->user, "nobody");
  EXPECT_EQ(c->smtp.listen.size(), 2u);
  EXPECT_TRUE(c->smtp.relay_bait);
  EXPECT_TRUE(c->smtp.auth_capture);
  EXPECT_EQ(c->smtp.greeting_delay, 2 * kMicrosPerSecond);
  EXPECT_EQ(c->lim.line_bytes, 2048u);
  EXPECT_EQ(c->lim.recipients, 5u);
  EXPECT_EQ(c->lim.idle_timeout, 30 * kMicrosPerSecond);
  EXPECT_EQ(c->lim.connections_per_ip, 2u);
  ASSERT_EQ(c->traps.size(), 2u);
  EXPECT_TRUE(c->traps[0].subdomains);
  EXPECT_EQ(c->traps[0].registered, parse_time_point("2020-01-02", 0));
  ASSERT_EQ(c->rules.size(), 1u);
  EXPECT_FALSE(c->rules[0].accept);
  EXPECT_EQ(c->store.segment_bytes, 1048576u);
  EXPECT_EQ(c->log.level, "debug");
  ASSERT_EQ(c->listeners.size(), 1u);
  EXPECT_EQ(c->listeners[0].address, "127.0.0.1:2526");
  EXPECT_TRUE(c->listeners[0].proxy_protocol);
  EXPECT_EQ(c->listeners[0].stutter, 500000);
  EXPECT_EQ(c->listeners[0].greeting_delay, 3 * kMicrosPerSecond);
  EXPECT_TRUE(c->listeners[0].implicit_tls);
  EXPECT_FALSE(c->smtp.tls);
  EXPECT_TRUE(c->smtp.auth_after_tls);
  EXPECT_EQ(c->smtp.tls_cert, "/etc/spampot/cert.pem");
  EXPECT_EQ(c->exports.min_hits, 3u);
  EXPECT_EQ(c->exports.min_days, 2u);
  EXPECT_EQ(c->exports.expire_after, 7 * 24 * 3600 * kMicrosPerSecond);
  EXPECT_EQ(c->exports.exclude, "/etc/spampot/never.txt");
  EXPECT_EQ(c->exports.aggregate_v4, 0u);
  EXPECT_EQ(c->exports.aggregate_v6, 4u);
}

TEST(Config, KeepRawFollowsTheStoreUnlessSet) {
  auto sqlite = parse("[store]\ndb = \"sqlite:/tmp/x.db\"\n", "t");
  ASSERT_TRUE(sqlite.ok());
  EXPECT_FALSE(sqlite->store.keeps_raw());
  auto fleet = parse("[store]\ndb = \"mysql://u@db/spampot\"\n", "t");
  ASSERT_TRUE(fleet.ok());
  EXPECT_TRUE(fleet->store.keeps_raw());
  auto off = parse("[store]\ndb = \"mysql://u@db/spampot\"\nkeep_raw = false\n", "t");
  ASSERT_TRUE(off.ok());
  EXPECT_FALSE(off->store.keeps_raw());
  auto on = parse("[store]\nkeep_raw = true\n", "t");
  ASSERT_TRUE(on.ok());
  EXPECT_TRUE(on->store.keeps_raw());
  EXPECT_FALSE(parse("[store]\nkeep_raw = \"yes\"\n", "t").ok());
}

TEST(Config, GeoipNeedsADatabase) {
  auto none = parse("", "t");
  ASSERT_TRUE(none.ok());
  EXPECT_FALSE(none->geoip.on());
  auto both = parse("[geoip]\ncountry_db = \"/g/c.mmdb\"\nasn_db = \"/g/a.mmdb\"\n", "t");
  ASSERT_TRUE(both.ok());
  EXPECT_TRUE(both->geoip.on());
  EXPECT_EQ(both->geoip.country_db, "/g/c.mmdb");
  EXPECT_EQ(both->geoip.asn_db, "/g/a.mmdb");
  auto empty = parse("[geoip]\n", "t");
  ASSERT_FALSE(empty.ok());
  EXPECT_NE(empty.error().find("country_db, asn_db or both"), std::string::npos) << empty.error();
  EXPECT_FALSE(parse("[geoip]\ncity_db = \"/g/c.mmdb\"\n", "t").ok());
}

TEST(Config, GreylistAndGreytrapAreOffUnlessAskedAndChecked) {
  auto none = parse("", "t");
  ASSERT_TRUE(none.ok());
  EXPECT_EQ(none->greylist.share, 0);
  EXPECT_EQ(none->greytrap.tarpit_for, 0);
  auto on = parse("[greylist]\nshare = 0.5\nmin_delay = \"2m\"\nexpire = \"4h\"\n"
                  "[greytrap]\ntarpit_for = \"24h\"\nstutter = \"500ms\"\n", "t");
  ASSERT_TRUE(on.ok()) << on.error();
  EXPECT_EQ(on->greylist.share, 0.5);
  EXPECT_EQ(on->greylist.min_delay, 120 * kMicrosPerSecond);
  EXPECT_EQ(on->greylist.expire, 4 * 3600 * kMicrosPerSecond);
  EXPECT_EQ(on->greytrap.tarpit_for, 24 * 3600 * kMicrosPerSecond);
  EXPECT_EQ(on->greytrap.stutter, 500'000);
  auto all = parse("[greylist]\nshare = 1\n", "t");
  ASSERT_TRUE(all.ok()) << all.error();
  EXPECT_EQ(all->greylist.share, 1.0);
  for (const char* bad : {"[greylist]\nshare = 1.5\n", "[greylist]\nshare = \"half\"\n",
                          "[greylist]\nshare = 0.5\nmin_delay = \"2h\"\nexpire = \"1h\"\n",
                          "[greytrap]\ntarpit_for = \"1h\"\nstutter = 0\n", "[greytrap]\nfor = \"1h\"\n"}) {
    auto c = parse(bad, "t");
    EXPECT_FALSE(c.ok()) << bad;
  }
  auto why = parse("[greylist]\nshare = 2\n", "t");
  EXPECT_NE(why.error().find("'share' must be a number from 0 (off) to 1"), std::string::npos) << why.error();
}

TEST(Config, ErrorsNameLineAndColumnAndAllAreReported) {
  auto c = parse(
      "sensor = \"x\"\n[limits]\nline_byte = 5\nerrors = \"many\"\nidle_timeout = \"soon\"\n"
      "[smtp]\nlisten = [\"nowhere\"]\n",
      "bad.toml");
  ASSERT_FALSE(c.ok());
  EXPECT_NE(c.error().find("bad.toml:3:"), std::string::npos) << c.error();
  EXPECT_NE(c.error().find("unknown key 'line_byte' in [limits]"), std::string::npos);
  EXPECT_NE(c.error().find("bad.toml:4:"), std::string::npos);
  EXPECT_NE(c.error().find("bad.toml:5:"), std::string::npos);
  EXPECT_NE(c.error().find("bad.toml:7:"), std::string::npos);
}

TEST(Config, SyntaxErrorHasPosition) {
  auto c = parse("sensor = \"x\n", "broken.toml");
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.error().rfind("broken.toml:1:", 0), 0u) << c.error();
}

TEST(Config, BoundsAreChecked) {
  EXPECT_FALSE(parse("[limits]\nline_bytes = 100\n", "x").ok());   // below RFC 5321's 512
  EXPECT_FALSE(parse("[[trap]]\nsubdomains = true\n", "x").ok());  // no domain
  EXPECT_FALSE(parse("[[rule]]\naddress = \"a@b\"\naction = \"drop\"\n", "x").ok());
  EXPECT_FALSE(parse("[log]\nlevel = \"loud\"\n", "x").ok());
  EXPECT_FALSE(parse("[log]\nformat = \"xml\"\n", "x").ok());
  EXPECT_EQ(parse("[log]\nformat = \"json\"\n", "x")->log.format, "json");
  EXPECT_EQ(parse("", "x")->log.format, "text");
  EXPECT_FALSE(parse("[[listener]]\naddress = \"nowhere\"\n", "x").ok());
  EXPECT_FALSE(parse("[export]\nmin_hits = 0\n", "x").ok());
  EXPECT_FALSE(parse("[smtp]\ntls_cert = \"/x.pem\"\n", "x").ok());  // without its key
  EXPECT_FALSE(parse("[export]\nlist = \"x\"\n", "x").ok());
}

TEST(Config, RetentionAndMetricsSections) {
  auto c = parse(R"(
[retention]
max_age = "365d"
max_spool = "20GiB"
min_free = "1GB"
rows_max_age = "730d"
check_interval = "30s"
[metrics]
listen = "127.0.0.1:9425"
max_index_lag = "10m"
)",
                 "x");
  ASSERT_TRUE(c.ok()) << c.error();
  EXPECT_EQ(c->retention.max_age, 365LL * 24 * 3600 * kMicrosPerSecond);
  EXPECT_EQ(c->retention.max_spool, 20ULL << 30);
  EXPECT_EQ(c->retention.min_free, 1000000000ULL);
  EXPECT_EQ(c->retention.rows_max_age, 730LL * 24 * 3600 * kMicrosPerSecond);
  EXPECT_EQ(c->retention.check_interval, 30 * kMicrosPerSecond);
  EXPECT_EQ(c->metrics.listen, "127.0.0.1:9425");
  EXPECT_EQ(c->metrics.max_index_lag, 600 * kMicrosPerSecond);
  // Off unless asked: a trap drops nothing by default.
  auto d = parse("", "x");
  EXPECT_EQ(d->retention.max_age, 0);
  EXPECT_EQ(d->retention.max_spool, 0u);
  EXPECT_EQ(d->retention.min_free, 0u);
  EXPECT_EQ(d->retention.rows_max_age, 0);
  EXPECT_TRUE(d->metrics.listen.empty());
  EXPECT_EQ(parse("[retention]\nmax_spool = \"512 MiB\"\n", "x")->retention.max_spool, 512ULL << 20);
  EXPECT_EQ(parse("[retention]\nmin_free = \"64k\"\n", "x")->retention.min_free, 65536u);
  EXPECT_EQ(parse("[retention]\nmin_free = 4096\n", "x")->retention.min_free, 4096u);
  EXPECT_FALSE(parse("[retention]\nmax_spool = \"20 gallons\"\n", "x").ok());
  EXPECT_FALSE(parse("[retention]\nmax_spool = \"99999999999999999999\"\n", "x").ok());
  EXPECT_FALSE(parse("[retention]\nmax_spool = -1\n", "x").ok());
  EXPECT_FALSE(parse("[retention]\nmax_age = \"soon\"\n", "x").ok());
  EXPECT_FALSE(parse("[retention]\nmax_age = \"30d\"\nrows_max_age = \"7d\"\n", "x").ok());
  EXPECT_FALSE(parse("[retention]\ncheck_interval = \"10ms\"\n", "x").ok());
  EXPECT_FALSE(parse("[retention]\nkeep = \"all\"\n", "x").ok());
  EXPECT_FALSE(parse("[metrics]\nlisten = \"nowhere\"\n", "x").ok());
}

TEST(Config, SeedPageSection) {
  auto c = parse(R"(
[[trap]]
domain = "trap.example"
subdomains = true
[seed]
listen = "127.0.0.1:8080"
domain = "www.trap.example"
label = "shop contact page"
site = "Keller GmbH"
timeout = "5s"
connections = 10
connections_per_ip = 2
header_bytes = 4096
)", "seed.toml");
  ASSERT_TRUE(c.ok()) << c.error();
  EXPECT_EQ(c->seed.listen, "127.0.0.1:8080");
  EXPECT_EQ(c->seed.domain, "www.trap.example");
  EXPECT_EQ(c->seed.label, "shop contact page");
  EXPECT_EQ(c->seed.site, "Keller GmbH");
  EXPECT_EQ(c->seed.timeout, 5 * kMicrosPerSecond);
  EXPECT_EQ(c->seed.connections, 10u);
  EXPECT_EQ(c->seed.connections_per_ip, 2u);
  EXPECT_EQ(c->seed.header_bytes, 4096u);
  EXPECT_EQ(parse("", "x")->seed.listen, "");  // no seed page unless asked
  auto bad = parse("[[trap]]\ndomain = \"trap.example\"\n[seed]\nlisten = \"nowhere\"\ndomain = \"other.example\"\n", "s.toml");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.error().find("s.toml:4:"), std::string::npos) << bad.error();
  EXPECT_NE(bad.error().find("'other.example' is not a [[trap]] domain"), std::string::npos) << bad.error();
}

TEST(Config, TrapsDomainCoversSubdomainsOnlyWhenAsked) {
  auto c = parse("[[trap]]\ndomain = \"trap.example\"\n[[trap]]\ndomain = \"wide.example\"\nsubdomains = true\n", "t");
  ASSERT_TRUE(c.ok()) << c.error();
  EXPECT_TRUE(c->traps_domain("trap.example"));
  EXPECT_FALSE(c->traps_domain("www.trap.example"));
  EXPECT_TRUE(c->traps_domain("www.wide.example"));
  EXPECT_FALSE(c->traps_domain("notwide.example"));
  EXPECT_FALSE(c->traps_domain("example"));
}

TEST(ParseListen, Forms) {
  auto a = parse_listen("127.0.0.1:2525");
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(a->host, "127.0.0.1");
  EXPECT_EQ(a->port, 2525);
  auto b = parse_listen("[::1]:25");
  ASSERT_TRUE(b.ok());
  EXPECT_EQ(b->host, "::1");
  for (const char* bad : {"127.0.0.1", "::1:25", ":25", "1.2.3.4:99999", "1.2.3.4:x", "[::1]25"})
    EXPECT_FALSE(parse_listen(bad).ok()) << bad;
}

}  // namespace
}  // namespace spampot::config
