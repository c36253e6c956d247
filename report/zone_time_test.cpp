// Calendar arithmetic in IANA zones: bucket labels and local midnights around DST changes.

#include "report/zone_time.hpp"

#include <gtest/gtest.h>

namespace chitragupt::report {
namespace {

std::int64_t at(const std::string& stored) { return *parse_stored(stored); }

TEST(ZoneTime, unknown_zone_is_not_found) {
  EXPECT_EQ(find_zone("Mars/Olympus_Mons"), nullptr);
  EXPECT_EQ(find_zone(""), nullptr);
  EXPECT_NE(find_zone("America/New_York"), nullptr);
}

TEST(ZoneTime, parse_day_rejects_malformed_and_impossible_dates) {
  EXPECT_TRUE(parse_day("2026-02-28"));
  EXPECT_FALSE(parse_day("2026-02-29"));
  EXPECT_FALSE(parse_day("2026-2-28"));
  EXPECT_FALSE(parse_day("2026-02-28T00"));
  EXPECT_FALSE(parse_day("yesterday"));
  EXPECT_EQ(format_day(*parse_day("2024-02-29")), "2024-02-29");
}

TEST(ZoneTime, local_midnight_follows_the_zone_offset_of_that_day) {
  Zone ny = find_zone("America/New_York");
  EXPECT_EQ(local_midnight_utc(ny, *parse_day("2026-03-08")), "2026-03-08 05:00:00");
  EXPECT_EQ(local_midnight_utc(ny, *parse_day("2026-03-09")), "2026-03-09 04:00:00");
  EXPECT_EQ(local_midnight_utc(ny, *parse_day("2026-11-02")), "2026-11-02 05:00:00");
}

TEST(ZoneTime, hour_labels_carry_the_offset_so_the_repeated_hour_is_two_buckets) {
  Zone ny = find_zone("America/New_York");
  EXPECT_EQ(bucket_label(ny, at("2026-11-01 05:00:00"), Bucket::hour), "2026-11-01T01:00:00-04:00");
  EXPECT_EQ(bucket_label(ny, at("2026-11-01 06:00:00"), Bucket::hour), "2026-11-01T01:00:00-05:00");
  EXPECT_EQ(bucket_label(ny, at("2026-03-08 06:59:59"), Bucket::hour), "2026-03-08T01:00:00-05:00");
  EXPECT_EQ(bucket_label(ny, at("2026-03-08 07:00:00"), Bucket::hour), "2026-03-08T03:00:00-04:00");
}

TEST(ZoneTime, day_week_and_month_labels_are_local) {
  Zone ny = find_zone("America/New_York");
  // 2026-03-01 03:00 UTC is still February 28 in New York.
  EXPECT_EQ(bucket_label(ny, at("2026-03-01 03:00:00"), Bucket::day), "2026-02-28");
  EXPECT_EQ(bucket_label(ny, at("2026-03-01 03:00:00"), Bucket::month), "2026-02");
  // ISO weeks: Sunday 2026-03-08 closes week 10, Monday 2026-03-09 opens week 11.
  EXPECT_EQ(bucket_label(ny, at("2026-03-09 03:59:59"), Bucket::week), "2026-W10");
  EXPECT_EQ(bucket_label(ny, at("2026-03-09 04:00:00"), Bucket::week), "2026-W11");
  // The ISO week-numbering year: 2027-01-01 (a Friday) is in 2026-W53.
  Zone utc = find_zone("UTC");
  EXPECT_EQ(bucket_label(utc, at("2027-01-01 12:00:00"), Bucket::week), "2026-W53");
}

TEST(ZoneTime, local_time_accepts_dates_times_and_explicit_utc) {
  Zone ny = find_zone("America/New_York");
  EXPECT_EQ(*local_time_utc(ny, "2026-01-15"), "2026-01-15 05:00:00");
  EXPECT_EQ(*local_time_utc(ny, "2026-01-15T10:30"), "2026-01-15 15:30:00");
  EXPECT_EQ(*local_time_utc(ny, "2026-01-15T10:30:15Z"), "2026-01-15 10:30:15");
  EXPECT_FALSE(local_time_utc(ny, "2026-01-15T25:00"));
  EXPECT_FALSE(local_time_utc(ny, "2026-01-15 at noon"));
}

}  // namespace
}  // namespace chitragupt::report

namespace chitragupt::report {
namespace {

TEST(ZoneTime, next_bucket_start_follows_local_boundaries) {
  Zone ny = find_zone("America/New_York");
  auto next = [&](const std::string& t, Bucket b) {
    return stored_utc(next_bucket_start(ny, at(t), b));
  };
  // Spring forward: the day of 2026-03-08 ends at 04:00 UTC the next day (23 hours).
  EXPECT_EQ(next("2026-03-08 05:00:00", Bucket::day), "2026-03-09 04:00:00");
  // Fall back: 01:00-04:00 ends at the offset change, then 01:00-05:00 runs a full hour.
  EXPECT_EQ(next("2026-11-01 05:00:00", Bucket::hour), "2026-11-01 06:00:00");
  EXPECT_EQ(next("2026-11-01 06:00:00", Bucket::hour), "2026-11-01 07:00:00");
  EXPECT_EQ(next("2026-03-04 12:00:00", Bucket::week), "2026-03-09 04:00:00");
  EXPECT_EQ(next("2026-02-10 12:00:00", Bucket::month), "2026-03-01 05:00:00");
  // India is UTC+05:30: its local hours start at :30 UTC.
  Zone kolkata = find_zone("Asia/Kolkata");
  EXPECT_EQ(stored_utc(next_bucket_start(kolkata, at("2026-01-01 10:00:00"), Bucket::hour)),
            "2026-01-01 10:30:00");
}

}  // namespace
}  // namespace chitragupt::report
