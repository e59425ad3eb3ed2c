#include "app/common.hpp"

#include <filesystem>

namespace spampot::app {

void add_common_options(CLI::App& sub, common_options& o) {
  sub.add_option("--config", o.config_path,
                 "Config file (default /etc/spampot/spampot.toml, else ./spampot.toml)");
  sub.add_option("--db", o.db, "Store URL: sqlite:PATH (default from config)");
  sub.add_option("--spool", o.spool, "Spool journal directory (default from config)");
}

Result<config::config> resolve_config(const common_options& o) {
  std::string path = o.config_path;
  if (path.empty()) {
    for (const char* candidate : {"/etc/spampot/spampot.toml", "spampot.toml"}) {
      std::error_code ec;
      if (std::filesystem::exists(candidate, ec)) {
        path = candidate;
        break;
      }
    }
  }
  config::config cfg;
  if (!path.empty()) {
    auto loaded = config::load(path);
    if (!loaded) return Error{loaded.error()};
    cfg = std::move(loaded).value();
  }
  if (!o.db.empty()) cfg.store.db = o.db;
  if (!o.spool.empty()) cfg.store.spool = o.spool;
  return cfg;
}

}  // namespace spampot::app
