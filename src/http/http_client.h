#pragma once
// A minimal outgoing HTTP/1.1 client (plain http:// only) for delivery channels such as an SMS
// gateway on the local network. Synchronous, one request per connection, with a total deadline.
// Keeps Beast inside src/http/.
#include <chrono>
#include <string>
#include <utility>
#include <vector>

#include "base/status.h"

namespace th::http {

struct ClientResponse {
  int status = 0;
  std::string body;
};

// POSTs `body` (Content-Type application/json) to `url` ("http://host[:port]/path"), with the
// extra `headers`, within `timeout` (resolve, connect, write and read together). Errors:
// kInvalidArgument invalid_url; kUnavailable http_unreachable (resolve/connect/IO failure or the
// deadline passed; the message names the host, never the body). A non-2xx answer is a response,
// not an error. Thread-safe (no shared state).
Result<ClientResponse> PostJson(const std::string& url, const std::string& body,
                                const std::vector<std::pair<std::string, std::string>>& headers,
                                std::chrono::milliseconds timeout);

}  // namespace th::http
