// `spampot config check [FILE]`: validates a config file and says what it would do.
#include <cstdio>

#include "app/common.hpp"

namespace spampot::app {
namespace {

int check(const std::string& file) {
  common_options o;
  o.config_path = file;
  auto cfg = resolve_config(o);
  if (!cfg) {
    std::fprintf(stderr, "%s\n", cfg.error().c_str());
    return kExitError;
  }
  // The databases are read at start: a path that does not open fails the check as it would serve.
  auto geoip = open_geoip(*cfg);
  if (!geoip) {
    std::fprintf(stderr, "%s\n", geoip.error().c_str());
    return kExitError;
  }
  std::printf("%s: ok: sensor %s, %zu trap domains, %zu rules, listening on",
              file.empty() ? "defaults" : file.c_str(), cfg->sensor.c_str(), cfg->traps.size(),
              cfg->rules.size());
  for (const auto& l : cfg->smtp.listen) std::printf(" %s", l.c_str());
  std::printf(", store %s, spool %s\n", cfg->store.db.c_str(), cfg->store.spool.c_str());
  if (*geoip) std::printf("networks from %s\n", (*geoip)->describe().c_str());
  if (cfg->traps.empty())
    std::printf("warning: no [[trap]] domain: serve needs one (or --domain)\n");
  return kExitOk;
}

}  // namespace

void setup_config(CLI::App& sub, int& exit_code) {
  sub.require_subcommand(1);
  auto* chk =
      sub.add_subcommand("check", "Validate a config file; errors name their line and column");
  auto file = std::make_shared<std::string>();
  chk->add_option("file", *file,
                  "Config file (default: --config, /etc/spampot/spampot.toml, ./spampot.toml)");
  auto path = std::make_shared<std::string>();
  chk->add_option("--config", *path, "Same as the file argument");
  chk->callback([file, path, &exit_code] { exit_code = check(file->empty() ? *path : *file); });
}

}  // namespace spampot::app
