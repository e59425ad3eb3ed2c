// Options every subcommand shares (--config, --db, --spool) and how they resolve: a flag beats
// the config file, which beats the built-in default.
#pragma once

#include <CLI/CLI.hpp>
#include <memory>
#include <string>

#include "base/result.hpp"
#include "config/config.hpp"
#include "dns/lists.hpp"
#include "dns/resolver.hpp"
#include "enrich/geoip.hpp"
#include "intel/listing.hpp"
#include "store/store.hpp"

namespace spampot::app {

inline constexpr int kExitOk = 0;
inline constexpr int kExitError = 1;
inline constexpr int kExitUsage = 2;

struct common_options {
  std::string config_path;
  std::string db;
  std::string spool;
};

void add_common_options(CLI::App& sub, common_options& o);

// Loads --config, or /etc/spampot/spampot.toml, or ./spampot.toml, or nothing (defaults), then
// applies --db and --spool.
Result<config::config> resolve_config(const common_options& o);

// [smtp] hostname, else this machine's name: what the greeting and a self-signed certificate say.
std::string trap_hostname(const config::config& cfg);

// The trap's certificate and key files (config::trap_certificate()), for STARTTLS and the
// console; the self-signed pair in the spool is made first when it does not exist yet.
Result<config::config::certificate> trap_certificate_files(const config::config& cfg);

// The [geoip] databases, opened; null when the config names none. A database that cannot be
// read is an error naming it: never a silently empty column.
Result<std::unique_ptr<enrich::geoip>> open_geoip(const config::config& cfg);

// The configured [[dnsbl]] lists, completed from the catalogue of well-known lists.
std::vector<dns::list_spec> dns_lists(const config::config& cfg);
// The resolver's settings from [dns] (its defaults when the config has none).
dns::resolver_options resolver_options_of(const config::config& cfg);

// The config's [export] listing policy, its exclusions read from `exclude_path` ("" for none).
Result<intel::listing_policy> export_defaults(const config::config& cfg, const std::string& exclude_path);

// The store at `url` for a command that reads or adds to the harvest counters (`command` names it
// in the store while it works): a recount of them a migration asked for is done first, said on
// stderr as it takes minutes on a big store; when another process is at it, that is said instead
// (its reports are incomplete until it is done).
Result<std::unique_ptr<store::store>> open_counted_store(const std::string& url, std::string_view command);

// A subcommand's handler returns the process exit code.
struct subcommand {
  const char* name;
  const char* help;
  void (*setup)(CLI::App& sub, int& exit_code);
};

void setup_serve(CLI::App& sub, int& exit_code);
void setup_search(CLI::App& sub, int& exit_code);
void setup_show(CLI::App& sub, int& exit_code);
void setup_reindex(CLI::App& sub, int& exit_code);
void setup_config(CLI::App& sub, int& exit_code);
void setup_import(CLI::App& sub, int& exit_code);
void setup_migrate(CLI::App& sub, int& exit_code);
void setup_status(CLI::App& sub, int& exit_code);
void setup_report(CLI::App& sub, int& exit_code);
void setup_export(CLI::App& sub, int& exit_code);
void setup_seed(CLI::App& sub, int& exit_code);
void setup_check(CLI::App& sub, int& exit_code);
void setup_backup(CLI::App& sub, int& exit_code);
void setup_web(CLI::App& sub, int& exit_code);
void setup_restore(CLI::App& sub, int& exit_code);

}  // namespace spampot::app
