// Private to src/http: the Beast server's shared state (Server::Impl), the connection type and
// the small helpers they share. server.cc runs the accept loop and the Server API; connection.cc
// is one HTTP connection (reading, limits, routing, offload, static files, writing); server_util.cc
// holds the helpers. Nothing outside src/http includes this header.
#pragma once

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <chrono>
#include <condition_variable>
#include <csignal>
#include <cstdio>
#include <ctime>
#include <exception>
#include <mutex>
#include <random>
#include <thread>
#include <unordered_map>

#include <fmt/format.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include "base/clock.h"
#include "http/message.h"
#include "http/static_files.h"

namespace th::http {

namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
namespace net = boost::asio;
using tcp = net::ip::tcp;

namespace detail {

inline constexpr std::string_view kCsp =
    "default-src 'self'; img-src 'self' data: blob:; style-src 'self' 'unsafe-inline'; "
    "script-src 'self'; font-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; "
    "base-uri 'self'; form-action 'self'";
inline constexpr std::string_view kHsts = "max-age=31536000; includeSubDomains";
inline constexpr std::string_view kJsonType = "application/json; charset=utf-8";
inline constexpr std::string_view kPayloadTooLargeBody =
    R"({"error":{"code":"payload_too_large","field":"","message":"请求体过大"}})";
inline constexpr std::string_view kNotFoundBody =
    R"({"error":{"code":"not_found","field":"","message":"请求的资源不存在"}})";
inline constexpr std::string_view kMethodNotAllowedBody =
    R"({"error":{"code":"method_not_allowed","field":"","message":"不支持该请求方法"}})";
inline constexpr std::string_view kBadRequestBody =
    R"({"error":{"code":"bad_request","field":"","message":"请求格式错误"}})";
inline constexpr std::string_view kBusyBody =
    R"({"error":{"code":"server_busy","field":"","message":"服务器繁忙，请稍后重试"}})";
inline constexpr std::string_view kInternalBody =
    R"({"error":{"code":"internal","field":"","message":"服务器内部错误"}})";
inline constexpr std::string_view kNotBuiltPage =
    "<!doctype html><html lang=\"zh-CN\"><meta charset=\"utf-8\"><title>童护 Tonghu</title>"
    "<p>前端尚未构建（web/dist 中没有 index.html）。请先运行 <code>npm run build</code>。</p>"
    "<p>The web app is not built (no index.html in web/dist). Run <code>npm run build</code> "
    "in web/.</p></html>\n";
inline constexpr std::size_t kHeaderLimit = 16 * 1024;
inline constexpr std::size_t kLingerBytes = 8 << 20;
// Files up to this size are read into memory and leave in one write with their header.
inline constexpr std::uint64_t kSmallFileBytes = 32 * 1024;


// IMF-fixdate for the Date header, formatted at most once per second per thread.
std::string_view HttpDateNow();
// 16 hex digits, random per request.
std::string NewRequestId();
// Appends `s` JSON-escaped (quotes, backslashes, control and non-ASCII bytes as \u00XX).
void AppendJsonEscaped(fmt::memory_buffer& out, std::string_view s);
// False when the value could split a header (CR, LF, NUL).
bool HeaderValueSafe(std::string_view s);
// A token of visible ASCII without a colon.
bool HeaderNameSafe(std::string_view s);
std::string_view TrimSpaces(std::string_view s);
// Peer went away or timed out: close quietly, nothing to answer.
bool IsBenignNetworkError(const beast::error_code& ec);
// The "access" logger (stdout, message only), created once.
std::shared_ptr<spdlog::logger> AccessLogger();

}  // namespace detail

class Connection;

// What the accept loop (server.cc) does with a connection, whose type is complete only in
// connection.cc. A friend of Server, so it may name Server::Impl.
struct ConnectionHooks {
  // A connection on an accepted socket; register it, then Start reads (on its strand).
  static std::shared_ptr<Connection> New(Server::Impl* srv, tcp::socket&& socket);
  static void Start(const std::shared_ptr<Connection>& c);
  // Asks a connection to close: now when `force`, else once it is idle. Any thread.
  static void NotifyStop(const std::shared_ptr<Connection>& c, bool force);
};

struct Server::Impl {
  Impl(ServerOptions o, Router r)
      : opts(std::move(o)),
        router(std::move(r)),
        static_files(opts.static_dir),
        access_log(opts.access_log),
        access_logger(detail::AccessLogger()),
        strand(net::make_strand(ioc)),
        acceptor(strand),
        signals(strand),
        accept_retry(strand) {}

  void DoAccept();
  void OnAccept(beast::error_code ec, tcp::socket socket);
  void BeginShutdown();
  // Asks every live connection to close: all of them when `force`, else only idle ones.
  void NotifyConnections(bool force);
  void Unregister(Connection* c);
  bool UploadPath(std::string_view target) const {
    for (const std::string& p : opts.upload_prefixes) {
      if (!p.empty() && target.starts_with(p)) return true;
    }
    return false;
  }

  ServerOptions opts;
  Router router;
  StaticFiles static_files;
  std::atomic<bool> access_log;
  std::shared_ptr<spdlog::logger> access_logger;
  std::atomic<bool> stopping{false};
  std::uint16_t port = 0;
  bool started = false;

  std::mutex mu;  // guards stop_requested and conns
  std::condition_variable cv;
  bool stop_requested = false;
  std::unordered_map<Connection*, std::weak_ptr<Connection>> conns;

  // Declared last so it is destroyed first: pending handlers own connections, and their
  // destructors still reach `mu` and `conns` above.
  net::io_context ioc;
  net::strand<net::io_context::executor_type> strand;  // acceptor, signals, retry timer
  tcp::acceptor acceptor;
  net::signal_set signals;
  net::steady_timer accept_retry;
  // Offloaded handlers (Router::Add offload). Declared after ioc so it is destroyed (joined)
  // first: its queued tasks own connections whose sockets belong to ioc.
  std::atomic<int> offload_pending{0};
  net::thread_pool offload_pool{static_cast<std::size_t>(std::max(1, opts.offload_threads))};
};


}  // namespace th::http
