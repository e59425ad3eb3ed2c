// Which campaign a message belongs to: the one whose body fingerprint it shares exactly, else
// the closest recent one by ssdeep score at or above kCampaignScore, else a new campaign named
// by this message's id. Assigned once, at indexing, in spool order, so reindex rebuilds the
// same grouping.
#pragma once

#include "base/result.hpp"
#include "store/store.hpp"

namespace spampot::pipeline {

// ssdeep scores at or above this are one campaign: near-identical text with per-recipient
// names, links and numbers changed (ssdeep's own "likely related" starts much lower).
inline constexpr int kCampaignScore = 75;
// Recent campaigns compared per block size: spam campaigns come in bursts, so the match is
// among the latest; the bound keeps indexing cost flat as campaigns pile up.
inline constexpr std::size_t kCampaignCandidates = 200;

// Sets d.campaign (left empty for a message without text), adding the campaign when new. An
// empty d.body_fuzzy is filled: copied from the campaign whose digest the body shares (the same
// text has the same hash), else taken of `body_text`, the normalised text the digest is of.
Status assign_campaign(store::store& st, store::message_details& d, std::string_view body_text = {});

}  // namespace spampot::pipeline
