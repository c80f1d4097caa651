#pragma once
// Test-only helpers: read a shipped config file.
#include <fstream>
#include <sstream>
#include <string>

namespace th::domain::testing {

inline std::string ReadSourceFile(const std::string& relative) {
  std::ifstream in(std::string(TH_SOURCE_DIR) + "/" + relative, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

}  // namespace th::domain::testing
