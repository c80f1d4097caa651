#include "http/static_files.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

namespace th::http {
namespace {

namespace fs = std::filesystem;

TEST(MimeTypeTest, Table) {
  struct Case {
    std::string name, want;
  } cases[] = {
      {"index.html", "text/html; charset=utf-8"},
      {"/assets/index-3f2a.js", "text/javascript; charset=utf-8"},
      {"a.mjs", "text/javascript; charset=utf-8"},
      {"a.CSS", "text/css; charset=utf-8"},
      {"logo.svg", "image/svg+xml"},
      {"a.png", "image/png"},
      {"a.jpg", "image/jpeg"},
      {"favicon.ico", "image/x-icon"},
      {"f.woff2", "font/woff2"},
      {"m.json", "application/json"},
      {"a.js.map", "application/json"},
      {"robots.txt", "text/plain; charset=utf-8"},
      {"README", "application/octet-stream"},
      {"dir.d/noext", "application/octet-stream"},
      {"x.exe", "application/octet-stream"},
  };
  for (const Case& c : cases) EXPECT_EQ(MimeType(c.name), c.want) << c.name;
}

class StaticFilesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    base_ = fs::temp_directory_path() / ("th_static_" + std::to_string(getpid()));
    fs::remove_all(base_);
    fs::create_directories(base_ / "dist/assets");
    fs::create_directories(base_ / "dist/sub");
    Write(base_ / "dist/index.html", "<html>app</html>");
    Write(base_ / "dist/assets/app-1a2b.js", "console.log(1)");
    Write(base_ / "dist/favicon.ico", "ico");
    Write(base_ / "dist/.env", "SECRET=1");
    Write(base_ / "secret.txt", "outside");
    fs::create_symlink(base_ / "secret.txt", base_ / "dist/link.txt");
  }
  void TearDown() override { fs::remove_all(base_); }
  static void Write(const fs::path& p, const std::string& s) { std::ofstream(p) << s; }
  fs::path base_;
};

TEST_F(StaticFilesTest, ResolveTable) {
  StaticFiles sf((base_ / "dist").string());
  ASSERT_TRUE(sf.enabled());
  std::string root = fs::canonical(base_ / "dist").string();
  struct Case {
    std::string path;
    std::optional<std::string> want_file;  // relative to root; nullopt: 404
    bool immutable, is_index;
  } cases[] = {
      {"/", "index.html", false, true},
      {"/index.html", "index.html", false, true},
      {"/assets/app-1a2b.js", "assets/app-1a2b.js", true, false},
      {"/favicon.ico", "favicon.ico", false, false},
      {"/users/5", "index.html", false, true},       // SPA deep link
      {"/sub", "index.html", false, true},           // directory
      {"/sub/", "index.html", false, true},
      {"/assets/missing-9z.js", std::nullopt, false, false},
      {"/.env", "index.html", false, true},          // hidden files are never served
      {"/link.txt", "index.html", false, true},      // symlink out of the root refused
  };
  for (int round = 0; round < 2; ++round) {  // the second round is served from the cache
    for (const Case& c : cases) {
      SCOPED_TRACE(c.path);
      auto f = sf.Resolve(c.path);
      if (!c.want_file) {
        EXPECT_FALSE(f.has_value());
        continue;
      }
      ASSERT_TRUE(f.has_value());
      EXPECT_EQ(f->path, root + "/" + *c.want_file);
      EXPECT_EQ(f->immutable, c.immutable);
      EXPECT_EQ(f->is_index, c.is_index);
    }
  }
}

TEST_F(StaticFilesTest, DisabledWithoutIndex) {
  EXPECT_FALSE(StaticFiles("").enabled());
  EXPECT_FALSE(StaticFiles((base_ / "nope").string()).enabled());
  EXPECT_FALSE(StaticFiles((base_ / "dist/assets").string()).enabled());
  EXPECT_FALSE(StaticFiles((base_ / "dist/assets").string()).Resolve("/").has_value());
}

TEST_F(StaticFilesTest, ForgetAfterFileVanishes) {
  StaticFiles sf((base_ / "dist").string());
  ASSERT_TRUE(sf.Resolve("/favicon.ico").has_value());
  fs::remove(base_ / "dist/favicon.ico");
  sf.Forget("/favicon.ico");
  auto f = sf.Resolve("/favicon.ico");
  ASSERT_TRUE(f.has_value());
  EXPECT_TRUE(f->is_index);
}

}  // namespace
}  // namespace th::http
