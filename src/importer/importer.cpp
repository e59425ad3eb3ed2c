#include "importer/importer.hpp"

#include "importer/parsers.hpp"
#include "importer/syslog_line.hpp"

namespace spampot::importer {

Result<log_format> parse_log_format(std::string_view name) {
  if (name == "auto") return log_format::automatic;
  if (name == "postfix") return log_format::postfix;
  if (name == "sendmail") return log_format::sendmail;
  if (name == "exim") return log_format::exim;
  return Error{"unknown log format '" + std::string(name) + "' (use auto, postfix, sendmail or exim)"};
}

std::string import_stats::summary() const {
  return std::to_string(lines) + " lines, " + std::to_string(messages) + " messages, " + std::to_string(rejects) +
         " rejects; skipped: " + std::to_string(not_syslog) + " not syslog, " + std::to_string(binary) + " binary, " +
         std::to_string(other_program) + " other programs, " + std::to_string(nothing_kept) +
         " without mail data; " + std::to_string(expired) + " queue entries ended by expiry, " +
         std::to_string(incomplete) + " empty ones dropped";
}

line_importer::line_importer(log_format format, std::string source_file, Micros mtime, emit_fn emit)
    : format_(format),
      file_(std::move(source_file)),
      mtime_(mtime),
      emit_(std::move(emit)),
      corr_([this](import_record&& r) {
        if (r.reject) {
          ++stats_.rejects;
        } else {
          ++stats_.messages;
        }
        emit_(std::move(r));
      }) {}

void line_importer::line(std::string_view text) {
  ++stats_.lines;
  stats_.bytes += text.size() + 1;
  if (!text.empty() && text.back() == '\r') text.remove_suffix(1);
  for (unsigned char c : text) {
    if (c == 0 || (c < 0x20 && c != '\t')) {
      ++stats_.binary;
      return;
    }
  }
  const auto framed = parse_syslog(text, [this](int month, int day) { return year_for(month, day, mtime_); });
  if (!framed) {
    ++stats_.not_syslog;
    return;
  }
  auto which = mta_of(framed->program);
  if (!which || (format_ == log_format::postfix && *which != mta::postfix) ||
      (format_ == log_format::sendmail && *which != mta::sendmail) ||
      (format_ == log_format::exim && *which != mta::exim)) {
    ++stats_.other_program;
    return;
  }
  log_event e;
  switch (*which) {
    case mta::postfix: e = parse_postfix(framed->message); break;
    case mta::sendmail: e = parse_sendmail(framed->message); break;
    case mta::exim: e = parse_exim(framed->message); break;
  }
  if (e.kind == event_kind::ignored) {
    ++stats_.nothing_kept;
    return;
  }
  corr_.feed(e, {*which, framed->time, framed->host, file_, stats_.lines});
}

void line_importer::finish() {
  corr_.flush();
  stats_.expired = corr_.expired();
  stats_.incomplete = corr_.dropped();
}

}  // namespace spampot::importer
