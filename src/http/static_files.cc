#include "http/static_files.h"

#include <limits.h>
#include <stdlib.h>
#include <sys/stat.h>

#include <array>
#include <memory>
#include <mutex>
#include <utility>

namespace th::http {
namespace {

struct MimeEntry {
  std::string_view ext;
  std::string_view type;
};

constexpr std::array<MimeEntry, 22> kMimeTypes = {{
    {"html", "text/html; charset=utf-8"},
    {"htm", "text/html; charset=utf-8"},
    {"js", "text/javascript; charset=utf-8"},
    {"mjs", "text/javascript; charset=utf-8"},
    {"css", "text/css; charset=utf-8"},
    {"svg", "image/svg+xml"},
    {"png", "image/png"},
    {"jpg", "image/jpeg"},
    {"jpeg", "image/jpeg"},
    {"gif", "image/gif"},
    {"webp", "image/webp"},
    {"ico", "image/x-icon"},
    {"woff2", "font/woff2"},
    {"woff", "font/woff"},
    {"ttf", "font/ttf"},
    {"json", "application/json"},
    {"map", "application/json"},
    {"txt", "text/plain; charset=utf-8"},
    {"wasm", "application/wasm"},
    {"webmanifest", "application/manifest+json"},
    {"xml", "application/xml"},
    {"pdf", "application/pdf"},
}};

bool EqualsLower(std::string_view a, std::string_view lower) {
  if (a.size() != lower.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    char c = a[i];
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    if (c != lower[i]) return false;
  }
  return true;
}

// realpath(3) without PATH_MAX surprises; empty on any failure.
std::string RealPath(const std::string& p) {
  std::unique_ptr<char, decltype(&free)> r(realpath(p.c_str(), nullptr), &free);
  return r ? std::string(r.get()) : std::string();
}

bool IsRegularFile(const std::string& p) {
  struct stat st;
  return stat(p.c_str(), &st) == 0 && S_ISREG(st.st_mode);
}

bool HasHiddenSegment(std::string_view path) {
  for (std::size_t i = 0; i + 1 < path.size(); ++i) {
    if (path[i] == '/' && path[i + 1] == '.') return true;
  }
  return false;
}

}  // namespace

std::string_view MimeType(std::string_view file_name) {
  std::size_t slash = file_name.rfind('/');
  if (slash != std::string_view::npos) file_name.remove_prefix(slash + 1);
  std::size_t dot = file_name.rfind('.');
  if (dot == std::string_view::npos) return "application/octet-stream";
  std::string_view ext = file_name.substr(dot + 1);
  for (const MimeEntry& e : kMimeTypes) {
    if (EqualsLower(ext, e.ext)) return e.type;
  }
  return "application/octet-stream";
}

StaticFiles::StaticFiles(const std::string& root) {
  if (root.empty()) return;
  root_ = RealPath(root);
  if (root_.empty()) return;
  while (root_.size() > 1 && root_.back() == '/') root_.pop_back();
  std::string index = root_ + "/index.html";
  if (IsRegularFile(index)) index_path_ = std::move(index);
}

StaticFiles::File StaticFiles::IndexFile() const {
  File f;
  f.path = index_path_;
  f.mime = MimeType("index.html");
  f.is_index = true;
  return f;
}

std::optional<StaticFiles::File> StaticFiles::Resolve(std::string_view path) const {
  if (!enabled()) return std::nullopt;
  if (path.empty() || path == "/") return IndexFile();
  {
    std::shared_lock lock(mu_);
    auto it = cache_.find(std::string(path));
    if (it != cache_.end()) return it->second;
  }
  return ResolveUncached(path);
}

void StaticFiles::Forget(std::string_view path) const {
  std::unique_lock lock(mu_);
  cache_.erase(std::string(path));
}

std::optional<StaticFiles::File> StaticFiles::ResolveUncached(std::string_view path) const {
  const bool under_assets = path.starts_with("/assets/");
  if (path.front() != '/' || path.find('\0') != std::string_view::npos) return std::nullopt;
  if (!HasHiddenSegment(path)) {
    std::string candidate = root_;
    candidate.append(path);
    std::string real = RealPath(candidate);
    // The prefix check after canonicalization is what keeps symlinks and any ".." that
    // slipped through from reaching outside the root.
    if (!real.empty() && real.size() > root_.size() + 1 && real.starts_with(root_) &&
        real[root_.size()] == '/' && IsRegularFile(real)) {
      File f;
      f.mime = MimeType(real);
      f.immutable = under_assets;
      f.is_index = real == index_path_;
      f.path = std::move(real);
      std::unique_lock lock(mu_);
      if (cache_.size() >= kMaxCached) cache_.clear();
      cache_.emplace(std::string(path), f);
      return f;
    }
  }
  if (under_assets) return std::nullopt;
  return IndexFile();
}

}  // namespace th::http
