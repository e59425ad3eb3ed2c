// A message body's fingerprint for grouping campaigns: the text a reader sees, normalised so that
// what spamware varies per recipient (case, spacing, numbers, markup) does not split a campaign;
// then an exact digest and an ssdeep fuzzy hash of it (libfuzzy).
#pragma once

#include <string>
#include <string_view>

namespace spampot::message {

// HTML to its visible text: tags, comments, <script> and <style> go; entities stay as written.
std::string html_text(std::string_view html);

// Lower-cased ASCII, every digit '#', every run of white space one space, trimmed.
std::string normalise_text(std::string_view text);

struct fingerprint {
  std::string sha256;  // empty when the normalised text is
  std::string fuzzy;   // ssdeep "blocksize:hash:hash"
};

// `fuzzy` false: the digest alone (the ssdeep hash costs far more).
fingerprint fingerprint_of(std::string_view normalised_text, bool fuzzy = true);

// ssdeep's match score of two fuzzy hashes, 0 (unrelated) to 100; 0 when either is malformed.
int fuzzy_score(const std::string& a, const std::string& b);
// The block size a fuzzy hash was computed with (0 when malformed): hashes compare only with
// block sizes equal or a factor of two apart.
unsigned long fuzzy_block_size(std::string_view hash);

}  // namespace spampot::message
