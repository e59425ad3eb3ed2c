#include "pipeline/campaigns.hpp"

#include "message/fingerprint.hpp"

namespace spampot::pipeline {

Status assign_campaign(store::store& st, store::message_details& d, std::string_view body_text) {
  if (d.body_sha256.empty()) return {};
  auto exact = st.campaign_with_body(d.body_sha256);
  if (!exact) return exact.failure();
  if (*exact) {
    d.campaign = (*exact)->id;
    if (d.body_fuzzy.empty()) d.body_fuzzy = (*exact)->fuzzy;
    return {};
  }
  if (d.body_fuzzy.empty()) d.body_fuzzy = message::fingerprint_of(body_text).fuzzy;
  const auto block = static_cast<std::int64_t>(message::fuzzy_block_size(d.body_fuzzy));
  if (block > 0) {
    // ssdeep compares hashes whose block sizes are equal or a factor of two apart.
    std::vector<std::int64_t> sizes{block, block * 2};
    if (block % 2 == 0) sizes.push_back(block / 2);
    auto candidates = st.campaign_candidates(sizes, kCampaignCandidates);
    if (!candidates) return candidates.failure();
    int best = 0;
    for (const auto& c : *candidates) {
      const int score = message::fuzzy_score(d.body_fuzzy, c.fuzzy);
      if (score >= kCampaignScore && score > best) {
        best = score;
        d.campaign = c.id;
      }
    }
    if (!d.campaign.empty()) return {};
  }
  d.campaign = d.id;
  return st.add_campaign(d.id, d.body_sha256, d.body_fuzzy);
}

}  // namespace spampot::pipeline
