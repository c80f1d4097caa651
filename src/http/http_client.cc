#include "http/http_client.h"

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

namespace th::http {

namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = boost::asio::ip::tcp;

namespace {

struct Target {
  std::string host, port, path;
};

Result<Target> ParseUrl(const std::string& url) {
  const std::string scheme = "http://";
  if (url.rfind(scheme, 0) != 0) {
    return Status::Invalid("url", "invalid_url", "地址须以 http:// 开头", "The address must start with http://");
  }
  std::string rest = url.substr(scheme.size());
  std::size_t slash = rest.find('/');
  std::string authority = slash == std::string::npos ? rest : rest.substr(0, slash);
  Target t;
  t.path = slash == std::string::npos ? "/" : rest.substr(slash);
  std::size_t colon = authority.rfind(':');
  t.host = colon == std::string::npos ? authority : authority.substr(0, colon);
  t.port = colon == std::string::npos ? "80" : authority.substr(colon + 1);
  if (t.host.empty() || t.port.empty() || authority.find('@') != std::string::npos) {
    return Status::Invalid("url", "invalid_url", "地址无效", "Invalid address");
  }
  return t;
}

Status Unreachable(const Target& t, const std::string& what) {
  return Status::Error(Code::kUnavailable, "http_unreachable", "无法连接 " + t.host + ":" + t.port + "（" + what + "）",
                       "Cannot reach " + t.host + ":" + t.port + " (" + what + ")");
}

}  // namespace

Result<ClientResponse> PostJson(const std::string& url, const std::string& body,
                                const std::vector<std::pair<std::string, std::string>>& headers,
                                std::chrono::milliseconds timeout) {
  TH_ASSIGN_OR_RETURN(auto t, ParseUrl(url));
  boost::asio::io_context ioc;
  beast::tcp_stream stream(ioc);
  beast::error_code ec;
  tcp::resolver resolver(ioc);
  auto results = resolver.resolve(t.host, t.port, ec);
  if (ec) return Unreachable(t, ec.message());
  stream.expires_after(timeout);  // one deadline for connect, write and read
  stream.connect(results, ec);
  if (ec) return Unreachable(t, ec.message());
  bhttp::request<bhttp::string_body> req{bhttp::verb::post, t.path, 11};
  req.set(bhttp::field::host, t.host);
  req.set(bhttp::field::user_agent, "tonghu");
  req.set(bhttp::field::content_type, "application/json; charset=utf-8");
  for (const auto& [k, v] : headers) req.set(k, v);
  req.body() = body;
  req.prepare_payload();
  bhttp::write(stream, req, ec);
  if (ec) return Unreachable(t, ec.message());
  beast::flat_buffer buffer;
  bhttp::response_parser<bhttp::string_body> parser;
  parser.body_limit(1 << 20);
  bhttp::read(stream, buffer, parser, ec);
  if (ec) return Unreachable(t, ec.message());
  stream.socket().shutdown(tcp::socket::shutdown_both, ec);
  ClientResponse out;
  out.status = static_cast<int>(parser.get().result_int());
  out.body = parser.get().body();
  return out;
}

}  // namespace th::http
