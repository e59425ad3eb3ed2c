#include "dns/cache.hpp"

#include <algorithm>

namespace spampot::dns {

std::optional<lookup_result> answer_cache::get(const std::string& key, Micros now) {
  const auto it = entries_.find(key);
  if (it == entries_.end()) return std::nullopt;
  if (it->second.expires <= now) {
    order_.erase(it->second.age);
    entries_.erase(it);
    return std::nullopt;
  }
  return it->second.result;
}

void answer_cache::put(const std::string& key, const lookup_result& r, Micros now) {
  if (!r.answered() || max_entries_ == 0) return;
  const Micros ttl = std::clamp(static_cast<Micros>(r.ttl) * kMicrosPerSecond, min_ttl_, max_ttl_);
  if (const auto it = entries_.find(key); it != entries_.end()) {
    order_.erase(it->second.age);
    entries_.erase(it);
  }
  while (entries_.size() >= max_entries_) {
    entries_.erase(order_.front());
    order_.pop_front();
  }
  order_.push_back(key);
  entries_[key] = {r, now + ttl, std::prev(order_.end())};
}

Micros rate_limit::take(Micros now) {
  if (rate_ <= 0) return 0;  // no limit
  if (last_ != 0) tokens_ = std::min(burst_, tokens_ + (now - last_) * rate_ / kMicrosPerSecond);
  last_ = now;
  if (tokens_ >= 1) {
    tokens_ -= 1;
    return 0;
  }
  return static_cast<Micros>((1 - tokens_) * kMicrosPerSecond / rate_) + 1;
}

}  // namespace spampot::dns
