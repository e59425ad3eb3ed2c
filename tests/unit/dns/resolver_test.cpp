// The c-ares resolver on Asio against a DNS server of the test's own, on the same io_context on
// 127.0.0.1: what reaches the network is counted, so sharing, caching and the rate are seen.
#include "dns/resolver.hpp"

#include <gtest/gtest.h>

#include <asio/io_context.hpp>
#include <asio/ip/udp.hpp>
#include <asio/steady_timer.hpp>
#include <chrono>

namespace spampot::dns {
namespace {

// Answers A questions for names that start with "listed." with 127.0.0.2 (TTL 300), NXDOMAIN
// for the rest, and nothing at all for names that start with "silent.".
class test_server {
 public:
  explicit test_server(asio::io_context& io) : sock_(io, {asio::ip::make_address("127.0.0.1"), 0}) { receive(); }
  std::uint16_t port() const { return sock_.local_endpoint().port(); }
  int questions = 0;

 private:
  void receive() {
    sock_.async_receive_from(asio::buffer(buf_), peer_, [this](std::error_code ec, std::size_t n) {
      if (ec) return;
      ++questions;
      answer(std::string(buf_.data(), n));
      receive();
    });
  }
  void answer(const std::string& q) {
    if (q.size() < 17) return;
    const std::string name = q.substr(12, q.find('\0', 12) - 12 + 5);  // labels, root, type, class
    const bool listed = q.compare(13, 6, "listed") == 0;
    if (q.compare(13, 6, "silent") == 0) return;
    std::string r = q.substr(0, 2);
    r += listed ? "\x81\x80" : "\x81\x83";  // QR RD RA, RCODE 0 or 3 (NXDOMAIN)
    r += std::string("\x00\x01\x00", 3) + (listed ? "\x01" : std::string(1, '\0')) + std::string(4, '\0');
    r += name;
    if (listed) r += std::string("\xc0\x0c\x00\x01\x00\x01\x00\x00\x01\x2c\x00\x04\x7f\x00\x00\x02", 16);
    auto out = std::make_shared<std::string>(r);
    sock_.async_send_to(asio::buffer(*out), peer_, [out](std::error_code, std::size_t) {});
  }
  asio::ip::udp::socket sock_;
  asio::ip::udp::endpoint peer_;
  std::array<char, 512> buf_{};
};

struct Resolver : ::testing::Test {
  asio::io_context io;
  test_server server{io};
  std::unique_ptr<resolver> make(double rate = 0, Micros timeout = 300000) {
    resolver_options o;
    o.servers = {"127.0.0.1:" + std::to_string(server.port())};
    o.rate = rate;
    o.timeout = timeout;
    o.tries = 1;
    auto r = make_resolver(io, o);
    EXPECT_TRUE(r.ok()) << r.error();
    return std::move(r).value();
  }
  void run_until(const std::function<bool()>& done) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (!done() && std::chrono::steady_clock::now() < deadline) io.run_one_for(std::chrono::milliseconds(50));
  }
};

TEST_F(Resolver, ConcurrentQuestionsShareOneQueryAndAnswersAreCached) {
  auto r = make();
  int answers = 0;
  for (int i = 0; i < 10; ++i)
    r->query("listed.bl.test", rr::a, [&](const lookup_result& a) {
      EXPECT_EQ(a.st, lookup_result::status::ok);
      EXPECT_EQ(a.values, std::vector<std::string>{"127.0.0.2"});
      EXPECT_EQ(a.ttl, 300u);
      ++answers;
    });
  run_until([&] { return answers == 10; });
  EXPECT_EQ(answers, 10);
  EXPECT_EQ(server.questions, 1);
  r->query("listed.bl.test", rr::a, [&](const lookup_result&) { ++answers; });  // from the cache
  EXPECT_EQ(answers, 11);
  EXPECT_EQ(server.questions, 1);
  lookup_result nx;
  r->query("clean.bl.test", rr::a, [&](const lookup_result& a) { nx = a; });
  run_until([&] { return nx.st != lookup_result::status::error; });
  EXPECT_EQ(nx.st, lookup_result::status::nxdomain);
  EXPECT_EQ(r->pending(), 0u);
}

TEST_F(Resolver, ATimeoutIsAnErrorAndIsAskedAgain) {
  auto r = make();
  lookup_result got;
  bool done = false;
  r->query("silent.bl.test", rr::a, [&](const lookup_result& a) {
    got = a;
    done = true;
  });
  run_until([&] { return done; });
  EXPECT_EQ(got.st, lookup_result::status::timeout);
  EXPECT_FALSE(got.answered());
  done = false;
  r->query("silent.bl.test", rr::a, [&](const lookup_result&) { done = true; });
  run_until([&] { return done; });
  EXPECT_EQ(server.questions, 2);  // not cached
}

TEST_F(Resolver, TheRateLimitSpacesQuestions) {
  auto r = make(20);  // 20 per second, a burst of 20
  int answers = 0;
  const auto start = std::chrono::steady_clock::now();
  for (int i = 0; i < 30; ++i)
    r->query("listed" + std::to_string(i) + ".bl.test", rr::a, [&](const lookup_result&) { ++answers; });
  run_until([&] { return answers == 30; });
  EXPECT_EQ(answers, 30);
  // The ten beyond the burst wait about half a second for their tokens.
  EXPECT_GE(std::chrono::steady_clock::now() - start, std::chrono::milliseconds(400));
}

TEST_F(Resolver, ResolversSharingABudgetShareTheRate) {
  resolver_options o;
  o.servers = {"127.0.0.1:" + std::to_string(server.port())};
  o.tries = 1;
  o.shared_rate = std::make_shared<rate_limit>(20, 20);
  auto a = make_resolver(io, o);
  auto b = make_resolver(io, o);
  ASSERT_TRUE(a.ok() && b.ok());
  int answers = 0;
  const auto start = std::chrono::steady_clock::now();
  for (int i = 0; i < 15; ++i) {
    (*a)->query("listed-a" + std::to_string(i) + ".bl.test", rr::a, [&](const lookup_result&) { ++answers; });
    (*b)->query("listed-b" + std::to_string(i) + ".bl.test", rr::a, [&](const lookup_result&) { ++answers; });
  }
  run_until([&] { return answers == 30; });
  EXPECT_EQ(answers, 30);
  // 30 questions from two resolvers on one budget of 20/s: ten wait, as from one resolver.
  EXPECT_GE(std::chrono::steady_clock::now() - start, std::chrono::milliseconds(400));
}

}  // namespace
}  // namespace spampot::dns
