#pragma once
// Deterministic synthetic district data for `tonghu demo` and benchmarks: households with
// children, parents (and grandparents who guard left-behind children), valid ID numbers with
// real region codes, phones, parents' states in realistic proportions, migrant and left-behind
// patterns, disability, illness and assistance, so that every category rule fires. The same
// options (seed included) always give the same data. No I/O: callers parse the region files
// (region.h) and pass them in.
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "base/status.h"
#include "modules/registry/domain/child.h"
#include "domain/date.h"
#include "domain/region.h"

namespace th::domain {

struct DemoOptions {
  std::uint64_t seed = 1;
  std::int64_t children = 1000;        // total children to produce
  Date today;                          // required: "now"; birth dates fall in 2009-01-01..today
  std::vector<Community> communities;  // required: where households live
  // Required: hukou places (weighted). A county equal to a community's county is "local".
  std::vector<HukouCounty> hukou_counties;
};

// One household: siblings sharing parents. Each child carries its whole family from its own
// point of view (parents, the guarding grandparent, siblings as kSibling); members present in
// several children's families share member_id.
struct DemoHousehold {
  std::string household_id;  // "D<seed>-H<n>"
  std::string community_code;
  std::vector<Child> children;
};

class DemoGenerator {
 public:
  // Checks the options: today set, children >= 0, non-empty communities and counties, and
  // 12-digit community codes. Errors: invalid_argument naming the option.
  static Result<std::unique_ptr<DemoGenerator>> Create(DemoOptions options);
  ~DemoGenerator();
  DemoGenerator(const DemoGenerator&) = delete;
  DemoGenerator& operator=(const DemoGenerator&) = delete;

  // Fills `out` with the next household (reusing its storage: keep passing the same object
  // for speed) and returns true, or returns false once `children` children were produced.
  bool Next(DemoHousehold* out);
  std::int64_t children_generated() const;
  std::int64_t households_generated() const;

 private:
  struct Impl;
  explicit DemoGenerator(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace th::domain
