#pragma once
// Static file lookup for the built web app (web/dist). Beast-free so it can be tested alone.
#include <cstdint>
#include <optional>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <unordered_map>

namespace th::http {

// MIME type for a file name by extension (case-insensitive); text types carry charset=utf-8.
// Unknown extensions give "application/octet-stream".
std::string_view MimeType(std::string_view file_name);

class StaticFiles {
 public:
  struct File {
    std::string path;        // canonical absolute path inside the root
    std::string_view mime;   // points into a static table
    bool immutable = false;  // under /assets/ (content-hashed names): cache for a year
    bool is_index = false;   // index.html (directly or as the SPA fallback): no-cache
  };

  // `root` may be empty or missing; then enabled() is false and Resolve() finds nothing.
  explicit StaticFiles(const std::string& root);
  StaticFiles(const StaticFiles&) = delete;
  StaticFiles& operator=(const StaticFiles&) = delete;

  // True when the root exists and holds index.html.
  bool enabled() const { return !index_path_.empty(); }
  const std::string& root() const { return root_; }

  // Maps a decoded, already validated request path (see DecodeRequestPath) to a file.
  // An existing regular file inside the root is served as is; "/" and directories give
  // index.html; a missing file gives index.html (SPA deep links) except under /assets/,
  // where a missing hashed file is a real 404 (nullopt). Symlinks are resolved and a
  // target outside the root is refused (falls back like a missing file). Thread-safe.
  std::optional<File> Resolve(std::string_view path) const;

  // Drops a cached resolution (the file vanished between Resolve and open).
  void Forget(std::string_view path) const;

 private:
  std::optional<File> ResolveUncached(std::string_view path) const;
  File IndexFile() const;

  std::string root_;        // canonical, no trailing slash
  std::string index_path_;  // root_ + "/index.html" when it exists
  static constexpr std::size_t kMaxCached = 4096;
  mutable std::shared_mutex mu_;
  mutable std::unordered_map<std::string, File> cache_;  // exact hits only
};

}  // namespace th::http
