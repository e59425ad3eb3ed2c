// spampot: one binary, one subcommand per job. The table below is the whole command line.
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include <CLI/CLI.hpp>
#include <cstdio>
#include <iostream>

#include "app/common.hpp"

namespace {

using spampot::app::subcommand;

void setup_version(CLI::App& sub, int& exit_code) {
  sub.callback([&exit_code] {
    std::printf("spampot %s\n", SPAMPOT_VERSION);
    exit_code = spampot::app::kExitOk;
  });
}

constexpr subcommand kSubcommands[] = {
    {"serve", "Run the trap: accept SMTP for the trap domains and capture everything",
     spampot::app::setup_serve},
    {"search", "List captured messages, or write them to a Maildir or mbox",
     spampot::app::setup_search},
    {"show", "Show one message or session (--raw: the message as delivered)",
     spampot::app::setup_show},
    {"report",
     "Reports on the harvest: summary, top senders, IPs, domains, histograms, first spam, seeds, "
     "DNS lists",
     spampot::app::setup_report},
    {"export",
     "Blocklists for Postfix, sendmail, SpamAssassin, rbldnsd, nftables, ipset, STIX, CSV, JSON",
     spampot::app::setup_export},
    {"check", "Check harvested IPs and domains against DNS-based lists and keep every answer",
     spampot::app::setup_check},
    {"seed", "Plant seeded trap addresses: mint them, or print an HTML snippet with one",
     spampot::app::setup_seed},
    {"reindex", "Rebuild the database from the spool journal alone", spampot::app::setup_reindex},
    {"import", "Import sendmail, postfix or exim maillogs into the store",
     spampot::app::setup_import},
    {"status", "Show whether the running trap's store is reachable and how far indexing lags",
     spampot::app::setup_status},
    {"migrate", "Copy a store into another (SQLite into a fleet's MariaDB)",
     spampot::app::setup_migrate},
    {"web", "The web console and JSON API: the harvest, every message, every report, in a browser",
     spampot::app::setup_web},
    {"backup", "Copy the store and the spool consistently while the trap runs", spampot::app::setup_backup},
    {"restore", "Bring a backup back into an empty store and spool", spampot::app::setup_restore},
    {"config", "Work with the config file (config check)", spampot::app::setup_config},
    {"version", "Print the version", setup_version},
};

}  // namespace

int main(int argc, char** argv) {
  // Logs go to stderr; stdout is for what a command prints (search results, messages).
  spdlog::set_default_logger(spdlog::stderr_color_mt("spampot"));
  CLI::App app{
      "spampot: a spam-trap MX that accepts mail for trap domains and records what spammers "
      "reveal"};
  app.require_subcommand(1);
  app.set_version_flag("--version", std::string("spampot ") + SPAMPOT_VERSION);
  int exit_code = spampot::app::kExitOk;
  for (const auto& s : kSubcommands) s.setup(*app.add_subcommand(s.name, s.help), exit_code);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int rc = app.exit(e);
    // --help and --version are successes; every other parse error is a usage error (exit 2).
    return rc == 0 ? spampot::app::kExitOk : spampot::app::kExitUsage;
  }
  return exit_code;
}
