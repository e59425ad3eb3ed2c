#include "intel/publish.hpp"

#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <algorithm>
#include <filesystem>
#include <optional>

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

namespace {

// Entries are told apart in the trail by a 64-bit hash of their text: eight bytes an entry, so
// a million-entry listing is compared with what it was in 16 MiB. (Two entries of one listing
// sharing a hash would lose one audit line; at a million entries that is a chance in 10^7.)
std::uint64_t hash_of(std::string_view entry) { return std::hash<std::string_view>{}(entry); }

bool holds(const std::vector<std::uint64_t>& sorted, std::uint64_t h) {
  return std::binary_search(sorted.begin(), sorted.end(), h);
}

// The listing as it is written: each entry counted, hashed, and added to the trail when it was
// not listed before, in batches written inside the publishing transaction.
class trail_source final : public entry_source {
 public:
  trail_source(entry_source& in, store::store* st, const std::string& list, Micros now,
               const std::vector<std::uint64_t>* was)
      : in_(in), st_(st), list_(list), now_(now), was_(was) {}

  const listed_entry* next() override {
    const listed_entry* e = in_.next();
    if (!e) {
      flush();
      return nullptr;
    }
    ++entries;
    if (!st_) return e;
    const auto h = hash_of(e->entry);
    is.push_back(h);
    if (!holds(*was_, h)) {
      batch_.push_back({now_, list_, e->entry, "added", e->reason});
      ++added;
      if (batch_.size() >= 4096 && !flush()) return nullptr;
    }
    return e;
  }

  std::size_t entries = 0, added = 0;
  std::vector<std::uint64_t> is;
  Status status;

 private:
  bool flush() {
    if (!st_ || batch_.empty() || !status) return status.ok();
    status = st_->record_listing_changes(list_, batch_);
    batch_.clear();
    return status.ok();
  }

  entry_source& in_;
  store::store* st_;
  const std::string& list_;
  Micros now_;
  const std::vector<std::uint64_t>* was_;
  std::vector<store::listing_event> batch_;
};

// What a list holds, a page at a time (`each` may change the rows of pages already read).
Status each_listed_page(store::store& st, const std::string& list,
                        const std::function<Status(const std::vector<store::listing>&)>& each) {
  for (std::string after;;) {
    auto page = st.listed_page(list, after, 4096);
    if (!page) return page.failure();
    if (page->empty()) return {};
    after = page->back().entry;
    if (auto s = each(*page); !s) return s;
  }
}

// Every entry listed before and not now: removed from the listing, with why.
Result<std::size_t> delist(store::store& st, const std::string& list, const std::vector<std::uint64_t>& is,
                           listing_what what, const listing_policy& p, Micros now) {
  std::size_t removed = 0;
  auto done = each_listed_page(st, list, [&](const std::vector<store::listing>& page) -> Status {
    std::vector<store::listing_event> gone;
    for (const auto& l : page) {
      if (holds(is, hash_of(l.entry))) continue;
      bool network_listed = false;
      std::optional<store::key_stat> key;
      if (holds_addresses(what)) {
        if (l.entry.find('/') == std::string::npos)
          if (const auto a = ip_address::parse(l.entry)) network_listed = holds(is, hash_of(aggregate_of(*a)));
      }
      if (!network_listed) {
        auto k = st.find_key(key_kind_of(what), l.entry);
        if (!k) return k.failure();
        key = std::move(*k);
      }
      gone.push_back({now, list, l.entry, "removed", why_delisted(what, l.entry, network_listed, key, p, now)});
    }
    removed += gone.size();
    return st.record_listing_changes(list, gone);
  });
  if (!done) return done.failure();
  return removed;
}

}  // namespace

Result<publish_result> publish(store::store& st, const publish_request& r, Micros now,
                               const std::function<void(std::string_view)>& out) {
  const auto kind = key_kind_of(r.what);
  const std::string list = r.list.empty() ? std::string(to_string(r.what)) : r.list;
  // With a file, everything happens in one transaction, begun before the keys are read: the
  // trail records what the file holds, and the keys are read as of that moment.
  std::optional<store::transaction> tx;
  std::vector<std::uint64_t> was;
  if (!r.output.empty()) {
    tx.emplace(st);
    if (!tx->begun()) return tx->begun().failure();
    auto read = each_listed_page(st, list, [&](const std::vector<store::listing>& page) {
      for (const auto& l : page) was.push_back(hash_of(l.entry));
      return Status{};
    });
    if (!read) return read.failure();
    std::sort(was.begin(), was.end());
  }
  auto most = st.count_keys(kind, {});
  if (!most) return most.failure();
  auto keys = st.read_keys(kind);
  if (!keys) return keys.failure();
  const export_meta meta{now, list, r.what, r.policy.expire_after, *most};
  listing_stream listing(r.what, [&](store::key_stat& k) { return keys->next(k); }, r.policy, now);
  trail_source written(listing, r.output.empty() ? nullptr : &st, list, now, &was);
  auto produce = [&](export_sink& sink) -> Status {
    if (auto w = write_export(r.format, written, meta, sink); !w) return w;
    // A stream that stopped early says why here: the file is not put in place then.
    for (const Status* s : {&keys->status(), &listing.status(), static_cast<const Status*>(&written.status)})
      if (!*s) return *s;
    return {};
  };
  publish_result done;
  if (r.output.empty()) {
    export_sink sink(out);
    if (auto w = produce(sink); !w) return w.failure();
    done.entries = written.entries;
    return done;
  }
  if (auto w = write_atomically(r.output, produce); !w) return w.failure();
  done.entries = written.entries;
  done.added = written.added;
  std::sort(written.is.begin(), written.is.end());
  auto removed = delist(st, list, written.is, r.what, r.policy, now);
  if (!removed) return removed.failure();
  done.removed = *removed;
  if (auto c = tx->commit(); !c) return c.failure();
  return done;
}

}  // namespace spampot::intel
