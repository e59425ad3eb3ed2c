// `spampot import FILE...`: maillogs into the store, beside what the trap captured itself.
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>

#include "app/common.hpp"
#include "importer/importer.hpp"
#include "importer/line_reader.hpp"
#include "importer/record_text.hpp"
#include "pipeline/import_writer.hpp"
#include "store/store.hpp"

namespace spampot::app {
namespace {

struct import_options {
  common_options common;
  std::vector<std::string> files;
  std::string format = "auto";
  std::string sensor;
  int year = 0;
  bool dry_run = false;
};

// Progress on a terminal: bytes and lines per second, percent of the (compressed) file.
class progress {
 public:
  progress(const std::string& name, std::uint64_t size)
      : name_(name), size_(size), tty_(::isatty(STDERR_FILENO)) {}
  void update(std::uint64_t read_bytes, std::uint64_t lines, bool final = false) {
    if (!tty_) return;
    const auto now = std::chrono::steady_clock::now();
    if (!final && now - last_ < std::chrono::milliseconds(250)) return;
    last_ = now;
    const double secs = std::max(1e-3, std::chrono::duration<double>(now - start_).count());
    const double pct =
        size_ ? 100.0 * static_cast<double>(read_bytes) / static_cast<double>(size_) : 0.0;
    std::fprintf(stderr, "\r%s: %5.1f%%  %.1f MB/s  %.0f lines/s  ", name_.c_str(),
                 std::min(pct, 100.0), static_cast<double>(read_bytes) / secs / 1e6,
                 static_cast<double>(lines) / secs);
    if (final) std::fputc('\n', stderr);
  }

 private:
  std::string name_;
  std::uint64_t size_;
  bool tty_;
  std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now();
  std::chrono::steady_clock::time_point last_{};
};

int import(const import_options& o) {
  auto fmt = importer::parse_log_format(o.format);
  if (!fmt) {
    std::fprintf(stderr, "spampot import: %s\n", fmt.error().c_str());
    return kExitUsage;
  }
  std::unique_ptr<store::store> st;
  std::unique_ptr<enrich::geoip> geoip;
  if (!o.dry_run) {
    auto cfg = resolve_config(o.common);
    if (!cfg) {
      std::fprintf(stderr, "spampot import: %s\n", cfg.error().c_str());
      return kExitError;
    }
    auto g = open_geoip(*cfg);
    if (!g) {
      std::fprintf(stderr, "spampot import: %s\n", g.error().c_str());
      return kExitError;
    }
    geoip = std::move(*g);
    auto opened = open_counted_store(cfg->store.db, "import");
    if (!opened) {
      std::fprintf(stderr, "spampot import: %s\n", opened.error().c_str());
      return kExitError;
    }
    st = std::move(opened).value();
  }
  int rc = kExitOk;
  for (const auto& file : o.files) {
    auto reader = importer::line_reader::open(file);
    if (!reader) {
      std::fprintf(stderr, "spampot import: %s\n", reader.error().c_str());
      rc = kExitError;
      continue;
    }
    struct stat sb {};
    Micros mtime = now_micros();
    std::uint64_t size = 0;
    if (file != "-" && ::stat(file.c_str(), &sb) == 0) {
      mtime = static_cast<Micros>(sb.st_mtime) * kMicrosPerSecond;
      size = static_cast<std::uint64_t>(sb.st_size);
    }
    // --year puts year-less lines into that year: the file's mtime says nothing for stdin or a
    // copy.
    if (o.year > 0) mtime = *parse_time_point(std::to_string(o.year) + "-12-31T23:59:59Z", 0);

    std::unique_ptr<pipeline::import_writer> writer;
    if (st) writer = std::make_unique<pipeline::import_writer>(*st, o.sensor, geoip.get());
    auto put = [&](importer::import_record&& r) {
      if (o.dry_run) {
        std::printf("%s\n", importer::to_text(r).c_str());
        return;
      }
      (void)writer->put(r);  // a failure stops the writer; finish() reports it
    };
    const std::string name = file == "-" ? "stdin" : file;
    importer::line_importer imp(*fmt, name, mtime, put);
    progress bar(name, size);
    std::string line;
    while ((*reader)->next(line)) {
      imp.line(line);
      if ((imp.stats().lines & 0x3ff) == 0)
        bar.update((*reader)->compressed_bytes(), imp.stats().lines);
    }
    imp.finish();
    bar.update((*reader)->compressed_bytes(), imp.stats().lines, true);
    if (writer) {
      if (auto f = writer->finish(); !f) {
        writer->abandon();
        std::fprintf(stderr, "spampot import: %s: %s\n", name.c_str(), f.error().c_str());
        rc = kExitError;
        continue;
      }
      if (writer->counts().refused > 0) rc = kExitError;
    }
    if (!(*reader)->error().empty()) {
      std::fprintf(stderr, "spampot import: %s: %s (imported what came before)\n", name.c_str(),
                   (*reader)->error().c_str());
      rc = kExitError;
    }
    const auto& s = imp.stats();
    std::string stored;
    if (writer) {
      const auto& c = writer->counts();
      stored = "; " + std::to_string(c.added) + " added, " + std::to_string(c.known) + " already in the store";
      if (c.refused > 0) stored += ", " + std::to_string(c.refused) + " refused by the store";
    }
    std::fprintf(o.dry_run ? stderr : stdout, "%s: %s%s\n", name.c_str(), s.summary().c_str(), stored.c_str());
    if ((*reader)->cut_lines() > 0)
      std::fprintf(stderr, "%s: %llu overlong lines cut to %zu bytes\n", name.c_str(),
                   static_cast<unsigned long long>((*reader)->cut_lines()), importer::kMaxLine);
  }
  return rc;
}

}  // namespace

void setup_import(CLI::App& sub, int& exit_code) {
  auto o = std::make_shared<import_options>();
  add_common_options(sub, o->common);
  sub.add_option("files", o->files, "Maillogs: plain, .gz or .zst; - for standard input")
      ->required();
  sub.add_option("--format", o->format, "auto, postfix, sendmail or exim")->default_val("auto");
  sub.add_option("--sensor", o->sensor, "Sensor name for the records (default: the logging host)");
  sub.add_option("--year", o->year,
                 "Year of year-less syslog lines (default: from the file's time)");
  sub.add_flag("--dry-run", o->dry_run, "Print the records instead of storing them");
  sub.callback([o, &exit_code] { exit_code = import(*o); });
}

}  // namespace spampot::app
