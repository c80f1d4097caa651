// One HTTP connection of the Beast server: reads a request under the header/body limits and
// timeouts, routes it (API handlers inline or offloaded, static files with sendfile), writes the
// answer with the security headers, keeps alive or lingers and closes. One strand per connection.
#include "http/server_impl.h"

namespace th::http {

using namespace detail;

// One TCP connection; lives as long as an async operation holds a shared_ptr to it.
class Connection : public std::enable_shared_from_this<Connection> {
 public:
  Connection(Server::Impl* srv, tcp::socket&& socket)
      : srv_(srv), socket_(std::move(socket)), watchdog_(socket_.get_executor()) {
    beast::error_code ec;
    auto ep = socket_.remote_endpoint(ec);
    if (!ec) {
      auto addr = ep.address();
      if (addr.is_v6() && addr.to_v6().is_v4_mapped()) {
        addr = net::ip::make_address_v4(net::ip::v4_mapped, addr.to_v6());
      }
      peer_ip_ = addr.to_string();
    }
  }
  ~Connection() { srv_->Unregister(this); }

  void Start() {
    net::dispatch(socket_.get_executor(), [self = shared_from_this()] {
      self->SetDeadline(self->srv_->opts.idle_timeout_seconds);
      self->ArmWatchdog();
      self->DoRead();
    });
  }

  // Called from any thread; hops onto the connection's strand.
  void NotifyStop(bool force) {
    net::post(socket_.get_executor(), [self = shared_from_this(), force] {
      // An idle keep-alive connection (no byte of a next request yet) is closed now; one
      // with a request in progress finishes it and closes after the response.
      if (force || (self->reading_header_ && self->buffer_.size() == 0)) self->Close();
    });
  }

 private:
  struct Exchange {
    std::string request_id;
    std::string client_ip;
    bool secure = false;
    bool api = false;
    bool keep_alive = false;
    unsigned version = 11;
    std::chrono::steady_clock::time_point start;
    // For the access log, filled only when it is on.
    std::string method;
    std::string raw_path;
    unsigned status = 0;
    std::uint64_t bytes = 0;
  };

  void DoRead() {
    if (srv_->stopping.load(std::memory_order_relaxed) && buffer_.size() == 0) {
      Close();
      return;
    }
    parser_.emplace();
    parser_->header_limit(kHeaderLimit);
    // The real limit depends on the target, known only after the header.
    parser_->body_limit(boost::none);
    reading_header_ = true;
    SetDeadline(srv_->opts.idle_timeout_seconds);
    bhttp::async_read_header(socket_, buffer_, *parser_,
                             beast::bind_front_handler(&Connection::OnHeader, shared_from_this()));
  }

  void OnHeader(beast::error_code ec, std::size_t) {
    reading_header_ = false;
    ex_ = Exchange{};
    ex_.start = std::chrono::steady_clock::now();
    if (ec) {
      if (IsBenignNetworkError(ec) || ec == bhttp::error::partial_message) {
        Close();
        return;
      }
      // Malformed request line or header, or header too large: answer and drop the
      // connection, the stream position is unknown.
      FillExchangeBasics();
      SendString(400, kJsonType, std::string(kBadRequestBody), true, true);
      return;
    }
    FillExchangeBasics();
    SetDeadline(srv_->opts.request_timeout_seconds);
    auto& req = parser_->get();
    std::size_t limit =
        srv_->UploadPath(req.target()) ? srv_->opts.max_upload_bytes : srv_->opts.max_body_bytes;
    if (srv_->opts.body_limit_of) {
      if (auto own = srv_->opts.body_limit_of(std::string_view(req.target().data(), req.target().size()))) limit = *own;
    }
    auto content_length = parser_->content_length();
    if (content_length && *content_length > limit) {
      SendString(413, kJsonType, std::string(kPayloadTooLargeBody), true, true);
      return;
    }
    parser_->body_limit(static_cast<std::uint64_t>(limit));
    if (parser_->is_done()) {
      Dispatch();
      return;
    }
    if (beast::iequals(req[bhttp::field::expect], "100-continue")) {
      static constexpr std::string_view kContinue = "HTTP/1.1 100 Continue\r\n\r\n";
      net::async_write(socket_, net::const_buffer(kContinue.data(), kContinue.size()),
                       [self = shared_from_this()](beast::error_code ec, std::size_t) {
                         if (ec) return self->Close();
                         self->ReadBody();
                       });
      return;
    }
    ReadBody();
  }

