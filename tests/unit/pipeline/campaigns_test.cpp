// Campaign assignment against a real SQLite store: an identical body joins by its digest, a
// near-identical one by its ssdeep score, a different one starts a campaign of its own.
#include "pipeline/campaigns.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

#include "message/fingerprint.hpp"

namespace spampot::pipeline {
namespace {

namespace fs = std::filesystem;

store::message_details body(const std::string& id, const std::string& text) {
  store::message_details d;
  d.id = id;
  const auto fp = message::fingerprint_of(message::normalise_text(text));
  d.body_sha256 = fp.sha256;
  d.body_fuzzy = fp.fuzzy;
  return d;
}

std::string letter(const std::string& name, const std::string& link) {
  std::string t = "Dear " + name + ",\n";
  for (int i = 0; i < 40; ++i)
    t += "Our pharmacy ships discreetly worldwide; paragraph " + std::to_string(i % 7) +
         " explains the offer in words that a template repeats for every recipient.\n";
  return t + "Order here: " + link + "\n";
}

TEST(Campaigns, DigestThenFuzzyScoreThenNew) {
  const fs::path db = fs::temp_directory_path() / ("spampot-campaigns-" + std::to_string(::getpid()) + ".db");
  for (const char* suffix : {"", "-wal", "-shm"}) fs::remove(db.string() + suffix);
  auto opened = store::open("sqlite:" + db.string());
  ASSERT_TRUE(opened.ok()) << opened.error();
  store::store& st = **opened;
  ASSERT_TRUE(st.begin().ok());

  auto a = body("M1", letter("Anna", "http://a1.example/x?u=1"));
  ASSERT_TRUE(assign_campaign(st, a).ok());
  EXPECT_EQ(a.campaign, "M1");  // the first of its kind names the campaign

  auto same = body("M2", letter("ANNA", "http://a1.example/x?u=7") + "\n\n");  // case, space, digits
  ASSERT_TRUE(assign_campaign(st, same).ok());
  EXPECT_EQ(same.body_sha256, a.body_sha256);
  EXPECT_EQ(same.campaign, "M1");

  auto near = body("M3", letter("Bartholomew", "http://b2.example/y?u=9"));
  ASSERT_NE(near.body_sha256, a.body_sha256);
  EXPECT_GE(message::fuzzy_score(near.body_fuzzy, a.body_fuzzy), kCampaignScore);
  ASSERT_TRUE(assign_campaign(st, near).ok());
  EXPECT_EQ(near.campaign, "M1");

  std::string other_text;
  for (int i = 0; i < 60; ++i) other_text += "Completely unrelated lottery notice, claim code line " + std::to_string(i * 7919) + " with varied words " + std::string(i % 11, 'z') + "\n";
  auto other = body("M4", other_text);
  ASSERT_TRUE(assign_campaign(st, other).ok());
  EXPECT_EQ(other.campaign, "M4");

  auto empty = body("M5", " \n ");
  ASSERT_TRUE(assign_campaign(st, empty).ok());
  EXPECT_EQ(empty.campaign, "");  // no text, no campaign

  // As the indexer calls it: the digest only, and the text. The ssdeep hash is taken only for a
  // body no campaign has; one that shares a digest gets the campaign's hash, the same one.
  auto as_indexed = [](const std::string& id, const std::string& text) {
    store::message_details d;
    d.id = id;
    d.body_sha256 = message::fingerprint_of(message::normalise_text(text), false).sha256;
    return d;
  };
  std::string weather;
  for (int i = 0; i < 50; ++i) weather += "Storm warning for harbour district " + std::string(i % 5 + 1, 'q') + ", bring the boats in\n";
  const std::string storm = message::normalise_text(weather);
  auto fresh = as_indexed("M6", weather);
  ASSERT_TRUE(fresh.body_fuzzy.empty());
  ASSERT_TRUE(assign_campaign(st, fresh, storm).ok());
  EXPECT_EQ(fresh.campaign, "M6");
  EXPECT_EQ(fresh.body_fuzzy, message::fingerprint_of(storm).fuzzy);
  auto again = as_indexed("M7", weather);
  ASSERT_TRUE(assign_campaign(st, again, "").ok());  // no text given: the digest matched, none needed
  EXPECT_EQ(again.campaign, fresh.campaign);
  EXPECT_EQ(again.body_fuzzy, fresh.body_fuzzy);
  ASSERT_TRUE(st.commit().ok());
  opened->reset();
  for (const char* suffix : {"", "-wal", "-shm"}) fs::remove(db.string() + suffix);
}

}  // namespace
}  // namespace spampot::pipeline
