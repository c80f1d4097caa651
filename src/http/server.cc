// Async Beast server: one io_context run by N threads, one strand per connection, handlers
// run synchronously on the connection's strand (they may block on the database; other
// connections keep going on the other threads). This file is the accept loop, shutdown and the
// Server API; a connection is in connection.cc, the shared state in server_impl.h.
#include "http/server_impl.h"

namespace th::http {

void Server::Impl::DoAccept() {
  acceptor.async_accept(net::make_strand(ioc),
                        beast::bind_front_handler(&Server::Impl::OnAccept, this));
}

void Server::Impl::OnAccept(beast::error_code ec, tcp::socket socket) {
  if (stopping.load() || !acceptor.is_open()) return;
  if (ec) {
    // Usually EMFILE under load: back off briefly instead of spinning on the error.
    spdlog::warn("accept failed: {}", ec.message());
    accept_retry.expires_after(std::chrono::milliseconds(50));
    accept_retry.async_wait([this](beast::error_code e) {
      if (!e && !stopping.load()) DoAccept();
    });
    return;
  }
  beast::error_code ignored;
  socket.set_option(tcp::no_delay(true), ignored);
  auto conn = ConnectionHooks::New(this, std::move(socket));
  {
    std::lock_guard lock(mu);
    conns.emplace(conn.get(), conn);
  }
  ConnectionHooks::Start(conn);
  DoAccept();
}

void Server::Impl::NotifyConnections(bool force) {
  std::vector<std::shared_ptr<Connection>> live;
  {
    std::lock_guard lock(mu);
    live.reserve(conns.size());
    for (auto& [ptr, weak] : conns) {
      if (auto c = weak.lock()) live.push_back(std::move(c));
    }
  }
  for (auto& c : live) ConnectionHooks::NotifyStop(c, force);
}

void Server::Impl::BeginShutdown() {
  beast::error_code ignored;
  acceptor.close(ignored);
  signals.cancel(ignored);
  accept_retry.cancel();
  NotifyConnections(false);
}

void Server::Impl::Unregister(Connection* c) {
  std::lock_guard lock(mu);
  conns.erase(c);
  if (conns.empty()) cv.notify_all();
}

Server::Server(ServerOptions opts, Router router)
    : impl_(std::make_unique<Impl>(std::move(opts), std::move(router))) {}

Server::~Server() {
  Stop();
  impl_->ioc.stop();
}

bool Server::Start(std::string* error) {
  Impl& s = *impl_;
  auto fail = [&](const std::string& what, const beast::error_code& ec) {
    if (error != nullptr) *error = what + ": " + ec.message();
    beast::error_code ignored;
    s.acceptor.close(ignored);
    return false;
  };
  if (s.started) {
    if (error != nullptr) *error = "server already started";
    return false;
  }
  beast::error_code ec;
  std::string host = s.opts.host == "localhost" ? "127.0.0.1" : s.opts.host;
  auto address = net::ip::make_address(host.empty() ? "0.0.0.0" : host, ec);
  if (ec) return fail("invalid listen address '" + s.opts.host + "'", ec);
  tcp::endpoint endpoint(address, s.opts.port);
  s.acceptor.open(endpoint.protocol(), ec);
  if (ec) return fail("open", ec);
  s.acceptor.set_option(net::socket_base::reuse_address(true), ec);
  if (ec) return fail("set reuse_address", ec);
  s.acceptor.bind(endpoint, ec);
  if (ec) return fail("bind " + host + ":" + std::to_string(s.opts.port), ec);
  s.acceptor.listen(net::socket_base::max_listen_connections, ec);
  if (ec) return fail("listen", ec);
  s.port = s.acceptor.local_endpoint(ec).port();
  s.started = true;
  if (!s.opts.static_dir.empty() && !s.static_files.enabled()) {
    spdlog::warn("static_dir '{}' has no index.html; the web app is not built",
                 s.opts.static_dir);
  }
  net::post(s.strand, [&s] { s.DoAccept(); });
  return true;
}

std::uint16_t Server::port() const { return impl_->port; }

void Server::SetAccessLog(bool enabled) { impl_->access_log.store(enabled); }

void Server::Stop() {
  Impl& s = *impl_;
  {
    std::lock_guard lock(s.mu);
    if (s.stop_requested) return;
    s.stop_requested = true;
  }
  s.stopping.store(true);
  if (s.started) net::post(s.strand, [&s] { s.BeginShutdown(); });
  s.cv.notify_all();
}

void Server::Run(bool handle_signals) {
  Impl& s = *impl_;
  if (!s.started) return;
  auto guard = net::make_work_guard(s.ioc);
  if (handle_signals) {
    net::post(s.strand, [this, &s] {
      beast::error_code ec;
      s.signals.add(SIGINT, ec);
      s.signals.add(SIGTERM, ec);
      s.signals.async_wait([this](beast::error_code e, int sig) {
        if (e) return;
        spdlog::info("signal {} received, shutting down", sig);
        Stop();
      });
    });
  }
  int n = s.opts.threads;
  if (n <= 0) n = std::max(4, static_cast<int>(std::thread::hardware_concurrency()) * 2);
  std::vector<std::thread> pool;
  pool.reserve(static_cast<std::size_t>(n));
  for (int i = 0; i < n; ++i) {
    pool.emplace_back([&s] {
      // sendfile(2) has no MSG_NOSIGNAL: a client that goes away mid-file would raise
      // SIGPIPE and kill the process. Blocked here, the call just fails with EPIPE.
      sigset_t pipe_only;
      sigemptyset(&pipe_only);
      sigaddset(&pipe_only, SIGPIPE);
      pthread_sigmask(SIG_BLOCK, &pipe_only, nullptr);
      for (;;) {
        try {
          s.ioc.run();
          return;
        } catch (const std::exception& e) {
          // Nothing should throw through asio; keep the thread alive if something does.
          spdlog::error("io thread caught: {}", e.what());
        }
      }
    });
  }

  std::unique_lock lock(s.mu);
  s.cv.wait(lock, [&] { return s.stop_requested; });
  auto deadline =
      std::chrono::steady_clock::now() + std::chrono::seconds(s.opts.shutdown_grace_seconds);
  if (!s.cv.wait_until(lock, deadline, [&] { return s.conns.empty(); })) {
    spdlog::warn("shutdown grace period over; closing {} connection(s)", s.conns.size());
    lock.unlock();
    s.NotifyConnections(true);
    lock.lock();
    s.cv.wait_for(lock, std::chrono::seconds(2), [&] { return s.conns.empty(); });
  }
  lock.unlock();
  s.offload_pool.join();  // offloaded handlers finish (bounded waits) and post their answers
  guard.reset();
  s.ioc.stop();
  for (auto& t : pool) t.join();
}

}  // namespace th::http