  void ReadBody() {
    bhttp::async_read(socket_, buffer_, *parser_,
                      beast::bind_front_handler(&Connection::OnBody, shared_from_this()));
  }

  void OnBody(beast::error_code ec, std::size_t) {
    if (ec == bhttp::error::body_limit) {
      SendString(413, kJsonType, std::string(kPayloadTooLargeBody), true, true);
      return;
    }
    if (ec) {
      if (IsBenignNetworkError(ec) || ec == bhttp::error::partial_message) {
        Close();
        return;
      }
      SendString(400, kJsonType, std::string(kBadRequestBody), true, true);
      return;
    }
    Dispatch();
  }

  void FillExchangeBasics() {
    auto& req = parser_->get();
    ex_.request_id = NewRequestId();
    ex_.version = req.version() == 10 ? 10 : 11;
    ex_.keep_alive = req.keep_alive();
    ex_.client_ip = peer_ip_;
    if (srv_->opts.trust_proxy) {
      auto xff = req["X-Forwarded-For"];
      if (!xff.empty()) {
        std::string_view v(xff.data(), xff.size());
        std::string_view first = TrimSpaces(v.substr(0, v.find(',')));
        if (!first.empty()) ex_.client_ip.assign(first);
      }
      auto proto = req["X-Forwarded-Proto"];
      ex_.secure = beast::iequals(TrimSpaces(std::string_view(proto.data(), proto.size())), "https");
    }
    if (srv_->access_log.load(std::memory_order_relaxed)) {
      auto m = req.method_string();
      ex_.method.assign(m.data(), m.size());
      std::string_view target(req.target().data(), req.target().size());
      ex_.raw_path.assign(target.substr(0, target.find('?')));
    }
  }

  // A complete request is in parser_: route it. Nothing thrown here may escape into asio
  // (it would unwind an io thread); the connection is dropped instead.
  void Dispatch() {
    try {
      Route();
    } catch (const std::exception& e) {
      spdlog::error("request failed: request_id={} what={}", ex_.request_id, e.what());
      Close();
    }
  }

  void Route() {
    auto& breq = parser_->get();
    std::string_view target(breq.target().data(), breq.target().size());
    std::string_view raw_path = target.substr(0, target.find('?'));
    std::optional<std::string> path = DecodeRequestPath(raw_path);
    if (!path) {
      SendString(400, kJsonType, std::string(kBadRequestBody), false, false);
      return;
    }
    if (path->starts_with("/api/") || *path == "/api") {
      ex_.api = true;
      DispatchApi(std::move(*path), target, raw_path.size());
      return;
    }
    auto method = breq.method();
    if (method != bhttp::verb::get && method != bhttp::verb::head) {
      extra_headers_.clear();
      extra_headers_.emplace_back("Allow", "GET, HEAD");
      SendString(405, kJsonType, std::string(kMethodNotAllowedBody), false, false);
      return;
    }
    ServeStatic(*path, method == bhttp::verb::head);
  }

