// layering_check: the build's layering rules over every #include under src/ (../shared/DESIGN.md
// "Architecture"; docs/MODULES.md). ctest runs it as layering_test on the real tree and as
// layering_self_test on fixture trees (tools/layering_fixtures/) that must fail exactly as
// expected, so the check itself is tested.
//
//   layering_check --src DIR --edges FILE [--json-allowed FILE]   exit 1 on any violation
//   layering_check --self-test FIXTURES_DIR                        each case: DIR/<case>/{src,edges.txt,expect.txt}
//
// A file's owner is the first folder under src/: a leaf (base text io security storage http
// linkage, and domain for the shared value types), "platform", "modules/<m>" or "app". Its layer
// is its folder under the owner (domain, repo, service, api); a file in another folder (a
// platform part such as platform/work/) takes its layer from its name: *_repo.* repo, *_routes.*
// or *_api.* api, else service. Test code (*_test.cc, *_bench.cc, testing/) reaches across layers
// to set up state and is not checked. Rules:
//   leaf-upward         a leaf includes the platform, a module or the app
//   app-included        anything but the app includes src/app/
//   platform-uses-module the platform includes a module
//   undeclared-module   module m includes module n that m's th_module() does not list in USES
//   foreign-repo        a module includes another module's repo (USES or not)
//   layer-upward        a lower layer includes a higher one (domain < repo < service < api)
//   api-includes-repo   an api file includes a repo header (its own module's or the platform's)
//   json-below-api      <boost/json...> outside api/ and app/, except the files in --json-allowed
//   sql-above-repo      a string literal with SQL (SELECT, INSERT INTO, UPDATE, DELETE FROM) in a
//                       service/ or api/ file
// Time: one pass over ~200 files, well under a second.
#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

namespace fs = std::filesystem;

namespace {

struct Violation {
  std::string rule, file;
  int line = 0;
  std::string message;
};

struct Place {
  std::string owner;  // leaf name, "platform", "modules/<m>", "app", "" (unknown)
  std::string module;  // <m> for modules
  int layer = -1;      // 0 domain, 1 repo, 2 service, 3 api; -1 none (leaf, app)
  bool leaf = false;
};

const std::set<std::string> kLeaves = {"base", "text", "io", "security", "storage", "http", "linkage", "domain"};
const char* kLayerNames[] = {"domain", "repo", "service", "api"};

int LayerOf(const std::string& folder) {
  for (int i = 0; i < 4; ++i) {
    if (folder == kLayerNames[i]) return i;
  }
  return -1;
}

int LayerFromName(const std::string& file) {
  auto has = [&](const char* s) { return file.find(s) != std::string::npos; };
  if (has("_repo.")) return 1;
  if (has("_routes.") || has("_api.")) return 3;
  return 2;
}

std::vector<std::string> Split(const std::string& rel) {
  std::vector<std::string> parts;
  std::stringstream ss(rel);
  for (std::string p; std::getline(ss, p, '/');) parts.push_back(p);
  return parts;
}

// `rel` is relative to src/ ("modules/registry/api/child_routes.cc").
Place Classify(const std::string& rel) {
  Place p;
  auto parts = Split(rel);
  if (parts.size() < 2) return p;
  const std::string& top = parts[0];
  if (kLeaves.count(top)) {
    p.owner = top;
    p.leaf = true;
    return p;
  }
  if (top == "app") {
    p.owner = "app";
    return p;
  }
  std::size_t layer_at = 1;
  if (top == "platform") {
    p.owner = "platform";
  } else if (top == "modules" && parts.size() >= 3) {
    p.module = parts[1];
    p.owner = "modules/" + p.module;
    layer_at = 2;
  } else {
    return p;
  }
  p.layer = parts.size() > layer_at + 1 ? LayerOf(parts[layer_at]) : -1;
  if (p.layer < 0) p.layer = LayerFromName(parts.back());
  return p;
}

bool IsTestCode(const std::string& rel) {
  const std::string name = fs::path(rel).filename().string();
  return name.find("_test.") != std::string::npos || name.find("_bench.") != std::string::npos ||
         rel.find("testing/") != std::string::npos || rel.rfind("testing/", 0) == 0;
}

std::string Slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// module -> modules it USES, from "name: a b" lines.
std::map<std::string, std::set<std::string>> ReadEdges(const fs::path& p, bool* ok) {
  std::map<std::string, std::set<std::string>> out;
  std::ifstream in(p);
  *ok = static_cast<bool>(in);
  for (std::string line; std::getline(in, line);) {
    auto colon = line.find(':');
    if (colon == std::string::npos) continue;
    std::string name = line.substr(0, colon);
    std::stringstream rest(line.substr(colon + 1));
    auto& uses = out[name];
    for (std::string u; rest >> u;) uses.insert(u);
  }
  return out;
}

std::set<std::string> ReadList(const fs::path& p) {
  std::set<std::string> out;
  std::ifstream in(p);
  for (std::string line; std::getline(in, line);) {
    auto hash = line.find('#');
    if (hash != std::string::npos) line = line.substr(0, hash);
    line.erase(0, line.find_first_not_of(" \t"));
    line.erase(line.find_last_not_of(" \t\r") + 1);
    if (!line.empty()) out.insert(line);
  }
  return out;
}

// The string literals of C++ source `text` with their line numbers (comments skipped; raw
// strings R"d(...)d" included).
std::vector<std::pair<int, std::string>> StringLiterals(const std::string& text) {
  std::vector<std::pair<int, std::string>> out;
  int line = 1;
  const std::size_t n = text.size();
  for (std::size_t i = 0; i < n; ++i) {
    char c = text[i];
    if (c == '\n') ++line;
    if (c == '/' && i + 1 < n && text[i + 1] == '/') {
      while (i < n && text[i] != '\n') ++i;
      ++line;
      continue;
    }
    if (c == '/' && i + 1 < n && text[i + 1] == '*') {
      i += 2;
      while (i + 1 < n && !(text[i] == '*' && text[i + 1] == '/')) line += text[i++] == '\n';
      ++i;
      continue;
    }
    if (c == '\'') {  // a character literal ('"' must not open a string)
      ++i;
      while (i < n && text[i] != '\'') i += text[i] == '\\' ? 2 : 1;
      continue;
    }
    if (c == 'R' && i + 1 < n && text[i + 1] == '"') {
      std::size_t open = text.find('(', i + 2);
      if (open == std::string::npos) break;
      const std::string close = ")" + text.substr(i + 2, open - i - 2) + "\"";
      std::size_t end = text.find(close, open + 1);
      if (end == std::string::npos) break;
      std::string body = text.substr(open + 1, end - open - 1);
      out.emplace_back(line, body);
      line += static_cast<int>(std::count(body.begin(), body.end(), '\n'));
      i = end + close.size() - 1;
      continue;
    }
    if (c == '"') {
      std::string body;
      ++i;
      while (i < n && text[i] != '"') {
        if (text[i] == '\\' && i + 1 < n) {
          body += text[i + 1];
          i += 2;
          continue;
        }
        if (text[i] == '\n') break;  // unterminated: give up on this line
        body += text[i++];
      }
      out.emplace_back(line, body);
    }
  }
  return out;
}

struct Checker {
  std::map<std::string, std::set<std::string>> uses;
  std::set<std::string> json_allowed;  // paths relative to src/
  std::vector<Violation> found;

