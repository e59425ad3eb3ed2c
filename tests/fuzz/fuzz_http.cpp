// Fuzzes the seed page's request reader: fed in two pieces split anywhere, it reads the same
// request as fed whole, or none in both cases (Beast spots a bad line ending in an unfinished
// head only when it sees the head at once; waiting for more is then the other, safe, verdict);
// a refusal always carries a 4xx status. Then the answer for the path is rendered, as the
// server does.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "net/http_message.hpp"
#include "seed/page.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace spampot;
  using state = net::http_request_reader::state;
  if (size < 1) return 0;
  const std::size_t cut = data[0] % size;
  const std::string_view in(reinterpret_cast<const char*>(data) + 1, size - 1);
  const net::http_limits lim{512, 128};

  net::http_request_reader whole(lim);
  const state w = whole.feed(in);
  net::http_request_reader split(lim);
  state s = split.feed(in.substr(0, std::min(cut, in.size())));
  if (s == state::need_more) s = split.feed(in.substr(std::min(cut, in.size())));
  if ((s == state::done) != (w == state::done)) std::abort();
  for (const auto* r : {&whole, &split})
    if (r->status() != 0 && (r->status() < 400 || r->status() > 499)) std::abort();
  if (w == state::done) {
    const auto& a = whole.request();
    const auto& b = split.request();
    if (a.method != b.method || a.target != b.target || a.user_agent != b.user_agent) std::abort();
    if (a.target.size() > lim.target_bytes) std::abort();
    (void)seed::route_of(a.target);
    (void)net::render({200, "text/html", {}, seed::page_html("x@trap.example", a.user_agent, a.host)},
                      a.method == "HEAD");
  }
  return 0;
}
