// http_bench_server: serves a static dir and GET /api/ping with the access log off, for wrk.
// Usage: http_bench_server <static_dir> <port> [threads]
#include <cstdio>
#include <cstdlib>
#include <string>

#include "http/message.h"

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: %s <static_dir> <port> [threads]\n", argv[0]);
    return 2;
  }
  th::http::ServerOptions opts;
  opts.static_dir = argv[1];
  opts.port = static_cast<std::uint16_t>(std::atoi(argv[2]));
  opts.threads = argc > 3 ? std::atoi(argv[3]) : 0;
  opts.access_log = false;
  th::http::Router router;
  router.Add("GET", "/api/ping", [](th::http::Request&) {
    th::http::Response r;
    r.body = R"({"ok":true})";
    return r;
  });
  th::http::Server server(opts, std::move(router));
  std::string err;
  if (!server.Start(&err)) {
    std::fprintf(stderr, "start: %s\n", err.c_str());
    return 1;
  }
  std::printf("listening on %u\n", server.port());
  std::fflush(stdout);
  server.Run(true);
  return 0;
}