  void DispatchApi(std::string path, std::string_view target, std::size_t raw_path_len) {
    auto& breq = parser_->get();
    Request req;
    auto m = breq.method_string();
    req.method.assign(m.data(), m.size());
    req.target.assign(target);
    req.path = std::move(path);
    if (raw_path_len < target.size()) req.query = ParseQuery(target.substr(raw_path_len + 1));
    for (const auto& f : breq) {
      auto n = f.name_string();
      std::string name(n.data(), n.size());
      for (char& c : name) {
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
      }
      auto v = f.value();
      auto [it, inserted] = req.headers.try_emplace(std::move(name), v.data(), v.size());
      if (!inserted) {
        it->second += it->first == "cookie" ? "; " : ", ";
        it->second.append(v.data(), v.size());
      }
    }
    if (auto it = req.headers.find("cookie"); it != req.headers.end()) {
      req.cookies = ParseCookies(it->second);
    }
    req.body = std::move(breq.body());
    req.client_ip = ex_.client_ip;
    req.secure = ex_.secure;
    req.request_id = ex_.request_id;
    req.received = std::chrono::steady_clock::now();

    bool method_not_allowed = false;
    std::string allow;
    const Handler* h = srv_->router.Match(req, &method_not_allowed, &allow);
    extra_headers_.clear();
    if (h == nullptr) {
      if (method_not_allowed) {
        extra_headers_.emplace_back("Allow", std::move(allow));
        SendString(405, kJsonType, std::string(kMethodNotAllowedBody), false, false);
      } else {
        SendString(404, kJsonType, std::string(kNotFoundBody), false, false);
      }
      return;
    }
    if (srv_->router.Offloaded(h)) {
      Offload(h, std::move(req));
      return;
    }
    Respond(CallHandler(*h, req, ex_.request_id));
  }

  // Runs a handler; an exception becomes a 500 (marked by an empty content type).
  static Response CallHandler(const Handler& h, Request& req, const std::string& request_id) {
    try {
      return h(req);
    } catch (const std::exception& e) {
      spdlog::error("handler threw: request_id={} method={} path={} what={}", request_id,
                    req.method, req.path, e.what());
    } catch (...) {
      spdlog::error("handler threw a non-exception: request_id={} method={} path={}",
                    request_id, req.method, req.path);
    }
    Response r;
    r.status = 500;
    r.content_type.clear();
    return r;
  }

  // Runs `h` on the offload pool and answers on this connection's strand. Reading pauses
  // meanwhile (one request at a time per connection, as for any handler).
  void Offload(const Handler* h, Request req) {
    if (srv_->offload_pending.fetch_add(1) >= srv_->opts.max_offload_pending) {
      srv_->offload_pending.fetch_sub(1);
      extra_headers_.emplace_back("Retry-After", "2");
      SendString(503, kJsonType, std::string(kBusyBody), false, false);
      return;
    }
    net::post(srv_->offload_pool, [self = shared_from_this(), h, req = std::move(req)]() mutable {
      Response res = CallHandler(*h, req, req.request_id);
      self->srv_->offload_pending.fetch_sub(1);
      net::post(self->socket_.get_executor(),
                [self, res = std::move(res)]() mutable { self->Respond(std::move(res)); });
    });
  }

  void Respond(Response res) {
    if (res.status == 500 && res.content_type.empty()) {
      SendString(500, kJsonType, std::string(kInternalBody), false, false);
      return;
    }
    for (auto& [name, value] : res.headers) {
      if (HeaderNameSafe(name) && HeaderValueSafe(value)) {
        extra_headers_.emplace_back(std::move(name), std::move(value));
      } else {
        spdlog::warn("dropped unsafe response header: request_id={}", ex_.request_id);
      }
    }
    if (!res.file_path.empty() && res.status >= 200 && res.status <= 599 && res.status != 204 &&
        res.status != 304) {
      SendFile(res.file_path, res.content_type, res.status, "no-store", false, nullptr);
      return;
    }
    // 1xx cannot be a final answer; 204 and 304 must not carry a body.
    unsigned status = res.status >= 200 && res.status <= 599 ? res.status : 500;
    if (status == 204 || status == 304) res.body.clear();
    std::string_view type = HeaderValueSafe(res.content_type) ? std::string_view(res.content_type)
                                                              : kJsonType;
    SendString(status, type, std::move(res.body), false, false);
  }

  void ServeStatic(const std::string& path, bool head) {
    extra_headers_.clear();
    if (!srv_->static_files.enabled()) {
      extra_headers_.emplace_back("Cache-Control", "no-store");
      SendString(200, "text/html; charset=utf-8", std::string(kNotBuiltPage), false, false,
                 head);
      return;
    }
    std::optional<StaticFiles::File> f = srv_->static_files.Resolve(path);
    if (!f) {
      SendString(404, kJsonType, std::string(kNotFoundBody), false, false, head);
      return;
    }
    std::string_view cache =
        f->immutable ? "public, max-age=31536000, immutable" : std::string_view("no-cache");
    if (!SendFile(f->path, f->mime, 200, cache, head, &path)) {
      // The file vanished since it was cached (a rebuild of web/dist): resolve afresh.
      srv_->static_files.Forget(path);
      f = srv_->static_files.Resolve(path);
      if (!f || !SendFile(f->path, f->mime, 200, cache, head, nullptr)) {
        SendString(404, kJsonType, std::string(kNotFoundBody), false, false, head);
      }
    }
  }

