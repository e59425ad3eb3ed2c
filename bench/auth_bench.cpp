// What evaluating a message's sender costs on the CPU, DNS aside: SPF, DKIM and DMARC with every
// question answered at once from a table (a warm cache), on messages python3-dkim signed
// (tests/scripts/make_dkim.py, run at build time). The DNS round trips come on top: one to three
// for SPF's usual records, one per DKIM signature, one or two for DMARC, each cached by its TTL.
#include <benchmark/benchmark.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "enrich/dkim.hpp"
#include "enrich/dmarc.hpp"
#include "enrich/spf.hpp"

namespace {

using namespace spampot;

std::string read(const std::string& name) {
  std::ifstream in(std::filesystem::path(SPAMPOT_BENCH_DKIM) / name, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

const std::map<std::string, std::vector<std::string>>& zone() {
  static const std::map<std::string, std::vector<std::string>> z = [] {
    std::string key = read("key.txt");
    while (!key.empty() && key.back() == '\n') key.pop_back();
    return std::map<std::string, std::vector<std::string>>{
        {"signed.example", {"v=spf1 ip4:192.0.2.0/24 -all"}},
        {"big.example", {"v=spf1 include:_spf1.big.example include:_spf2.big.example mx -all"}},
        {"_spf1.big.example", {"v=spf1 ip4:198.51.100.0/24 ip4:203.0.113.0/24 -all"}},
        {"_spf2.big.example", {"v=spf1 ip6:2001:db8::/32 a:mail.big.example -all"}},
        {"mail.big.example", {"192.0.2.200"}},
        {"sel._domainkey.signed.example", {key}},
        {"_dmarc.signed.example", {"v=DMARC1; p=reject"}},
        {"_dmarc.bank.example", {"v=DMARC1; p=reject"}},
    };
  }();
  return z;
}

dns::lookup_result answer(const std::string& name, dns::rr t) {
  const auto& z = zone();
  if (t == dns::rr::mx && name == "big.example") return {dns::lookup_result::status::ok, {"mail.big.example"}, 300, ""};
  if (auto it = z.find(name); it != z.end()) return {dns::lookup_result::status::ok, it->second, 300, ""};
  return {dns::lookup_result::status::nxdomain, {}, 0, ""};
}

void BM_spf_one_record(benchmark::State& state) {
  auto c = enrich::spf_checker::make(answer);
  for (auto _ : state) benchmark::DoNotOptimize(c.value()->check("192.0.2.9", "mx.signed.example", "a@signed.example"));
}
BENCHMARK(BM_spf_one_record);

void BM_spf_includes_and_mx_to_fail(benchmark::State& state) {
  auto c = enrich::spf_checker::make(answer);
  for (auto _ : state) benchmark::DoNotOptimize(c.value()->check("192.0.2.9", "bot.example", "a@big.example"));
}
BENCHMARK(BM_spf_includes_and_mx_to_fail);

void BM_dkim_rsa2048_pass(benchmark::State& state) {
  auto v = enrich::dkim_verifier::make(answer);
  const std::string msg = read("signed.eml");
  for (auto _ : state) benchmark::DoNotOptimize(v.value()->verify(msg));
}
BENCHMARK(BM_dkim_rsa2048_pass);

void BM_dkim_unsigned(benchmark::State& state) {
  auto v = enrich::dkim_verifier::make(answer);
  const std::string msg = read("unsigned.eml");
  for (auto _ : state) benchmark::DoNotOptimize(v.value()->verify(msg));
}
BENCHMARK(BM_dkim_unsigned);

void BM_dmarc_brand_fails(benchmark::State& state) {
  auto c = enrich::dmarc_checker::make(answer);
  const enrich::dmarc_input in{"192.0.2.9", "bank.example", false, {"pass", "mailer.example", "none"},
                               {{"signed.example", "sel", "pass", ""}}};
  for (auto _ : state) benchmark::DoNotOptimize(c.value()->check(in));
}
BENCHMARK(BM_dmarc_brand_fails);

}  // namespace

BENCHMARK_MAIN();
