#include "smtp/greytrap.hpp"

namespace spampot::smtp {

void greytrap::hit(std::string_view ip, Micros at) {
  if (tarpit_for_ <= 0) return;
  if (auto it = last_hit_.find(std::string(ip)); it != last_hit_.end()) {
    if (at > it->second) it->second = at;
    return;
  }
  if (last_hit_.size() >= max_) {
    std::erase_if(last_hit_, [&](const auto& kv) { return at - kv.second > tarpit_for_; });
    if (last_hit_.size() >= max_) return;  // a flood of new addresses: the oldest stay trapped
  }
  last_hit_.emplace(std::string(ip), at);
}

bool greytrap::trapped(std::string_view ip, Micros now) const {
  const auto it = last_hit_.find(std::string(ip));
  return it != last_hit_.end() && now - it->second <= tarpit_for_;
}

}  // namespace spampot::smtp
