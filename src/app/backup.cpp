// `spampot backup --to DIR` and `spampot restore --from DIR`: a consistent copy of the store and
// the spool, taken while `serve` runs, and brought back into an empty place.
//
// The store is copied first, then the spool: the store's checkpoint then never points past what
// the copied spool holds, and a trap started on the restored pair indexes the rest itself.
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>

#include <nlohmann/json.hpp>

#include "app/common.hpp"
#include "capture/spool_copy.hpp"
#include "store/backup.hpp"
#include "store/store.hpp"

namespace spampot::app {
namespace {

namespace fs = std::filesystem;

constexpr const char* kManifest = "backup.json";
constexpr const char* kStoreFile = "spampot.db";

std::string mariadb_advice(const std::string& url) {
  return "the store " + store::redact_url(url) +
         " is a MariaDB/MySQL server: back it up with the server's own tool, in one transaction, beside the "
         "running trap:\n  mariadb-dump --single-transaction --quick --routines --hex-blob DB > spampot.sql\n"
         "(restore with: mariadb DB < spampot.sql). Take the dump before the spool copy, as this command does "
         "for SQLite.";
}

struct backup_options {
  common_options common;
  std::string to;
};

int backup(const backup_options& o) {
  auto cfg = resolve_config(o.common);
  if (!cfg) {
    std::fprintf(stderr, "spampot backup: %s\n", cfg.error().c_str());
    return kExitError;
  }
  const fs::path dir(o.to);
  std::error_code ec;
  if (fs::exists(dir, ec) && !fs::is_empty(dir, ec)) {
    std::fprintf(stderr, "spampot backup: %s is not empty: a backup goes into a new directory\n", o.to.c_str());
    return kExitError;
  }
  fs::create_directories(dir, ec);
  if (ec) {
    std::fprintf(stderr, "spampot backup: cannot create %s: %s\n", o.to.c_str(), ec.message().c_str());
    return kExitError;
  }
  const auto started = now_micros();
  nlohmann::json manifest{{"version", SPAMPOT_VERSION}, {"sensor", cfg->sensor}, {"started_at", format_rfc3339(started)}};

  const auto file = store::sqlite_file_of(cfg->store.db);
  if (file) {
    if (auto s = store::backup_sqlite(*file, dir / kStoreFile); !s) {
      std::fprintf(stderr, "spampot backup: %s\n", s.error().c_str());
      return kExitError;
    }
    manifest["store"] = kStoreFile;
  } else {
    std::fprintf(stderr, "spampot backup: %s\n", mariadb_advice(cfg->store.db).c_str());
    manifest["store"] = nullptr;
  }
  auto spool = capture::copy_spool(cfg->store.spool, dir / "spool");
  if (!spool) {
    std::fprintf(stderr, "spampot backup: %s\n", spool.error().c_str());
    return kExitError;
  }
  manifest["spool"] = {{"segments", spool->segments},
                       {"bytes", spool->bytes},
                       {"end", {{"segment", spool->end.segment}, {"offset", spool->end.offset}}}};
  manifest["finished_at"] = format_rfc3339(now_micros());
  {
    std::ofstream out(dir / kManifest);
    out << manifest.dump(2) << "\n";
    if (!out) {
      std::fprintf(stderr, "spampot backup: cannot write %s\n", (dir / kManifest).c_str());
      return kExitError;
    }
  }
  const std::string what = file ? std::string("store ") + kStoreFile : "no store (MariaDB: use mariadb-dump)";
  std::printf("backup in %s: %s, spool %llu segments, %llu bytes (up to %u:%llu)\n", o.to.c_str(), what.c_str(),
              static_cast<unsigned long long>(spool->segments), static_cast<unsigned long long>(spool->bytes),
              spool->end.segment, static_cast<unsigned long long>(spool->end.offset));
  return kExitOk;
}

struct restore_options {
  common_options common;
  std::string from;
};

int restore(const restore_options& o) {
  auto cfg = resolve_config(o.common);
  if (!cfg) {
    std::fprintf(stderr, "spampot restore: %s\n", cfg.error().c_str());
    return kExitError;
  }
  const fs::path dir(o.from);
  std::error_code ec;
  if (!fs::exists(dir / kManifest, ec)) {
    std::fprintf(stderr, "spampot restore: %s holds no %s: not a spampot backup\n", o.from.c_str(), kManifest);
    return kExitError;
  }
  const auto file = store::sqlite_file_of(cfg->store.db);
  const bool has_store = fs::exists(dir / kStoreFile, ec);
  if (file) {
    if (!has_store) {
      std::fprintf(stderr, "spampot restore: the backup holds no SQLite store (it was taken of a MariaDB store)\n");
      return kExitError;
    }
    for (const char* suffix : {"", "-wal", "-shm"}) {
      if (fs::exists(file->string() + suffix, ec)) {
        std::fprintf(stderr, "spampot restore: %s%s exists: restore never overwrites a store; move it away first\n",
                     file->c_str(), suffix);
        return kExitError;
      }
    }
  }
  if (fs::exists(cfg->store.spool, ec) && !fs::is_empty(cfg->store.spool, ec)) {
    std::fprintf(stderr, "spampot restore: the spool %s is not empty: restore never overwrites a spool; move it away first\n",
                 cfg->store.spool.c_str());
    return kExitError;
  }
  if (file) {
    if (file->has_parent_path()) fs::create_directories(file->parent_path(), ec);
    fs::copy_file(dir / kStoreFile, *file, ec);
    if (ec) {
      std::fprintf(stderr, "spampot restore: cannot copy the store to %s: %s\n", file->c_str(), ec.message().c_str());
      return kExitError;
    }
  } else {
    std::fprintf(stderr, "spampot restore: %s\n", mariadb_advice(cfg->store.db).c_str());
  }
  auto spool = capture::copy_spool(dir / "spool", cfg->store.spool);
  if (!spool) {
    std::fprintf(stderr, "spampot restore: %s\n", spool.error().c_str());
    return kExitError;
  }
  // Opened once: an older store is brought up to this version's schema, and the numbers shown
  // are the restored ones.
  auto st = store::open(cfg->store.db);
  if (!st) {
    std::fprintf(stderr, "spampot restore: the restored store does not open: %s\n", st.error().c_str());
    return kExitError;
  }
  auto n = (*st)->count();
  auto cp = (*st)->checkpoint(cfg->sensor);
  std::printf("restored: %llu messages, %llu sessions; spool %llu segments up to %u:%llu, indexed to %u:%llu "
              "(serve indexes the rest when it starts)\n",
              n ? static_cast<unsigned long long>(n->messages) : 0ULL, n ? static_cast<unsigned long long>(n->sessions) : 0ULL,
              static_cast<unsigned long long>(spool->segments), spool->end.segment,
              static_cast<unsigned long long>(spool->end.offset), cp ? cp->segment : 0,
              cp ? static_cast<unsigned long long>(cp->offset) : 0ULL);
  return kExitOk;
}

}  // namespace

void setup_backup(CLI::App& sub, int& exit_code) {
  auto o = std::make_shared<backup_options>();
  add_common_options(sub, o->common);
  sub.add_option("--to", o->to, "A new (or empty) directory for the backup")->required();
  sub.footer("Safe beside a running serve. SQLite: the store through SQLite's online backup; MariaDB: prints the "
             "mariadb-dump command to use. Then the spool: closed segments whole, the open one up to its last "
             "complete record.");
  sub.callback([o, &exit_code] { exit_code = backup(*o); });
}

void setup_restore(CLI::App& sub, int& exit_code) {
  auto o = std::make_shared<restore_options>();
  add_common_options(sub, o->common);
  sub.add_option("--from", o->from, "A directory written by spampot backup")->required();
  sub.footer("Restores into the configured (or --db/--spool) store file and spool, which must not exist or be "
             "empty. Start serve afterwards: it indexes what the spool holds past the store's checkpoint.");
  sub.callback([o, &exit_code] { exit_code = restore(*o); });
}

}  // namespace spampot::app
