#include "store/store.hpp"

namespace spampot::store {

Status store::put_raw(raw_row r) {
  std::vector<std::string> ignored;
  auto n = insert("message_raw",
                  {{"id", r.id},
                   {"codec", r.codec},
                   {"raw_bytes", static_cast<std::int64_t>(r.raw_bytes)},
                   {"data", blob{std::move(r.data)}}},
                  ignored, true);
  if (!n) return n.failure();
  return {};
}

Result<std::optional<raw_row>> store::find_raw(std::string_view id) {
  auto got = rows("SELECT codec, raw_bytes, data FROM message_raw WHERE id = ?", {std::string(id)});
  if (!got) return got.failure();
  if (got->empty()) return std::optional<raw_row>{};
  auto& g = got->front();
  return std::optional<raw_row>{raw_row{std::string(id), g[0], static_cast<std::uint64_t>(column_int(g[1])), std::move(g[2])}};
}

}  // namespace spampot::store
