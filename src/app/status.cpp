// `spampot status`: what the running trap's indexer last said of itself (SPOOL/status.json).
#include <cstdio>
#include <fstream>
#include <sstream>

#include "app/common.hpp"

namespace spampot::app {
namespace {

int status(const common_options& o) {
  auto cfg = resolve_config(o);
  if (!cfg) {
    std::fprintf(stderr, "spampot status: %s\n", cfg.error().c_str());
    return kExitError;
  }
  const std::string path = cfg->store.spool + "/status.json";
  std::ifstream in(path);
  if (!in) {
    std::fprintf(stderr, "spampot status: no %s: is `spampot serve` running with this spool?\n",
                 path.c_str());
    return kExitError;
  }
  std::stringstream buf;
  buf << in.rdbuf();
  std::fputs(buf.str().c_str(), stdout);
  return buf.str().find("\"store\": \"ok\"") != std::string::npos ? kExitOk : kExitError;
}

}  // namespace

void setup_status(CLI::App& sub, int& exit_code) {
  auto o = std::make_shared<common_options>();
  add_common_options(sub, *o);
  sub.footer("Exit code 0 when the store is reachable, 1 when it is not (mail is still spooled).");
  sub.callback([o, &exit_code] { exit_code = status(*o); });
}

}  // namespace spampot::app