  template <class Fields>
  void AddCommonHeaders(Fields& h, bool api) {
    h.set(bhttp::field::date, HttpDateNow());
    h.set("Content-Security-Policy", kCsp);
    h.set("X-Content-Type-Options", "nosniff");
    h.set(bhttp::field::x_frame_options, "DENY");
    h.set("Referrer-Policy", "no-referrer");
    h.set("X-Request-Id", ex_.request_id);
    // API answers are never cached; a handler may say so more strictly (private, no-store).
    if (api && h.find(bhttp::field::cache_control) == h.end()) h.set(bhttp::field::cache_control, "no-store");
    if (ex_.secure) h.set(bhttp::field::strict_transport_security, kHsts);
  }

  template <class Msg>
  void AddExtraHeaders(Msg& m) {
    for (auto& [name, value] : extra_headers_) m.insert(name, value);
    extra_headers_.clear();
  }

  // Sends a string body. `close` ends the connection afterwards; `linger` additionally
  // drains unread request bytes first so the client sees the response instead of a reset.
  void SendString(unsigned status, std::string_view type, std::string body, bool close,
                  bool linger, bool head = false) {
    bool keep = ex_.keep_alive && !close && !srv_->stopping.load(std::memory_order_relaxed);
    SetDeadline(srv_->opts.request_timeout_seconds);
    ex_.status = status;
    if (head) {
      auto& res = empty_res_.emplace(static_cast<bhttp::status>(status), ex_.version);
      res.set(bhttp::field::content_type, type);
      AddExtraHeaders(res);
      AddCommonHeaders(res, ex_.api);
      res.content_length(body.size());
      res.keep_alive(keep);
      ex_.bytes = 0;
      bhttp::async_write(socket_, res,
                         beast::bind_front_handler(&Connection::OnWrite, shared_from_this(),
                                                   !keep, linger));
      return;
    }
    auto& res = str_res_.emplace(static_cast<bhttp::status>(status), ex_.version);
    if (!type.empty()) res.set(bhttp::field::content_type, type);
    AddExtraHeaders(res);
    AddCommonHeaders(res, ex_.api);
    res.body() = std::move(body);
    res.keep_alive(keep);
    res.prepare_payload();
    ex_.bytes = res.body().size();
    bhttp::async_write(socket_, res,
                       beast::bind_front_handler(&Connection::OnWrite, shared_from_this(), !keep,
                                                 linger));
  }