  void Add(const std::string& rule, const std::string& file, int line, const std::string& msg) {
    found.push_back({rule, file, line, msg});
  }

  void CheckInclude(const std::string& rel, const Place& from, int line, const std::string& inc) {
    const Place to = Classify(inc);
    if (to.owner.empty()) return;  // not one of ours (a system or generated header)
    if (from.leaf) {
      if (!to.leaf) Add("leaf-upward", rel, line, "a leaf includes " + inc);
      return;
    }
    if (to.owner == "app" && from.owner != "app") {
      Add("app-included", rel, line, "only src/app/ may include " + inc);
      return;
    }
    if (from.owner == "app" || to.leaf) return;
    if (from.owner == "platform" && !to.module.empty()) {
      Add("platform-uses-module", rel, line, "the platform includes a module: " + inc);
      return;
    }
    if (!from.module.empty() && !to.module.empty() && to.module != from.module) {
      if (to.layer == 1) {
        Add("foreign-repo", rel, line, "module " + from.module + " includes module " + to.module + "'s repo: " + inc);
        return;
      }
      if (!uses[from.module].count(to.module)) {
        Add("undeclared-module", rel, line,
            "module " + from.module + " includes " + inc + " but does not declare USES " + to.module);
        return;
      }
    }
    if (from.layer == 3 && to.layer == 1) {
      Add("api-includes-repo", rel, line, "an api file includes a repo: " + inc);
      return;
    }
    if (to.layer > from.layer) {
      Add("layer-upward", rel, line,
          std::string(kLayerNames[from.layer]) + " includes " + kLayerNames[to.layer] + ": " + inc);
    }
  }

