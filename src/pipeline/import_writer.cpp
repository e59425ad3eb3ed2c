#include "pipeline/import_writer.hpp"

#include <spdlog/spdlog.h>

#include "base/escape.hpp"
#include "importer/record_text.hpp"
#include "pipeline/import_rows.hpp"
#include "pipeline/networks.hpp"

namespace spampot::pipeline {

import_writer::import_writer(store::store& st, std::string sensor, const enrich::geoip* geoip, std::size_t batch)
    : store_(st), sensor_(std::move(sensor)), geoip_(geoip), batch_(batch) {}

Status import_writer::put(const importer::import_record& r) {
  if (!failed_) return failed_;
  if (pending_ == 0) {
    if (auto b = store_.begin(); !b) return failed_ = b;
  }
  if (auto s = store_.begin_record(); !s) return failed_ = s;
  Result<bool> res = false;
  if (r.reject) {
    auto s = imported_attempt(r, sensor_);
    locate(geoip_, s);
    res = store_.put_session(s);
  } else {
    auto m = imported_message(r, sensor_);
    locate(geoip_, m);
    res = store_.put_message(m);
  }
  if (res) {
    if (auto k = store_.keep_record(); !k) return failed_ = k;
    ++(*res ? counts_.added : counts_.known);
  } else if (res.kind() == error_kind::permanent) {
    store_.drop_record();
    ++counts_.refused;
    spdlog::error("import: the store refuses {} for good: {}", escape_for_log(importer::to_text(r), 120),
                  escape_for_log(res.error(), 200));
  } else {
    return failed_ = res.failure();
  }
  if (++pending_ >= batch_) return finish();
  return {};
}

Status import_writer::finish() {
  if (!failed_) return failed_;
  if (pending_ == 0) return {};
  pending_ = 0;
  if (auto c = store_.commit(); !c) return failed_ = c;
  return {};
}

void import_writer::abandon() {
  if (pending_ > 0) store_.rollback();
  pending_ = 0;
}

}  // namespace spampot::pipeline
