// Google Benchmark of message forensics over the test corpus (tests/data/eml, 429 real
// messages, spam and MIME torture tests): what one pipeline thread parses per second, in
// messages and in MB.
//
//   make release && build-release/bench/parse_bench [--benchmark_repetitions=3]
#include <benchmark/benchmark.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "message/message.hpp"

namespace {

namespace fs = std::filesystem;

const std::vector<std::string>& corpus() {
  static const std::vector<std::string> messages = [] {
    std::vector<std::string> out;
    for (const auto& f : fs::recursive_directory_iterator(fs::path(SPAMPOT_TEST_DATA) / "eml")) {
      if (!f.is_regular_file() || f.path().extension() != ".eml") continue;
      std::ifstream in(f.path(), std::ios::binary);
      std::ostringstream s;
      s << in.rdbuf();
      out.push_back(s.str());
    }
    return out;
  }();
  return messages;
}

// The whole corpus once per iteration, as the indexer meets it.
void BM_ParseCorpus(benchmark::State& state) {
  const auto& messages = corpus();
  std::int64_t bytes = 0;
  for (const auto& m : messages) bytes += static_cast<std::int64_t>(m.size());
  for (auto _ : state) {
    for (const auto& m : messages) {
      auto p = spampot::message::parse(m, 1'700'000'000'000'000);
      benchmark::DoNotOptimize(p);
    }
  }
  state.SetBytesProcessed(state.iterations() * bytes);
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(messages.size()));
  state.counters["messages"] = static_cast<double>(messages.size());
}
BENCHMARK(BM_ParseCorpus)->Unit(benchmark::kMillisecond);

// A typical small spam: the corpus's median-sized message, alone.
void BM_ParseMedianMessage(benchmark::State& state) {
  std::vector<std::string> sorted = corpus();
  std::sort(sorted.begin(), sorted.end(),
            [](const std::string& a, const std::string& b) { return a.size() < b.size(); });
  const std::string& m = sorted[sorted.size() / 2];
  for (auto _ : state) {
    auto p = spampot::message::parse(m, 1'700'000'000'000'000);
    benchmark::DoNotOptimize(p);
  }
  state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(m.size()));
  state.SetItemsProcessed(state.iterations());
  state.counters["bytes"] = static_cast<double>(m.size());
}
BENCHMARK(BM_ParseMedianMessage)->Unit(benchmark::kMicrosecond);

}  // namespace

BENCHMARK_MAIN();