  // Sends a file. Returns false (nothing sent) when it cannot be opened. Answers 304 when
  // If-None-Match carries the current ETag (mtime and size, like nginx). Small files go out
  // in one write together with the header; large ones are streamed with sendfile(2).
  bool SendFile(const std::string& file, std::string_view type, int status,
                std::string_view cache_control, bool head, const std::string* /*req_path*/) {
    int fd = ::open(file.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return false;
    beast::file_posix owned;
    owned.native_handle(fd);  // closes fd on every return path below
    struct stat st{};
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) return false;
    const auto size = static_cast<std::uint64_t>(st.st_size);
    SetDeadline(srv_->opts.request_timeout_seconds);
    char etag[64];
    int etag_len = std::snprintf(etag, sizeof etag, "\"%llx-%llx\"",
                                 static_cast<unsigned long long>(st.st_mtime),
                                 static_cast<unsigned long long>(st.st_size));
    std::string_view etag_sv(etag, static_cast<std::size_t>(etag_len));
    bool keep = ex_.keep_alive && !srv_->stopping.load(std::memory_order_relaxed);
    unsigned code = status >= 100 && status <= 599 ? static_cast<unsigned>(status) : 200;
    auto inm = parser_->get()[bhttp::field::if_none_match];
    bool not_modified = code == 200 && !ex_.api && !inm.empty() &&
                        std::string_view(inm.data(), inm.size()) == etag_sv;
    auto fill = [&](auto& res) {
      res.set(bhttp::field::content_type, type);
      res.set(bhttp::field::etag, etag_sv);
      res.set(bhttp::field::cache_control, cache_control);
      AddExtraHeaders(res);
      AddCommonHeaders(res, ex_.api);
      res.keep_alive(keep);
    };
    if (head || not_modified) {
      ex_.status = not_modified ? 304 : code;
      auto& res = empty_res_.emplace(static_cast<bhttp::status>(ex_.status), ex_.version);
      fill(res);
      if (!not_modified) res.content_length(size);
      ex_.bytes = 0;
      bhttp::async_write(socket_, res,
                         beast::bind_front_handler(&Connection::OnWrite, shared_from_this(),
                                                   !keep, false));
      return true;
    }
    ex_.status = code;
    ex_.bytes = size;
    if (size <= kSmallFileBytes) {
      std::string data(size, '\0');
      std::size_t got = 0;
      while (got < size) {
        ssize_t n = ::pread(fd, data.data() + got, size - got, static_cast<off_t>(got));
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return false;
        got += static_cast<std::size_t>(n);
      }
      auto& res = str_res_.emplace(static_cast<bhttp::status>(code), ex_.version);
      fill(res);
      res.body() = std::move(data);
      res.prepare_payload();
      bhttp::async_write(socket_, res,
                         beast::bind_front_handler(&Connection::OnWrite, shared_from_this(),
                                                   !keep, false));
      return true;
    }
    beast::error_code ec;
    bhttp::file_body::value_type body;
    body.reset(std::move(owned), ec);
    if (ec) return false;
    auto& res = file_res_.emplace(std::piecewise_construct, std::make_tuple(std::move(body)),
                                  std::make_tuple(static_cast<bhttp::status>(code), ex_.version));
    fill(res);
    res.prepare_payload();
    file_offset_ = 0;
    auto& sr = file_sr_.emplace(res);
    bhttp::async_write_header(
        socket_, sr, [self = shared_from_this(), keep](beast::error_code ec, std::size_t) {
          if (ec) return self->OnWrite(!keep, false, ec, 0);
          self->SendFileBody(!keep);
        });
    return true;
  }

  // Pushes the rest of file_res_'s file with sendfile(2); waits for writability on EAGAIN.
  void SendFileBody(bool close) {
    const int fd = file_res_->body().file().native_handle();
    const auto size = static_cast<off_t>(file_res_->body().size());
    beast::error_code ec;
    socket_.native_non_blocking(true, ec);
    while (!ec && file_offset_ < size) {
      std::size_t chunk = static_cast<std::size_t>(std::min<off_t>(size - file_offset_, 1 << 20));
      ssize_t n = ::sendfile(socket_.native_handle(), fd, &file_offset_, chunk);
      if (n > 0) continue;
      if (n < 0 && errno == EINTR) continue;
      if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
        socket_.async_wait(tcp::socket::wait_write,
                           [self = shared_from_this(), close](beast::error_code wec) {
                             if (wec) return self->OnWrite(close, false, wec, 0);
                             self->SetDeadline(self->srv_->opts.request_timeout_seconds);
                             self->SendFileBody(close);
                           });
        return;
      }
      // n == 0: the file shrank under us; the promised Content-Length cannot be kept.
      ec = n == 0 ? beast::error_code(net::error::eof)
                  : beast::error_code(errno, boost::system::system_category());
    }
    OnWrite(close, false, ec, 0);
  }

  void OnWrite(bool close, bool linger, beast::error_code ec, std::size_t) {
    LogAccess();
    str_res_.reset();
    file_sr_.reset();
    file_res_.reset();
    empty_res_.reset();
    if (ec) {
      Close();
      return;
    }
    if (close) {
      beast::error_code ignored;
      socket_.shutdown(tcp::socket::shutdown_send, ignored);
      if (linger) {
        // Read and discard what the client still sends (a rejected body), bounded in time
        // and bytes, so closing does not reset the connection before it reads the answer.
        lingered_ = 0;
        SetDeadline(2);
        DoLinger();
        return;
      }
      Close();
      return;
    }
    DoRead();
  }

