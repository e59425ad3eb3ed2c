// Turning journal records into store rows: the parse step of the pipeline.
#pragma once

#include "base/result.hpp"
#include "capture/reader.hpp"
#include "capture/records.hpp"
#include "store/forensics.hpp"
#include "store/records.hpp"

namespace spampot::pipeline {

// A captured message: its row, and what message forensics found in it (the campaign is
// assigned later, against the store: pipeline/campaigns.hpp), with the envelope it was read
// from (for the delivered form a store keeps with [store] keep_raw).
struct captured_message {
  capture::message_envelope envelope;
  store::message_row row;
  store::message_details details;  // body_fuzzy is left to assign_campaign
  std::string body_text;           // the normalised text the body's fingerprints are of
};

Result<captured_message> message_from(const capture::entry& e);
Result<session_record> session_row_from(const capture::entry& e);
Result<store::http_request_row> http_row_from(const capture::entry& e);

}  // namespace spampot::pipeline
