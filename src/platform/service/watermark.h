#pragma once
// The watermark text (issue 10): the same words on every page showing personal data (the web app's
// ElWatermark) and in every export: "<name>(<account>) <YYYY-MM-DD HH:MM>" in Asia/Shanghai, e.g.
// "王秀英(director) 2026-12-06 14:05". Header-only; docs/API.md "Watermark" documents the format.
#include <cstdint>
#include <string>
#include <vector>

#include "base/clock.h"
#include "platform/service/principal.h"

namespace th::service {

// What a CSV export's last line starts with: importing our own export skips that line.
inline constexpr const char* kExportWatermarkPrefix = "导出水印：";

inline std::string WatermarkText(const Principal& who, std::int64_t now_ms) {
  std::string time = FormatShanghai(now_ms);  // "2026-12-06 14:05:33"
  if (time.size() > 16) time.resize(16);      // to the minute, as the pages show it
  const std::string& name = who.display_name.empty() ? who.username : who.display_name;
  return name + "(" + who.username + ") " + time;
}

// True for the watermark line of our CSV export: the prefix in the first cell, nothing else.
inline bool IsExportWatermarkRow(const std::vector<std::string>& cells) {
  if (cells.empty() || cells[0].rfind(kExportWatermarkPrefix, 0) != 0) return false;
  for (std::size_t i = 1; i < cells.size(); ++i) {
    if (!cells[i].empty()) return false;
  }
  return true;
}

}  // namespace th::service
