// Turning journal records into store rows: the parse step of the pipeline.
#pragma once

#include "base/result.hpp"
#include "capture/reader.hpp"
#include "store/forensics.hpp"
#include "store/records.hpp"

namespace spampot::pipeline {

// A captured message: its row, and what message forensics found in it (the campaign is
// assigned later, against the store: pipeline/campaigns.hpp).
struct captured_message {
  store::message_row row;
  store::message_details details;  // body_fuzzy is left to assign_campaign
  std::string body_text;           // the normalised text the body's fingerprints are of
};

Result<captured_message> message_from(const capture::entry& e);
Result<session_record> session_row_from(const capture::entry& e);
Result<store::http_request_row> http_row_from(const capture::entry& e);

}  // namespace spampot::pipeline