  void CheckFile(const fs::path& path, const std::string& rel) {
    if (IsTestCode(rel)) return;
    const Place from = Classify(rel);
    const std::string text = Slurp(path);
    static const std::regex kInclude(R"re(^\s*#\s*include\s*([<"])([^">]+)[">])re");
    static const std::regex kSql(R"re(\b(SELECT|INSERT INTO|UPDATE|DELETE FROM)\s)re");
    std::stringstream ss(text);
    int line_no = 0;
    for (std::string line; std::getline(ss, line);) {
      ++line_no;
      std::smatch m;
      if (!std::regex_search(line, m, kInclude)) continue;
      const std::string inc = m[2];
      if (m[1] == "<") {
        if (inc.rfind("boost/json", 0) == 0 && from.owner != "app" && from.layer != 3 && !json_allowed.count(rel)) {
          Add("json-below-api", rel, line_no, "Boost.JSON below api (list config parsers in --json-allowed)");
        }
        continue;
      }
      CheckInclude(rel, from, line_no, inc);
    }
    if (from.layer == 2 || from.layer == 3) {
      for (const auto& [line, lit] : StringLiterals(text)) {
        if (std::regex_search(lit, kSql)) Add("sql-above-repo", rel, line, "SQL text in a service/api file");
      }
    }
  }

  void Run(const fs::path& src) {
    std::vector<fs::path> files;
    for (const auto& e : fs::recursive_directory_iterator(src)) {
      const auto ext = e.path().extension();
      if (e.is_regular_file() && (ext == ".cc" || ext == ".h")) files.push_back(e.path());
    }
    std::sort(files.begin(), files.end());
    for (const auto& f : files) CheckFile(f, fs::relative(f, src).generic_string());
  }
};

int Check(const fs::path& src, const fs::path& edges, const fs::path& json_allowed, std::vector<Violation>* out) {
  Checker c;
  bool ok = false;
  c.uses = ReadEdges(edges, &ok);
  if (!ok) {
    std::fprintf(stderr, "cannot read %s\n", edges.c_str());
    return 2;
  }
  if (!json_allowed.empty()) c.json_allowed = ReadList(json_allowed);
  if (!fs::is_directory(src)) {
    std::fprintf(stderr, "not a directory: %s\n", src.c_str());
    return 2;
  }
  c.Run(src);
  *out = std::move(c.found);
  return 0;
}

// Each case DIR/<case>/ holds src/, edges.txt, optionally json_allowed.txt, and expect.txt: the
// violations the check must report, one "rule path" per line (none for a clean case).
int SelfTest(const fs::path& dir) {
  int failures = 0, cases = 0;
  std::vector<fs::path> case_dirs;
  for (const auto& e : fs::directory_iterator(dir)) {
    if (e.is_directory()) case_dirs.push_back(e.path());
  }
  std::sort(case_dirs.begin(), case_dirs.end());
  for (const auto& c : case_dirs) {
    ++cases;
    std::vector<Violation> found;
    const fs::path allowed = fs::exists(c / "json_allowed.txt") ? c / "json_allowed.txt" : fs::path();
    if (Check(c / "src", c / "edges.txt", allowed, &found) != 0) return 2;
    std::set<std::string> got, want = ReadList(c / "expect.txt");
    for (const auto& v : found) got.insert(v.rule + " " + v.file);
    if (got != want) {
      ++failures;
      std::printf("FAIL %s\n", c.filename().c_str());
      for (const auto& g : got) {
        if (!want.count(g)) std::printf("  unexpected: %s\n", g.c_str());
      }
      for (const auto& w : want) {
        if (!got.count(w)) std::printf("  missed:     %s\n", w.c_str());
      }
    } else {
      std::printf("ok   %s (%zu violations as expected)\n", c.filename().c_str(), want.size());
    }
  }
  if (cases == 0) {
    std::printf("no cases under %s\n", dir.c_str());
    return 2;
  }
  return failures == 0 ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
  fs::path src, edges, json_allowed, self_test;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string a = argv[i];
    if (a == "--src") src = argv[i + 1];
    else if (a == "--edges") edges = argv[i + 1];
    else if (a == "--json-allowed") json_allowed = argv[i + 1];
    else if (a == "--self-test") self_test = argv[i + 1];
  }
  if (!self_test.empty()) return SelfTest(self_test);
  if (src.empty() || edges.empty()) {
    std::fprintf(stderr, "usage: layering_check --src DIR --edges FILE [--json-allowed FILE] | --self-test DIR\n");
    return 2;
  }
  std::vector<Violation> found;
  if (int rc = Check(src, edges, json_allowed, &found); rc != 0) return rc;
  for (const auto& v : found) {
    std::printf("src/%s:%d: %s: %s\n", v.file.c_str(), v.line, v.rule.c_str(), v.message.c_str());
  }
  std::printf("%zu layering violation(s)\n", found.size());
  return found.empty() ? 0 : 1;
}
