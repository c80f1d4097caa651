#pragma once
// Name and place tables for the demo generator (internal to th_domain).
#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

namespace th::domain::demo {

struct WeightedText {
  std::string_view text;
  std::uint32_t weight;  // relative frequency
};

// The ~100 most common surnames with their approximate share of the population
// (parts per 100,000; 2020 household-registration statistics, rounded).
std::span<const WeightedText> Surnames();

// Given names typical of people born in `birth_year`, most popular first.
std::span<const std::string_view> GivenNames(int birth_year, bool male);

std::span<const std::string_view> WorkCities();        // cities parents work away in
std::span<const std::string_view> Roads();             // road names for addresses
std::span<const std::string_view> Illnesses();         // serious illnesses of children
std::span<const std::string_view> ParentIllnesses();   // serious illnesses of adults
std::span<const std::string_view> Towns();             // town names for hukou addresses
std::span<const std::string_view> MobilePrefixes();    // 3-digit mobile prefixes
std::span<const std::string_view> VietnameseGiven();   // given names for deported spouses

}  // namespace th::domain::demo
