// What the SMTP session costs on the CPU per dialogue, and the share its behavioural fingerprint
// takes (smtp/behaviour.hpp): a swaks-like dialogue with a 2 KB message (the bench's message size)
// driven through smtp::session as the network layer does, and the fingerprint's observations of
// the same dialogue alone.
#include <benchmark/benchmark.h>

#include <string>
#include <vector>

#include "smtp/behaviour.hpp"
#include "smtp/session.hpp"

namespace {

using namespace spampot::smtp;

std::string message() {
  std::string m =
      "Date: Mon, 30 Nov 2026 20:52:46 +0000\r\nFrom: <a@b.example>\r\nTo: <x@trap.example>\r\nSubject: "
      "offer\r\nMessage-ID: <20261130.4711@mail.sender.example>\r\nMIME-Version: 1.0\r\nContent-Type: "
      "text/plain\r\n\r\n";
  while (m.size() < 2048) m += "Cheap pills, today only, at http://shop.example/offer?id=4711\r\n";
  return m;
}

const std::vector<std::string>& dialogue() {
  static const std::vector<std::string> d{"EHLO bot.example\r\n", "MAIL FROM:<a@b.example> SIZE=2048\r\n",
                                          "RCPT TO:<x@trap.example>\r\n", "DATA\r\n", message() + ".\r\n",
                                          "QUIT\r\n"};
  return d;
}

void Session(benchmark::State& state) {
  session_config cfg;
  cfg.policy = std::make_shared<recipient_policy>(std::vector<trap_domain>{{"trap.example", false}},
                                                  std::vector<rcpt_rule>{});
  for (auto _ : state) {
    session s(cfg, 0);
    auto out = s.greet(0);
    for (const auto& read : dialogue()) {
      out = s.feed(read, 1);
      if (out.msg) out = s.message_stored("ID", 2);
    }
    benchmark::DoNotOptimize(s.summary().fingerprint);
  }
}
BENCHMARK(Session);

void Fingerprint(benchmark::State& state) {
  const std::string body = message();
  const auto& d = dialogue();
  for (auto _ : state) {
    behaviour b;
    for (std::size_t i = 0; i < 4; ++i) {
      std::string_view line(d[i]);
      line.remove_suffix(2);
      b.command(parse_command(line), true, false, 1000);
    }
    b.message(body, false);
    b.command(parse_command("QUIT"), true, false, 2000);
    const std::string f = b.features("quit");
    benchmark::DoNotOptimize(behaviour::fingerprint(f));
  }
}
BENCHMARK(Fingerprint);

}  // namespace

BENCHMARK_MAIN();
