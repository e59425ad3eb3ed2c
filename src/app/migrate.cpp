// `spampot migrate --from URL --to URL`: moves a small install's store into a central server.
#include <unistd.h>

#include <cstdio>

#include "app/common.hpp"
#include "store/copy.hpp"
#include "store/store.hpp"

namespace spampot::app {
namespace {

struct migrate_options {
  std::string from;
  std::string to;
};

int migrate(const migrate_options& o) {
  auto from = store::open(o.from);
  if (!from) {
    std::fprintf(stderr, "spampot migrate: %s\n", from.error().c_str());
    return kExitError;
  }
  auto to = store::open(o.to);
  if (!to) {
    std::fprintf(stderr, "spampot migrate: %s\n", to.error().c_str());
    return kExitError;
  }
  const bool tty = ::isatty(STDERR_FILENO) != 0;
  auto r = store::copy_store(**from, **to, [tty](const store::copy_stats& s) {
    if (tty)
      std::fprintf(stderr, "\rcopied %llu messages, %llu sessions",
                   static_cast<unsigned long long>(s.messages),
                   static_cast<unsigned long long>(s.sessions));
  });
  if (tty) std::fputc('\n', stderr);
  if (!r) {
    std::fprintf(stderr, "spampot migrate: %s (what was copied stays; run again to go on)\n",
                 r.error().c_str());
    return kExitError;
  }
  std::printf(
      "copied %llu messages, %llu sessions, %llu seed page requests and %llu seeds from %s to %s; "
      "%llu were there already\n",
      static_cast<unsigned long long>(r->messages), static_cast<unsigned long long>(r->sessions),
      static_cast<unsigned long long>(r->http_requests), static_cast<unsigned long long>(r->seeds),
      store::redact_url(o.from).c_str(),
              store::redact_url(o.to).c_str(), static_cast<unsigned long long>(r->already));
  return kExitOk;
}

}  // namespace

void setup_migrate(CLI::App& sub, int& exit_code) {
  auto o = std::make_shared<migrate_options>();
  sub.add_option("--from", o->from, "Source store URL (sqlite:PATH)")->required();
  sub.add_option("--to", o->to, "Destination store URL (mysql://USER@HOST/DB)")->required();
  sub.footer(
      "Safe to run again: only what is missing is copied. The password is best given by\n"
      "SPAMPOT_DB_PASSWORD or ?password_file=PATH, not in the URL, which `ps` shows.");
  sub.callback([o, &exit_code] { exit_code = migrate(*o); });
}

}  // namespace spampot::app
