#pragma once
// Errors are values (LevelDB style). A Status carries a category (Code), a stable
// machine-readable error code ("invalid_id_number"), the offending field if any, and
// messages in zh-CN and en. Exceptions never cross a layer boundary.
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <variant>

namespace th {

enum class Code : std::uint8_t {
  kOk = 0,
  kInvalidArgument,   // 400: bad input, names the field
  kUnauthenticated,   // 401: no or expired session
  kPermissionDenied,  // 403: authenticated but the role lacks the permission
  kNotFound,          // 404: absent, or outside the caller's jurisdiction
  kConflict,          // 409: stale version, duplicate key
  kPayloadTooLarge,   // 413
  kUnsupportedMedia,  // 415
  kLocked,            // 423: account locked
  kTooManyRequests,   // 429: throttled
  kInternal,          // 500
  kUnavailable,       // 503
};

class Status {
 public:
  Status() = default;  // OK

  static Status Ok() { return Status(); }
  // `error_code` is the stable machine code; `message_zh` / `message_en` are shown to people.
  static Status Error(Code code, std::string error_code, std::string message_zh,
                      std::string message_en = {}, std::string field = {}) {
    Status s;
    s.code_ = code;
    s.error_code_ = std::move(error_code);
    s.message_zh_ = std::move(message_zh);
    s.message_en_ = std::move(message_en);
    s.field_ = std::move(field);
    return s;
  }
  static Status Invalid(std::string field, std::string error_code, std::string zh, std::string en) {
    return Error(Code::kInvalidArgument, std::move(error_code), std::move(zh), std::move(en),
                 std::move(field));
  }
  // The four common input errors, one wording each (../shared/DESIGN.md "Errors are values").
  // 400 required: `field` is missing or empty.
  static Status Required(const std::string& field) {
    return Invalid(field, "required", "缺少必填字段: " + field, "Missing required field: " + field);
  }
  // 400 invalid_enum: `value` is not one of the values `field` takes.
  static Status InvalidEnum(const std::string& field, const std::string& value) {
    return Invalid(field, "invalid_enum", "取值无效: " + field + " = " + value,
                   "Invalid value for " + field + ": " + value);
  }
  // 400 too_long: `field` has more than `max_chars` characters.
  static Status TooLong(const std::string& field, std::int64_t max_chars) {
    const std::string n = std::to_string(max_chars);
    return Invalid(field, "too_long", "内容过长: " + field + " 最多" + n + "个字",
                   "Too long: " + field + " has at most " + n + " characters");
  }
  // 409 invalid_state: the record is in `state`, where this step does not apply (field "status").
  static Status InvalidState(const std::string& state, std::string field = "status") {
    return Error(Code::kConflict, "invalid_state", "当前状态(" + state + ")不允许该操作",
                 "Not allowed in the current state (" + state + ")", std::move(field));
  }
  static Status NotFound(std::string what = {}) {
    return Error(Code::kNotFound, "not_found", "记录不存在或不在您的管辖范围内",
                 "Not found or outside your jurisdiction", std::move(what));
  }
  static Status Stale() {
    return Error(Code::kConflict, "stale_version", "记录已被他人修改，请刷新后重试",
                 "The record was changed by someone else; reload and try again", "version");
  }
  static Status Forbidden() {
    return Error(Code::kPermissionDenied, "forbidden", "您没有执行此操作的权限",
                 "You do not have permission for this action");
  }
  static Status Unauthenticated() {
    return Error(Code::kUnauthenticated, "unauthenticated", "请先登录", "Please log in");
  }
  static Status Internal(std::string detail) {
    return Error(Code::kInternal, "internal", "服务器内部错误", "Internal server error: " + detail);
  }

  bool ok() const { return code_ == Code::kOk; }
  Code code() const { return code_; }
  const std::string& error_code() const { return error_code_; }
  const std::string& field() const { return field_; }
  const std::string& message_zh() const { return message_zh_; }
  const std::string& message_en() const { return message_en_.empty() ? message_zh_ : message_en_; }
  // For logs and tests: "conflict/stale_version(version): ...".
  std::string ToString() const;

 private:
  Code code_ = Code::kOk;
  std::string error_code_;
  std::string message_zh_;
  std::string message_en_;
  std::string field_;
};

// Result<T>: either a value or a non-OK Status.
template <typename T>
class Result {
 public:
  Result(T value) : v_(std::move(value)) {}         // NOLINT(implicit)
  Result(Status status) : v_(std::move(status)) {}  // NOLINT(implicit); must not be OK
  bool ok() const { return std::holds_alternative<T>(v_); }
  const Status& status() const {
    static const Status kOk;
    return ok() ? kOk : std::get<Status>(v_);
  }
  T& value() & { return std::get<T>(v_); }
  const T& value() const& { return std::get<T>(v_); }
  T&& value() && { return std::get<T>(std::move(v_)); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

 private:
  std::variant<T, Status> v_;
};

}  // namespace th

// Propagate a non-OK Status from an expression returning Status.
#define TH_RETURN_IF_ERROR(expr)          \
  do {                                    \
    ::th::Status _st = (expr);            \
    if (!_st.ok()) return _st;            \
  } while (0)

#define TH_CONCAT_INNER(a, b) a##b
#define TH_CONCAT(a, b) TH_CONCAT_INNER(a, b)
// `TH_ASSIGN_OR_RETURN(auto x, F());` declares x from a Result or returns its Status.
#define TH_ASSIGN_OR_RETURN(lhs, expr) TH_ASSIGN_OR_RETURN_IMPL(TH_CONCAT(_res_, __LINE__), lhs, expr)
#define TH_ASSIGN_OR_RETURN_IMPL(tmp, lhs, expr) \
  auto tmp = (expr);                             \
  if (!tmp.ok()) return tmp.status();            \
  lhs = std::move(tmp).value()
