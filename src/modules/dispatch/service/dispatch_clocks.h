#pragma once
// The clock variants of the dispatch kinds (config/workflows/dispatch.json "variants": per
// urgency, category or "<urgency>.<category>", each with its own clock, warn_before and
// district_after). The work engine reads the kinds' own clocks; the module picks the variant of
// an order (DispatchVariant) and stores the deadlines it gives on the order and its work item.
#include <cstdint>
#include <map>
#include <string>

#include "base/status.h"
#include "platform/work/work_config.h"

namespace th::service {

class DispatchClocks {
 public:
  // Parses the file's "kinds"[].variants (the rest is the engine's); errors name the kind.
  static Result<DispatchClocks> Parse(const std::string& json_text);
  // Reads <config_dir>/workflows/dispatch.json (errors name the file).
  static Result<DispatchClocks> Load(const std::string& config_dir);

  // The variant's clocks, or null when the kind has no such variant.
  const work::KindConfig* Find(const std::string& kind, const std::string& variant) const;
  bool Has(const std::string& kind, const std::string& variant) const { return Find(kind, variant) != nullptr; }

 private:
  std::map<std::string, std::map<std::string, work::KindConfig>> variants_;
};

}  // namespace th::service
