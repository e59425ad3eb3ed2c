#include "intel/publish.hpp"

#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>

namespace spampot::intel {

Status write_atomically(const std::string& path, const std::function<Status(export_sink&)>& produce) {
  const std::filesystem::path target(path);
  const std::string tmp = (target.parent_path() / ("." + target.filename().string() + ".tmp")).string();
  std::FILE* f = std::fopen(tmp.c_str(), "we");
  if (!f) return Error{"cannot write " + tmp + ": " + std::strerror(errno)};
  Status made;
  {
    export_sink out([f](std::string_view s) { std::fwrite(s.data(), 1, s.size(), f); });
    made = produce(out);
  }
  const bool written = made && std::fflush(f) == 0 && !std::ferror(f) && ::fsync(::fileno(f)) == 0;
  const std::string why = std::strerror(errno);
  if (std::fclose(f) != 0 || !written) {
    ::unlink(tmp.c_str());
    return made ? Status(Error{"cannot write " + tmp + ": " + why}) : made;
  }
  if (::rename(tmp.c_str(), path.c_str()) != 0) {
    const std::string e = std::strerror(errno);
    ::unlink(tmp.c_str());
    return Error{"cannot replace " + path + ": " + e};
  }
  return {};
}

Result<publish_result> publish(store::store& st, const publish_request& r, Micros now,
                               const std::function<void(std::string_view)>& out) {
  auto keys = st.keys_by_name(key_kind_of(r.what));
  if (!keys) return keys.failure();
  const auto entries = apply_policy(r.what, *keys, r.policy, now);
  const export_meta meta{now, r.list.empty() ? std::string(to_string(r.what)) : r.list, r.what,
                         r.policy.expire_after};
  publish_result done;
  done.entries = entries.size();
  if (r.output.empty()) {
    export_sink sink(out);
    if (auto w = write_export(r.format, entries, meta, sink); !w) return w.failure();
    return done;
  }
  if (auto w = write_atomically(r.output, [&](export_sink& sink) { return write_export(r.format, entries, meta, sink); });
      !w)
    return w.failure();
  // A published listing keeps its trail: what was added or removed, when and why.
  auto before = st.listed(meta.list);
  if (!before) return before.failure();
  const auto changes = listing_changes(meta.list, *before, entries, *keys, r.what, r.policy, now);
  if (auto c = st.record_listing_changes(meta.list, changes); !c) return c.failure();
  for (const auto& c : changes) ++(c.action == "added" ? done.added : done.removed);
  return done;
}

}  // namespace spampot::intel