  void DoLinger() {
    buffer_.clear();
    socket_.async_read_some(
        buffer_.prepare(64 * 1024),
        [self = shared_from_this()](beast::error_code ec, std::size_t n) {
          self->lingered_ += n;
          if (ec || self->lingered_ > kLingerBytes) return self->Close();
          self->DoLinger();
        });
  }

  void LogAccess() {
    if (!srv_->access_log.load(std::memory_order_relaxed) || ex_.status == 0) return;
    auto us = std::chrono::duration_cast<std::chrono::microseconds>(
                  std::chrono::steady_clock::now() - ex_.start)
                  .count();
    fmt::memory_buffer line;
    line.append(std::string_view(R"({"ts":")"));
    line.append(FormatIsoUtc(SystemClock().NowMillis()));
    line.append(std::string_view(R"(","request_id":")"));
    line.append(ex_.request_id);
    line.append(std::string_view(R"(","method":")"));
    AppendJsonEscaped(line, ex_.method);
    line.append(std::string_view(R"(","path":")"));
    AppendJsonEscaped(line, ex_.raw_path);
    fmt::format_to(std::back_inserter(line),
                   R"(","status":{},"bytes":{},"duration_us":{},"client_ip":")", ex_.status,
                   ex_.bytes, us);
    AppendJsonEscaped(line, ex_.client_ip);
    line.append(std::string_view("\"}"));
    srv_->access_logger->info(std::string_view(line.data(), line.size()));
  }

  void SetDeadline(int seconds) {
    deadline_ = std::chrono::steady_clock::now() + std::chrono::seconds(seconds);
  }

  // Wakes at the deadline but at least once a second, so a deadline moved earlier (idle ->
  // request timeout, or the short linger) needs no timer cancellation.
  void ArmWatchdog() {
    auto now = std::chrono::steady_clock::now();
    watchdog_.expires_at(std::min(deadline_, now + std::chrono::seconds(1)));
    watchdog_.async_wait([self = shared_from_this()](beast::error_code ec) {
      if (ec || !self->socket_.is_open()) return;
      if (std::chrono::steady_clock::now() >= self->deadline_) {
        self->Close();  // idle or stalled past its deadline: pending operations abort
        return;
      }
      self->ArmWatchdog();  // the deadline moved on since the timer was set
    });
  }

  void Close() {
    beast::error_code ec;
    socket_.shutdown(tcp::socket::shutdown_both, ec);
    socket_.close(ec);
    watchdog_.cancel();
  }

  Server::Impl* srv_;
  tcp::socket socket_;
  // One timer per connection instead of one per I/O operation (what beast::tcp_stream
  // does): operations only move deadline_, the watchdog checks it (see ArmWatchdog).
  net::steady_timer watchdog_;
  std::chrono::steady_clock::time_point deadline_;
  beast::flat_buffer buffer_;
  std::optional<bhttp::request_parser<bhttp::string_body>> parser_;
  std::optional<bhttp::response<bhttp::string_body>> str_res_;
  std::optional<bhttp::response<bhttp::file_body>> file_res_;
  std::optional<bhttp::response<bhttp::empty_body>> empty_res_;
  std::optional<bhttp::response_serializer<bhttp::file_body>> file_sr_;
  off_t file_offset_ = 0;
  std::vector<std::pair<std::string, std::string>> extra_headers_;
  std::string peer_ip_;
  Exchange ex_;
  bool reading_header_ = false;
  std::size_t lingered_ = 0;
};

std::shared_ptr<Connection> ConnectionHooks::New(Server::Impl* srv, tcp::socket&& socket) {
  return std::make_shared<Connection>(srv, std::move(socket));
}

void ConnectionHooks::Start(const std::shared_ptr<Connection>& c) { c->Start(); }

void ConnectionHooks::NotifyStop(const std::shared_ptr<Connection>& c, bool force) { c->NotifyStop(force); }

}  // namespace th::http
