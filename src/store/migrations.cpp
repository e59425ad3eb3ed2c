#include "store/migrations.hpp"

#include <string>
#include <vector>

namespace spampot::store {
namespace {

// Version 10: what fitting a value changed, per row; and the spool records the store refused
// for good (issue 16: one hostile message must not stop the index).
constexpr std::string_view kV10 = R"sql(
ALTER TABLE messages ADD COLUMN problems TEXT NOT NULL DEFAULT '';
ALTER TABLE sessions ADD COLUMN problems TEXT NOT NULL DEFAULT '';
ALTER TABLE http_requests ADD COLUMN problems TEXT NOT NULL DEFAULT '';
CREATE TABLE quarantine (
  sensor         VARCHAR(255) NOT NULL,
  segment        BIGINT NOT NULL,
  `offset`       BIGINT NOT NULL,
  record_kind    VARCHAR(16) NOT NULL,
  record_id      VARCHAR(32) NOT NULL,
  error          TEXT NOT NULL,
  quarantined_at BIGINT NOT NULL,
  attempts       BIGINT NOT NULL,
  PRIMARY KEY (sensor, segment, `offset`)
){table_options};
)sql";

constexpr migration kShared[] = {{10, kV10}};

std::vector<migration> render(std::span<const migration> history, const sql::dialect& d,
                              std::vector<std::string>& texts) {
  std::vector<migration> out(history.begin(), history.end());
  texts.reserve(std::size(kShared));
  for (const auto& m : kShared) {
    std::string sql(m.sql);
    for (std::size_t at; (at = sql.find("{table_options}")) != std::string::npos;)
      sql.replace(at, 15, d.table_options());
    texts.push_back(std::move(sql));
    out.push_back({m.version, texts.back()});
  }
  return out;
}

}  // namespace

std::span<const migration> migrations(const sql::dialect& d) {
  if (d.is == sql::dialect::kind::sqlite) {
    static std::vector<std::string> texts;
    static const std::vector<migration> all = render(sqlite_history(), d, texts);
    return all;
  }
  static std::vector<std::string> texts;
  static const std::vector<migration> all = render(mysql_history(), d, texts);
  return all;
}

}  // namespace spampot::store
