#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "http/message.h"

namespace th::http {
namespace {

// Splits "/a/b/c/" into {"a","b","c"}: one trailing slash is tolerated, an empty inner
// segment ("/a//b") is kept so it can never match a pattern segment.
// Returns false for paths that do not start with '/'.
template <typename Out>
bool SplitPath(std::string_view path, Out* out) {
  if (path.empty() || path.front() != '/') return false;
  path.remove_prefix(1);
  if (!path.empty() && path.back() == '/') path.remove_suffix(1);
  if (path.empty()) return true;
  while (true) {
    std::size_t slash = path.find('/');
    out->emplace_back(path.substr(0, slash));
    if (slash == std::string_view::npos) break;
    path.remove_prefix(slash + 1);
  }
  return true;
}

bool IsCapture(const std::string& seg) {
  return seg.size() >= 3 && seg.front() == '{' && seg.back() == '}';
}

}  // namespace

void Router::Add(std::string method, std::string pattern, Handler h, bool offload) {
  Route r;
  r.offload = offload;
  r.pattern = pattern;
  r.method = std::move(method);
  std::vector<std::string_view> parts;
  SplitPath(pattern, &parts);
  r.segments.reserve(parts.size());
  for (std::string_view p : parts) r.segments.emplace_back(p);
  r.handler = std::move(h);
  routes_.push_back(std::move(r));
}

bool Router::Offloaded(const Handler* h) const {
  for (const Route& r : routes_) {
    if (&r.handler == h) return r.offload;
  }
  return false;
}

std::vector<std::string> Router::Describe() const {
  std::vector<std::string> out;
  out.reserve(routes_.size());
  for (const Route& r : routes_) out.push_back(r.method + " " + r.pattern);
  return out;
}

const Handler* Router::Match(Request& req, bool* method_not_allowed, std::string* allow) const {
  if (method_not_allowed != nullptr) *method_not_allowed = false;
  // Small fixed-capacity split keeps the hot path free of allocations for typical depths.
  std::vector<std::string_view> segs;
  segs.reserve(12);
  if (!SplitPath(req.path, &segs)) return nullptr;

  auto matches = [&](const Route& r) {
    if (r.segments.size() != segs.size()) return false;
    for (std::size_t i = 0; i < segs.size(); ++i) {
      const std::string& want = r.segments[i];
      if (IsCapture(want)) {
        if (segs[i].empty()) return false;
      } else if (want != segs[i]) {
        return false;
      }
    }
    return true;
  };

  bool path_known = false;
  std::string allowed;
  for (const Route& r : routes_) {
    if (!matches(r)) continue;
    if (r.method == req.method) {
      req.path_params.clear();
      for (std::size_t i = 0; i < segs.size(); ++i) {
        const std::string& want = r.segments[i];
        if (IsCapture(want)) {
          req.path_params.insert_or_assign(want.substr(1, want.size() - 2), std::string(segs[i]));
        }
      }
      return &r.handler;
    }
    path_known = true;
    if (allow != nullptr && allowed.find(r.method) == std::string::npos) {
      if (!allowed.empty()) allowed += ", ";
      allowed += r.method;
    }
  }
  if (path_known) {
    if (method_not_allowed != nullptr) *method_not_allowed = true;
    if (allow != nullptr) *allow = std::move(allowed);
  }
  return nullptr;
}

}  // namespace th::http
