// Fuzzes the SMTP session: the input is split into chunks at bytes chosen by the input itself,
// fed with a clock that moves, and every finished message is stored or refused in turn.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string_view>

#include "smtp/session.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace spampot::smtp;
  if (size < 1) return 0;
  session_config cfg;
  cfg.hostname = "mx.trap.example";
  cfg.lim.line_bytes = 512;
  cfg.lim.message_bytes = 4096;
  cfg.lim.recipients = 4;
  cfg.lim.messages_per_session = 3;
  cfg.lim.errors = 8;
  cfg.relay_bait = (data[0] & 1) != 0;
  cfg.auth_capture = (data[0] & 0x80) != 0;
  cfg.starttls = (data[0] & 0x40) != 0;
  cfg.policy = std::make_shared<recipient_policy>(std::vector<trap_domain>{{"trap.example", true}},
                                                  std::vector<rcpt_rule>{{"abuse@trap.example", false}});
  const std::size_t chunk = 1 + (data[0] >> 1) % 64;
  const std::string_view input(reinterpret_cast<const char*>(data) + 1, size - 1);
  session s(cfg, 0);
  spampot::Micros now = 0;
  bool store_ok = true;
  auto absorb = [&](output out) {
    // The net layer's part: a handshake after STARTTLS's 220 (as if it succeeded).
    if (out.start_tls) (void)s.tls_started({"TLSv1.3", "TLS_AES_128_GCM_SHA256", "fuzz.example", "", ""}, now);
    while (out.msg) {
      store_ok = !store_ok;
      out = store_ok ? s.message_stored("ID", now) : s.message_failed(now);
    }
  };
  absorb(s.greet(now));
  for (std::size_t pos = 0; pos < input.size() && !s.closed(); pos += chunk) {
    now += 1000;
    absorb(s.feed(input.substr(pos, chunk), now));
  }
  if (!s.closed()) (void)s.idle_timeout(now);
  return 0;
}
